"""Drop a second item for an article already seen in this crawl (by canonical URL).

Only the canonical URL is compared here: pages of other URLs that share a body are left to the
archive, which makes them one article only when their titles agree too, and then unites their
comments (``archiver.archive.store``). A dropped item deletes nothing: its comments are simply
not read in this crawl.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from archiver.urls import canonicalize


class DedupePipeline:
    """Keeps the first item per canonical URL; counts ``archiver/dedupe/dropped``."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key = canonicalize(adapter.get("canonical_url") or adapter["url"])
        adapter["canonical_url"] = key
        if key in self.seen:
            self.stats.inc_value("archiver/dedupe/dropped")
            raise DropItem(f"duplicate of {key}", log_level="DEBUG")
        self.seen.add(key)
        return item
