"""The crawl's own overhead per page: what Scrapy does for every response is kept to what the crawl needs."""

from __future__ import annotations

import gc
import inspect
import weakref
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import default_settings
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from archiver.crawl.extensions.collector import CRAWL_THRESHOLDS, RAISES_THRESHOLDS, Collector
from archiver.crawl.runner import build_settings


def test_a_page_outputs_are_handled_a_few_at_a_time(tmp_path: Path) -> None:
    """Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response (100 by default, about 3 CPU
    ms a page); the crawl's pipelines are synchronous, so a few at a time lose nothing."""
    settings = build_settings(tmp_path / "archive.db", tmp_path / "exports", {}, None)
    assert settings.getint("CONCURRENT_ITEMS") <= 8 < default_settings.CONCURRENT_ITEMS
    for path in settings.getdict("ITEM_PIPELINES"):
        process_item = load_object(path).process_item
        assert not inspect.iscoroutinefunction(process_item), f"{path} waits: CONCURRENT_ITEMS would matter"


def _collector() -> tuple[Collector, Crawler]:
    crawler = get_crawler(settings_dict={"EXTENSIONS_BASE": {}})  # only the collector hears the signals
    return Collector.from_crawler(crawler), crawler


def test_the_crawls_collector_is_tuned_while_its_engine_runs(tmp_path: Path) -> None:
    """Python's collector ran about every two pages of a crawl and found nothing to free; while the
    engine runs, young objects are collected less often and what the crawl started with is frozen."""
    assert "archiver.crawl.extensions.collector.Collector" in build_settings(
        tmp_path / "archive.db", tmp_path / "exports", {}, None
    ).getdict("EXTENSIONS")
    before = gc.get_threshold()
    started_with = object.__new__(type("StartedWith", (), {}))  # a tracked object alive at the start
    collector, crawler = _collector()  # held: Scrapy's signals hold their receivers weakly
    crawler.signals.send_catch_log(signals.engine_started)
    try:
        assert before != CRAWL_THRESHOLDS
        assert gc.get_threshold() == (CRAWL_THRESHOLDS if RAISES_THRESHOLDS else before)  # Python < 3.14
        assert gc.get_freeze_count() > 0
        assert not any(o is started_with for o in gc.get_objects())  # frozen: no collection traverses it
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0 and not collector.started
    assert any(o is started_with for o in gc.get_objects())


def test_the_collector_is_left_alone_when_its_setting_is_off() -> None:
    """ARCHIVER_GC_TUNING = False: the extension is not configured, so a crawl leaves Python's collector
    as the process set it (an embedding program's own tuning, say)."""
    crawler = get_crawler(settings_dict={"EXTENSIONS_BASE": {}, "ARCHIVER_GC_TUNING": False})
    with pytest.raises(NotConfigured):
        Collector.from_crawler(crawler)
    before = gc.get_threshold()
    crawler.signals.send_catch_log(signals.engine_started)
    try:
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)


def test_the_collector_is_restored_when_the_last_engine_of_the_process_stops() -> None:
    """A sources file's sites crawl at once, one engine each, in one process: the collector is the
    process's, as it was before only once every engine has stopped."""
    before = gc.get_threshold()
    (held_first, first), (held_second, second) = _collector(), _collector()  # held: signals hold them weakly
    first.signals.send_catch_log(signals.engine_started)
    try:
        second.signals.send_catch_log(signals.engine_started)
        first.signals.send_catch_log(signals.engine_stopped)
        assert gc.get_threshold() == (CRAWL_THRESHOLDS if RAISES_THRESHOLDS else before)
        assert gc.get_freeze_count() > 0
    finally:  # the collector restored for the rest of the session even if an assertion failed
        first.signals.send_catch_log(signals.engine_stopped)  # an extension stops once: a second stop is nothing
        second.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert not held_first.started and not held_second.started
    never, _ = _collector()
    never.engine_stopped()  # an engine that never started changes nothing
    assert gc.get_threshold() == before


class _Node:
    """A tracked object that can be in a reference cycle and be watched through a weak reference."""

    other: _Node | None = None


def test_the_garbage_of_the_crawls_start_is_collected_not_frozen() -> None:
    """What the collector freezes is never collected until the last engine stops: the cyclic garbage
    left at the engine's start is collected first."""
    held, crawler = _collector()
    gc.disable()  # no automatic pass: only the extension collects
    try:
        garbage = _Node()
        garbage.other = garbage
        gone = weakref.ref(garbage)
        del garbage
        crawler.signals.send_catch_log(signals.engine_started)
        assert gone() is None
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
        gc.enable()
    assert not held.started


def test_a_second_engine_does_not_freeze_the_running_crawls_objects() -> None:
    """An engine starting while another runs (a sources file's sites, CrawlerRunner in an
    application) would freeze the running crawl's live objects and garbage until every engine
    stopped: only the first engine of the process freezes."""
    (held_first, first), (held_second, second) = _collector(), _collector()
    first.signals.send_catch_log(signals.engine_started)
    try:
        made_by_the_crawl = _Node()
        second.signals.send_catch_log(signals.engine_started)
        assert any(o is made_by_the_crawl for o in gc.get_objects())  # not frozen
    finally:
        second.signals.send_catch_log(signals.engine_stopped)
        first.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_freeze_count() == 0
    assert not held_first.started and not held_second.started


def test_a_freeze_of_the_embedding_process_is_left_alone() -> None:
    """A program running crawls may have frozen its own heap (before forking its workers): the
    collector neither freezes more of it nor unfreezes it when the last engine stops."""
    gc.freeze()
    try:
        frozen_by_the_program = gc.get_freeze_count()
        held, crawler = _collector()
        crawler.signals.send_catch_log(signals.engine_started)
        try:
            assert gc.get_freeze_count() == frozen_by_the_program
        finally:
            crawler.signals.send_catch_log(signals.engine_stopped)
        assert gc.get_freeze_count() == frozen_by_the_program
        assert not held.started
    finally:
        gc.unfreeze()
