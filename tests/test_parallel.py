"""archiver.warc.parallel: results in the order of the tasks, an error as raised, a dead worker said."""

from __future__ import annotations

import os
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from archiver.warc.parallel import Workers


def slow_square(context: int, task: int) -> tuple[int, int, int]:
    """The task squared, with the context and the worker's process id; early tasks take longest."""
    time.sleep(0.02 * (10 - task) if task < 10 else 0)
    return context, task * task, os.getpid()


def fails_on_three(context: int, task: int) -> int:
    if task == 3:
        raise ValueError(f"task {task}")
    return task


def dies_on_three(context: int, task: int) -> int:
    if task == 3:
        os._exit(1)
    return task


@pytest.mark.parametrize("processes", [0, 2])
def test_results_come_in_the_order_of_the_tasks(processes: int) -> None:
    with Workers(processes, 7) as workers:
        results = list(workers.map(slow_square, iter(range(20))))
    assert [(c, r) for c, r, _ in results] == [(7, n * n) for n in range(20)]
    pids = {pid for _, _, pid in results}
    assert (pids == {os.getpid()}) if processes == 0 else (os.getpid() not in pids and 1 <= len(pids) <= 2)


@pytest.mark.parametrize("processes", [0, 2])
def test_an_error_comes_out_as_raised_after_the_results_before_it(processes: int) -> None:
    got = []
    with Workers(processes, None) as workers, pytest.raises(ValueError, match="task 3"):
        for result in workers.map(fails_on_three, range(10)):
            got.append(result)
    assert got == [0, 1, 2]


def test_a_dead_worker_is_a_broken_pool() -> None:
    with Workers(2, None) as workers, pytest.raises(BrokenProcessPool):
        list(workers.map(dies_on_three, range(10)))
