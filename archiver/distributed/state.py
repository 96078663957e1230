"""The Redis side of a distributed crawl: its keys, the connection, and leases of in-flight requests.

scrapy-redis pops a request from the shared queue and forgets it: a worker killed while the request
is in flight loses it, and the shared dupefilter keeps anyone else from fetching it again. Here a
pop is a *lease*: one Lua script moves the request from the queue into the worker's in-flight hash,
the worker deletes it when the engine is done with the request (downloaded, parsed, its items and
links sent), and a worker whose heartbeat key has expired has its leases put back in the queue by
whoever notices first (any other worker, or the drain).
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import redis

#: URL schemes redis-py accepts.
REDIS_SCHEMES = ("redis", "rediss", "unix")


class RedisUnavailable(Exception):
    """The Redis URL is malformed or the server cannot be reached."""


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one spider's crawl (the first three are scrapy-redis's own defaults)."""

    spider: str = "articles"

    @property
    def requests(self) -> str:
        """Sorted set of serialized requests (scrapy-redis ``SCHEDULER_QUEUE_KEY``)."""
        return f"{self.spider}:requests"

    @property
    def dupefilter(self) -> str:
        """Set of request fingerprints (scrapy-redis ``SCHEDULER_DUPEFILTER_KEY``)."""
        return f"{self.spider}:dupefilter"

    @property
    def items(self) -> str:
        """List of items as JSON, oldest first (scrapy-redis ``REDIS_ITEMS_KEY``)."""
        return f"{self.spider}:items"

    @property
    def records(self) -> str:
        """List of fetch and crawl records as JSON, for the archive's ``fetches`` and ``crawls``."""
        return f"{self.spider}:records"

    def processing(self, source: str) -> str:
        """The drain's list of entries taken from ``source`` and not yet committed."""
        return f"{source}:processing"

    def rejected(self, source: str) -> str:
        """Entries of ``source`` the drain could not read (kept for a person to look at)."""
        return f"{source}:rejected"

    @property
    def sites(self) -> str:
        """Set of origins (``https://host:port``) whose links the workers follow."""
        return f"{self.spider}:sites"

    @property
    def workers(self) -> str:
        """Set of worker ids that announced themselves."""
        return f"{self.spider}:workers"

    @property
    def lease_counter(self) -> str:
        return f"{self.spider}:leases"

    def heartbeat(self, worker: str) -> str:
        """Expiring key a live worker refreshes."""
        return f"{self.spider}:worker:{worker}"

    def in_flight(self, worker: str) -> str:
        """Hash of the requests a worker holds: ``<lease>:<score>`` -> serialized request."""
        return f"{self.spider}:inflight:{worker}"

    @property
    def fetches(self) -> str:
        """Hash URL -> its last fetch (JSON), the archive's ``fetches`` mirrored by the drain."""
        return f"{self.spider}:fetches"

    @property
    def archived(self) -> str:
        """Hash canonical URL -> its archived article (JSON: url, published, first_seen), mirrored by the drain."""
        return f"{self.spider}:archived"

    @property
    def captured(self) -> str:
        """Hash URL -> its latest ``response`` capture (JSON: a ``captures`` row), mirrored by the drain."""
        return f"{self.spider}:captured"

    @property
    def mirror(self) -> str:
        """What the last drain copied from the archive into ``fetches`` and ``archived`` (JSON)."""
        return f"{self.spider}:mirror"

    @property
    def sources(self) -> str:
        """Hash site name -> JSON rules of a sources file's site (domains, patterns, recrawl policy)."""
        return f"{self.spider}:sources"

    def slot(self, host: str) -> str:
        """Expiring key: the time (ms, Redis's clock) before which no request may start on ``host``."""
        return f"{self.spider}:slot:{host}"

    def slot_leases(self, host: str) -> str:
        """Sorted set of the requests holding ``host``'s slot: token -> lease expiry (ms, Redis's clock)."""
        return f"{self.spider}:slot:{host}:leases"

    @property
    def drain_lock(self) -> str:
        """Expiring key held by the one running drain."""
        return f"{self.spider}:drain"


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that has answered a PING; RedisUnavailable with the reason otherwise."""
    if urlsplit(url).scheme not in REDIS_SCHEMES:
        raise RedisUnavailable(f"invalid Redis URL {url!r}: expected redis://HOST:PORT/DB")
    try:
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        server.ping()
    except ValueError as exc:
        raise RedisUnavailable(f"invalid Redis URL {url!r}: {exc}") from exc
    except redis.RedisError as exc:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {exc}") from exc
    return server


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def new_worker_id() -> str:
    """A worker id that says where it runs: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"


# Pop the best request (lowest score) and keep it in the worker's in-flight hash, atomically.
_LEASE = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return nil end
redis.call('ZREM', KEYS[1], top[1])
local field = redis.call('INCR', KEYS[3]) .. ':' .. top[2]
redis.call('HSET', KEYS[2], field, top[1])
return {field, top[1]}
"""

# Put a worker's in-flight requests back in the queue, unless its heartbeat is alive (ARGV[2] = "1"
# skips that check: the worker itself is giving them back).
_GIVE_BACK = """
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local held = redis.call('HGETALL', KEYS[2])
for i = 1, #held, 2 do
  local score = string.match(held[i], ':(.*)$')
  redis.call('ZADD', KEYS[3], score, held[i + 1])
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #held / 2
"""


# Queue a request not seen before: its fingerprint marked seen and the request queued in one step
# (scrapy-redis does them as two commands: a worker killed between them left a URL marked seen that no
# queue held, and so lost to every worker). KEYS: the fingerprint set, the queue; ARGV: the fingerprint,
# the score, the serialized request. 1 if queued, 0 if seen before.
_PUSH_NEW = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


def _worker_keys(keys: Keys, worker: str) -> list[str]:
    return [keys.heartbeat(worker), keys.in_flight(worker), keys.requests, keys.workers]


class Leases:
    """Leased pops from the shared request queue, for one worker (or for a reclaimer)."""

    def __init__(self, server: redis.Redis, keys: Keys, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self._lease = server.register_script(_LEASE)
        self._give_back = server.register_script(_GIVE_BACK)
        self._push_new = server.register_script(_PUSH_NEW)

    def take(self) -> tuple[str, bytes] | None:
        """The next request (lease id, serialized request), now held by this worker, or None."""
        keys = [self.keys.requests, self.keys.in_flight(self.worker), self.keys.lease_counter]
        found = self._lease(keys=keys)
        if not found:
            return None
        return found[0].decode(), found[1]

    def push_new(self, seen: str, queue: str, fingerprint: str, score: int, data: bytes) -> bool:
        """Queue a request unless its fingerprint is in ``seen``, marking it seen in the same step (one
        script): whether it was queued."""
        return bool(self._push_new(keys=[seen, queue], args=[fingerprint, score, data]))

    def release(self, lease: str) -> None:
        """The request of this lease is done."""
        self.server.hdel(self.keys.in_flight(self.worker), lease)

    def beat(self, ttl_ms: int, info: str) -> None:
        """Say this worker is alive for ``ttl_ms`` more milliseconds."""
        with self.server.pipeline(transaction=True) as pipe:
            pipe.set(self.keys.heartbeat(self.worker), info, px=ttl_ms)
            pipe.sadd(self.keys.workers, self.worker)
            pipe.execute()

    def retire(self) -> int:
        """Give back whatever this worker still holds and leave the crawl; the number given back."""
        given = int(self._give_back(keys=_worker_keys(self.keys, self.worker), args=[self.worker, "1"]))
        self.server.delete(self.keys.heartbeat(self.worker))
        return given


def reclaim_dead(server: redis.Redis, keys: Keys) -> int:
    """Put the requests of workers whose heartbeat expired back in the queue; how many."""
    script = server.register_script(_GIVE_BACK)
    total = 0
    for raw in server.smembers(keys.workers):
        worker = _text(raw)
        total += max(0, int(script(keys=_worker_keys(keys, worker), args=[worker, "0"])))
    return total


@dataclass
class CrawlState:
    """What the shared queues hold right now."""

    queued: int
    in_flight: int
    workers: int
    items: int
    records: int

    @property
    def crawling(self) -> bool:
        """Requests wait or are being worked on."""
        return self.queued > 0 or self.in_flight > 0

    def describe(self) -> str:
        return (
            f"queue {self.queued} requests, {self.in_flight} in flight, {self.workers} workers, "
            f"{self.items} items waiting for the drain"
        )


def crawl_state(server: redis.Redis, keys: Keys) -> CrawlState:
    """Counts of the shared queues (live workers only: those whose heartbeat key exists)."""
    workers = [_text(raw) for raw in server.smembers(keys.workers)]
    with server.pipeline(transaction=False) as pipe:
        pipe.zcard(keys.requests)
        pipe.llen(keys.items)
        pipe.llen(keys.records)
        for worker in workers:
            pipe.exists(keys.heartbeat(worker))
            pipe.hlen(keys.in_flight(worker))
        values: list[Any] = pipe.execute()
    queued, items, records, per_worker = values[0], values[1], values[2], values[3:]
    alive = sum(int(v) for v in per_worker[0::2])
    in_flight = sum(int(v) for v in per_worker[1::2])
    return CrawlState(int(queued), in_flight, alive, int(items), int(records))
