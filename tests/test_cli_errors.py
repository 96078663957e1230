"""Bad input gets one clear error line, a non-zero exit, and leaves the archive intact."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from archiver.archive import Archive
from tests.conftest import free_port, rows, run_archiver


@pytest.fixture
def existing_archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.save([{"url": "http://127.0.0.1/a", "canonical_url": "http://127.0.0.1/a", "title": "Kept", "body": "x",
                   "comments": [{"number": 1, "author": "Ann", "body": "Hi"}]}])  # fmt: skip
    archive.close()
    return db


def digest(db: Path) -> str:
    """A hash of what the archive holds: its articles and comments."""
    conn = sqlite3.connect(db)
    try:
        content = [conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("articles", "comments")]
        return hashlib.sha256(repr(content).encode()).hexdigest()
    finally:
        conn.close()


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_unreachable_host(tmp_path: Path, existing_archive: Path) -> None:
    before = digest(existing_archive)
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_archiver("crawl", url, "--db", str(existing_archive), "-s", "RETRY_TIMES=0", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = error_lines(result.stderr)
    assert line.startswith("Error: nothing fetched: ") and url in line
    assert digest(existing_archive) == before
    assert rows(existing_archive, "PRAGMA integrity_check")[0][0] == "ok"
    (fetch,) = rows(existing_archive, "SELECT * FROM fetches WHERE url = ?", (url,))
    assert fetch["status"] is None and "ConnectionRefusedError" in fetch["error"]
    (crawl,) = rows(existing_archive, "SELECT * FROM crawls")
    assert crawl["finished"] and json.loads(crawl["arguments"])["start_urls"] == [url]


@pytest.mark.parametrize("url", ["not-a-url", "ftp://127.0.0.1/x", "http://"])
def test_invalid_url(tmp_path: Path, existing_archive: Path, url: str) -> None:
    before = digest(existing_archive)
    result = run_archiver("crawl", url, "--db", str(existing_archive), cwd=tmp_path)
    assert result.returncode == 2
    assert f"invalid URL {url!r}" in error_lines(result.stderr)[-1]
    assert digest(existing_archive) == before


def test_unwritable_db_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(blocker / "archive.db"), cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot open archive" in error_lines(result.stderr)[-1]
    assert blocker.read_text() == "a file where a folder should be"


def test_urls_file_missing(tmp_path: Path) -> None:
    result = run_archiver("crawl", "--urls-file", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.txt" in error_lines(result.stderr)[-1]


@pytest.mark.parametrize(
    "setting",
    [
        "ARCHIVER_EXTRACT_PROCESSES=-1",
        "ARCHIVER_EXTRACT_PROCESSES=many",
        "ARCHIVER_EXTRACT_TIMEOUT=0",
        "ARCHIVER_ARCHIVE_BATCH_SIZE=0",
        "ARCHIVER_EXTRACT_TIMEOUT=soon",
        "ARCHIVER_RETRY_AFTER_MAX=-1",
        "ARCHIVER_RETRY_AFTER_MAX=later",
        "ARCHIVER_DISK_QUEUE=maybe",
    ],
)
def test_bad_setting_fails_before_crawling(tmp_path: Path, setting: str) -> None:
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", "a.db", "-s", setting, cwd=tmp_path)
    assert result.returncode == 2
    assert setting.split("=")[0] in error_lines(result.stderr)[-1]
    assert not (tmp_path / "a.db").exists()
