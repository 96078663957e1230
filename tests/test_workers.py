"""Extraction workers: results from real worker processes, a time limit, recovery after it."""

from __future__ import annotations

import asyncio
import time

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
