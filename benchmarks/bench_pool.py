"""The extraction workers' hand-off alone: generated pages through ``ExtractionWorkers(2)`` beside a busy event loop.

Usage: python -m benchmarks.bench_pool [--pages N] [--crawl-ms MS] [--site FOLDER]

Generates (or reuses) a site of ``benchmarks.sitegen`` with 20 comments an article, then runs every
page through 2 extraction workers as the crawl does (``read_page_hashed``, 16 pages awaited at once),
the event loop spending ``--crawl-ms`` of CPU on each result (the crawl's own work a page, 6 ms by
default). From the 50th result to the last it prints the process tree's CPU a page (the workers' and
the loop's process together), the workers' (``/proc``), the loop
process's and each of its threads' (what the hand-off costs it beyond ``--crawl-ms``), pages/s,
the workers' context switches a page and the share of the time they slept waiting for a page.
To compare two versions, run it alternately with each one's
``archiver`` first on ``PYTHONPATH`` (the workers inherit it) and this checkout after it, from a
folder outside both (``python -m`` puts the current folder first on the path):
``cd /tmp && PYTHONPATH=<other>:<this checkout> <venv>/bin/python -m benchmarks.bench_pool``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_crawl import cpu_seconds, scheduled_seconds, site_pages, stat_cpu_seconds

WARM = 50  # results before the measure starts (the workers' start-up)


def _switches(pid: int) -> tuple[int, int]:
    found = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if "ctxt_switches" in line:
                name, value = line.split(":")
                found[name.split("_")[0]] = int(value)
    return found["voluntary"], found["nonvoluntary"]


def _threads() -> dict[str, float]:
    return {tid: stat_cpu_seconds(f"/proc/self/task/{tid}/stat") for tid in os.listdir("/proc/self/task")}


def _burn(ms: float) -> None:
    end = time.thread_time() + ms / 1000
    while time.thread_time() < end:
        sum(range(200))


async def _run(pages: list[tuple[str, bytes]], crawl_ms: float, base: str) -> None:
    from archiver.crawl.hashing import read_page_hashed
    from archiver.crawl.pool import ExtractionWorkers
    from archiver.crawl.spiders.scope import SiteRules
    from archiver.settings import declared

    min_words = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
    follow = SiteRules.of([base]).follow
    workers = ExtractionWorkers(2, 60)
    at_once = asyncio.Semaphore(16)
    done = 0
    marks: list[dict[str, Any]] = []

    def mark() -> None:
        executor = getattr(workers, "_executor", None)  # the pool before branch handoff6
        pids = list(executor._processes) if executor is not None else [w.process.pid for w in workers._workers]
        marks.append(
            {
                "workers": {pid: (cpu_seconds(pid), _switches(pid), sum(scheduled_seconds(pid))) for pid in pids},
                "process": time.process_time(),
                "threads": _threads(),
                "wall": time.perf_counter(),
            }
        )

    async def one(url: str, body: bytes) -> None:
        nonlocal done
        async with at_once:
            now = datetime.now(UTC)
            await workers.run(read_page_hashed, body, url, now, min_words, None, "text/html", follow, "utf-8")
            _burn(crawl_ms)
            done += 1
            if done in (WARM, len(pages)):
                mark()

    try:
        await asyncio.gather(*(one(url, body) for url, body in pages))
    finally:
        workers.close()
    first, last = marks
    n = len(pages) - WARM
    pids = list(first["workers"])
    cpu = sum(last["workers"][p][0] - first["workers"][p][0] for p in pids)
    voluntary = sum(last["workers"][p][1][0] - first["workers"][p][1][0] for p in pids)
    involuntary = sum(last["workers"][p][1][1] - first["workers"][p][1][1] for p in pids)
    span = last["wall"] - first["wall"]
    waiting = sum(1 - (last["workers"][p][2] - first["workers"][p][2]) / span for p in pids) / len(pids)
    threads = [1000 * (last["threads"][t] - first["threads"].get(t, 0.0)) / n for t in last["threads"]]
    loop_process = 1000 * (last["process"] - first["process"]) / n
    print(
        f"tree {1000 * cpu / n + loop_process:.2f} CPU ms/page: "
        f"workers {1000 * cpu / n:.2f}, the loop's process {loop_process:.2f} "
        f"(threads: {', '.join(f'{t:.2f}' for t in threads)}; {crawl_ms:g} of it the crawl's stand-in); "
        f"{n / (last['wall'] - first['wall']):.1f} pages/s; the workers' context switches a page: "
        f"{voluntary / n:.2f} voluntary, {involuntary / n:.2f} involuntary; the workers waiting for a page "
        f"{100 * waiting:.0f}% of the time; load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--crawl-ms", type=float, default=6.0)
    parser.add_argument("--site", type=Path, default=Path("/tmp/bench-pool-site"))
    options = parser.parse_args()
    from benchmarks.sitegen import generate

    if not (options.site / "expected.jsonl").exists():
        generate(options.site, 300, comments=20)
    base = "http://127.0.0.1:8080/"
    pages = site_pages(options.site, base)
    pages = (pages * (options.pages // len(pages) + 1))[: options.pages]
    asyncio.run(_run(pages, options.crawl_ms, base))


if __name__ == "__main__":
    main()
