"""The archive file: complete on its own after every writing command, and one check for every command.

Researchers copy, mail and upload the ``.db`` file alone, so every command that writes leaves
the file itself holding every row when it exits (its WAL emptied into it), a crawl stopped with
SIGTERM included. A file that is not an archive (empty, not SQLite, another program's database,
an archive of a newer schema) gets one line and exit code 2 from every command, and is left
exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
import redis

from archiver.archive import Archive
from archiver.archive.schema import SCHEMA_VERSION
from archiver.demo import SiteServer
from tests.changing_site import ChangingSite
from tests.conftest import (
    LOCAL_CRAWL_FLAGS,
    SlowSiteServer,
    crawl_local,
    free_port,
    make_site,
    rows,
    run_archiver,
    start_archiver,
    wait_for,
)


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
    result = crawl_local(demo_site.url, cwd=tmp_path)
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
        args = ["crawl", server.url + "index.html", "--db", str(db), *LOCAL_CRAWL_FLAGS, "-s", "CONCURRENT_REQUESTS=2"]
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


# --- item 2: one check of the archive for every command ----------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _not_sqlite(path: Path) -> None:
    path.write_text("title,body\nnot,a database\n" * 50, encoding="utf-8")


def _foreign(path: Path) -> None:
    """Another program's SQLite database (rollback journal, as most programs leave theirs)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('mine, not archiver''s')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    """An archive written by a newer archiver."""
    archive = Archive(path)
    archive.save([_article(1)])
    archive.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE archive_info SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    conn.commit()
    conn.close()


BAD_FILES = {
    "empty": (_empty, "is not an archiver archive (it is an empty file)"),
    "not-sqlite": (_not_sqlite, "file is not a database"),
    "foreign": (_foreign, "is not an archiver archive (it has no articles table)"),
    "newer": (_newer, f"has schema version {SCHEMA_VERSION + 1}, newer than this archiver's ({SCHEMA_VERSION})"),
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder with a hash of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def tables(db: Path) -> list[str]:
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    finally:
        conn.close()


def assert_refused(result: subprocess.CompletedProcess[str], folder: Path, before: dict[str, str], kind: str) -> None:
    """Exit code 2, one line with the file's problem, and the file left as it was."""
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()  # one line, no usage text, no traceback
    assert line.startswith("Error: ") and BAD_FILES[kind][1] in line, line
    after = snapshot(folder)
    if kind == "newer":  # an archive (WAL): any reader of it makes SQLite's -wal and -shm beside it
        after, before = ({n: d for n, d in f.items() if not n.endswith(("-wal", "-shm"))} for f in (after, before))
    assert after == before  # the file unchanged, nothing created beside it


READERS = {
    "stats": ["stats"],
    "search": ["search", "ferry"],
    "show": ["show", "1"],
    "runs": ["runs"],
    "export": ["export", "-o", "out.jsonl"],
    "query": ["query", "SELECT 1"],
    "serve": ["serve", "--port", "{port}"],
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("command", list(READERS))
def test_reading_commands_refuse_a_file_that_is_not_an_archive(tmp_path: Path, command: str, kind: str) -> None:
    make = BAD_FILES[kind][0]
    db = tmp_path / "data.db"
    make(db)
    before = snapshot(tmp_path)
    args = [a.replace("{port}", str(free_port())) for a in READERS[command]]
    result = run_archiver(*args, "--db", "data.db", cwd=tmp_path, timeout=60)
    assert_refused(result, tmp_path, before, kind)
    assert not (tmp_path / "out.jsonl").exists()


def _writer(command: str, tmp_path: Path) -> list[str]:
    if command == "crawl --sources":
        (tmp_path / "sources.toml").write_text('[[site]]\nname = "x"\nstart_urls = ["http://127.0.0.1:9/"]\n')
        return ["crawl", "--sources", "sources.toml"]
    if command == "drain":  # the archive is refused before Redis is asked
        return ["drain", "--redis", f"redis://127.0.0.1:{free_port()}/0", "--until-idle", "0"]
    return command.split()


WRITERS = ["crawl http://127.0.0.1:9/", "crawl --sources", "demo", "drain"]


@pytest.mark.parametrize("kind", ["not-sqlite", "foreign", "newer"])
@pytest.mark.parametrize("command", WRITERS)
def test_writing_commands_refuse_a_file_that_is_not_an_archive(tmp_path: Path, command: str, kind: str) -> None:
    make = BAD_FILES[kind][0]
    db = tmp_path / "data.db"
    make(db)
    held = tables(db) if kind != "not-sqlite" else []
    args = _writer(command, tmp_path)
    before = snapshot(tmp_path)
    result = run_archiver(*args, "--db", "data.db", cwd=tmp_path, timeout=60)
    if kind == "foreign":
        assert result.stderr.rstrip().endswith("; archiver writes only to its own archives, or to a new or empty file")
    assert_refused(result, tmp_path, before, kind)
    assert not (tmp_path / "logs").exists() and not (tmp_path / "exports").exists()
    if held:
        assert tables(db) == held  # no archiver table added


def _blank_sqlite(path: Path) -> None:
    """A SQLite file with no tables (a header only)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()


@pytest.mark.parametrize("make", [_empty, _blank_sqlite], ids=["empty-file", "sqlite-without-tables"])
def test_a_writer_makes_its_archive_in_an_empty_file(tmp_path: Path, make: object) -> None:
    assert callable(make)
    db = tmp_path / "data.db"
    make(db)
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_archiver("crawl", url, "--db", "data.db", "-s", "RETRY_TIMES=0", cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr  # nothing to fetch there, but the archive was made
    assert "nothing fetched" in result.stderr
    assert {"articles", "comments", "archive_info", "crawls", "fetches"} <= set(tables(db))
    stats = run_archiver("stats", "--db", "data.db", cwd=tmp_path, timeout=60)
    assert stats.returncode == 0 and stats.stdout.startswith("0 articles, 0 comments"), stats.stderr
