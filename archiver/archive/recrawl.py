"""What the archive knows about a URL before it is fetched again: validators and recrawl due dates.

Read by the crawl's conditional-request and recrawl middlewares through a read-only connection,
while the crawl's own pipelines write through another.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from archiver.archive.store import ArchiveError, open_read_only
from archiver.urls import canonicalize


@dataclass(frozen=True)
class RecrawlPolicy:
    """Archived articles younger than ``fresh_days`` are fetched on every run (their comments
    grow); older ones once ``interval_days`` have passed since their last good fetch (0: never)."""

    fresh_days: float = 14.0
    interval_days: float = 7.0


@dataclass(frozen=True)
class UrlState:
    """An archived URL: is it an article, how old, when last fetched well."""

    article: bool
    born: datetime | None  # publication date, else when first archived
    last_ok: datetime | None


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ArchiveState:
    """Read-only lookups in an archive that may not exist yet (a first crawl creates it)."""

    def __init__(self, path: str | Path, policy: RecrawlPolicy | None = None) -> None:
        self.path = Path(path)
        self.policy = policy or RecrawlPolicy()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and self.path.is_file():
            try:
                conn = open_read_only(self.path)
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            except (ArchiveError, sqlite3.Error):
                return None
            if {"fetches", "article_urls", "crawls"} <= tables:
                self._conn = conn
            else:
                conn.close()
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified to send for url, when the archive holds its article.

        Only article pages are asked conditionally: a listing page is always read in full, since
        an unchanged listing can link to articles that changed; and a page whose article was never
        written (a killed crawl) is fetched in full again.
        """
        db = self._db()
        if db is None:
            return None
        row = db.execute(
            "SELECT f.etag, f.last_modified FROM fetches f"
            " WHERE f.url = ? AND f.status IN (200, 304) AND (f.etag IS NOT NULL OR f.last_modified IS NOT NULL)"
            " AND EXISTS (SELECT 1 FROM article_urls WHERE url = ?)",
            [url, canonicalize(url)],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def state(self, url: str) -> UrlState | None:
        """What the archive knows of url, or None when it was never fetched well nor archived."""
        db = self._db()
        if db is None:
            return None
        article = db.execute(
            "SELECT a.url, a.published, a.first_seen FROM article_urls u JOIN articles a ON a.id = u.article_id"
            " WHERE u.url = ?",
            [canonicalize(url)],
        ).fetchone()
        fetched = db.execute(
            "SELECT fetched_at FROM fetches WHERE url IN (?, ?) AND status IN (200, 304)"
            " ORDER BY fetched_at DESC LIMIT 1",
            [url, article[0] if article else url],
        ).fetchone()
        if article is None and fetched is None:
            return None
        born = (_instant(article[1]) or _instant(article[2])) if article else None
        return UrlState(article is not None, born, _instant(fetched[0]) if fetched else None)

    def should_fetch(self, url: str, lastmod: str | None = None, now: datetime | None = None) -> tuple[bool, str]:
        """Whether a run should request url, and why (``new``, ``retry``, ``changed``, ``fresh``,
        ``interval``, ``page``; or ``not_due``, ``unchanged``)."""
        state = self.state(url)
        if state is None:
            return True, "new"
        if state.last_ok is None:
            return True, "retry"
        changed = _instant(lastmod)
        if changed is not None and changed > state.last_ok:
            return True, "changed"
        now = now or datetime.now(UTC)
        if state.article:
            if state.born is None or now - state.born <= timedelta(days=self.policy.fresh_days):
                return True, "fresh"
            interval = self.policy.interval_days
            if interval > 0 and now - state.last_ok >= timedelta(days=interval):
                return True, "interval"
            return False, "not_due"
        if changed is not None:
            return False, "unchanged"
        return True, "page"  # listing pages are asked again; a conditional request keeps it cheap

    def due_articles(self, domains: tuple[str, ...], now: datetime | None = None) -> Iterator[str]:
        """URLs of archived articles on these domains (and subdomains) that are due for a fetch."""
        db = self._db()
        if db is None:
            return
        wanted = tuple(d.lower().removeprefix("www.") for d in domains)
        for (url,) in db.execute("SELECT url FROM articles ORDER BY id"):
            host = (urlsplit(url).hostname or "").removeprefix("www.")
            if not any(host == d or host.endswith("." + d) for d in wanted):
                continue
            due, _ = self.should_fetch(url, now=now)
            if due:
                yield url
