"""The commands of a distributed crawl: ``crawl --redis`` (a worker), ``enqueue`` and ``drain``."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click
import redis

from archiver.archive import ArchiveError
from archiver.cli.archivefile import check_usable, writing
from archiver.cli.common import WRITE_DB, db_option, load_sources_checked, start_options, start_urls
from archiver.crawl.runner import build_settings, new_crawl_id
from archiver.distributed.drain import Drain, DrainBusy
from archiver.distributed.enqueue import CrawlRunning, enqueue, enqueue_sources, reset
from archiver.distributed.mirror import mirror_info
from archiver.distributed.state import Keys, RedisUnavailable, connect
from archiver.distributed.worker import rules_in_use, run_worker


class Failed(click.ClickException):
    """The command could not do its job (Redis unreachable, the archive refused a write): exit code 1."""

    exit_code = 1


redis_option = click.option(
    "--redis",
    "redis_url",
    envvar="ARCHIVER_REDIS_URL",
    required=True,
    metavar="URL",
    help="Redis of the distributed crawl, redis://HOST:PORT/DB (or ARCHIVER_REDIS_URL).",
)


def open_redis(url: str) -> redis.Redis:
    """A connected client, or one clear line: exit 2 for a malformed URL, 1 for an unreachable server."""
    try:
        return connect(url)
    except RedisUnavailable as exc:
        if str(exc).startswith("invalid"):
            raise click.UsageError(str(exc)) from exc
        raise Failed(str(exc)) from exc


def crawl_as_worker(redis_url: str, urls: list[str], overrides: dict[str, str], log_dir: Path | None) -> None:
    """``archiver crawl --redis``: enqueue the URLs given (if any), then work until the crawl is over.

    The settings were checked by the command (``archiver.settings.check_settings``), the worker's too.
    """
    server = open_redis(redis_url)
    if urls:
        done = enqueue(server, urls)
        click.echo(f"enqueued {done.queued} start URLs ({done.already_seen} already seen)")
    crawl_id = new_crawl_id()
    log_path = log_dir / f"crawl-{crawl_id}.log" if log_dir is not None else None
    settings = build_settings(Path("archive.db"), Path("exports"), overrides, log_path)
    try:
        click.echo("\n".join(rules_in_use(server, settings)))
    except redis.RedisError as exc:
        raise Failed(f"lost Redis at {redis_url}: {exc}") from exc
    report = run_worker(settings, redis_url, crawl_id, log_path)
    click.echo(report.describe())


@click.command(name="enqueue")
@start_options("A sources file (TOML): each site's start pages, sitemaps, feeds and due articles, with its rules.")
@click.option(
    "--profiles",
    "profiles_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Site profiles folder the workers use (ARCHIVER_PROFILES_DIR), to check the profiles a sources file names.",
)
@redis_option
@click.option(
    "--fresh", is_flag=True, help="Forget the previous crawl's queue and seen URLs first (no worker may run)."
)
def enqueue_command(
    urls: tuple[str, ...],
    urls_file: Path | None,
    sources_file: Path | None,
    profiles_dir: Path | None,
    redis_url: str,
    fresh: bool,
) -> None:
    """Push start URLs, or the sites of a sources file, into a distributed crawl.

    The sites of the URLs given are the ones workers follow. With --sources, each site's start
    pages, sitemaps, feeds (and robots.txt with robots_sitemaps) are queued, with its allowed
    domains, include/exclude patterns, profile, depth, delay, concurrency and recrawl policy for
    the workers (who hold its delay and concurrency together); so are its
    archived articles that the policy says are due, as the drain mirrored the archive. A URL
    already seen in this crawl is not queued again: --fresh starts a new run (a scheduled one).
    """
    found = start_urls(urls, urls_file)
    sources = (
        [] if sources_file is None else load_sources_checked(sources_file, str(profiles_dir) if profiles_dir else None)
    )
    if not found and not sources:
        raise click.UsageError("give at least one URL (or --urls-file, or --sources)")
    server = open_redis(redis_url)
    if fresh:
        try:
            reset(server)
        except CrawlRunning as exc:
            raise Failed(str(exc)) from exc
    if found:
        done = enqueue(server, found)
        click.echo(
            f"enqueued {done.queued} start URLs ({done.already_seen} already seen in this crawl); "
            f"sites followed: {', '.join(done.sites)}"
        )
    if sources:
        mirror = mirror_info(server, Keys())
        if mirror is None:
            click.echo("no drain has mirrored an archive into this Redis yet: every page counts as new")
        else:
            click.echo(f"archive {mirror['archive']} as the drain mirrors it: {mirror['article_urls']} article URLs")
        for name, site in enqueue_sources(server, sources).items():
            skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(site.skipped.items()))
            click.echo(
                f"{name}: enqueued {site.queued} requests ({site.due} archived articles due; "
                f"{site.already_seen} already seen in this crawl{'; skipped ' + skipped if skipped else ''}); "
                f"domains {', '.join(site.sites)}"
            )


@click.command(name="drain")
@redis_option
@db_option(WRITE_DB)
@click.option("--batch-size", default=50, show_default=True, type=click.IntRange(1, 100_000), help="Items per commit.")
@click.option(
    "--until-idle",
    type=click.FloatRange(0),
    metavar="SECONDS",
    help="Exit once no worker runs and nothing is queued, in flight or waiting for this long (default: until SIGTERM).",
)
@click.option(
    "--progress",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds between progress lines (0: none).",
)
@click.option(
    "--wait-lock",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds to wait for another (or a stopped) drain's lock.",
)
@click.option(
    "--lock-seconds",
    default=10.0,
    show_default=True,
    type=click.FloatRange(1),
    help="Lock lifetime: a killed drain's lock frees after this.",
)
def drain_command(
    redis_url: str,
    db: Path,
    batch_size: int,
    until_idle: float | None,
    progress: float,
    wait_lock: float,
    lock_seconds: float,
) -> None:
    """Write the workers' items into the archive: the one writer of a distributed crawl."""
    check_usable(db)  # a file that is not an archive is refused before anything else
    stop = threading.Event()

    def stop_soon(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # From here a SIGTERM or Ctrl-C stops the drain between batches; the archive is closed
    # (its WAL emptied into the file) on the way out.
    signal.signal(signal.SIGTERM, stop_soon)
    signal.signal(signal.SIGINT, stop_soon)
    server = open_redis(redis_url)
    archive = writing(db)
    drain = Drain(server, archive, batch_size, lock_seconds)
    try:
        drain.acquire(wait_lock, waiting=lambda message: click.echo(message, err=True))
        fetches, urls = drain.seed_mirror()
        click.echo(
            f"draining {redis_url} into {db} ({fetches} fetches and {urls} article URLs mirrored for the workers)",
            err=True,
        )
        report = drain.run(stop, until_idle, progress, say=lambda line: click.echo(line, err=True))
    except DrainBusy as exc:
        raise Failed(str(exc)) from exc
    except ArchiveError as exc:
        raise Failed(f"{exc}; the batch stays in Redis and is written by the next drain") from exc
    except redis.RedisError as exc:
        raise Failed(f"lost Redis at {redis_url}: {exc}; nothing committed is lost") from exc
    finally:
        if not drain.lock_lost:
            with contextlib.suppress(redis.RedisError):
                drain.release()
        archive.close()
    click.echo(f"drain: {report.describe()}")
    sys.stdout.flush()
