"""The import command: build or update an archive from WARC files written by any tool."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from archiver.cli.archivefile import check_writable, writing
from archiver.cli.common import db_option


def _regex(ctx: click.Context, param: click.Parameter, value: str | None) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise click.BadParameter(f"{value!r} is not a regular expression: {exc}") from exc


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option("The archive to build or update.")
@click.option(
    "--url-filter",
    metavar="REGEX",
    default=None,
    callback=_regex,
    help="Import only the pages whose URL this regular expression matches (anywhere in it).",
)
def import_command(files: tuple[Path, ...], db: Path, url_filter: re.Pattern[str] | None) -> None:
    """Archive the articles of WARC files (.warc or .warc.gz) written by any tool.

    HTML responses (status 200) are extracted as a crawl extracts a fetched page; an article's
    comment pages are merged into it when the files hold them; everything else is counted and
    skipped, as are malformed records and a truncated tail. Each article names the record it came
    from. A file that cannot be read is reported as `archiver: FILE: problem` (exit code 1) and the
    others are still imported. Importing the same files again changes nothing.
    """
    readable, failed = [], False
    for path in files:
        problem = _problem(path)
        if problem:
            click.echo(f"archiver: {path}: {problem}", err=True)
            failed = True
        else:
            readable.append(path)
    check_writable(db)
    if readable:
        from archiver.archive import ArchiveError
        from archiver.warc.importer import Importer

        archive = writing(db)
        try:
            stats = Importer(archive, url_filter=url_filter, progress=_progress).run(readable)
        except (ArchiveError, OSError) as exc:
            click.echo(f"archiver: {db}: {exc}", err=True)
            sys.exit(1)
        finally:
            archive.close()
        _report(stats)
    if failed:
        sys.exit(1)


def _problem(path: Path) -> str | None:
    """Why a file cannot be read as WARC, or None."""
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return "is a folder, not a WARC file"
    try:
        with path.open("rb") as stream:
            start = stream.read(8)
    except OSError as exc:
        return exc.strerror or str(exc)
    if not start:
        return "empty file"
    if not (start.startswith(b"\x1f\x8b") or start.startswith(b"WARC/")):
        return "not a WARC file (.warc or .warc.gz)"
    return None


def _progress(stats: Any, elapsed: float) -> None:
    rate = stats.records / elapsed if elapsed > 0 else 0.0
    click.echo(f"import: {stats.records} records ({rate:.0f}/s), {stats.articles} articles found", err=True)


def _report(stats: Any) -> None:
    saved = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in sorted(stats.saved.items()))
    click.echo(
        f"{stats.records} records read, {stats.exchanges} HTML responses, {stats.articles} articles"
        f" ({stats.comment_pages} comment pages merged){'; ' + saved if saved else ''}"
    )
    for reason, number in sorted(stats.skipped.items()):
        click.echo(f"  skipped: {reason}: {number}")


COMMANDS = [import_command]
