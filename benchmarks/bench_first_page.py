"""The crawl's start as the extraction pool sees it: how long its first page holds the event loop.

Usage: python -m benchmarks.bench_first_page [PAGE.html]

A stand-in for a crawl's start, in one process: the ``archiver`` command's imports, the pool of 2
workers made (as the spider makes it, before the engine starts), 0.5 CPU s of busy loop for the
crawl's own start (engine, archive, first fetch), then one page (default: the demo site's seed
article) through ``read_page`` in a worker, with a 10 ms timer running on the event loop. Prints, in
seconds: the pool's making to the first page's result, the end of the stand-in's start to that
result, the longest stretch the event loop could not run the timer (starting a worker waits for the
forkserver to answer, once its imports are done), and the pool's ``close()``. To compare two
versions, run it alternately with each one's ``archiver`` first on ``PYTHONPATH`` (the workers
inherit it), from a folder outside both: ``cd /tmp && PYTHONPATH=<other>:<this checkout>
<venv>/bin/python -m benchmarks.bench_first_page``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import archiver.cli  # noqa: F401  (the archiver command's imports, as in a crawl)
from archiver.crawl.pool import ExtractionWorkers
from archiver.demo import SITE_DIR
from archiver.extract import read_page

SEED = SITE_DIR / "health" / "trigger-point-therapy.html"


async def first_page(page: bytes) -> tuple[float, float, float, float]:
    made = time.monotonic()
    workers = ExtractionWorkers(processes=2, timeout=60)
    end = time.process_time() + 0.5
    while time.process_time() < end:  # the crawl's own start
        pass
    started = time.monotonic()
    longest, last, stop = 0.0, started, False

    async def ticker() -> None:
        nonlocal longest, last
        while not stop:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            longest, last = max(longest, now - last), now

    tick = asyncio.ensure_future(ticker())
    url = "http://127.0.0.1/health/trigger-point-therapy.html"
    await workers.run(read_page, page, url, datetime.now(UTC), 60, None, "text/html", None, "utf-8")
    first = time.monotonic()
    stop = True
    await tick
    workers.close()
    return first - made, first - started, longest, time.monotonic() - first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", nargs="?", type=Path, default=SEED)
    args = parser.parse_args()
    figures = asyncio.run(first_page(args.page.read_bytes()))
    print("made->first page {:.3f}  start->first page {:.3f}  loop held {:.3f}  close {:.3f}".format(*figures))


if __name__ == "__main__":
    main()
