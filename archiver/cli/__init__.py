"""The ``archiver`` command: crawl, check, runs, demo, extract, query, search, export, show,
stats and serve; enqueue and drain for a distributed crawl (Redis).

Exit codes: 0 success; 1 the crawl fetched nothing (every start page failed), a file could not
be read, a query was refused, ``archiver check`` found problems or ``serve`` cannot listen;
2 usage errors (a bad option, -s setting, URL, path or sources file), as click reports them, and a
--db file that is not an archive this archiver can use (``archiver.cli.archivefile``: empty, not
SQLite, another program's database, a newer archive), in one line; 3 another run holds the lock
on the sources file or the archive.
"""

from __future__ import annotations

import base64
import csv
import importlib
import io
import json
import os
import shlex
import shutil
import sqlite3
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from archiver import __version__
from archiver.archive import queries
from archiver.archive.export import ExportFilters, count_articles, export, export_stream
from archiver.archive.runs import format_report, list_runs
from archiver.cli.archivefile import check_usable, check_writable, reading
from archiver.crawl.lock import AlreadyRunning, RunLock
from archiver.crawl.progress import counting
from archiver.crawl.sources import Source, SourcesError, load_sources
from archiver.demo import ORIGIN as DEMO_ORIGIN
from archiver.demo import PORT as DEMO_PORT
from archiver.demo import SITE_DIR, SiteServer
from archiver.settings import SettingError, check_overrides, check_settings, read_setting

# The crawling machinery (Scrapy, Twisted, lxml, Redis) is imported inside the commands that
# crawl or extract, so that `--help` and the commands that only read the archive start fast.
if TYPE_CHECKING:
    from archiver.crawl.runner import CrawlReport, RunReport

#: Settings for crawling a server on this machine: no politeness delay is needed.
LOCAL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "True"}


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
    """Check the settings now, as declared in archiver.settings: a bad value given with -s fails
    before anything is created, naming the setting; so does a bad site profile, naming the file."""
    from archiver.crawl.runner import build_settings

    settings = build_settings(Path("archive.db"), Path("exports"), overrides, None)
    try:
        check_overrides(overrides)
        check_settings(settings)
    except SettingError as exc:
        raise click.UsageError(str(exc)) from None
    _check_profiles(read_setting(settings, "ARCHIVER_PROFILES_DIR") or None)


def _check_profiles(folder: str | None) -> None:
    """Read the site profiles now, so a bad file fails before any fetch, naming the file."""
    from archiver.extract import ProfileError, load_profiles

    try:
        load_profiles(folder or None)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def _sqlite_utils() -> str:
    """How to call sqlite-utils from here: on PATH, or beside this Python (a virtual environment)."""
    if shutil.which("sqlite-utils"):
        return "sqlite-utils"
    beside = Path(sys.executable).with_name("sqlite-utils")
    if not beside.is_relative_to(Path.cwd()):
        return str(beside)
    relative = os.path.relpath(beside)
    return relative if os.sep in relative else os.path.join(os.curdir, relative)  # not looked up on PATH


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
    from archiver.cli.distributed import crawl_as_worker, start_urls
    from archiver.crawl.runner import run_crawl

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


def _profile_names(folder: str | None) -> set[str]:
    """The names of the site profiles at hand (archiver's and the folder's); a bad file is a usage error."""
    from archiver.extract import ProfileError, load_profiles

    try:
        return {p.name for p in load_profiles(folder or None)}
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def _load_sources(path: Path, folder: str | None) -> list[Source]:
    try:
        return load_sources(path, _profile_names(folder))
    except SourcesError as exc:
        raise click.UsageError("\n".join(exc.problems)) from exc


def _crawl_sources(
    path: Path, db: Path, exports: Path, state_dir: Path | None, overrides: dict[str, str], verbose: bool
) -> None:
    from archiver.crawl.runner import build_settings, run_sources

    _check_settings(overrides)
    settings = build_settings(db, exports, overrides, None)
    sources = _load_sources(path, read_setting(settings, "ARCHIVER_PROFILES_DIR") or None)
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
@click.argument("sources_file", metavar="SOURCES", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@profiles_option
def check(sources_file: Path, profiles_dir: Path | None) -> None:
    """Check a sources file: print every problem once, at its line (exit 1), or what it would crawl."""
    try:
        sources = load_sources(sources_file, _profile_names(str(profiles_dir) if profiles_dir else None))
    except SourcesError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise CommandFailed(f"{len(exc.problems)} problem(s) in {sources_file}") from None
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
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Runs to list.")
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
@click.option(
    "--port",
    default=DEMO_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to serve the demo site on (a busy one falls back to a free one; the archived URLs do not change).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on stderr.")
def demo(db: Path, exports: Path, port: int, verbose: bool) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the archive.

    The site is crawled as http://demo-gazette.example/ (its server answers for that name), so its
    articles keep the same URLs from run to run, whatever port serves them.
    """
    from archiver.crawl.runner import run_crawl

    check_writable(db)
    with SiteServer(SITE_DIR, port=port) as server:
        click.echo(f"serving the demo site at {server.url}, crawled as {DEMO_ORIGIN}")
        overrides = {**LOCAL_SETTINGS, "ARCHIVER_DEMO_SERVER": server.url}
        report = run_crawl([DEMO_ORIGIN], db, exports, overrides, log_dir=None if verbose else Path("logs"))
    click.echo(_summary(report))
    sql = (
        "SELECT a.title, c.number, c.author, c.published FROM comments c "
        "JOIN articles a ON a.id = c.article_id ORDER BY a.id, c.number"
    )
    click.echo(f"\nTry:\n  {shlex.join([_sqlite_utils(), str(db), sql, '--table'])}")
    if report.pages == 0:
        raise CommandFailed("the demo crawl fetched nothing; see the log")


class IsoTime(click.ParamType):
    """An ISO 8601 time (2024-05-01T12:00:00+02:00, ...Z, or a date); without an offset, UTC."""

    name = "ISO-TIME"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            when = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time, such as 2024-05-01T12:00:00Z", param, ctx)
        return when if when.tzinfo else when.replace(tzinfo=UTC)


def _url_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from archiver.urls import is_http_url

    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"{value!r} is not an absolute http:// or https:// URL")
    return value


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--url",
    default=None,
    callback=_url_option,
    help="The URL the page was saved from (default: its file: URL).",
)
@click.option(
    "--fetched-at",
    type=IsoTime(),
    default=None,
    help="When the page was fetched (ISO 8601; UTC without an offset). Without it, fetched_at is null"
    ' and relative dates ("2 hours ago") are read against the current time.',
)
@profiles_option
def extract(files: tuple[Path, ...], url: str | None, fetched_at: datetime | None, profiles_dir: Path | None) -> None:
    """Print what would be archived from saved pages, one JSON object per line.

    A field that is absent is null and has no provenance. A page that cannot be read is reported
    as `archiver: FILE: problem` on stderr and the others are still extracted (exit code 1).
    """
    from archiver.extract import NotHTMLError, ProfileError, extract_article, load_profiles

    try:
        profiles = load_profiles(str(profiles_dir) if profiles_dir else None)
    except ProfileError as exc:
        click.echo(f"archiver: {exc}", err=True)
        sys.exit(2)
    failed = False
    for path in files:
        try:
            html = path.read_bytes()
            article = extract_article(html, url or path.resolve().as_uri(), fetched_at, profiles=profiles)
        except (NotHTMLError, OSError) as exc:
            click.echo(f"archiver: {path}: {_problem(exc)}", err=True)
            failed = True
            continue
        click.echo(json.dumps(asdict(article), ensure_ascii=False))
    if failed:
        sys.exit(1)


def _problem(exc: Exception) -> str:
    """What went wrong reading a file, without repeating its name."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a saved page"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


#: The output formats of `archiver query`, as sqlite-utils names them.
QUERY_FORMATS = ("table", "json", "nl", "csv", "tsv")


@cli.command()
@click.argument("sql")
@read_db_option
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


@cli.command()
@click.argument("terms")
@read_db_option
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (one article per line) or one JSON array.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published on or before this date.")
@click.option("--domain", help="Articles of this host and its subdomains.")
@click.option(
    "--with-comments/--no-comments", default=True, show_default=True, help="Nest each article's reader comments."
)
@click.option("--with-revisions", is_flag=True, help="Add each article's earlier versions.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Data file (default under exports/); - writes the data to standard output, without a manifest.",
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
    """
    path = output or Path("exports") / f"archive-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.{fmt}"
    to_stdout = str(path) == "-"
    if path.exists() and not force and not to_stdout:
        raise click.UsageError(f"{path} exists; use --force to replace it")
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
    provenance = article["provenance"] or {}
    for name in ("title", "authors", "published", "modified", "language", "comments_status"):
        source = f"  [{provenance[name]}]" if name in provenance else ""
        click.echo(f"{name}: {_text(article[name])}{source}")
    click.echo(
        f"urls: {', '.join(article['urls'])}\nfirst seen {article['first_seen']}, last seen {article['last_seen']}"
    )
    for revision in article["revisions"]:
        click.echo(f"revision replaced {revision['replaced_at']}: {_text(revision['title'])}")
    click.echo(f"\n{article['body'] or '(no body text)'}\n\n{len(article['comments'])} comments")
    for depth, comment in queries.thread(article["comments"]):
        pad = "    " * depth
        gone = " (deleted)" if comment.get("deleted") else ""
        who = comment["author"] or "(no name)"
        click.echo(f"{pad}({comment['number']}) {who} — {comment['published'] or 'undated'}{gone}")
        for line in (comment["body"] or "").splitlines():
            click.echo(f"{pad}    {line}")


def _text(value: object) -> str:
    """A field as a person reads it: names joined, "-" when absent."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


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
    from archiver.datasette import server as serving

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


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="archiver")
