"""``archiver export --format wacz``: the captures of the selected articles as one WACZ file (WACZ 1.1.1).

A WACZ (https://specs.webrecorder.net/wacz/1.1.1/) is a ZIP file that ReplayWeb.page and pywb open
as they open a web archive. This one holds:

- ``archive/data.warc.gz``: a ``warcinfo`` record, then the records, copied byte for byte (each is
  its own gzip member) from the archive's WARC files, in file and offset order: for each article,
  every capture of its page's URL (the response its values were extracted from and the other
  fetches of that URL: revisits, earlier or later responses), its comment pages' captures (unless
  ``comments`` is off), its revisions' captures (with ``revisions``), the ``response`` record each
  ``revisit`` refers to (so that replay finds the payload), and, after each of those, its
  ``request`` record when the file holds it right there (as archiver's own files do). Stored in
  the ZIP, not deflated, as the spec asks.
- ``indexes/index.cdxj``: one line per ``response`` and ``revisit`` record, as cdxj-indexer writes
  them (SURT key, 14-digit timestamp, url, mime, status, digest, length, offset, filename), sorted.
- ``pages/pages.jsonl``: a ``json-pages-1.0`` header, then one line per article whose capture the
  archive holds: its stable id, the URL and time of that capture and its title.
- ``datapackage.json`` (every other file with its sha256 and size) and ``datapackage-digest.json``
  (the sha256 of ``datapackage.json``).

Memory does not grow with the number of articles: SQLite selects and orders the records (its
temporary b-trees spill to disk), records are copied in 1 MiB blocks, and the index lines are
sorted by a scratch SQLite file beside the output. The file is written as ``<path>.part`` and
renamed when complete; on any error the part is removed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_timestamp
from warcio.warcwriter import WARCWriter

from archiver import __version__
from archiver.archive.export import ExportFilters
from archiver.archive.record import stable_id

WACZ_VERSION = "1.1.1"
#: The names of the files inside the WACZ.
WARC_NAME = "data.warc.gz"
WARC_PATH = f"archive/{WARC_NAME}"
INDEX_PATH = "indexes/index.cdxj"
PAGES_PATH = "pages/pages.jsonl"
TITLE = "Articles archived with archiver"

_BLOCK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_COLUMNS = ("record_id", "url", "warc_file", "offset", "length", "type")


class WaczError(Exception):
    """The WACZ cannot be written: a WARC file the archive names is missing or shorter than its records say."""


@dataclass
class WaczResult:
    """What was packaged."""

    path: Path
    articles: int = 0  # listed in pages.jsonl
    without_capture: int = 0  # selected, but the archive holds no capture of them
    records: int = 0  # response and revisit records (index lines)
    requests: int = 0  # request records copied beside them
    bytes: int = 0  # of the WACZ file


def count_records(conn: sqlite3.Connection, filters: ExportFilters) -> int:
    """How many response and revisit records a WACZ with these filters holds."""
    sql, params = _records_sql(filters, "count(*)")
    return int(conn.execute(sql, params).fetchone()[0]) if _has_captures(conn) else 0


def write_wacz(
    conn: sqlite3.Connection,
    archive: Path,
    path: Path,
    filters: ExportFilters,
    advance: Callable[[], None] | None = None,
) -> WaczResult:
    """Write the WACZ of the articles ``filters`` selects to ``path`` (via ``path.part``).

    ``archive`` is the archive's file: the captures' WARC files are named relative to its folder.
    ``advance`` is called after each response or revisit record copied (for a progress display).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    result = WaczResult(path)
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".wacz-") as scratch:
            _write_zip(conn, archive.parent, partial, filters, Path(scratch), result, advance)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result.bytes = path.stat().st_size
    return result


def _write_zip(
    conn: sqlite3.Connection,
    base: Path,
    partial: Path,
    filters: ExportFilters,
    scratch: Path,
    result: WaczResult,
    advance: Callable[[], None] | None,
) -> None:
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    resources: list[dict[str, Any]] = []
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED, allowZip64=True) as wacz, _Index(scratch) as index:
        with _entry(wacz, PAGES_PATH, resources, deflate=True) as out:
            _write_pages(conn, filters, out, result)
        with _entry(wacz, WARC_PATH, resources, deflate=False) as out:
            out.write(_warcinfo(filters, created))
            _copy_records(conn, base, filters, out, index, result, advance)
        with _entry(wacz, INDEX_PATH, resources, deflate=True) as out:
            for line in index.sorted_lines():
                out.write(line.encode("utf-8"))
        package = _datapackage(resources, created, result, filters)
        wacz.writestr(_info("datapackage.json", deflate=True), package)
        digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package).hexdigest()}
        wacz.writestr(_info("datapackage-digest.json", deflate=True), json.dumps(digest, indent=2).encode())


# The ZIP entries


class _Hashing(io.RawIOBase):
    """Writes through to a ZIP entry, counting the bytes and their sha256 (those of the file as unzipped)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.size, self.sha256 = out, 0, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.out.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


def _info(name: str, deflate: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    return info


@contextmanager
def _entry(wacz: zipfile.ZipFile, name: str, resources: list[dict[str, Any]], deflate: bool) -> Iterator[_Hashing]:
    """One ZIP entry written as a stream; once complete, its path, sha256 and size are added to ``resources``."""
    with wacz.open(_info(name, deflate), "w", force_zip64=True) as stream:
        hashing = _Hashing(stream)
        yield hashing
    resources.append({
        "name": Path(name).name,
        "path": name,
        "hash": "sha256:" + hashing.sha256.hexdigest(),
        "bytes": hashing.size,
    })  # fmt: skip


# pages/pages.jsonl


def _write_pages(conn: sqlite3.Connection, filters: ExportFilters, out: _Hashing, result: WaczResult) -> None:
    """The header line, then one line per selected article whose capture the archive holds."""
    header = {"format": "json-pages-1.0", "id": "pages", "title": TITLE}
    out.write((json.dumps(header) + "\n").encode("utf-8"))
    for canonical_url, title, url, fetched_at in _pages(conn, filters):
        if url is None:
            result.without_capture += 1
            continue
        page = {"id": stable_id(canonical_url), "url": url, "ts": fetched_at, "title": title or url}
        out.write((json.dumps(page, ensure_ascii=False) + "\n").encode("utf-8"))
        result.articles += 1


def _pages(
    conn: sqlite3.Connection, filters: ExportFilters
) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    where, params = filters.where("articles")
    if not _has_captures(conn):
        sql = f"SELECT canonical_url, title, NULL, NULL FROM articles{where} ORDER BY articles.id"
    else:
        sql = (
            "SELECT articles.canonical_url, articles.title, c.url, c.fetched_at FROM articles "
            f"LEFT JOIN captures c ON c.record_id = articles.capture{where} ORDER BY articles.id"
        )
    yield from conn.execute(sql, params)


# archive/data.warc.gz


def _has_captures(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'captures'").fetchone())


def _records_sql(filters: ExportFilters, columns: str) -> tuple[str, list[str]]:
    """The query of the response and revisit records the WACZ holds, in file and offset order."""
    where, params = filters.where("articles")
    named = ["SELECT capture AS record_id FROM chosen"]
    if filters.comments:
        named.append("SELECT j.value FROM chosen, json_each(chosen.comment_captures) AS j")
    if filters.revisions:
        named.append("SELECT r.capture FROM revisions AS r JOIN chosen ON r.article_id = chosen.id")
    sql = f"""
        WITH chosen AS (SELECT articles.id, articles.capture, articles.comment_captures FROM articles{where}),
        named AS ({" UNION ".join(named)}),
        page_urls AS (SELECT c.url FROM captures AS c JOIN chosen ON c.record_id = chosen.capture),
        wanted AS (
            SELECT record_id FROM named
            UNION SELECT c.record_id FROM captures AS c WHERE c.url IN (SELECT url FROM page_urls)
        ),
        held AS (
            SELECT record_id FROM wanted
            UNION SELECT c.refers_to FROM captures AS c JOIN wanted USING (record_id) WHERE c.refers_to IS NOT NULL
        )
        SELECT {columns} FROM captures JOIN held USING (record_id)
    """
    return sql, params


def _captures(conn: sqlite3.Connection, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    if not _has_captures(conn):
        return
    sql, params = _records_sql(filters, ", ".join(f"captures.{c}" for c in _COLUMNS))
    for row in conn.execute(sql + " ORDER BY captures.warc_file, captures.offset", params):
        yield dict(zip(_COLUMNS, row, strict=True))


def _copy_records(
    conn: sqlite3.Connection,
    base: Path,
    filters: ExportFilters,
    out: _Hashing,
    index: _Index,
    result: WaczResult,
    advance: Callable[[], None] | None,
) -> None:
    """Each record (and its request, when it follows it) copied to ``out``; its index line to ``index``."""
    source: _Source | None = None
    try:
        for capture in _captures(conn, filters):
            if source is None or source.name != capture["warc_file"]:
                if source is not None:
                    source.close()
                source = _Source(base, capture["warc_file"])
            offset = out.size
            record = source.record_at(capture["offset"])
            source.copy(capture["offset"], capture["length"], out)
            index.add(_index_line(record, offset, out.size - offset))
            result.records += 1
            end = capture["offset"] + capture["length"]
            request = source.request_at(end, capture["record_id"])
            if request is not None:
                source.copy(end, request, out)
                result.requests += 1
            if advance is not None:
                advance()
    finally:
        if source is not None:
            source.close()


class _Source:
    """One of the archive's WARC files, opened to copy records from."""

    def __init__(self, base: Path, name: str) -> None:
        self.name, self.path = name, base / name
        try:
            self.file = self.path.open("rb")
        except OSError as exc:
            raise WaczError(
                f"{self.path}: cannot read this WARC file ({exc.strerror or exc}); no WACZ written"
            ) from exc

    def close(self) -> None:
        self.file.close()

    def record_at(self, offset: int) -> Any:
        """warcio's record at ``offset`` (headers parsed, payload not read); WaczError if there is none."""
        record = self._record_at(offset)
        if record is None:
            raise WaczError(f"{self.path}: no WARC record at offset {offset}; no WACZ written")
        return record

    def copy(self, offset: int, length: int, out: _Hashing) -> None:
        """Copy the record of ``length`` bytes at ``offset`` to ``out`` as one gzip member (as it is in a
        .warc.gz; compressed here from a .warc)."""
        self.file.seek(offset)
        gzipped = self.file.read(2) == _GZIP_MAGIC
        self.file.seek(offset)
        compressor = None if gzipped else zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        left = length
        while left:
            block = self.file.read(min(_BLOCK, left))
            if not block:
                raise WaczError(f"{self.path}: ends inside the record at offset {offset}; no WACZ written")
            out.write(compressor.compress(block) if compressor else block)
            left -= len(block)
        if compressor:
            out.write(compressor.flush())

    def request_at(self, offset: int, record_id: str) -> int | None:
        """The length of the ``request`` record at ``offset`` when it is that of ``record_id``, else None."""
        self.file.seek(offset)
        try:
            records = ArchiveIterator(self.file, arc2warc=False)
            record = next(iter(records), None)
            if record is None or record.rec_type != "request":
                return None
            if record.rec_headers.get_header("WARC-Concurrent-To") != record_id:
                return None
            records.read_to_end(record)
            return int(records.get_record_length())
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error):
            return None

    def _record_at(self, offset: int) -> Any:
        """warcio's record (headers parsed, payload not read) at ``offset``, or None."""
        self.file.seek(offset)
        try:
            return next(iter(ArchiveIterator(self.file, arc2warc=False)), None)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error):
            return None


def _warcinfo(filters: ExportFilters, created: str) -> bytes:
    """The ``warcinfo`` record that opens data.warc.gz: who wrote it, when, and what was selected."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    info = {
        "software": f"archiver/{__version__}",
        "format": "WARC File Format 1.1",
        "description": f"{TITLE}: the captures of the articles selected by archiver export --format wacz",
        "created": created,
        "filters": json.dumps(vars(filters)),
    }
    writer.write_record(writer.create_warcinfo_record(WARC_NAME, info))
    return buffer.getvalue()


# indexes/index.cdxj


def _index_line(record: Any, offset: int, length: int) -> str:
    """The CDXJ line of a response or revisit record, with the fields and values cdxj-indexer gives."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    fields: dict[str, str] = {"url": url}
    if record.rec_type == "revisit":
        fields["mime"] = "warc/revisit"
    elif record.http_headers is not None and record.http_headers.get_header("Content-Type"):
        fields["mime"] = _mime(record.http_headers.get_header("Content-Type"))
    if record.http_headers is not None:
        fields["status"] = record.http_headers.get_statuscode()
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest:
        fields["digest"] = digest
    fields |= {"length": str(length), "offset": str(offset), "filename": WARC_NAME}
    timestamp = iso_date_to_timestamp(record.rec_headers.get_header("WARC-Date"))
    return f"{_url_key(url)} {timestamp} {json.dumps(fields)}\n"


def _mime(content_type: str) -> str:
    return content_type.replace(";", " ").split(None, 1)[0].strip() if content_type.strip() else ""


def _url_key(url: str) -> str:
    """The SURT key pywb and cdxj-indexer sort and look up by."""
    try:
        return str(surt.surt(url))
    except ValueError:  # as cdxj-indexer: a URL surt cannot read is its own key
        return url


class _Index:
    """CDXJ lines gathered in a scratch SQLite file and given back sorted (SQLite sorts on disk when it must)."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "index.db")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE lines (line TEXT)")
        self.pending: list[tuple[str]] = []

    def __enter__(self) -> _Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def add(self, line: str) -> None:
        self.pending.append((line,))
        if len(self.pending) >= 10_000:
            self._flush()

    def sorted_lines(self) -> Iterator[str]:
        self._flush()
        for (line,) in self.db.execute("SELECT line FROM lines ORDER BY line"):
            yield line

    def _flush(self) -> None:
        with self.db:
            self.db.executemany("INSERT INTO lines VALUES (?)", self.pending)
        self.pending = []


# datapackage.json


def _datapackage(resources: list[dict[str, Any]], created: str, result: WaczResult, filters: ExportFilters) -> bytes:
    package = {
        "profile": "data-package",
        "resources": resources,
        "title": TITLE,
        "description": (
            f"{result.articles} articles as their pages were fetched, with {result.records} response and revisit "
            "records. Open this file in ReplayWeb.page or pywb."
        ),
        "created": created,
        "wacz_version": WACZ_VERSION,
        "software": f"archiver {__version__}",
        "archiver": {"filters": vars(filters), "articles_without_capture": result.without_capture},
    }
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
