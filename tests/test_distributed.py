"""Distributed crawls with a real redis-server, real workers and drains as subprocesses, a real site."""

from __future__ import annotations

import json
import pickle
import signal
import subprocess
from pathlib import Path

import pytest
import redis

from tests.conftest import REDIS_DRAIN_ARGS as DRAIN
from tests.conftest import REDIS_WORKER_ARGS as WORKER
from tests.conftest import count, finish, require_binary, rows, run_archiver, start_archiver, wait_for
from tests.sites import COMMENTS_PER_PAGE, LoggingSiteServer, make_linked_site


def pages_fetched(output: str) -> int:
    """The page count in a worker's summary line."""
    line = next(line for line in output.splitlines() if line.startswith("worker "))
    return int(line.split(": ", 1)[1].split(" pages", 1)[0])


def shared_keys_empty(url: str) -> list[str]:
    """Names of the crawl's queues that still hold something (none when the crawl is done)."""
    server = redis.Redis.from_url(url)
    try:
        names = ["articles:requests", "articles:items", "articles:records"]
        names += ["articles:items:processing", "articles:records:processing"]
        names += [k.decode() for k in server.keys("articles:inflight:*")]
        return [n for n in names if server.exists(n)]
    finally:
        server.close()


def test_two_workers_and_a_killed_drain_archive_every_page_once(tmp_path: Path, redis_url: str) -> None:
    pages = 2000
    site = make_linked_site(tmp_path / "site", pages)
    db = tmp_path / "archive.db"
    with LoggingSiteServer(site) as server:
        queued = run_archiver("enqueue", "--redis", redis_url, server.url + "index.html", cwd=tmp_path)
        assert queued.returncode == 0, queued.stderr
        drain = start_archiver("drain", "--redis", redis_url, "--db", str(db), *DRAIN, cwd=tmp_path)
        concurrency = ["-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32"]
        workers = [start_archiver("crawl", "--redis", redis_url, *WORKER, *concurrency, cwd=tmp_path) for _ in "ab"]
        try:
            assert wait_for(lambda: count(db, "articles") >= 300, seconds=240), finish(drain, 5)
            drain.kill()  # SIGKILL, midway
            drain.communicate(timeout=30)
            killed_at = count(db, "articles")
            assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
            drain = start_archiver("drain", "--redis", redis_url, "--db", str(db), *DRAIN, cwd=tmp_path)
            outputs = [finish(w) for w in workers]
            drain_out, drain_err = finish(drain)
        finally:
            for process in [*workers, drain]:
                process.kill()
        fetches = server.page_fetches()
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    assert drain.returncode == 0, drain_err
    assert killed_at < pages, "the drain was killed after the crawl: nothing was tested"
    # every page fetched exactly once across both workers, and both took part
    assert len(fetches) == pages and set(fetches.values()) == {1}
    assert all(pages_fetched(out) > 100 for out, _ in outputs), [out for out, _ in outputs]
    assert sum(pages_fetched(out) for out, _ in outputs) == pages + 3  # and the index, and robots.txt twice
    # every article and comment archived exactly once, by the restarted drain as well
    assert count(db, "articles") == pages and count(db, "comments") == pages * COMMENTS_PER_PAGE
    assert rows(db, "SELECT count(DISTINCT canonical_url) FROM articles")[0][0] == pages
    assert count(db, "revisions") == 0 and count(db, "comment_revisions") == 0
    assert rows(db, "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0
    assert "items written" in drain_err.splitlines()[-1] or "items written" in drain_out
    # both workers' runs and every fetch reached the archive through the drain
    runs = rows(db, "SELECT finish_reason, stats FROM crawls")
    assert [r["finish_reason"] for r in runs] == ["finished", "finished"]
    assert sum(json.loads(r["stats"])["archiver/redis/items_sent"] for r in runs) == pages
    assert count(db, "fetches") == pages + 2  # and the index and robots.txt
    assert shared_keys_empty(redis_url) == []
    # each worker kept its own WARC files, named by worker; every capture reached the archive
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(warcs) == 2 and {w.name.rsplit("-", 1)[1] for w in warcs} == {"00000.warc.gz"}
    assert {r[0] for r in rows(db, "SELECT DISTINCT warc_file FROM captures")} == {f"warc/{w.name}" for w in warcs}
    assert count(db, "captures") == pages + 3
    assert rows(db, "SELECT count(*) FROM articles WHERE capture IN (SELECT record_id FROM captures)")[0][0] == pages


def test_a_killed_workers_requests_are_fetched_by_the_other(tmp_path: Path, redis_url: str) -> None:
    pages = 300
    site = make_linked_site(tmp_path / "site", pages)
    db = tmp_path / "archive.db"
    slow = ["-s", "CONCURRENT_REQUESTS=6", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=6"]
    server_keys = redis.Redis.from_url(redis_url)
    with LoggingSiteServer(site, delay=0.2) as server:
        assert run_archiver("enqueue", "--redis", redis_url, server.url + "index.html", cwd=tmp_path).returncode == 0
        doomed = start_archiver("crawl", "--redis", redis_url, *WORKER, *slow, cwd=tmp_path)
        other = start_archiver("crawl", "--redis", redis_url, *WORKER, *slow, cwd=tmp_path)
        drain = start_archiver("drain", "--redis", redis_url, "--db", str(db), *DRAIN, cwd=tmp_path)
        held: list[str] = []
        try:
            key = f"articles:inflight:{_worker_id(server_keys, doomed.pid)}"

            def holding_after_a_while() -> bool:
                return len(server.page_fetches()) >= 60 and server_keys.hlen(key) >= 3

            assert wait_for(holding_after_a_while, seconds=120)
            doomed.kill()  # SIGKILL: its in-flight requests are only in Redis now
            doomed.communicate(timeout=30)
            held = [pickle.loads(v)["url"] for v in server_keys.hvals(key)]
            _, err = finish(other)
            drain_out, _ = finish(drain)
        finally:
            for process in (doomed, other, drain):
                process.kill()
            server_keys.close()
        fetches = server.page_fetches()
    assert other.returncode == 0, err[-3000:]
    assert held, "the killed worker held no request"
    assert len(fetches) == pages  # nothing lost
    fetched_twice = {path for path, n in fetches.items() if n > 1}
    assert fetched_twice <= {"/" + url.rsplit("/", 1)[1] for url in held}  # only what it held
    assert count(db, "articles") == pages and count(db, "comments") == pages * COMMENTS_PER_PAGE
    (survivor,) = [json.loads(r["stats"]) for r in rows(db, "SELECT stats FROM crawls WHERE finish_reason IS NOT NULL")]
    by_drain = int(drain_out.split(" requests of stopped workers requeued")[0].rsplit(" ", 1)[1])
    assert survivor.get("archiver/redis/reclaimed", 0) + by_drain == len(held)  # whoever noticed first
    assert shared_keys_empty(redis_url) == []


def _worker_id(server: redis.Redis, pid: int) -> str:
    """The id a worker process announced in Redis (``host:pid:random``)."""
    found: list[str] = []

    def announced() -> bool:
        found[:] = [w.decode() for w in server.smembers("articles:workers") if f":{pid}:" in w.decode()]
        return bool(found)

    assert wait_for(announced, seconds=60), "the worker never joined"
    return found[0]


def test_a_worker_marks_a_found_url_seen_and_queues_it_in_one_step(tmp_path: Path, redis_url: str) -> None:
    """scrapy-redis marks a found URL seen (SADD) and then queues it (ZADD): a worker killed between the two
    left the URL seen and in no queue, lost to every worker. A worker does both in one script, so redis-server
    (MONITOR: every command, those run by scripts tagged "lua") never gets the dupefilter's SADD from a
    client, and every page is still fetched once."""
    site = make_linked_site(tmp_path / "site", 30)
    log_path = tmp_path / "monitor.log"
    with LoggingSiteServer(site) as server, log_path.open("wb") as log:
        assert run_archiver("enqueue", "--redis", redis_url, server.url + "index.html", cwd=tmp_path).returncode == 0
        monitor = subprocess.Popen([require_binary("redis-cli"), "-u", redis_url, "monitor"], stdout=log)
        try:
            assert wait_for(lambda: log_path.stat().st_size > 0, seconds=20), "redis-cli monitor did not start"
            worker = start_archiver("crawl", "--redis", redis_url, *WORKER, cwd=tmp_path)
            try:
                _, err = finish(worker, 120)
            finally:
                worker.kill()
        finally:
            monitor.terminate()
            monitor.wait(timeout=30)
        fetches = server.page_fetches()
    assert worker.returncode == 0, err[-2000:]
    assert len(fetches) == 30 and set(fetches.values()) == {1}
    commands = log_path.read_text(errors="replace").splitlines()
    seen = [line for line in commands if '"sadd" "articles:dupefilter"' in line.lower()]
    assert [line for line in seen if " lua]" in line]  # the worker marked the URLs it found seen...
    assert [line for line in seen if " lua]" not in line] == []  # ...only inside the script that queues them


def test_sigterm_stops_a_worker_cleanly_and_gives_back_its_requests(tmp_path: Path, redis_url: str) -> None:
    site = make_linked_site(tmp_path / "site", 200)
    with LoggingSiteServer(site, delay=0.2) as server:
        assert run_archiver("enqueue", "--redis", redis_url, server.url + "index.html", cwd=tmp_path).returncode == 0
        worker = start_archiver("crawl", "--redis", redis_url, *WORKER, cwd=tmp_path)
        try:
            assert wait_for(lambda: len(server.page_fetches()) >= 20, seconds=120)
            worker.send_signal(signal.SIGTERM)
            out, err = finish(worker, 60)
        finally:
            worker.kill()
    assert worker.returncode == 0, err[-2000:]
    assert "finished (shutdown)" in out
    assert "worker " in err and "finished (shutdown)" in err  # the last progress line
    check = redis.Redis.from_url(redis_url)
    try:
        assert check.scard("articles:workers") == 0 and not check.keys("articles:inflight:*")
        assert check.zcard("articles:requests") > 0  # the rest of the crawl waits for another worker
        assert (
            check.llen("articles:items") == pages_fetched(out) - 2
        )  # every article it fetched was sent (not index, robots.txt)
    finally:
        check.close()


def article(n: int, body: str = "") -> dict[str, object]:
    """An item as a worker sends it (Article fields, comments nested)."""
    comments = [{"number": c, "author": f"R{c}", "body": f"c{c} on {n}", "kind": "comment"} for c in (1, 2)]
    text = body or f"Body of article {n}. " * 30
    return {"url": f"https://news.example/{n}", "title": f"Title {n}", "body": text, "comments": comments,
            "comments_status": "present", "authors": ["Ana Lobo"], "provenance": {"title": "markup:h1"}}  # fmt: skip


def test_archive_save_is_idempotent_for_identical_content(tmp_path: Path) -> None:
    from archiver.archive import Archive

    archive = Archive(tmp_path / "archive.db")
    try:
        batch = [article(n) for n in range(5)]
        first, again = archive.save(batch), archive.save(batch)
    finally:
        archive.close()
    assert (first.articles_inserted, first.comments_inserted) == (5, 10)
    assert (again.articles_inserted, again.articles_unchanged, again.comments_inserted) == (0, 5, 0)
    assert (again.revisions, again.comments_changed, again.comments_deleted) == (0, 0, 0)
    db = tmp_path / "archive.db"
    assert count(db, "articles") == 5 and count(db, "comments") == 10 and count(db, "revisions") == 0


def test_drain_writes_a_stopped_drains_batch_first_and_sets_bad_entries_aside(tmp_path: Path, redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url)
    # a drain stopped after moving two items (one committed, one not), with more behind them
    server.rpush("articles:items:processing", json.dumps(article(1)), json.dumps(article(2)), b"\xff not json")
    server.rpush("articles:items", json.dumps(article(3)), json.dumps({"title": "no url"}))
    db = tmp_path / "archive.db"
    run_archiver("drain", "--redis", redis_url, "--db", str(db), "--until-idle", "0", cwd=tmp_path)  # commits 1, 2, 3
    server.rpush("articles:items:processing", json.dumps(article(2)))  # committed, then killed before the ack
    result = run_archiver("drain", "--redis", redis_url, "--db", str(db), "--until-idle", "0", cwd=tmp_path)
    try:
        assert result.returncode == 0, result.stderr
        assert "1 items written" in result.stdout and "1 unchanged" in result.stdout
        assert [r["url"] for r in rows(db, "SELECT url FROM articles ORDER BY id")] == [
            f"https://news.example/{n}" for n in (1, 2, 3)
        ]
        assert count(db, "comments") == 6 and count(db, "revisions") == 0
        assert server.lrange("articles:items:rejected", 0, -1) == [b"\xff not json", b'{"title": "no url"}']
        assert not server.exists("articles:items", "articles:items:processing")
    finally:
        server.close()


def test_one_drain_at_a_time(tmp_path: Path, redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url)
    server.set("articles:drain", "another drain", px=60_000)
    try:
        result = run_archiver("drain", "--redis", redis_url, "--db", str(tmp_path / "a.db"), "--wait-lock", "0.5",
                              "--until-idle", "0", cwd=tmp_path)  # fmt: skip
    finally:
        server.close()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: another drain is writing this crawl")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["enqueue", "--redis", "http://127.0.0.1:1/0", "https://a.example/"], 2, "invalid Redis URL"),
        (["enqueue", "--redis", "{redis}", "ftp://a.example/"], 2, "invalid URL 'ftp://a.example/'"),
        (["enqueue", "--redis", "redis://127.0.0.1:{port}/0", "https://a.example/"], 1, "cannot reach Redis at"),
        (["drain", "--redis", "redis://127.0.0.1:{port}/0"], 1, "cannot reach Redis at"),
        (["crawl", "--redis", "{redis}", "-s", "ARCHIVER_REDIS_IDLE_SECONDS=soon"], 2, "ARCHIVER_REDIS_IDLE_SECONDS"),
        (
            ["crawl", "--redis", "{redis}", "-s", "ARCHIVER_REDIS_HEARTBEAT_SECONDS=0"],
            2,
            "ARCHIVER_REDIS_HEARTBEAT_SECONDS must be a number more than 0, not '0'",
        ),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, redis_url: str, args: list[str], code: int, message: str) -> None:
    from tests.conftest import free_port

    args = [a.replace("{redis}", redis_url).replace("{port}", str(free_port())) for a in args]
    result = run_archiver(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "archive.db").exists()
    check = redis.Redis.from_url(redis_url)
    try:
        assert check.keys("*") == []  # nothing queued
    finally:
        check.close()
