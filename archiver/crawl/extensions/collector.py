"""The garbage collector of the crawl's process: what the crawl started with frozen, young objects
collected less often."""

from __future__ import annotations

import gc
import sys
from typing import ClassVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archiver.settings import read_setting

#: The collector's thresholds while a crawl runs, on Python 3.11-3.13 (whose defaults are 700, 10,
#: 10). A page's outputs (an article with its comments, its links) are a few hundred objects that
#: live until the archive's batch is saved, and almost none of them is ever cyclic garbage: at 700 the
#: collector ran about every two pages and found nothing to free (benchmarks/RESULTS.md, "The crawl's
#: process, a tenth pass").
CRAWL_THRESHOLDS = (10_000, 10, 10)
#: Python 3.14's collector is incremental (defaults 2000, 10, 0; the third threshold ignored) and was
#: not measured: its thresholds are left as they are there, only the freeze applies.
RAISES_THRESHOLDS = sys.version_info < (3, 14)


class Collector:
    """Extension tuning the garbage collector of the crawl's process while the engine runs.

    Once the first engine of the process has started, the objects the crawl started with (the modules
    of Scrapy, Twisted and archiver, the components, the settings) live as long as the crawl: they are
    collected once, then frozen (``gc.freeze``) so that full collections no longer traverse them,
    and (Python 3.11-3.13) the first generation is collected every ``CRAWL_THRESHOLDS[0]`` new
    objects instead of 700.
    Cyclic garbage is still collected, later. When the last engine of the process stops, the
    collector is as it was. A process that had frozen its heap itself is left frozen as it was.
    ``ARCHIVER_GC_TUNING = False`` keeps Python's collector as the process set it.
    """

    #: Engines of this process running with the collector tuned, and the thresholds before the
    #: first: the collector is the process's, shared by every crawler of a sources file's run.
    running: ClassVar[int] = 0
    before: ClassVar[tuple[int, int, int]] = (700, 10, 10)
    #: Whether this extension froze the heap (not when the embedding process had frozen its own).
    froze: ClassVar[bool] = False

    def __init__(self) -> None:
        self.started = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Collector:
        if not read_setting(crawler.settings, "ARCHIVER_GC_TUNING"):
            raise NotConfigured("ARCHIVER_GC_TUNING is off")
        collector = cls()
        crawler.signals.connect(collector.engine_started, signal=signals.engine_started)
        crawler.signals.connect(collector.engine_stopped, signal=signals.engine_stopped)
        return collector

    def engine_started(self) -> None:
        if Collector.running == 0:
            Collector.before = gc.get_threshold()
            if RAISES_THRESHOLDS:
                gc.set_threshold(*CRAWL_THRESHOLDS)
            # Only at the first engine's start: a later one would freeze the running crawls' live
            # objects and their uncollected garbage until every engine stopped. The garbage of the
            # start is collected first (a few dozen objects), not frozen. A process that froze its
            # own heap (before forking, say) keeps its choice: neither frozen again nor unfrozen.
            Collector.froze = gc.get_freeze_count() == 0
            if Collector.froze:
                gc.collect()
                gc.freeze()
        Collector.running += 1
        self.started = True

    def engine_stopped(self) -> None:
        if not self.started:
            return
        self.started = False
        Collector.running -= 1
        if Collector.running == 0:
            if Collector.froze:
                gc.unfreeze()
            gc.set_threshold(*Collector.before)
