"""The ``archiver`` command: crawl, check, runs, demo, extract, query, search, export, show,
stats and serve; enqueue and drain for a distributed crawl (Redis).

Exit codes: 0 success; 1 the crawl fetched nothing (every start page failed), a file could not
be read, a query was refused, ``archiver check`` found problems or ``serve`` cannot listen;
2 usage errors (a bad option, URL, path or sources file), as click reports them, and a --db file
that is not an archive this archiver can use (``archiver.cli_archive``: empty, not SQLite, another
program's database, a newer archive), in one line; 3 another run holds the lock on the sources
file or the archive.
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
from archiver.archive import queries
from archiver.archive.export import ExportFilters, count_articles, export
from archiver.archive.runs import format_report, list_runs
from archiver.cli_archive import check_usable, check_writable, reading
from archiver.crawl import CrawlReport, RunReport, build_settings, run_crawl, run_sources
from archiver.demo import SITE_DIR, SiteServer
from archiver.distributed.commands import crawl_as_worker, drain_command, enqueue_command, start_urls
from archiver.extract import NotHTMLError, ProfileError, extract_article, load_profiles
from archiver.lock import AlreadyRunning, RunLock
from archiver.progress import check_mode, counting
from archiver.sources import Source, SourcesError, load_sources
from archiver.workers import ExtractionWorkers, extract_processes

#: Settings for crawling a server on this machine: no politeness delay is needed.
LOCAL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "True"}
DEMO_PORT = 8642


class CommandFailed(click.ClickException):
    """The command ran but could not do its job (nothing fetched, a query refused): exit code 1."""

    exit_code = 1


class Locked(click.ClickException):
    """Another run holds the lock: exit code 3, so a scheduler can tell it from a failure."""

    exit_code = 3


def _parse_set(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="-s/--set")
        overrides[name.strip()] = setting
    return overrides


def _check_settings(overrides: dict[str, str]) -> None:
    """Check archiver's own settings now: a bad value fails before any fetch, naming the setting."""
    settings = build_settings(Path("archive.db"), Path("exports"), overrides, None)
    numbers: dict[str, float] = {}
    names = (
        "ARCHIVER_EXTRACT_TIMEOUT",
        "ARCHIVER_ARCHIVE_BATCH_SIZE",
        "ARCHIVER_PROGRESS_INTERVAL",
        "ARCHIVER_RETRY_AFTER_MAX",
    )
    for name in names:
        try:
            numbers[name] = settings.getfloat(name)
        except ValueError:
            raise click.UsageError(f"{name} must be a number, not {settings.get(name)!r}") from None
    try:
        processes = extract_processes(settings.get("ARCHIVER_EXTRACT_PROCESSES"))
        ExtractionWorkers(processes, numbers["ARCHIVER_EXTRACT_TIMEOUT"])
        if numbers["ARCHIVER_ARCHIVE_BATCH_SIZE"] < 1:
            raise ValueError("ARCHIVER_ARCHIVE_BATCH_SIZE must be at least 1")
        if numbers["ARCHIVER_PROGRESS_INTERVAL"] <= 0:
            raise ValueError("ARCHIVER_PROGRESS_INTERVAL must be more than 0")
        check_mode(settings.get("ARCHIVER_PROGRESS"))
        if numbers["ARCHIVER_RETRY_AFTER_MAX"] < 0:
            raise ValueError("ARCHIVER_RETRY_AFTER_MAX must be 0 or more seconds")
        try:
            settings.getbool("ARCHIVER_DISK_QUEUE")
        except ValueError:
            raise ValueError(
                f"ARCHIVER_DISK_QUEUE must be true or false, not {settings.get('ARCHIVER_DISK_QUEUE')!r}"
            ) from None
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
        f"{report.stat('archiver/archive/articles_unchanged')} unchanged, "
        f"{report.stat('archiver/conditional/not_modified')} not modified (304); "
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
    help="SQLite archive to write (created in a new or empty file; another program's database is refused).",
)
read_db_option = click.option(
    "--db",
    "db",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite archive to read.",
)
profiles_option = click.option(
    "--profiles",
    "profiles_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of site profiles of your own (as ARCHIVER_PROFILES_DIR).",
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
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A sources file (TOML): a scheduled, incremental run of its sites. See `archiver check`.",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where a --sources run keeps its job folders for resuming [default: <db>.jobs/<sources name>].",
)
@db_option
@exports_option
@click.option(
    "--depth",
    default=None,
    type=click.IntRange(0, 100),
    help="Links to follow from a start page (0: start pages only) [default: 3; a sources file sets its own].",
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
    sources_file: Path | None,
    state_dir: Path | None,
    db: Path,
    exports: Path,
    depth: int | None,
    settings: tuple[str, ...],
    verbose: bool,
    redis_url: str | None,
) -> None:
    """Crawl URLS and the article pages they link to on the same sites.

    With --sources FILE, run the sites of a sources file instead: read their feeds and sitemaps,
    fetch only what is new, changed or due again (conditional requests, recrawl policy), resume
    an interrupted run, and refuse to start while another run holds the lock (exit code 3).
    """
    if sources_file is not None:
        if urls or urls_file:
            raise click.UsageError("give URLs or --sources, not both")
        overrides = _parse_set(settings)
        if depth is not None:
            overrides["DEPTH_LIMIT"] = str(depth)
        if redis_url or overrides.get("ARCHIVER_REDIS_URL"):
            raise click.UsageError(
                "--sources runs on this machine; for a distributed crawl, `archiver enqueue --sources FILE`"
                " and start the workers with `archiver crawl --redis URL`"
            )
        _crawl_sources(sources_file, db, exports, state_dir, overrides, verbose)
        return
    overrides = {"DEPTH_LIMIT": str(3 if depth is None else depth), **_parse_set(settings)}
    redis_url = redis_url or overrides.get("ARCHIVER_REDIS_URL")
    if redis_url:
        _check_settings(overrides)
        crawl_as_worker(redis_url, start_urls(urls, urls_file), overrides, log_dir=None if verbose else Path("logs"))
        return
    start = start_urls(urls, urls_file)
    if not start:
        raise click.UsageError("give at least one URL (or --urls-file)")
    _check_settings(overrides)
    check_writable(db)
    report = run_crawl(start, db, exports, overrides, log_dir=None if verbose else Path("logs"))
    click.echo(_summary(report))
    if report.pages == 0:
        reason = report.failures[0] if report.failures else "no response"
        raise CommandFailed(f"nothing fetched: {reason}")


def _load_sources(path: Path) -> list[Source]:
    try:
        return load_sources(path)
    except SourcesError as exc:
        raise click.UsageError("\n".join(exc.problems)) from exc


def _check_source_profiles(sources: list[Source], path: Path, folder: str | None) -> None:
    names = {p.name for p in load_profiles(folder or None)}
    for source in sources:
        if source.profile and source.profile not in names:
            raise click.UsageError(f"{path}: site {source.name!r}: no site profile named {source.profile!r}")


def _crawl_sources(
    path: Path, db: Path, exports: Path, state_dir: Path | None, overrides: dict[str, str], verbose: bool
) -> None:
    sources = _load_sources(path)
    _check_settings(overrides)
    settings = build_settings(db, exports, overrides, None)
    _check_source_profiles(sources, path, settings.get("ARCHIVER_PROFILES_DIR") or None)
    state = state_dir or db.with_name(f"{db.name}.jobs") / path.stem
    check_usable(db)  # before the lock file is made beside it
    try:
        with RunLock(path, db):
            check_writable(db)
            report = run_sources(sources, db, state, exports, overrides, log_dir=None if verbose else Path("logs"))
    except AlreadyRunning as exc:
        raise Locked(str(exc)) from exc
    click.echo(_run_summary(report))
    if all(c.pages == 0 for c in report.crawls.values()):
        raise CommandFailed("nothing fetched from any source; see the log")


def _run_summary(report: RunReport) -> str:
    lines = [f"run {report.run_id}: {format_report(report.total)}"]
    for name, crawl in report.crawls.items():
        reason = crawl.stats.get("finish_reason", "?")
        state = "" if reason == "finished" else f" [{reason}: resumes on the next run]"
        lines.append(f"  {name}: {format_report(crawl.report)}{state}")
    if report.resumed:
        lines.append(f"  resumed where the last run stopped: {', '.join(report.resumed)}")
    if report.discarded:
        lines.append(f"  the last run was killed; started over (the archive kept what it wrote): "
                     f"{', '.join(report.discarded)}")  # fmt: skip
    failures = [f for c in report.crawls.values() for f in c.failures]
    if failures:
        lines.append(f"  {len(failures)} fetches failed, first: {failures[0]}")
    first = next(iter(report.crawls.values()), None)
    if first is not None and first.log_path:
        lines.append(f"  log: {first.log_path}")
    return "\n".join(lines)


@cli.command()
@click.argument("sources_file", metavar="SOURCES", type=click.Path(dir_okay=False, path_type=Path))
@profiles_option
def check(sources_file: Path, profiles_dir: Path | None) -> None:
    """Check a sources file: print every problem with its line (exit 1), or what it would crawl."""
    try:
        sources = load_sources(sources_file)
    except SourcesError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise CommandFailed(f"{len(exc.problems)} problem(s) in {sources_file}") from None
    try:
        _check_source_profiles(sources, sources_file, str(profiles_dir) if profiles_dir else None)
    except click.UsageError as exc:
        click.echo(exc.message, err=True)
        raise CommandFailed(f"1 problem in {sources_file}") from None
    for source in sources:
        click.echo(
            f"{source.name}: {len(source.start_urls)} start URLs, {len(source.sitemaps)} sitemaps"
            f"{' + robots.txt' if source.robots_sitemaps else ''}, {len(source.feeds)} feeds; "
            f"domains {', '.join(source.domains())}; depth {source.depth}, delay {source.delay:g} s, "
            f"concurrency {source.concurrency}; fresh {source.recrawl.fresh_days:g} days, "
            f"then every {source.recrawl.interval_days:g} days"
        )
    click.echo(f"{sources_file}: ok, {len(sources)} site(s)")


@cli.command()
@read_db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def runs(db: Path, limit: int, as_json: bool) -> None:
    """List past runs, newest first, with what each did (new, changed, 304s, errors)."""
    with reading(db) as conn:
        found = list_runs(conn, limit)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no runs yet")
    for run in found:
        status = ", ".join(run["reasons"]) if run["finished"] else "not finished (running, or killed)"
        click.echo(f"{run['run']}  started {run['started']}  {status}")
        click.echo(f"  {format_report(run['total'])}")
        if len(run["crawls"]) > 1 or run["crawls"][0]["source"]:
            for crawl in run["crawls"]:
                click.echo(f"    {crawl['source'] or crawl['crawl']}: {format_report(crawl)}")


@cli.command()
@db_option
@exports_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on stderr.")
def demo(db: Path, exports: Path, verbose: bool) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the archive."""
    check_writable(db)
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
@profiles_option
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
    with reading(db) as conn:
        try:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        except sqlite3.Error as exc:
            raise CommandFailed(f"query refused: {exc}") from exc
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
    with reading(db) as conn:
        hits = queries.search(conn, terms, comments=comments, limit=limit, filters=filters)
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
    with reading(db) as conn:
        try:
            with counting("exporting articles", count_articles(conn, filters)) as advance:
                result = export(conn, path, fmt, filters, advance=advance)
        except OSError as exc:
            raise CommandFailed(f"cannot write {path}: {exc}") from exc
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
    with reading(db) as conn:
        article = queries.find_article(conn, key)
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


@cli.command()
@read_db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(db: Path, host: str, port: int) -> None:
    """Browse the archive in Datasette (read-only), with titles, full-text search and canned queries."""
    from archiver import serve as serving

    with reading(db):
        pass  # an archive this archiver can read, checked before Datasette opens it
    try:
        serving.check_port(host, port)
    except OSError as exc:
        raise CommandFailed(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach this port can read the archive", err=True)
    click.echo(f"serving {db} read-only at http://{host}:{port}/ (Ctrl-C to stop)")
    serving.serve(db, host, port)


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
