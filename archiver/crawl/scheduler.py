"""The crawl's scheduler: requests waiting to be fetched wait on disk, not in memory."""

from __future__ import annotations

import pickle
import shutil
import tempfile
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from queuelib.queue import LifoDiskQueue
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


def _pickled(request: dict[str, Any]) -> bytes:
    """A request's dict as Scrapy's pickling queue writes it (protocol 4; what cannot be pickled a ValueError)."""
    try:
        return pickle.dumps(request, protocol=4)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:  # as scrapy.squeues._pickle_serialize
        raise ValueError(str(exc)) from exc


class _Held:
    """How many requests a crawler's disk queues hold in memory, together."""

    count = 0


#: One count per crawler (its scheduler's queues: one a host and priority), kept while the crawler lives.
_HELD: weakref.WeakKeyDictionary[Crawler, _Held] = weakref.WeakKeyDictionary()


class SpiderRequestsDiskQueue(PickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    """Scrapy's ``PickleLifoDiskQueue`` (its default disk queue), each request written as the same
    dict, made by ``request_dict``; read back by Scrapy's own code.

    Up to ``IN_MEMORY`` requests, counted over all the queues of one crawler's scheduler (Scrapy's
    ``DownloaderAwarePriorityQueue`` makes one queue a host and priority), wait in memory with their
    pickles in front of their queue's file: a request pushed and popped before it was spilled to the
    file (most of a crawl's, last in, first out) is given back as it was pushed, never written, read
    and made again (``request_from_dict``: its URL escaped again, its headers rebuilt: 0.1-0.2 ms a
    request). A push when the crawler's queues hold ``IN_MEMORY`` spills this queue's oldest request
    in memory to its file, or writes the new one straight to the file if this queue holds none in
    memory; so every request a queue holds in memory is newer than every one in its file and its
    order is the file's alone. Closing the queue (a ``JOBDIR`` paused) writes those in memory to the
    file, oldest first. A request that cannot be pickled is refused at its push, as before (Scrapy's
    scheduler keeps it in its memory queue).

    Invariant: a spider never changes a request after yielding it (nor what its ``meta`` and
    ``cb_kwargs`` hold). A request popped from memory is the object pushed, not a copy made from the
    pickle taken at its push, so a change made while it waited would be seen from memory and not
    from the file. Archiver's spiders keep it: ``parse`` and ``_render_requests`` yield new requests
    and keep none; ``parse_comment_page`` changes an article's ``CommentPages`` (its request's
    ``cb_kwargs``) only when that request's response is read, and one request of it waits at a time.
    """

    #: How many requests a crawler's queues hold in memory at most, together (a few KB each).
    IN_MEMORY = 256

    def __init__(self, crawler: Crawler, key: str) -> None:
        super().__init__(crawler, key)
        self.newest: deque[tuple[Request, bytes]] = deque()
        self.held = _HELD.setdefault(crawler, _Held())

    def push(self, request: Request) -> None:
        pickled = _pickled(request_dict(request, self.spider))
        if self.held.count < self.IN_MEMORY:
            self.held.count += 1
        elif self.newest:
            LifoDiskQueue.push(self, self.newest.popleft()[1])
        else:
            LifoDiskQueue.push(self, pickled)
            return
        self.newest.append((request, pickled))

    def pop(self) -> Request | None:
        if self.newest:
            self.held.count -= 1
            return self.newest.pop()[0]
        return super().pop()

    def peek(self) -> Request | None:
        if self.newest:
            return self.newest[-1][0]
        return super().peek()

    def __len__(self) -> int:
        return len(self.newest) + int(super().__len__())

    def close(self) -> None:
        self.held.count -= len(self.newest)
        while self.newest:
            LifoDiskQueue.push(self, self.newest.popleft()[1])
        super().close()
