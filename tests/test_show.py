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


@pytest.fixture
def sparse(tmp_path: Path) -> Path:
    """An article with two authors, no dates, and a comment without a name."""
    db = tmp_path / "sparse.db"
    store = Archive(db)
    store.save([{"url": URL, "canonical_url": URL, "title": "Ferry news", "authors": ["Ann Lee", "Bo Park"],
                 "body": "Text.", "provenance": {"title": "jsonld", "authors": "meta:author"},
                 "comments": [{"number": 1, "author": None, "body": "Anonymous words."}]}])  # fmt: skip
    store.close()
    return db


def test_json_gives_lists_and_objects(tmp_path: Path, sparse: Path) -> None:
    """authors and provenance are JSON values, not JSON text inside JSON."""
    result = run_archiver("show", "1", "--db", str(sparse), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["authors"] == ["Ann Lee", "Bo Park"]
    assert article["provenance"] == {"title": "jsonld", "authors": "meta:author"}
    assert article["published"] is None


def test_text_is_readable(tmp_path: Path, sparse: Path) -> None:
    result = run_archiver("show", "1", "--db", str(sparse), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "authors: Ann Lee, Bo Park  [meta:author]" in lines
    assert "published: -" in lines and "language: -" in lines
    assert "(1) (no name) — undated" in lines
    assert "None" not in result.stdout and "['" not in result.stdout
