"""Running an extraction over many pages in worker processes, results in the order of the pages.

``Workers(processes, context)`` starts ``processes`` worker processes ("spawn": nothing of the
caller is inherited), each given ``context`` once (the site profiles, the minimum words...);
``map(function, tasks)`` calls ``function(context, task)`` in them and yields the results in the
order of the tasks, with at most two tasks per process in flight, so memory stays bounded however
many tasks there are. ``processes=0`` calls the function in this process. An exception raised by
the function comes out of ``map`` as it was raised. Used by ``archiver import`` and ``archiver
reextract``; the crawl has its own pool (``archiver.crawl.pool``: asynchronous, with a time limit).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

#: Tasks handed to the pool per process: one running, one waiting, so no worker waits for the caller.
IN_FLIGHT_PER_PROCESS = 2

_context: Any = None  # in a worker: what ``Workers`` gave it


def _start(context: Any) -> None:
    global _context
    _context = context


def _call(function: Callable[[Any, T], R], task: T) -> R:
    return function(_context, task)


class Workers(Generic[C]):
    """A pool of ``processes`` extraction processes given ``context`` (0: this process); ``close`` stops them."""

    def __init__(self, processes: int, context: C) -> None:
        self.processes = processes
        self.context = context
        self._executor: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[C, T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``function(context, task)`` for each task, in order; ``function`` must be a module-level function."""
        if self.processes <= 0:
            for task in tasks:
                yield function(self.context, task)
            return
        executor = self._pool()
        running: deque[Future[R]] = deque()
        limit = IN_FLIGHT_PER_PROCESS * self.processes
        try:
            for task in tasks:
                running.append(executor.submit(_call, function, task))
                if len(running) >= limit:
                    yield running.popleft().result()
            while running:
                yield running.popleft().result()
        finally:
            for future in running:  # the caller stopped early: what was not started is not run
                future.cancel()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self.context,),
            )
        return self._executor

    def close(self) -> None:
        """Stop the worker processes (they are started again by the next ``map``)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> Workers[C]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
