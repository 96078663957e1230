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


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE 'x.db' AS x",
        "attach 'file:x.db?mode=rwc' as x",
        "ATTACH DATABASE ':memory:' AS m",
        "VACUUM INTO 'y.db'",
        "VACUUM INTO 'file:y.db?mode=rwc'",
        "VACUUM",
        "DETACH DATABASE main",
        "SELECT load_extension('./ext.so')",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = 0",
        "PRAGMA temp_store_directory = 'tmp'",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "PRAGMA optimize",
    ],
)
def test_refused_before_sqlite_runs_it(archive: Path, tmp_path: Path, sql: str) -> None:
    """Whatever could open another file or load code is refused with one line, and no file appears."""
    assert run_archiver("query", "SELECT 1", "--db", str(archive), cwd=tmp_path).returncode == 0
    before = listing(tmp_path)
    result = run_archiver("query", sql, "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Error: query refused: ")
    assert result.stdout == ""
    assert listing(tmp_path) == before
    assert rows(archive, "SELECT title FROM articles")[0][0] == "Kept"


def test_vacuum_into_another_folder_creates_nothing(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "copy.db"
    target.parent.mkdir()
    result = run_archiver("query", f"VACUUM INTO '{target}'", "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 1 and "another database file" in result.stderr
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a.title, c.author FROM comments c JOIN articles a ON a.id = c.article_id", [["Kept", "Ann"]]),
        (
            "SELECT a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH 'kept' ORDER BY rank",
            [["Kept"]],
        ),
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n",
            [[1], [2], [3]],
        ),
        ('SELECT value FROM json_each(\'["a", "b"]\')', [["a"], ["b"]]),
        ("SELECT json_extract('{\"x\": 2}', '$.x') AS x", [[2]]),
        ("SELECT name FROM pragma_table_info('comments') WHERE name = 'author'", [["author"]]),
        ("PRAGMA index_info(idx_articles_canonical_url)", [[0, 1, "canonical_url"]]),
        ("PRAGMA journal_mode", [["wal"]]),
    ],
)
def test_reads_still_work(archive: Path, tmp_path: Path, sql: str, expected: list[list[object]]) -> None:
    result = run_archiver("query", sql, "--db", str(archive), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = [list(row.values()) for row in json.loads(result.stdout)]
    assert found == expected


def test_table_is_aligned(archive: Path, tmp_path: Path) -> None:
    """Multi-line values stay in their cell, NULL is not '', numbers are right-aligned."""
    sql = (
        "SELECT 7 AS n, 'first' || char(10) || 'second' AS text, NULL AS missing, '' AS empty"
        " UNION ALL SELECT 10, 'x', 'y', 'z'"
    )
    result = run_archiver("query", sql, "--db", str(archive), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "  n  text    missing    empty",
        "---  ------  ---------  -------",
        "  7  first   NULL",
        "     second",
        " 10  x       y          z",
    ]
    same = run_archiver("query", sql, "--db", str(archive), "--table", cwd=tmp_path)
    assert same.stdout == result.stdout


def test_nl_tsv_and_flags(archive: Path, tmp_path: Path) -> None:
    sql = "SELECT number, author, 'a' || char(9) || 'b' AS tab FROM comments"
    result = run_archiver("query", sql, "--db", str(archive), "--nl", cwd=tmp_path)
    assert [json.loads(line) for line in result.stdout.splitlines()] == [{"number": 1, "author": "Ann", "tab": "a\tb"}]
    result = run_archiver("query", sql, "--db", str(archive), "--tsv", cwd=tmp_path)
    assert result.stdout.splitlines() == ["number\tauthor\ttab", '1\tAnn\t"a\tb"']
    result = run_archiver("query", sql, "--db", str(archive), "--csv", cwd=tmp_path)
    assert result.stdout.splitlines() == ["number,author,tab", "1,Ann,a\tb"]
    result = run_archiver("query", sql, "--db", str(archive), "--format", "nl", cwd=tmp_path)
    assert json.loads(result.stdout) == {"number": 1, "author": "Ann", "tab": "a\tb"}


def test_one_output_format(archive: Path, tmp_path: Path) -> None:
    result = run_archiver("query", "SELECT 1", "--db", str(archive), "--csv", "--json", cwd=tmp_path)
    assert (
        result.returncode == 2 and result.stderr.splitlines()[-1] == "Error: choose one output format, not csv and json"
    )


def test_blob_and_repeated_names_in_json(archive: Path, tmp_path: Path) -> None:
    result = run_archiver("query", "SELECT 1 AS a, 2 AS a, x'00ff' AS b", "--db", str(archive), "--json", cwd=tmp_path)
    assert json.loads(result.stdout) == [{"a": 1, "a_2": 2, "b": {"$base64": True, "encoded": "AP8="}}]
