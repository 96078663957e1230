"""A worker's raw captures: its own WARC files, their rows sent to Redis for the drain to write."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from typing import Any

import redis
import redis.asyncio
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy_redis import connection

from archiver.crawl.middlewares.capture import CaptureMiddleware
from archiver.distributed.state import Keys
from archiver.urls import without_userinfo
from archiver.warc.writer import Capture, Exchange, payload_digest

#: No lookup made (the URL's capture is this worker's own).
_NOT_LOOKED_UP = object()


class RedisCapture(CaptureMiddleware):
    """CaptureMiddleware in a worker: files named by worker (``<worker id>-<serial>.warc.gz`` in
    ``ARCHIVER_WARC_DIR``, else ``warc/`` in the worker's working folder), capture rows pushed to
    ``<spider>:records`` with the fetch records. A revisit refers to a response of this worker, else
    to the latest response of the URL the drain has archived (``<spider>:captured``, see
    ``archiver.distributed.mirror``): one another worker, or an earlier run, wrote.

    That lookup (one ``HGET``, for each response whose URL this worker does not hold) is made with
    redis-py's asyncio client, awaited in ``process_response`` (a coroutine, as Scrapy allows): the
    reactor goes on with the other requests meanwhile, instead of waiting for Redis's answer; the
    record is then written as before, in one go.

    Settings: ``ARCHIVER_WARC_ENABLED``, ``ARCHIVER_WARC_DIR``, ``ARCHIVER_WARC_MAX_SIZE``,
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (rows per push), ``REDIS_URL`` and ``REDIS_PARAMS``.
    """

    server: redis.Redis
    lookup: redis.asyncio.Redis
    key: str
    captured: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisCapture:
        middleware = super().from_crawler(crawler)
        assert isinstance(middleware, RedisCapture)
        middleware.server = connection.from_settings(crawler.settings)
        # the same server and parameters, with redis-py's asyncio client
        settings = BaseSettings(crawler.settings.copy_to_dict())
        settings.set("REDIS_PARAMS", {**settings.getdict("REDIS_PARAMS"), "redis_cls": "redis.asyncio.Redis"})
        middleware.lookup = connection.from_settings(settings)
        middleware.archived = {}
        keys = Keys(crawler.spidercls.name)
        middleware.key, middleware.captured = keys.records, keys.captured
        crawler.signals.connect(middleware.close_lookup, signal=signals.spider_closed)
        return middleware

    archived: dict[str, Any]  # URL -> the mirror's answer for the response being captured

    def file_prefix(self, spider: Spider) -> str:
        """The worker's id (``host-pid-random``): workers sharing a folder never write one file."""
        worker = str(getattr(spider, "redis_worker", "") or super().file_prefix(spider))
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", worker)

    async def process_response(self, request: Request, response: Response) -> Response:  # type: ignore[override]
        """Look the URL up in the mirror without blocking the reactor, then capture the response."""
        url = without_userinfo(response.url)
        if self._needs_lookup(url, response):
            self.archived[url] = await self.lookup.hget(self.captured, url)
        try:
            return super().process_response(request, response)
        finally:
            self.archived.pop(url, None)

    def _needs_lookup(self, url: str, response: Response) -> bool:
        """Whether the mirror is asked about a response: it is captured, and this worker holds no
        response of its URL with the same payload (any, for a 304)."""
        if self.writer is None or self.failed or "cached" in response.flags:
            return False
        held = self.held.get(url)
        return held is None or (response.status != 304 and held.payload_digest != payload_digest(response.body))

    def same_as(self, exchange: Exchange) -> Capture | None:
        """The response this worker holds for the URL, else the archive's latest (the drain's mirror),
        whose payload this one repeats (any, for a 304), or None."""
        own = super().same_as(exchange)
        if own is not None:
            return own
        raw = self.archived.get(exchange.url, _NOT_LOOKED_UP)
        if raw is _NOT_LOOKED_UP:  # not asked before (never expected): asked now
            raw = self.server.hget(self.captured, exchange.url)
        if raw is None:
            return None
        archived = _capture(json.loads(raw))
        digest = exchange.digest
        return archived if digest is None or archived.payload_digest == digest else None

    def flush(self) -> None:
        """Push the pending capture rows in one RPUSH (the worker's responses stay known for revisits)."""
        if self.pending:
            self.server.rpush(self.key, *(json.dumps({"record": "capture", **row}) for row in self.pending))
        self.pending = []

    async def close_lookup(self) -> None:
        await self.lookup.aclose()


#: The fields of a capture row a worker knows: a mirror written by another version may hold more.
_FIELDS = frozenset(field.name for field in fields(Capture))


def _capture(row: dict[str, Any]) -> Capture:
    """The capture a row of the drain's mirror names, its fields this version does not know left out."""
    return Capture(**{name: value for name, value in row.items() if name in _FIELDS})
