"""`archiver stats`: volume by domain and month, comments per article, field coverage."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.archive import Archive
from tests.conftest import run_archiver


def test_stats(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save([
        {"url": "https://www.a.org/1", "canonical_url": "https://www.a.org/1", "title": "1", "body": "x",
         "authors": ["Ann"], "published": "2024-01-05",
         "comments": [{"number": 1, "body": "c"}, {"number": 2, "body": "d"}]},
        {"url": "https://a.org/2", "canonical_url": "https://a.org/2", "title": "2", "body": "y",
         "published": "2024-02-01"},
        {"url": "https://b.net/3", "canonical_url": "https://b.net/3", "title": "3", "body": "z",
         "comments_status": "external:disqus"},
    ])  # fmt: skip
    store.close()
    result = run_archiver("stats", "--db", str(db), "--json", cwd=tmp_path)
    figures = json.loads(result.stdout)
    assert figures["articles"] == 3 and figures["comments"] == 2
    assert figures["by_domain"] == [
        {"domain": "a.org", "articles": 2, "comments": 2},
        {"domain": "b.net", "articles": 1, "comments": 0},
    ]
    assert figures["by_month"] == [{"month": "2024-01", "articles": 1}, {"month": "2024-02", "articles": 1},
                                   {"month": "undated", "articles": 1}]  # fmt: skip
    assert figures["coverage"] == {"authors": 0.333, "published": 0.667, "comments": 0.333, "external_comments": 0.333}
    assert figures["comments_per_article"] == {"mean": 0.67, "max": 2}
    text = run_archiver("stats", "--db", str(db), cwd=tmp_path).stdout
    assert text.splitlines()[0] == "3 articles, 2 comments (0 deleted)"
