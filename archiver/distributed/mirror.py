"""The archive's recrawl state mirrored in Redis: written by the drain, read by workers and ``enqueue``.

Workers never open the archive, yet conditional requests and the recrawl policy need two things
from it: a URL's last fetch (``fetches``) and the article a URL belongs to (``article_urls``
joined with ``articles``). The drain keeps both in Redis hashes as it writes them, and copies
the archive's in full when it starts:

- ``<spider>:fetches``: URL -> JSON ``{"status", "etag", "last_modified", "fetched_at"}``;
- ``<spider>:archived``: canonical URL of an article -> JSON ``{"url", "published", "first_seen"}``;
- ``<spider>:captured``: URL -> JSON, the ``captures`` row of its latest ``response`` record (a
  page as rendered left out: a 304 or a payload fetched again never repeats it), so that a worker's
  revisit can name a record another worker (or an earlier run) wrote;
- ``<spider>:mirror``: what the last drain copied, and when (absent: no drain ever ran here).

:class:`RedisState` answers the same questions as ``ArchiveState`` from these hashes, with the
same rules (``archiver.archive.recrawl.RecrawlState``): one or two HGETs per lookup.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import redis

from archiver.archive.recrawl import (
    ArticleRow,
    FetchRow,
    RecrawlPolicy,
    RecrawlState,
    article_rows,
    decide,
    on_domains,
    url_state,
)
from archiver.archive.store import CAPTURE_COLUMNS
from archiver.distributed.state import Keys
from archiver.urls import canonicalize

_BATCH = 1000


def _json(row: FetchRow | ArticleRow) -> str:
    return json.dumps(asdict(row), ensure_ascii=False)


class Mirror:
    """The drain's side: keeps the Redis hashes in step with what it commits to the archive."""

    def __init__(self, server: redis.Redis, keys: Keys) -> None:
        self.server = server
        self.keys = keys

    def fetches(self, rows: Iterable[dict[str, Any]]) -> None:
        """Rows just written to ``fetches`` (each URL's last fetch replaces the one before)."""
        mapping: dict[Any, str] = {row["url"]: _json(FetchRow.of(row)) for row in rows}
        if mapping:
            self.server.hset(self.keys.fetches, mapping=mapping)

    def captures(self, rows: Iterable[dict[str, Any]]) -> None:
        """Capture rows just written to ``captures``: each URL's latest response (not a rendering)
        replaces the one before."""
        mapping: dict[Any, str] = {}
        for row in rows:
            if row.get("type") == "response" and not row.get("rendered"):
                mapping[row["url"]] = json.dumps(_capture(row), ensure_ascii=False)
        if mapping:
            self.server.hset(self.keys.captured, mapping=mapping)

    def articles(self, db: sqlite3.Connection, urls: Iterable[str]) -> None:
        """Every URL of the articles just saved from these URLs (a merged copy adds one to an old article)."""
        wanted = sorted({canonicalize(u) for u in urls if u})
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(chunk))
            where = f"u.article_id IN (SELECT article_id FROM article_urls WHERE url IN ({marks}))"
            mapping: dict[Any, str] = {url: _json(article) for url, article in article_rows(db, where, chunk)}
            if mapping:
                self.server.hset(self.keys.archived, mapping=mapping)

    def seed(self, db: sqlite3.Connection, archive: str) -> tuple[int, int]:
        """Copy the archive's fetches, articles and latest responses (one per URL), replacing what Redis
        held; (fetches, article URLs).

        Written under temporary keys and renamed over the live ones, so workers reading meanwhile
        see the old copy or the new one, never half of one.
        """
        counts = []
        for key, rows in (
            (self.keys.fetches, _fetch_rows(db)),
            (self.keys.archived, ((u, _json(a)) for u, a in article_rows(db))),
            (self.keys.captured, _capture_rows(db)),
        ):
            building = f"{key}:building"
            self.server.delete(building)
            count, batch = 0, dict[Any, str]()
            for url, value in rows:
                batch[url] = value
                count += 1
                if len(batch) >= _BATCH:
                    self.server.hset(building, mapping=batch)
                    batch = {}
            if batch:
                self.server.hset(building, mapping=batch)
            if count:
                self.server.rename(building, key)
            else:
                self.server.delete(key)
            counts.append(count)
        info = {"archive": archive, "seeded": datetime.now(UTC).isoformat(timespec="seconds"),
                "fetches": counts[0], "article_urls": counts[1], "captured_urls": counts[2]}  # fmt: skip
        self.server.set(self.keys.mirror, json.dumps(info))
        return counts[0], counts[1]


#: The columns of a capture the mirror holds: ``rendered`` left out (every row there is 0, none a
#: rendering), so a worker of a version before it reads them too.
_MIRRORED = tuple(name for name in CAPTURE_COLUMNS if name != "rendered")


def _capture(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in _MIRRORED}


def _capture_rows(db: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """Each URL's latest response record (ties: the last written; renderings left out), one per URL: a
    worker needs no other."""
    columns = ", ".join(_MIRRORED)
    latest = (
        f"SELECT {columns} FROM (SELECT {columns}, row_number() OVER"
        " (PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS newest FROM captures"
        " WHERE type = 'response' AND rendered = 0)"
        " WHERE newest = 1"
    )
    for found in db.execute(latest):
        row = dict(zip(_MIRRORED, found, strict=True))
        yield row["url"], json.dumps(row, ensure_ascii=False)


def _fetch_rows(db: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    for url, *row in db.execute("SELECT url, status, etag, last_modified, fetched_at FROM fetches"):
        yield url, _json(FetchRow(*row))


def mirror_info(server: redis.Redis, keys: Keys) -> dict[str, Any] | None:
    """The archive the drain mirrors and how many fetches and article URLs Redis holds now, or
    None when no drain ever ran on this Redis."""
    raw = server.get(keys.mirror)
    if not raw:
        return None
    info: dict[str, Any] = json.loads(raw)
    info.update(fetches=server.hlen(keys.fetches), article_urls=server.hlen(keys.archived))
    return info


class RedisState(RecrawlState):
    """The archive's state as the drain mirrored it in Redis (see the module's docstring).

    ``policy_for``: the recrawl policy of a URL's site; None (the default) applies ``policy`` to every URL.
    """

    def __init__(
        self,
        server: redis.Redis,
        keys: Keys,
        policy: RecrawlPolicy | None = None,
        policy_for: Callable[[str], RecrawlPolicy | None] | None = None,
    ) -> None:
        super().__init__(policy)
        self.server = server
        self.keys = keys
        self._policy_for = policy_for
        self._fetches: dict[str, FetchRow | None] = {}
        self._articles: dict[str, ArticleRow | None] = {}

    @contextmanager
    def prefetched(self, urls: Iterable[str]) -> Iterator[None]:
        """Within the block, lookups of these URLs are answered from two HMGETs made at its start
        (a page's links, a sitemap's entries: one round trip each instead of two or three per URL)."""
        wanted = sorted({u for u in urls if self.policy_for(u) is not None})
        if wanted:
            canonical = sorted({canonicalize(u) for u in wanted})
            found = self.server.hmget(self.keys.archived, canonical)
            self._articles = {
                c: ArticleRow.of(json.loads(raw)) if raw else None for c, raw in zip(canonical, found, strict=True)
            }
            fetched = sorted({*wanted, *(a.url for a in self._articles.values() if a is not None)})
            rows = self.server.hmget(self.keys.fetches, fetched)
            self._fetches = {
                u: FetchRow.of(json.loads(raw)) if raw else None for u, raw in zip(fetched, rows, strict=True)
            }
        try:
            yield
        finally:
            self._fetches, self._articles = {}, {}

    def policy_for(self, url: str) -> RecrawlPolicy | None:
        return self._policy_for(url) if self._policy_for is not None else self.policy

    def fetch(self, url: str) -> FetchRow | None:
        if url in self._fetches:
            return self._fetches[url]
        raw = self.server.hget(self.keys.fetches, url)
        return FetchRow.of(json.loads(raw)) if raw else None

    def article(self, canonical_url: str) -> ArticleRow | None:
        if canonical_url in self._articles:
            return self._articles[canonical_url]
        raw = self.server.hget(self.keys.archived, canonical_url)
        return ArticleRow.of(json.loads(raw)) if raw else None

    def articles(self) -> Iterator[ArticleRow]:
        """Each article once (the hash holds one entry per URL of an article)."""
        seen: set[str] = set()
        for _, raw in self.server.hscan_iter(self.keys.archived, count=_BATCH):
            article = ArticleRow.of(json.loads(raw))
            if article.url not in seen:
                seen.add(article.url)
                yield article

    def due_articles(self, domains: tuple[str, ...], now: datetime | None = None) -> Iterator[str]:
        """As ``RecrawlState.due_articles``, with the articles' last fetches read 1,000 at a time."""
        now = now or datetime.now(UTC)
        batch: list[ArticleRow] = []
        for article in self.articles():
            if on_domains(article.url, domains):
                batch.append(article)
            if len(batch) >= _BATCH:
                yield from self._due(batch, now)
                batch = []
        yield from self._due(batch, now)

    def _due(self, articles: list[ArticleRow], now: datetime) -> Iterator[str]:
        if not articles:
            return
        fetches = self.server.hmget(self.keys.fetches, [a.url for a in articles])
        for article, raw in zip(articles, fetches, strict=True):
            policy = self.policy_for(article.url)
            fetched = FetchRow.of(json.loads(raw)) if raw else None
            if policy is None or decide(url_state(article, [fetched]), policy, None, now)[0]:
                yield article.url
