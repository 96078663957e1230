"""Politeness shared by all the workers of a distributed crawl: one slot per site, in Redis.

Scrapy keeps a site's ``DOWNLOAD_DELAY`` and ``CONCURRENT_REQUESTS_PER_DOMAIN`` in the memory of
one process, so N workers on a site are N times as hard on it. Here each site (host) has a slot in
Redis: the time before which no request may start, and the requests in flight with their leases.
One Lua script takes the slot for a request, atomically, with Redis's own clock (so the workers'
clocks do not matter); the request gives it back when its response or error comes, and a lease a
killed worker never gave back expires by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import defaultdict
from time import monotonic
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.reactor import is_asyncio_reactor_installed
from scrapy_redis import connection

from archiver.distributed.state import Keys, new_worker_id
from archiver.settings import read_setting

logger = logging.getLogger(__name__)

#: The Scrapy download slot (``DOWNLOAD_SLOTS``) of requests that hold their site's shared slot:
#: no delay and no limit of its own, so a granted request starts at once (the worker sets it up).
SHARED_DOWNLOAD_SLOT = "archiver:redis-slot"
#: Request meta key of the held slot: (host, token).
HELD = "archiver_redis_slot"
#: How often a request whose site is at its concurrency asks again (sooner when this worker frees one).
POLL_SECONDS = 0.1
#: Slots given back are sent to Redis with this worker's next request for the site (one round trip
#: for both), or after this long if none comes.
RELEASE_SECONDS = 0.05

# Give back the slots of the tokens ARGV[5...], then take the site's slot for one request: 0 when
# granted, the milliseconds to wait when the site's delay has not passed, -1 when its concurrency
# is reached. KEYS: the next allowed start time, the leases (token -> expiry). ARGV: token, delay
# ms, concurrency, lease ms, tokens done.
_TAKE = """
if #ARGV > 4 then redis.call('ZREM', KEYS[2], unpack(ARGV, 5)) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local after = tonumber(redis.call('GET', KEYS[1]) or '0')
if after > now then return after - now end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return -1 end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[2], lease)
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[1], now + delay, 'PX', delay) end
return 0
"""


class SiteSlots:
    """The sites' slots of one crawl in Redis."""

    def __init__(self, server: redis.Redis, keys: Keys, lease_seconds: float) -> None:
        self.server = server
        self.keys = keys
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self._take = server.register_script(_TAKE)

    def take(
        self, host: str, token: str, delay: float, concurrency: int, done: list[str] | None = None
    ) -> float | None:
        """Hold ``host``'s slot for ``token`` (0.0), or the seconds to wait (None: as long as it is full);
        the slots of the tokens ``done`` are given back first."""
        keys = [self.keys.slot(host), self.keys.slot_leases(host)]
        args = [token, int(delay * 1000), max(1, concurrency), self.lease_ms, *(done or ())]
        wait = int(self._take(keys=keys, args=args))
        return None if wait < 0 else wait / 1000

    def release(self, host: str, *tokens: str) -> None:
        """The requests of these tokens are done with ``host``."""
        self.server.zrem(self.keys.slot_leases(host), *tokens)


class SharedPoliteness:
    """Downloader middleware: a request starts only when its site's slot in Redis grants it.

    A site's delay and concurrency are its sources-file site's (``archiver enqueue --sources``),
    else this worker's ``DOWNLOAD_DELAY`` and ``CONCURRENT_REQUESTS_PER_DOMAIN``; with
    ``ROBOTSTXT_OBEY``, the site's robots.txt ``Crawl-delay`` when it is longer. A request whose
    turn has not come waits without blocking the reactor (the delay left, or until this worker
    frees a slot of the site, asking Redis again at most every ``POLL_SECONDS``); one request per
    site at a time asks Redis, the others of the site wait behind it in this worker. A request that
    waited ``ARCHIVER_REDIS_SLOT_WAIT_SECONDS`` goes back to the shared queue. The slot is given
    back on the response or the error (to Redis with this worker's next request for the site, or
    ``RELEASE_SECONDS`` later), or expires after ``ARCHIVER_REDIS_SLOT_LEASE_SECONDS``.
    Settings: ``ARCHIVER_REDIS_SLOTS_ENABLED``, ``ARCHIVER_REDIS_SLOT_LEASE_SECONDS``,
    ``ARCHIVER_REDIS_SLOT_WAIT_SECONDS``, ``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``,
    ``ROBOTSTXT_USER_AGENT``, ``USER_AGENT``, ``REDIS_URL``.
    """

    def __init__(self, crawler: Crawler, slots: SiteSlots, delay: float, concurrency: int, wait_seconds: float) -> None:
        self.crawler = crawler
        self.slots = slots
        self.delay = delay
        self.concurrency = concurrency
        self.wait_seconds = wait_seconds
        self.crawl_delays: dict[str, float] = {}  # host -> robots.txt Crawl-delay
        worker = new_worker_id()  # a token says which worker holds a slot: <host>:<pid>:<random>:<n>
        self._tokens = (f"{worker}:{n}" for n in itertools.count())
        self._turns: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._freed: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._done: dict[str, list[str]] = {}  # host -> tokens given back here, not yet in Redis

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPoliteness:
        settings = crawler.settings
        if not read_setting(settings, "ARCHIVER_REDIS_SLOTS_ENABLED"):
            raise NotConfigured
        if not is_asyncio_reactor_installed():
            raise RuntimeError("ARCHIVER_REDIS_SLOTS_ENABLED needs Scrapy's asyncio reactor (TWISTED_REACTOR)")
        slots = SiteSlots(
            connection.from_settings(settings),
            Keys(crawler.spidercls.name),
            read_setting(settings, "ARCHIVER_REDIS_SLOT_LEASE_SECONDS"),
        )
        middleware = cls(
            crawler,
            slots,
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            read_setting(settings, "ARCHIVER_REDIS_SLOT_WAIT_SECONDS"),
        )
        if settings.getbool("ROBOTSTXT_OBEY"):
            crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        """Give every slot back before leaving."""
        for host in list(self._done):
            self._send_done(host)

    def rules(self, request: Request) -> tuple[float, int]:
        """The delay and concurrency of the request's site."""
        host = urlparse_cached(request).hostname or ""
        rules_for = getattr(self.crawler.spider, "rules_for", None)
        site = rules_for(request.url) if rules_for is not None else None
        delay = self.delay if site is None or site.delay is None else site.delay
        concurrency = self.concurrency if site is None or site.concurrency is None else site.concurrency
        return max(delay, self.crawl_delays.get(host, 0.0)), concurrency

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Keep the site's robots.txt Crawl-delay for this worker's user agent."""
        settings = self.crawler.settings
        agent = settings.get("ROBOTSTXT_USER_AGENT") or request.headers.get(b"User-Agent") or settings["USER_AGENT"]
        delay = robotparser.crawl_delay(agent)
        if delay:
            host = urlparse_cached(request).hostname or ""
            self.crawl_delays[host] = float(delay)
            logger.info("robots.txt of %s asks for a Crawl-delay of %g s", host, float(delay))

    async def process_request(self, request: Request) -> Request | None:
        host = urlparse_cached(request).hostname or ""
        delay, concurrency = self.rules(request)
        token = next(self._tokens)
        deadline = monotonic() + self.wait_seconds
        waited = False
        async with self._turns[host]:  # FIFO: this worker's requests for the site ask Redis in turn
            while True:
                self._freed[host].clear()  # a slot this worker frees from now on ends the pause below
                wait = self.slots.take(host, token, delay, concurrency, self._done.pop(host, None))
                if wait == 0:
                    break
                if monotonic() >= deadline:
                    self.crawler.stats.inc_value("archiver/redis/slot_requeued")
                    return request.replace(dont_filter=True)
                waited = True
                await self._pause(host, wait)
        if waited:
            self.crawler.stats.inc_value("archiver/redis/slot_waited")
        request.meta[HELD] = (host, token)
        request.meta["download_slot"] = SHARED_DOWNLOAD_SLOT
        request.meta["autothrottle_dont_adjust_delay"] = True
        return None

    async def _pause(self, host: str, wait: float | None) -> None:
        """The delay left, or (the site full) until this worker frees one of its slots or the poll time."""
        if wait is not None:
            await asyncio.sleep(wait)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._freed[host].wait(), POLL_SECONDS)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        held: Any = request.meta.pop(HELD, None)
        if held is None:
            return
        host, token = held
        done = self._done.setdefault(host, [])
        done.append(token)
        if len(done) == 1:  # sent with the next request for the site, or soon
            asyncio.get_running_loop().call_later(RELEASE_SECONDS, self._send_done, host)
        self._freed[host].set()

    def _send_done(self, host: str) -> None:
        tokens = self._done.pop(host, None)
        if not tokens:
            return
        try:
            self.slots.release(host, *tokens)
        except redis.RedisError as exc:  # the leases expire by themselves
            logger.warning("could not give back %d slots of %s: %s", len(tokens), host, exc)
