"""Honour ``Retry-After`` on 429 and 503 responses, which Scrapy's RetryMiddleware retries at once."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from archiver.settings import read_setting

#: Statuses whose Retry-After says when to come back.
STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay in seconds or an HTTP date); None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfter:
    """Downloader middleware: wait what a 429/503's ``Retry-After`` asks, then retry (within RETRY_TIMES).

    A wait longer than ``ARCHIVER_RETRY_AFTER_MAX`` seconds is not waited for: the response is
    kept as it is (recorded with its status) and not retried at all. Responses without
    Retry-After are left to Scrapy's RetryMiddleware. Settings: ``ARCHIVER_RETRY_AFTER_MAX``,
    ``RETRY_ENABLED``, ``RETRY_TIMES``.
    """

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(crawler, read_setting(crawler.settings, "ARCHIVER_RETRY_AFTER_MAX"))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in STATUSES or not header or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(header.decode("latin-1"))
        if wait is None:
            return response
        stats = self.crawler.stats
        if wait > self.max_wait:
            request.meta["dont_retry"] = True  # coming back at once would ignore what the site asked
            if stats:
                stats.inc_value("archiver/retry_after/too_long")
            return response
        spider = self.crawler.spider
        retry = get_retry_request(request, spider=spider, reason=f"{response.status} Retry-After") if spider else None
        if retry is None:
            return response
        if stats:
            stats.inc_value("archiver/retry_after/waited")
        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry
