"""Running one worker of a distributed crawl in this process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver.distributed.spider import DistributedArticlesSpider

#: Components a worker uses instead of the local crawl's SQLite writers and feed.
_REPLACED: dict[str, dict[str, int | None]] = {
    "ITEM_PIPELINES": {
        "archiver.crawl.pipelines.archive.ArchivePipeline": None,
        "archiver.distributed.pipeline.RedisItemsPipeline": 300,
    },
    "DOWNLOADER_MIDDLEWARES": {
        "archiver.crawl.middlewares.runlog.RunLog": None,
        "archiver.distributed.runlog.RedisRunLog": 50,
        "archiver.crawl.middlewares.conditional.ConditionalRequests": None,
        "archiver.distributed.middlewares.RedisConditionalRequests": 60,
        "archiver.crawl.middlewares.capture.CaptureMiddleware": None,
        "archiver.distributed.capture.RedisCapture": 950,
    },
    "SPIDER_MIDDLEWARES": {
        "archiver.crawl.middlewares.recrawl.RecrawlMiddleware": None,
        "archiver.distributed.middlewares.RedisRecrawlMiddleware": 950,
    },
    "EXTENSIONS": {"archiver.distributed.progress.WorkerProgress": 500},
}


@dataclass
class WorkerReport:
    """The outcome of one worker's part of a crawl."""

    crawl_id: str
    worker: str
    log_path: Path | None
    stats: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def stat(self, name: str) -> int:
        """A numeric stat, 0 when absent."""
        return int(self.stats.get(name, 0) or 0)

    def describe(self) -> str:
        lines = [
            f"worker {self.worker} (crawl {self.crawl_id}): {self.stat('response_received_count')} pages fetched, "
            f"{self.stat('archiver/redis/items_sent')} articles sent to Redis for the drain, "
            f"finished ({self.stats.get('finish_reason', '?')})"
        ]
        if self.failures:
            lines.append(f"  {len(self.failures)} fetches failed, first: {self.failures[0]}")
        if self.log_path:
            lines.append(f"  log: {self.log_path}")
        return "\n".join(lines)


def apply_worker_settings(settings: Settings, redis_url: str) -> None:
    """Turn a local crawl's settings into a worker's: scrapy-redis scheduler, items and records to Redis."""
    settings.set("SCHEDULER", "archiver.distributed.scheduler.RedisScheduler", priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")
    settings.set("REDIS_URL", redis_url, priority="cmdline")
    settings.set("ARCHIVER_REDIS_URL", redis_url, priority="cmdline")
    settings.set("ARCHIVER_ARCHIVE_PATH", "", priority="cmdline")  # workers never open the archive
    settings.set("FEEDS", {}, priority="cmdline")  # the drain's archive is the crawl's output
    # the recrawl policy of the sites of a sources file; -s ARCHIVER_RECRAWL_ENABLED=False still turns it off
    settings.set("ARCHIVER_RECRAWL_ENABLED", True, priority="spider")
    for name, changes in _REPLACED.items():
        settings.set(name, {**settings.getdict(name), **changes}, priority="cmdline")


def run_worker(settings: Settings, redis_url: str, crawl_id: str, log_path: Path | None) -> WorkerReport:
    """Take part in the crawl in Redis until it is over (or SIGTERM); block until done."""
    apply_worker_settings(settings, redis_url)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DistributedArticlesSpider)
    process.crawl(crawler, crawl_id=crawl_id)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, DistributedArticlesSpider) and crawler.stats is not None
    return WorkerReport(
        crawl_id=crawl_id,
        worker=str(getattr(spider, "redis_worker", "?")),
        log_path=log_path,
        stats=crawler.stats.get_stats(),
        failures=spider.failures,
    )
