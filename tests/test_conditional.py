"""Conditional requests in a plain crawl: a page that did not change answers 304 and is not extracted."""

from __future__ import annotations

import os
import time
from pathlib import Path

from archiver.demo import SiteServer
from tests.conftest import crawl_local, make_site, rows


def test_second_crawl_asks_conditionally_and_skips_unchanged_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 4)
    db = tmp_path / "archive.db"
    with SiteServer(site) as server:
        first = crawl_local(server.url, db=db, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "+4 new articles" in first.stdout
        seen_before = {r["url"]: r["last_seen"] for r in rows(db, "SELECT url, last_seen FROM articles")}
        time.sleep(1.1)  # Last-Modified has one-second precision

        second = crawl_local(server.url, db=db, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "+0 new articles, 0 changed, 0 unchanged, 4 not modified (304)" in second.stdout
        seen_after = {r["url"]: r["last_seen"] for r in rows(db, "SELECT url, last_seen FROM articles")}
        assert all(seen_after[u] > seen_before[u] for u in seen_before)  # a 304 marks the article seen
        assert {r[0] for r in rows(db, "SELECT DISTINCT status FROM fetches WHERE url LIKE '%.html'")} == {304}

        page = site / "a2.html"
        page.write_text(page.read_text().replace("River report 2<", "River report 2, corrected<"))
        later = time.time() + 5
        os.utime(page, (later, later))
        third = crawl_local(server.url, db=db, cwd=tmp_path)
        assert third.returncode == 0, third.stderr
        assert "0 new articles, 1 changed" in third.stdout.replace("+", "")
    assert rows(db, "SELECT count(*) FROM revisions")[0][0] == 1
