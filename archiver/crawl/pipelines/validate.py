"""Drop items that lack what an archived article must have."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

REQUIRED_FIELDS = ("url", "title", "body")


class ValidatePipeline:
    """Drops items without url, title or body; counts ``archiver/validate/missing_<field>``."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in REQUIRED_FIELDS:
            if not adapter.get(name):
                self.stats.inc_value(f"archiver/validate/missing_{name}")
                raise DropItem(f"missing {name}: {adapter.get('url')}", log_level="INFO")
        return item
