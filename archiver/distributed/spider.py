"""The article spider as a worker: start requests come from the shared queue, sites from Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy_redis import connection

from archiver.distributed.state import Keys
from archiver.spiders.articles import ArticlesSpider


class DistributedArticlesSpider(ArticlesSpider):
    """ArticlesSpider whose start URLs were pushed by ``archiver enqueue`` into the shared queue.

    The sites to follow are the origins ``archiver enqueue`` stored in Redis (``articles:sites``):
    read when the spider opens, and read again when a request for a host not known yet comes
    out of the queue (the scheduler calls ``check_host``), so a site enqueued while workers run
    is followed by all of them.
    Settings: those of ArticlesSpider, and ``REDIS_URL``.
    """

    needs_start_urls = False
    server: redis.Redis
    sites_key: str

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DistributedArticlesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, DistributedArticlesSpider)
        spider.server = connection.from_settings(crawler.settings)
        spider.sites_key = Keys(cls.name).sites
        crawler.signals.connect(spider.read_sites, signal=signals.spider_opened)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        """Nothing of its own: every request comes from the shared queue."""
        return
        yield  # an async generator that yields nothing

    def read_sites(self) -> None:
        """Follow the sites stored in Redis."""
        origins = sorted(
            raw.decode() if isinstance(raw, bytes) else raw for raw in self.server.smembers(self.sites_key)
        )
        self.start_urls = origins
        self.follow_hosts(origins)

    def check_host(self, request: Request) -> None:
        """Before a request from the queue is sent: a host not known yet means new sites; read them."""
        host = (urlsplit(request.url).hostname or "").lower()
        if not any(host == d or host.endswith(f".{d}") for d in self.allowed_domains):
            self.read_sites()
