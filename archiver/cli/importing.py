"""The commands on raw captures: import (build or update an archive from WARC files written by any
tool) and reextract (run the current extractor over the captures an archive holds)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archiver.cli.archivefile import check_usable, check_writable, reading, writing
from archiver.cli.common import db_option
from archiver.cli.reading import check_dates

if TYPE_CHECKING:
    from archiver.archive import Archive


def _regex(ctx: click.Context, param: click.Parameter, value: str | None) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise click.BadParameter(f"{value!r} is not a regular expression: {exc}") from exc


#: What is said when an extraction process ended abruptly (killed, out of memory): what was saved stays.
WORKER_DIED = "an extraction process died (killed or out of memory); what was saved before is kept, run it again"


@contextmanager
def _writing_archive(db: Path) -> Iterator[Archive]:
    """The archive open for writing, closed at the end; a failure of the archive, the disk or an
    extraction process is one line ``archiver: DB: problem`` and exit code 1."""
    from concurrent.futures.process import BrokenProcessPool

    from archiver.archive import ArchiveError

    archive = writing(db)
    try:
        yield archive
    except (ArchiveError, OSError) as exc:
        click.echo(f"archiver: {db}: {exc}", err=True)
        sys.exit(1)
    except BrokenProcessPool:
        click.echo(f"archiver: {db}: {WORKER_DIED}", err=True)
        sys.exit(1)
    finally:
        archive.close()


def _processes(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """--processes: "auto" (one per available core, at most 4, as ARCHIVER_EXTRACT_PROCESSES) or a number."""
    from archiver.crawl.pool import extract_processes

    if value != "auto" and not (value.isdigit() and int(value) <= 64):
        raise click.BadParameter(f"{value!r} is not a number of processes (0-64) or auto")
    return extract_processes(value if value == "auto" else int(value))


processes_option = click.option(
    "--processes",
    default="auto",
    show_default=True,
    callback=_processes,
    metavar="N|auto",
    help="Extraction processes: auto is one per available core (at most 4); 0 extracts in this process.",
)


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
@processes_option
def import_command(files: tuple[Path, ...], db: Path, url_filter: re.Pattern[str] | None, processes: int) -> None:
    """Archive the articles of WARC files (.warc or .warc.gz) written by any tool.

    HTML responses (status 200) are extracted as a crawl extracts a fetched page; an article's
    comment pages are merged into it when the files hold them, and the comments of a page archiver's
    crawl rendered in Chromium read from the rendered document and its frames; everything else is counted and
    skipped, as are malformed records and a truncated tail. Each article names the record it came
    from. A file that cannot be read is reported as `archiver: FILE: problem` (exit code 1) and the
    others are still imported. Importing the same files again changes nothing. Pages are extracted
    in --processes worker processes; the archive is the same whatever their number.
    """
    readable, failed = [], False
    for path in files:
        problem = _problem(path)
        if problem:
            click.echo(f"archiver: {path}: {problem}", err=True)
            failed = True
        else:
            readable.append(path)
    check_usable(db)  # a --db that is no archive is refused; nothing is created unless a file can be imported
    if readable:
        from archiver.warc.importer import Importer

        check_writable(db)
        with _writing_archive(db) as archive:
            stats = Importer(archive, url_filter=url_filter, progress=_progress, processes=processes).run(readable)
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
        f" ({stats.comment_pages} comment pages merged"
        f"{f', {stats.rendered} rendered pages read' if stats.rendered else ''}){'; ' + saved if saved else ''}"
    )
    for reason, number in sorted(stats.skipped.items()):
        click.echo(f"  skipped: {reason}: {number}")


@click.command(name="reextract")
@db_option("The archive whose captures are read again (it must exist).")
@click.option("--domain", help="Only the articles of this host or any subdomain of it.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only articles published on or before this date.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@processes_option
def reextract_command(
    db: Path, domain: str | None, since: datetime | None, until: datetime | None, dry_run: bool, processes: int
) -> None:
    """Run the current extractor over the captures the archive holds, and save what differs.

    Each selected article's capture (the WARC record it was extracted from) and its comment pages'
    captures (or, for a page rendered in Chromium, the rendered document's and its frames') are
    extracted again as a crawl extracts a page; what differs is saved as a crawl saves
    it (the old values kept as a revision, comments added, changed or marked deleted, the new
    extractor version recorded), then reported field by field. An article that reads the same is
    left untouched, so running it again changes nothing. A capture whose WARC file is missing or
    unreadable is counted, and its article left as it was.
    """
    check_dates(since, until)
    with reading(db):
        pass  # a missing file, or one that is not an archive: one line, exit code 2
    from archiver.archive.export import ExportFilters
    from archiver.crawl.progress import counting
    from archiver.warc.reextract import Reextractor

    filters = ExportFilters(
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        domain=domain,
    )
    with _writing_archive(db) as archive:
        reextractor = Reextractor(archive, filters=filters, dry_run=dry_run, processes=processes)
        with counting("reextracting articles", reextractor.count()) as advance:
            reextractor.advance = advance
            stats = reextractor.run()
    _reextract_report(stats, dry_run)


#: The fields ``archiver.warc.reextract`` compares, in report order.
FIELDS = ("title", "authors", "published", "modified", "body")


def _reextract_report(stats: Any, dry_run: bool) -> None:
    changes = [f"{name} {stats.fields[name]}" for name in (*FIELDS, "comments") if stats.fields[name]]
    saved = stats.saved
    comments = f"comments +{saved['comments_inserted']} -{saved['comments_deleted']} ~{saved['comments_changed']}"
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{stats.articles} articles read, {stats.changed} {verb}, {stats.missing} captures missing"
        f"{'; ' + ', '.join(changes) if changes else ''}; {comments}; {saved['revisions']} revisions"
        f"{' (dry run: nothing written)' if dry_run else ''}"
    )
    if stats.versions:
        click.echo(f"  {stats.versions} articles read the same, given the current extractor version or capture")
    if stats.no_capture:
        click.echo(f"  {stats.no_capture} articles without a capture (archived before captures were kept)")
    if stats.not_article:
        click.echo(f"  {stats.not_article} captures no longer read as an article (left as they were)")
    for problem in stats.problems:
        click.echo(f"  missing: {problem}")


COMMANDS = [import_command, reextract_command]
