"""The archive file: complete on its own after every writing command, and one check for every command.

Researchers copy, mail and upload the ``.db`` file alone, so every command that writes leaves
the file itself holding every row when it exits (its WAL emptied into it), a crawl stopped with
SIGTERM included. A file that is not an archive (empty, not SQLite, another program's database,
an archive of a newer schema) gets one line and exit code 2 from every command, and is left
exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
from pathlib import Path

import redis

from archiver.archive import Archive
from archiver.demo import SiteServer
from tests.changing_site import ChangingSite
from tests.conftest import SlowSiteServer, make_site, rows, run_archiver, start_archiver, wait_for

LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def copied_alone(db: Path, folder: Path) -> Path:
    """The archive file copied without its ``-wal`` and ``-shm``, as a researcher mails it."""
    folder.mkdir()
    return Path(shutil.copy(db, folder / db.name))


def counts(db: Path) -> tuple[int, int]:
    found = rows(db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM comments)")[0]
    return found[0], found[1]


def assert_self_contained(db: Path, folder: Path) -> tuple[int, int]:
    """The copy of the file alone holds what the archive (read with its WAL) holds; the counts."""
    copy = copied_alone(db, folder)
    assert counts(copy) == counts(db)
    assert rows(copy, "PRAGMA integrity_check")[0][0] == "ok"
    assert rows(copy, "PRAGMA journal_mode")[0][0] == "wal"  # WAL stays on for the next writer
    return counts(copy)


# --- item 1: the file alone is the archive ---------------------------------------------------


def test_demo_leaves_every_row_in_the_file(tmp_path: Path) -> None:
    result = run_archiver("demo", "--db", "archive.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    articles, comments = assert_self_contained(tmp_path / "archive.db", tmp_path / "copy")
    assert articles > 0 and comments > 0


def test_crawl_leaves_every_row_in_the_file(tmp_path: Path, demo_site: SiteServer) -> None:
    result = run_archiver("crawl", demo_site.url, "--db", "archive.db", *LOCAL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    articles, comments = assert_self_contained(tmp_path / "archive.db", tmp_path / "copy")
    assert articles > 0 and comments > 0
    (crawl,) = rows(tmp_path / "copy" / "archive.db", "SELECT finish_reason FROM crawls")
    assert crawl["finish_reason"] == "finished"  # the last write of the crawl is in the file too


def test_sources_run_leaves_every_row_in_the_file(tmp_path: Path) -> None:
    with ChangingSite(articles=6, fresh=1) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(fresh_days=14, interval_days=30))
        for _ in range(2):  # the second run reads the archive (recrawl policy) while it writes
            result = run_archiver("crawl", "--sources", "sources.toml", "--db", "archive.db", cwd=tmp_path)
            assert result.returncode == 0, result.stderr
    assert assert_self_contained(tmp_path / "archive.db", tmp_path / "copy") == (7, 14)
    assert len(rows(tmp_path / "copy" / "archive.db", "SELECT id FROM crawls WHERE finished IS NOT NULL")) == 2


def test_crawl_stopped_with_sigterm_leaves_every_row_in_the_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    db = tmp_path / "work" / "archive.db"
    db.parent.mkdir()
    with SlowSiteServer(site, delay=0.2) as server:
        args = ["crawl", server.url + "index.html", "--db", str(db), *LOCAL, "-s", "CONCURRENT_REQUESTS=2"]
        process = start_archiver(*args, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=1", cwd=db.parent)
        try:
            assert wait_for(lambda: server.served >= 8, 60), "the crawl did not start"
            process.send_signal(signal.SIGTERM)  # what `kill` and systemd send: Scrapy's graceful stop
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    articles, comments = assert_self_contained(db, tmp_path / "copy")
    assert 0 < articles < 30, out + err  # stopped midway, with what it had fetched kept
    assert comments == 2 * articles
    (crawl,) = rows(tmp_path / "copy" / "archive.db", "SELECT finish_reason FROM crawls")
    assert crawl["finish_reason"] == "shutdown"


def _article(n: int) -> dict[str, object]:
    comments = [{"number": c, "author": f"R{c}", "body": f"c{c} on {n}", "kind": "comment"} for c in (1, 2)]
    return {"url": f"https://news.example/{n}", "title": f"Title {n}", "body": f"Body of article {n}. " * 30,
            "comments": comments, "comments_status": "present"}  # fmt: skip


def test_drain_leaves_every_row_in_the_file_while_the_archive_is_read(tmp_path: Path, redis_url: str) -> None:
    db = tmp_path / "archive.db"
    Archive(db).close()
    # Someone reads the archive while the drain writes it (`archiver serve`, sqlite3): SQLite
    # then never checkpoints by itself, as the drain's connection is not the last one to close.
    reader = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    server = redis.Redis.from_url(redis_url)
    try:
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        server.rpush("articles:items", *[json.dumps(_article(n)) for n in range(1, 6)])
        result = run_archiver("drain", "--redis", redis_url, "--db", str(db), "--until-idle", "0", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "5 items written" in result.stdout
        assert assert_self_contained(db, tmp_path / "copy") == (5, 10)
    finally:
        server.close()
        reader.close()


def test_drain_stopped_with_sigterm_leaves_every_row_in_the_file(tmp_path: Path, redis_url: str) -> None:
    db = tmp_path / "archive.db"
    Archive(db).close()
    reader = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    server = redis.Redis.from_url(redis_url)
    try:
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # the reader has the file open
        server.rpush("articles:items", *[json.dumps(_article(n)) for n in range(1, 4)])
        drain = start_archiver("drain", "--redis", redis_url, "--db", str(db), "--progress", "0", cwd=tmp_path)
        try:
            assert wait_for(lambda: not server.exists("articles:items", "articles:items:processing"), 60)
            drain.send_signal(signal.SIGTERM)
            out, err = drain.communicate(timeout=60)
        finally:
            if drain.poll() is None:
                drain.kill()
                drain.communicate()
        assert drain.returncode == 0, err
        assert "3 items written" in out
        assert assert_self_contained(db, tmp_path / "copy") == (3, 6)
    finally:
        server.close()
        reader.close()


def test_close_empties_the_wal_while_a_reader_holds_the_file_open(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    archive = Archive(db)
    reader = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # the reader has the file open
        archive.save([_article(1), _article(2)])
        archive.close()
        assert Path(f"{db}-wal").stat().st_size == 0  # TRUNCATE: everything is in the file
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        archive.close()  # twice is harmless
    finally:
        reader.close()
    assert counts(copied_alone(db, tmp_path / "copy")) == (2, 4)


def test_the_recrawl_state_holds_no_read_open_between_lookups(tmp_path: Path) -> None:
    """A scheduled run reads the due articles while it writes: a statement left half-read would keep
    the writers' checkpoint from emptying the WAL (a crawl stopped then waited, and left it full)."""
    from archiver.archive.recrawl import ArchiveState

    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.save([_article(n) for n in range(1, 4)])
    archive.close()
    state = ArchiveState(db)
    try:
        articles = state.articles()
        assert next(articles).url == "https://news.example/1"  # the crawl takes one, then goes on
        writer = Archive(db, busy_timeout_ms=300)
        writer.save([_article(4)])
        writer.close()
        assert Path(f"{db}-wal").stat().st_size == 0
        assert [a.url for a in articles] == [f"https://news.example/{n}" for n in (2, 3)]
    finally:
        state.close()
    assert counts(copied_alone(db, tmp_path / "copy")) == (4, 8)
