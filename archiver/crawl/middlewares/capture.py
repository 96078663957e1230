"""Capture: every HTTP response of a crawl, as received, in WARC files (``archiver.warc.writer``).

The middleware sits next to the downloader (order 950, after HttpCacheMiddleware at 900), so it
sees each request with every header the other middlewares added, and each response before any of
them changed it: before HttpCompressionMiddleware (590) decompresses the body, before
RedirectMiddleware (600) follows a 3xx and RetryMiddleware (550) retries a 5xx. Redirects and
error statuses are captured like any response; a request that got no response (DNS, timeout,
refused connection) is no record: it stays in ``fetches``. A page rendered in the browser is its
rendered document's ``response`` (marked ``WARC-Archiver-Rendered``, and naming the record of the
page as fetched it was rendered from in ``WARC-Archiver-Rendered-From``: the spider copies that
response's ``meta[RECORD]`` to the rendering's ``meta[RENDERED_FROM]``), followed by a ``resource``
record for the document of each of its frames (``WARC-Concurrent-To`` the page's record), each
with a ``captures`` row of its own (type ``resource``, no status), which
``response.meta[FRAME_CAPTURES]`` gives by frame URL: the spider names the one whose comments it
read. A response served from Scrapy's HTTP cache is not captured again.

A ``304`` or a body fetched again unchanged is a revisit of a response the server sent (this
crawl's, else the archive's latest: ``latest_capture``), never of a page as rendered (its row is
marked ``rendered``): replay would serve the browser's document as the server's. A rendering may
repeat either (the browser made the same bytes).

The reference of the record holding the page's payload (a ``captures`` row: for a body fetched
again unchanged, the earlier response its revisit names; for a rendered page, its own record, a
revisit too, as its frames' records follow that one) is put in ``response.meta[CAPTURE]``; the
spider copies it to the article. Rows of ``captures`` are written in batches, after the WARC file
holding their records is flushed; an article's own captures are written with it by
``Archive.save``, in the same transaction.
"""

from __future__ import annotations

import codecs
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import deferred_from_coro

from archiver.archive import Archive
from archiver.archive.captures import holds_captures, latest_capture
from archiver.crawl.meta import CAPTURE, FRAME_CAPTURES, RECORD, RENDER, RENDERED_FROM
from archiver.crawl.middlewares.runlog import KEPT_SETTINGS
from archiver.crawl.render import FRAMES
from archiver.settings import read_setting
from archiver.urls import without_userinfo
from archiver.warc.writer import DEFAULT_LEVEL, Capture, Exchange, WarcWriteError, WarcWriter, warc_folder

logger = logging.getLogger(__name__)

#: The finish reason of a crawl stopped because its WARC files could not be written.
WARC_FAILED = "warc_write_failed"
#: Headers never written (credentials are never stored): those of a request, those of a response.
_SECRET = frozenset({b"authorization", b"proxy-authorization", b"cookie"})
_SECRET_SET = frozenset({b"set-cookie", b"set-cookie2"})


def _header_list(headers: Any, dropped: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.lower() not in dropped
        for value in values
    ]


def _with_charset(headers: list[tuple[str, str]], encoding: str) -> list[tuple[str, str]]:
    """The headers with a Content-Type naming ``encoding`` as its charset (``text/html`` when there is none)."""
    charset = codecs.lookup(encoding).name.replace("_", "-")  # a label browsers and replay tools know
    at = next((i for i, (name, _) in enumerate(headers) if name.lower() == "content-type"), len(headers))
    media = (headers[at][1].split(";", 1)[0].strip() if at < len(headers) else "") or "text/html"
    kept = [(name, value) for name, value in headers[at:] if name.lower() != "content-type"]
    return [*headers[:at], ("Content-Type", f"{media}; charset={charset}"), *kept]


def exchange_of(request: Request, response: Response) -> Exchange:
    """What is kept of a request and its response: credentials left out (the URL's ``user:password@``,
    ``Authorization``, ``Proxy-Authorization`` and ``Cookie`` sent, ``Set-Cookie`` received).

    A rendered page's body is the browser's text as scrapy-playwright encoded it: in the charset of
    the server's Content-Type if that can encode it, else in the markup's, else in UTF-8
    (``response.encoding``). Its record's Content-Type names that charset, the one its bytes are in,
    so that ``archiver import``/``reextract`` and replay tools read the text the crawl read."""
    ip = getattr(response, "ip_address", None)
    rendered = bool(request.meta.get(RENDER))
    headers = _header_list(response.headers, _SECRET_SET)
    if rendered and isinstance(response, TextResponse):
        headers = _with_charset(headers, response.encoding)
    return Exchange(
        url=without_userinfo(response.url),
        method=request.method,
        request_headers=_header_list(request.headers, _SECRET),
        request_body=request.body or b"",
        status=response.status,
        response_headers=headers,
        body=response.body,
        date=datetime.now(UTC),
        protocol=getattr(response, "protocol", None) or "HTTP/1.1",
        ip_address=str(ip) if ip is not None else None,
        rendered=rendered,
        rendered_from=request.meta.get(RENDERED_FROM) if rendered else None,
    )


class CaptureMiddleware:
    """Downloader middleware writing each response with its request to WARC files.

    A crawl whose WARC files cannot be written (an unwritable folder, a full disk) stops with the
    finish reason ``warc_write_failed`` and the stat ``archiver/warc/error`` saying why.
    Settings: ``ARCHIVER_WARC_ENABLED``, ``ARCHIVER_WARC_DIR``, ``ARCHIVER_WARC_MAX_SIZE``,
    ``ARCHIVER_ARCHIVE_PATH`` (the captures table; the files' default folder),
    ``ARCHIVER_ARCHIVE_BATCH_SIZE`` (capture rows written per transaction).
    """

    def __init__(
        self,
        crawler: Crawler,
        folder: Path,
        base: Path,
        max_size: int,
        archive_path: str,
        batch: int,
        level: int = DEFAULT_LEVEL,
    ) -> None:
        self.crawler = crawler
        self.folder, self.base, self.max_size = folder, base, max_size
        self.level = level  # of the records' gzip members
        self.archive_path = archive_path
        self.batch_size = batch
        self.pending: list[dict[str, Any]] = []
        self.held: dict[str, Capture] = {}  # URL -> its latest response captured and not yet in the archive
        self.renderings: dict[str, Capture] = {}  # the same, of the pages as rendered (never repeated by a fetch)
        self.archive: Archive | None = None
        #: The URLs this crawl's flushed captures are of, while the archive held no capture before the
        #: crawl (None: it did, every response is looked up in the archive).
        self.only_ours: set[str] | None = None
        self.writer: WarcWriter | None = None
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMiddleware:
        settings = crawler.settings
        if not read_setting(settings, "ARCHIVER_WARC_ENABLED"):
            raise NotConfigured("ARCHIVER_WARC_ENABLED is off")
        path = read_setting(settings, "ARCHIVER_ARCHIVE_PATH")
        folder, base = warc_folder(path, read_setting(settings, "ARCHIVER_WARC_DIR"))
        max_size = read_setting(settings, "ARCHIVER_WARC_MAX_SIZE")
        batch, level = (
            read_setting(settings, name) for name in ("ARCHIVER_ARCHIVE_BATCH_SIZE", "ARCHIVER_WARC_COMPRESSION_LEVEL")
        )
        middleware = cls(crawler, folder, base, max_size, path, batch, level)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def file_prefix(self, spider: Spider) -> str:
        """What the WARC files are named after: the crawl."""
        return str(getattr(spider, "crawl_id", "") or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))

    def spider_opened(self, spider: Spider) -> None:
        crawl_id = str(getattr(spider, "crawl_id", "") or "")
        settings = self.crawler.settings
        info = {"isPartOf": crawl_id, "http-header-user-agent": str(settings.get("USER_AGENT"))}
        info |= {f"setting-{name}": str(settings.get(name)) for name in KEPT_SETTINGS if name != "USER_AGENT"}
        info["setting-ARCHIVER_RENDER_COMMENTS"] = read_setting(settings, "ARCHIVER_RENDER_COMMENTS")  # for import
        prefix = self.file_prefix(spider)
        self.writer = WarcWriter(self.folder, prefix, self.max_size, self.base, crawl_id or None, info, self.level)
        if self.archive_path:
            self.archive = Archive(self.archive_path)
            self.only_ours = None if holds_captures(self.archive.db.conn) else set()
        try:
            self.writer.open()
        except WarcWriteError as exc:
            call_later(0, self.fail, exc)  # once the engine has opened the spider

    def spider_closed(self, spider: Spider) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()
        if self.archive is not None:
            self.archive.close()

    def process_request(self, request: Request) -> None:
        request.meta.pop(CAPTURE, None)  # a redirect's or a retry's copy of the meta names another response
        request.meta.pop(FRAME_CAPTURES, None)
        request.meta.pop(RECORD, None)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None or "cached" in response.flags:
            return response
        if self.failed:
            raise IgnoreRequest("not captured: the WARC files cannot be written")
        exchange = exchange_of(request, response)
        same = self.same_as(exchange)
        try:
            capture = self.writer.write(exchange, same)
        except WarcWriteError as exc:
            self.fail(exc)
            raise IgnoreRequest(str(exc)) from exc
        self.crawler.stats.inc_value(f"archiver/warc/{capture.type}")
        self.crawler.stats.inc_value("archiver/warc/bytes", capture.length)
        self.write_frames(request, capture, exchange.date)
        # the record holding the payload; a rendered page's own (a revisit too): its frames follow it
        payload = capture if capture.type == "response" or exchange.rendered else same
        if capture.type == "response":
            (self.renderings if exchange.rendered else self.held)[capture.url] = capture
        if payload is not None:
            request.meta[CAPTURE] = payload.row()  # the response's meta once the engine ties them
        request.meta[RECORD] = capture.record_id  # its own record: the one its rendering names
        self.pending.append(capture.row())
        if len(self.pending) >= self.batch_size:
            self.flush()
        return response

    def write_frames(self, request: Request, capture: Capture, date: datetime) -> None:
        """The documents of a rendered page's frames (``archiver.crawl.render``), each a ``resource``
        record concurrent to the page's, with its ``captures`` row (in ``FRAME_CAPTURES`` by frame URL)."""
        frames = request.meta.get(FRAMES) or ()
        if not frames:
            return
        found = request.meta[FRAME_CAPTURES] = {}
        for document in frames:
            try:
                frame = self.writer.write_resource(  # type: ignore[union-attr]
                    without_userinfo(document.url), document.html.encode("utf-8"), "text/html; charset=utf-8", date,
                    capture.record_id, capture.crawl_id,
                )  # fmt: skip
            except WarcWriteError as exc:
                self.fail(exc)
                raise IgnoreRequest(str(exc)) from exc
            self.crawler.stats.inc_value("archiver/warc/resource")
            found.setdefault(document.url, frame.row())
            self.pending.append(frame.row())

    def same_as(self, exchange: Exchange) -> Capture | None:
        """The response held for this URL whose payload this one repeats (any, for a 304), or None.

        A page as rendered is never the copy a fetch repeats (a 304 says the server's copy is current,
        not the browser's); a rendering may repeat one, or an earlier rendering."""
        digest = exchange.digest
        own = self.held.get(exchange.url)
        for found in (self.renderings.get(exchange.url), own) if exchange.rendered else (own,):
            if found is not None and (digest is None or found.payload_digest == digest):
                return found
        if self.archive is None:
            return None
        if self.only_ours is not None and exchange.url not in self.only_ours:
            return None  # a first crawl into the archive: only its own captures can be repeated
        row = latest_capture(self.archive.db.conn, exchange.url, digest, renderings=exchange.rendered)
        return Capture(**row) if row else None

    def flush(self) -> None:
        """Write the pending capture rows (their records are in the files already) in one transaction."""
        if self.pending and self.archive is not None:
            self.archive.record_captures(self.pending)
            if self.only_ours is not None:
                self.only_ours.update(row["url"] for row in self.pending)
        self.pending = []
        self.held, self.renderings = {}, {}

    def fail(self, exc: WarcWriteError) -> None:
        """Stop the crawl: it would go on without its captures."""
        if self.failed:
            return
        self.failed = True
        logger.error("%s: stopping the crawl", exc)
        assert self.crawler.stats is not None and self.crawler.engine is not None
        self.crawler.stats.set_value("archiver/warc/error", str(exc))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=WARC_FAILED))
