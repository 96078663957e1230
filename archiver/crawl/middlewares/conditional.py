"""Conditional requests: ask again with If-None-Match / If-Modified-Since from the archive's fetches."""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archiver.archive.recrawl import ArchiveState, RecrawlState
from archiver.crawl.meta import CONDITIONAL, UNCONDITIONAL
from archiver.settings import read_setting


class ConditionalRequests:
    """Downloader middleware sending the validators of the last good fetch of a URL.

    A ``304 Not Modified`` answer reaches the spider (it skips extraction) and the run log
    (which marks the article as seen). The validators and the rule for which URLs get them come
    from a ``RecrawlState`` (``validator_source``). Settings: ``ARCHIVER_CONDITIONAL_ENABLED``,
    ``ARCHIVER_ARCHIVE_PATH``.
    """

    def __init__(self, state: RecrawlState, stats: StatsCollector) -> None:
        self.state = state
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequests:
        if not read_setting(crawler.settings, "ARCHIVER_CONDITIONAL_ENABLED"):
            raise NotConfigured("ARCHIVER_CONDITIONAL_ENABLED is off")
        assert crawler.stats is not None
        middleware = cls(cls.validator_source(crawler), crawler.stats)
        crawler.signals.connect(middleware.state.close, signal=signals.spider_closed)
        return middleware

    @classmethod
    def validator_source(cls, crawler: Crawler) -> RecrawlState:
        """Where the validators come from: the archive (a worker reads the drain's mirror in Redis)."""
        path = read_setting(crawler.settings, "ARCHIVER_ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVER_ARCHIVE_PATH is empty")
        return ArchiveState(path)

    def process_request(self, request: Request) -> None:
        if request.method != "GET" or request.meta.get(UNCONDITIONAL) or b"If-None-Match" in request.headers:
            return
        if request.url.endswith("/robots.txt"):
            return  # the robots.txt middleware needs the rules themselves, not a 304
        found = self.state.validators(request.url)
        if found is None:
            return
        etag, modified = found
        if etag:
            request.headers[b"If-None-Match"] = etag
        if modified:
            request.headers[b"If-Modified-Since"] = modified
        request.meta[CONDITIONAL] = True
        handled = list(request.meta.get("handle_httpstatus_list", []))
        request.meta["handle_httpstatus_list"] = [*handled, 304]
        self.stats.inc_value("archiver/conditional/sent")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get(CONDITIONAL):
            self.stats.inc_value("archiver/conditional/not_modified")
        return response


def without_validators(request: Request) -> Request:
    """The request as it was before ``ConditionalRequests`` added its validators (the two headers, the
    meta flag and the 304 it lets through), so that a request queued again for the next run is decided
    again there, against the archive of then."""
    if not request.meta.get(CONDITIONAL):
        return request
    headers = request.headers.copy()
    headers.pop(b"If-None-Match", None)
    headers.pop(b"If-Modified-Since", None)
    meta = {key: value for key, value in request.meta.items() if key != CONDITIONAL}
    handled = list(meta.pop("handle_httpstatus_list", []))
    handled.reverse()
    handled.remove(304)  # the one it appended, the last
    handled.reverse()
    if handled:
        meta["handle_httpstatus_list"] = handled
    return request.replace(headers=headers, meta=meta)
