"""The ``archiver`` command: crawl, check, runs, demo, extract, query, search, export, show,
stats, serve, import and reextract; enqueue and drain for a distributed crawl (Redis).

Exit codes: 0 success; 1 the crawl fetched nothing (every start page failed), a file could not
be read, a folder a crawl writes (exports, logs, job state, WARC) is not writable, a query was
refused, ``archiver check`` found problems or ``serve`` cannot listen;
2 usage errors (a bad option, -s setting, URL, path or sources file), in one line (``one_line``), and a
--db file that is not an archive this archiver can use (``archiver.cli.archivefile``: empty, not
SQLite, another program's database, a newer archive), in one line; 3 another run holds the lock
on the sources file or the archive; 130 (SIGINT, Ctrl-C) or 143 (SIGTERM) a crawl a signal stopped
(a distributed worker, ``crawl --redis``, exits 0).
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

import click

from archiver import __version__
from archiver.cli import crawling, extracting, importing, reading, serving


def one_line(error: click.UsageError) -> click.UsageError:
    """A usage error as one line, ``Error: <message>``, without click's usage and "Try" lines (exit code 2);
    a missing argument or an unknown option names the command's --help."""
    message = error.format_message()
    if isinstance(error, click.MissingParameter | click.NoSuchOption) and error.ctx is not None:
        message = f"{message.rstrip('.')} (see '{error.ctx.command_path} --help')"
    return click.UsageError(message)


class Commands(click.Group):
    """archiver's commands; those of a distributed crawl (Redis, Scrapy) are imported when one runs."""

    #: Commands imported on first use: name -> (module, attribute, the help line `archiver --help` shows).
    lazy: ClassVar[dict[str, tuple[str, str, str]]] = {
        "drain": (
            "archiver.cli.distributed",
            "drain_command",
            "Write the workers' items into the archive: the one writer of a distributed crawl.",
        ),
        "enqueue": (
            "archiver.cli.distributed",
            "enqueue_command",
            "Push start URLs, or the sites of a sources file, into a distributed crawl.",
        ),
    }

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:  # no arguments: the help, as click prints it
            raise
        except click.UsageError as exc:
            raise one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:  # no arguments: the help, as click prints it
            raise
        except click.UsageError as exc:
            raise one_line(exc) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attribute, _ = self.lazy[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, but a command not imported yet shows its line from ``lazy`` instead of importing it."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name) or click.Command(name, help=self.lazy[name][2])
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="archiver")
def cli() -> None:
    """archiver: crawl article pages and their reader comments into a SQLite archive."""


for _module in (crawling, extracting, importing, reading, serving):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="archiver")
