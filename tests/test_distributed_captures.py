"""A distributed worker's captures and the drain's mirror of the archive's captures, with a real redis-server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from archiver.archive import Archive
from archiver.distributed.capture import RedisCapture
from archiver.distributed.mirror import _BATCH, Mirror
from archiver.distributed.state import Keys
from archiver.warc.writer import payload_digest, warc_date

URLS = ("https://example.org/a", "https://example.org/b")
#: More URLs than the seed writes in one HSET, so that a URL's rows straddle two of them.
MANY = [f"https://example.org/{n:05d}" for n in range(_BATCH + 1)]
BODY = b"<html><body><p>The same page as before.</p></body></html>"
DAY = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def capture(url: str, days: int, kind: str = "response") -> dict[str, Any]:
    name = url.rsplit("/", 1)[1]
    return {
        "record_id": f"<urn:uuid:{name}-{days}-{kind}>", "url": url, "status": 200,
        "fetched_at": warc_date(DAY + timedelta(days=days)), "warc_file": f"warc/day{days}.warc.gz", "offset": days,
        "length": 100, "payload_digest": payload_digest(BODY), "type": kind,
        "refers_to": f"<urn:uuid:{name}-0-response>" if kind == "revisit" else None, "crawl_id": f"day{days}",
        "rendered": 0,
    }  # fmt: skip


def without_rendered(row: dict[str, Any]) -> dict[str, Any]:
    """A capture row as the mirror holds it: ``rendered`` left out (none there is a rendering), so that
    a worker of a version before it reads it too."""
    return {name: value for name, value in row.items() if name != "rendered"}


def archive_of(path: Path, captures: list[dict[str, Any]]) -> Archive:
    path.parent.mkdir()
    archive = Archive(str(path))
    archive.record_captures(captures)
    return archive


def bytes_sent_by_seed(server: redis.Redis, archive: Archive, path: Path) -> int:
    """The bytes Redis received while the archive was seeded (the INFO that reads them, the same each time)."""
    before = int(server.info("stats")["total_net_input_bytes"])
    Mirror(server, Keys()).seed(archive.db.conn, str(path))
    return int(server.info("stats")["total_net_input_bytes"]) - before


def test_the_seed_sends_each_urls_latest_response_once(tmp_path: Path, redis_url: str) -> None:
    """An archive with three captures of each URL (and a revisit) is mirrored with the same commands, byte
    for byte, as an archive holding only each URL's latest response: the older ones are not sent."""
    every = [capture(url, days, kind) for url in MANY for days, kind in ((0, "response"), (2, "response"),
             (1, "response"), (3, "revisit"))]  # fmt: skip
    latest = [c for c in every if c["fetched_at"] == warc_date(DAY + timedelta(days=2))]
    server = redis.Redis.from_url(redis_url)
    full, lean = archive_of(tmp_path / "a" / "archive.db", every), archive_of(tmp_path / "b" / "archive.db", latest)
    try:
        sent_lean = bytes_sent_by_seed(server, lean, tmp_path / "b" / "archive.db")
        sent_full = bytes_sent_by_seed(server, full, tmp_path / "a" / "archive.db")
        assert sent_full == sent_lean
        for row in latest:
            assert json.loads(server.hget(Keys().captured, row["url"]) or "") == without_rendered(row)
        assert json.loads(server.get(Keys().mirror) or "")["captured_urls"] == len(MANY)
    finally:
        full.close()
        lean.close()
        server.close()


class Worker(Spider):
    name = "articles"


def test_a_workers_lookup_of_the_mirror_does_not_block_the_reactor(tmp_path: Path, redis_url: str) -> None:
    """While Redis does not answer (its process stopped), the loop goes on: the capture waits for the
    mirror's answer without holding the reactor, then writes a revisit naming the mirrored record."""
    server = redis.Redis.from_url(redis_url)
    mirrored = capture(URLS[0], 0)
    server.hset(Keys().captured, URLS[0], json.dumps(mirrored))
    settings = {
        "REDIS_URL": redis_url, "REDIS_PARAMS": {"socket_timeout": 10, "retry_on_timeout": False},
        "ARCHIVER_WARC_DIR": str(tmp_path / "warc"), "ARCHIVER_ARCHIVE_PATH": "",
    }  # fmt: skip
    crawler = get_crawler(Worker, settings)
    middleware = RedisCapture.from_crawler(crawler)
    middleware.spider_opened(Worker())
    request = Request(URLS[0])
    response = HtmlResponse(URLS[0], body=BODY, headers={"Content-Type": "text/html"}, request=request)
    redis_pid = int(server.info("server")["process_id"])

    async def capture_while_redis_is_stopped() -> None:
        os.kill(redis_pid, signal.SIGSTOP)
        try:
            waiting = asyncio.ensure_future(middleware.process_response(request, response))
            ticks = 0
            for _ in range(20):  # the loop runs other work while the lookup waits
                await asyncio.sleep(0.01)
                ticks += 1
            assert (ticks, waiting.done()) == (20, False)
        finally:
            os.kill(redis_pid, signal.SIGCONT)
        assert await asyncio.wait_for(waiting, 30) is response
        await middleware.close_lookup()

    try:
        asyncio.run(capture_while_redis_is_stopped())
        (row,) = middleware.pending
        assert (row["type"], row["refers_to"], row["url"]) == ("revisit", mirrored["record_id"], URLS[0])
    finally:
        middleware.spider_closed(Worker())
        server.close()


def test_a_worker_reads_a_mirrored_row_with_fields_it_does_not_know(tmp_path: Path, redis_url: str) -> None:
    """A mirror written by another version of the drain (a field this worker's captures do not have)
    is read all the same: the fields the worker knows name the record its revisit refers to."""
    server = redis.Redis.from_url(redis_url)
    mirrored = capture(URLS[1], 0)
    server.hset(Keys().captured, URLS[1], json.dumps({**mirrored, "kept_by_a_later_version": 1}))
    settings = {"REDIS_URL": redis_url, "ARCHIVER_WARC_DIR": str(tmp_path / "warc"), "ARCHIVER_ARCHIVE_PATH": ""}
    middleware = RedisCapture.from_crawler(get_crawler(Worker, settings))
    middleware.spider_opened(Worker())
    request = Request(URLS[1])
    response = HtmlResponse(URLS[1], body=BODY, headers={"Content-Type": "text/html"}, request=request)

    async def capture_it() -> None:
        assert await asyncio.wait_for(middleware.process_response(request, response), 30) is response
        await middleware.close_lookup()

    try:
        asyncio.run(capture_it())
        (row,) = middleware.pending
        assert (row["type"], row["refers_to"], row["url"]) == ("revisit", mirrored["record_id"], URLS[1])
    finally:
        middleware.spider_closed(Worker())
        server.delete(Keys().captured)
        server.close()
