"""A worker's progress line: pages, items, errors, and what the shared queues hold."""

from __future__ import annotations

import sys
import time

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis import connection
from twisted.internet import task

from archiver.distributed.state import Keys, crawl_state
from archiver.settings import read_setting


def error_count(stats: dict[str, object]) -> int:
    """Failed fetches, given-up extractions and spider exceptions counted so far."""
    prefixes = ("archiver/fetch_errors/", "archiver/extract/", "spider_exceptions/count")
    return sum(int(v) for k, v in stats.items() if k.startswith(prefixes) and isinstance(v, int))


class WorkerProgress:
    """Prints one line to stderr every ``ARCHIVER_REDIS_PROGRESS_SECONDS`` (0: off) and one at the end."""

    def __init__(self, crawler: Crawler, seconds: float, server: redis.Redis) -> None:
        self.crawler = crawler
        self.seconds = seconds
        self.server = server
        self.keys = Keys(crawler.spidercls.name)
        self.started = time.monotonic()
        self.last = (self.started, 0)
        self.loop = task.LoopingCall(self.report)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerProgress:
        seconds = read_setting(crawler.settings, "ARCHIVER_REDIS_PROGRESS_SECONDS")
        if seconds <= 0:
            raise NotConfigured("ARCHIVER_REDIS_PROGRESS_SECONDS is 0")
        progress = cls(crawler, seconds, connection.from_settings(crawler.settings))
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        self.worker = getattr(spider, "redis_worker", "worker")
        self.loop.start(self.seconds, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        self.report(final=reason)

    def report(self, final: str = "") -> None:
        """One line: this worker's counts and rates, then the shared queues."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        pages = int(stats.get("response_received_count", 0))
        now = time.monotonic()
        since, before = (self.started, 0) if final else self.last
        rate = (pages - before) / max(now - since, 1e-9)
        self.last = (now, pages)
        items = int(stats.get("archiver/redis/items_sent", 0))
        try:
            shared = crawl_state(self.server, self.keys).describe()
        except redis.RedisError as exc:
            shared = f"Redis unreachable: {exc}"
        head = f"worker {self.worker} {'finished (' + final + ')' if final else 'running'}"
        line = f"{head}: {pages} pages ({rate:.1f}/s), {items} items sent, {error_count(stats)} errors; {shared}"
        print(line, file=sys.stderr, flush=True)
