"""End to end: the `archiver` command crawls the demo site on 127.0.0.1 into SQLite and JSON Lines."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from scrapy.exporters import JsonLinesItemExporter

from archiver.demo import SiteServer
from tests.conftest import crawl_local, rows

SEED = "/health/trigger-point-therapy.html"
SEED_AUTHORS = [
    "Jamie", "altmedicine", "Jack Woo", "howtolivehappily", "Tim Banks",
    "Allison K", "samh", "back pain", "Donna",
]  # fmt: skip


def crawl(site: SiteServer, workdir: Path) -> str:
    result = crawl_local(site.url, cwd=workdir)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture
def crawled(demo_site: SiteServer, tmp_path: Path) -> tuple[SiteServer, Path, str]:
    return demo_site, tmp_path, crawl(demo_site, tmp_path)


def test_seed_article_in_archive(crawled: tuple[SiteServer, Path, str]) -> None:
    site, workdir, _ = crawled
    db = workdir / "archive.db"
    (article,) = rows(db, "SELECT * FROM articles WHERE url = ?", (site.url.rstrip("/") + SEED,))
    assert article["title"] == "Trigger Point Therapy for Back Pain"
    assert json.loads(article["authors"]) == ["Cathy Wong, ND"]
    assert article["published"] == "2012-04-25"
    comments = rows(db, "SELECT * FROM comments WHERE article_id = ? ORDER BY number", (article["id"],))
    assert [c["number"] for c in comments] == list(range(1, 10))
    assert [c["author"] for c in comments] == SEED_AUTHORS
    assert comments[0]["published"] == "2012-05-01T15:50:00"
    assert comments[8]["published"] == "2013-08-01T03:49:00"
    assert comments[7]["body"] is None  # "back pain" wrote nothing: absent, not ''
    assert comments[7]["author_url"] == "http://example.com/back-pain-relief/"  # the name's link on the page
    assert [c["published_local"] for c in comments] == [1] * 9  # "May 1, 2012 at 3:50 pm": no time zone
    assert comments[0]["body"].startswith("You might want to look at your first sentence")
    assert "Jamie" not in article["body"] and "Leave a Comment" not in article["body"]


def test_only_articles_archived(crawled: tuple[SiteServer, Path, str], demo_expected: dict[str, Any]) -> None:
    site, workdir, _ = crawled
    urls = {
        r["url"].removeprefix(site.url.rstrip("/")) for r in rows(workdir / "archive.db", "SELECT url FROM articles")
    }
    articles = {path for path in demo_expected if path.startswith("/")}
    assert urls == articles
    assert not urls & set(demo_expected["_non_articles"]) and not urls & set(demo_expected["_disallowed"])


def test_json_lines_file(crawled: tuple[SiteServer, Path, str], demo_expected: dict[str, Any]) -> None:
    _, workdir, stdout = crawled
    (export,) = (workdir / "exports").glob("articles-*.jsonl")
    assert str(export.relative_to(workdir)) in stdout
    items = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    seed = next(i for i in items if i["url"].endswith(SEED))
    assert [c["author"] for c in seed["comments"]] == SEED_AUTHORS
    assert len(items) == len([p for p in demo_expected if p.startswith("/")])
    assert not list((workdir / "exports").glob("*.part"))
    assert export.read_bytes() == scrapy_json_lines(items)


def scrapy_json_lines(records: list[dict[str, Any]]) -> bytes:
    """What Scrapy's own JSON Lines exporter writes for these article records, as the crawl's feed is set up."""
    file = BytesIO()
    exporter = JsonLinesItemExporter(file, encoding="utf8")
    for record in records:
        exporter.export_item(record)
    return file.getvalue()


def test_second_crawl_adds_no_rows(crawled: tuple[SiteServer, Path, str]) -> None:
    site, workdir, _ = crawled
    db = workdir / "archive.db"
    before = [rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "comments")]
    crawl(site, workdir)
    after = [rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "comments")]
    assert before == after and before[1] > 9


def test_in_process_extraction_gives_the_same_archive(crawled: tuple[SiteServer, Path, str], tmp_path: Path) -> None:
    site, workdir, _ = crawled
    other = tmp_path / "in-process"
    other.mkdir()
    result = crawl_local(site.url, "-s", "ARCHIVER_EXTRACT_PROCESSES=0", cwd=other)
    assert result.returncode == 0, result.stderr
    query = "SELECT url, title, authors, published, comment_count FROM articles ORDER BY url"
    assert [tuple(r) for r in rows(other / "archive.db", query)] == [
        tuple(r) for r in rows(workdir / "archive.db", query)
    ]


def test_extraction_time_limit(demo_site: SiteServer, tmp_path: Path) -> None:
    result = crawl_local(demo_site.url, "-s", "ARCHIVER_EXTRACT_TIMEOUT=0.001", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "extraction took more than 0.001 s" in result.stdout
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 0
    log = next((tmp_path / "logs").glob("*.log")).read_text()
    assert "'archiver/extract/timeout':" in log


def test_crawl_and_fetches_recorded(crawled: tuple[SiteServer, Path, str]) -> None:
    site, workdir, _ = crawled
    db = workdir / "archive.db"
    (crawl,) = rows(db, "SELECT * FROM crawls")
    stats = json.loads(crawl["stats"])
    assert crawl["finish_reason"] == "finished" and stats["item_scraped_count"] == 13  # 4 under /live/
    fetched = {r["url"].removeprefix(site.url.rstrip("/")): r for r in rows(db, "SELECT * FROM fetches")}
    assert fetched[SEED]["status"] == 200 and fetched[SEED]["last_modified"]
    assert "robots.txt" in fetched["/private/secret.html"]["error"]
