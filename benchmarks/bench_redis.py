"""Distributed crawl: pages/s with 1, 2 and 4 workers against one local site, and the drain's items/s.

Each run gets a fresh Redis database and crawls the same generated site (small article pages,
three comments each, ten links per page) served on 127.0.0.1 by a threaded http.server. Pages/s
is measured from the first page request to the last in the server's own log, so the workers'
start-up and their idle wait at the end are not counted. The drain then writes the run's items
into a new SQLite archive; its items/s is its own figure (batches of 50 per transaction).

Usage: python -m benchmarks.bench_redis [PAGES]   (default 2000)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def crawl(workers: int, pages: int, site: Path, redis_url: str, work: Path) -> tuple[float, float, str]:
    """Seconds from first to last page fetched, the drain's items/s, and the drain's summary."""
    settings = [arg for name, value in WORKER_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    with LoggingSiteServer(site) as server:
        subprocess.run([archiver(), "enqueue", "--redis", redis_url, server.url + "index.html"], check=True,
                       capture_output=True, cwd=work)  # fmt: skip
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
    drained = subprocess.run(
        [archiver(), "drain", "--redis", redis_url, "--db", str(work / f"archive-{workers}.db"), "--until-idle", "0",
         "--progress", "0"],
        check=True, capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    summary = drained.stdout.strip().splitlines()[-1]
    rate = float(summary.split("items written (", 1)[1].split("/s", 1)[0])
    return last - (first or last), rate, summary


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = make_linked_site(work / "site", pages)
        redis_server, port = start_redis(work)
        try:
            print(f"{pages} pages, 3 comments each; {os.cpu_count()} cores; redis-server on 127.0.0.1:{port}")
            print("workers  seconds  pages/s  drain items/s")
            for db, workers in enumerate((1, 2, 4)):
                seconds, rate, summary = crawl(workers, pages, site, f"redis://127.0.0.1:{port}/{db}", work)
                print(f"{workers:>7}  {seconds:7.1f}  {pages / seconds:7.1f}  {rate:13.1f}", flush=True)
                print(f"         drain: {summary.removeprefix('drain: ')}", flush=True)
        finally:
            redis_server.terminate()
            redis_server.wait(timeout=30)


if __name__ == "__main__":
    main()
