"""Distributed crawl: pages/s with 1, 2 and 4 workers against one local site, and the drain's items/s.

Each worker count runs twice, one after the other, so that both see the same load on the machine:
without shared slots (``ARCHIVER_REDIS_SLOTS_ENABLED=False``: each worker keeps the site to 32
requests in flight on its own, as workers did before shared slots) and with them (the default:
every request takes the site's slot in Redis; the site has no delay and a concurrency of 32 x N
for the N workers together, the same load on it), which measures what the slot costs.

Each run gets a fresh Redis database and crawls the same generated site (small article pages,
three comments each, ten links per page) served on 127.0.0.1 by a threaded http.server. Pages/s
is measured from the first page request to the last in the server's own log, so the workers'
start-up and their idle wait at the end are not counted. The drain then writes the run's items
into a new SQLite archive; its items/s is its own figure (batches of 50 per transaction).

CPU per page: the workers' own (user and system time of the finished worker processes) and
redis-server's (``INFO cpu``), both far less sensitive than pages/s to what else runs on the
machine. Redis commands per page: the server's ``INFO commandstats`` counted from before the enqueue to
after the last worker left (so the workers' idle wait at the end is in it), divided by the pages;
the drain's commands are counted apart. The script commands (``EVALSHA``) count once each.

Usage: python -m benchmarks.bench_redis [PAGES]   (default 2000)
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import redis

from tests.sites import LoggingSiteServer, make_linked_site

WORKER_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "ARCHIVER_EXTRACT_PROCESSES": "0",  # one process per worker: the workers are the parallelism here
    "ARCHIVER_REDIS_IDLE_SECONDS": "2",
    "ARCHIVER_REDIS_PROGRESS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def archiver() -> str:
    return str(Path(sys.executable).with_name("archiver"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (make bench-redis installs it)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("redis-server did not start")


def commands(server: redis.Redis) -> dict[str, int]:
    """Calls of each command so far (``INFO commandstats``), without the INFO calls themselves."""
    stats = server.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items() if name != "cmdstat_info"}


def spent(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: n - before.get(name, 0) for name, n in after.items() if n > before.get(name, 0)}


def cpu_seconds(client: redis.Redis) -> tuple[float, float]:
    """CPU seconds used so far by this process's finished children, and by redis-server."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = client.info("cpu")
    return children.ru_utime + children.ru_stime, float(server["used_cpu_user"]) + float(server["used_cpu_sys"])


@dataclass
class Run:
    """One crawl's figures."""

    seconds: float  # first to last page request in the site's log
    drain_rate: float  # the drain's items/s
    drain_summary: str
    by_crawl: dict[str, int]  # Redis commands from the enqueue to the last worker's exit
    by_drain: dict[str, int]
    worker_cpu: float  # CPU seconds of all the workers together
    redis_cpu: float  # CPU seconds of redis-server during the crawl


def crawl(workers: int, shared: bool, pages: int, site: Path, redis_url: str, work: Path) -> Run:
    """Crawl the site with ``workers`` workers, then drain it."""
    client = redis.Redis.from_url(redis_url)
    start = commands(client)
    own = {**WORKER_SETTINGS, "ARCHIVER_REDIS_SLOTS_ENABLED": str(shared)}
    if shared:  # the same load on the site as N workers of 32 each: 32 x N in flight between them
        own["CONCURRENT_REQUESTS_PER_DOMAIN"] = str(32 * workers)
    settings = [arg for name, value in own.items() for arg in ("-s", f"{name}={value}")]
    with LoggingSiteServer(site) as server:
        subprocess.run([archiver(), "enqueue", "--redis", redis_url, server.url + "index.html"], check=True,
                       capture_output=True, cwd=work)  # fmt: skip
        cpu_before = cpu_seconds(client)
        procs = [
            subprocess.Popen(
                [archiver(), "crawl", "--redis", redis_url, "--depth", "20", *settings],
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        first = last = None
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and len(server.page_fetches()) < pages:
            if first is None and server.page_fetches():
                first = time.monotonic()
            time.sleep(0.05)
        last = time.monotonic()
        for proc in procs:
            proc.wait(timeout=120)
    cpu_after = cpu_seconds(client)
    crawled = commands(client)
    drained = subprocess.run(
        [archiver(), "drain", "--redis", redis_url, "--db", str(work / f"archive-{redis_url.rsplit('/', 1)[1]}.db"),
         "--until-idle", "0", "--progress", "0"],
        check=True, capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    summary = drained.stdout.strip().splitlines()[-1]
    rate = float(summary.split("items written (", 1)[1].split("/s", 1)[0])
    by_drain = spent(crawled, commands(client))
    client.close()
    return Run(
        last - (first or last),
        rate,
        summary,
        spent(start, crawled),
        by_drain,
        cpu_after[0] - cpu_before[0],
        cpu_after[1] - cpu_before[1],
    )


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = make_linked_site(work / "site", pages)
        redis_server, port = start_redis(work)
        try:
            print(f"{pages} pages, 3 comments each; {os.cpu_count()} cores; redis-server on 127.0.0.1:{port}")
            print(
                "workers  shared slots  seconds  pages/s  worker CPU ms/page  Redis CPU ms/page  drain items/s"
                "  Redis commands/page (crawl, drain)"
            )
            runs = [(workers, shared) for workers in (1, 2, 4) for shared in (False, True)]  # side by side
            for db, (workers, shared) in enumerate(runs):
                run = crawl(workers, shared, pages, site, f"redis://127.0.0.1:{port}/{db}", work)
                print(
                    f"{workers:>7}  {'on' if shared else 'off':>12}  {run.seconds:7.1f}  {pages / run.seconds:7.1f}  "
                    f"{1000 * run.worker_cpu / pages:18.2f}  {1000 * run.redis_cpu / pages:17.3f}  "
                    f"{run.drain_rate:13.1f}  "
                    f"{sum(run.by_crawl.values()) / pages:.1f}, {sum(run.by_drain.values()) / pages:.1f}",
                    flush=True,
                )
                top = sorted(run.by_crawl.items(), key=lambda kv: -kv[1])
                print("         crawl: " + ", ".join(f"{name} {n / pages:.2f}" for name, n in top), flush=True)
                print(f"         drain: {run.drain_summary.removeprefix('drain: ')}", flush=True)
        finally:
            redis_server.terminate()
            redis_server.wait(timeout=30)


if __name__ == "__main__":
    main()
