"""scrapy-redis's scheduler, with leased pops, a heartbeat, and the rule for when a crawl is over."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archiver.crawl.meta import LEASE
from archiver.distributed.state import Keys, Leases, crawl_state, new_worker_id, reclaim_dead
from archiver.settings import read_setting

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):
    """Shared request queue and dupefilter in Redis (scrapy-redis), with leases for in-flight requests.

    A popped request stays in this worker's in-flight hash until the engine is done with it, so a
    worker killed mid-crawl loses nothing: once its heartbeat expires, another worker puts its
    requests back in the queue. The crawl is over for a worker when no request has been queued or
    in flight anywhere for ``ARCHIVER_REDIS_IDLE_SECONDS``.

    Settings: ``REDIS_URL``, ``SCHEDULER_PERSIST`` (on: workers can join and leave),
    ``ARCHIVER_REDIS_HEARTBEAT_SECONDS``, ``ARCHIVER_REDIS_IDLE_SECONDS``.
    """

    crawler: Crawler
    spider: Spider

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        scheduler: RedisScheduler = super().from_crawler(crawler)
        scheduler.setup(
            crawler,
            read_setting(crawler.settings, "ARCHIVER_REDIS_HEARTBEAT_SECONDS"),
            read_setting(crawler.settings, "ARCHIVER_REDIS_IDLE_SECONDS"),
        )
        return scheduler

    def setup(self, crawler: Crawler, heartbeat_seconds: float, idle_seconds: float) -> None:
        """What scrapy-redis's constructor does not take: the crawler, heartbeat and idle times."""
        self.crawler = crawler
        self.heartbeat_seconds = heartbeat_seconds
        self.idle_seconds = idle_seconds
        self.worker = new_worker_id()
        self.held: set[str] = set()
        self._atomic = False  # set on open(), once the queue and dupefilter classes are known
        self.idle_since: float | None = None
        self._stopping = threading.Event()
        self._beating = threading.Thread(target=self._beat_until_closed, daemon=True, name="archiver-heartbeat")
        self._ticks = task.LoopingCall(self._tick)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    # --- the scheduler interface ------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        # scrapy-redis's open() less its flush-on-start and its Spider.log() call (deprecated in Scrapy 2.19)
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name}, serializer=self.serializer
        )
        if not self.df:  # type: ignore[has-type]
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        # the classes a worker's settings name: a request's fingerprint and its place in the queue in one script
        self._atomic = type(self.queue) is PriorityQueue and type(self.df) is RFPDupeFilter
        spider.redis_worker = self.worker  # type: ignore[attr-defined]  # for the crawl record
        self.leases = Leases(self.server, Keys(spider.name), self.worker)
        self.leases.beat(self._ttl_ms, self.worker)
        self._watch_engine()
        self._beating.start()
        self._ticks.start(1.0, now=False)
        logger.info(
            "worker %s joined the crawl: %s", self.worker, crawl_state(self.server, self.leases.keys).describe()
        )

    def close(self, reason: str) -> None:
        if self._ticks.running:
            self._ticks.stop()
        self._stopping.set()
        given = self.leases.retire()
        if given:
            logger.warning("worker %s gave %d unfinished requests back to the queue", self.worker, given)
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if LEASE in request.meta:  # a retry or redirect copy of a leased request: a request of its own
            request = request.replace(meta={k: v for k, v in request.meta.items() if k != LEASE})
        if request.dont_filter:
            self.queue.push(request)
        elif self._atomic:  # seen and queued in one step: a worker killed between them would lose the URL
            data = self.queue._encode_request(request)
            fingerprint = self.df.request_fingerprint(request)
            if not self.leases.push_new(self.df.key, self.queue.key, fingerprint, -request.priority, data):
                self.df.log(request, self.spider)
                return False
        elif self.df.request_seen(request):  # another queue or dupefilter class (-s): scrapy-redis's two steps
            self.df.log(request, self.spider)
            return False
        else:
            self.queue.push(request)
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        taken = self.leases.take()
        if taken is None:
            return None
        lease, data = taken
        request: Request = self.queue._decode_request(data)
        request.meta[LEASE] = lease
        self.held.add(lease)
        check_host = getattr(self.spider, "check_host", None)
        if check_host is not None:
            check_host(request)  # the offsite filter must know the request's site before it is sent
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    # --- leases ------------------------------------------------------------------------------

    def finished(self, request: Request) -> None:
        """The engine is done with a request: downloaded, parsed, its items and links sent on."""
        lease = request.meta.get(LEASE)
        if lease in self.held:
            self.held.discard(lease)
            self.leases.release(lease)

    def _watch_engine(self) -> None:
        """Call ``finished`` when the engine lets go of a request.

        Scrapy has no signal for "this request's callback output is fully processed"; the engine's
        slot does that bookkeeping in ``remove_request``, so it is wrapped here (the one place
        archiver reaches into Scrapy's internals; checked on open, so a Scrapy that changes it
        fails at once rather than losing requests).
        """
        slot: Any = getattr(self.crawler.engine, "_slot", None)
        remove = getattr(slot, "remove_request", None)
        if remove is None or not hasattr(slot, "nextcall"):
            raise RuntimeError("this Scrapy's engine has no request slot; archiver's Redis scheduler needs Scrapy 2.19")

        def remove_request(request: Request) -> None:
            self.finished(request)
            remove(request)

        slot.remove_request = remove_request
        self._slot = slot

    @property
    def _ttl_ms(self) -> int:
        return int(self.heartbeat_seconds * 1000)

    def _beat_until_closed(self) -> None:
        """In a thread, so a busy reactor does not make this worker look dead."""
        while not self._stopping.wait(self.heartbeat_seconds / 3):
            try:
                self.leases.beat(self._ttl_ms, self.worker)
            except redis.RedisError as exc:
                logger.warning("heartbeat failed: %s", exc)

    def _tick(self) -> None:
        """Every second: requeue dead workers' requests; let the engine look at the queue again."""
        reclaimed = reclaim_dead(self.server, self.leases.keys)
        if reclaimed:
            self.crawler.stats.inc_value("archiver/redis/reclaimed", reclaimed)
            logger.warning("%d requests of a stopped worker put back in the queue", reclaimed)
        self._slot.nextcall.schedule()

    # --- when the crawl is over --------------------------------------------------------------

    def spider_idle(self) -> None:
        """Keep the spider open until nothing is queued or in flight anywhere for the idle time."""
        if self.held:  # the engine is idle, so these are done; never expected
            logger.warning("releasing %d leases the engine did not report as done", len(self.held))
            for lease in list(self.held):
                self.held.discard(lease)
                self.leases.release(lease)
        state = crawl_state(self.server, self.leases.keys)
        now = time.monotonic()
        if state.crawling:
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            raise DontCloseSpider
        logger.info("nothing queued or in flight for %g s: the crawl is over", self.idle_seconds)
