"""Opening an archive and writing batches of articles with their comments."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlite_utils import Database

from archiver.archive.hashes import ARTICLE_CONTENT as _ARTICLE_CONTENT
from archiver.archive.hashes import ContentHashes, hashes_for
from archiver.archive.hashes import body_hash as body_hash  # of the archive's API, as before
from archiver.archive.hashes import content_hash as content_hash
from archiver.archive.hashes import digest as _digest
from archiver.archive.schema import SCHEMA_VERSION, migrate
from archiver.urls import article_page, canonicalize

_COMMENT_CONTENT = ("author", "published", "body", "parent", "kind")
_T = TypeVar("_T")
logger = logging.getLogger(__name__)


class ArchiveError(Exception):
    """The archive cannot be opened or written (path, permissions, corruption)."""


@dataclass
class SaveCounts:
    """What one batch did to the archive."""

    articles_inserted: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    articles_merged: int = 0  # the same text under another URL: one article, one more URL
    comments_inserted: int = 0
    comments_changed: int = 0
    comments_deleted: int = 0
    revisions: int = 0


#: Comment statuses under which the page's comments were read: a missing one was deleted.
_COMMENTS_READ = frozenset({"present", "none", "closed"})


def title_key(title: str | None) -> str | None:
    """A title as compared to tell copies of an article apart (case and white space folded), or None."""
    words = " ".join((title or "").split()).casefold()
    return words or None


def _copy_key(body_digest: str | None, title: str | None) -> tuple[str, str] | None:
    """What makes another URL's page a copy of an article: the same body *and* the same title.

    A body alone is not enough: a site may give pages of other titles one text (a template, a
    teaser, a notice); neither is a short body (``body_hash`` is None) or a missing title.
    """
    key = title_key(title)
    return (body_digest, key) if body_digest and key else None


def _now() -> str:
    return seen_time(datetime.now(UTC))


def seen_time(moment: datetime) -> str:
    """A time as the archive keeps first and last seen: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def open_read_only(path: str | Path, busy_timeout_ms: int = 30000) -> sqlite3.Connection:
    """A connection SQLite itself keeps from writing (read-only file mode and query_only) to an
    archive this archiver can read; ArchiveError for any other file (see ``check_archive``)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    return _open_checked(path, busy_timeout_ms, new_ok=False)


def check_archive_file(path: str | Path, new_ok: bool = False, busy_timeout_ms: int = 30000) -> None:
    """Raise ArchiveError unless the file is an archive this archiver can use, looking at it
    read-only (the file is left exactly as it was); ``new_ok``: a missing or empty file will do
    too, as a writer creates its archive there."""
    path = Path(path)
    if new_ok and not path.is_file():
        return
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    _open_checked(path, busy_timeout_ms, new_ok).close()


def _open_checked(path: Path, busy_timeout_ms: int, new_ok: bool) -> sqlite3.Connection:
    conn = _connect_read_only(path, busy_timeout_ms)
    try:
        check_archive(conn, path, new_ok)
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_read_only(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
    return conn


#: The tables every archive has had since its first schema: what tells an archive from another database.
_ARCHIVE_TABLES = ("articles", "archive_info")


def check_archive(conn: sqlite3.Connection, path: Path, new_ok: bool = False) -> None:
    """Raise ArchiveError unless ``conn`` reads an archive of this archiver's schema or an older one.

    Refused: a file that is not SQLite, another program's database, an empty file or database
    (unless ``new_ok``: a writer creates its archive there), an archive of a newer schema.
    """
    try:
        names = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
    if not names:
        if new_ok:
            return
        what = "an empty file" if path.stat().st_size == 0 else "an empty SQLite database"
        raise ArchiveError(f"{path} is not an archiver archive (it is {what})")
    tables = {name for kind, name in names if kind == "table"}
    for table in _ARCHIVE_TABLES:
        if table not in tables:
            hint = "; archiver writes only to its own archives, or to a new or empty file" if new_ok else ""
            raise ArchiveError(f"{path} is not an archiver archive (it has no {table} table){hint}")
    check_schema_version(conn, path)


def check_schema_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an archive written by a newer archiver: its schema may mean things this one does not know."""
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'archive_info'").fetchone():
            return
        found = conn.execute("SELECT value FROM archive_info WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
    if found and str(found[0]).isdigit() and int(found[0]) > SCHEMA_VERSION:
        raise ArchiveError(
            f"archive {path} has schema version {found[0]}, newer than this archiver's ({SCHEMA_VERSION}):"
            " upgrade archiver to read it"
        )


def staging_table(table: str) -> str:
    """The temporary table (of one connection, never in the file) rows of ``table`` pass through."""
    return f"temp.staged_{table}"


def _into_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """``PRAGMA journal_mode = WAL``, waiting up to the busy timeout while another process holds the file.

    SQLite answers "database is locked" at once, without its busy handler, when the journal mode is set
    while another connection creates the same new archive (two crawls started together on one new file:
    one of them failed). The pragma is tried again, a little later each time, until the timeout.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


class Archive:
    """An archive file: opened (created, migrated) with WAL and a busy timeout; ``close`` leaves
    everything in the file itself (the WAL checkpointed), so the ``.db`` file alone is the archive."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 30000) -> None:
        self.path = Path(path)
        # Looked at read-only first: another program's database is refused and left as it was.
        check_archive_file(self.path, new_ok=True, busy_timeout_ms=busy_timeout_ms)
        try:
            if self.path.parent != Path(""):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # No statement cache: SQLite keeps the values last bound to a prepared statement, and
            # batches of different sizes make statements of different lengths, so Python's cache
            # (128 statements) held the text of up to 128 batches. Almost every statement here is
            # made for its batch, so the cache saved next to nothing.
            conn = sqlite3.connect(str(self.path), timeout=busy_timeout_ms / 1000, cached_statements=0)
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc
        self.db = Database(conn)
        self._closed = False
        try:
            self._prepare(busy_timeout_ms)
        except BaseException:
            conn.close()
            raise

    def _prepare(self, busy_timeout_ms: int) -> None:
        """WAL, a busy timeout, foreign keys; then the schema brought up to date."""
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            check_schema_version(self.db.conn, self.path)  # before anything is changed in the file
            _into_wal(self.db.conn, busy_timeout_ms)
            # WAL with NORMAL sync: a crash of the process loses nothing committed; only a power
            # cut can lose the last transactions, never corrupt the file.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
            # After the migrations (an index made over a large archive sorts in SQLite's temp files):
            # the save's staging tables (``staging_table``) in memory, not in a temp file SQLite opens
            # in the temp folder once a batch's rows outgrow its cache (300 articles of 20 comments
            # did); they hold one batch at a time, which the crawl holds in memory already. No
            # CPU cost measured (benchmarks/RESULTS.md, crawlproc7).
            self.db.execute("PRAGMA temp_store = MEMORY")
            self._columns = {t: list(self.db.table(t).columns_dict) for t in ("articles", "comments")}
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc

    def close(self) -> None:
        """Checkpoint the WAL into the file, emptying it (TRUNCATE), and close the connection.

        SQLite checkpoints by itself only when the last connection to the file closes, which a
        read-only connection still open (the recrawl state, ``archiver serve``) prevents; the data
        then stayed in ``-wal`` and a copy of the ``.db`` file alone held none of it.
        """
        if self._closed:
            return
        self._closed = True
        try:
            busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            why = "a reader kept it busy"
        except sqlite3.Error as exc:  # what was committed is safe in the WAL: say so, and close
            busy, why = 1, str(exc)
        finally:
            self.db.close()
        if busy:
            logger.warning("%s: the WAL was not emptied into the file (%s); %s-wal holds the latest writes until"
                           " the next writer closes", self.path, why, self.path)  # fmt: skip

    @contextmanager
    def write(self, rollback: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE); ``rollback``:
        undone at the end of the block (what it would write is seen inside it, and left out)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        if rollback:
            conn.rollback()
        else:
            conn.commit()

    def start_crawl(
        self,
        crawl_id: str,
        spider: str,
        started: str,
        arguments: dict[str, Any],
        settings: dict[str, Any],
        run_id: str | None = None,
        source: str | None = None,
    ) -> None:
        """Record that a crawl began (of a scheduled run's source, when run_id and source are given)."""
        row = {
            "id": crawl_id,
            "spider": spider,
            "started": started,
            "arguments": arguments,
            "settings": settings,
            "run_id": run_id,
            "source": source,
        }
        with self.write():
            self.db.table("crawls").upsert(row, pk="id")

    def finish_crawl(
        self, crawl_id: str, finished: str, reason: str, stats: dict[str, Any], report: dict[str, Any] | None = None
    ) -> None:
        """Record how a crawl ended, with its stats (pages, items, drops by reason, errors by kind)
        and its report (new and changed articles, new comments, 304s, errors, duration)."""
        with self.write():
            self.db.table("crawls").update(
                crawl_id, {"finished": finished, "finish_reason": reason, "stats": stats, "report": report}
            )

    def record_captures(self, captures: Sequence[dict[str, Any]]) -> None:
        """Rows of the ``captures`` table (WARC records already flushed to their files); a record
        already held (named by an article saved before) is left as it is, but for its ``rendered``
        mark, set when the row says it is a rendering (never cleared)."""
        if not captures:
            return
        try:
            with self.write() as conn:
                _insert_captures(conn, captures)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc

    def record_fetches(self, fetches: Sequence[dict[str, Any]]) -> None:
        """Each URL's last fetch: status or error, ETag, Last-Modified, time.

        A ``304 Not Modified`` also marks the article at that URL as seen now.
        """
        with self.write():
            self.db.table("fetches").upsert_all(fetches, pk="url")
            self.db.conn.executemany(
                "UPDATE articles SET last_seen = ? WHERE id = (SELECT article_id FROM article_urls WHERE url = ?)",
                [(f["fetched_at"], canonicalize(f["url"])) for f in fetches if f.get("status") == 304],
            )

    def save(
        self,
        articles: Sequence[dict[str, Any]],
        dry_run: bool = False,
        seen: Sequence[str | None] | None = None,
        keep_newer: bool = False,
        hashes: Sequence[ContentHashes | None] | None = None,
    ) -> SaveCounts:
        """Insert or update a batch of articles (dicts of Article fields) in one transaction
        (``dry_run``: rolled back, only counted).

        ``seen``: when each article was seen on its site (ISO 8601 in UTC, as ``seen_time`` gives
        it; None or left out: now, as for a crawl's pages). An import gives its captures' dates: the
        article's first and last seen, its revision's and its comments' times are then those of the
        page as it was fetched. ``keep_newer``: an article seen before the archive last saw it (an
        older capture imported after a newer one) is history, not news: it changes nothing but an
        earlier ``first_seen`` (counted unchanged), so importing files again changes nothing.
        Without it, ``first_seen`` is never moved. ``hashes``: each article's hashes computed ahead
        (by a crawl's extraction worker), used only where they are still those of the article
        (``archiver.archive.hashes``); the others are computed here.

        The archive ends as if the articles had been saved one by one, in order (the same article
        twice, or two URLs of one text, in one batch included), but each table is written with as
        few statements as that allows: SQLite's full-text index writes a new segment at every
        statement of a transaction that touches it, and merging those is most of the write cost.
        """
        counts = SaveCounts()
        now = _now()
        seens = [at or now for at in seen] if seen is not None else [now] * len(articles)
        ahead = hashes if hashes is not None else [None] * len(articles)
        rows = [
            self._article_row(a, at, known) for a, at, known in zip(articles, seens, ahead, strict=True)
        ]  # before the lock
        urls = [{canonicalize(u) for u in (a.get("url"), a.get("canonical_url")) if u} for a in articles]
        try:
            with self.write(rollback=dry_run) as conn:
                _insert_captures(conn, [c for a in articles for c in _captures_of(a)])
                _Batch(conn, self.db, self._columns, counts, keep_newer).save(articles, rows, urls, seens)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        return counts

    def _article_row(self, article: dict[str, Any], seen: str, known: ContentHashes | None = None) -> dict[str, Any]:
        # The content (what content_hash reads) always, a missing field as None, as the hash takes
        # it: a changed article then holds what its hash says (and a body and title looked up for
        # copies are the ones it has). Other fields an item lacks keep the archive's values.
        row = {k: article.get(k) for k in self._columns["articles"] if k in article or k in _ARTICLE_CONTENT}
        url = article.get("canonical_url") or article["url"]
        row["canonical_url"] = canonicalize(url)
        row["authors"] = json.dumps(article.get("authors") or [], ensure_ascii=False)
        row["provenance"] = json.dumps(article.get("provenance") or {}, ensure_ascii=False)
        row["comment_count"] = len(article.get("comments") or [])
        hashes = hashes_for(article, known)
        row["content_hash"], row["body_hash"] = hashes.content, hashes.body
        row["last_seen"] = seen
        capture, pages = article.get("capture"), article.get("comment_captures") or []
        row["capture"] = capture["record_id"] if capture else None
        row["comment_captures"] = json.dumps([c["record_id"] for c in pages]) if pages else None
        return row


#: The columns of ``captures``, in order (``rendered`` last: a row that leaves it out is not a rendering).
CAPTURE_COLUMNS = ("record_id", "url", "status", "fetched_at", "warc_file", "offset", "length", "payload_digest",
                   "type", "refers_to", "crawl_id", "rendered")  # fmt: skip
#: What names the capture an article was extracted from (articles and revisions).
_LINKS = ("capture", "comment_captures", "extractor_version")
#: How an article's comments were read, kept up to date when its content is unchanged: comments read
#: again (rendered ones where the page alone gave none, a thread closed since) change what the
#: article says of them. A reading that did not reach them (status ``script``) leaves them as they were.
_READING = ("comments_status", "comment_count", "provenance")


def _captures_of(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The captures an article names (its page's, its comment pages'): written with it, so the
    archive never names a capture it does not hold."""
    capture = article.get("capture")
    return ([capture] if capture else []) + list(article.get("comment_captures") or [])


def _insert_captures(conn: sqlite3.Connection, captures: Sequence[dict[str, Any]]) -> None:
    marks = ", ".join("?" * len(CAPTURE_COLUMNS))
    # ``rendered`` (last) 0 when a row leaves it out: NOT NULL, a NULL would drop the row. A record held
    # before stays as it was, but a row saying it is a rendering marks it (an import of the files
    # repairs a mark an older archive could not tell): a rendering is never named as the page's capture.
    conn.executemany(
        f"INSERT INTO captures ({', '.join(CAPTURE_COLUMNS)}) VALUES ({marks})"
        " ON CONFLICT(record_id) DO UPDATE SET rendered = 1 WHERE excluded.rendered = 1 AND rendered = 0",
        [[*map(c.get, CAPTURE_COLUMNS[:-1]), 1 if c.get("rendered") else 0] for c in captures],
    )


#: Comments columns the archive fills in itself.
_COMMENT_BOOKKEEPING = frozenset({"article_id", "first_seen", "last_seen", "deleted", "content_hash"})


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(count: int, width: int = 1) -> str:
    """``(?, ?), (?, ?)``-style placeholders: ``count`` groups of ``width``."""
    group = "?" if width == 1 else f"({', '.join('?' * width)})"
    return ", ".join([group] * count)


#: A stored comment as a save compares it: (article_id, number, content_hash, anchor, page_url,
#: number_source, author), the row as selected (a tuple: an article may hold many thousand comments).
_Held = tuple[int, int, str, str | None, str | None, str | None, str | None]
_DIGEST: Final = 2
_ANCHOR: Final = 3
_PAGE: Final = 4
_SOURCE: Final = 5
_AUTHOR: Final = 6


class _Matches:
    """The stored comments of one article found again among the comments of one page just read."""

    def __init__(self, batch: _Batch, held: dict[int, _Held]) -> None:
        self.batch, self.held = batch, held
        self.matched: set[int] = set()  # stored numbers found again
        self.numbers: dict[Any, int] = {}  # the page's number -> the stored number, for the replies' parents
        self.taken: set[int] = set()  # stored numbers given to new comments of this page
        self.top = max((n for n in held if n is not None), default=0)
        self._anchors: dict[str, list[int]] | None = None
        self._digests: dict[str, list[int]] | None = None

    def find(
        self, number: Any, digest: str, anchor: str | None, author: str | None, page: str | None, pages: set[str | None]
    ) -> int | None:
        """The stored number of a comment not found under its number as it was, or None for a
        comment the archive does not hold: the comment with the page's id for it (``anchor``) and
        the same author (some sites number their ids on each page), else one of the same content,
        else (edited) the one under its number on the page it was read from."""
        held = self.held.get(number)
        if anchor:
            for stored in self._by_anchor().get(anchor, ()):
                if stored not in self.matched and self.held[stored][_AUTHOR] == author:
                    return self._take(stored)
        for stored in self._by_digest().get(digest, ()):
            if stored not in self.matched and _same_anchor(self.held[stored], anchor):
                return self._take(stored)
        if (
            held is not None
            and number not in self.matched
            and _same_anchor(held, anchor)
            and self.batch._read_from(held[_PAGE], page, pages)
        ):
            return self._take(number)  # edited, on the page it was read from
        return None

    def free(self, number: Any) -> int:
        """The number for a new comment: the page's, unless a stored or new comment holds it."""
        if isinstance(number, int) and number not in self.held and number not in self.taken:
            self.taken.add(number)
            self.top = max(self.top, number)
            return number
        self.top += 1
        while self.top in self.held or self.top in self.taken:
            self.top += 1
        self.taken.add(self.top)
        return self.top

    def _take(self, stored: int) -> int:
        self.matched.add(stored)
        return stored

    def _by_anchor(self) -> dict[str, list[int]]:
        if self._anchors is None:
            self._anchors = {}
            for number in self._in_order():
                if anchor := self.held[number][_ANCHOR]:
                    self._anchors.setdefault(anchor, []).append(number)
        return self._anchors

    def _by_digest(self) -> dict[str, list[int]]:
        """Stored comments by content hash (author, date, text, parent and kind; the parent as stored)."""
        if self._digests is None:
            self._digests = {}
            for number in self._in_order():
                self._digests.setdefault(self.held[number][_DIGEST], []).append(number)
        return self._digests

    def _in_order(self) -> list[int]:
        """The stored numbers, lowest first (as the archive's index gives them; one an older
        archiver stored without a number first): of two candidates, the one with the lower number
        is taken, whether the comments were stored before this batch or earlier in it."""
        return sorted(self.held, key=lambda number: (number is not None, number))


def _same_anchor(held: _Held, anchor: str | None) -> bool:
    """False when the page's id for a comment and the stored one's differ: two comments."""
    return not (anchor and held[_ANCHOR] and anchor != held[_ANCHOR])


class _Batch:
    """One ``Archive.save``: its articles resolved in order against the archive and against each
    other, then written.

    Writes of one kind are held back and written together (one INSERT, from a staging table, for all new
    articles, one UPDATE for all articles seen again...) until an operation on the same article
    needs them written first, so the end result is the one the per-article order gives.
    Article ids are given as SQLite gives them (one more than the largest), which the write lock
    (BEGIN IMMEDIATE) makes safe to do ahead.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        db: Database,
        columns: dict[str, list[str]],
        counts: SaveCounts,
        keep_newer: bool,
    ) -> None:
        self.conn = conn
        self.keep_newer = keep_newer  # an article seen before what the archive holds changes nothing but first_seen
        self.older: set[int] = set()  # the places in the batch of such articles
        self.db = db
        self.columns = columns  # of the tables rows are staged for (``_write_staged``)
        # the comments columns a comment item gives values for
        self.comment_fields = [c for c in columns["comments"] if c not in _COMMENT_BOOKKEEPING]
        self.counts = counts
        self.max_vars = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.new_articles: dict[int, dict[str, Any]] = {}  # id -> row, in order
        # id -> (when seen, fetched_at to set (None: keep the archive's))
        self.seen_again: dict[int, tuple[str, str | None]] = {}
        self.links: dict[int, tuple[Any, ...]] = {}  # id -> its new capture, comment captures, extractor version
        self.reading: dict[int, tuple[Any, ...]] = {}  # id -> how its comments were read this time (_READING)
        self.urls: list[tuple[str, int, str]] = []
        self.new_comments: list[list[Any]] = []
        self.new_comments_of: set[int] = set()
        self.families: dict[str, str] = {}  # page URL -> the canonical URL of its article page

    def save(
        self,
        articles: Sequence[dict[str, Any]],
        rows: Sequence[dict[str, Any]],
        urls: Sequence[set[str]],
        seens: Sequence[str],
    ) -> None:
        """Write the articles, given with their archive rows, their URLs' canonical forms and when they were seen."""
        ids = self._save_articles(rows, urls, seens)
        self._write_new_articles()
        self._write_seen_again()
        self.conn.executemany(  # no full-text index: one statement per row costs nothing more
            "INSERT OR IGNORE INTO article_urls (url, article_id, first_seen) VALUES (?, ?, ?)", self.urls
        )
        occurrences = zip(ids, articles, seens, strict=True)
        self._save_comments([o for place, o in enumerate(occurrences) if place not in self.older])

    # Articles

    def _save_articles(
        self, rows: Sequence[dict[str, Any]], urls: Sequence[set[str]], seens: Sequence[str]
    ) -> list[int]:
        """Each article's id, with what the archive holds for it decided (and mostly held back)."""
        counts = self.counts
        # canonical URL -> [id, content hash, copy key, last seen], as the archive holds them now
        by_url = self._select_in(
            "SELECT canonical_url, id, content_hash, body_hash, title, last_seen FROM articles WHERE canonical_url IN",
            list({row["canonical_url"] for row in rows}),
        )
        known = {url: [article_id, content, _copy_key(body, title), last]
                 for url, article_id, content, body, title, last in by_url}  # fmt: skip
        # copy key (body hash, title) -> ids of the articles with that body and title, for every
        # copy key a lookup may ask about
        keys = [_copy_key(r["body_hash"], r.get("title")) for r in rows]
        lookups = {key for key, r in zip(keys, rows, strict=True) if key and r["canonical_url"] not in known}
        bodies: dict[tuple[str, str], set[int]] = {key: set() for key in lookups}
        found_bodies = self._select_in(
            "SELECT body_hash, title, id FROM articles WHERE body_hash IN", list({digest for digest, _ in lookups})
        )
        for digest, title, article_id in found_bodies:
            if (key := _copy_key(digest, title)) in bodies:
                bodies[key].add(article_id)
        next_id = (self.conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
        ids: list[int] = []
        for row, key, article_urls, seen in zip(rows, keys, urls, seens, strict=True):
            url = row["canonical_url"]
            found = known.get(url)
            if found is None and key and bodies.get(key):
                article_id = min(bodies[key])  # the oldest article with this text and title
                counts.articles_merged += 1
                self._seen_again(article_id, seen, None)
            elif found is None:
                article_id, next_id = next_id, next_id + 1
                self.new_articles[article_id] = {**row, "id": article_id, "first_seen": seen, "last_changed": seen}
                known[url] = [article_id, row["content_hash"], key, seen]
                if key in bodies:
                    bodies[key].add(article_id)
                counts.articles_inserted += 1
            elif self.keep_newer and found[3] and seen < found[3]:
                article_id = found[0]  # a capture older than what the archive holds: history, not news
                self._seen_again(article_id, seen, None)
                self.older.add(len(ids))
                counts.articles_unchanged += 1
            elif found[1] == row["content_hash"]:
                article_id = found[0]
                found[3] = max(found[3] or seen, seen)
                self._seen_again(article_id, seen, row.get("fetched_at"))
                if row.get("capture"):  # the same values, read from a newer capture
                    self.links[article_id] = tuple(row.get(name) for name in _LINKS)
                if row.get("comments_status") in _COMMENTS_READ:  # its comments read again: what was found
                    self.reading[article_id] = tuple(row.get(name) for name in _READING)
                counts.articles_unchanged += 1
            else:
                article_id = found[0]
                self._change(article_id, row, seen)
                if found[2] in bodies:
                    bodies[found[2]].discard(article_id)
                if key in bodies:
                    bodies[key].add(article_id)
                found[1:] = [row["content_hash"], key, max(found[3] or seen, seen)]
                counts.articles_changed += 1
                counts.revisions += 1
            self.urls += [(u, article_id, seen) for u in article_urls]
            ids.append(article_id)
        return ids

    def _seen_again(self, article_id: int, seen: str, fetched_at: str | None) -> None:
        if article_id in self.new_articles:
            self._write_new_articles()
        before, fetched_before = self.seen_again.get(article_id, (seen, None))
        self.seen_again[article_id] = (max(seen, before), fetched_at if fetched_at is not None else fetched_before)

    def _change(self, article_id: int, row: dict[str, Any], seen: str) -> None:
        """Keep the article's current values as a revision, then replace them (last seen never moved
        back; first seen moved back only under ``keep_newer``, for an import)."""
        if article_id in self.new_articles:
            self._write_new_articles()
        if article_id in self.seen_again:
            self._write_seen_again()
        self.conn.execute(
            "INSERT INTO revisions (article_id, replaced_at, title, authors, published, modified, body, content_hash,"
            " capture, comment_captures, extractor_version) SELECT id, ?, title, authors, published, modified, body,"
            " content_hash, capture, comment_captures, extractor_version FROM articles WHERE id = ?",
            [seen, article_id],
        )
        first, last = self.conn.execute(
            "SELECT first_seen, last_seen FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        times = {"last_seen": max(last or seen, seen), "last_changed": seen}
        if self.keep_newer:
            times["first_seen"] = min(first or seen, seen)
        self.db.table("articles").update(article_id, {**row, **times})

    def _write_new_articles(self) -> None:
        rows = list(self.new_articles.values())
        self.new_articles = {}
        start = 0
        while start < len(rows):  # rows with the same fields in one statement: what a row lacks stays unset
            names = list(rows[start])
            end = start + 1
            while end < len(rows) and rows[end].keys() == rows[start].keys():
                end += 1
            self._write_staged("articles", names, [[row[n] for n in names] for row in rows[start:end]])
            start = end

    def _write_seen_again(self) -> None:
        """last_seen for the articles seen again, unless they were seen later before (and under
        ``keep_newer``, first_seen unless they were seen earlier before); and fetched_at where the new
        fetch gave one (with its capture)."""
        items = list(self.seen_again.items())
        self.seen_again = {}
        if self.links:
            assignments = ", ".join(f"{name} = ?" for name in _LINKS)
            self.conn.executemany(
                f"UPDATE articles SET {assignments} WHERE id = ?", [[*v, k] for k, v in self.links.items()]
            )
            self.links = {}
        if self.reading:
            assignments = ", ".join(f"{name} = ?" for name in _READING)
            self.conn.executemany(
                f"UPDATE articles SET {assignments} WHERE id = ?", [[*v, k] for k, v in self.reading.items()]
            )
            self.reading = {}
        for chunk in _chunks(items, min(500, self.max_vars // 3)):
            first = " first_seen = MIN(COALESCE(first_seen, seen.column2), seen.column2)," if self.keep_newer else ""
            self.conn.execute(
                f"UPDATE articles SET last_seen = MAX(COALESCE(last_seen, ''), seen.column2),{first}"
                " fetched_at = COALESCE(seen.column3, fetched_at)"
                f" FROM (VALUES {_marks(len(chunk), 3)}) AS seen WHERE articles.id = seen.column1",
                [value for article_id, (at, fetched) in chunk for value in (article_id, at, fetched)],
            )

    # Comments

    def _save_comments(self, occurrences: list[tuple[int, dict[str, Any], str]]) -> None:
        """Each article's comments against those the archive (or this batch, before) holds for it."""
        known: dict[int, dict[int, _Held]] = {article_id: {} for article_id, _, _ in occurrences}
        selected = self._select_in(
            "SELECT article_id, number, content_hash, anchor, page_url, number_source, author FROM comments"
            " WHERE article_id IN",
            list(known),
        )
        for row in selected:
            known[row[0]][row[1]] = row
        for article_id, article, seen in occurrences:
            self._save_article_comments(article_id, article, known[article_id], seen)
        self._write_new_comments()

    def _save_article_comments(
        self, article_id: int, article: dict[str, Any], held: dict[int, _Held], seen: str
    ) -> None:
        """One page's comments (with its comment pages') against the article's, ``held`` kept up to date.

        An article may be read from several URLs (a copy, a variant of its URL), each showing some of
        its comments: a comment is found again by its number and content, by the page's id for it
        (``anchor``) with its author, by its content (author, date, text, parent, kind), or by its number on the page
        it was read from (edited); one found nowhere is new, under the page's number unless another
        comment holds that number. A comment is marked deleted only when the page it was read from
        is read again without it.
        """
        counts, conn, fields = self.counts, self.conn, self.comment_fields
        content = itemgetter(*(fields.index(f) for f in _COMMENT_CONTENT))  # what content_hash reads, from values
        at_number, at_source, at_parent, at_anchor, at_page, at_author = (
            fields.index(f) for f in ("number", "number_source", "parent", "anchor", "page_url", "author")
        )
        comments = article.get("comments") or []
        url = article.get("url")
        # the pages read: the article's and its comment pages, all of them for every comment
        pages = {url, *(comment.get("page_url") or url for comment in comments)}
        matches = _Matches(self, held)
        matched, renumbered = matches.matched, matches.numbers
        new, changed, digests = [], [], []
        same: dict[str | None, list[int]] = {}  # page read from -> numbers of the comments seen again as they were
        for comment in comments:
            values = list(map(comment.get, fields))
            page = values[at_page] = values[at_page] or url
            number, parent, anchor = values[at_number], values[at_parent], values[at_anchor]
            if parent is not None and renumbered:
                values[at_parent] = renumbered.get(parent, parent)
            digest = _digest(list(content(values)))  # = content_hash(comment, _COMMENT_CONTENT)
            found = held.get(number)
            if (
                found is not None
                and found[_DIGEST] == digest
                and number not in matched
                and not (anchor and found[_ANCHOR] and anchor != found[_ANCHOR])
            ):
                matched.add(number)  # the usual case: read again under its number, unchanged
                same.setdefault(page, []).append(number)
                if found[_PAGE] != page:  # only its page is written: it keeps its id and number source
                    digests.append((number, (article_id, number, digest, found[_ANCHOR], page, *found[_SOURCE:])))
                continue
            else:
                stored = matches.find(number, digest, anchor, values[at_author], page, pages) if held else None
                if stored is None:
                    stored = matches.free(number)
                    if stored != number:
                        values[at_number], values[at_source] = stored, "archive"
                    new.append([article_id, *values, digest, seen, seen])
                else:
                    values[at_number] = stored
                    if stored != number:
                        values[at_source] = held[stored][_SOURCE]  # the number it was stored under stays its own
                    if held[stored][_DIGEST] == digest:
                        same.setdefault(page, []).append(stored)
                        # only its page is written: it keeps its id and number source
                        anchor, values[at_source] = held[stored][_ANCHOR], held[stored][_SOURCE]
                    else:
                        changed.append((stored, [*values, digest, seen, article_id, stored]))
                if stored != number or number in renumbered:
                    renumbered[number] = stored
                digests.append(
                    (stored, (article_id, stored, digest, anchor, page, values[at_source], values[at_author]))
                )
        gone = []
        if article.get("comments_status") in _COMMENTS_READ:
            gone = [n for n, h in held.items() if n not in matched and self._read_from(h[_PAGE], url, pages)]
        if (changed or same or gone) and article_id in self.new_comments_of:
            self._write_new_comments()
        if new:
            self.new_comments.extend(new)
            self.new_comments_of.add(article_id)
            counts.comments_inserted += len(new)
        if changed:
            conn.executemany(
                "INSERT INTO comment_revisions (article_id, number, replaced_at, author, published, body, parent,"
                " content_hash) SELECT article_id, number, ?, author, published, body, parent, content_hash"
                " FROM comments WHERE article_id = ? AND number = ?",
                [(seen, article_id, number) for number, _ in changed],
            )
            assignments = ", ".join(f"{f} = ?" for f in [*fields, "content_hash"])
            conn.executemany(
                f"UPDATE comments SET {assignments}, last_seen = MAX(COALESCE(last_seen, ''), ?), deleted = 0"
                " WHERE article_id = ? AND number = ?",
                [row for _, row in changed],
            )
            counts.comments_changed += len(changed)
        for page, numbers in same.items():
            for chunk in _chunks(numbers, self.max_vars - 3):
                conn.execute(
                    "UPDATE comments SET last_seen = MAX(COALESCE(last_seen, ''), ?), page_url = ?, deleted = 0"
                    f" WHERE article_id = ? AND number IN ({_marks(len(chunk))})",
                    [seen, page, article_id, *chunk],
                )
        for chunk in _chunks(gone, self.max_vars - 1):
            marked = conn.execute(
                f"UPDATE comments SET deleted = 1 WHERE article_id = ? AND number IN ({_marks(len(chunk))})"
                " AND deleted = 0",
                [article_id, *chunk],
            )
            counts.comments_deleted += marked.rowcount  # only those deleted since the last read
        held.update(digests)

    def _read_from(self, page: str | None, url: str | None, pages: set[str | None]) -> bool:
        """True when a comment read from ``page`` was on the pages just read (the article's page at
        ``url`` with its comment pages): the same page, or a comment page of the same article page.

        A comment stored without its page (by an older archiver) counts as read from any page.
        """
        if page is None or page in pages or url is None:
            return True
        family = self.families
        if page not in family:
            family[page] = canonicalize(article_page(page))
        if url not in family:
            family[url] = canonicalize(article_page(url))
        return family[page] == family[url]

    def _write_new_comments(self) -> None:
        names = ["article_id", *self.comment_fields, "content_hash", "first_seen", "last_seen"]
        self._write_staged("comments", names, self.new_comments)
        self.new_comments, self.new_comments_of = [], set()

    # Statements

    def _write_staged(self, table: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (values of the columns ``names``) into ``table``, in order, with one INSERT:
        the rows go to the table's staging table first (``staging_table``: a temporary table, no
        full-text index) by one prepared statement run for each row, then all at once into the table.

        One statement, as SQLite's full-text index writes a segment for each statement that touches
        it; and not a multi-row ``VALUES`` statement, whose compiling cost more than its rows' writing
        (about 6 µs a row of 21 columns, SQLite 3.40). The staging table's columns have no type, so
        each value reaches the table as it was bound (the table's column types convert it there, as
        they would a value bound to it).
        """
        if not rows:
            return
        columns = ", ".join(names)
        staged = staging_table(table)
        # made when first needed, and again should the connection have lost it (a change of temp_store
        # drops the temporary tables): every column of the table, as rows of one batch may name different ones
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staged} ({', '.join(self.columns[table])})")
        self.conn.executemany(f"INSERT INTO {staged} ({columns}) VALUES ({_marks(len(names))})", rows)
        self.conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staged} ORDER BY rowid")
        self.conn.execute(f"DELETE FROM {staged}")

    def _select_in(self, select: str, values: Sequence[Any]) -> list[Any]:
        """``select`` (ending in ``IN``) for all ``values``, in as few statements as the limits allow."""
        found = []
        for chunk in _chunks(values, self.max_vars):
            found += self.conn.execute(f"{select} ({_marks(len(chunk))})", list(chunk)).fetchall()
        return found
