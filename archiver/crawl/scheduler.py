"""The crawl's scheduler: requests waiting to be fetched wait on disk, not in memory."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.squeues import PickleLifoDiskQueue
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
    ``JOBDIR``), and Scrapy's ``SCHEDULER_DISK_QUEUE`` (``SpiderRequestsDiskQueue``, below).
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


def request_dict(request: Request, spider: Spider | None) -> dict[str, Any]:
    """``request.to_dict(spider=spider)``, the same dict, without listing the spider's members.

    Scrapy finds a callback's name among all the spider's members (``inspect.getmembers``, which
    reads each of its attributes) for every request it queues: 50 µs a request, most of what the
    queue costs. A callback that is the spider's method of its own name is that name; any other
    callable takes Scrapy's way (and its error, for one that is not the spider's method).
    """
    if spider is None or not (_named_method(spider, request.callback) and _named_method(spider, request.errback)):
        return request.to_dict(spider=spider)
    found = {
        "url": request.url,
        "callback": request.callback.__name__ if callable(request.callback) else request.callback,
        "errback": request.errback.__name__ if callable(request.errback) else request.errback,
        "headers": dict(request.headers),
    }
    for name in request.attributes:
        found.setdefault(name, getattr(request, name))
    if type(request) is not Request:
        found["_class"] = request.__module__ + "." + request.__class__.__name__
    return found


def _named_method(spider: Spider, function: Callable[..., Any] | str | None) -> bool:
    """Whether ``function`` is not callable (None, a name) or is the spider's method of its own name."""
    if not callable(function):
        return True
    own = getattr(function, "__func__", None)
    name = getattr(function, "__name__", None)
    return own is not None and isinstance(name, str) and getattr(getattr(spider, name, None), "__func__", None) is own


class SpiderRequestsDiskQueue(PickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    """Scrapy's ``PickleLifoDiskQueue`` (its default disk queue), each request written as the same
    dict, made by ``request_dict``; read back by Scrapy's own code."""

    def push(self, request: Request) -> None:
        # past Scrapy's push (which calls to_dict) to the pickling queue's
        super(PickleLifoDiskQueue, self).push(request_dict(request, self.spider))  # type: ignore[misc]
