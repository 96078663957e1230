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

from archiver.archive.schema import migrate

_ARTICLE_CONTENT = ("title", "authors", "published", "modified", "body")
_COMMENT_CONTENT = ("author", "published", "body", "parent", "kind")


class ArchiveError(Exception):
    """The archive cannot be opened or written (path, permissions, corruption)."""


@dataclass
class SaveCounts:
    """What one batch did to the archive."""

    articles_inserted: int = 0
    articles_updated: int = 0
    comments_inserted: int = 0
    comments_updated: int = 0


def content_hash(record: dict[str, Any], fields: Sequence[str]) -> str:
    """A stable hash of the fields that make a record's content."""
    payload = json.dumps([record.get(f) for f in fields], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
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

    def save(self, articles: Sequence[dict[str, Any]]) -> SaveCounts:
        """Insert or update a batch of articles (dicts of Article fields) in one transaction."""
        counts = SaveCounts()
        seen = _now()
        try:
            with self.write():
                for article in articles:
                    article_id = self._save_article(article, seen, counts)
                    self._save_comments(article_id, article.get("comments") or [], seen, counts)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        return counts

    def _save_article(self, article: dict[str, Any], seen: str, counts: SaveCounts) -> int:
        row = {k: article.get(k) for k in self.db.table("articles").columns_dict if k in article}
        row["authors"] = json.dumps(article.get("authors") or [], ensure_ascii=False)
        row["provenance"] = json.dumps(article.get("provenance") or {}, ensure_ascii=False)
        row["comment_count"] = len(article.get("comments") or [])
        row["content_hash"] = content_hash(article, _ARTICLE_CONTENT)
        row["last_seen"] = seen
        existing = self.db.execute("SELECT id FROM articles WHERE canonical_url = ?", [row["canonical_url"]]).fetchone()
        if existing is None:
            row["first_seen"] = seen
            counts.articles_inserted += 1
            return int(self.db.table("articles").insert(row).last_rowid or 0)
        self.db.table("articles").update(existing[0], row)
        counts.articles_updated += 1
        return int(existing[0])

    def _save_comments(
        self, article_id: int, comments: Sequence[dict[str, Any]], seen: str, counts: SaveCounts
    ) -> None:
        columns = self.db.table("comments").columns_dict
        for comment in comments:
            row = {k: v for k, v in comment.items() if k in columns}
            row.update(article_id=article_id, last_seen=seen, content_hash=content_hash(comment, _COMMENT_CONTENT))
            key = (article_id, row["number"])
            exists = self.db.execute("SELECT 1 FROM comments WHERE article_id = ? AND number = ?", list(key)).fetchone()
            if exists:
                self.db.table("comments").update(key, row)
                counts.comments_updated += 1
            else:
                self.db.table("comments").insert({**row, "first_seen": seen})
                counts.comments_inserted += 1
