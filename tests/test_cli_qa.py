"""Defects a user's QA pass found in the commands, each with the case that showed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.demo import SiteServer
from tests.conftest import article, crawl_local, make_site, rows, run_archiver, save


def _fetched_pages(db: Path) -> set[str]:
    return {r["url"].rsplit("/", 1)[-1] for r in rows(db, "SELECT url FROM fetches WHERE url NOT LIKE '%robots.txt'")}


def test_depth_0_fetches_the_start_page_only(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=3)
    with SiteServer(site) as server:
        result = crawl_local(f"{server.url}index.html", "--depth", "0", "--no-warc", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert _fetched_pages(tmp_path / "archive.db") == {"index.html"}
        deeper = crawl_local(f"{server.url}index.html", "--depth", "1", "--no-warc", cwd=tmp_path, db="b.db")
        assert deeper.returncode == 0, deeper.stderr
        assert _fetched_pages(tmp_path / "b.db") == {"index.html", "a1.html", "a2.html", "a3.html"}


def test_a_sources_site_of_depth_0_fetches_its_start_page_only(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=3)
    with SiteServer(site) as server:
        (tmp_path / "sources.toml").write_text(
            f'[defaults]\ndelay = 0\n\n[[site]]\nname = "river"\nstart_urls = ["{server.url}index.html"]\ndepth = 0\n'
        )
        result = run_archiver("crawl", "--sources", "sources.toml", "--no-warc", "-s", "ARCHIVER_RENDER_COMMENTS=off",
                              cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert _fetched_pages(tmp_path / "archive.db") == {"index.html"}


@pytest.mark.parametrize(("fmt", "suffix"), [("jsonl", ""), ("json", ""), ("wacz", ""), ("jsonl", "-wal")])
def test_export_refuses_to_write_over_the_archive(tmp_path: Path, fmt: str, suffix: str) -> None:
    db = tmp_path / "archive.db"
    save(db, article())
    target = f"{db}{suffix}" if suffix else "./archive.db"  # the same file under another name
    result = run_archiver("export", "--db", str(db), "--format", fmt, "-o", target, "--force", cwd=tmp_path)
    assert result.returncode == 2
    assert "that is the archive's file" in result.stderr
    assert [r["title"] for r in rows(db, "SELECT title FROM articles")] == ["Lock gates open"]
