"""The crawl and fetch log of a worker, sent to Redis for the drain to write into the archive."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis import connection

from archiver.crawl.middlewares.runlog import KEPT_SETTINGS, RunLog
from archiver.distributed.state import Keys
from archiver.settings import read_setting


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RedisRunLog(RunLog):
    """RunLog's records (the worker's run for ``crawls``, each fetch for ``fetches``) as JSON in ``<spider>:records``.

    Settings: ``REDIS_URL``, ``ARCHIVER_RUNLOG_ENABLED``, ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (records per push).
    """

    server: redis.Redis
    key: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisRunLog:
        settings = crawler.settings
        if not read_setting(settings, "ARCHIVER_RUNLOG_ENABLED"):
            raise NotConfigured("ARCHIVER_RUNLOG_ENABLED is off")
        log = cls(crawler, "", read_setting(settings, "ARCHIVER_ARCHIVE_BATCH_SIZE"))
        log.server = connection.from_settings(settings)
        log.key = Keys(crawler.spidercls.name).records
        crawler.signals.connect(log.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(log.spider_closed, signal=signals.spider_closed)
        return log

    def spider_opened(self, spider: Spider) -> None:
        self.crawl_id = str(getattr(spider, "crawl_id", "") or _now())
        settings = {name: self.crawler.settings.get(name) for name in KEPT_SETTINGS}
        self._push(
            [
                {
                    "record": "crawl_started",
                    "id": self.crawl_id,
                    "spider": spider.name,
                    "started": _now(),
                    "arguments": {"redis_worker": getattr(spider, "redis_worker", None)},
                    "settings": settings,
                }
            ]
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.flush()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        record = {"record": "crawl_finished", "id": self.crawl_id, "finished": _now(), "reason": reason}
        self._push([{**record, "stats": json.loads(json.dumps(stats, default=str))}])

    def flush(self) -> None:
        """Push the pending fetch rows in one RPUSH."""
        if self.pending:
            self._push([{"record": "fetch", **row} for row in self.pending])
            self.pending = []

    def _push(self, records: list[dict[str, Any]]) -> None:
        self.server.rpush(self.key, *(json.dumps(r, ensure_ascii=False) for r in records))
