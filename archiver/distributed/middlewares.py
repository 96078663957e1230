"""Conditional requests, the recrawl policy and each site's depth in a worker.

The same middlewares as a local crawl's, with the archive's lookups answered by
``archiver.distributed.mirror.RedisState`` instead of the SQLite file the worker never opens, and
Scrapy's depth limit taken from the sources file's site of each request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy_redis import connection

from archiver.archive.recrawl import RecrawlPolicy, RecrawlState
from archiver.crawl.meta import EXEMPT
from archiver.crawl.middlewares.conditional import ConditionalRequests
from archiver.crawl.middlewares.recrawl import RecrawlMiddleware
from archiver.distributed.mirror import RedisState
from archiver.distributed.state import Keys


class RedisConditionalRequests(ConditionalRequests):
    """ConditionalRequests reading validators from ``<spider>:fetches`` and ``<spider>:archived``.

    Settings: ``ARCHIVER_CONDITIONAL_ENABLED``, ``REDIS_URL``.
    """

    @classmethod
    def validator_source(cls, crawler: Crawler) -> RecrawlState:
        return RedisState(connection.from_settings(crawler.settings), Keys(crawler.spidercls.name))


class RedisRecrawlMiddleware(RecrawlMiddleware):
    """RecrawlMiddleware for the sites of a sources file (``archiver enqueue --sources``), each with its policy.

    A URL on no such site is always fetched (``archiver/recrawl/fetch/unscheduled``). The due
    articles are queued by ``archiver enqueue --sources``, once for all workers, not here. The
    requests a page yields are looked up together: two round trips to Redis per page, however
    many links or sitemap entries it has. Settings: ``ARCHIVER_RECRAWL_ENABLED`` (on in workers), ``REDIS_URL``.
    """

    adds_due_articles = False
    state: RedisState

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from self._kept(list(result))

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        for output in self._kept([output async for output in result]):
            yield output

    def _kept(self, outputs: list[Any]) -> list[Any]:
        """A page's output, its requests looked up in Redis together."""
        urls = [o.url for o in outputs if isinstance(o, Request) and not o.meta.get(EXEMPT)]
        with self.state.prefetched(urls):
            return [output for output in outputs if self._wanted(output)]

    @classmethod
    def recrawl_state(cls, crawler: Crawler, policy: RecrawlPolicy) -> RedisState:
        def policy_for(url: str) -> RecrawlPolicy | None:
            site = getattr(crawler.spider, "recrawl_policy", None)
            return site(url) if site is not None else None

        return RedisState(connection.from_settings(crawler.settings), Keys(crawler.spidercls.name), policy, policy_for)


class SiteDepthMiddleware(DepthMiddleware):
    """Scrapy's DepthMiddleware with the ``depth`` of the request's sources-file site as its limit.

    A request on a site of ``archiver enqueue --sources`` is limited by that site's ``depth``, as
    ``archiver crawl --sources`` limits it (0: its start pages only); one on any other site by the
    worker's ``DEPTH_LIMIT`` (``--depth``). Settings: ``DEPTH_LIMIT``, ``DEPTH_STATS_VERBOSE``, ``DEPTH_PRIORITY``.
    """

    own_limit: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteDepthMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.own_limit = middleware.maxdepth
        return middleware

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        rules_for = getattr(self.crawler.spider, "rules_for", None)
        site = rules_for(request.url).depth if rules_for is not None else None
        self.maxdepth = self.own_limit if site is None else site  # read by Scrapy's method just below
        processed = super().get_processed_request(request, response)
        if site == 0 and processed is not None and processed.meta.get("depth", 0) > 0:
            # a site of depth 0: its start pages only (Scrapy reads a DEPTH_LIMIT of 0 as no limit)
            self.stats.inc_value("request_depth_limit_exceeded")
            return None
        return processed
