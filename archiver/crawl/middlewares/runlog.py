"""Record each crawl in ``crawls`` and every fetch (status, error, ETag, Last-Modified) in ``fetches``.

A failed fetch's ``error`` is ``"<kind>: <exception>: <message>"``; the kinds are ``timeout``,
``too-large`` (DOWNLOAD_MAXSIZE, also when decompressing), ``redirect-limit``, ``redirect-loop``,
``connection``, ``robots.txt``, ``ignored`` (another policy), else the exception's name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost, TimeoutError
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

from archiver.archive import Archive
from archiver.archive.runs import run_report
from archiver.crawl import signals as archiver_signals
from archiver.settings import read_setting
from archiver.urls import without_userinfo

#: Settings worth keeping with a run, to read its figures later.
KEPT_SETTINGS = ("DEPTH_LIMIT", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN",
                  "ROBOTSTXT_OBEY", "USER_AGENT", "ARCHIVER_EXTRACT_PROCESSES", "ARCHIVER_PROFILES_DIR")  # fmt: skip
#: Marks a download exception recorded by ``process_exception``, so its errback does not record it again.
_RECORDED = "_archiver_fetch_recorded"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_CONNECTION_ERRORS = (DownloadFailedError, ResponseDataLossError, DownloadConnectionRefusedError,
                      CannotResolveHostError, ConnectError, ConnectionDone, ConnectionLost, ResponseFailed)  # fmt: skip


def failure_kind(exception: BaseException) -> str:
    """The kind of a failed fetch, a short stable word to group failures by."""
    message = str(exception)
    if isinstance(exception, DownloadTimeoutError | TimeoutError):
        return "timeout"
    if isinstance(exception, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in message:
        return "too-large"  # the download handler cancels a body that passes DOWNLOAD_MAXSIZE
    if isinstance(exception, _CONNECTION_ERRORS):
        return "connection"
    if isinstance(exception, IgnoreRequest):
        if "max redirections" in message:
            return "redirect-limit"
        return "robots.txt" if "robots.txt" in message else "ignored"
    return type(exception).__name__


def describe(exception: BaseException, request: Request, maxsize: int) -> str:
    """``"<kind>: <exception>: <message>"`` for the ``error`` column, at most 500 characters."""
    kind = failure_kind(exception)
    message = str(exception).strip()
    if kind == "too-large" and not message:
        message = f"the response passed DOWNLOAD_MAXSIZE ({request.meta.get('download_maxsize', maxsize)} bytes)"
    if kind == "redirect-limit" and _repeats(request):
        kind = "redirect-loop"
    userinfo = urlsplit(request.url).netloc.rpartition("@")[0]
    if userinfo:
        message = message.replace(f"{userinfo}@", "")  # credentials are never stored
    name = type(exception).__name__
    head = name if kind == name else f"{kind}: {name}"
    return f"{head}: {message}".strip().rstrip(":")[:500]


def _held(request: Request) -> dict[str, bytes | None]:
    """The validators of the copy we hold, sent with a conditional request: a failure keeps them."""
    return {"etag": request.headers.get(b"If-None-Match"), "last_modified": request.headers.get(b"If-Modified-Since")}


def _repeats(request: Request) -> bool:
    """True when a redirected request comes back to a URL its redirects already passed."""
    return request.url in request.meta.get("redirect_urls", ())


class RunLog:
    """Downloader middleware writing the ``crawls`` and ``fetches`` tables of the archive.

    Failures raised past it (a redirect limit, a decompression bomb) come from the spider's
    errback through ``archiver.crawl.signals.fetch_failed``; a redirect back to a URL already passed is
    seen when the duplicate filter drops it. URLs are stored without their ``user:password@``.
    Settings: ``ARCHIVER_ARCHIVE_PATH`` (empty: off), ``ARCHIVER_RUNLOG_ENABLED``,
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (fetch rows written per transaction).
    """

    def __init__(self, crawler: Crawler, path: str, batch_size: int) -> None:
        self.crawler = crawler
        self.path = path
        self.batch_size = batch_size
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.pending: list[dict[str, Any]] = []
        self.archive: Archive | None = None
        self.crawl_id = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLog:
        settings = crawler.settings
        path = read_setting(settings, "ARCHIVER_ARCHIVE_PATH")
        if not read_setting(settings, "ARCHIVER_RUNLOG_ENABLED") or not path:
            raise NotConfigured("ARCHIVER_RUNLOG_ENABLED is off or ARCHIVER_ARCHIVE_PATH is empty")
        log = cls(crawler, path, read_setting(settings, "ARCHIVER_ARCHIVE_BATCH_SIZE"))
        crawler.signals.connect(log.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(log.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(log.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(log.fetch_failed, signal=archiver_signals.fetch_failed)
        return log

    def spider_opened(self, spider: Spider) -> None:
        self.archive = Archive(self.path)
        self.crawl_id = str(getattr(spider, "crawl_id", "") or _now())
        settings = {name: self.crawler.settings.get(name) for name in KEPT_SETTINGS}
        arguments: dict[str, Any] = {"start_urls": [without_userinfo(url) for url in getattr(spider, "start_urls", [])]}
        source = getattr(spider, "source", None)
        if source is not None:
            arguments["source"] = {k: v for k, v in vars(source).items() if k != "recrawl"}
            arguments["source"]["recrawl"] = vars(source.recrawl)
        run = {
            "run_id": read_setting(self.crawler.settings, "ARCHIVER_RUN_ID") or None,
            "source": getattr(source, "name", None),
        }
        self.archive.start_crawl(self.crawl_id, spider.name, _now(), arguments, settings, **run)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.flush()
        if self.archive is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        stats = json.loads(json.dumps(stats, default=str))
        self.archive.finish_crawl(self.crawl_id, _now(), reason, stats, run_report(stats))
        self.archive.close()

    def process_response(self, request: Request, response: Response) -> Response:
        headers = response.headers
        etag, modified = headers.get(b"ETag"), headers.get(b"Last-Modified")
        if response.status == 304:  # the copy we hold is current: keep its validators
            etag = etag or request.headers.get(b"If-None-Match")
            modified = modified or request.headers.get(b"If-Modified-Since")
        self._record(request.url, status=response.status, error=None, etag=etag, last_modified=modified)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        setattr(exception, _RECORDED, True)  # on the exception, not in a dict: one the spider never sees is not kept
        if isinstance(exception, archiver_signals.NotSent):  # never sent (the crawl stopped): not a fetch
            return
        self._record(request.url, status=None, error=describe(exception, request, self.maxsize), **_held(request))

    def fetch_failed(self, request: Request, failure: Failure) -> None:
        """A failure that reached the spider: recorded unless already recorded or an HTTP status."""
        exception = failure.value
        if getattr(exception, _RECORDED, False) or isinstance(exception, HttpError):
            return
        error = describe(exception, request, self.maxsize)
        url = request.meta.get("redirect_urls", [request.url])[0] if error.startswith("redirect-") else request.url
        # a redirect chain under the URL that started it
        self._record(url, status=None, error=error, **_held(request))

    def request_dropped(self, request: Request) -> None:
        """A redirect back to a URL already fetched, dropped by the duplicate filter: a redirect loop."""
        if _repeats(request):
            chain = " -> ".join([*request.meta.get("redirect_urls", ()), request.url])
            first = request.meta.get("redirect_urls", [request.url])[0]
            self._record(first, status=None, error=f"redirect-loop: {chain}"[:500])

    def _record(
        self,
        url: str,
        status: int | None,
        error: str | None,
        etag: bytes | None = None,
        last_modified: bytes | None = None,
    ) -> None:
        self.pending.append(
            {
                "url": without_userinfo(url),
                "status": status,
                "error": error,
                "etag": etag.decode("latin-1") if etag else None,
                "last_modified": last_modified.decode("latin-1") if last_modified else None,
                "fetched_at": _now(),
                "crawl_id": self.crawl_id,
            }
        )
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending fetch rows in one transaction."""
        if self.pending and self.archive is not None:
            self.archive.record_fetches(self.pending)
            self.pending = []
