"""Running one worker of a distributed crawl in this process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver.crawl.sources import Source
from archiver.distributed.politeness import SHARED_DOWNLOAD_SLOT
from archiver.distributed.spider import DistributedArticlesSpider, load_source
from archiver.distributed.state import Keys
from archiver.settings import read_setting

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
        # after robots.txt (100), retries (550), redirects (600) and the HTTP cache (900): a request
        # takes its site's shared slot just before it is sent, and every retry takes it again
        "archiver.distributed.politeness.SharedPoliteness": 920,
    },
    "SPIDER_MIDDLEWARES": {
        "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
        "archiver.distributed.middlewares.SiteDepthMiddleware": 900,
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


#: Sites of a sources file listed one per line by ``rules_in_use``; the rest are counted.
_LISTED = 20


def _site_rules(source: Source) -> str:
    extra = [f"profile {source.profile}"] if source.profile else []
    if source.include or source.exclude:
        extra.append(f"{len(source.include)} include and {len(source.exclude)} exclude patterns")
    return (
        f"  {source.name} ({', '.join(source.domains())}): depth {source.depth}, delay {source.delay:g} s, "
        f"concurrency {source.concurrency}{''.join('; ' + e for e in extra)}"
    )


def rules_in_use(server: redis.Redis, settings: Settings) -> list[str]:
    """What this worker applies to which sites: the sources file's rules in Redis, else its own settings."""
    keys = Keys(DistributedArticlesSpider.name)
    sources = sorted((load_source(raw) for raw in server.hvals(keys.sources)), key=lambda s: s.name)
    lines = []
    if sources:
        lines.append(f"rules of {len(sources)} sites of a sources file, from Redis ({keys.sources}):")
        lines += [_site_rules(source) for source in sources[:_LISTED]]
        if len(sources) > _LISTED:
            lines.append(f"  and {len(sources) - _LISTED} more")
    lines.append(
        f"{'other sites' if sources else 'sites'}: depth {settings.getint('DEPTH_LIMIT')}, "
        f"delay {settings.getfloat('DOWNLOAD_DELAY'):g} s, "
        f"concurrency {settings.getint('CONCURRENT_REQUESTS_PER_DOMAIN')} (this worker's --depth and settings)"
    )
    if read_setting(settings, "ARCHIVER_REDIS_SLOTS_ENABLED"):
        robots = ", or robots.txt's Crawl-delay when longer" if settings.getbool("ROBOTSTXT_OBEY") else ""
        lines.append(
            f"each site's delay{robots}, and its concurrency, hold for all workers together (slots in Redis, "
            f"lease {read_setting(settings, 'ARCHIVER_REDIS_SLOT_LEASE_SECONDS'):g} s)"
        )
    else:
        lines.append(
            "ARCHIVER_REDIS_SLOTS_ENABLED is off: this worker's delay and concurrency apply to every site, "
            "in this worker only"
        )
    return lines


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
    if read_setting(settings, "ARCHIVER_REDIS_SLOTS_ENABLED"):
        # a request granted its site's shared slot starts at once: no delay or limit of this worker's own
        shared = {SHARED_DOWNLOAD_SLOT: {"delay": 0, "concurrency": 1_000_000, "jitter": 0}}
        settings.set("DOWNLOAD_SLOTS", {**settings.getdict("DOWNLOAD_SLOTS"), **shared}, priority="cmdline")


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
