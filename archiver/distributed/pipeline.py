"""Send items to the shared Redis list the drain reads, instead of writing SQLite."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy_redis.pipelines import RedisPipeline


class RedisItemsPipeline(RedisPipeline):
    """Appends each item, as JSON (comments nested), to ``<spider>:items`` (scrapy-redis's RedisPipeline).

    Runs after validation and dedupe. scrapy-redis's own ``process_item(item, spider)`` returns a
    Deferred from a thread; Scrapy 2.19 deprecates both the ``spider`` argument and Deferreds here,
    so this one pushes in place: one RPUSH, well under a millisecond, before the engine counts the
    page as done (which is what makes a killed worker's pages safe to fetch again).
    Settings: ``REDIS_URL``, ``REDIS_ITEMS_KEY`` (default ``<spider>:items``).
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemsPipeline:
        pipeline: RedisItemsPipeline = cls.from_settings(crawler.settings)
        pipeline.key = pipeline.key % {"spider": crawler.spidercls.name}
        pipeline.stats = crawler.stats
        return pipeline

    def process_item(self, item: Any) -> Any:
        self.server.rpush(self.key, self.serialize(item))
        self.stats.inc_value("archiver/redis/items_sent")
        return item
