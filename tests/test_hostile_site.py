"""End to end: `archiver crawl` of the hostile site finishes, keeps the good pages and records every failure."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import crawl_local, rows
from tests.hostile_site import (
    CHAIN_LENGTH,
    CP1252_TEXT,
    DISALLOWED,
    INJECTION_AUTHOR,
    INJECTION_COMMENTERS,
    INJECTION_COMMENTS,
    INJECTION_TITLE,
    MANY_COMMENTS,
    NON_HTTP_LINKS,
    SJIS_TEXT,
    HostileSite,
)

#: The crawl gives up a slow drip after DOWNLOAD_TIMEOUT seconds (and RETRY_TIMES retries).
SETTINGS = ["-s", "DOWNLOAD_TIMEOUT=3"]
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2

#: What `fetches` must say of each failing page: its status, or the kind its error starts with.
EXPECTED_FETCHES: dict[str, int | str] = {
    "/bomb-gzip.html": "too-large:",
    "/bomb-deflate.html": "too-large:",
    "/huge.html": "too-large:",
    "/huge-streamed.html": "too-large:",
    "/drip.html": "timeout:",
    "/loop/a": "redirect-loop:",
    "/chain/1": "redirect-limit:",
    "/reset.html": "connection:",
    DISALLOWED: "robots.txt:",
    "/error-500.html": 500,
    "/missing.html": 404,
    "/overloaded.html": 429,
    "/to-file": 302,
    "/binary.html": 200,
    "/nested.html": 200,
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileSite, Path, Any]]:
    """One crawl of the hostile site (the server stopped when the module's tests are done)."""
    workdir = tmp_path_factory.mktemp("hostile")
    with HostileSite() as site:
        result = crawl_local(site.url, *SETTINGS, db="a.db", cwd=workdir, timeout=150)
        yield site, workdir, result


def fetches(site: HostileSite, db: Path) -> dict[str, sqlite3.Row]:
    return {r["url"].removeprefix(site.url.rstrip("/")): r for r in rows(db, "SELECT * FROM fetches")}


def article(site: HostileSite, db: Path, path: str) -> sqlite3.Row:
    (found,) = rows(db, "SELECT * FROM articles WHERE url = ?", (site.url.rstrip("/") + path,))
    return found


def comments(db: Path, article_id: int) -> list[sqlite3.Row]:
    return rows(db, "SELECT * FROM comments WHERE article_id = ? ORDER BY number", (article_id,))


def test_crawl_finishes_and_archive_is_sound(crawled: tuple[HostileSite, Path, Any]) -> None:
    _, workdir, result = crawled
    assert result.returncode == 0, result.stderr[-2000:]
    db = workdir / "a.db"
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    (export,) = (workdir / "exports").glob("articles-*.jsonl")
    assert len(export.read_text(encoding="utf-8").splitlines()) == len(rows(db, "SELECT id FROM articles"))


def test_control_pages_archived(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    db = workdir / "a.db"
    for n in (1, 2, 3):
        found = article(site, db, f"/control/{n}.html")
        assert found["title"] == f"Control article {n}" and json.loads(found["authors"]) == ["Kim Ode"]
        bodies = [c["body"] for c in comments(db, found["id"])]
        assert bodies == [f"Comment {k} on control article {n}, about the boats." for k in (1, 2, 3)]


def test_injection_strings_stored_verbatim(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    db = workdir / "a.db"
    found = article(site, db, "/injection.html")
    assert found["title"] == INJECTION_TITLE
    assert json.loads(found["authors"]) == [INJECTION_AUTHOR]
    thread = comments(db, found["id"])
    assert [c["body"] for c in thread] == INJECTION_COMMENTS
    assert [c["author"] for c in thread] == INJECTION_COMMENTERS


def test_all_5000_comments_exactly(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    db = workdir / "a.db"
    found = article(site, db, "/many-comments.html")
    thread = comments(db, found["id"])
    assert found["comment_count"] == MANY_COMMENTS
    assert [c["number"] for c in thread] == list(range(1, MANY_COMMENTS + 1))
    assert [c["body"] for c in thread] == [f"Comment number {n} of the long thread." for n in range(1, 5001)]
    assert [c["author"] for c in thread] == [f"Reader {n}" for n in range(1, MANY_COMMENTS + 1)]


def test_wrong_and_absent_charsets_decoded(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    db = workdir / "a.db"
    cp1252 = article(site, db, "/cp1252-as-utf8.html")
    assert CP1252_TEXT in cp1252["body"] and json.loads(cp1252["authors"]) == ["Jörg Müller"]
    sjis = article(site, db, "/shift-jis.html")
    assert sjis["title"] == "桜の季節" and SJIS_TEXT in sjis["body"]
    broken = article(site, db, "/broken-jsonld.html")
    assert broken["title"] == "Broken JSON-LD" and json.loads(broken["authors"]) == ["Ana Silva"]


def test_every_failure_recorded_with_its_kind(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    recorded = fetches(site, workdir / "a.db")
    for path, expected in EXPECTED_FETCHES.items():
        row = recorded[path]
        if isinstance(expected, int):
            assert row["status"] == expected, (path, row["error"])
        else:
            assert row["status"] is None and row["error"].startswith(expected), (path, row["error"])
    assert not rows(workdir / "a.db", "SELECT url FROM articles WHERE url LIKE '%binary%'")


def test_retry_after_honoured(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    first, second = site.request_times["/busy.html"]
    assert second - first >= 1.0  # Retry-After: 1 was waited for
    assert article(site, workdir / "a.db", "/busy.html")["title"] == "Busy article"
    assert site.times_requested("/overloaded.html") == 1  # Retry-After: 3600 is past ARCHIVER_RETRY_AFTER_MAX


def test_bounded_retries_and_redirects(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, _, _ = crawled
    chain = [p for p in site.requested if p.startswith("/chain/")]
    assert len(chain) == REDIRECT_MAX_TIMES + 1 and f"/chain/{CHAIN_LENGTH}" not in chain
    assert site.requested.count("/loop/a") == 1 and site.requested.count("/loop/b") == 1
    for path in ("/drip.html", "/reset.html", "/error-500.html"):
        assert site.times_requested(path) == RETRY_TIMES + 1


def test_nothing_disallowed_or_non_http_requested(crawled: tuple[HostileSite, Path, Any]) -> None:
    site, workdir, _ = crawled
    assert site.requested and all(path.startswith("/") for path in site.requested)
    assert not [p for p in site.requested if p.startswith("/private/") or p.startswith("credentials")]
    stored = [r["url"] for r in rows(workdir / "a.db", "SELECT url FROM fetches")]
    assert all(url.startswith(site.url) for url in stored)
    schemes = {link.split(":", 1)[0] for link in NON_HTTP_LINKS}
    assert not [url for url in stored if any(f"{scheme}:" in url.removeprefix("http:") for scheme in schemes)]
