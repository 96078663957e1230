"""Crash safety with real processes: SIGKILL, SIGTERM, and two crawls writing one archive."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.conftest import (
    LOCAL_CRAWL_FLAGS,
    SlowSiteServer,
    count,
    make_site,
    rows,
    run_archiver,
    start_archiver,
    wait_for,
)

FAST = [*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=5"]
SLOW = [*FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


@pytest.mark.parametrize("processes", ["0", "2"])  # extracting in the crawl's process, and in workers
def test_sigkill_loses_at_most_a_batch_and_next_crawl_completes(tmp_path: Path, processes: str) -> None:
    site = make_site(tmp_path / "site", 40)
    db = tmp_path / "archive.db"
    with SlowSiteServer(site, delay=0.15) as server:
        crawl = start_archiver(
            "crawl", server.url, "--db", str(db), *SLOW, "-s", f"ARCHIVER_EXTRACT_PROCESSES={processes}", cwd=tmp_path
        )
        try:
            assert wait_for(lambda: count(db, "articles") >= 10, seconds=60), "the crawl archived nothing"
        finally:
            crawl.kill()
            crawl.communicate(timeout=30)
        killed_at = count(db, "articles")
        assert 10 <= killed_at < 40
        assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
        result = run_archiver("crawl", server.url, "--db", str(db), *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert count(db, "articles") == 40 and count(db, "comments") == 80
    assert (
        not list((tmp_path / "exports").glob("*.jsonl.part")) or len(list((tmp_path / "exports").glob("*.jsonl"))) == 1
    )


def test_sigterm_flushes_the_pending_batch(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 60)
    db = tmp_path / "archive.db"
    with SlowSiteServer(site, delay=0.3) as server:
        crawl = start_archiver(
            "crawl", server.url, "--db", str(db), *SLOW, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=1000", cwd=tmp_path
        )
        try:
            # some pages in, nothing written yet: the batch holds 1000
            assert wait_for(lambda: count(db, "crawls") == 1 and server.served >= 8, seconds=60)
            crawl.send_signal(signal.SIGTERM)
            crawl.communicate(timeout=60)
        finally:
            crawl.kill()
    (run,) = rows(db, "SELECT * FROM crawls")
    stats = json.loads(run["stats"])
    assert run["finish_reason"] == "shutdown"
    assert stats["archiver/archive/articles_inserted"] == count(db, "articles") > 0
    assert len(list((tmp_path / "exports").glob("*.jsonl"))) == 1


def test_two_crawls_write_one_archive(tmp_path: Path) -> None:
    first, second = make_site(tmp_path / "one", 25, "river"), make_site(tmp_path / "two", 25, "lake")
    db = tmp_path / "archive.db"
    with SlowSiteServer(first, delay=0.02) as one, SlowSiteServer(second, delay=0.02) as two:
        crawls = [start_archiver("crawl", s.url, "--db", str(db), *FAST, cwd=tmp_path) for s in (one, two)]
        outputs = [c.communicate(timeout=120) for c in crawls]
    assert [c.returncode for c in crawls] == [0, 0], outputs
    assert count(db, "articles") == 50 and count(db, "comments") == 100 and count(db, "crawls") == 2
    for log in (tmp_path / "logs").glob("*.log"):
        assert "database is locked" not in log.read_text()
