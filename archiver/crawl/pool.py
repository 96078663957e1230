"""Page extraction in worker processes: the crawl's second core, and a time limit per page.

Scrapy runs in one thread; extraction is CPU-bound. ``ExtractionWorkers`` writes each page to a
worker process's pipe and awaits the result without blocking the crawl, so downloading and
extracting overlap on two cores; the crawl's event loop itself reads and writes the pipes (no
thread of the crawl's process is woken per page). A page whose extraction runs past the limit (or
crashes its worker) is given up: its worker is replaced and the crawl goes on.

The workers are forked from a "forkserver": a fresh interpreter (nothing of the crawl's reactor,
threads or open files) that imports the extraction stack once; each worker, and each replacement
after a page given up, starts from it with everything imported, instead of importing it again
(0.5 CPU s a worker, spawned). The forkserver starts when the pool is made (a crawl's spider, before
its engine starts), so that its imports run beside the crawl's start, and it is killed when the last
pool closes. multiprocessing runs the crawl's main script (the ``archiver`` command, or ``scrapy``)
again in every worker; the forkserver has imported what that script imports too (``MAIN_SCRIPTS``),
so running it again imports nothing. Where the temporary folder's path is too deep for the
forkserver's Unix socket, the workers are spawned.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fcntl
import gc
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.util
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
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
    imported) leaves the garbage collector's full passes, it ignores Ctrl-C (SIGINT reaches the whole
    process group: the crawl's process stops the crawl, and closes the workers), and it watches the
    crawl that started it.

    The preloaded modules' objects live as long as the worker: a full collection traversed them all
    for nothing, about 0.2 CPU ms a page of the generated bench site, 0.06 with them frozen
    (``gc.freeze``, benchmarks/RESULTS.md). What it buys is CPU: the collector no longer writes to
    those objects, but using them still changes their reference counts, so the pages of those the
    worker uses are copied from the forkserver's all the same.
    """
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


#: Pages written to a worker process's pipe, the one it runs included: enough queued that a worker
#: finds its next page at once while the crawl's process is busy elsewhere (a batch saved, the WARC
#: file written, its own turn on a shared core), few enough that a worker replaced after a page given
#: up hands on a handful. With two, the workers waited for pages (benchmarks/RESULTS.md, "The crawl's
#: own overhead": the extraction workers kept busy). The pages beyond these wait in the pool; how
#: many is the crawl's to bound (Scrapy's ``CONCURRENT_REQUESTS`` and its scraper's limit on the
#: responses it holds): each is a page the crawl holds anyway, waiting for its extraction.
PAGES_PER_PROCESS = 4


class ExtractionFailed(Exception):
    """Extraction of one page was given up; ``kind`` is "timeout" or "crashed"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


#: How many times a page is handed to new workers after those it was in ended under other pages.
_TRIES = 3

#: Each message between the crawl's process and a worker: its length, then its pickle.
_HEADER = struct.Struct("!Q")

#: The largest message a worker may announce (a result is a few hundred KiB at most): a larger
#: length is a worker writing what it should not, treated as crashed.
_MESSAGE_MAX = 1 << 30

#: The pipe that carries pages to a worker is made this large where the system lets it (a Linux pipe
#: holds 64 KiB by default, less than four pages of 40 KB): the crawl's process writes a worker's
#: queued pages at once instead of finishing the writes when its loop is free again.
_PIPE_SIZE = 1 << 20


def _work(pages: Any, results: Any, crawl: int) -> None:
    """A worker's life: read a page's function and arguments, run it, write back its value or its
    exception; until the crawl's process closes the pipe of pages."""
    _start_worker(crawl)
    reader, writer = pages.fileno(), results.fileno()
    while True:
        message = _read_message(reader)
        if message is None:
            return
        data = _run_page(message)
        del message  # the page, its value and their pickles are freed before waiting for the next page
        _write_all(writer, _HEADER.pack(len(data)), data)
        del data


def _run_page(message: bytes) -> bytes:
    """In a worker: one page's function and arguments, run; its outcome, pickled."""
    started = time.monotonic()
    try:
        function, args = pickle.loads(message)
        value = function(*args)
        outcome: tuple[bool, Any, str, float] = (True, value, "", time.monotonic() - started)
    except BaseException as exc:  # raised again in the crawl's process, as a process pool does
        outcome = (False, _sendable(exc), "".join(traceback.format_exception(exc)), time.monotonic() - started)
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a value or exception that cannot be pickled
        failed = RuntimeError(f"the page's outcome could not be sent: {exc!r}")
        return pickle.dumps((False, failed, outcome[2], outcome[3]), pickle.HIGHEST_PROTOCOL)


def _sendable(exc: BaseException) -> BaseException:
    """The exception, or a RuntimeError naming it where it cannot be made again from its pickle (an
    ``__init__`` that takes other arguments than its ``args``): the crawl's process would fail to
    read it with an unrelated TypeError."""
    try:
        pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:
        return RuntimeError(f"{exc!r} (its exception could not be sent from the extraction worker)")
    return exc


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, as text: the cause of the one raised again."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def _read_message(fd: int) -> bytes | None:
    """One message from a blocking pipe; None once the other end closed it."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts = []
    while size:
        part = os.read(fd, size)
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _write_all(fd: int, *parts: bytes) -> None:
    data = memoryview(b"".join(parts))
    while data:
        data = data[os.write(fd, data) :]


class _Page:
    """A page handed to the pool: its function and arguments (pickled when it is first written to a
    worker, so that a page waiting in the pool is not held twice), and the future its outcome ends
    (never cancelled)."""

    __slots__ = ("abandoned", "call", "clock", "ended", "message", "tries")

    def __init__(
        self, call: tuple[Callable[..., Any], tuple[Any, ...]], ended: asyncio.Future[tuple[bool, Any, str, float]]
    ) -> None:
        self.call: tuple[Callable[..., Any], tuple[Any, ...]] | None = call
        self.message: bytes | None = None
        self.ended = ended
        self.clock: asyncio.TimerHandle | None = None
        self.tries = 0
        self.abandoned = False  # the crawl stopped waiting for it

    def pickled(self) -> bytes:
        """The page's message: its function and arguments, pickled once (kept for a replacement worker)."""
        if self.message is None:
            self.message = pickle.dumps(self.call, pickle.HIGHEST_PROTOCOL)
            self.call = None
        return self.message

    def end(self, outcome: tuple[bool, Any, str, float] | None = None, failed: BaseException | None = None) -> None:
        if self.clock is not None:
            self.clock.cancel()
            self.clock = None
        if self.ended.done():
            return
        if failed is not None:
            self.ended.set_exception(failed)
        else:
            self.ended.set_result(outcome)  # type: ignore[arg-type]


class _Worker:
    """One worker process, the pipes to it and from it (read and written by the event loop, never
    blocking it), and the pages handed to it, in order: the first is the one it runs."""

    def __init__(self, context: Any) -> None:
        page_reader, page_writer = context.Pipe(duplex=False)
        try:
            result_reader, result_writer = context.Pipe(duplex=False)
        except BaseException:
            page_reader.close()
            page_writer.close()
            raise
        self.process = context.Process(
            target=_work, args=(page_reader, result_writer, os.getpid()), daemon=True, name=_WORKER_NAME
        )
        try:
            self.process.start()
        except BaseException:
            page_writer.close()
            result_reader.close()
            raise
        finally:
            page_reader.close()  # the worker's ends: once it is gone, its pipes say so
            result_writer.close()
        self._pages_out, self._results_in = page_writer, result_reader
        self.out = page_writer.fileno()
        self.into = result_reader.fileno()
        os.set_blocking(self.out, False)
        os.set_blocking(self.into, False)
        resize = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
        if resize is not None:
            with contextlib.suppress(OSError):  # over the system's limit: the rest is written when there is room
                fcntl.fcntl(self.out, resize, _PIPE_SIZE)
        self.pages: collections.deque[_Page] = collections.deque()
        self.unsent = bytearray()
        self.received = bytearray()

    def close(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        self._pages_out.close()  # a worker still running reads the end of its pages and exits
        self._results_in.close()


class ExtractionWorkers:
    """Runs functions in ``processes`` worker processes (0: in this process, with no time limit).

    Up to ``PAGES_PER_PROCESS`` pages per process are written to the workers' pipes, so a worker
    finds its next pages queued while the crawl's process is busy; the pages beyond those wait in the
    pool (pickled only when written: a waiting page is not held twice), and the one first in line is
    written to a worker as soon as a result of that worker is read, in the same turn of the event loop
    (not once the crawl's code that waited for the result has run: a worker's queue is refilled however
    long that takes). A page queued behind others
    starts its clock when its worker is free for it (the pages ahead of it ended), so its time limit
    counts its own extraction, not the wait. A page given up stops its own worker (a stuck one cannot
    be interrupted otherwise); the pages queued behind it in that worker are handed to the others,
    or to the worker that replaces it. A page that ran past its limit but ended before the event loop
    saw it (busy elsewhere) is given up too: the worker says how long each page took.

    The pipes are read and written by the event loop itself (``add_reader``, ``add_writer``): no
    thread of the crawl's process is woken per page.
    """

    def __init__(self, processes: int, timeout: float) -> None:
        self.processes = processes
        self.timeout = timeout
        self._workers: list[_Worker] = []
        self._waiting: collections.deque[_Page] = collections.deque()  # no worker had room for them
        self._context: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._counted = False  # counted in _pools_open
        if processes > 0:
            self._prepare()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """function(*args) in a worker, or ExtractionFailed after ``timeout`` seconds of work.

        The pool does not bound how many calls wait in it: each waits, its arguments held (not yet
        pickled: no second copy of them) until a worker has room. A crawl bounds them (Scrapy's
        ``CONCURRENT_REQUESTS`` and its scraper's limit on the responses it holds); other code that
        starts many calls at once (a ``gather`` over thousands of items) holds all their arguments.
        """
        if self.processes == 0:
            return function(*args)
        page = _Page((function, args), asyncio.get_running_loop().create_future())
        page.ended.add_done_callback(_retrieved)
        self._waiting.append(page)  # after the pages that came before it
        try:
            self._hand_waiting()
        except BaseException:  # KeyboardInterrupt: this page is not left waiting for nobody
            if page in self._waiting:
                self._waiting.remove(page)
            raise
        try:
            # shielded: a wait the crawl cancels leaves the page in its worker until it ends
            ok, value, remote, _ = await asyncio.shield(page.ended)
        except asyncio.CancelledError:
            page.abandoned = True
            if page in self._waiting:
                self._waiting.remove(page)
            raise
        if not ok:
            if not isinstance(value, Exception):  # SystemExit, KeyboardInterrupt: the worker's, not the crawl's
                raise ExtractionFailed("crashed", f"the extraction worker raised {value!r}") from _RemoteTraceback(
                    remote
                )
            raise value from _RemoteTraceback(remote)
        return value

    def _prepare(self) -> None:
        """How the workers start, and their forkserver started now, when the pool is made (in a crawl:
        its spider, before the engine starts): its imports (0.4-0.9 CPU s) run on the other core while
        the crawl starts and fetches its first page. Started at the first page instead, they held up
        that page's extraction, and the event loop with it (starting a worker waits for the forkserver
        to answer, once its imports are done): nothing was fetched meanwhile, and nothing else can be
        until the first page's links are read. Where the forkserver cannot start now, the first
        worker's start tries again (multiprocessing's own start of the forkserver; it fails that page if it
        cannot either).

        The pool is counted in ``_pools_open`` only when it starts a worker: a crawl that fails before
        its engine starts made its spider (and this pool) but never closes it. Its forkserver, started
        here, is stopped by the next pool's close (or exits with this process)."""
        # forked from the forkserver: workers never inherit the crawl's reactor, threads or open files
        self._context = multiprocessing.get_context(_start_method())
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(preload())  # read when the server starts: once per crawl process
            with contextlib.suppress(Exception):  # no fork, no descriptor left: the first worker's start says so
                multiprocessing.forkserver.ensure_running()

    def _start(self) -> _Worker:
        global _pools_open
        if not self._counted:
            self._counted = True
            _pools_open += 1
        worker = _Worker(self._context)
        loop = self._loop = asyncio.get_running_loop()
        loop.add_reader(worker.into, self._readable, worker)
        self._workers.append(worker)
        return worker

    def _hand(self, page: _Page) -> None:
        """Write the page to the worker with the fewest pages, starting workers up to ``processes``."""
        while True:
            while len(self._workers) < self.processes:
                try:
                    self._start()
                except Exception as exc:  # no fork, no pipe (EMFILE), no forkserver: the page fails, not the caller
                    if self._workers:
                        break  # those running take it
                    page.end(failed=ExtractionFailed("crashed", f"no extraction worker could be started: {exc!r}"))
                    return
            worker = min(self._workers, key=lambda w: len(w.pages))
            if len(worker.pages) >= PAGES_PER_PROCESS:
                # filled by a replacement while this page's worker was found gone: still first in line
                self._waiting.appendleft(page)
                return
            if self._send(worker, page):
                return

    def _send(self, worker: _Worker, page: _Page) -> bool:
        """Write the page to the worker (the rest later, when its pipe has room); False when it is gone."""
        try:
            message = page.pickled()
        except Exception as exc:  # a function or argument pickle refuses: raised in its own caller's wait
            page.end(failed=exc)
            return True
        data = _HEADER.pack(len(message)) + message
        if not worker.unsent:
            try:
                written = os.write(worker.out, data)
            except BlockingIOError:
                written = 0
            except BrokenPipeError:  # it died, and its pipe was not read yet
                self._ended(worker)
                return False
            data = data[written:]
            if data:
                assert self._loop is not None
                self._loop.add_writer(worker.out, self._writable, worker)
        worker.unsent += data
        worker.pages.append(page)
        if len(worker.pages) == 1:
            self._start_clock(worker)
        return True

    def _writable(self, worker: _Worker) -> None:
        if worker not in self._workers:  # stopped in this turn of the loop: its descriptor may be another's now
            return
        try:
            written = os.write(worker.out, worker.unsent)
        except BlockingIOError:
            return
        except BrokenPipeError:
            self._ended(worker)
            return
        del worker.unsent[:written]
        if not worker.unsent:
            assert self._loop is not None
            self._loop.remove_writer(worker.out)

    def _start_clock(self, worker: _Worker) -> None:
        """The worker's first page runs now: its time limit starts."""
        assert self._loop is not None
        page = worker.pages[0]
        page.clock = self._loop.call_later(self.timeout, self._timed_out, worker, page)

    def _timed_out(self, worker: _Worker, page: _Page) -> None:
        if worker not in self._workers or not worker.pages or worker.pages[0] is not page:
            return
        page.clock = None
        self._ended(worker, self._past_limit())

    def _past_limit(self) -> ExtractionFailed:
        return ExtractionFailed("timeout", f"extraction took more than {self.timeout:g} s")

    def _readable(self, worker: _Worker) -> None:
        """Read what the worker wrote; end each page whose whole outcome came."""
        if worker not in self._workers:  # stopped in this turn of the loop: its descriptor may be another's now
            return
        gone = False
        while not gone:
            try:
                data = os.read(worker.into, 1 << 20)
            except BlockingIOError:
                break
            gone = not data  # the worker is gone, after writing what was read before
            worker.received += data
        received = worker.received
        while len(received) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(received)
            if size > _MESSAGE_MAX or not worker.pages:  # not a result it was asked for: it is broken
                self._ended(worker, ExtractionFailed("crashed", "the extraction worker wrote what was not a result"))
                return
            if len(received) < _HEADER.size + size:
                break
            message = bytes(memoryview(received)[_HEADER.size : _HEADER.size + size])
            del received[: _HEADER.size + size]
            page = worker.pages.popleft()
            try:
                outcome = pickle.loads(message)
                _, _, _, took = outcome
            except Exception as exc:  # a value this process cannot make again
                page.end(failed=ExtractionFailed("crashed", f"the page's outcome could not be read: {exc!r}"))
            else:
                if took > self.timeout:  # it ran past its limit, ended before the loop saw it
                    page.end(failed=self._past_limit())
                else:
                    page.end(outcome)
            if worker.pages:
                self._start_clock(worker)
        if gone:
            self._ended(worker)
        else:
            self._hand_waiting()

    def _ended(self, worker: _Worker, failed: ExtractionFailed | None = None) -> None:
        """The worker is gone (``failed`` None: it died) or is stopped (its first page given up):
        that page fails, the pages queued behind it go to the other workers or its replacement."""
        assert self._loop is not None
        self._workers.remove(worker)
        self._loop.remove_reader(worker.into)
        self._loop.remove_writer(worker.out)
        worker.close(kill=True)
        _reap(worker.process)
        pages = list(worker.pages)
        if pages:
            pages[0].end(failed=failed or ExtractionFailed("crashed", "the extraction worker died"))
        for page in reversed(pages[1:]):
            page.tries += 1
            if page.tries >= _TRIES:
                page.end(failed=ExtractionFailed("crashed", "the extraction workers kept being replaced"))
            elif not page.abandoned:
                self._waiting.appendleft(page)
        self._hand_waiting()

    def _hand_waiting(self) -> None:
        """Hand the pages that waited to workers with room for them, or to new ones."""
        while self._waiting and (
            len(self._workers) < self.processes or any(len(w.pages) < PAGES_PER_PROCESS for w in self._workers)
        ):
            self._hand(self._waiting.popleft())

    def close(self) -> None:
        """Stop the workers at the end of the crawl, and their forkserver once no pool uses it (nor
        any other process this one started with multiprocessing)."""
        global _pools_open
        workers, self._workers = self._workers, []
        for worker in workers:
            if self._loop is not None and not self._loop.is_closed():
                self._loop.remove_reader(worker.into)
                self._loop.remove_writer(worker.out)
            worker.close(kill=bool(worker.pages))  # an idle one exits on reading the end of its pipe
        for worker in workers:
            worker.process.join(5)
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join(5)
            for page in worker.pages:
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits for it
                    page.end(failed=ExtractionFailed("crashed", "the extraction workers were stopped"))
        waiting, self._waiting = self._waiting, collections.deque()
        for page in waiting:  # never handed to a worker: nothing else would end them
            with contextlib.suppress(RuntimeError):
                page.end(failed=ExtractionFailed("crashed", "the extraction workers were stopped"))
        if self._counted:
            self._counted = False
            _pools_open -= 1
        if self.processes > 0 and _pools_open == 0 and not _others_running():
            _stop_forkserver()


def _reap(process: Any) -> None:
    """Collect a stopped worker's exit without blocking the event loop for long."""
    process.join(0.5)


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


#: Pools that have started a worker (or tried to) and are not closed: the crawls of a sources file
#: run at once in one process and share its forkserver, which is stopped when the last of them closes
#: (a pool counts from its first worker's start, not from its making: a crawl that fails before its
#: engine starts never closes its pool).
_pools_open = 0


#: The workers' process name: what tells them from other processes this one started.
_WORKER_NAME = "archiver-extract"


def _others_running() -> bool:
    """Whether this process runs child processes of multiprocessing other than the pools' workers
    (all closed, or about to exit, when no pool is open). The forkserver is process-wide: other code
    of the crawl's process may have started processes from it (Python 3.14 starts them from a
    forkserver by default), and stopping it loses their exit codes (the parent sees 255 at once, while
    they still run), so it is left running for them (it exits with this process)."""
    return any(process.name != _WORKER_NAME for process in multiprocessing.active_children())


def _stop_forkserver() -> None:
    """Stop the forkserver and wait for it. It is the crawl's child, so that its CPU and its workers'
    count in the crawl's (``time archiver crawl``, ``wait4``), and it does not outlive the crawl. A
    later pool starts a new one.

    It is killed, not asked to exit: asked, it ran its interpreter's exit over the whole extraction
    stack it imported (about 0.1 CPU s), and the crawl's end waited for that; it holds nothing to save
    (its workers are stopped already, and its socket's file is removed here)."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # no public API for this (Python 3.11-3.13)
    if stop is None:
        return
    pid = getattr(server, "_forkserver_pid", None)
    if pid is not None:
        with contextlib.suppress(OSError):  # this process's child, not reaped yet: the pid is still its
            os.kill(pid, signal.SIGKILL)
    stop()
