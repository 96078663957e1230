"""`archiver show`: one article, its comments as a thread, revisions and provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.archive import Archive
from tests.conftest import run_archiver

URL = "https://example.org/story"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    comments = [
        {"number": 1, "author": "Ann", "body": "First."},
        {"number": 2, "author": "Bo", "body": "Reply to Ann.", "parent": 1},
        {"number": 3, "author": "Cy", "body": "Reply to Bo.", "parent": 2},
        {"number": 4, "author": "Di", "body": "Separate."},
    ]
    store = Archive(db)
    store.save([{"url": URL + "?utm_source=x", "canonical_url": URL, "title": "Old title", "body": "Text.",
                 "provenance": {"title": "jsonld"}, "comments": comments}])  # fmt: skip
    store.save([{"url": URL, "canonical_url": URL, "title": "New title", "body": "Text.",
                 "provenance": {"title": "jsonld"}, "comments": comments}])  # fmt: skip
    store.close()
    return db


def test_thread_with_replies_indented(tmp_path: Path, archive: Path) -> None:
    result = run_archiver("show", URL, "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "title: New title  [jsonld]" in lines
    assert "revision replaced" in result.stdout and "Old title" in result.stdout
    heads = [line for line in lines if line.lstrip().startswith("(")]
    assert heads == [
        "(1) Ann — undated",
        "    (2) Bo — undated",
        "        (3) Cy — undated",
        "(4) Di — undated",
    ]


def test_by_id_and_json(tmp_path: Path, archive: Path) -> None:
    result = run_archiver("show", "1", "--db", str(archive), "--json", cwd=tmp_path)
    article = json.loads(result.stdout)
    assert article["title"] == "New title" and len(article["comments"]) == 4 and len(article["revisions"]) == 1


def test_unknown_article(tmp_path: Path, archive: Path) -> None:
    result = run_archiver("show", "https://example.org/nope", "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 1 and "no article" in result.stderr.splitlines()[-1]
