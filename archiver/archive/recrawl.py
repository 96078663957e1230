"""What the archive knows about a URL before it is fetched again: validators and recrawl due dates.

:class:`RecrawlState` holds the rules (which URLs are asked conditionally, which are due); it
reads the archive through two lookups, a URL's last fetch and the article a canonical URL
belongs to. :class:`ArchiveState` looks them up in the archive itself, through a read-only
connection, while the crawl's own pipelines write through another; a worker of a distributed
crawl looks them up in the drain's mirror in Redis (``archiver.distributed.mirror``).
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver.archive.store import ArchiveError, open_read_only
from archiver.urls import canonicalize

#: HTTP statuses of a good fetch: the copy the archive holds is the page's.
OK_STATUSES = (200, 304)


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


@dataclass(frozen=True)
class FetchRow:
    """A URL's last fetch, as the ``fetches`` table holds it."""

    status: int | None
    etag: str | None
    last_modified: str | None
    fetched_at: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> FetchRow:
        """From a ``fetches`` row (or its JSON mirror)."""
        status = row.get("status")
        return cls(int(status) if status is not None else None, row.get("etag"), row.get("last_modified"),
                   row.get("fetched_at"))  # fmt: skip

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


@dataclass(frozen=True)
class ArticleRow:
    """The archived article a canonical URL belongs to: where it was last fetched from, its dates."""

    url: str
    published: str | None
    first_seen: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> ArticleRow:
        return cls(str(row["url"]), row.get("published"), row.get("first_seen"))


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def on_domains(url: str, domains: tuple[str, ...]) -> bool:
    """Whether url's host is one of these domains or a subdomain of one (``www.`` ignored)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    wanted = tuple(d.lower().removeprefix("www.") for d in domains)
    return any(host == d or host.endswith("." + d) for d in wanted)


class RecrawlState(ABC):
    """The rules for fetching an archived URL again; subclasses say where the archive's rows are."""

    def __init__(self, policy: RecrawlPolicy | None = None) -> None:
        self.policy = policy or RecrawlPolicy()

    # --- lookups (where the archive is) --------------------------------------------------------

    @abstractmethod
    def fetch(self, url: str) -> FetchRow | None:
        """The last fetch of exactly this URL."""

    @abstractmethod
    def article(self, canonical_url: str) -> ArticleRow | None:
        """The archived article found under this canonical URL."""

    @abstractmethod
    def articles(self) -> Iterator[ArticleRow]:
        """Every archived article once."""

    def policy_for(self, url: str) -> RecrawlPolicy | None:
        """The recrawl policy of url's site (None: no policy, always fetched)."""
        return self.policy

    def close(self) -> None:  # noqa: B027 (a state with nothing to let go of keeps this one)
        """Let go of the archive (nothing to do unless a subclass holds a connection)."""

    # --- rules ---------------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified to send for url, when the archive holds its article.

        Only article pages are asked conditionally: a listing page is always read in full, since
        an unchanged listing can link to articles that changed; and a page whose article was never
        written (a killed crawl) is fetched in full again.
        """
        fetched = self.fetch(url)
        if fetched is None or not fetched.ok or not (fetched.etag or fetched.last_modified):
            return None
        if self.article(canonicalize(url)) is None:
            return None
        return fetched.etag, fetched.last_modified

    def state(self, url: str) -> UrlState | None:
        """What the archive knows of url, or None when it was never fetched well nor archived."""
        article = self.article(canonicalize(url))
        urls = {url} if article is None else {url, article.url}
        return url_state(article, [self.fetch(u) for u in sorted(urls)])

    def should_fetch(self, url: str, lastmod: str | None = None, now: datetime | None = None) -> tuple[bool, str]:
        """Whether a run should request url, and why (``new``, ``retry``, ``changed``, ``fresh``,
        ``interval``, ``page``; or ``not_due``, ``unchanged``; ``unscheduled`` without a policy)."""
        policy = self.policy_for(url)
        if policy is None:
            return True, "unscheduled"
        return decide(self.state(url), policy, lastmod, now or datetime.now(UTC))

    def due_articles(self, domains: tuple[str, ...], now: datetime | None = None) -> Iterator[str]:
        """URLs of archived articles on these domains (and subdomains) that are due for a fetch."""
        for article in self.articles():
            if on_domains(article.url, domains) and self.should_fetch(article.url, now=now)[0]:
                yield article.url


def url_state(article: ArticleRow | None, fetches: Iterable[FetchRow | None]) -> UrlState | None:
    """The state of a URL from its article (if archived) and the last fetches of it and of the article's URL."""
    times = [_instant(f.fetched_at) for f in fetches if f is not None and f.ok]
    last_ok = max((t for t in times if t is not None), default=None)
    if article is None and last_ok is None:
        return None
    born = (_instant(article.published) or _instant(article.first_seen)) if article else None
    return UrlState(article is not None, born, last_ok)


def decide(state: UrlState | None, policy: RecrawlPolicy, lastmod: str | None, now: datetime) -> tuple[bool, str]:
    """The recrawl decision for a URL in this state (see ``RecrawlState.should_fetch``)."""
    if state is None:
        return True, "new"
    if state.last_ok is None:
        return True, "retry"
    changed = _instant(lastmod)
    if changed is not None and changed > state.last_ok:
        return True, "changed"
    if state.article:
        if state.born is None or now - state.born <= timedelta(days=policy.fresh_days):
            return True, "fresh"
        interval = policy.interval_days
        if interval > 0 and now - state.last_ok >= timedelta(days=interval):
            return True, "interval"
        return False, "not_due"
    if changed is not None:
        return False, "unchanged"
    return True, "page"  # listing pages are asked again; a conditional request keeps it cheap


_ARTICLES_PAGE = "SELECT id, url, published, first_seen FROM articles WHERE id > ? AND id <= ? ORDER BY id LIMIT 1000"


class ArchiveState(RecrawlState):
    """Read-only lookups in an archive that may not exist yet (a first crawl creates it)."""

    def __init__(self, path: str | Path, policy: RecrawlPolicy | None = None) -> None:
        super().__init__(policy)
        self.path = Path(path)
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

    def fetch(self, url: str) -> FetchRow | None:
        db = self._db()
        return fetch_row(db, url) if db is not None else None

    def article(self, canonical_url: str) -> ArticleRow | None:
        db = self._db()
        return article_row(db, canonical_url) if db is not None else None

    def articles(self) -> Iterator[ArticleRow]:
        db = self._db()
        if db is None:
            return
        # Read in pages, each statement run to its end: a statement left open while the crawl takes
        # the rest keeps a read transaction, and with it the WAL, from being checkpointed. Only the
        # articles archived when the reading began, as one statement would have read them.
        last, end = 0, db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
        while page := db.execute(_ARTICLES_PAGE, [last, end]).fetchall():
            for _, url, published, first_seen in page:
                yield ArticleRow(url, published, first_seen)
            last = page[-1][0]


def fetch_row(db: sqlite3.Connection, url: str) -> FetchRow | None:
    """The ``fetches`` row of url."""
    row = db.execute("SELECT status, etag, last_modified, fetched_at FROM fetches WHERE url = ?", [url]).fetchone()
    return FetchRow(*row) if row else None


def article_row(db: sqlite3.Connection, canonical_url: str) -> ArticleRow | None:
    """The article an ``article_urls`` URL belongs to."""
    row = db.execute(
        "SELECT a.url, a.published, a.first_seen FROM article_urls u JOIN articles a ON a.id = u.article_id"
        " WHERE u.url = ?",
        [canonical_url],
    ).fetchone()
    return ArticleRow(*row) if row else None


def article_rows(
    db: sqlite3.Connection, where: str = "", params: Iterable[Any] = ()
) -> Iterator[tuple[str, ArticleRow]]:
    """(article URL, its article) for every ``article_urls`` row (``where``: a condition on ``u``/``a``)."""
    sql = (
        "SELECT u.url, a.url, a.published, a.first_seen FROM article_urls u JOIN articles a ON a.id = u.article_id"
        + (f" WHERE {where}" if where else "")
    )
    for url, *article in db.execute(sql, list(params)):
        yield url, ArticleRow(*article)
