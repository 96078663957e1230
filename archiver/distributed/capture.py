"""A worker's raw captures: its own WARC files, their rows sent to Redis for the drain to write."""

from __future__ import annotations

import json
import re

import redis
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy_redis import connection

from archiver.crawl.middlewares.capture import CaptureMiddleware
from archiver.distributed.state import Keys
from archiver.warc.writer import Capture, Exchange


class RedisCapture(CaptureMiddleware):
    """CaptureMiddleware in a worker: files named by worker (``<worker id>-<serial>.warc.gz`` in
    ``ARCHIVER_WARC_DIR``, else ``warc/`` in the worker's working folder), capture rows pushed to
    ``<spider>:records`` with the fetch records. A revisit refers to a response of this worker, else
    to the latest response of the URL the drain has archived (``<spider>:captured``, see
    ``archiver.distributed.mirror``): one another worker, or an earlier run, wrote.

    Settings: ``ARCHIVER_WARC_ENABLED``, ``ARCHIVER_WARC_DIR``, ``ARCHIVER_WARC_MAX_SIZE``,
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (rows per push), ``REDIS_URL``.
    """

    server: redis.Redis
    key: str
    captured: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisCapture:
        middleware = super().from_crawler(crawler)
        assert isinstance(middleware, RedisCapture)
        middleware.server = connection.from_settings(crawler.settings)
        keys = Keys(crawler.spidercls.name)
        middleware.key, middleware.captured = keys.records, keys.captured
        return middleware

    def file_prefix(self, spider: Spider) -> str:
        """The worker's id (``host-pid-random``): workers sharing a folder never write one file."""
        worker = str(getattr(spider, "redis_worker", "") or super().file_prefix(spider))
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", worker)

    def same_as(self, exchange: Exchange) -> Capture | None:
        """The response this worker holds for the URL, else the archive's latest (the drain's mirror),
        whose payload this one repeats (any, for a 304), or None."""
        own = super().same_as(exchange)
        if own is not None:
            return own
        raw = self.server.hget(self.captured, exchange.url)
        if raw is None:
            return None
        archived = Capture(**json.loads(raw))
        digest = exchange.digest
        return archived if digest is None or archived.payload_digest == digest else None

    def flush(self) -> None:
        """Push the pending capture rows in one RPUSH (the worker's responses stay known for revisits)."""
        if self.pending:
            self.server.rpush(self.key, *(json.dumps({"record": "capture", **row}) for row in self.pending))
        self.pending = []
