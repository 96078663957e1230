"""Running a crawl in this process and reporting what it did."""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

# Imported first, while few modules are loaded: at import it runs Scrapy's deprecation shim
# (``create_deprecated_class``), whose ``inspect.stack()`` looks up the module of every frame among
# all the modules loaded. Imported later by the HTTP download handler, deep in the engine's start
# with some 2,500 modules loaded, that cost 0.2 CPU s a crawl.
import scrapy.core.downloader.contextfactory  # noqa: F401
from scrapy import Request
from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archiver.archive.runs import add_reports, run_report
from archiver.crawl.middlewares.conditional import without_validators
from archiver.crawl.signals import NotSent
from archiver.crawl.sources import Source
from archiver.crawl.spiders.articles import ArticlesSpider

_REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"
_COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
#: reactor turns ``hold_unsent`` waits for Scrapy's stop to begin (it is queued just before)
_HOLD_TRIES = 5
logger = logging.getLogger(__name__)


@dataclass
class CrawlReport:
    """The outcome of one crawl, for the end-of-run summary and the exit code."""

    crawl_id: str
    archive_path: Path
    export_path: Path
    log_path: Path | None
    stats: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    #: the signal that stopped the crawl (Ctrl-C: SIGINT, ``kill``: SIGTERM), None if none did
    signal: int | None = None

    @property
    def interrupted(self) -> bool:
        """Stopped by a signal: cleanly (``shutdown``) or at once (a second signal: no finish reason).
        A crawl that never started (no finish reason, no signal) was not interrupted."""
        return self.signal is not None or self.stats.get("finish_reason") == "shutdown"

    def stat(self, name: str) -> int:
        """A numeric stat, 0 when absent."""
        return int(self.stats.get(name, 0) or 0)

    @property
    def pages(self) -> int:
        """Responses received (any status)."""
        return self.stat("response_received_count")

    @property
    def report(self) -> dict[str, Any]:
        """New and changed articles, new, edited and deleted comments, 304s, errors by kind, duration."""
        return run_report(self.stats)


def _page_request(request: Request, crawler: Crawler) -> bool:
    """A request of the spider's own that stands alone: not a part of an article being read (a comment
    page, a rendering: they carry the article), nor one of Scrapy's (robots.txt), which are sent."""
    return getattr(request.callback, "__self__", None) is crawler.spider and not request.cb_kwargs


class _Process(CrawlerProcess):
    """Scrapy's CrawlerProcess, which remembers the first signal that stopped it (for the exit code)
    and, on it, holds back the requests not sent yet (``hold_unsent``).

    Both are done by handlers of our own (SIGINT, SIGTERM) chained in front of those Scrapy installs
    when its reactor starts (an "after startup" trigger, whatever the reactor): ours are installed
    in the reactor's first turn, just after, and each calls the one it found (Scrapy's graceful stop).
    """

    signal: int | None = None

    def start(self, stop_after_crawl: bool = True, install_signal_handlers: bool = True) -> None:
        if install_signal_handlers:
            from twisted.internet import reactor

            reactor.callLater(0, self._chain_handlers)  # type: ignore[arg-type]  # (zope interface typing)
        super().start(stop_after_crawl, install_signal_handlers)

    def _chain_handlers(self) -> None:
        from twisted.internet import reactor

        for number in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(number)

            def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
                self.signal = self.signal or signum
                if callable(previous):
                    previous(signum, frame)  # Scrapy's: its graceful stop, queued on the reactor
                # queued after it: by then the engine takes no more requests from its queue
                reactor.callFromThread(self._hold_unsent)

            signal.signal(number, handler)

    def _hold_unsent(self, tries: int = _HOLD_TRIES) -> None:
        for crawler in self.crawlers:
            engine = crawler.engine
            if engine is not None and engine.running and tries > 0:
                # Scrapy's stop not begun yet: the engine would refill the slots from its queue
                from twisted.internet import reactor

                reactor.callLater(0, self._hold_unsent, tries - 1)  # type: ignore[arg-type]  # (zope interface typing)
                return
        for crawler in self.crawlers:
            hold_unsent(crawler)
            # requests that reach the downloader later (held by the robots.txt middleware until the
            # rules arrive) are drained too, in the reactor's next turn, once they wait in their slot
            crawler.signals.connect(_drainer(crawler), signal=scrapy_signals.request_reached_downloader, weak=False)


def _drainer(crawler: Crawler) -> Callable[..., None]:
    """A ``request_reached_downloader`` handler for a stopping crawl: it holds back that request too,
    in the reactor's next turn (the request enters its slot's queue just after the signal)."""
    from twisted.internet import reactor

    def drain(request: Request) -> None:
        reactor.callLater(0, hold_unsent, crawler)  # type: ignore[arg-type]  # (zope interface typing)

    return drain


def hold_unsent(crawler: Crawler) -> None:
    """A stopping crawl does not send the requests waiting in its download slots (for a site's
    politeness delay: up to CONCURRENT_REQUESTS of them, one a delay); with a job folder (``JOBDIR``)
    each goes back to the queue Scrapy saves there, without the validators of this run (the next run's
    ``ConditionalRequests`` decides again), and the next run fetches it. Each is failed with
    ``NotSent`` whatever happens: a request the queue cannot take (a full disk) is logged and counted
    lost (``archiver/stop/lost``), and the engine waits on none of them."""
    engine = crawler.engine
    scheduler = engine.scheduler if engine is not None else None
    if engine is None or scheduler is None:
        return
    enqueue = scheduler.enqueue_request if crawler.settings.get("JOBDIR") else None
    for slot in list(engine.downloader.slots.values()):
        waiting = [(request, sent) for request, sent in slot.queue if _page_request(request, crawler)]
        for entry in waiting:
            slot.queue.remove(entry)
        if waiting and crawler.stats is not None:
            hold_back(waiting, enqueue, crawler.stats)


def hold_back(
    waiting: list[tuple[Request, Deferred[Response]]],
    enqueue: Callable[[Request], object] | None,
    stats: StatsCollector,
) -> None:
    """Fail each request taken out of its slot with ``NotSent``, after ``enqueue`` (the scheduler's, with
    a job folder) kept it for the next run: always, whatever ``enqueue`` raised, or the engine would
    wait on it forever and the stop hang."""
    for request, sent in waiting:
        try:
            if enqueue is not None:  # its fingerprint is in the job's duplicate filter already
                enqueue(without_validators(request).replace(dont_filter=True))
        except Exception:  # whatever the queue raises (a full disk: OSError), fail them all
            logger.exception("could not keep %s for the next run: it is lost", request.url)
            stats.inc_value("archiver/stop/lost")
        finally:
            sent.errback(Failure(NotSent(f"not sent: the crawl stopped before its turn: {request.url}")))
    stats.inc_value("archiver/stop/not_sent", len(waiting))


def new_crawl_id() -> str:
    """A sortable, unique crawl id such as ``20261128T174212Z-3f2a``."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(2)}"


def build_settings(
    archive_path: Path,
    exports_dir: Path,
    overrides: dict[str, str],
    log_path: Path | None,
) -> Settings:
    """The project's settings with the command line's choices on top."""
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.set("ARCHIVER_ARCHIVE_PATH", str(archive_path), priority="cmdline")
    feed_uri = str(exports_dir / "%(name)s-%(crawl_id)s.jsonl")
    settings.set("FEEDS", {feed_uri: {"format": "jsonlines", "encoding": "utf8"}}, priority="cmdline")
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_path), priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    # Scrapy imports every component it lists to order them, one switched off too: its remote control
    # (off in archiver) would load aiohttp's web server (0.13 CPU s), its cookies middleware (off in
    # archiver) tldextract and requests (0.05 CPU s), for nothing.
    if not settings.getbool("REMOTE_CONTROL_ENABLED"):
        _unlist(settings, "EXTENSIONS_BASE", _REMOTE_CONTROL)
    if not settings.getbool("COOKIES_ENABLED"):
        _unlist(settings, "DOWNLOADER_MIDDLEWARES_BASE", _COOKIES)
    return settings


def _unlist(settings: Settings, name: str, component: str) -> None:
    """Take ``component`` out of the components setting ``name`` (one of Scrapy's ``*_BASE``)."""
    components = settings.getdict(name)
    components.pop(component, None)
    settings.set(name, components, priority=settings.getpriority(name) or "default")


def run_crawl(
    urls: list[str],
    archive_path: Path,
    exports_dir: Path = Path("exports"),
    overrides: dict[str, str] | None = None,
    log_dir: Path | None = Path("logs"),
) -> CrawlReport:
    """Crawl from urls into the archive and a JSON Lines file; block until done."""
    crawl_id = new_crawl_id()
    log_path = log_dir / f"crawl-{crawl_id}.log" if log_dir is not None else None
    settings = build_settings(archive_path, exports_dir, overrides or {}, log_path)
    process = _Process(settings)
    crawler = process.create_crawler(ArticlesSpider)
    process.crawl(crawler, url=",".join(urls), crawl_id=crawl_id)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, ArticlesSpider) and crawler.stats is not None
    return CrawlReport(
        crawl_id=crawl_id,
        archive_path=archive_path,
        export_path=exports_dir / f"{ArticlesSpider.name}-{crawl_id}.jsonl",
        log_path=log_path,
        stats=crawler.stats.get_stats(),
        failures=spider.failures,
        signal=process.signal,
    )


#: A job folder holds this file when its run was paused cleanly (Ctrl-C, SIGTERM) and can resume.
PAUSED_MARK = "archiver-paused.json"


@dataclass
class RunReport:
    """The outcome of a scheduled run: one crawl per source."""

    run_id: str
    crawls: dict[str, CrawlReport]
    resumed: list[str] = field(default_factory=list)
    discarded: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> dict[str, Any]:
        report = add_reports([c.report for c in self.crawls.values()])
        report["duration_s"] = round(self.seconds, 1)
        return report

    @property
    def interrupted(self) -> bool:
        """Whether a signal stopped any of the run's crawls (``CrawlReport.interrupted``)."""
        return any(c.interrupted for c in self.crawls.values())

    @property
    def signal(self) -> int | None:
        """The signal that stopped the run, None if none did."""
        return next((c.signal for c in self.crawls.values() if c.signal is not None), None)


def source_settings(source: Source, run_id: str, jobdir: Path) -> dict[str, Any]:
    """The settings a source's crawl runs with: its politeness, depth, recrawl policy and job folder."""
    return {
        "DOWNLOAD_DELAY": source.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency,
        "DEPTH_LIMIT": source.depth,
        "ARCHIVER_FOLLOW_LINKS": source.depth > 0,  # Scrapy reads DEPTH_LIMIT 0 as no limit
        "ARCHIVER_RECRAWL_ENABLED": True,
        "ARCHIVER_RECRAWL_FRESH_DAYS": source.recrawl.fresh_days,
        "ARCHIVER_RECRAWL_INTERVAL_DAYS": source.recrawl.interval_days,
        "ARCHIVER_RUN_ID": run_id,
        "JOBDIR": str(jobdir),
    }


def prepare_jobdir(jobdir: Path) -> str:
    """Keep a job folder a clean pause left (``resume``); drop one a killed run left (``discard``).

    Scrapy writes its queue's state only when a crawl closes, so after a kill the folder cannot be
    trusted; the archive and its fetches still say what was done, and the run starts afresh.
    """
    if not jobdir.exists():
        return "new"
    mark = jobdir / PAUSED_MARK
    if mark.is_file():
        mark.unlink()
        return "resume"
    shutil.rmtree(jobdir)
    return "discard"


def run_sources(
    sources: list[Source],
    archive_path: Path,
    state_dir: Path,
    exports_dir: Path = Path("exports"),
    overrides: dict[str, str] | None = None,
    log_dir: Path | None = Path("logs"),
) -> RunReport:
    """Crawl every source at once (one crawler each, one job folder each) and report the run."""
    run_id = new_crawl_id()
    log_path = log_dir / f"run-{run_id}.log" if log_dir is not None else None
    base = build_settings(archive_path, exports_dir, overrides or {}, log_path)
    process = _Process(base)
    report = RunReport(run_id, {})
    crawlers: dict[str, tuple[Crawler, Path]] = {}
    for index, source in enumerate(sources):
        jobdir = state_dir / source.name
        outcome = prepare_jobdir(jobdir)
        if outcome == "resume":
            report.resumed.append(source.name)
        elif outcome == "discard":
            report.discarded.append(source.name)
        settings = base.copy()
        for name, value in source_settings(source, run_id, jobdir).items():
            settings.set(name, value, priority="cmdline")
        for name, value in (overrides or {}).items():  # the command line wins over the sources file
            settings.set(name, value, priority="cmdline")
        crawler = Crawler(ArticlesSpider, settings, init_reactor=index == 0)  # the first one installs it
        process.crawl(crawler, source=source, crawl_id=f"{run_id}-{source.name}")
        crawlers[source.name] = (crawler, jobdir)
    started = time.monotonic()
    process.start()
    report.seconds = time.monotonic() - started
    for name, (crawler, jobdir) in crawlers.items():
        assert crawler.stats is not None
        stats = crawler.stats.get_stats()
        spider = crawler.spider
        report.crawls[name] = CrawlReport(
            crawl_id=f"{run_id}-{name}",
            archive_path=archive_path,
            export_path=exports_dir / f"{ArticlesSpider.name}-{run_id}-{name}.jsonl",
            log_path=log_path,
            stats=stats,
            failures=list(getattr(spider, "failures", [])),
            signal=process.signal,
        )
        if stats.get("finish_reason") == "finished":
            shutil.rmtree(jobdir, ignore_errors=True)  # a finished run leaves no state behind
        elif "finish_reason" in stats and jobdir.is_dir():  # closed (Scrapy saved its queue): it resumes
            # (stopped at once, by a second signal, it did not: the next run starts it over)
            mark = {"run_id": run_id, "reason": stats.get("finish_reason"), "paused": datetime.now(UTC).isoformat()}
            (jobdir / PAUSED_MARK).write_text(json.dumps(mark), encoding="utf-8")
    return report
