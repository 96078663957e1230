"""The commands that read the archive: query, search, show, stats and export (none imports Scrapy)."""

from __future__ import annotations

import base64
import csv
import io
import itertools
import json
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from archiver.archive import queries
from archiver.archive.export import ExportFilters, count_articles, export, export_stream
from archiver.cli.archivefile import reading
from archiver.cli.common import CommandFailed, db_option
from archiver.crawl.progress import counting

#: The output formats of `archiver query`, as sqlite-utils names them.
QUERY_FORMATS = ("table", "json", "nl", "csv", "tsv")


@click.command()
@click.argument("sql")
@db_option("SQLite archive to read.")
@click.option("-t", "--table", "as_table", is_flag=True, help="An aligned table (the default); NULL shows as NULL.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of objects, one per row.")
@click.option("--nl", "as_nl", is_flag=True, help="Newline-delimited JSON: one object per line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--tsv", "as_tsv", is_flag=True, help="Tab-separated values with a header row.")
@click.option(
    "--format", "output", type=click.Choice(QUERY_FORMATS), help="The output format by name (as the flags above)."
)
@click.option("--param", "-p", "params", multiple=True, help="A value for the next ? in the query (repeatable).")
def query(
    sql: str,
    db: Path,
    as_table: bool,
    as_json: bool,
    as_nl: bool,
    as_csv: bool,
    as_tsv: bool,
    output: str | None,
    params: tuple[str, ...],
) -> None:
    """Run SQL on the archive, read-only: SQLite refuses any statement that would write.

    Refused before SQLite runs them, so no file is created: ATTACH, VACUUM (INTO), DETACH,
    PRAGMAs other than reads of the schema and settings, and load_extension().
    """
    flags = zip(QUERY_FORMATS, (as_table, as_json, as_nl, as_csv, as_tsv), strict=True)
    chosen = {name for name, on in flags if on} | ({output} if output else set())
    if len(chosen) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(sorted(chosen))}")
    with reading(db) as conn:
        try:
            names, rows = queries.read_query(conn, sql, params)
        except (queries.QueryRefused, sqlite3.Error) as exc:
            raise CommandFailed(f"query refused: {exc}") from exc
    _print_rows(names, rows, chosen.pop() if chosen else "table")


@click.command()
@click.argument("terms")
@db_option("SQLite archive to read.")
@click.option("--comments", is_flag=True, help="Search reader comments instead of articles.")
@click.option("--domain", help="Articles of this host and its subdomains.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or before this date.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Matches to print.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def search(
    terms: str,
    db: Path,
    comments: bool,
    domain: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of the archive (diacritics ignored), best matches first, with snippets."""
    check_dates(since, until)
    filters = ExportFilters(
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        domain=domain,
    )
    with reading(db) as conn:
        hits = queries.search(conn, terms, comments=comments, limit=limit, filters=filters)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=1))
        return
    for hit in hits:
        who = f" #{hit['number']} {hit['author']}" if comments else ""
        snippet = " ".join(str(hit["snippet"]).split())
        click.echo(f"{hit['title']}{who} ({hit['published'] or 'undated'}) {hit['url']}\n    {snippet}")


@click.command(name="export")
@db_option("SQLite archive to read.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "wacz"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (one article per line), one JSON array, or wacz: the articles' raw captures as a WACZ "
    "file to open in ReplayWeb.page or pywb.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or before this date.")
@click.option("--domain", help="Articles of this host and its subdomains.")
@click.option(
    "--with-comments/--no-comments",
    default=True,
    show_default=True,
    help="Nest each article's reader comments (wacz: add its comment pages' captures).",
)
@click.option("--with-revisions", is_flag=True, help="Add each article's earlier versions (wacz: their captures).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Data file (default under exports/); - writes the data to standard output, without a manifest "
    "(not for wacz: a ZIP file needs a file it can seek in).",
)
@click.option("--force", is_flag=True, help="Replace an existing data file.")
def export_command(
    db: Path,
    fmt: str,
    since: datetime | None,
    until: datetime | None,
    domain: str | None,
    with_comments: bool,
    with_revisions: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Write a dataset of the archive (streamed, any size) with a manifest beside it.

    With -o -, the data goes to standard output and no manifest is written (it describes a file);
    the progress and the closing summary go to stderr.

    With --format wacz, the selected articles' raw captures (their pages, comment pages, the other
    fetches of their URLs, and with --with-revisions their earlier versions) are packaged as one
    WACZ file (WARC records copied as they are, a CDXJ index, pages.jsonl, datapackage.json) to
    open in ReplayWeb.page or pywb; articles archived without a capture are counted and left out.
    """
    check_dates(since, until)
    to_stdout = str(output) == "-"
    if to_stdout and fmt == "wacz":
        raise click.UsageError("--format wacz needs a file (-o FILE.wacz): a ZIP file cannot be streamed to a pipe")
    if output is not None and not to_stdout:
        _refuse_the_archive(output, db)
        if output.exists() and not force:
            raise click.UsageError(f"{output} exists; use --force to replace it")
    filters = ExportFilters(
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        domain=domain,
        comments=with_comments,
        revisions=with_revisions,
    )
    with reading(db) as conn:
        if to_stdout:
            _export_to_stdout(conn, fmt, filters)
            return
        if output is not None:
            _refuse_the_captures(conn, output, db)
        path = output or _default_output(fmt)
        try:
            if fmt == "wacz":
                _export_wacz(conn, db, path, filters)
                return
            try:
                with counting("exporting articles", count_articles(conn, filters)) as advance:
                    result = export(conn, path, fmt, filters, advance=advance)
            except OSError as exc:
                raise CommandFailed(f"cannot write {path}: {exc}") from exc
        except BaseException:
            if output is None:  # the reserved name is given back
                _partial(path).unlink(missing_ok=True)
            raise
    counts = result.counts
    click.echo(
        f"{counts['articles']} articles, {counts['comments']} comments, {counts['revisions']} revisions -> "
        f"{result.path} (manifest {result.manifest})"
    )


def check_dates(since: datetime | None, until: datetime | None) -> None:
    """--since after --until selects nothing: a usage error rather than an empty result."""
    if since and until and since > until:
        raise click.UsageError(
            f"--since {since.date().isoformat()} is after --until {until.date().isoformat()}: nothing could match"
        )


def _default_output(fmt: str) -> Path:
    """``exports/archive-<UTC second>.<fmt>``, or ``-2``, ``-3``... after it when that name is taken:
    a name the user did not choose never collides with an earlier export nor with one running now.

    The name is reserved by creating its ``.part`` file (the export writes it, then renames it to
    the name): of two exports at once, one gets it, the other the next serial.
    """
    stem = Path("exports") / f"archive-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandFailed(f"cannot write {stem.parent}: {exc}") from exc
    for serial in itertools.count(1):
        path = stem.with_name(f"{stem.name}{f'-{serial}' if serial > 1 else ''}.{fmt}")
        try:
            os.close(os.open(_partial(path), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            continue  # another export's, running now
        except OSError as exc:
            raise CommandFailed(f"cannot write {path}: {exc}") from exc
        if not any(path.with_name(path.name + suffix).exists() for suffix in ("", ".manifest.json")):
            return path
        _partial(path).unlink()  # an earlier export's (written and renamed since)
    raise AssertionError("unreachable")


def _partial(path: Path) -> Path:
    """The file an export writes before renaming it to ``path``."""
    return path.with_name(path.name + ".part")


def _refuse_the_archive(path: Path, db: Path) -> None:
    """An output that is the archive itself, or its journal (``-wal``, ``-shm``, ``-journal``), is refused."""
    files = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    target = path.resolve()
    for file in files:
        if target == file.resolve() or (path.exists() and file.exists() and os.path.samefile(path, file)):
            raise click.UsageError(f"-o {path}: that is the archive's file {file}; choose another output")


def _refuse_the_captures(conn: sqlite3.Connection, path: Path, db: Path) -> None:
    """An output in the archive's WARC folder (``<archive>.warc/``) or naming a WARC file its captures point
    at (``ARCHIVER_WARC_DIR`` elsewhere) is refused: writing it would lose the raw pages the archive cites."""
    target, base = path.resolve(), db.resolve().parent
    if target.is_relative_to(Path(f"{db.resolve()}.warc")):
        raise click.UsageError(f"-o {path}: that is inside the archive's WARC folder; choose another output")
    names = {str(target), os.path.relpath(target, base)}
    for name in names:
        if conn.execute("SELECT 1 FROM captures WHERE warc_file = ? LIMIT 1", [name]).fetchone():
            raise click.UsageError(
                f"-o {path}: that is a WARC file the archive's captures point at; choose another output"
            )


def _export_wacz(conn: sqlite3.Connection, db: Path, path: Path, filters: ExportFilters) -> None:
    """`export --format wacz`: the captures of the selected articles as one WACZ file."""
    from archiver.warc.wacz import WaczError, count_records, write_wacz

    try:
        with counting("packaging captures", count_records(conn, filters)) as advance:
            result = write_wacz(conn, db, path, filters, advance=advance)
    except WaczError as exc:
        raise CommandFailed(str(exc)) from exc
    except OSError as exc:
        raise CommandFailed(f"cannot write {path}: {exc}") from exc
    left_out = f" ({result.without_capture} without a capture, left out)" if result.without_capture else ""
    click.echo(
        f"{result.articles} articles{left_out}, {result.records} records and {result.requests} requests -> "
        f"{result.path} ({result.bytes} bytes)"
    )


def _export_to_stdout(conn: sqlite3.Connection, fmt: str, filters: ExportFilters) -> None:
    """`export -o -`: the data on stdout (UTF-8, whatever the locale); progress and summary on stderr."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        with counting("exporting articles", count_articles(conn, filters)) as advance:
            counts = export_stream(conn, out, fmt, filters, advance=advance)
        out.flush()
    finally:
        out.detach()  # leave the process's stdout open
    click.echo(
        f"{counts['articles']} articles, {counts['comments']} comments, {counts['revisions']} revisions -> "
        "standard output (no manifest)",
        err=True,
    )


@click.command()
@click.argument("key", metavar="URL|ID")
@db_option("SQLite archive to read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show(key: str, db: Path, as_json: bool) -> None:
    """One article with its comments as a thread, its revisions and its fields' provenance."""
    with reading(db) as conn:
        article = queries.find_article(conn, key)
    if article is None:
        raise CommandFailed(f"no article {key!r} in {db}")
    if as_json:
        click.echo(json.dumps(article, ensure_ascii=False, indent=1))
        return
    provenance = article["provenance"] or {}
    for name in ("title", "authors", "publisher", "published", "modified", "language", "comments_status"):
        source = f"  [{provenance[name]}]" if name in provenance else ""
        click.echo(f"{name}: {_text(article[name])}{source}")
    click.echo(
        f"urls: {', '.join(article['urls'])}\nfirst seen {article['first_seen']}, last seen {article['last_seen']}"
    )
    click.echo(f"extracted by extractor version {_text(article.get('extractor_version'))} from capture: "
               f"{_capture(article.get('capture'))}")  # fmt: skip
    for page in article.get("comment_captures") or []:
        click.echo(f"  comment page {page['url']}: {_capture(page)}")
    for revision in article["revisions"]:
        click.echo(f"revision replaced {revision['replaced_at']}: {_text(revision['title'])}")
        if revision.get("capture"):
            click.echo(f"  from capture: {_capture(revision['capture'])}")
    click.echo(f"\n{article['body'] or '(no body text)'}\n\n{len(article['comments'])} comments")
    for depth, comment in queries.thread(article["comments"]):
        pad = "    " * depth
        gone = " (deleted)" if comment.get("deleted") else ""
        who = comment["author"] or "(no name)"
        click.echo(f"{pad}({comment['number']}) {who} — {comment['published'] or 'undated'}{gone}")
        if comment.get("title"):
            click.echo(f"{pad}    {comment['title']}")
        for line in (comment["body"] or "").splitlines():
            click.echo(f"{pad}    {line}")


def _capture(capture: dict[str, Any] | None) -> str:
    """Where a capture is: its WARC file (relative to the archive's folder), offset and length, digest, date."""
    if not capture:
        return "- (none kept)"
    return (
        f"{capture['warc_file']} at offset {capture['offset']} ({capture['length']} bytes), "
        f"{capture['type']}{'' if capture['status'] is None else ' ' + str(capture['status'])} of "
        f"{capture['fetched_at']}, {capture['payload_digest'] or 'no payload'}"
    )


def _text(value: object) -> str:
    """A field as a person reads it: names joined, "-" when absent."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@click.command(name="stats")
@db_option("SQLite archive to read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def stats_command(db: Path, as_json: bool) -> None:
    """Articles by domain and by month, comments per article, and how many articles have each field."""
    with reading(db) as conn:
        figures = queries.stats(conn)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    per = figures["comments_per_article"]
    click.echo(
        f"{figures['articles']} articles, {figures['comments']} comments ({figures['deleted_comments']} deleted)"
    )
    click.echo(f"comments per article: mean {per['mean']}, max {per['max']}")
    click.echo("share of articles with: " + ", ".join(f"{k} {v:.0%}" for k, v in figures["coverage"].items()))
    click.echo("\nby domain:")
    for row in figures["by_domain"]:
        click.echo(f"  {row['domain']}: {row['articles']} articles, {row['comments']} comments")
    click.echo("by month:")
    for row in figures["by_month"]:
        click.echo(f"  {row['month']}: {row['articles']}")


def _print_rows(names: list[str], rows: list[tuple[object, ...]], output: str) -> None:
    if output in ("json", "nl"):
        keys = _unique(names)
        records = [dict(zip(keys, row, strict=True)) for row in rows]
        if output == "nl":
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False, default=_json_bytes))
        else:
            click.echo(json.dumps(records, ensure_ascii=False, indent=1, default=_json_bytes))
    elif output in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect="excel-tab" if output == "tsv" else "excel")
        writer.writerow(names)
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(_table(names, rows))


def _table(names: list[str], rows: list[tuple[object, ...]]) -> str:
    """An aligned table: a value's lines stay in its cell, numbers right-aligned, NULL shown as NULL."""
    import tabulate  # sqlite-utils' own dependency, as its --table uses it

    def numeric(column: int) -> bool:
        values = [row[column] for row in rows if row[column] is not None]
        return bool(values) and all(isinstance(v, int | float) for v in values)

    cells = [[f"<{len(v)} bytes>" if isinstance(v, bytes) else v for v in row] for row in rows]
    align = ["right" if numeric(n) else "left" for n in range(len(names))]
    return tabulate.tabulate(
        cells, headers=names, tablefmt="simple", missingval="NULL", disable_numparse=True, colalign=align
    )


def _unique(names: list[str]) -> list[str]:
    """Column names as JSON keys: a repeated name gets _2, _3... so no value is lost."""
    keys: list[str] = []
    for name in names:
        key, n = name, 1
        while key in keys:
            n += 1
            key = f"{name}_{n}"
        keys.append(key)
    return keys


def _json_bytes(value: object) -> object:
    """A BLOB in JSON output, as sqlite-utils writes it."""
    if isinstance(value, bytes):
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


COMMANDS = (query, search, export_command, show, stats_command)
