"""A sources file's rules and each site's politeness, held by real workers sharing a real redis-server.

The site is served on 127.0.0.1 by a server that keeps the start and end of every request it
answers, so what is checked is what the site saw.
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from pathlib import Path

import pytest
import redis

from archiver.distributed.politeness import SiteSlots
from archiver.distributed.state import Keys
from tests.conftest import LOCAL_CRAWL_FLAGS, finish, run_archiver, start_archiver, wait_for
from tests.sites import LoggingSiteServer, make_linked_site

#: Worker options without --depth: the sources file gives each site its own.
WORKER = (
    *LOCAL_CRAWL_FLAGS,  # the delay of sites without rules: none (the tests below give some)
    "-s", "ARCHIVER_EXTRACT_PROCESSES=0",
    "-s", "ARCHIVER_REDIS_IDLE_SECONDS=1",
    "-s", "ARCHIVER_REDIS_HEARTBEAT_SECONDS=2",
    "-s", "ARCHIVER_REDIS_PROGRESS_SECONDS=0",
)  # fmt: skip
#: Seconds a request may reach the site earlier than its delay says: from the grant in Redis to the
#: request on the wire in a worker, and to the test server's thread reading it, on a loaded machine.
JITTER = 0.05


def sources_file(folder: Path, start: str, **rules: object) -> Path:
    """A sources file of one site, ``local``, starting at ``start``."""
    lines = ["[[site]]", 'name = "local"', f'start_urls = ["{start}"]']
    lines += [f"{key} = {value}" for key, value in rules.items()]
    path = folder / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_chain(folder: Path, pages: int) -> Path:
    """Pages c0 -> c1 -> ... each linking to the next only: page n is at depth n from c0."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(pages):
        (folder / f"c{n}.html").write_text(f'<html><body><a href="/c{n + 1}.html">next</a></body></html>')
    return folder


def most_in_flight(times: list[tuple[str, float, float]]) -> int:
    """The most requests the site was answering at once."""
    events = sorted([(start, 1) for _, start, _ in times] + [(end, -1) for _, _, end in times])
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_sites_delay_and_concurrency_hold_for_all_workers_together(
    tmp_path: Path, redis_url: str, workers: int
) -> None:
    """The sources file's delay 0.2 s and concurrency 2, not each worker's own (0.1 s and 3), and
    for all the workers together: each one alone keeping to them would not do."""
    pages = 8
    site = make_linked_site(tmp_path / "site", pages)
    own = ("-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=3")
    # pages extracted beside the worker, as by default: a page extracted in the worker's own process
    # keeps its reactor from sending a request it was granted for as long as that takes
    own += ("-s", "ARCHIVER_EXTRACT_PROCESSES=1")
    client = redis.Redis.from_url(redis_url)
    gate = threading.Event()  # the site answers once every worker has joined, so they all compete for it
    with LoggingSiteServer(site, delay=0.5, gate=gate) as server:  # slow answers: more than 2 would overlap
        sources = sources_file(tmp_path, server.url + "index.html", delay=0.2, concurrency=2, depth=5)
        queued = run_archiver("enqueue", "--redis", redis_url, "--sources", str(sources), cwd=tmp_path)
        assert queued.returncode == 0, queued.stderr
        started = [start_archiver("crawl", "--redis", redis_url, *WORKER, *own, cwd=tmp_path) for _ in range(workers)]
        try:
            assert wait_for(lambda: client.scard("articles:workers") == workers, seconds=60)
            gate.set()
            outputs = [finish(worker, 120) for worker in started]
        finally:
            gate.set()
            for worker in started:
                worker.kill()
            client.close()
        times = sorted(server.times, key=lambda t: t[1])
    assert [w.returncode for w in started] == [0] * workers, [err[-2000:] for _, err in outputs]
    assert len(server.page_fetches()) == pages and set(server.page_fetches().values()) == {1}
    gaps = [(b[0], round(b[1] - a[1], 3)) for a, b in itertools.pairwise(times)]
    assert min(gap for _, gap in gaps) >= 0.2 - JITTER, gaps
    assert most_in_flight(times) <= 2, times


def test_a_sources_files_depth_holds_in_workers_started_without_it(tmp_path: Path, redis_url: str) -> None:
    """The sources file's site (127.0.0.1) is crawled to its depth 5, at its robots.txt's Crawl-delay;
    a plain site (localhost) to --depth 2."""
    (make_chain(tmp_path / "ruled", 9) / "robots.txt").write_text("User-agent: *\nCrawl-delay: 0.3\n")
    with (
        LoggingSiteServer(tmp_path / "ruled") as ruled,
        LoggingSiteServer(make_chain(tmp_path / "plain", 9)) as plain,
    ):
        sources = sources_file(tmp_path, ruled.url + "c0.html", delay=0, depth=5)
        assert run_archiver("enqueue", "--redis", redis_url, "--sources", str(sources), cwd=tmp_path).returncode == 0
        plain_start = plain.url.replace("127.0.0.1", "localhost") + "c0.html"
        assert run_archiver("enqueue", "--redis", redis_url, plain_start, cwd=tmp_path).returncode == 0
        worker = start_archiver("crawl", "--redis", redis_url, "--depth", "2", *WORKER,
                                cwd=tmp_path)  # fmt: skip
        out, err = finish(worker, 120)
        ruled_paths, plain_paths = ruled.paths, plain.paths
        times = sorted(ruled.times, key=lambda t: t[1])
    assert worker.returncode == 0, err[-3000:]
    assert times[0][0] == "/robots.txt"
    gaps = [(b[0], round(b[1] - a[1], 3)) for a, b in itertools.pairwise(times[1:])]  # once robots.txt was read
    assert min(gap for _, gap in gaps) >= 0.3 - JITTER, gaps
    assert sorted(p for p in ruled_paths if p.startswith("/c")) == [f"/c{n}.html" for n in range(6)]
    assert sorted(p for p in plain_paths if p.startswith("/c")) == [f"/c{n}.html" for n in range(3)]
    assert "rules of 1 sites of a sources file, from Redis (articles:sources):" in out
    assert "local (127.0.0.1): depth 5, delay 0 s, concurrency 2" in out
    assert "other sites: depth 2, delay 0 s, concurrency 4 (this worker's --depth and settings)" in out


@pytest.mark.parametrize(("site_depth", "worker_depth"), [(0, 2), (2, 0)])
def test_depth_0_is_the_start_page_only_in_workers(
    tmp_path: Path, redis_url: str, site_depth: int, worker_depth: int
) -> None:
    """A sources file's site of depth 0, or a plain site under a worker's --depth 0, is fetched at its
    start page only (Scrapy reads a DEPTH_LIMIT of 0 as no limit); the other keeps its own depth."""
    with (
        LoggingSiteServer(make_chain(tmp_path / "ruled", 6)) as ruled,
        LoggingSiteServer(make_chain(tmp_path / "plain", 6)) as plain,
    ):
        sources = sources_file(tmp_path, ruled.url + "c0.html", delay=0, depth=site_depth)
        assert run_archiver("enqueue", "--redis", redis_url, "--sources", str(sources), cwd=tmp_path).returncode == 0
        plain_start = plain.url.replace("127.0.0.1", "localhost") + "c0.html"
        assert run_archiver("enqueue", "--redis", redis_url, plain_start, cwd=tmp_path).returncode == 0
        worker = start_archiver("crawl", "--redis", redis_url, "--depth", str(worker_depth), *WORKER,
                                cwd=tmp_path)  # fmt: skip
        _, err = finish(worker, 120)
        ruled_paths, plain_paths = ruled.paths, plain.paths
    assert worker.returncode == 0, err[-3000:]
    assert sorted(p for p in ruled_paths if p.startswith("/c")) == [f"/c{n}.html" for n in range(site_depth + 1)]
    assert sorted(p for p in plain_paths if p.startswith("/c")) == [f"/c{n}.html" for n in range(worker_depth + 1)]


def test_a_killed_workers_slot_comes_back_after_its_lease(tmp_path: Path, redis_url: str) -> None:
    """Concurrency 1: the worker killed while its request holds the site's slot never gives it back;
    the other worker gets the site again once the lease expires, and finishes the crawl."""
    pages = 8
    site = make_linked_site(tmp_path / "site", pages)
    leases = "articles:slot:127.0.0.1:leases"
    client = redis.Redis.from_url(redis_url)
    lease = ["-s", "ARCHIVER_REDIS_SLOT_LEASE_SECONDS=4"]
    with LoggingSiteServer(site, slow={"/p1.html": 10.0}) as server:
        sources = sources_file(tmp_path, server.url + "index.html", delay=0, concurrency=1, depth=5)
        assert run_archiver("enqueue", "--redis", redis_url, "--sources", str(sources), cwd=tmp_path).returncode == 0
        started = [start_archiver("crawl", "--redis", redis_url, *WORKER, *lease, cwd=tmp_path) for _ in "ab"]
        try:
            assert wait_for(lambda: "/p1.html" in server.paths and client.zcard(leases) == 1, seconds=60)
            (token,) = [t.decode() for t in client.zrange(leases, 0, -1)]
            pid = int(token.split(":")[1])  # a token is <host>:<pid>:<random>:<n>, as a worker id
            (doomed,) = [w for w in started if w.pid == pid]
            (other,) = [w for w in started if w.pid != pid]
            doomed.send_signal(signal.SIGKILL)
            doomed.communicate(timeout=30)
            held_after_kill = [t.decode() for t in client.zrange(leases, 0, -1)]
            server.httpd.slow.clear()  # the page again, for the other worker: at once
            _out, err = finish(other, 120)
        finally:
            for worker in started:
                worker.kill()
            client.close()
        fetched = server.page_fetches()
    assert held_after_kill == [token], "the killed worker's slot was not held: nothing was tested"
    assert other.returncode == 0, err[-3000:]
    assert set(fetched) == {f"/p{n}.html" for n in range(1, pages + 1)}


def test_a_sites_slot_grants_by_delay_and_concurrency_and_leases_expire(redis_url: str) -> None:
    """The Lua script itself, on a real redis-server: what a worker is told for each request."""
    client = redis.Redis.from_url(redis_url)
    try:
        slots = SiteSlots(client, Keys(), lease_seconds=0.5)
        assert slots.take("a.example", "w:1", delay=5, concurrency=4) == 0.0
        wait = slots.take("a.example", "w:2", delay=5, concurrency=4)  # the delay has not passed
        assert wait is not None and 4 < wait <= 5
        assert [slots.take("b.example", f"w:{n}", delay=0, concurrency=2) for n in range(3)] == [0.0, 0.0, None]
        slots.release("b.example", "w:0")
        assert slots.take("b.example", "w:3", delay=0, concurrency=2) == 0.0  # given back: free again
        assert slots.take("b.example", "w:4", delay=0, concurrency=2) is None
        time.sleep(0.6)  # nobody gave w:1 and w:3 back (a killed worker): their leases expire
        assert slots.take("b.example", "w:5", delay=0, concurrency=2) == 0.0
        assert client.zrange(Keys().slot_leases("b.example"), 0, -1) == [b"w:5"]
        assert client.pttl(Keys().slot_leases("b.example")) > 0  # nothing stays in Redis for good
    finally:
        client.close()
