"""The extraction workers' hand-off alone: generated pages through ``ExtractionWorkers`` beside a busy event loop.

Usage: python -m benchmarks.bench_pool [--pages N] [--crawl-ms MS] [--processes N] [--reference] [--site FOLDER]

Generates (or reuses) a site of ``benchmarks.sitegen`` with 20 comments an article, then runs every
page through the extraction workers (2, or ``--processes``) as the crawl does (``read_page_hashed``,
16 pages awaited at once), the event loop spending ``--crawl-ms`` of CPU on each result (the crawl's
own work a page, 6 ms by default). From the 50th result to the last it prints the process tree's
CPU a page (the workers' and the loop's process together), the workers' (``/proc``), the loop
process's and each of its threads' (what the hand-off costs it beyond ``--crawl-ms``), pages/s,
the workers' context switches a page and the share of the time they slept waiting for a page.
``--processes`` sets the number of workers (1 with ``--crawl-ms 0``: a worker on a core of its own, the
loop's process idle on the other, so what the worker spends beyond the function is the hand-off and
little of the cores' sharing). ``--reference`` also runs ``read_page_hashed`` on the same pages in the
loop's process, once before the pool and once after it (the load moves: the two bracket the pool's
run), and prints the workers' CPU a page against their mean: the hand-off's cost to the workers, with
the cores' sharing when the workers and the loop outnumber the cores.
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


def _arguments(base: str) -> tuple[Any, ...]:
    """What the crawl passes ``read_page_hashed`` beside a page's body and URL (a generated page: no profile)."""
    from archiver.crawl.spiders.scope import SiteRules
    from archiver.settings import declared

    min_words = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
    return min_words, None, "text/html", SiteRules.of([base]).follow, "utf-8"


def _reference(pages: list[tuple[str, bytes]], base: str) -> float:
    """CPU ms a page of ``read_page_hashed`` in this process, on the pages the measure counts (the
    pages before them read first, as the workers read them before the measure starts)."""
    from archiver.crawl.hashing import read_page_hashed

    min_words, profile, content_type, follow, encoding = _arguments(base)
    now = datetime.now(UTC)
    for url, body in pages[:WARM]:
        read_page_hashed(body, url, now, min_words, profile, content_type, follow, encoding)
    started = time.process_time()
    for url, body in pages[WARM:]:
        read_page_hashed(body, url, now, min_words, profile, content_type, follow, encoding)
    return 1000 * (time.process_time() - started) / len(pages[WARM:])


async def _run(pages: list[tuple[str, bytes]], crawl_ms: float, base: str, processes: int) -> float:
    from archiver.crawl.hashing import read_page_hashed
    from archiver.crawl.pool import ExtractionWorkers

    min_words, profile, content_type, follow, encoding = _arguments(base)
    workers = ExtractionWorkers(processes, 60)
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
            await workers.run(read_page_hashed, body, url, now, min_words, profile, content_type, follow, encoding)
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
    return 1000 * cpu / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--crawl-ms", type=float, default=6.0)
    parser.add_argument("--processes", type=int, default=2, help="extraction workers (default 2)")
    parser.add_argument(
        "--reference", action="store_true", help="read_page_hashed in this process too, before and after the pool"
    )
    parser.add_argument("--site", type=Path, default=Path("/tmp/bench-pool-site"))
    options = parser.parse_args()
    from benchmarks.sitegen import generate

    if not (options.site / "expected.jsonl").exists():
        generate(options.site, 300, comments=20)
    base = "http://127.0.0.1:8080/"
    pages = site_pages(options.site, base)
    pages = (pages * (options.pages // len(pages) + 1))[: options.pages]
    before = _reference(pages, base) if options.reference else 0.0
    workers = asyncio.run(_run(pages, options.crawl_ms, base, options.processes))
    if options.reference:
        after = _reference(pages, base)
        alone = (before + after) / 2
        print(
            f"read_page_hashed in this process, the same pages: {before:.2f} before the pool, {after:.2f} after; "
            f"the workers / their mean = {workers / alone:.3f} ({workers - alone:+.2f} CPU ms a page); "
            f"load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
