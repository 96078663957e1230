"""`archiver search`: ranked full-text search with snippets, diacritics ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.archive import Archive
from tests.conftest import run_archiver


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save(
        [
            {"url": "https://example.org/ferry", "canonical_url": "https://example.org/ferry", "title": "Ferry times",
             "published": "2024-10-07", "body": "The ferry sailing moved to 7:15 for the tides.",
             "comments": [{"number": 1, "author": "Jörg Müller", "body": "The café on the quay opens earlier now."}]},
            {"url": "https://example.org/bees", "canonical_url": "https://example.org/bees", "title": "Clover",
             "body": "Bees and clover on the verges.", "comments": []},
        ]
    )  # fmt: skip
    store.close()
    return db


def test_articles_ranked_with_snippets(archive: Path, tmp_path: Path) -> None:
    result = run_archiver("search", "ferry", "--db", str(archive), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert hit["title"] == "Ferry times" and "[ferry]" in hit["snippet"]


def test_comments_without_diacritics(archive: Path, tmp_path: Path) -> None:
    result = run_archiver("search", "cafe", "--comments", "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Ferry times #1 Jörg Müller (undated) https://example.org/ferry"
    by_author = run_archiver("search", "muller", "--comments", "--db", str(archive), "--json", cwd=tmp_path)
    assert [h["author"] for h in json.loads(by_author.stdout)] == ["Jörg Müller"]


@pytest.mark.parametrize("terms", ['"', "AND OR NOT", "7:15"])
def test_query_syntax_is_just_text(archive: Path, tmp_path: Path, terms: str) -> None:
    result = run_archiver("search", terms, "--db", str(archive), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_domain_and_date_filters(archive: Path, tmp_path: Path) -> None:
    def titles(*args: str) -> list[str]:
        result = run_archiver("search", "the", "--db", str(archive), "--json", *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return sorted(h["title"] for h in json.loads(result.stdout))

    assert titles() == ["Clover", "Ferry times"]
    assert titles("--since", "2024-10-01") == ["Ferry times"]
    assert titles("--until", "2024-01-01") == []
    assert titles("--domain", "example.org") == ["Clover", "Ferry times"]
    assert titles("--domain", "other.net") == []
