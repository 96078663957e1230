"""The recrawl policy of scheduled runs: fetch what is new, changed or due, and nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archiver.archive.recrawl import ArchiveState, RecrawlPolicy, RecrawlState
from archiver.crawl.meta import EXEMPT, LASTMOD
from archiver.settings import read_setting


class RecrawlMiddleware:
    """Spider middleware that drops requests for archived articles that are not due, and adds
    the due ones (young articles, for their new comments; old ones at a slower interval) to the
    start of the run.

    A URL is requested when it is new, failed last time, changed after its last good fetch by
    its sitemap's or feed's lastmod, is a listing page, or is an article younger than
    ``ARCHIVER_RECRAWL_FRESH_DAYS`` or not fetched for ``ARCHIVER_RECRAWL_INTERVAL_DAYS``.
    The dupefilter keeps any URL to one fetch per run. Settings: ``ARCHIVER_RECRAWL_ENABLED``,
    ``ARCHIVER_RECRAWL_FRESH_DAYS``, ``ARCHIVER_RECRAWL_INTERVAL_DAYS``, ``ARCHIVER_ARCHIVE_PATH``.
    """

    #: Add the archived articles that are due to the start of the run.
    adds_due_articles = True

    def __init__(self, crawler: Crawler, state: RecrawlState) -> None:
        self.crawler = crawler
        self.state = state
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecrawlMiddleware:
        settings = crawler.settings
        if not read_setting(settings, "ARCHIVER_RECRAWL_ENABLED"):
            raise NotConfigured("ARCHIVER_RECRAWL_ENABLED is off")
        fresh = read_setting(settings, "ARCHIVER_RECRAWL_FRESH_DAYS")
        interval = read_setting(settings, "ARCHIVER_RECRAWL_INTERVAL_DAYS")
        middleware = cls(crawler, cls.recrawl_state(crawler, RecrawlPolicy(fresh, interval)))
        crawler.signals.connect(middleware.state.close, signal=signals.spider_closed)
        return middleware

    @classmethod
    def recrawl_state(cls, crawler: Crawler, policy: RecrawlPolicy) -> RecrawlState:
        """What is archived, and when it was fetched: the archive (a worker reads the drain's mirror)."""
        path = read_setting(crawler.settings, "ARCHIVER_ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVER_ARCHIVE_PATH is empty")
        return ArchiveState(path, policy)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            if self._wanted(output):
                yield output
        if not self.adds_due_articles:
            return
        spider = self.crawler.spider
        assert spider is not None
        for url in self.state.due_articles(tuple(getattr(spider, "allowed_domains", None) or ())):
            self.stats.inc_value("archiver/recrawl/due")
            yield self._page_request(spider, url)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            if self._wanted(output):
                yield output

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            if self._wanted(output):
                yield output

    def _wanted(self, output: Any) -> bool:
        if not isinstance(output, Request) or output.meta.get(EXEMPT):
            return True
        fetch, reason = self.state.should_fetch(output.url, output.meta.get(LASTMOD))
        self.stats.inc_value(f"archiver/recrawl/{'fetch' if fetch else 'skip'}/{reason}")
        return fetch

    @staticmethod
    def _page_request(spider: Spider, url: str) -> Request:
        build = getattr(spider, "page_request", None)
        return build(url) if build is not None else Request(url)
