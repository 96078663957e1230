"""`archiver query`: SQL on the archive, which SQLite itself keeps read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.archive import Archive
from tests.conftest import rows, run_archiver


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save([{"url": "https://example.org/a", "canonical_url": "https://example.org/a", "title": "Kept",
                 "body": "x", "comments": [{"number": 1, "author": "Ann", "body": "Hi"}]}])  # fmt: skip
    store.close()
    return db


def test_json_and_csv(archive: Path, tmp_path: Path) -> None:
    result = run_archiver("query", "SELECT title FROM articles WHERE id = ?", "-p", "1", "--db", str(archive),
                          "--format", "json", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0 and json.loads(result.stdout) == [{"title": "Kept"}]
    result = run_archiver(
        "query", "SELECT number, author FROM comments", "--db", str(archive), "--format", "csv", cwd=tmp_path
    )
    assert result.stdout.splitlines() == ["number,author", "1,Ann"]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM articles",
        "UPDATE articles SET title = 'x'",
        "DROP TABLE comments",
        "CREATE TABLE t (x)",
        "PRAGMA journal_mode = DELETE",
        "SELECT 1; DELETE FROM articles",
    ],
)
def test_writes_are_refused_by_sqlite(archive: Path, tmp_path: Path, sql: str) -> None:
    result = run_archiver("query", sql, "--db", str(archive), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("Error:")
    assert rows(archive, "SELECT title FROM articles")[0][0] == "Kept"
    assert rows(archive, "PRAGMA journal_mode")[0][0] == "wal"


def test_missing_archive(tmp_path: Path) -> None:
    result = run_archiver("query", "SELECT 1", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert result.returncode == 2 and "no archive at" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "none.db").exists()
