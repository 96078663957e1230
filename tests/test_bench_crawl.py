"""The crawl benchmark's own helpers (``benchmarks/bench_crawl.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_crawl
from benchmarks.bench_crawl import Run, TreeSampler, read_page_cpu_at_once, reap, workers_without_startup


def test_read_page_at_once_says_in_one_line_that_its_processes_failed(tmp_path: Path) -> None:
    """The processes of the cores' sharing reference failing (here: no site to read) stop the benchmark
    with one line saying so and the last line of the error, not a ``float`` of their empty output."""
    with pytest.raises(SystemExit) as stopped:
        read_page_cpu_at_once(tmp_path / "no-site", "http://127.0.0.1:9/", 2)
    message = str(stopped.value)
    assert message.startswith("bench_crawl: read_page in 2 processes at once failed: ")
    assert "\n" not in message and len(message) > len("bench_crawl: read_page in 2 processes at once failed: ")


FORKSERVER = "/usr/bin/python3 -c from multiprocessing.forkserver import main; main(8, 9, ['archiver.extract'])"
TRACKER = "/usr/bin/python3 -c from multiprocessing.resource_tracker import main;main(7)"
SPAWNED = "/usr/bin/python3 -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=7, pipe_handle=10)"


def _sampler(cpu: dict[int, float], parent: dict[int, int], command: dict[int, str]) -> TreeSampler:
    sampler = TreeSampler(1)
    sampler.cpu, sampler.parent, sampler.command = cpu, parent, command
    return sampler


def test_the_workers_wait_in_the_middle_of_their_work_leaves_their_start_and_end_out() -> None:
    """A worker that slept its first and last 10 s (the crawl's start, its last pages) and ran all the
    time in between waited half its life, but nothing in the middle of its work; the forkserver is not
    a worker, and its CPU is the start-up."""
    sampler = _sampler({1: 50.0, 2: 20.0, 3: 0.5}, {2: 3, 3: 1}, {1: "archiver crawl", 2: FORKSERVER, 3: FORKSERVER})
    sampler.series[2] = [(float(t), float(min(max(t - 10, 0), 20)), float(min(max(t - 10, 0), 20))) for t in range(41)]
    sampler.series[3] = [(0.0, 0.5, 0.5), (40.0, 0.5, 0.5)]
    for pid, series in sampler.series.items():
        sampler.wanted[pid] = series[-1][2]
        sampler.seen[pid] = (series[0][0], series[-1][0])
    assert sampler.workers(1) == [2]
    assert sampler.idle(1) == pytest.approx(0.5)
    assert sampler.steady_idle(1) == pytest.approx(0.0)
    assert sampler.startup_cpu(1) == pytest.approx(0.5)


def test_a_forkserver_with_a_tenth_of_a_workers_cpu_is_not_a_worker() -> None:
    """On a small site under load the forkserver's imports (2 s here) reach a tenth of a worker's CPU
    (19 s): told by its parentage and command line, it is still the start-up, not a third worker (which
    made the start-up 0 and counted the warm-up three times); the resource tracker is neither."""
    sampler = _sampler(
        {1: 50.0, 2: 19.0, 3: 2.0, 4: 0.03, 5: 18.0},
        {2: 3, 3: 1, 4: 1, 5: 3},
        {1: "archiver crawl", 2: FORKSERVER, 3: FORKSERVER, 4: TRACKER, 5: FORKSERVER},
    )
    assert sorted(sampler.workers(1)) == [2, 5]
    assert sampler.startup_cpu(1) == pytest.approx(2.0)


def test_spawned_workers_are_told_by_their_command_line() -> None:
    """Where the workers are spawned (no forkserver), they are the crawl's children started by
    ``multiprocessing.spawn``; the resource tracker is not one, and there is no start-up apart."""
    sampler = _sampler({1: 50.0, 2: 20.0, 3: 0.03, 4: 21.0}, {2: 1, 3: 1, 4: 1}, {2: SPAWNED, 3: TRACKER, 4: SPAWNED})
    assert sorted(sampler.workers(1)) == [2, 4]
    assert sampler.startup_cpu(1) == 0.0


def test_the_crawls_own_cpu_is_read_whole_when_it_exits() -> None:
    """The crawl's own CPU is read as it exits (a zombie, before it is reaped), not from the last 0.1 s
    sample: for a process without children it is its whole CPU as ``wait4`` reports it."""
    program = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    proc = subprocess.Popen([sys.executable, "-c", program])
    status, usage, own = reap(proc.pid)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    assert own >= 0.3
    assert own == pytest.approx(usage.ru_utime + usage.ru_stime, abs=0.03)


def test_the_workers_cpu_without_their_start_up() -> None:
    """The forkserver's CPU and each worker's first-page warm-up come out of the workers' CPU a page."""
    run = Run("b", 10.0, 1000, 25.0, 5.0, 0, 0, 0, 8.0, 0.0, 0.0, startup_cpu=1.0, workers_count=2)
    assert workers_without_startup(run, 3.0) == pytest.approx((22_000 - 1_000 - 6) / 1000)


def test_the_cores_left_idle_are_told_by_the_part_of_the_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    """A crawl on 2 cores sampled every second: its process alone at half a core for 4 s (its start),
    its two workers a core each from 3 s to 8 s, then the crawl's process alone again until it exits at
    11 s. The idle core-seconds are those of the start (1.5 a second for 3 s) and of the end (1.5 a
    second for 3 s); none in the workers' work; the parts add up to the whole crawl."""
    sampler = _sampler({}, {2: 4, 3: 4, 4: 1}, {1: "archiver crawl", 2: FORKSERVER, 3: FORKSERVER, 4: FORKSERVER})
    sampler.ticks = [float(t) for t in range(1, 11)]
    sampler.series[1] = [(t, 0.5 * t, 0.5 * t) for t in sampler.ticks]
    for worker in (2, 3):
        sampler.series[worker] = [(t, min(t - 3, 5.0), min(t - 3, 5.0)) for t in sampler.ticks if t >= 3]
    sampler.series[4] = [(t, 0.0, 0.0) for t in sampler.ticks]
    monkeypatch.setattr(bench_crawl, "CORES", 2)
    phases = sampler.phases(1, 0.0, 11.0, 15.5)
    assert [p.seconds for p in phases] == pytest.approx([4.0, 0.0, 4.0, 0.0, 3.0])
    assert sum(p.cpu for p in phases) == pytest.approx(15.5)
    assert [p.idle for p in phases] == pytest.approx([4.5, 0.0, 0.0, 0.0, 4.5])
    busy = sampler.busy(0.0, step=2.0)
    assert [b for b, _ in busy] == [w for _, w in busy] == pytest.approx([0.5, 1.5, 2.5, 2.5, 0.5])


def test_the_cores_wanted_count_the_time_a_process_waited_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same crawl under others' load: each process runnable twice as long as it ran (it waited
    for a core as long as it had one). Its process wants a core from the start and gets half; from 3 s
    to 8 s its two workers want a core each and get half. What the crawl wanted, not what it got, says
    where a machine of its own would have idled: 1 core a second for its first 3 s (its process
    wanted 1 of 2), none from 3 s to 8 s (3 cores wanted), 1 a second from 8 s to 10 s, and 1.5 in its
    last second (after the last sample: 0.5 CPU s, counted as wanted as much as run)."""
    sampler = _sampler({}, {2: 4, 3: 4, 4: 1}, {1: "archiver crawl", 2: FORKSERVER, 3: FORKSERVER, 4: FORKSERVER})
    sampler.ticks = [float(t) for t in range(1, 11)]
    sampler.series[1] = [(t, 0.5 * t, 1.0 * t) for t in sampler.ticks]
    for worker in (2, 3):
        sampler.series[worker] = [(t, 0.5 * min(t - 3, 5.0), min(t - 3, 5.0)) for t in sampler.ticks if t >= 3]
    sampler.series[4] = [(t, 0.0, 0.0) for t in sampler.ticks]
    monkeypatch.setattr(bench_crawl, "CORES", 2)
    phases = sampler.phases(1, 0.0, 11.0, 10.5)
    assert [p.seconds for p in phases] == pytest.approx([4.0, 0.0, 4.0, 0.0, 3.0])
    assert [p.cpu for p in phases] == pytest.approx([3.0, 0.0, 6.0, 0.0, 1.5])
    assert [p.wanted for p in phases] == pytest.approx([6.0, 0.0, 12.0, 0.0, 2.5])
    assert [p.idle for p in phases] == pytest.approx([3.0, 0.0, 0.0, 0.0, 3.5])
    busy = sampler.busy(0.0, step=2.0)
    assert [b for b, _ in busy] == pytest.approx([0.5, 1.0, 1.5, 1.5, 0.5])
    assert [w for _, w in busy] == pytest.approx([1.0, 2.0, 3.0, 3.0, 1.0])
