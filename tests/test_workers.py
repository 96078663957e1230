"""Extraction workers: results from real worker processes, a time limit, recovery after it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.crawl.pool import ExtractionFailed, ExtractionWorkers


def test_timeout_then_recovery() -> None:
    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=5)
        try:
            first = await workers.run(abs, -3)  # the first call also starts the worker
            workers.timeout = 0.5
            with pytest.raises(ExtractionFailed) as failed:
                await workers.run(time.sleep, 10)
            after = await workers.run(abs, -4)  # new workers replaced the stuck one
            return [first, failed.value.kind, after]
        finally:
            workers.close()

    started = time.monotonic()
    assert asyncio.run(scenario()) == [3, "timeout", 4]
    assert time.monotonic() - started < 30


def test_in_process_mode() -> None:
    assert asyncio.run(ExtractionWorkers(processes=0, timeout=1).run(abs, -2)) == 2


def test_auto_is_one_worker_per_available_core_at_most_four() -> None:
    import os

    from archiver.crawl.pool import AUTO_MAX_PROCESSES, extract_processes

    assert extract_processes("auto") == min(len(os.sched_getaffinity(0)), AUTO_MAX_PROCESSES) >= 1
    assert extract_processes(0) == 0 and extract_processes(3) == 3


_CRAWL_STAND_IN = """
import asyncio, os, sys, time
from archiver.crawl.pool import ExtractionWorkers

async def main():
    workers = ExtractionWorkers(processes=1, timeout=120)
    pid = await workers.run(os.getpid)  # the worker runs work while the crawl lives
    print(pid, flush=True)
    await workers.run(time.sleep, 120)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    """pid runs (a zombie left for a parent that does not reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_exit_when_the_crawl_is_killed() -> None:
    """A worker busy with a page, its crawl killed with SIGKILL: the worker does not outlive it."""
    import signal
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-c", _CRAWL_STAND_IN], stdout=subprocess.PIPE, text=True) as crawl:
        try:
            assert crawl.stdout is not None
            worker = int(crawl.stdout.readline())
            time.sleep(1)
            assert _alive(worker) and crawl.poll() is None
            crawl.send_signal(signal.SIGKILL)
            crawl.wait(timeout=30)
            deadline = time.monotonic() + 20
            while _alive(worker) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _alive(worker)
        finally:
            crawl.kill()


_TWO_CRAWLS = """
import asyncio, os
from archiver.crawl.pool import ExtractionWorkers

async def main():
    first, second = ExtractionWorkers(processes=1, timeout=60), ExtractionWorkers(processes=1, timeout=60)
    assert await first.run(abs, -1) == 1 and await second.run(abs, -2) == 2
    first.close()  # the other crawl's workers still run from the same forkserver
    assert await second.run(abs, -3) == 3
    second.close()
    third = ExtractionWorkers(processes=1, timeout=60)  # a new forkserver
    assert await third.run(abs, -4) == 4
    third.close()
    print("done", flush=True)

asyncio.run(main())
"""


def test_crawls_sharing_a_process_close_one_after_the_other() -> None:
    """The crawls of a sources file run at once in one process and share its forkserver: the first
    to close leaves the other's workers running, the last one stops it; a later pool starts anew."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _TWO_CRAWLS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-2000:]


_ONE_PAGE = """
import asyncio
from archiver.crawl.pool import ExtractionWorkers

async def main():
    workers = ExtractionWorkers(processes=1, timeout=60)
    try:
        print(await workers.run(abs, -5), flush=True)
    finally:
        workers.close()

asyncio.run(main())
"""


def test_workers_start_under_a_temporary_folder_too_deep_for_a_unix_socket(tmp_path: Path) -> None:
    """The forkserver listens on a Unix socket in the temporary folder, whose path may hold 107 bytes:
    under a deeper TMPDIR the workers are spawned instead of the crawl failing every page."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(deep)}
    done = subprocess.run([sys.executable, "-c", _ONE_PAGE], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "5", done.stderr[-2000:]
    assert list(deep.iterdir()) == []  # the workers' temporary folder is gone with them
