"""The crawl's own overhead per page: what Scrapy does for every response is kept to what the crawl needs."""

from __future__ import annotations

import inspect
from pathlib import Path

from scrapy.settings import default_settings
from scrapy.utils.misc import load_object

from archiver.crawl.runner import build_settings


def test_a_page_outputs_are_handled_a_few_at_a_time(tmp_path: Path) -> None:
    """Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response (100 by default, about 3 CPU
    ms a page); the crawl's pipelines are synchronous, so a few at a time lose nothing."""
    settings = build_settings(tmp_path / "archive.db", tmp_path / "exports", {}, None)
    assert settings.getint("CONCURRENT_ITEMS") <= 8 < default_settings.CONCURRENT_ITEMS
    for path in settings.getdict("ITEM_PIPELINES"):
        process_item = load_object(path).process_item
        assert not inspect.iscoroutinefunction(process_item), f"{path} waits: CONCURRENT_ITEMS would matter"
