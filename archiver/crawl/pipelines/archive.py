"""Write articles and their comments to the SQLite archive, in batched transactions."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from archiver.archive import Archive, SaveCounts
from archiver.archive.hashes import ContentHashes
from archiver.crawl.hashing import hashes_of
from archiver.items import item_asdict
from archiver.settings import read_setting


class ArchivePipeline:
    """Stores items in the archive.

    Settings: ``ARCHIVER_ARCHIVE_PATH`` (the file; empty disables the pipeline),
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (articles per transaction),
    ``ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS`` (wait for another writer's lock).
    """

    def __init__(self, path: str, batch_size: int, busy_timeout_ms: int, stats: StatsCollector) -> None:
        self.path = path
        self.batch_size = batch_size
        self.busy_timeout_ms = busy_timeout_ms
        self.stats = stats
        self.pending: list[dict[str, Any]] = []
        self.hashes: list[ContentHashes | None] = []  # the pending articles' hashes from the workers
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        path = read_setting(settings, "ARCHIVER_ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVER_ARCHIVE_PATH is empty")
        batch_size = read_setting(settings, "ARCHIVER_ARCHIVE_BATCH_SIZE")
        assert crawler.stats is not None
        return cls(path, batch_size, read_setting(settings, "ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS"), crawler.stats)

    def open_spider(self) -> None:
        self.archive = Archive(self.path, self.busy_timeout_ms)

    def close_spider(self) -> None:
        self.flush()
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Any) -> Any:
        self.pending.append(item_asdict(item))
        self.hashes.append(hashes_of(item))
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the pending batch in one transaction."""
        if not self.pending or self.archive is None:
            return
        counts = self.archive.save(self.pending, hashes=self.hashes)
        self.pending, self.hashes = [], []
        self._count(counts)

    def _count(self, counts: SaveCounts) -> None:
        for name, value in vars(counts).items():
            self.stats.inc_value(f"archiver/archive/{name}", value)
