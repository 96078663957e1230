"""The commands that crawl: crawl (local, --sources, a Redis worker), check, runs and demo."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archiver.archive.runs import list_runs
from archiver.cli.archivefile import check_usable, check_writable, reading
from archiver.cli.common import (
    LOCAL_SETTINGS,
    WRITE_DB,
    CommandFailed,
    Locked,
    check_crawl_settings,
    check_folder,
    db_option,
    exports_option,
    load_sources_checked,
    parse_set,
    profile_names,
    profiles_option,
    start_options,
    start_urls,
)
from archiver.crawl.lock import AlreadyRunning, RunLock
from archiver.crawl.sources import SourcesError, load_sources
from archiver.demo import ORIGIN as DEMO_ORIGIN
from archiver.demo import PORT as DEMO_PORT
from archiver.demo import SITE_DIR
from archiver.demo.widgets import live_site
from archiver.settings import read_setting

if TYPE_CHECKING:
    from archiver.crawl.runner import CrawlReport, RunReport

#: How long the demo waits for one page's comments when it renders them (its page whose comment
#: script never loads takes this long).
DEMO_RENDER_SECONDS = 8


def sqlite_utils_command() -> str:
    """How to call sqlite-utils from here: on PATH, or beside this Python (a virtual environment)."""
    if shutil.which("sqlite-utils"):
        return "sqlite-utils"
    beside = Path(sys.executable).with_name("sqlite-utils")
    if not beside.is_relative_to(Path.cwd()):
        return str(beside)
    relative = os.path.relpath(beside)
    return relative if os.sep in relative else os.path.join(os.curdir, relative)  # not looked up on PATH


no_warc_option = click.option(
    "--no-warc",
    is_flag=True,
    help="Keep no raw captures: write no WARC files (as -s ARCHIVER_WARC_ENABLED=False).",
)


def _warc_setting(no_warc: bool) -> dict[str, str]:
    return {"ARCHIVER_WARC_ENABLED": "False"} if no_warc else {}


def _depth_settings(depth: int) -> dict[str, str]:
    """``--depth``: 0 is the start pages only, which Scrapy's DEPTH_LIMIT cannot say (its 0 is no limit)."""
    return {"DEPTH_LIMIT": str(depth), "ARCHIVER_FOLLOW_LINKS": str(depth > 0)}


def check_warc_folder(db: Path, overrides: dict[str, str]) -> None:
    """Refuse now, in one line, a WARC folder the crawl could not write to."""
    from archiver.crawl.runner import build_settings
    from archiver.warc.writer import WarcWriteError, check_folder, warc_folder

    settings = build_settings(db, Path("exports"), overrides, None)
    if not read_setting(settings, "ARCHIVER_WARC_ENABLED"):
        return
    folder, _ = warc_folder(str(db), read_setting(settings, "ARCHIVER_WARC_DIR"))
    try:
        check_folder(folder)
    except WarcWriteError as exc:
        raise CommandFailed(f"{exc} (set ARCHIVER_WARC_DIR, or crawl with --no-warc)") from None


def check_outputs(exports: Path | None, verbose: bool, overrides: dict[str, str], state: Path | None = None) -> None:
    """Refuse now, before the archive is created, an exports, logs or job folder the crawl could not write
    (``-s JOBDIR`` too; no exports folder for a worker: its items go to Redis)."""
    if exports is not None:
        check_folder(exports, "the JSON Lines file")
    if overrides.get("JOBDIR"):
        check_folder(Path(overrides["JOBDIR"]), "the crawl's job folder (JOBDIR)")
    if not verbose:
        check_folder(Path("logs"), "the crawl's log")
    if state is not None:
        check_folder(state, "the run's job folders (--state-dir)")


def stop_if_warc_failed(reports: list[CrawlReport]) -> None:
    """A crawl stopped because its WARC files could not be written: one line, exit code 1."""
    from archiver.crawl.middlewares.capture import WARC_FAILED

    for report in reports:
        if report.stats.get("finish_reason") == WARC_FAILED:
            why = report.stats.get("archiver/warc/error", "the WARC files could not be written")
            raise CommandFailed(f"{why}: the crawl stopped; the archive keeps what it had written")


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
    if report.interrupted:
        lines.append(f"  {_interrupted(report.signal)}: stopped before the end; the archive keeps what it wrote")
    if report.log_path:
        lines.append(f"  log: {report.log_path}")
    return "\n".join(lines)


def _interrupted(signum: int | None) -> str:
    return f"interrupted by {signal.Signals(signum).name}" if signum is not None else "interrupted"


def exit_if_interrupted(signum: int | None, interrupted: bool) -> None:
    """A crawl a signal stopped exits as the shell reports it: 128 + the signal (130 Ctrl-C, 143 SIGTERM)."""
    if interrupted:
        raise click.exceptions.Exit(128 + (signum or signal.SIGINT))


@click.command()
@start_options("A sources file (TOML): a scheduled, incremental run of its sites. See `archiver check`.")
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where a --sources run keeps its job folders for resuming [default: <db>.jobs/<sources name>].",
)
@db_option(WRITE_DB)
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
@no_warc_option
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
    no_warc: bool,
    redis_url: str | None,
) -> None:
    """Crawl URLS and the article pages they link to on the same sites.

    With --sources FILE, run the sites of a sources file instead: read their feeds and sitemaps,
    fetch only what is new, changed or due again (conditional requests, recrawl policy), resume
    an interrupted run, and refuse to start while another run holds the lock (exit code 3).
    """
    from archiver.crawl.runner import run_crawl

    if sources_file is not None:
        if urls or urls_file:
            raise click.UsageError("give URLs or --sources, not both")
        overrides = {**_warc_setting(no_warc), **parse_set(settings)}
        if depth is not None:
            overrides |= _depth_settings(depth)
        if redis_url or overrides.get("ARCHIVER_REDIS_URL"):
            raise click.UsageError(
                "--sources runs on this machine; for a distributed crawl, `archiver enqueue --sources FILE`"
                " and start the workers with `archiver crawl --redis URL`"
            )
        _crawl_sources(sources_file, db, exports, state_dir, overrides, verbose)
        return
    overrides = {**_depth_settings(3 if depth is None else depth), **_warc_setting(no_warc), **parse_set(settings)}
    redis_url = redis_url or overrides.get("ARCHIVER_REDIS_URL")
    if redis_url:
        from archiver.cli.distributed import crawl_as_worker  # Redis and the distributed crawl: only here

        check_crawl_settings(overrides)
        check_outputs(None, verbose, overrides)
        crawl_as_worker(redis_url, start_urls(urls, urls_file), overrides, log_dir=None if verbose else Path("logs"))
        return
    start = start_urls(urls, urls_file)
    if not start:
        raise click.UsageError("give at least one URL (or --urls-file)")
    check_crawl_settings(overrides)
    check_outputs(exports, verbose, overrides)
    check_writable(db)
    check_warc_folder(db, overrides)
    report = run_crawl(start, db, exports, overrides, log_dir=None if verbose else Path("logs"))
    stop_if_warc_failed([report])
    click.echo(_summary(report))
    exit_if_interrupted(report.signal, report.interrupted)
    if report.pages == 0:
        reason = report.failures[0] if report.failures else "no response"
        raise CommandFailed(f"nothing fetched: {reason}")


def _crawl_sources(
    path: Path, db: Path, exports: Path, state_dir: Path | None, overrides: dict[str, str], verbose: bool
) -> None:
    from archiver.crawl.runner import build_settings, run_sources

    check_crawl_settings(overrides)
    settings = build_settings(db, exports, overrides, None)
    sources = load_sources_checked(path, read_setting(settings, "ARCHIVER_PROFILES_DIR") or None)
    state = state_dir or db.with_name(f"{db.name}.jobs") / path.stem
    check_usable(db)  # before the lock file is made beside it
    check_outputs(exports, verbose, overrides, state)
    try:
        with RunLock(path, db):
            check_writable(db)
            check_warc_folder(db, overrides)
            report = run_sources(sources, db, state, exports, overrides, log_dir=None if verbose else Path("logs"))
            if state_dir is None:  # the default folders, made by the run: gone when no site left a job folder
                _remove_if_empty(state, state.parent)  # under the lock: a next run's folders are not taken
    except AlreadyRunning as exc:
        raise Locked(str(exc)) from exc
    stop_if_warc_failed(list(report.crawls.values()))
    click.echo(_run_summary(report))
    exit_if_interrupted(report.signal, report.interrupted)
    if all(c.pages == 0 for c in report.crawls.values()):
        raise CommandFailed("nothing fetched from any source; see the log")


def _remove_if_empty(*folders: Path) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty (a site's job folder waits to resume), or already gone
            return


def format_report(report: dict[str, Any]) -> str:
    """A report on one line."""
    errors = report.get("errors") or {}
    error_text = ", ".join(f"{k} {v}" for k, v in errors.items()) if errors else "none"
    return (
        f"{report['pages']} pages, {report['new_articles']} new articles, "
        f"{report['changed_articles']} changed, {report['new_comments']} new comments, "
        f"{report.get('edited_comments', 0)} edited, {report.get('deleted_comments', 0)} deleted, "
        f"{report['not_modified']} not modified (304), errors: {error_text}, {report['duration_s']:g} s"
    )


def _crawl_state(crawl: CrawlReport) -> str:
    """How a source's crawl ended, when not at its end: interrupted (and resumed, or started over), stopped."""
    reason = crawl.stats.get("finish_reason")
    if reason == "finished":
        return ""
    if reason is None and crawl.signal is not None:  # a second signal: stopped at once, Scrapy saved no queue
        return f" [{_interrupted(crawl.signal)}, at once: starts over on the next run]"
    if reason is None:  # it never started (a crawler that could not be built: the log says why)
        return " [did not run (see the log)]"
    if crawl.interrupted:
        return f" [{_interrupted(crawl.signal)}: resumes on the next run]"
    return f" [{reason}: resumes on the next run]"


def _run_summary(report: RunReport) -> str:
    lines = [f"run {report.run_id}: {format_report(report.total)}"]
    for name, crawl in report.crawls.items():
        state = _crawl_state(crawl)
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


def _every(interval_days: float) -> str:
    """The recrawl interval as ``check`` says it: 0 is never again (archiver.archive.recrawl)."""
    return f"every {interval_days:g} days" if interval_days else "never again"


@click.command()
@click.argument("sources_file", metavar="SOURCES", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@profiles_option
def check(sources_file: Path, profiles_dir: Path | None) -> None:
    """Check a sources file: print every problem once, at its line (exit 1), or what it would crawl."""
    try:
        sources = load_sources(sources_file, profile_names(str(profiles_dir) if profiles_dir else None))
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
            f"then {_every(source.recrawl.interval_days)}"
        )
    click.echo(f"{sources_file}: ok, {len(sources)} site(s)")


@click.command()
@db_option("SQLite archive to read.")
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


@click.command()
@db_option(WRITE_DB)
@exports_option
@click.option(
    "--port",
    default=DEMO_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to serve the demo site on (a busy one falls back to a free one; the archived URLs do not change).",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy or ARCHIVER_* setting (repeatable), e.g. ARCHIVER_RENDER_COMMENTS=off.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on stderr.")
@no_warc_option
def demo(db: Path, exports: Path, port: int, settings: tuple[str, ...], verbose: bool, no_warc: bool) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the archive.

    The site is crawled as http://demo-gazette.example/ (its server answers for that name), so its
    articles keep the same URLs from run to run, whatever port serves them. Its pages under /live/
    load their comments by script from a second server on 127.0.0.1: with Chromium installed the
    crawl renders them and archives those comments too; without it, it says so in one line.
    """
    from archiver.crawl.runner import run_crawl

    # rendered (when Chromium is there) within DEMO_RENDER_SECONDS a page: the browser, too, asks the
    # demo's server for every page (a third-party widget's script included: the demo reaches for no
    # other host), but for its comment service on 127.0.0.1
    overrides = {
        **LOCAL_SETTINGS,
        "ARCHIVER_RENDER_TIMEOUT": str(DEMO_RENDER_SECONDS),
        **_warc_setting(no_warc),
        **parse_set(settings),
    }
    check_outputs(exports, verbose, overrides)
    check_writable(db)
    check_crawl_settings(overrides)
    check_warc_folder(db, overrides)
    with live_site(SITE_DIR, port=port) as (server, comments):
        click.echo(f"serving the demo site at {server.url}, crawled as {DEMO_ORIGIN}")
        click.echo(f"serving its comment service at {comments.origin}/ (its pages under /live/ load comments from it)")
        overrides["ARCHIVER_DEMO_SERVER"] = server.url
        report = run_crawl([DEMO_ORIGIN], db, exports, overrides, log_dir=None if verbose else Path("logs"))
    stop_if_warc_failed([report])
    click.echo(_summary(report))
    exit_if_interrupted(report.signal, report.interrupted)
    sql = (
        "SELECT a.title, c.number, c.author, c.published FROM comments c "
        "JOIN articles a ON a.id = c.article_id ORDER BY a.id, c.number"
    )
    click.echo(f"\nTry:\n  {shlex.join([sqlite_utils_command(), str(db), sql, '--table'])}")
    if report.pages == 0:
        raise CommandFailed("the demo crawl fetched nothing; see the log")


COMMANDS = (crawl, check, runs, demo)
