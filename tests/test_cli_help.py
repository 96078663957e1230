"""Every command and every option of `archiver` says what it is for in --help."""

from __future__ import annotations

import click
import pytest

from archiver.cli import cli


def commands() -> list[tuple[str, click.Command]]:
    """Every command of the tree, the distributed ones (imported on use) included."""
    found: list[tuple[str, click.Command]] = []

    def walk(path: str, command: click.Command) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                walk(f"{path} {name}", sub)

    walk("archiver", cli)
    return found


COMMANDS = commands()


def test_the_tree_has_every_command() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"archiver crawl", "archiver query", "archiver export", "archiver enqueue", "archiver drain"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_option_has_a_help_line(path: str, command: click.Command) -> None:
    assert command.help, f"{path} has no help text"
    ctx = click.Context(command, info_name=path)
    missing = [
        "/".join(param.opts)
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert missing == [], f"{path}: options without help: {missing}"
