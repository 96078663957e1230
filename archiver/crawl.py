"""Running a crawl in this process and reporting what it did."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver.spiders.articles import ArticlesSpider


@dataclass
class CrawlReport:
    """The outcome of one crawl, for the end-of-run summary and the exit code."""

    crawl_id: str
    archive_path: Path
    export_path: Path
    log_path: Path | None
    stats: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def stat(self, name: str) -> int:
        """A numeric stat, 0 when absent."""
        return int(self.stats.get(name, 0) or 0)

    @property
    def pages(self) -> int:
        """Responses received (any status)."""
        return self.stat("response_received_count")


def new_crawl_id() -> str:
    """A sortable, unique crawl id such as ``20261128T174212Z-3f2a``."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(2)}"


def build_settings(
    archive_path: Path,
    exports_dir: Path,
    overrides: dict[str, str],
    log_path: Path | None,
) -> Settings:
    """The project's settings with the command line's choices on top."""
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.set("ARCHIVER_ARCHIVE_PATH", str(archive_path), priority="cmdline")
    feed_uri = str(exports_dir / "%(name)s-%(crawl_id)s.jsonl")
    settings.set("FEEDS", {feed_uri: {"format": "jsonlines", "encoding": "utf8"}}, priority="cmdline")
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_path), priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    urls: list[str],
    archive_path: Path,
    exports_dir: Path = Path("exports"),
    overrides: dict[str, str] | None = None,
    log_dir: Path | None = Path("logs"),
) -> CrawlReport:
    """Crawl from urls into the archive and a JSON Lines file; block until done."""
    crawl_id = new_crawl_id()
    log_path = log_dir / f"crawl-{crawl_id}.log" if log_dir is not None else None
    settings = build_settings(archive_path, exports_dir, overrides or {}, log_path)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ArticlesSpider)
    process.crawl(crawler, url=",".join(urls), crawl_id=crawl_id)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, ArticlesSpider) and crawler.stats is not None
    return CrawlReport(
        crawl_id=crawl_id,
        archive_path=archive_path,
        export_path=exports_dir / f"{ArticlesSpider.name}-{crawl_id}.jsonl",
        log_path=log_path,
        stats=crawler.stats.get_stats(),
        failures=spider.failures,
    )
