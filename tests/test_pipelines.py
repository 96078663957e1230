"""Pipelines built the way Scrapy builds them, against real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from archiver.crawl.pipelines.archive import ArchivePipeline
from archiver.crawl.pipelines.dedupe import DedupePipeline
from archiver.crawl.pipelines.validate import ValidatePipeline
from archiver.items import Article, Comment
from tests.conftest import rows


def article(url: str = "http://127.0.0.1/a", **fields: object) -> Article:
    values: dict[str, object] = {"url": url, "canonical_url": url, "title": "T", "body": "B", **fields}
    return Article(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", ["url", "title", "body"])
def test_validate_drops_and_counts(missing: str) -> None:
    crawler = get_crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    item = article()
    setattr(item, missing, None)
    with pytest.raises(DropItem):
        pipeline.process_item(item)
    assert crawler.stats is not None and crawler.stats.get_value(f"archiver/validate/missing_{missing}") == 1


def test_dedupe_by_canonical_url() -> None:
    crawler = get_crawler()
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(article("http://127.0.0.1/a?utm_source=x"))
    with pytest.raises(DropItem):
        pipeline.process_item(article("HTTP://127.0.0.1/a#comments"))
    assert crawler.stats is not None and crawler.stats.get_value("archiver/dedupe/dropped") == 1


def test_archive_batches_and_upserts(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    crawler = get_crawler(settings_dict={"ARCHIVER_ARCHIVE_PATH": str(db), "ARCHIVER_ARCHIVE_BATCH_SIZE": 2})
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    comments = [Comment(number=1, author="Ann", body="Hi"), Comment(number=2, author="Bo", body="Yo", parent=1)]
    pipeline.process_item(article("http://127.0.0.1/a", authors=["X Y"], comments=comments))
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 0  # batch not full yet
    pipeline.process_item(article("http://127.0.0.1/b"))
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2
    pipeline.process_item(article("http://127.0.0.1/a", title="T2", comments=comments))
    pipeline.close_spider()
    (a,) = rows(db, "SELECT * FROM articles WHERE canonical_url = 'http://127.0.0.1/a'")
    assert a["title"] == "T2" and json.loads(a["authors"]) == []
    assert [(c["number"], c["author"], c["parent"]) for c in rows(db, "SELECT * FROM comments ORDER BY number")] == [
        (1, "Ann", None),
        (2, "Bo", 1),
    ]
    assert crawler.stats is not None and crawler.stats.get_value("archiver/archive/articles_inserted") == 2
    assert crawler.stats.get_value("archiver/archive/articles_changed") == 1
    assert rows(db, "SELECT title FROM revisions")[0][0] == "T"
    assert rows(db, "PRAGMA journal_mode")[0][0] == "wal"


def test_bad_batch_size_fails_at_start(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"ARCHIVER_ARCHIVE_PATH": str(tmp_path / "a.db"), "ARCHIVER_ARCHIVE_BATCH_SIZE": 0}
    )
    with pytest.raises(ValueError, match="ARCHIVER_ARCHIVE_BATCH_SIZE"):
        ArchivePipeline.from_crawler(crawler)
