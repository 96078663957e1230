"""Page extraction in worker processes: the crawl's second core, and a time limit per page.

Scrapy runs in one thread; extraction is CPU-bound. ``ExtractionWorkers`` sends each page to a
process pool and awaits the result without blocking the crawl, so downloading and extracting
overlap on two cores. A page whose extraction runs past the limit (or crashes its worker) is
given up: the workers are replaced and the crawl goes on.

The workers are forked from a "forkserver": a fresh interpreter (nothing of the crawl's reactor,
threads or open files) that imports the extraction stack once; each worker, and each replacement
after a page given up, starts from it with everything imported, instead of importing it again
(0.5 CPU s a worker, spawned). multiprocessing runs the crawl's main script (the ``archiver``
command, or ``scrapy``) again in every worker; the forkserver has imported what that script imports
too (``MAIN_SCRIPTS``), so running it again imports nothing. Where the temporary folder's path is
too deep for the forkserver's Unix socket, the workers are spawned.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.util
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


#: What the forkserver imports once, before forking the workers: the extraction stack, with the
#: libraries ``archiver.extract.body`` imports only where it uses them, and what the workers run
#: (``archiver.crawl.hashing``). ``preload()`` adds the modules of ``MAIN_SCRIPTS``.
PRELOAD = [
    "__main__",  # imports nothing before Python 3.14: the forkserver asks spawn for a key it never gives
    "archiver.extract",
    "trafilatura",
    "trafilatura.metadata",
    "htmldate",
    "archiver.crawl.pool",
    "archiver.crawl.hashing",
]

#: What the scripts that start a crawl import: the ``archiver`` command's (``archiver.cli``) and
#: ``scrapy crawl``'s (``scrapy.cmdline``). multiprocessing runs the crawl's main script again in
#: every worker it starts, before its first page (as ``__mp_main__``, so that names of ``__main__``
#: can be unpickled there; the forkserver's own preload of ``__main__`` never happens on Python
#: 3.11-3.13): each worker imported ``archiver.cli`` and all it imports (click, sqlite-utils, the
#: archive: 76 modules, 0.1-0.17 CPU s a worker), or ``scrapy.cmdline`` (Scrapy and Twisted, 0.18
#: CPU s), unless the forkserver has them already.
MAIN_SCRIPTS = ["archiver.cli", "scrapy.cmdline"]


def preload() -> list[str]:
    """``PRELOAD``, and those of ``MAIN_SCRIPTS`` the crawl's process has imported (a crawl started
    by other code gets neither).

    Named, not found among the main script's names: the forkserver runs as ``python -c`` in the
    crawl's current folder, not the script's, so a module of the script's folder would be another
    module of the same name there, or none, or one that fails to import and takes the forkserver
    with it.
    """
    return PRELOAD + [name for name in MAIN_SCRIPTS if name in sys.modules]


def _start_worker(crawl: int) -> None:
    """In a worker, before its first page: what it started with (the extraction stack and all it
    imported) leaves the garbage collector's full passes, and it watches the crawl that started it.

    The preloaded modules' objects live as long as the worker: a full collection traversed them all
    for nothing, about 0.2 CPU ms a page of the generated bench site, 0.06 with them frozen
    (``gc.freeze``, benchmarks/RESULTS.md). What it buys is CPU: the collector no longer writes to
    those objects, but using them still changes their reference counts, so the pages of those the
    worker uses are copied from the forkserver's all the same.
    """
    gc.freeze()
    _exit_with_parent(crawl)


def _exit_with_parent(crawl: int) -> None:
    """In a worker: exit as soon as the crawl that started it is gone (even killed with SIGKILL).

    The worker is a child of the forkserver, which lives as long as its workers do: the worker
    watches the crawl's process itself (a pidfd, readable once that process has ended).
    """
    try:
        watched = os.pidfd_open(crawl)
    except ProcessLookupError:
        os._exit(1)
    except OSError:  # no pidfd (a kernel before 5.3): look every half second
        watched = None

    def watch() -> None:
        if watched is not None:
            poller = select.poll()
            poller.register(watched, select.POLLIN)
            poller.poll()  # no timeout: returns once the pidfd is readable, the crawl's process gone
        else:
            while _running(crawl):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="archiver-parent-watch").start()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Most workers "auto" starts: one crawl process feeds about this many (it costs ~15 CPU ms a page
#: to fetch, schedule and store, a worker ~20-30 ms to extract), and each holds ~85 MiB.
AUTO_MAX_PROCESSES = 4


def extract_processes(value: int | str) -> int:
    """ARCHIVER_EXTRACT_PROCESSES (as ``read_setting`` reads it) as a number: "auto" is one worker
    per available core, at most 4."""
    if value == "auto":
        return min(len(os.sched_getaffinity(0)), AUTO_MAX_PROCESSES)
    return int(value)


#: Pages handed to the pool per worker process, the one it runs included: enough queued that a
#: worker finds its next page at once while the crawl's process is busy elsewhere (a batch saved,
#: the WARC file written, its own turn on a shared core), few enough that the pages in flight stay a
#: handful of bodies. With two, the workers waited for pages (benchmarks/RESULTS.md, "The crawl's
#: own overhead": the extraction workers kept busy).
PAGES_PER_PROCESS = 4


class ExtractionFailed(Exception):
    """Extraction of one page was given up; ``kind`` is "timeout" or "crashed"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class ExtractionWorkers:
    """Runs functions in ``processes`` worker processes (0: in this process, with no time limit).

    Up to ``PAGES_PER_PROCESS`` pages per process are handed to the pool, so a worker finds its next
    pages queued while the crawl's process is busy; a page queued behind others starts its clock when
    a worker is free for it, so its time limit counts its own extraction, not the wait. When one page
    is given up, the workers are replaced; pages that were running beside it are run again in the new
    workers.
    """

    def __init__(self, processes: int, timeout: float) -> None:
        self.processes = processes
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0
        self._slots: asyncio.Semaphore | None = None
        # each page handed to the pool, in order: the pool's generation, its future, and one on this
        # loop that says when it ended (never cancelled, so a page the crawl stopped waiting for is
        # still seen running)
        self._running: list[tuple[int, Future[Any], asyncio.Future[Any]]] = []
        self._counted = False  # counted in _pools_open

    def _pool(self) -> ProcessPoolExecutor:
        global _pools_open
        if not self._counted:
            self._counted = True
            _pools_open += 1
        if self._executor is None:
            # forked from the forkserver: workers never inherit the crawl's reactor, threads or open files
            context = multiprocessing.get_context(_start_method())
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(preload())  # read when the server starts: once per crawl process
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return self._executor

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """function(*args) in a worker, or ExtractionFailed after ``timeout`` seconds of work."""
        if self.processes == 0:
            return function(*args)
        if self._slots is None:
            self._slots = asyncio.Semaphore(PAGES_PER_PROCESS * self.processes)
        async with self._slots:
            for _ in range(3):
                generation = self._generation
                ahead = [ended for g, f, ended in self._running if g == generation and not f.done()]
                try:
                    future = self._pool().submit(function, *args)
                except BrokenProcessPool:  # a worker died, and no page waiting on it has replaced them yet
                    self._replace(generation)
                    continue
                ended = asyncio.wrap_future(future)
                ended.add_done_callback(_retrieved)
                entry = (generation, future, ended)
                self._running.append(entry)
                try:
                    await self._turn(ahead)  # queued: the clock starts when a worker is free for it
                    # shielded: a wait that ends (the time limit, the crawl cancelling) never cancels
                    # the pool's future from this thread; only the pool's own thread ends its futures
                    return await asyncio.wait_for(asyncio.shield(ended), self.timeout)
                except TimeoutError:
                    self._replace(generation)
                    raise ExtractionFailed("timeout", f"extraction took more than {self.timeout:g} s") from None
                except (BrokenProcessPool, asyncio.CancelledError):
                    if not _ended_by_pool(ended) or _cancelling():
                        raise  # the crawl itself is cancelling this page
                    if self._generation == generation:
                        self._replace(generation)
                        raise ExtractionFailed("crashed", "the extraction worker died") from None
                    # the workers were replaced for another page while this one ran: run it again
                finally:
                    self._running.remove(entry)
        raise ExtractionFailed("crashed", "the extraction workers kept being replaced")

    async def _turn(self, ahead: list[asyncio.Future[Any]]) -> None:
        """Wait until a worker is free for the page handed to the pool behind ``ahead``: the pool
        runs pages in the order it is given them, so once fewer than ``processes`` of them are
        unfinished (a page the crawl stopped waiting for still holds its worker until it ends).
        Each wait is bounded: a page ahead is given up after its own time limit."""
        while True:
            unfinished = [ended for ended in ahead if not ended.done()]
            if len(unfinished) < self.processes:
                return
            done, _ = await asyncio.wait(unfinished, timeout=2 * self.timeout, return_when=FIRST_COMPLETED)
            if not done:
                return

    def _replace(self, generation: int) -> None:
        """Stop the workers (a stuck one cannot be interrupted otherwise); new ones start on demand."""
        if generation != self._generation:
            return
        self._generation += 1
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for process in list(getattr(executor, "_processes", {}).values()):  # no public API for this
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers at the end of the crawl, and their forkserver once no pool uses it."""
        global _pools_open
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self._counted:
            self._counted = False
            _pools_open -= 1
            if _pools_open == 0:
                _stop_forkserver()


def _ended_by_pool(ended: asyncio.Future[Any]) -> bool:
    """The pool gave the page up: its workers were stopped (BrokenProcessPool) or it was dropped
    from the queue when they were replaced (cancelled by the pool's thread, never by this one)."""
    return ended.done() and (ended.cancelled() or isinstance(ended.exception(), BrokenProcessPool))


def _cancelling() -> bool:
    """The task running this page is being cancelled (by the crawl)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _retrieved(ended: asyncio.Future[Any]) -> None:
    """Mark a page's outcome as seen (its own wait reports it), so asyncio logs no error for it."""
    if not ended.cancelled():
        ended.exception()


#: The longest path a Unix socket may have (its final NUL aside): 107 bytes on Linux, 103 on macOS.
_SOCKET_PATH_MAX = 103


def _start_method() -> str:
    """ "forkserver", unless the socket it listens on cannot be made in the temporary folder (a deep
    ``TMPDIR``: the path would be too long for a Unix socket); then "spawn", each worker importing
    the extraction stack itself."""
    listener = os.path.join(multiprocessing.util.get_temp_dir(), "listener-" + "x" * 8)  # as forkserver names it
    return "forkserver" if len(os.fsencode(listener)) <= _SOCKET_PATH_MAX else "spawn"


#: Pools that have started workers and are not closed: the crawls of a sources file run at once in
#: one process and share its forkserver, which is stopped when the last of them closes.
_pools_open = 0


def _stop_forkserver() -> None:
    """Stop the forkserver and wait for it (it exits once this process and its last worker let go of
    it). It is the crawl's child, so that its CPU and its workers' count in the crawl's (``time
    archiver crawl``, ``wait4``), and it does not outlive the crawl. A later pool starts a new one."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # no public API for this (Python 3.11-3.13)
    if stop is not None:
        stop()
