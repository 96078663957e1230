"""The ``archiver`` command: crawl, demo, extract, query, search and export; enqueue and drain (Redis).

Exit codes: 0 success; 1 the crawl fetched nothing (every start page failed) or a file could not
be read; 2 usage errors (a bad option, URL or path), as click reports them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click

from archiver import __version__
from archiver.archive import Archive, ArchiveError, open_read_only, queries
from archiver.archive.export import ExportFilters, export
from archiver.crawl import CrawlReport, build_settings, run_crawl
from archiver.demo import SITE_DIR, SiteServer
from archiver.distributed.commands import crawl_as_worker, drain_command, enqueue_command, start_urls
from archiver.extract import NotHTMLError, ProfileError, extract_article, load_profiles
from archiver.spiders.articles import read_urls_file
from archiver.urls import is_http_url
from archiver.workers import ExtractionWorkers

#: Settings for crawling a server on this machine: no politeness delay is needed.
LOCAL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "True"}
DEMO_PORT = 8642


class CommandFailed(click.ClickException):
    """The command ran but could not do its job (nothing fetched, a query refused): exit code 1."""

    exit_code = 1


def _parse_set(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="-s/--set")
        overrides[name.strip()] = setting
    return overrides


def _check_archive(path: Path) -> None:
    """Open (create or migrate) the archive now, so a bad path fails before any fetch."""
    try:
        Archive(path).close()
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc


def _check_settings(overrides: dict[str, str]) -> None:
    """Check archiver's own settings now: a bad value fails before any fetch, naming the setting."""
    settings = build_settings(Path("archive.db"), Path("exports"), overrides, None)
    numbers: dict[str, float] = {}
    for name in ("ARCHIVER_EXTRACT_PROCESSES", "ARCHIVER_EXTRACT_TIMEOUT", "ARCHIVER_ARCHIVE_BATCH_SIZE"):
        try:
            numbers[name] = settings.getfloat(name)
        except ValueError:
            raise click.UsageError(f"{name} must be a number, not {settings.get(name)!r}") from None
    try:
        ExtractionWorkers(int(numbers["ARCHIVER_EXTRACT_PROCESSES"]), numbers["ARCHIVER_EXTRACT_TIMEOUT"])
        if numbers["ARCHIVER_ARCHIVE_BATCH_SIZE"] < 1:
            raise ValueError("ARCHIVER_ARCHIVE_BATCH_SIZE must be at least 1")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    _check_profiles(settings.get("ARCHIVER_PROFILES_DIR") or None)


def _check_profiles(folder: str | None) -> None:
    """Read the site profiles now, so a bad file fails before any fetch, naming the file."""
    try:
        load_profiles(folder or None)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def _sqlite_utils() -> str:
    """How to call sqlite-utils from here: on PATH, or beside this Python (a virtual environment)."""
    if shutil.which("sqlite-utils"):
        return "sqlite-utils"
    beside = Path(sys.executable).with_name("sqlite-utils")
    return os.path.relpath(beside) if beside.is_relative_to(Path.cwd()) else str(beside)


def _summary(report: CrawlReport) -> str:
    lines = [
        f"crawl {report.crawl_id}: {report.pages} pages fetched, {report.stat('item_scraped_count')} articles kept",
        f"  archive: {report.archive_path} "
        f"(+{report.stat('archiver/archive/articles_inserted')} new articles, "
        f"{report.stat('archiver/archive/articles_changed')} changed, "
        f"{report.stat('archiver/archive/articles_unchanged')} unchanged; "
        f"+{report.stat('archiver/archive/comments_inserted')} new comments, "
        f"{report.stat('archiver/archive/comments_changed')} edited, "
        f"{report.stat('archiver/archive/comments_deleted')} deleted)",
        f"  JSON Lines: {report.export_path}",
    ]
    if report.failures:
        lines.append(f"  {len(report.failures)} fetches failed, first: {report.failures[0]}")
    if report.log_path:
        lines.append(f"  log: {report.log_path}")
    return "\n".join(lines)


db_option = click.option(
    "--db",
    "db",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite archive to write.",
)
read_db_option = click.option(
    "--db",
    "db",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite archive to read.",
)
exports_option = click.option(
    "--exports",
    default="exports",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the crawl's JSON Lines file.",
)


@click.group()
@click.version_option(__version__, prog_name="archiver")
def cli() -> None:
    """archiver: crawl article pages and their reader comments into a SQLite archive."""


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--urls-file", type=click.Path(dir_okay=False, path_type=Path), help="File with one start URL per line.")
@db_option
@exports_option
@click.option(
    "--depth",
    default=3,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Links to follow from a start page (0: start pages only).",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy or ARCHIVER_* setting (repeatable).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on stderr instead of writing it under logs/.")
@click.option(
    "--redis",
    "redis_url",
    envvar="ARCHIVER_REDIS_URL",
    metavar="URL",
    help="Be a worker of the distributed crawl in this Redis (redis://HOST:PORT/DB); URLS, if any, are enqueued.",
)
def crawl(
    urls: tuple[str, ...],
    urls_file: Path | None,
    db: Path,
    exports: Path,
    depth: int,
    settings: tuple[str, ...],
    verbose: bool,
    redis_url: str | None,
) -> None:
    """Crawl URLS and the article pages they link to on the same sites."""
    overrides = {"DEPTH_LIMIT": str(depth), **_parse_set(settings)}
    redis_url = redis_url or overrides.get("ARCHIVER_REDIS_URL")
    if redis_url:
        _check_settings(overrides)
        crawl_as_worker(redis_url, start_urls(urls, urls_file), overrides, log_dir=None if verbose else Path("logs"))
        return
    start = list(urls)
    if urls_file is not None:
        try:
            start += read_urls_file(str(urls_file))
        except (OSError, UnicodeDecodeError) as exc:
            raise click.UsageError(f"cannot read --urls-file {urls_file}: {exc}") from exc
    if not start:
        raise click.UsageError("give at least one URL (or --urls-file)")
    for url in start:
        if not is_http_url(url):
            raise click.UsageError(f"invalid URL {url!r}: expected an absolute http:// or https:// URL")
    _check_settings(overrides)
    _check_archive(db)
    report = run_crawl(start, db, exports, overrides, log_dir=None if verbose else Path("logs"))
    click.echo(_summary(report))
    if report.pages == 0:
        reason = report.failures[0] if report.failures else "no response"
        raise CommandFailed(f"nothing fetched: {reason}")


@cli.command()
@db_option
@exports_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on stderr.")
def demo(db: Path, exports: Path, verbose: bool) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the archive."""
    _check_archive(db)
    with SiteServer(SITE_DIR, port=DEMO_PORT) as server:
        click.echo(f"serving the demo site at {server.url}")
        report = run_crawl([server.url], db, exports, dict(LOCAL_SETTINGS), log_dir=None if verbose else Path("logs"))
    click.echo(_summary(report))
    click.echo(
        "\nTry:\n"
        f'  sqlite-utils {db} "SELECT a.title, c.number, c.author, c.published FROM comments c '
        'JOIN articles a ON a.id = c.article_id ORDER BY a.id, c.number" --table'
    )
    if report.pages == 0:
        raise CommandFailed("the demo crawl fetched nothing; see the log")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The URL the page was saved from (default: its file: URL).")
@click.option(
    "--profiles",
    "profiles_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of site profiles of your own (as ARCHIVER_PROFILES_DIR).",
)
def extract(files: tuple[Path, ...], url: str | None, profiles_dir: Path | None) -> None:
    """Print what would be archived from saved pages, one JSON object per line."""
    _check_profiles(str(profiles_dir) if profiles_dir else None)
    profiles = load_profiles(str(profiles_dir) if profiles_dir else None)
    failed = False
    for path in files:
        try:
            article = extract_article(path.read_bytes(), url or path.resolve().as_uri(), profiles=profiles)
        except (NotHTMLError, OSError) as exc:
            click.echo(f"archiver: {path}: {exc}", err=True)
            failed = True
            continue
        click.echo(json.dumps(asdict(article), ensure_ascii=False))
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("sql")
@read_db_option
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--param", "-p", "params", multiple=True, help="A value for the next ? in the query (repeatable).")
def query(sql: str, db: Path, output: str, params: tuple[str, ...]) -> None:
    """Run SQL on the archive, read-only: SQLite refuses any statement that would write."""
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        cursor = conn.execute(sql, params)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except sqlite3.Error as exc:
        raise CommandFailed(f"query refused: {exc}") from exc
    finally:
        conn.close()
    _print_rows(names, rows, output)


@cli.command()
@click.argument("terms")
@read_db_option
@click.option("--comments", is_flag=True, help="Search reader comments instead of articles.")
@click.option("--domain", help="Articles of this host and its subdomains.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or before this date.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
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
    filters = ExportFilters(
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        domain=domain,
    )
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        hits = queries.search(conn, terms, comments=comments, limit=limit, filters=filters)
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=1))
        return
    for hit in hits:
        who = f" #{hit['number']} {hit['author']}" if comments else ""
        snippet = " ".join(str(hit["snippet"]).split())
        click.echo(f"{hit['title']}{who} ({hit['published'] or 'undated'}) {hit['url']}\n    {snippet}")


@cli.command(name="export")
@read_db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or before this date.")
@click.option("--domain", help="Articles of this host and its subdomains.")
@click.option("--with-comments/--no-comments", default=True, show_default=True)
@click.option("--with-revisions", is_flag=True, help="Add each article's earlier versions.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Data file (default under exports/)."
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
    """Write a dataset of the archive (streamed, any size) with a manifest beside it."""
    path = output or Path("exports") / f"archive-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.{fmt}"
    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; use --force to replace it")
    filters = ExportFilters(
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        domain=domain,
        comments=with_comments,
        revisions=with_revisions,
    )
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        result = export(conn, path, fmt, filters)
    except OSError as exc:
        raise CommandFailed(f"cannot write {path}: {exc}") from exc
    finally:
        conn.close()
    counts = result.counts
    click.echo(
        f"{counts['articles']} articles, {counts['comments']} comments, {counts['revisions']} revisions -> "
        f"{result.path} (manifest {result.manifest})"
    )


@cli.command()
@click.argument("key", metavar="URL|ID")
@read_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show(key: str, db: Path, as_json: bool) -> None:
    """One article with its comments as a thread, its revisions and its fields' provenance."""
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        article = queries.find_article(conn, key)
    finally:
        conn.close()
    if article is None:
        raise CommandFailed(f"no article {key!r} in {db}")
    if as_json:
        click.echo(json.dumps(article, ensure_ascii=False, indent=1))
        return
    provenance = json.loads(article["provenance"] or "{}")
    for name in ("title", "authors", "published", "modified", "language", "comments_status"):
        source = f"  [{provenance[name]}]" if name in provenance else ""
        click.echo(f"{name}: {article[name]}{source}")
    click.echo(
        f"urls: {', '.join(article['urls'])}\nfirst seen {article['first_seen']}, last seen {article['last_seen']}"
    )
    for revision in article["revisions"]:
        click.echo(f"revision replaced {revision['replaced_at']}: {revision['title']}")
    click.echo(f"\n{article['body']}\n\n{len(article['comments'])} comments")
    for depth, comment in queries.thread(article["comments"]):
        pad = "    " * depth
        gone = " (deleted)" if comment.get("deleted") else ""
        click.echo(f"{pad}({comment['number']}) {comment['author']} — {comment['published'] or 'undated'}{gone}")
        for line in (comment["body"] or "").splitlines():
            click.echo(f"{pad}    {line}")


@cli.command(name="stats")
@read_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def stats_command(db: Path, as_json: bool) -> None:
    """Articles by domain and by month, comments per article, and how many articles have each field."""
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        figures = queries.stats(conn)
    finally:
        conn.close()
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


cli.add_command(enqueue_command)
cli.add_command(drain_command)


def _print_rows(names: list[str], rows: list[tuple[object, ...]], output: str) -> None:
    if output == "json":
        click.echo(json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False, indent=1))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo("\t".join(names))
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="archiver")
