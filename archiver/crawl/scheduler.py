"""The crawl's scheduler: requests waiting to be fetched wait on disk, not in memory."""

from __future__ import annotations

import shutil
import tempfile

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred

from archiver.settings import read_setting


class DiskQueueScheduler(Scheduler):
    """Scrapy's scheduler with its queue on disk even when there is no ``JOBDIR``.

    A crawl's frontier (links found, not yet fetched) grows with the site: about 13,000 requests
    waited at once in a crawl of 20,000 articles, 2-3 KB each in memory. Scrapy keeps them on disk
    only in a ``JOBDIR``; without one, this scheduler gives it a temporary folder (``TMPDIR``),
    removed when the crawl closes. What stays in memory per URL is the duplicate filter's
    fingerprint. Requests that cannot be pickled still wait in memory, as in Scrapy.

    Settings: ``ARCHIVER_DISK_QUEUE`` (off: Scrapy's own behaviour, a memory queue without
    ``JOBDIR``), and Scrapy's ``SCHEDULER_DISK_QUEUE``.
    """

    temporary: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskQueueScheduler:
        scheduler = super().from_crawler(crawler)
        if scheduler.dqdir is None and read_setting(crawler.settings, "ARCHIVER_DISK_QUEUE"):
            scheduler.temporary = scheduler.dqdir = tempfile.mkdtemp(prefix="archiver-queue-")
        return scheduler

    def close(self, reason: str) -> Deferred[None] | None:
        try:
            return super().close(reason)
        finally:
            if self.temporary is not None:
                shutil.rmtree(self.temporary, ignore_errors=True)
