"""The one writer: moves items and fetch records from Redis into the SQLite archive.

Reliable-queue pattern: a batch is moved (LMOVE, one entry at a time, so every entry is always in
one of the two lists) from ``<spider>:items`` to ``<spider>:items:processing``, written through
``Archive.save`` in one transaction, and only then deleted from the processing list. A drain that
dies before the commit leaves the batch in the processing list; the next drain writes it first.
A drain that dies after the commit but before the delete writes it again, which changes nothing:
``Archive.save`` of an article it already holds with the same content only moves ``last_seen``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from sqlite_utils.db import NotFoundError

from archiver.archive import Archive, SaveCounts
from archiver.distributed.mirror import Mirror
from archiver.distributed.state import Keys, crawl_state, reclaim_dead

logger = logging.getLogger(__name__)

# Extend the lock only while it is still ours.
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class DrainBusy(Exception):
    """Another drain holds the lock of this crawl (one writer only)."""


@dataclass
class DrainReport:
    """What a drain wrote."""

    items: int = 0
    records: int = 0
    rejected: int = 0
    reclaimed: int = 0  # requests of stopped workers put back in the queue by this drain
    counts: SaveCounts = field(default_factory=SaveCounts)
    seconds: float = 0.0

    def add(self, counts: SaveCounts) -> None:
        for name, value in vars(counts).items():
            setattr(self.counts, name, getattr(self.counts, name) + value)

    def describe(self) -> str:
        c = self.counts
        rate = self.items / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.items} items written ({rate:.1f}/s): +{c.articles_inserted} new articles, "
            f"{c.articles_changed} changed, {c.articles_unchanged} unchanged, {c.articles_merged} merged; "
            f"+{c.comments_inserted} new comments; {self.records} fetch records; {self.rejected} rejected; "
            f"{self.reclaimed} requests of stopped workers requeued"
        )


class Drain:
    """Moves ``<spider>:items`` into the archive and ``<spider>:records`` into ``fetches``/``crawls``.

    Holds the expiring key ``<spider>:drain`` while it runs, so a second drain waits instead of
    writing beside it. Mirrors what it writes to ``fetches`` and ``articles`` into Redis for the
    workers' conditional requests and recrawl policy (``archiver.distributed.mirror``), after the
    commit: a drain stopped in between writes the batch, and mirrors it, again.
    """

    def __init__(
        self, server: redis.Redis, archive: Archive, batch_size: int, lock_seconds: float, keys: Keys | None = None
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch size must be at least 1, not {batch_size}")
        self.server = server
        self.archive = archive
        self.batch_size = batch_size
        self.lock_ms = int(lock_seconds * 1000)
        self.keys = keys or Keys()
        self.token = f"{time.time()}:{id(self)}"
        self.report = DrainReport()
        self.mirror = Mirror(server, self.keys)
        self._stop_lock = threading.Event()
        self.lock_lost = False
        self._extend = server.register_script(_EXTEND)
        self._release = server.register_script(_RELEASE)

    # --- the one-writer lock ------------------------------------------------------------------

    def acquire(self, wait_seconds: float, waiting: Callable[[str], None] = lambda _: None) -> None:
        """Take the drain lock, waiting up to ``wait_seconds`` for a stopped drain's lock to expire."""
        deadline = time.monotonic() + wait_seconds
        told = False
        while not self.server.set(self.keys.drain_lock, self.token, nx=True, px=self.lock_ms):
            if time.monotonic() >= deadline:
                holder = self.server.get(self.keys.drain_lock)
                raise DrainBusy(f"another drain is writing this crawl (lock {self.keys.drain_lock} = {holder!r})")
            if not told:
                waiting(f"waiting for the drain lock {self.keys.drain_lock} (another drain, or one that stopped)")
                told = True
            time.sleep(0.2)
        threading.Thread(target=self._keep_lock, daemon=True, name="archiver-drain-lock").start()

    def _keep_lock(self) -> None:
        while not self._stop_lock.wait(self.lock_ms / 3000):
            try:
                if not self._extend(keys=[self.keys.drain_lock], args=[self.token, self.lock_ms]):
                    self.lock_lost = True
                    return
            except redis.RedisError as exc:
                logger.warning("could not extend the drain lock: %s", exc)

    def release(self) -> None:
        """Give the lock up."""
        self._stop_lock.set()
        self._release(keys=[self.keys.drain_lock], args=[self.token])

    # --- batches ------------------------------------------------------------------------------

    def take(self, source: str) -> list[bytes]:
        """A batch from ``source``: first whatever a stopped drain left uncommitted, else up to batch size."""
        processing = self.keys.processing(source)
        left = self.server.lrange(processing, 0, -1)
        if left:
            return [entry for entry in left if isinstance(entry, bytes)]
        with self.server.pipeline(transaction=False) as pipe:
            for _ in range(self.batch_size):
                pipe.lmove(source, processing, "LEFT", "RIGHT")
            return [entry for entry in pipe.execute() if entry is not None]

    def acknowledge(self, source: str, rejected: list[bytes]) -> None:
        """The batch is committed: forget it (keeping unreadable entries aside)."""
        with self.server.pipeline(transaction=True) as pipe:
            if rejected:
                pipe.rpush(self.keys.rejected(source), *rejected)
            pipe.delete(self.keys.processing(source))
            pipe.execute()
        self.report.rejected += len(rejected)

    def step(self) -> int:
        """One batch of items and one of records; the number of entries handled."""
        return self._items() + self._records()

    def _items(self) -> int:
        batch = self.take(self.keys.items)
        if not batch:
            return 0
        articles, rejected = _decode(batch, required="url")
        if articles:
            self.report.add(self.archive.save(articles))
            self.mirror.articles(
                self.archive.db.conn, [u for a in articles for u in (a["url"], a.get("canonical_url")) if u]
            )
        self.acknowledge(self.keys.items, rejected)
        self.report.items += len(articles)
        return len(batch)

    def _records(self) -> int:
        batch = self.take(self.keys.records)
        if not batch:
            return 0
        records, rejected = _decode(batch)
        fetches = [r for r in records if r.get("record") == "fetch"]
        if fetches:
            rows = [{k: v for k, v in r.items() if k != "record"} for r in fetches]
            self.archive.record_fetches(rows)
            self.mirror.fetches(rows)
        captures = [{k: v for k, v in r.items() if k != "record"} for r in records if r.get("record") == "capture"]
        self.archive.record_captures(captures)
        self.mirror.captures(captures)
        for record in records:
            self._crawl_record(record)
        self.acknowledge(self.keys.records, rejected)
        self.report.records += len(fetches)
        return len(batch)

    def _crawl_record(self, record: dict[str, Any]) -> None:
        kind = record.get("record")
        if kind == "crawl_started":
            self.archive.start_crawl(
                record["id"], record["spider"], record["started"], record["arguments"], record["settings"]
            )
        elif kind == "crawl_finished":
            try:
                self.archive.finish_crawl(record["id"], record["finished"], record["reason"], record["stats"])
            except NotFoundError:  # its start record was rejected: keep the end anyway
                self.archive.start_crawl(record["id"], "articles", record["finished"], {}, {})
                self.archive.finish_crawl(record["id"], record["finished"], record["reason"], record["stats"])

    def seed_mirror(self) -> tuple[int, int]:
        """Copy the archive's fetches and articles into Redis for the workers; (fetches, article URLs)."""
        return self.mirror.seed(self.archive.db.conn, str(self.archive.path))

    # --- the loop -----------------------------------------------------------------------------

    def run(
        self,
        stop: threading.Event,
        until_idle: float | None = None,
        progress_seconds: float = 10.0,
        say: Callable[[str], None] = print,
    ) -> DrainReport:
        """Drain until ``stop`` is set, or the crawl has been over for ``until_idle`` seconds."""
        started = time.monotonic()
        next_report = started + progress_seconds
        idle_since: float | None = None
        while not stop.is_set():
            if self.lock_lost:
                raise DrainBusy("the drain lock expired and another drain took it; stopping")
            handled = self.step()
            now = time.monotonic()
            self.report.seconds = now - started
            if progress_seconds > 0 and now >= next_report:
                say(f"drain: {self.report.describe()}; {crawl_state(self.server, self.keys).describe()}")
                next_report = now + progress_seconds
            if handled:
                idle_since = None
                continue
            self.report.reclaimed += reclaim_dead(self.server, self.keys)
            if until_idle is not None and self._crawl_over():
                idle_since = idle_since or now
                if now - idle_since >= until_idle:
                    break
            else:
                idle_since = None
            stop.wait(0.2)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _crawl_over(self) -> bool:
        state = crawl_state(self.server, self.keys)
        return not state.crawling and state.workers == 0 and state.items == 0 and state.records == 0


def _decode(batch: list[bytes], required: str = "record") -> tuple[list[dict[str, Any]], list[bytes]]:
    """JSON objects of a batch with a string ``required`` field, and the entries that are not."""
    good, bad = [], []
    for entry in batch:
        try:
            value = json.loads(entry)
        except (UnicodeDecodeError, json.JSONDecodeError):
            bad.append(entry)
            continue
        if isinstance(value, dict) and isinstance(value.get(required), str):
            good.append(value)
        else:
            bad.append(entry)
    return good, bad
