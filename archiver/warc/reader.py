"""The HTTP exchanges of WARC files written by any tool, one at a time, in constant memory.

``WarcReader(paths)`` streams the ``response`` records of ``.warc`` and ``.warc.gz`` files (Common
Crawl's CC-NEWS, Browsertrix, Heritrix, ``wget --warc-file``, archiver's own captures) as
``Exchange`` values: the target URI, the WARC date, the HTTP status and headers, the payload
de-chunked and decoded (gzip, deflate, br), the record's byte range in its file and its payload
digest. A ``revisit`` record comes out with the payload of the response it refers to when that
response is in the files read (found by payload digest); otherwise it is counted as unresolved.
Everything else is counted in ``skipped`` by reason, never raised: other record types, non-HTML
payloads, malformed records (reading resumes at the next record), a truncated tail.

Records are parsed by FastWARC, chosen by measured speed (``make bench-warc-read``: 4.6 times
warcio's records/s on a .warc.gz, 20 times on a .warc). Neither its payload decoding (2.0.1 with
``auto_decode`` silently ends the iteration after a chunked, gzip-encoded record) nor its error
handling (a broken record ends its iteration) is used: the decoding, the byte ranges (those
warcio gives) and the recovery after a broken record are done here. Memory: one payload at a
time (at most ``max_payload`` bytes), plus about 200 bytes per HTML response read (the index
that resolves revisits; ``resolve_revisits=False`` keeps none).
"""

from __future__ import annotations

import os
import re
import zlib
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import brotli
from fastwarc.warc import ArchiveIterator, WarcRecordType

from archiver.settings import DOWNLOAD_MAXSIZE
from archiver.warc.writer import RENDERED_FROM_HEADER, RENDERED_HEADER

#: The media types read as HTML.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Why a record was skipped: the keys of ``WarcReader.skipped`` (other record types count as "<type> record").
NOT_HTTP = "not an HTTP response"
NOT_HTML = "not HTML"
MALFORMED = "malformed"
TRUNCATED = "truncated"
CRAWLER_TRUNCATED = "truncated by the crawler"
TOO_LARGE = "too large"
UNDECODABLE = "undecodable content-encoding"
UNRESOLVED_REVISIT = "unresolved revisit"
SEGMENTED = "segmented"
SHARED_MEMBER = "several records in one gzip member"

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"\nWARC/\d+\.\d+\r?\n")
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_SCAN_BLOCK = 1 << 20
_MEMBER_BLOCK = 64 * 1024
_MAX_HEADER = 64 * 1024
#: How the warcinfo record of a file archiver's crawl wrote begins its software line.
_ARCHIVER_SOFTWARE = b"software: archiver/"
#: The line of such a warcinfo record naming the crawl's ``ARCHIVER_RENDER_COMMENTS``.
_RENDER_MODE = re.compile(rb"^setting-ARCHIVER_RENDER_COMMENTS: *(\w+)", re.MULTILINE)


class WarcError(Exception):
    """No readable HTTP response at a given place in a WARC file."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record lies: its file, the offset of its first byte and its length (its gzip member in a .warc.gz)."""

    file: Path
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP response as a WARC file kept it, its payload ready for extraction."""

    url: str  # WARC-Target-URI
    date: datetime  # WARC-Date (when the response was received), timezone-aware
    status: int
    headers: tuple[tuple[str, str], ...]  # the HTTP response headers, in order, as sent
    content_type: str | None  # the HTTP Content-Type header as sent
    payload: bytes  # the body, de-chunked and content-decoded
    file: Path
    offset: int
    length: int
    digest: str | None  # WARC-Payload-Digest ("sha1:..."), of the payload as stored
    record_id: str | None  # WARC-Record-ID
    revisit_of: Location | None = None  # a revisit record: the response whose payload this is
    original: Exchange | None = None  # and that response as read (its payload and headers left out)
    rendered: bool = False  # a page's document as archiver's crawl rendered it (WARC-Archiver-Rendered)
    rendered_from: str | None = None  # its record of the page as fetched (WARC-Archiver-Rendered-From), if named

    @property
    def location(self) -> Location:
        return Location(self.file, self.offset, self.length)

    def header(self, name: str) -> str | None:
        """The first HTTP header of that name (any case), or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)


@dataclass(slots=True)
class _Parsed:
    """A response or revisit record read but not yet placed (its length is known once the next record starts)."""

    url: str
    date: datetime
    status: int | None  # None: a revisit without HTTP headers
    headers: tuple[tuple[str, str], ...]
    payload: bytes
    digest: str | None
    record_id: str | None
    revisit: bool
    rendered: bool = False
    rendered_from: str | None = None


@dataclass(slots=True)
class _Pending:
    """The last record seen: what reading it gave (an exchange to finish, or a skip reason)."""

    offset: int
    parsed: _Parsed | None
    skip: str | None


class WarcReader:
    """Iterate over the HTTP exchanges of WARC files; ``skipped`` counts what was left out and why.

    ``html_only`` (default): only responses whose payload is HTML (by Content-Type, else by
    WARC-Identified-Payload-Type, else by its first bytes). ``max_payload``: a larger payload
    (raw or decoded) is skipped as "too large". Iterating twice reads the files twice.
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        html_only: bool = True,
        max_payload: int = DOWNLOAD_MAXSIZE,
        resolve_revisits: bool = True,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.html_only = html_only
        self.max_payload = max_payload
        self.resolve_revisits = resolve_revisits
        self.skipped: Counter[str] = Counter()
        self.records = 0  # WARC records seen, of every type
        self.exchanges = 0  # exchanges yielded
        self._index: dict[str, Location] = {}
        self._deferred: list[Location] = []
        self.by_archiver: set[Path] = set()  # the files whose warcinfo names archiver as their software
        self.render_modes: dict[Path, str] = {}  # of those, the ARCHIVER_RENDER_COMMENTS their warcinfo names
        self._path: Path | None = None  # the file being read

    def __iter__(self) -> Iterator[Exchange]:
        self.skipped.clear()
        self.records = self.exchanges = 0
        self._index, self._deferred = {}, []
        for path in self.paths:
            yield from self._read_file(path)
        deferred, self._deferred = self._deferred, []
        for where in deferred:  # revisits met before the response they refer to
            exchange = self._place(self._reread(where), where.file, where.offset, where.length, deferred=True)
            if exchange is not None:
                yield exchange

    # -- one file -------------------------------------------------------------------------------

    def _read_file(self, path: Path) -> Iterator[Exchange]:
        self._path = path
        size = path.stat().st_size
        with path.open("rb") as stream, path.open("rb") as probe:  # probe: looks elsewhere while FastWARC reads
            gz = probe.read(2) == _GZIP_MAGIC[:2]
            start: int | None = 0
            while start is not None and start < size:
                start = yield from self._run(stream, probe, path, gz, start, size)

    def _run(
        self, stream: IO[bytes], probe: IO[bytes], path: Path, gz: bool, start: int, size: int
    ) -> Generator[Exchange, None, int | None]:
        """Read records from ``start`` on; return where to go on after a broken record, None at the file's end."""
        stream.seek(start)
        pending: _Pending | None = None
        checked = False  # the first two records' offsets checked against the first one's gzip member
        iterator = ArchiveIterator(stream, parse_http=True, auto_decode="none", strict_mode=False)
        try:
            for record in iterator:
                offset = record.stream_pos
                if pending is not None:
                    if gz and not checked:
                        checked = True
                        extent = _extent(probe, pending.offset, gz)
                        if extent is None or extent[1] != offset or not _starts_warc_member(probe, offset):
                            self._shared_members(iterator)
                            return None
                    yield from self._finish(pending, path, offset - pending.offset - _trailer(probe, offset, gz))
                self.records += 1
                pending = self._take(record)
        except OSError:  # FastWARC: a record it cannot parse ends its iteration
            if pending is not None:
                extent = _extent(probe, pending.offset, gz)
                if extent is None:  # the last record read is the broken one
                    return self._unreadable(probe, pending.offset, gz)
                yield from self._finish(pending, path, extent[0])
                return extent[1]  # a new run from the next record tells whether that one is broken
            self.records += 1
            return self._unreadable(probe, start, gz)
        if pending is None:  # nothing FastWARC could read here, yet no error
            if _only_padding(probe, start, size):
                return None
            self.records += 1
            return self._unreadable(probe, start, gz)
        extent = _extent(probe, pending.offset, gz)
        if extent is None:
            return self._unreadable(probe, pending.offset, gz)
        yield from self._finish(pending, path, extent[0])
        return extent[1] if extent[1] < size else None

    def _unreadable(self, probe: IO[bytes], offset: int, gz: bool) -> int | None:
        """Count the record at offset that cannot be read; where the next one starts (None: the file's end).

        A record that runs to the end of the file without being complete is the file's truncated
        tail; any other is malformed: a whole gzip member is skipped, else up to the next record.
        """
        extent = _extent(probe, offset, gz)
        after = extent[1] if extent is not None and extent[1] > offset else _scan(probe, offset + 1, gz)
        starts = _read_at(probe, offset, 5).startswith(_GZIP_MAGIC if gz else b"WARC/")
        self.skipped[TRUNCATED if after is None and extent is None and starts else MALFORMED] += 1
        return after

    def _shared_members(self, iterator: ArchiveIterator) -> None:
        """A .warc.gz gzipped whole (not one member per record): no record can be addressed; count them."""
        self.skipped[SHARED_MEMBER] += 2  # the record before and this one
        self.records += 1
        try:
            for _record in iterator:
                self.records += 1
                self.skipped[SHARED_MEMBER] += 1
        except OSError:  # a broken record inside: the rest of the member cannot be read
            self.records += 1
            self.skipped[SHARED_MEMBER] += 1

    def _finish(self, pending: _Pending, path: Path, length: int) -> Iterator[Exchange]:
        if pending.parsed is None:
            self.skipped[pending.skip or MALFORMED] += 1
            return
        exchange = self._place(pending.parsed, path, pending.offset, length)
        if exchange is not None:
            yield exchange

    # -- one record ----------------------------------------------------------------------------

    def _take(self, record: Any) -> _Pending:
        """Read what is needed of one record now (FastWARC's reader is gone once the iterator moves on)."""
        offset = record.stream_pos
        try:
            return _Pending(offset, self._parse(record), None)
        except _Skip as skip:
            return _Pending(offset, None, str(skip))
        except OSError:  # its gzip member or its payload is corrupt
            return _Pending(offset, None, MALFORMED)

    def _parse(self, record: Any) -> _Parsed:
        kind, warc = record.record_type, record.headers
        if not warc.get("WARC-Type") or not (warc.get("Content-Length") or "").strip().isdigit():
            raise _Skip(MALFORMED)
        if kind == WarcRecordType.warcinfo and self._path is not None:
            self._note_software(self._path, record.reader.read(_MAX_HEADER))
        if kind not in (WarcRecordType.response, WarcRecordType.revisit):
            raise _Skip(f"{warc.get('WARC-Type', '').strip().lower()} record")
        url = (warc.get("WARC-Target-URI") or "").strip("<> ")
        if not url or record.content_length < 0:
            raise _Skip(MALFORMED)
        if not url.lower().startswith(("http:", "https:")):
            raise _Skip(NOT_HTTP)
        if warc.get("WARC-Segment-Number") is not None:
            raise _Skip(SEGMENTED)
        if warc.get("WARC-Truncated") is not None:
            raise _Skip(CRAWLER_TRUNCATED)
        date = _warc_date(warc.get("WARC-Date"))
        revisit = kind == WarcRecordType.revisit
        http = record.http_headers if record.is_http_parsed else None
        status = http.status_code if http is not None else None
        if status is None and not (revisit and record.content_length == 0):
            raise _Skip(MALFORMED)
        headers = tuple(http.to_tuples()) if http is not None and status is not None else ()
        declared = _media_type(_find(headers, "content-type") or warc.get("WARC-Identified-Payload-Type"))
        if self.html_only and declared is not None and declared not in HTML_TYPES:
            raise _Skip(NOT_HTML)
        payload = b""
        if not revisit:
            payload = record.reader.read(self.max_payload + 1)
            if len(payload) > self.max_payload:
                raise _Skip(TOO_LARGE)
            payload = self._decode(payload, headers)
            if self.html_only and declared is None and not _HTML_START.match(payload[:4096]):
                raise _Skip(NOT_HTML)
        digest = warc.get("WARC-Payload-Digest")
        rendered = (warc.get(RENDERED_HEADER) or "").strip().lower() == "true"
        source = warc.get(RENDERED_FROM_HEADER) if rendered else None
        return _Parsed(
            url, date, status, headers, payload, digest, warc.get("WARC-Record-ID"), revisit, rendered, source
        )

    def _note_software(self, path: Path, info: bytes) -> None:
        """A warcinfo record's payload: is its file one of archiver's crawls' (``by_archiver``), rendering
        in which mode (``render_modes``, when it says)?"""
        if _ARCHIVER_SOFTWARE in info:
            self.by_archiver.add(path)
            mode = _RENDER_MODE.search(info)
            if mode is not None:
                self.render_modes[path] = mode.group(1).decode("ascii")

    def _decode(self, raw: bytes, headers: tuple[tuple[str, str], ...]) -> bytes:
        """The payload without its transfer and content encodings (as stored when an encoding is absent or wrong)."""
        if "chunked" in (_find(headers, "transfer-encoding") or "").lower():
            raw = _dechunk(raw)
        codings = [c.strip().lower() for c in (_find(headers, "content-encoding") or "").split(",")]
        data = raw
        for coding in reversed([c for c in codings if c and c != "identity"]):
            try:
                data = _decompress(data, coding, self.max_payload)
            except _Skip:
                raise
            except Exception as error:  # zlib.error, brotli.error, an unknown coding
                if data is raw and _HTML_START.match(raw[:4096]):
                    return raw  # the header names an encoding the stored payload does not have
                raise _Skip(UNDECODABLE) from error
        return data

    def _place(self, parsed: _Parsed, path: Path, offset: int, length: int, deferred: bool = False) -> Exchange | None:
        """The exchange of a record now that its range is known; a revisit gets the payload it refers to."""
        here = Location(path, offset, length)
        revisit_of, referred = None, None
        status, headers, payload = parsed.status, parsed.headers, parsed.payload
        if parsed.revisit:
            original = self._index.get(parsed.digest or "") if self.resolve_revisits else None
            if original is None:
                if deferred or not self.resolve_revisits or parsed.digest is None:
                    self.skipped[UNRESOLVED_REVISIT] += 1
                else:
                    self._deferred.append(here)
                return None
            try:
                source = read_exchange(original.file, original.offset, max_payload=self.max_payload, html_only=False)
            except WarcError:
                self.skipped[UNRESOLVED_REVISIT] += 1
                return None
            revisit_of = original
            payload, referred = source.payload, replace(source, payload=b"", headers=())
            if status is None:
                status, headers = source.status, source.headers
            if self.html_only and not _is_html(headers, payload):
                self.skipped[NOT_HTML] += 1
                return None
        elif parsed.digest is not None and self.resolve_revisits:
            self._index.setdefault(parsed.digest, here)
        assert status is not None
        self.exchanges += 1
        return Exchange(
            url=parsed.url,
            date=parsed.date,
            status=status,
            headers=headers,
            content_type=_find(headers, "content-type"),
            payload=payload,
            file=path,
            offset=offset,
            length=length,
            digest=parsed.digest,
            record_id=parsed.record_id,
            revisit_of=revisit_of,
            original=referred,
            rendered=parsed.rendered,
            rendered_from=parsed.rendered_from,
        )

    def _reread(self, where: Location) -> _Parsed:
        with where.file.open("rb") as stream:
            stream.seek(where.offset)
            record = next(iter(ArchiveIterator(stream, parse_http=True, auto_decode="none", strict_mode=False)))
            return self._parse(record)


@contextmanager
def _record_at(path: Path, offset: int, *, parse_http: bool) -> Iterator[tuple[IO[bytes], Any, bool]]:
    """The record that starts at ``offset`` of a WARC file, with the open file and whether it is
    gzipped (each record its own member); WarcError when no record starts there."""
    with path.open("rb") as stream:
        gz = stream.read(2) == _GZIP_MAGIC[:2]
        stream.seek(offset)
        found = ArchiveIterator(stream, parse_http=parse_http, auto_decode="none", strict_mode=False)
        record = next(iter(found), None)
        if record is None or record.stream_pos != offset:
            raise WarcError(f"{path}: no WARC record at offset {offset}")
        yield stream, record, gz


def read_exchange(
    path: str | os.PathLike[str], offset: int, *, max_payload: int = DOWNLOAD_MAXSIZE, html_only: bool = False
) -> Exchange:
    """The response record at ``offset`` of a WARC file (a capture named by the archive); WarcError if there is none.

    A revisit record is not resolved here: WarcError names it.
    """
    path = Path(path)
    reader = WarcReader([path], html_only=html_only, max_payload=max_payload, resolve_revisits=False)
    try:
        with _record_at(path, offset, parse_http=True) as (stream, record, gz):
            parsed = reader._parse(record)
            extent = _extent(stream, offset, gz)
    except OSError as error:
        raise WarcError(f"{path}: offset {offset}: {error}") from error
    except _Skip as skip:
        raise WarcError(f"{path}: offset {offset}: {skip}") from None
    if extent is None or parsed.revisit:
        raise WarcError(f"{path}: offset {offset}: {TRUNCATED if extent is None else 'a revisit record'}")
    exchange = reader._place(parsed, path, offset, extent[0])
    assert exchange is not None
    return exchange


@dataclass(frozen=True, slots=True)
class Resource:
    """A ``resource`` record: a document kept without an HTTP exchange (a rendered page's frame)."""

    url: str  # WARC-Target-URI
    date: datetime  # WARC-Date
    content_type: str | None  # the record's Content-Type (the document's)
    payload: bytes
    record_id: str | None  # WARC-Record-ID
    concurrent_to: str | None  # WARC-Concurrent-To: the record it was captured with
    file: Path
    offset: int
    length: int  # of its gzip member in a .warc.gz
    digest: str | None  # WARC-Payload-Digest


def read_resource(path: str | os.PathLike[str], offset: int, *, max_payload: int = DOWNLOAD_MAXSIZE) -> Resource:
    """The ``resource`` record at ``offset`` of a WARC file (a capture named by the archive); WarcError if none."""
    path = Path(path)
    try:
        with _record_at(path, offset, parse_http=False) as (stream, record, gz):
            if record.record_type != WarcRecordType.resource:
                raise WarcError(f"{path}: offset {offset}: not a resource record")
            warc = record.headers
            payload = record.reader.read(max_payload + 1)
            if len(payload) > max_payload:
                raise WarcError(f"{path}: offset {offset}: {TOO_LARGE}")
            extent = _extent(stream, offset, gz)
            if extent is None:
                raise WarcError(f"{path}: offset {offset}: {TRUNCATED}")
    except OSError as error:
        raise WarcError(f"{path}: offset {offset}: {error}") from error
    return Resource(
        url=(warc.get("WARC-Target-URI") or "").strip("<> "),
        date=_warc_date(warc.get("WARC-Date")),
        content_type=warc.get("Content-Type"),
        payload=payload,
        record_id=warc.get("WARC-Record-ID"),
        concurrent_to=warc.get("WARC-Concurrent-To"),
        file=path,
        offset=offset,
        length=extent[0],
        digest=warc.get("WARC-Payload-Digest"),
    )


def concurrent_resources(path: str | os.PathLike[str], offset: int, record_id: str, limit: int) -> list[int]:
    """The offsets of the ``resource`` records written right after the record at ``offset`` (its
    ``request`` aside) and concurrent to it (``WARC-Concurrent-To`` its id): a rendered page's
    frames, at most ``limit``; those read before a broken record when there is one."""
    found: list[int] = []
    if not record_id:  # a record without an id has no concurrent records
        return found
    with suppress(OSError), Path(path).open("rb") as stream:  # unreadable on: the frames found so far
        stream.seek(offset)
        for record in ArchiveIterator(stream, parse_http=False, auto_decode="none", strict_mode=False):
            if record.stream_pos == offset:
                continue
            if (record.headers.get("WARC-Concurrent-To") or "").strip() != record_id or len(found) >= limit:
                break
            if record.record_type == WarcRecordType.resource:
                found.append(record.stream_pos)
    return found


class _Skip(Exception):
    """A record left out, with the reason counted."""


# -- framing: where a record ends, where the next one starts ---------------------------------------


def _extent(stream: IO[bytes], offset: int, gz: bool) -> tuple[int, int] | None:
    """(length, where the next record starts) of the record at offset; None if it is cut short or unreadable."""
    return _member_extent(stream, offset) if gz else _plain_extent(stream, offset)


def _member_extent(stream: IO[bytes], offset: int) -> tuple[int, int] | None:
    """The gzip member at offset: decompressed to its end, output discarded."""
    stream.seek(offset)
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
    consumed = 0
    try:
        while not inflate.eof:
            block = stream.read(_MEMBER_BLOCK)
            if not block:
                return None
            inflate.decompress(block, 1)
            while inflate.unconsumed_tail and not inflate.eof:
                inflate.decompress(inflate.unconsumed_tail, _MEMBER_BLOCK)
            consumed += len(block)
    except zlib.error:
        return None
    length = consumed - len(inflate.unused_data)
    return length, offset + length


def _plain_extent(stream: IO[bytes], offset: int) -> tuple[int, int] | None:
    """The uncompressed record at offset: its header block, Content-Length bytes, then the blank lines after it."""
    stream.seek(offset)
    head = stream.read(_MAX_HEADER)
    end = head.find(b"\r\n\r\n")
    found = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", head[:end], re.IGNORECASE) if end > 0 else None
    if found is None or not head.startswith(b"WARC/"):
        return None
    length = end + 4 + int(found.group(1))
    stream.seek(offset + length)
    after = stream.read(4)
    if len(after) < 4 and stream.tell() < offset + length:
        return None
    blank = len(after) - len(after.lstrip(b"\r\n"))
    size = os.fstat(stream.fileno()).st_size
    return (length, offset + length + blank) if offset + length <= size else None


def _trailer(stream: IO[bytes], offset: int, gz: bool) -> int:
    """The blank lines just before the record at offset (an uncompressed record's end), not part of its length."""
    if gz or offset < 4:
        return 0
    before = os.pread(stream.fileno(), 4, offset - 4)
    return len(before) - len(before.rstrip(b"\r\n"))


def _scan(stream: IO[bytes], start: int, gz: bool) -> int | None:
    """The next place at or after start where a record begins (a gzip member holding a WARC record, a WARC/ line)."""
    stream.seek(start)
    base, data = start, b""
    while True:
        block = stream.read(_SCAN_BLOCK)
        if not block:
            return None
        keep = data[-16:]
        base += len(data) - len(keep)
        data = keep + block
        at = 0
        while True:
            if gz:
                hit = data.find(_GZIP_MAGIC, at)
            else:
                match = _WARC_LINE.search(data, at)
                hit = -1 if match is None else match.start() + 1
            if hit < 0:
                break
            if not gz or _starts_warc_member(stream, base + hit):
                return base + hit
            at = hit + 1
        stream.seek(base + len(data))


def _starts_warc_member(stream: IO[bytes], offset: int) -> bool:
    """Whether a gzip member holding a WARC record starts at offset (not three bytes inside compressed data)."""
    stream.seek(offset)
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(stream.read(4096), 16).startswith(b"WARC/")
    except zlib.error:
        return False


def _read_at(stream: IO[bytes], offset: int, size: int) -> bytes:
    return os.pread(stream.fileno(), size, offset)


def _only_padding(stream: IO[bytes], start: int, size: int) -> bool:
    """Whether nothing but blank lines or NUL bytes is left from start."""
    if size - start > _SCAN_BLOCK:
        return False
    stream.seek(start)
    return not stream.read().strip(b"\r\n\t \x00")


# -- payloads -----------------------------------------------------------------------------------


def _dechunk(raw: bytes) -> bytes:
    """A chunked body joined; as stored if it does not start as chunks (many tools store it de-chunked)."""
    out, at = bytearray(), 0
    while True:
        line_end = raw.find(b"\n", at)
        size_text = raw[at:line_end].split(b";")[0].strip() if line_end >= 0 else b""
        try:
            size = int(size_text, 16)
        except ValueError:
            if at == 0:
                return raw
            raise _Skip(MALFORMED) from None
        if size == 0:
            return bytes(out)
        start = line_end + 1
        if start + size > len(raw):
            raise _Skip(MALFORMED)
        out += raw[start : start + size]
        at = start + size
        at += 2 if raw[at : at + 2] == b"\r\n" else 1 if raw[at : at + 1] == b"\n" else 0


def _decompress(data: bytes, coding: str, limit: int) -> bytes:
    if coding in ("gzip", "x-gzip", "deflate"):
        # gzip or zlib header detected (47); a bare deflate stream (-15), as some servers send "deflate"
        inflate = zlib.decompressobj(47)
        try:
            out = inflate.decompress(data, limit + 1)
        except zlib.error:
            if coding != "deflate":
                raise
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = inflate.decompress(data, limit + 1)
        if len(out) > limit:
            raise _Skip(TOO_LARGE)
        if not inflate.eof:
            raise zlib.error("incomplete compressed stream")
        return out
    if coding == "br":
        decompressor = brotli.Decompressor()
        out = decompressor.process(data, output_buffer_limit=limit + 1)
        if len(out) > limit:
            raise _Skip(TOO_LARGE)
        if not decompressor.is_finished():
            raise brotli.error("incomplete compressed stream")
        return out
    raise ValueError(f"unknown content-encoding {coding}")


def _find(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _media_type(value: str | None) -> str | None:
    media = (value or "").split(";")[0].strip().lower()
    return media or None


def _is_html(headers: tuple[tuple[str, str], ...], payload: bytes) -> bool:
    media = _media_type(_find(headers, "content-type"))
    return media in HTML_TYPES if media is not None else bool(_HTML_START.match(payload[:4096]))


def _warc_date(value: str | None) -> datetime:
    try:
        date = datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise _Skip(MALFORMED) from None
    if date.tzinfo is None:
        raise _Skip(MALFORMED)
    return date
