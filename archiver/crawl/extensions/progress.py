"""Crawl progress: pages, items, rate, queue and errors, live on a terminal or as periodic log lines."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call

from archiver.crawl.progress import LiveLine, is_terminal
from archiver.settings import read_setting

logger = logging.getLogger(__name__)

#: Seconds between redraws of the live display (log lines follow ARCHIVER_PROGRESS_INTERVAL).
LIVE_REFRESH = 0.5


def _elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


class Progress:
    """Extension showing a crawl's progress.

    Settings: ``ARCHIVER_PROGRESS`` ("auto": a live line on stderr when it is a terminal and the
    log is not written there, log lines otherwise; "live"; "log"; "off"),
    ``ARCHIVER_PROGRESS_INTERVAL`` (seconds between log lines).
    """

    def __init__(self, stats: StatsCollector, live: bool, interval: float) -> None:
        self.stats = stats
        self.live = live
        self.interval = interval
        self.display: LiveLine | None = None
        self.task: Any = None
        self.started = self.last_time = time.monotonic()
        self.last_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = crawler.settings
        mode = read_setting(settings, "ARCHIVER_PROGRESS")
        interval = read_setting(settings, "ARCHIVER_PROGRESS_INTERVAL")
        if mode == "off":
            raise NotConfigured("ARCHIVER_PROGRESS is off")
        log_on_stderr = settings.getbool("LOG_ENABLED") and not settings.get("LOG_FILE")
        live = mode == "live" or (mode == "auto" and is_terminal(sys.stderr) and not log_on_stderr)
        assert crawler.stats is not None
        progress = cls(crawler.stats, live, interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        self.started = self.last_time = time.monotonic()
        if self.live:
            self.display = LiveLine(sys.stderr)
        self.task = create_looping_call(self.show)
        self.task.start(LIVE_REFRESH if self.live else self.interval, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        seconds = time.monotonic() - self.started
        rate = self._value("response_received_count") / seconds if seconds > 0 else 0.0
        line = f"crawl {reason}: {self.line(rate)}, {_elapsed(seconds)}"
        if self.display is not None:
            self.display.close(line)
        logger.info(line)

    def show(self) -> None:
        """Redraw the live line, or log one line."""
        now = time.monotonic()
        pages = self._value("response_received_count")
        rate = (pages - self.last_pages) / (now - self.last_time) if now > self.last_time else 0.0
        self.last_pages, self.last_time = pages, now
        line = f"crawling: {self.line(rate)}, {_elapsed(now - self.started)}"
        if self.display is not None:
            self.display.show(line)
        else:
            logger.info(line)

    def line(self, rate: float) -> str:
        """Pages (with their rate), items, queued requests and errors logged, as one line."""
        queued = self._value("scheduler/enqueued") - self._value("scheduler/dequeued")
        return (
            f"{self._value('response_received_count')} pages ({rate:.1f}/s), "
            f"{self._value('item_scraped_count')} items, {queued} queued, {self._value('log_count/ERROR')} errors"
        )

    def _value(self, name: str) -> int:
        return int(self.stats.get_value(name, 0) or 0)
