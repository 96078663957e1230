"""The crawl benchmark's own helpers (``benchmarks/bench_crawl.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_crawl import Run, TreeSampler, read_page_cpu_at_once, workers_without_startup


def test_read_page_at_once_says_in_one_line_that_its_processes_failed(tmp_path: Path) -> None:
    """The processes of the cores' sharing reference failing (here: no site to read) stop the benchmark
    with one line saying so and the last line of the error, not a ``float`` of their empty output."""
    with pytest.raises(SystemExit) as stopped:
        read_page_cpu_at_once(tmp_path / "no-site", "http://127.0.0.1:9/", 2)
    message = str(stopped.value)
    assert message.startswith("bench_crawl: read_page in 2 processes at once failed: ")
    assert "\n" not in message and len(message) > len("bench_crawl: read_page in 2 processes at once failed: ")


def test_the_workers_wait_in_the_middle_of_their_work_leaves_their_start_and_end_out() -> None:
    """A worker that slept its first and last 10 s (the crawl's start, its last pages) and ran all the
    time in between waited half its life, but nothing in the middle of its work; the forkserver (little
    CPU) is not a worker, and its CPU is the start-up."""
    sampler = TreeSampler(1)
    sampler.cpu = {1: 50.0, 2: 20.0, 3: 0.5}  # the crawl's process, a worker, the forkserver
    sampler.series[2] = [(float(t), float(min(max(t - 10, 0), 20)), float(min(max(t - 10, 0), 20))) for t in range(41)]
    sampler.series[3] = [(0.0, 0.5, 0.5), (40.0, 0.5, 0.5)]
    for pid, series in sampler.series.items():
        sampler.wanted[pid] = series[-1][2]
        sampler.seen[pid] = (series[0][0], series[-1][0])
    assert sampler.workers(1) == [2]
    assert sampler.idle(1) == pytest.approx(0.5)
    assert sampler.steady_idle(1) == pytest.approx(0.0)
    assert sampler.startup_cpu(1) == pytest.approx(0.5)


def test_the_workers_cpu_without_their_start_up() -> None:
    """The forkserver's CPU and each worker's first-page warm-up come out of the workers' CPU a page."""
    run = Run("b", 10.0, 1000, 25.0, 5.0, 0, 0, 0, 8.0, 0.0, 0.0, startup_cpu=1.0, workers_count=2)
    assert workers_without_startup(run, 3.0) == pytest.approx((22_000 - 1_000 - 6) / 1000)
