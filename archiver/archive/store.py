"""Opening an archive and writing batches of articles with their comments."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archiver.archive.schema import SCHEMA_VERSION, migrate
from archiver.urls import canonicalize

_ARTICLE_CONTENT = ("title", "authors", "published", "modified", "body")
_COMMENT_CONTENT = ("author", "published", "body", "parent", "kind")


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
#: Bodies shorter than this are not used to tell that two URLs hold the same article.
_MIN_DEDUPE_BODY = 200


def body_hash(body: str | None) -> str | None:
    """A hash of the body's words (white space folded), for telling copies of an article apart."""
    words = " ".join((body or "").split())
    if len(words) < _MIN_DEDUPE_BODY:
        return None
    return hashlib.sha256(words.lower().encode("utf-8")).hexdigest()


def content_hash(record: dict[str, Any], fields: Sequence[str]) -> str:
    """A stable hash of the fields that make a record's content."""
    payload = repr([record.get(f) for f in fields])  # values are str, int, None and lists of str
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_read_only(path: str | Path, busy_timeout_ms: int = 30000) -> sqlite3.Connection:
    """A connection SQLite itself keeps from writing (read-only file mode and query_only)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        check_schema_version(conn, path)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
    return conn


def check_schema_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an archive written by a newer archiver: its schema may mean things this one does not know."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'archive_info'").fetchone():
        return
    found = conn.execute("SELECT value FROM archive_info WHERE key = 'schema_version'").fetchone()
    if found and str(found[0]).isdigit() and int(found[0]) > SCHEMA_VERSION:
        raise ArchiveError(
            f"archive {path} has schema version {found[0]}, newer than this archiver's ({SCHEMA_VERSION}):"
            " upgrade archiver to read it"
        )


class Archive:
    """An archive file: opened (created, migrated) with WAL and a busy timeout."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 30000) -> None:
        self.path = Path(path)
        try:
            if self.path.parent != Path(""):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=busy_timeout_ms / 1000)
            self.db = Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self.db.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL sync: a crash of the process loses nothing committed; only a power
            # cut can lose the last transactions, never corrupt the file.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            check_schema_version(conn, self.path)
            migrate(self.db)
            self._columns = {t: list(self.db.table(t).columns_dict) for t in ("articles", "comments")}
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when this was the last writer)."""
        self.db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
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

    def save(self, articles: Sequence[dict[str, Any]]) -> SaveCounts:
        """Insert or update a batch of articles (dicts of Article fields) in one transaction."""
        counts = SaveCounts()
        seen = _now()
        try:
            with self.write():
                for article in articles:
                    article_id = self._save_article(article, seen, counts)
                    self._save_comments(article_id, article, seen, counts)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        return counts

    def _save_article(self, article: dict[str, Any], seen: str, counts: SaveCounts) -> int:
        row = self._article_row(article, seen)
        found = self.db.execute(
            "SELECT id, content_hash FROM articles WHERE canonical_url = ?", [row["canonical_url"]]
        ).fetchone()
        if found is None and row["body_hash"]:
            found = self.db.execute(
                "SELECT id, content_hash FROM articles WHERE body_hash = ? ORDER BY id LIMIT 1", [row["body_hash"]]
            ).fetchone()
            if found is not None:
                counts.articles_merged += 1
                self._add_urls(found[0], article, seen)
                self.db.execute("UPDATE articles SET last_seen = ? WHERE id = ?", [seen, found[0]])
                return int(found[0])
        if found is None:
            row.update(first_seen=seen, last_changed=seen)
            article_id = self._insert("articles", row)
            counts.articles_inserted += 1
        elif found[1] == row["content_hash"]:
            article_id = int(found[0])
            self.db.execute(
                "UPDATE articles SET last_seen = ?, fetched_at = COALESCE(?, fetched_at) WHERE id = ?",
                [seen, row.get("fetched_at"), article_id],
            )
            counts.articles_unchanged += 1
        else:
            article_id = int(found[0])
            self._keep_revision(article_id, seen)
            self.db.table("articles").update(article_id, {**row, "last_changed": seen})
            counts.articles_changed += 1
            counts.revisions += 1
        self._add_urls(article_id, article, seen)
        return article_id

    def _article_row(self, article: dict[str, Any], seen: str) -> dict[str, Any]:
        row = {k: article.get(k) for k in self._columns["articles"] if k in article}
        row["canonical_url"] = canonicalize(article.get("canonical_url") or article["url"])
        row["authors"] = json.dumps(article.get("authors") or [], ensure_ascii=False)
        row["provenance"] = json.dumps(article.get("provenance") or {}, ensure_ascii=False)
        row["comment_count"] = len(article.get("comments") or [])
        row["content_hash"] = content_hash(article, _ARTICLE_CONTENT)
        row["body_hash"] = body_hash(article.get("body"))
        row["last_seen"] = seen
        return row

    def _keep_revision(self, article_id: int, seen: str) -> None:
        """Copy an article's current values into ``revisions`` before they are replaced."""
        self.db.execute(
            "INSERT INTO revisions (article_id, replaced_at, title, authors, published, modified, body, content_hash)"
            " SELECT id, ?, title, authors, published, modified, body, content_hash FROM articles WHERE id = ?",
            [seen, article_id],
        )

    def _add_urls(self, article_id: int, article: dict[str, Any], seen: str) -> None:
        urls = {canonicalize(u) for u in (article.get("url"), article.get("canonical_url")) if u}
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO article_urls (url, article_id, first_seen) VALUES (?, ?, ?)",
            [(url, article_id, seen) for url in urls],
        )

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        names = list(row)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        return int(self.db.conn.execute(sql, [row[n] for n in names]).lastrowid or 0)

    def _save_comments(self, article_id: int, article: dict[str, Any], seen: str, counts: SaveCounts) -> None:
        known = dict(
            self.db.execute("SELECT number, content_hash FROM comments WHERE article_id = ?", [article_id]).fetchall()
        )
        fields = [
            c
            for c in self._columns["comments"]
            if c not in {"article_id", "first_seen", "last_seen", "deleted", "content_hash"}
        ]
        new, changed, same = [], [], []
        for comment in article.get("comments") or []:
            values = [comment.get(f) for f in fields]
            digest = content_hash(comment, _COMMENT_CONTENT)
            number = comment.get("number")
            if number not in known:
                new.append([article_id, *values, digest, seen, seen])
            elif known[number] != digest:
                changed.append((number, [*values, digest, seen, article_id, number]))
            else:
                same.append((seen, article_id, number))
        conn = self.db.conn
        if new:
            columns = ["article_id", *fields, "content_hash", "first_seen", "last_seen"]
            conn.executemany(
                f"INSERT INTO comments ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", new
            )
            counts.comments_inserted += len(new)
        if changed:
            conn.executemany(
                "INSERT INTO comment_revisions (article_id, number, replaced_at, author, published, body, parent,"
                " content_hash) SELECT article_id, number, ?, author, published, body, parent, content_hash"
                " FROM comments WHERE article_id = ? AND number = ?",
                [(seen, article_id, number) for number, _ in changed],
            )
            assignments = ", ".join(f"{f} = ?" for f in [*fields, "content_hash", "last_seen"])
            conn.executemany(
                f"UPDATE comments SET {assignments}, deleted = 0 WHERE article_id = ? AND number = ?",
                [row for _, row in changed],
            )
            counts.comments_changed += len(changed)
        conn.executemany("UPDATE comments SET last_seen = ?, deleted = 0 WHERE article_id = ? AND number = ?", same)
        if article.get("comments_status") in _COMMENTS_READ:
            incoming = {c.get("number") for c in article.get("comments") or []}
            gone = [(article_id, n) for n in known if n not in incoming]
            conn.executemany(
                "UPDATE comments SET deleted = 1 WHERE article_id = ? AND number = ? AND deleted = 0", gone
            )
            counts.comments_deleted += len(gone)
