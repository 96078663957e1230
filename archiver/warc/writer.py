"""Writing a crawl's HTTP exchanges as WARC/1.1 records (ISO 28500), byte for byte as warcio writes them.

Each record is one gzip member, written with one ``write`` and flushed before ``write`` returns,
so a process killed at any moment leaves every file readable up to its last complete record (only
a member cut short at the very end is lost), and the offset and length a ``Capture`` gives are
those of a record already in the file. Files are named ``<prefix>-<serial>.warc.gz`` (serial
``00000``, ``00001``...), a new one begun once a file reaches ``max_size`` bytes, each opened by a
``warcinfo`` record.

What is kept of an exchange (``Exchange``): the request as sent (method, target, headers; the body
of a POST) and the response as received: status, headers (as Scrapy holds them: names in title
case, ``Transfer-Encoding`` left out because the body is kept without its chunks) and the body's
bytes as the server sent them (still gzip- or brotli-encoded when ``Content-Encoding`` says so).
Headers that are not ASCII are %-encoded as warcio does (RFC 8187), or whole where its way leaves
a byte that is not ASCII (warcio raises there: ``_ascii_headers``). Credentials are never stored:
the crawl leaves ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and ``Set-Cookie`` out of
the exchange it gives (``archiver.crawl.middlewares.capture.exchange_of``). An exchange's records
are written by hand in warcio's header order, with its digests and lengths (about a fifth less CPU
to write a page's records than through warcio's record objects: 0.25 -> 0.20 ms, benchmarks/RESULTS.md);
each file's ``warcinfo`` and a ``resource`` record are built by warcio.

Records: a ``response`` with its ``request`` (``WARC-Concurrent-To``); a body fetched again with
the same payload digest as a response already held for the URL (for a fetch, one the server sent:
never the page as a browser rendered it, ``Capture.rendered``) becomes a ``revisit`` of profile
``identical-payload-digest`` that names that response (``WARC-Refers-To``, ``-Target-URI``,
``-Date``); a ``304 Not Modified`` becomes a ``revisit`` of profile ``server-not-modified``, which
WARC 1.1 (6.7.2) defines for exactly this answer: the server said the copy held is current, the
record keeps the 304's headers and names the copy (when the archive holds one), and replay tools
(pywb, ReplayWeb.page) follow it to that copy instead of serving a bodiless 304.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import io
import os
import struct
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archiver import __version__
from archiver.settings import declared

try:  # wheels only for x86-64 and 64-bit ARM (pyproject.toml's marker); elsewhere zlib deflates every level
    from isal import isal_zlib
except ImportError:  # pragma: no cover - the fallback is tested in a subprocess without isal
    isal_zlib = None  # type: ignore[assignment, unused-ignore]  # unused where isal is absent (an Any)

#: WARC 1.1's revisit profiles.
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#: What each file's ``warcinfo`` says it conforms to.
WARC_1_1 = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
#: Response headers not kept: the body is kept without its transfer coding (Twisted removes the chunks).
_DROPPED = frozenset({"transfer-encoding"})
#: Deflate level of each gzip member (``ARCHIVER_WARC_COMPRESSION_LEVEL``): 3 (ISA-L's) costs about a fifth
#: of zlib's level 6's CPU (the crawl's largest cost of a page) for about 10% more bytes on HTML pages; zlib's
#: 6 compresses about as well as 9 (warcio's) at about two thirds of its CPU (benchmarks/RESULTS.md).
DEFAULT_LEVEL = int(declared["ARCHIVER_WARC_COMPRESSION_LEVEL"].default)
#: The levels deflated by ISA-L (``isal``) at the same level number instead of zlib, when isal is installed:
#: on HTML its levels 1-3 take a quarter to two fifths of zlib's CPU at the same level, for 2% fewer bytes
#: at 1, 0.3% more at 2 and 1% fewer at 3 (benchmarks/RESULTS.md). ISA-L has no level 0 (stored) nor any
#: above 3: those stay zlib's, as every level does without isal.
ISAL_LEVELS = range(1, 4) if isal_zlib is not None else range(0)


#: The WARC field that marks a rendered page's records (its ``response`` or ``revisit`` and its ``request``):
#: the document a browser made of the page, written after the page as fetched, which ``archiver import``
#: then reads as the crawl read it (the comments of the page, or of the frames captured with it), not
#: as another fetch of the page. An extension field, as WARC/1.1 allows (section 5).
RENDERED_HEADER = "WARC-Archiver-Rendered"
#: The WARC field of a rendered page's record naming the record of the page as fetched it was rendered
#: from (its ``WARC-Record-ID``): which rendering belongs to which capture, whatever the clocks say.
RENDERED_FROM_HEADER = "WARC-Archiver-Rendered-From"


class WarcWriteError(Exception):
    """A WARC file cannot be created or written (an unwritable folder, a full disk); names the file."""


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response it got, as sent and received."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    date: datetime
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    rendered: bool = False  # the page's document as a browser rendered it (``RENDERED_HEADER``), not as fetched
    rendered_from: str | None = None  # a rendered page's: the record of the page as fetched (``RENDERED_FROM_HEADER``)

    @cached_property
    def digest(self) -> str | None:
        """The body's WARC-Payload-Digest (computed once); None for a 304, which has no payload of its own."""
        return None if self.status == 304 else payload_digest(self.body)


@dataclass(frozen=True)
class Capture:
    """Where one record is (a row of the archive's ``captures`` table).

    ``warc_file`` is relative to the folder given to the writer as ``base`` (the archive's);
    ``offset`` and ``length`` are those of the record's gzip member; ``refers_to`` is the record
    a revisit names (a ``resource`` record's: the record it was captured with, a rendered page's);
    ``fetched_at`` the record's WARC-Date; ``rendered`` marks the records of a page as a browser
    rendered it (``RENDERED_HEADER``): never a copy of what the server sent, so never the copy a
    later fetch of the URL repeats.
    """

    record_id: str
    url: str
    status: int | None  # None for a ``resource`` record (a document a browser made: no HTTP exchange)
    fetched_at: str
    warc_file: str
    offset: int
    length: int
    payload_digest: str | None
    type: str
    refers_to: str | None = None
    crawl_id: str | None = None
    rendered: bool = False

    def row(self) -> dict[str, Any]:
        """The row of the ``captures`` table (what ``dataclasses.asdict`` gives: every field is a scalar)."""
        return {name: getattr(self, name) for name in _CAPTURE_FIELDS}


_CAPTURE_FIELDS = tuple(f.name for f in fields(Capture))


def payload_digest(body: bytes) -> str:
    """``sha1:<base32>``, as WARC-Payload-Digest (and warcio) give it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """A WARC/1.1 date (UTC, microseconds)."""
    return str(datetime_to_iso_date(moment.replace(tzinfo=None), use_micros=True))


def _gzip_member(data: bytes, level: int) -> bytes:
    """``data`` as one gzip member (RFC 1952) compressed at ``level``: the header zlib writes for that
    level (its XFL byte, OS Unix), the deflate stream (ISA-L's for ``ISAL_LEVELS``, else zlib's), CRC-32 and size."""
    if level not in ISAL_LEVELS:  # empty without isal
        compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        return compressor.compress(data) + compressor.flush()
    deflated = isal_zlib.compress(data, level, -isal_zlib.MAX_WBITS)
    trailer = struct.pack("<II", isal_zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return (_HEADER_FASTEST if level == 1 else _HEADER) + deflated + trailer


#: The gzip header zlib writes at levels 1-3 (ID1 ID2, CM 8: deflate, FLG 0: no name, MTIME 0, XFL, OS 3:
#: Unix), with its XFL byte: 4 (the fastest compression) at level 1, else 0. zlib writes XFL 2 at level 9.
_HEADER_FASTEST = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\x03"
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"


#: Each record's Content-Type, as warcio gives it for the record's type.
_CONTENT_TYPES = {
    "response": "application/http; msgtype=response",
    "revisit": "application/http; msgtype=response",
    "request": "application/http; msgtype=request",
}


def _http_head(protocol: str, statusline: str, headers: Sequence[tuple[str, str]]) -> bytes:
    """An HTTP message's head (its first line, headers, the blank line) as warcio writes it into a record:
    in ASCII, the headers that are not %-encoded (``_ascii_headers``)."""
    first = f"{protocol} {statusline}" if protocol and statusline else protocol + statusline
    lines = "".join([": ".join(header) + "\r\n" for header in headers])
    if not lines.isascii():
        lines = "".join([": ".join(header) + "\r\n" for header in _ascii_headers(headers)])
    return ((first + "\r\n" if first else "") + lines).encode("ascii") + b"\r\n"


def _ascii_headers(headers: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers with each value that is not ASCII %-encoded as warcio does (RFC 8187: a value with
    a ``;`` its ``=value`` parts, another value whole), or whole where that leaves it not ASCII (a
    non-ASCII byte outside an ``=value`` part, as in ``Link: <https://ex.org/café>; rel=x``: warcio
    raises UnicodeEncodeError on such a header). Names are left as they are: Twisted refuses a name that
    is not ASCII, in a request or a response."""
    encoded = StatusAndHeaders("", list(headers))
    encoded.percent_encode_non_ascii_headers()
    return [
        (name, value if value.isascii() else quote(original))
        for (name, value), (_, original) in zip(encoded.headers, headers, strict=True)
    ]


def software() -> str:
    """The warcinfo's ``software``: archiver's version and the libraries its records' bytes depend on:
    warcio (the records) and isal (their deflate at ``ISAL_LEVELS``) when installed."""
    libraries = ["warcio", *(["isal"] if isal_zlib is not None else [])]
    return f"archiver/{__version__} ({'; '.join(f'{name}/{importlib.metadata.version(name)}' for name in libraries)})"


def _reason(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _request_target(url: str) -> tuple[str, str]:
    """(the request line's target, the Host header) of an absolute URL."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    return target, parts.netloc.rpartition("@")[2]


def warc_folder(archive_path: str, warc_dir: str) -> tuple[Path, Path]:
    """(the folder of the WARC files, the folder their names are relative to: the archive's).

    ``ARCHIVER_WARC_DIR`` when set, else ``<archive>.warc`` beside the archive; a crawl without an
    archive (a worker) writes ``warc/`` in its working folder.
    """
    if not archive_path:
        folder = Path(warc_dir or "warc")
        return folder, Path.cwd()
    base = Path(archive_path).parent
    return (Path(warc_dir) if warc_dir else Path(f"{archive_path}.warc")), base


def check_folder(folder: Path) -> None:
    """Raise WarcWriteError unless WARC files can be created in ``folder`` (created if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".archiver-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise WarcWriteError(f"cannot write WARC files in {folder}: {exc.strerror or exc}") from exc


class WarcWriter:
    """Appends records to rotating ``<prefix>-<serial>.warc.gz`` files in ``folder``.

    ``info`` (the crawl's id and the settings that shape it) goes into each file's ``warcinfo``
    after the software and format; ``base`` is the folder the captures' file names are relative to;
    ``level`` the deflate level (0-9) of each record's gzip member (``ISAL_LEVELS`` deflated by ISA-L).
    """

    def __init__(
        self,
        folder: Path,
        prefix: str,
        max_size: int,
        base: Path,
        crawl_id: str | None = None,
        info: dict[str, str] | None = None,
        level: int = DEFAULT_LEVEL,
    ) -> None:
        if not 0 <= level <= 9:
            raise ValueError(f"compression level {level} is not 0-9")
        self.folder, self.prefix, self.max_size, self.base = folder, prefix, max_size, base
        self.level = level
        self.crawl_id = crawl_id
        self.info = info or {}
        self.files: list[Path] = []  # the files written, in order
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._relative = ""  # the current file's path relative to ``base``, as the captures name it
        self._size = 0  # bytes in the current file
        self._info_size = 0  # of which its warcinfo record
        self._serial = 0
        # one warcio writer builds the records not written by hand (each file's warcinfo, a frame's resource)
        # and serializes each into its buffer, emptied after each: making one a record looked up the host
        # name each time (records do not name it)
        self._records = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")

    def open(self) -> None:
        """Create the folder and the first file (so an unwritable folder fails before any fetch)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarcWriteError(f"cannot create the WARC folder {self.folder}: {exc.strerror or exc}") from exc
        self._rotate()

    def close(self) -> None:
        """Close the current file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    @property
    def current(self) -> Path | None:
        """The file being written."""
        return self._path

    def write(self, exchange: Exchange, same_as: Capture | None = None, crawl_id: str | None = None) -> Capture:
        """Write an exchange (a ``response``, or a ``revisit`` of ``same_as``, or of a 304) with its ``request``.

        ``same_as``: the capture of this URL whose payload this one repeats (a revisit of profile
        identical-payload-digest), or, for a 304, the copy the server says is current.
        """
        if self._file is None or (self._size >= self.max_size and self._size > self._info_size):
            self._rotate()
        digest = exchange.digest
        date = warc_date(exchange.date)
        if exchange.status == 304:
            record_id, first = self._revisit(exchange, date, same_as, SERVER_NOT_MODIFIED)
            kind, digest = "revisit", same_as.payload_digest if same_as is not None else None
        elif same_as is not None:
            record_id, first = self._revisit(exchange, date, same_as, IDENTICAL_PAYLOAD, digest)
            kind = "revisit"
        else:
            record_id, first = self._response(exchange, date, digest)
            kind = "response"
        offset = self._append(first + self._request(exchange, date, record_id)[1])
        assert self._path is not None
        return Capture(
            record_id=record_id,
            url=exchange.url,
            status=exchange.status,
            fetched_at=date,
            warc_file=self._relative,
            offset=offset,
            length=len(first),
            payload_digest=digest,
            type=kind,
            refers_to=same_as.record_id if same_as is not None else None,
            crawl_id=crawl_id or self.crawl_id,
            rendered=exchange.rendered,
        )

    def write_resource(
        self, url: str, body: bytes, content_type: str, date: datetime, concurrent_to: str, crawl_id: str | None = None
    ) -> Capture:
        """Write a document a browser made (a rendered frame's) as a ``resource`` record of its URL, with
        ``WARC-Concurrent-To`` the record it was captured with; where it is (no HTTP status: none was sent)."""
        if self._file is None:
            self._rotate()
        digest = payload_digest(body)
        extra = {"WARC-Date": warc_date(date), "WARC-Concurrent-To": concurrent_to, "WARC-Payload-Digest": digest}
        record = self._records.create_warc_record(
            url, "resource", payload=io.BytesIO(body), length=len(body), warc_content_type=content_type,
            warc_headers_dict=extra,
        )  # fmt: skip
        data = self._serialize(record)
        offset = self._append(data)
        assert self._path is not None
        return Capture(
            record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
            url=url,
            status=None,
            fetched_at=warc_date(date),
            warc_file=self._relative,
            offset=offset,
            length=len(data),
            payload_digest=digest,
            type="resource",
            refers_to=concurrent_to,
            crawl_id=crawl_id or self.crawl_id,
        )

    # Records: written as warcio writes them (its header order, digests, lengths, RFC 8187 encoding), by hand

    def _response(self, exchange: Exchange, date: str, digest: str | None) -> tuple[str, bytes]:
        extra = [("WARC-Payload-Digest", digest)] if digest else []
        return self._record("response", exchange, date, extra, self._http_response(exchange), exchange.body)

    def _revisit(
        self, exchange: Exchange, date: str, same_as: Capture | None, profile: str, digest: str | None = None
    ) -> tuple[str, bytes]:
        extra = [("WARC-Profile", profile)]
        if same_as is not None:
            extra += [("WARC-Refers-To", same_as.record_id), ("WARC-Refers-To-Target-URI", same_as.url),
                      ("WARC-Refers-To-Date", same_as.fetched_at)]  # fmt: skip
        digest = digest or (same_as.payload_digest if same_as is not None else None)
        if digest:
            extra.append(("WARC-Payload-Digest", digest))
        return self._record("revisit", exchange, date, extra, self._http_response(exchange), b"")

    def _request(self, exchange: Exchange, date: str, concurrent_to: str) -> tuple[str, bytes]:
        target, host = _request_target(exchange.url)
        headers = list(exchange.request_headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", host))
        # warcio reads a request line's method as its "protocol" and the rest as its status line
        method, line = f"{exchange.method} {target} {exchange.protocol}".split(" ", 1)
        http = _http_head(method, line, headers)
        extra = [("WARC-Concurrent-To", concurrent_to)]
        return self._record("request", exchange, date, extra, http, exchange.request_body)

    def _http_response(self, exchange: Exchange) -> bytes:
        kept = [(name, value) for name, value in exchange.response_headers if name.lower() not in _DROPPED]
        return _http_head(exchange.protocol, _reason(exchange.status), kept)

    def _record(
        self, kind: str, exchange: Exchange, date: str, extra: list[tuple[str, str]], http: bytes, payload: bytes
    ) -> tuple[str, bytes]:
        """(its WARC-Record-ID, one record as one gzip member): the WARC headers in warcio's order (the
        date, ``extra``, the rendered marks, the IP address, then type, id, target; a payload digest warcio
        computes (a request's); block digest, content type and length), the HTTP head, the payload (none
        in a revisit) and the two line ends."""
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        warc = [("WARC-Date", date), *extra]
        if exchange.rendered:
            warc.append((RENDERED_HEADER, "true"))
            if exchange.rendered_from:
                warc.append((RENDERED_FROM_HEADER, exchange.rendered_from))
        if exchange.ip_address:
            warc.append(("WARC-IP-Address", exchange.ip_address))
        warc += [("WARC-Type", kind), ("WARC-Record-ID", record_id), ("WARC-Target-URI", exchange.url)]
        if kind != "revisit" and not any(name == "WARC-Payload-Digest" for name, _ in extra):
            warc.append(("WARC-Payload-Digest", payload_digest(payload)))
        block = hashlib.sha1(http)
        block.update(payload)
        warc += [
            ("WARC-Block-Digest", "sha1:" + base64.b32encode(block.digest()).decode("ascii")),
            ("Content-Type", _CONTENT_TYPES[kind]),
            ("Content-Length", str(len(http) + len(payload))),
        ]
        head = ("WARC/1.1\r\n" + "".join([": ".join(field) + "\r\n" for field in warc]) + "\r\n").encode("utf-8")
        return record_id, _gzip_member(b"".join((head, http, payload, b"\r\n\r\n")), self.level)

    def _serialize(self, record: Any) -> bytes:
        """One record as one gzip member (the writer's buffer emptied after: it keeps no record's bytes)."""
        buffer = self._records.out
        self._records.write_record(record)
        written = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return _gzip_member(written, self.level)

    # Files

    def _rotate(self) -> None:
        self.close()
        while True:
            path = self.folder / f"{self.prefix}-{self._serial:05d}.warc.gz"
            self._serial += 1
            try:
                self._file = open(path, "xb")  # noqa: SIM115 (kept open across records)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise WarcWriteError(f"cannot create WARC file {path}: {exc.strerror or exc}") from exc
        self._path, self._size = path, 0
        self._relative = os.path.relpath(path, self.base)  # once a file, not once a record
        self.files.append(path)
        self._append(self._serialize(self._warcinfo(path.name)))
        self._info_size = self._size

    def _warcinfo(self, filename: str) -> Any:
        info = {
            "software": software(),
            "format": "WARC File Format 1.1",
            "conformsTo": WARC_1_1,
            **self.info,
        }
        return self._records.create_warcinfo_record(filename, info)

    def _append(self, data: bytes) -> int:
        """Write ``data`` at the end of the current file and flush it; its offset. On an error the
        file is cut back to where it was (nothing half-written stays) and WarcWriteError names it."""
        assert self._file is not None
        offset = self._size
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:
            self._cut_back(offset)
            raise WarcWriteError(f"cannot write WARC file {self._path}: {exc.strerror or exc}") from exc
        self._size += len(data)
        return offset

    def _cut_back(self, offset: int) -> None:
        assert self._file is not None and self._path is not None
        with contextlib.suppress(OSError):  # else readers stop at the last complete member anyway
            os.truncate(self._path, offset)
        with contextlib.suppress(OSError):
            self._file.close()
        self._file = None
