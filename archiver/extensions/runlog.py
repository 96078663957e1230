"""Record each crawl in ``crawls`` and every fetch (status, error, ETag, Last-Modified) in ``fetches``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from archiver.archive import Archive
from archiver.archive.runs import run_report

#: Settings worth keeping with a run, to read its figures later.
_KEPT_SETTINGS = ("DEPTH_LIMIT", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN",
                  "ROBOTSTXT_OBEY", "USER_AGENT", "ARCHIVER_EXTRACT_PROCESSES", "ARCHIVER_PROFILES_DIR")  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunLog:
    """Downloader middleware writing the ``crawls`` and ``fetches`` tables of the archive.

    Settings: ``ARCHIVER_ARCHIVE_PATH`` (empty: off), ``ARCHIVER_RUNLOG_ENABLED``,
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (fetch rows written per transaction).
    """

    def __init__(self, crawler: Crawler, path: str, batch_size: int) -> None:
        self.crawler = crawler
        self.path = path
        self.batch_size = batch_size
        self.pending: list[dict[str, Any]] = []
        self.archive: Archive | None = None
        self.crawl_id = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLog:
        settings = crawler.settings
        if not settings.getbool("ARCHIVER_RUNLOG_ENABLED") or not settings.get("ARCHIVER_ARCHIVE_PATH"):
            raise NotConfigured("ARCHIVER_RUNLOG_ENABLED is off or ARCHIVER_ARCHIVE_PATH is empty")
        log = cls(crawler, settings["ARCHIVER_ARCHIVE_PATH"], max(1, settings.getint("ARCHIVER_ARCHIVE_BATCH_SIZE")))
        crawler.signals.connect(log.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(log.spider_closed, signal=signals.spider_closed)
        return log

    def spider_opened(self, spider: Spider) -> None:
        self.archive = Archive(self.path)
        self.crawl_id = str(getattr(spider, "crawl_id", "") or _now())
        settings = {name: self.crawler.settings.get(name) for name in _KEPT_SETTINGS}
        arguments: dict[str, Any] = {"start_urls": list(getattr(spider, "start_urls", []))}
        source = getattr(spider, "source", None)
        if source is not None:
            arguments["source"] = {k: v for k, v in vars(source).items() if k != "recrawl"}
            arguments["source"]["recrawl"] = vars(source.recrawl)
        run = {"run_id": self.crawler.settings.get("ARCHIVER_RUN_ID") or None, "source": getattr(source, "name", None)}
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
        message = f"{type(exception).__name__}: {exception}".strip().rstrip(":")
        # a failed fetch keeps the validators of the copy we hold
        etag, modified = request.headers.get(b"If-None-Match"), request.headers.get(b"If-Modified-Since")
        self._record(request.url, status=None, error=message[:500], etag=etag, last_modified=modified)

    def _record(
        self, url: str, status: int | None, error: str | None, etag: bytes | None, last_modified: bytes | None
    ) -> None:
        self.pending.append(
            {
                "url": url,
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
