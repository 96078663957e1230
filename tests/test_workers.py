"""Extraction workers: results from real worker processes, a time limit, recovery after it."""

from __future__ import annotations

import asyncio
import json
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
import json
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


def test_a_worker_is_handed_its_next_pages_while_the_crawl_is_busy(tmp_path: Path) -> None:
    """The crawl's process hands each worker four pages at once: while its event loop is busy (a
    batch saved, the WARC file written), the worker goes on with the pages queued for it instead of
    waiting for the loop to send the next one (with two pages a worker, it sat idle)."""
    marks = [tmp_path / f"page-{n}" for n in range(4)]

    async def scenario() -> list[bool]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            pages = [asyncio.ensure_future(workers.run(os.mkdir, str(mark))) for mark in marks]
            await asyncio.sleep(0)  # each page is handed to the pool, up to the limit
            deadline = time.monotonic() + 30
            while not marks[-1].exists() and time.monotonic() < deadline:
                time.sleep(0.05)  # the loop is busy: nothing more is handed to the pool meanwhile
            ran_while_busy = [mark.exists() for mark in marks]
            await asyncio.gather(*pages)
            return ran_while_busy
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [True] * 4


def test_a_worker_is_written_the_next_waiting_page_when_its_result_is_read(tmp_path: Path) -> None:
    """One worker, five pages: four go to its pipe, the fifth waits in the pool. When the first
    result is read, the fifth page is written to the worker at once, not once the crawl's code that
    waited for that result has run: here that code keeps the event loop busy (as a batch of articles
    saved does), and the worker runs the fifth page meanwhile (before, it was handed to the pool only
    after the busy code let the loop turn, the worker idle until then)."""
    mark = tmp_path / "fifth-page"

    async def scenario() -> bool:
        workers = ExtractionWorkers(processes=1, timeout=60)

        async def first() -> bool:
            await workers.run(time.sleep, 0.2)
            deadline = time.monotonic() + 10
            while not mark.exists() and time.monotonic() < deadline:
                time.sleep(0.05)  # the crawl's code after its page: the loop is busy
            return mark.exists()

        try:
            pages = [first(), *(workers.run(time.sleep, 0.2) for _ in range(3)), workers.run(os.mkdir, str(mark))]
            ran_while_busy, *_ = await asyncio.gather(*pages)
            return bool(ran_while_busy)
        finally:
            workers.close()

    assert asyncio.run(scenario())


def test_a_page_queued_behind_others_has_its_own_time_limit() -> None:
    """Pages queued behind several others start their clock when the worker is free for them: four
    pages of 1 s each in one worker, under a 2.5 s limit, all finish (the last one 4 s after it was
    handed to the pool, 3 s after the first finished)."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 2.5
            return list(await asyncio.gather(*(workers.run(time.sleep, 1.0) for _ in range(4))))
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [None] * 4


def test_a_page_the_crawl_stopped_waiting_for_still_holds_its_worker() -> None:
    """A page whose wait the crawl cancels keeps running in its worker: the page queued behind it
    starts its clock when that page ends, not when the crawl stopped waiting (2 s pages, 3 s limit)."""

    async def scenario() -> object:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 3
            first = asyncio.ensure_future(workers.run(time.sleep, 2.0))
            await asyncio.sleep(0)  # handed to the pool
            second = asyncio.ensure_future(workers.run(time.sleep, 2.0))
            await asyncio.sleep(0.2)  # the worker runs the first page, the second is queued behind it
            first.cancel()
            return await second
        finally:
            workers.close()

    assert asyncio.run(scenario()) is None


def test_pages_given_up_leave_asyncio_no_error_to_log(caplog: pytest.LogCaptureFixture) -> None:
    """Pages given up while others wait behind them: each is reported once, as ExtractionFailed, and
    asyncio logs no "exception was never retrieved" for the pool's futures of them."""
    import gc
    import logging

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 0.5
            pages = (workers.run(time.sleep, 5) for _ in range(4))
            return list(await asyncio.gather(*pages, return_exceptions=True))
        finally:
            workers.close()

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        results = asyncio.run(scenario())
        gc.collect()
    assert [type(r) for r in results] == [ExtractionFailed] * 4
    assert "never retrieved" not in caplog.text


def test_workers_replaced_with_pages_queued_many_times() -> None:
    """Workers replaced again and again while pages wait in the pool's queue (a 1 ms limit: most
    pages are given up, some before the pool's thread has handed them to a worker). The pool's
    thread ends each page itself: it never dies on a page this thread cancelled ("InvalidStateError:
    CANCELLED" in ``terminate_broken``, which left the pages behind it never ended), and every page
    ends, with its result or ExtractionFailed, well within a generous bound."""
    import threading

    async def scenario() -> list[tuple[object, float]]:
        workers = ExtractionWorkers(processes=2, timeout=60)

        async def page(seconds: float) -> tuple[object, float]:
            started = time.monotonic()
            try:
                outcome: object = await workers.run(time.sleep, seconds)
            except ExtractionFailed as exc:
                outcome = exc.kind
            return outcome, time.monotonic() - started

        try:
            await workers.run(abs, -1)  # the workers started, outside the clock
            workers.timeout = 0.001
            return list(await asyncio.gather(*(page(2.0 if n % 4 == 0 else 0.02) for n in range(16))))
        finally:
            workers.close()

    errors: list[BaseException | None] = []
    hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)
    try:
        ended = [ended for _ in range(20) for ended in asyncio.run(scenario())]
    finally:
        threading.excepthook = hook
    assert errors == []
    assert {outcome for outcome, _ in ended} <= {None, "timeout", "crashed"}
    assert max(seconds for _, seconds in ended) < 20  # no page waits on one the pool never ends


def test_a_page_handed_to_workers_one_of_which_just_died_runs_in_new_ones() -> None:
    """A worker dies (its page ends its process) and, before the event loop has seen it, the crawl
    hands the pool another page: that page runs in a new worker; the dead worker's page is reported
    as crashed (the pool refused new pages once broken, which reached the crawl as BrokenProcessPool)."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            worker = await workers.run(os.getpid)  # the worker started
            crashing = asyncio.ensure_future(workers.run(os._exit, 1))
            await asyncio.sleep(0)  # handed to the pool
            deadline = time.monotonic() + 30
            while _alive(worker) and time.monotonic() < deadline:
                time.sleep(0.05)  # the loop is busy: the crashed page's wait has not seen it yet
            assert not _alive(worker)
            after = await workers.run(abs, -2)
            failed = await asyncio.gather(crashing, return_exceptions=True)
            return [after, *(getattr(f, "kind", f) for f in failed)]
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [2, "crashed"]


#: Found first on PYTHONPATH by the script's interpreter and the forkserver (a fresh one): writes the
#: pid of each process that imports ``MARKED`` (a process forked with it imported finds it in
#: ``sys.modules`` and never asks the finders).
_SITECUSTOMIZE = """
import os, sys

class Marker:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["MARKED"]:
            with open(os.environ["MARKER_FILE"], "a") as f:
                f.write(f"{os.getpid()}\\n")
        return None

sys.meta_path.insert(0, Marker())
"""

_SCRIPT = """
import asyncio, json, os
from {module} import {name}  # as the archiver and scrapy scripts do
from archiver.crawl.pool import ExtractionWorkers

async def crawl():  # not main: the name the script imported
    workers = ExtractionWorkers(processes=2, timeout=60)
    try:
        pids = set()
        for _ in range(20):
            pids.update(await asyncio.gather(*(workers.run(os.getpid) for _ in range(4))))
        print(json.dumps(sorted(pids)), flush=True)
    finally:
        workers.close()

if __name__ == "__main__":
    asyncio.run(crawl())
"""


@pytest.mark.parametrize(("module", "name"), [("archiver.cli", "main"), ("scrapy.cmdline", "execute")])
def test_the_workers_find_what_the_crawl_script_imports_already_imported(
    tmp_path: Path, module: str, name: str
) -> None:
    """multiprocessing runs the crawl's main script (the ``archiver`` command, or ``scrapy``) again in
    every worker: what it imports is imported once, by the forkserver the workers are forked from, not
    by each worker (the ``archiver`` script's imports cost each worker 0.1-0.17 CPU s)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    (tmp_path / "crawl.py").write_text(_SCRIPT.format(module=module, name=name))
    marks = tmp_path / "marks"
    env = {**os.environ, "MARKER_FILE": str(marks), "MARKED": module, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run(
        [sys.executable, str(tmp_path / "crawl.py")], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    workers = set(json.loads(done.stdout))
    imported_by = {int(line) for line in marks.read_text().split()}
    # however many of the 2 workers the pool started (an idle one serves all the pages on a busy machine)
    assert workers and len(imported_by) == 2  # the script's process and the forkserver
    assert workers.isdisjoint(imported_by)


_HELPER_SCRIPT = """
import asyncio
import helper
from archiver.crawl.pool import ExtractionWorkers

async def main():
    workers = ExtractionWorkers(processes=1, timeout=60)
    try:
        print(helper.where(), await workers.run(helper.where), flush=True)
    finally:
        workers.close()

if __name__ == "__main__":
    asyncio.run(main())
"""


@pytest.mark.parametrize(
    "other_helper",
    ['def where():\n    return "the current folder\'s"\n', 'raise RuntimeError("not importable here")\n'],
    ids=["another-module", "one-that-fails"],
)
def test_a_crawl_script_run_from_another_folder_has_its_own_modules_in_the_workers(
    tmp_path: Path, other_helper: str
) -> None:
    """A script importing a module of its folder, run from a folder holding another module of that
    name: the workers run its own, as the script's process does (the forkserver runs in the current
    folder: a module of the script's imported there was the other one, or failed and took the
    forkserver and every worker with it)."""
    (tmp_path / "script").mkdir()
    (tmp_path / "script" / "helper.py").write_text('def where():\n    return "the script\'s"\n')
    (tmp_path / "script" / "crawl.py").write_text(_HELPER_SCRIPT)
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "helper.py").write_text(other_helper)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "script" / "crawl.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path / "here",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "the script's the script's"


def test_a_worker_leaves_what_it_started_with_out_of_the_garbage_collectors_passes() -> None:
    """The extraction stack a worker is forked with lives as long as it does: frozen out of the
    collector's full passes (which traversed it all for nothing) before the worker's first page."""
    import gc

    async def frozen() -> int:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            return await workers.run(gc.get_freeze_count)
        finally:
            workers.close()

    assert asyncio.run(frozen()) > 10_000  # the objects of the modules it was forked with


def _pid_after(seconds: float) -> int:
    """A page of ``seconds`` that tells which worker ran it."""
    time.sleep(seconds)
    return os.getpid()


def test_the_crawls_process_runs_no_thread_for_the_workers() -> None:
    """Pages go to the workers and come back through the event loop itself: no thread of the crawl's
    process is woken per page (a ProcessPoolExecutor ran two: its manager and its queue's feeder)."""
    import threading

    async def scenario() -> tuple[list[object], list[str]]:
        workers = ExtractionWorkers(processes=2, timeout=60)
        try:
            results = list(await asyncio.gather(*(workers.run(abs, -n) for n in range(20))))
            return results, [thread.name for thread in threading.enumerate()]
        finally:
            workers.close()

    before = [thread.name for thread in threading.enumerate()]
    results, during = asyncio.run(scenario())
    assert results == list(range(20))
    assert during == before


def test_a_page_given_up_stops_its_own_worker_only() -> None:
    """A page past its time limit stops the worker running it; the page running beside it in the
    other worker goes on there and ends with its result (all the workers were replaced, and that page
    ran again from its start in a new one)."""

    async def scenario() -> tuple[set[int], object, int]:
        workers = ExtractionWorkers(processes=2, timeout=60)
        try:
            started = set(await asyncio.gather(workers.run(_pid_after, 0.5), workers.run(_pid_after, 0.5)))
            workers.timeout = 2
            stuck = asyncio.ensure_future(workers.run(time.sleep, 30))
            await asyncio.sleep(1)  # it runs in one worker
            beside = await workers.run(_pid_after, 1.5)  # the other worker, while the stuck page is given up
            failed = (await asyncio.gather(stuck, return_exceptions=True))[0]
            return started, getattr(failed, "kind", failed), beside
        finally:
            workers.close()

    started, failed, beside = asyncio.run(scenario())
    assert len(started) == 2
    assert failed == "timeout"
    assert beside in started


def test_a_result_written_before_its_worker_died_is_kept() -> None:
    """A worker ends one page, then dies on the next, before the event loop reads either: the first
    page keeps its result (read before the end of the pipe), only the second is reported as crashed."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            worker = await workers.run(os.getpid)  # the worker started
            pages = [asyncio.ensure_future(workers.run(abs, -7)), asyncio.ensure_future(workers.run(os._exit, 1))]
            await asyncio.sleep(0)  # both handed to the worker
            deadline = time.monotonic() + 30
            while _alive(worker) and time.monotonic() < deadline:
                time.sleep(0.05)  # the loop is busy: it reads the result and the worker's end at once
            outcomes = await asyncio.gather(*pages, return_exceptions=True)
            return [getattr(outcome, "kind", outcome) for outcome in outcomes]
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [7, "crashed"]


def test_a_page_past_its_limit_that_ended_while_the_loop_was_busy_is_given_up() -> None:
    """A page that ran past its time limit is given up even when it ended before the event loop,
    busy elsewhere, could stop it: the worker says how long it took."""

    async def scenario() -> object:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 0.5
            page = asyncio.ensure_future(workers.run(time.sleep, 1.0))
            await asyncio.sleep(0)  # handed to the worker
            time.sleep(2)  # the loop is busy until after the page ended
            outcome = (await asyncio.gather(page, return_exceptions=True))[0]
            return getattr(outcome, "kind", outcome)
        finally:
            workers.close()

    assert asyncio.run(scenario()) == "timeout"


def test_pages_still_waiting_in_the_pool_end_when_it_is_closed() -> None:
    """Pages no worker had room for yet (the one worker held by pages the crawl stopped waiting for)
    end as crashed when the pool is closed; none is left pending for ever."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started
            holding = [asyncio.ensure_future(workers.run(time.sleep, 1)) for _ in range(4)]
            await asyncio.sleep(0.1)
            for wait in holding:
                wait.cancel()  # the pages still hold the worker's four places
            await asyncio.sleep(0)
            waiting = [asyncio.ensure_future(workers.run(abs, -n)) for n in range(4)]
            await asyncio.sleep(0.1)  # handed to the pool: they wait for a place
        finally:
            workers.close()
        outcomes = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 10)
        return [getattr(outcome, "kind", outcome) for outcome in outcomes]

    assert asyncio.run(scenario()) == ["crashed"] * 4


def test_ctrl_c_leaves_the_page_a_worker_runs_to_end() -> None:
    """SIGINT (Ctrl-C reaches the whole process group) to a worker in the middle of a page: the
    worker ignores it and the page ends with its result; the crawl's own process decides how to stop
    (the worker raised KeyboardInterrupt, which the crawl's loop raised again, with a traceback)."""
    import signal

    async def scenario() -> object:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            worker = await workers.run(os.getpid)  # the worker started
            page = asyncio.ensure_future(workers.run(_pid_after, 1.0))
            await asyncio.sleep(0.3)  # the worker runs the page
            os.kill(worker, signal.SIGINT)
            return await page == worker
        finally:
            workers.close()

    assert asyncio.run(scenario()) is True


def test_a_page_that_exits_its_worker_is_reported_as_crashed() -> None:
    """A page raising SystemExit (or KeyboardInterrupt) in its worker fails as ExtractionFailed; it
    is not raised again in the crawl's process, where it would stop the crawl."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            outcomes = await asyncio.gather(workers.run(sys.exit, 0), workers.run(abs, -4), return_exceptions=True)
            return [getattr(outcome, "kind", outcome) for outcome in outcomes]
        finally:
            workers.close()

    assert asyncio.run(scenario()) == ["crashed", 4]


class _TwoArgError(Exception):
    """An exception its pickle cannot make again: ``__init__`` takes two arguments, ``args`` holds one."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def _raise_two_arg_error() -> None:
    raise _TwoArgError("bad", "page")


def _only_here(pid: int) -> int:
    """Made again from a pickle only in the process ``pid`` (the worker that wrote it)."""
    if os.getpid() != pid:
        raise ValueError("not this process")
    return pid


class _WorkerOnly:
    """A value the crawl's process cannot read back from its pickle."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return _only_here, (os.getpid(),)


def test_an_exception_that_cannot_be_sent_back_is_named_in_a_runtime_error() -> None:
    """An exception a page raised that its pickle cannot make again reaches the crawl as a
    RuntimeError naming it, with the worker's traceback (it was an unrelated TypeError, raised while
    reading it); the worker goes on with the next page."""

    async def scenario() -> tuple[BaseException, object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            failed = (await asyncio.gather(workers.run(_raise_two_arg_error), return_exceptions=True))[0]
            return failed, await workers.run(abs, -5)
        finally:
            workers.close()

    failed, after = asyncio.run(scenario())
    assert type(failed) is RuntimeError
    assert "_TwoArgError('bad page')" in str(failed)
    assert "_raise_two_arg_error" in str(failed.__cause__)  # the worker's traceback
    assert after == 5


def test_a_result_the_crawls_process_cannot_read_is_reported_as_crashed() -> None:
    """A page's result whose pickle cannot be read in the crawl's process fails as ExtractionFailed,
    not with the error raised while reading it."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            outcomes = await asyncio.gather(workers.run(_WorkerOnly), workers.run(abs, -6), return_exceptions=True)
            return [getattr(outcome, "kind", outcome) for outcome in outcomes]
        finally:
            workers.close()

    assert asyncio.run(scenario()) == ["crashed", 6]


def _results_pipe() -> int:
    """In a worker: the descriptor it writes its results to."""
    frame = sys._getframe()
    while frame.f_code.co_name != "_work":
        assert frame.f_back is not None
        frame = frame.f_back
    return int(frame.f_locals["writer"])


def _write_extra_result() -> int:
    """A page whose worker writes one result more than it was asked for (then its own)."""
    import pickle
    import struct

    data = pickle.dumps((True, 99, "", 0.0))
    os.write(_results_pipe(), struct.pack("!Q", len(data)) + data)
    return 1


def _write_huge_header() -> int:
    """A page whose worker announces a result of 1 TiB (then writes its own)."""
    import struct

    os.write(_results_pipe(), struct.pack("!Q", 1 << 40))
    return 1


def test_a_worker_writing_what_was_not_asked_for_is_treated_as_crashed() -> None:
    """A worker that writes a result it was not asked for, or announces one over 1 GiB, is stopped
    as crashed: no error in the event loop's callbacks (an IndexError for the result with no page
    waiting), no page waiting for a TiB until its time limit; the next pages run in a new worker."""

    async def scenario() -> tuple[list[object], list[object]]:
        loop = asyncio.get_running_loop()
        errors: list[object] = []
        loop.set_exception_handler(lambda _, context: errors.append(context.get("exception")))
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 20
            extra = await asyncio.gather(workers.run(_write_extra_result), return_exceptions=True)
            await asyncio.sleep(0.5)  # the worker's own result comes, with no page waiting for it
            after_extra = await workers.run(abs, -2)
            huge = await asyncio.gather(workers.run(_write_huge_header), return_exceptions=True)
            after_huge = await workers.run(abs, -3)
            outcomes = [*extra, after_extra, *huge, after_huge]
            return [getattr(outcome, "kind", outcome) for outcome in outcomes], errors
        finally:
            workers.close()

    outcomes, errors = asyncio.run(scenario())
    assert errors == []
    assert outcomes[1:] == [2, "crashed", 3]  # the first page's result is the worker's word: either of its two


def _length(data: bytes) -> int:
    return len(data)


def _bytes_of(size: int) -> bytes:
    return bytes(range(256)) * (size // 256)


def test_pages_and_results_larger_than_the_pipes_arrive_whole() -> None:
    """Pages larger than the pipe to a worker (1 MiB: the rest is written when the event loop finds
    room) and results larger than the pipe back (64 KiB: read in pieces) arrive whole and in order;
    many small results read at once each end their own page."""

    async def scenario() -> tuple[list[int], list[bytes], list[int]]:
        workers = ExtractionWorkers(processes=2, timeout=60)
        try:
            pages = [bytes([n]) * (3 << 20) for n in range(6)]
            lengths = list(await asyncio.gather(*(workers.run(_length, page) for page in pages)))
            results = list(await asyncio.gather(*(workers.run(_bytes_of, 256 * (1000 + n)) for n in range(6))))
            small = list(await asyncio.gather(*(workers.run(abs, -n) for n in range(300))))
            return lengths, results, small
        finally:
            workers.close()

    lengths, results, small = asyncio.run(scenario())
    assert lengths == [3 << 20] * 6
    assert results == [bytes(range(256)) * (1000 + n) for n in range(6)]
    assert small == list(range(300))


def test_a_page_that_waited_in_the_pool_has_its_own_time_limit() -> None:
    """Pages beyond a worker's four wait in the pool, not in its pipe: their clock starts when the
    worker is free for them, not when they were handed to the pool. Seven pages of 1 s in one
    worker under a 2.5 s limit: the last waited 6 s, and all finish."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started, outside the clock
            workers.timeout = 2.5
            return list(await asyncio.gather(*(workers.run(time.sleep, 1.0) for _ in range(7))))
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [None] * 7


def _append_line(path: str, line: str) -> None:
    with open(path, "a") as file:
        file.write(line + "\n")


def test_pages_waiting_in_the_pool_run_first_come_first_served(tmp_path: Path) -> None:
    """One worker held by four pages; the ten pages handed after them wait in the pool and are
    written to its pipe, so run, in the order they came."""
    log = tmp_path / "order"

    async def scenario() -> list[str]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started
            holding = [workers.run(time.sleep, 0.2) for _ in range(4)]
            waiting = [workers.run(_append_line, str(log), str(n)) for n in range(10)]
            await asyncio.gather(*holding, *waiting)
            return log.read_text().split()
        finally:
            workers.close()

    assert asyncio.run(scenario()) == [str(n) for n in range(10)]


def test_a_page_no_worker_could_be_started_for_fails_as_crashed_and_leaves_no_page_behind() -> None:
    """No worker can be started (here: no file descriptor left for its pipes, EMFILE): each page
    fails as crashed, in its own caller's wait, and none is left in the pool (before, the first
    caller got the OSError, its page left waiting, and the next caller got the OSError of handing
    that page). Once descriptors are free again, the pool starts its worker."""
    import resource

    async def scenario() -> tuple[list[object], int, object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        probe = os.open(os.devnull, os.O_RDONLY)  # the lowest free descriptor: none at or above it left
        os.close(probe)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (probe, hard))
            try:
                outcomes = await asyncio.wait_for(
                    asyncio.gather(*(workers.run(abs, -n) for n in range(3)), return_exceptions=True), 10
                )
            finally:
                resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
            left = len(workers._waiting)
            return [getattr(outcome, "kind", outcome) for outcome in outcomes], left, await workers.run(abs, -7)
        finally:
            workers.close()

    assert asyncio.run(scenario()) == (["crashed"] * 3, 0, 7)


_PICKLED: list[int] = []


class _CountsItsPickling:
    """An argument that notes in the crawl's process each time it is pickled."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        _PICKLED.append(os.getpid())
        return (_CountsItsPickling, ())


def test_a_page_waiting_in_the_pool_is_pickled_only_when_written_to_a_worker() -> None:
    """A page beyond the worker's four waits in the pool with its arguments as they are, not pickled
    (the pool bounds nothing waiting in it: a caller that hands it thousands of pages would hold each
    twice); it is pickled once, when a worker has room for it."""
    _PICKLED.clear()

    async def scenario() -> tuple[int, object, int]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)  # the worker started
            holding = [asyncio.ensure_future(workers.run(time.sleep, 0.3)) for _ in range(4)]
            waiting = asyncio.ensure_future(workers.run(repr, _CountsItsPickling()))
            await asyncio.sleep(0.1)  # handed to the pool: the worker still runs the first of the four
            before = len(_PICKLED)
            value = await waiting
            await asyncio.gather(*holding)
            return before, value, len(_PICKLED)
        finally:
            workers.close()

    before, value, after = asyncio.run(scenario())
    assert (before, after) == (0, 1)
    assert "_CountsItsPickling" in str(value)


def test_a_page_that_cannot_be_pickled_fails_in_its_own_callers_wait() -> None:
    """A page whose arguments pickle refuses, waiting behind others, fails with pickle's error in its
    own caller's wait, not in the caller whose result let it be written; the pages around it run."""

    async def scenario() -> list[object]:
        workers = ExtractionWorkers(processes=1, timeout=60)
        try:
            await workers.run(abs, -1)
            pages = [workers.run(time.sleep, 0.1) for _ in range(4)]
            pages += [workers.run(repr, lambda: None), workers.run(abs, -5)]
            outcomes = await asyncio.gather(*pages, return_exceptions=True)
            return [type(outcome).__name__ if isinstance(outcome, Exception) else outcome for outcome in outcomes]
        finally:
            workers.close()

    outcomes = asyncio.run(scenario())
    assert outcomes[:4] == [None] * 4 and outcomes[5] == 5
    assert outcomes[4] in ("PicklingError", "AttributeError")


#: Whether this process's forkserver runs: its pid a child of this process that has not exited (not
#: reaped: ``WNOWAIT``), not its command line in /proc, which is empty while the forkserver execs.
_FORKSERVER_ALIVE = """
import multiprocessing.forkserver, os

def forkservers():
    pid = multiprocessing.forkserver._forkserver._forkserver_pid
    if pid is None:
        return 0
    try:
        return int(os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None)
    except ChildProcessError:
        return 0
"""

_POOL_MADE = (
    _FORKSERVER_ALIVE
    + """
from archiver.crawl.pool import ExtractionWorkers

before = forkservers()
workers = ExtractionWorkers(processes=1, timeout=60)
made = forkservers()
workers.close()
print(before, made, forkservers(), flush=True)
"""
)


def test_the_forkserver_starts_when_the_pool_is_made() -> None:
    """The forkserver imports the extraction stack from the moment the pool is made (a crawl's spider,
    before its engine starts), not from its first page, whose extraction (and the crawl's event loop)
    waited for those imports; closing the pool stops it, even when no page came (in a process of its
    own: no other pool's forkserver there)."""
    done = subprocess.run([sys.executable, "-c", _POOL_MADE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "1", "0"]


_EXIT_MARK = """
import atexit, os, sys

@atexit.register
def mark():
    with open(os.environ["EXIT_MARKS"], "a") as f:
        f.write(f"{os.getpid()}\\n")
"""

#: A pool of one worker that extracts one page (``abs(-1)``) and closes; ``pool`` imported before.
_ONE_PAGE_MAIN = """
async def main():
    workers = pool.ExtractionWorkers(processes=1, timeout=60)
    try:
        assert await workers.run(abs, -1) == 1
    finally:
        workers.close()
"""

_EXITING = (
    """
import asyncio, os
import exitmark
from archiver.crawl import pool

pool.PRELOAD.append("exitmark")
"""
    + _ONE_PAGE_MAIN
    + """    print(os.getpid(), flush=True)

asyncio.run(main())
"""
)


def test_the_forkserver_is_stopped_without_running_its_interpreters_exit(tmp_path: Path) -> None:
    """The forkserver is killed when the last pool closes: asked to exit, it ran its interpreter's exit
    (its ``atexit`` handlers, the teardown of the extraction stack it imported, ~0.1 CPU s) while the
    crawl's end waited for it. A preloaded module's exit handler runs in the crawl's process only."""
    (tmp_path / "exitmark.py").write_text(_EXIT_MARK)
    marks = tmp_path / "marks"
    env = {**os.environ, "EXIT_MARKS": str(marks), "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _EXITING], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert marks.read_text().split() == [done.stdout.strip()]


_FAILED_THEN_NORMAL = (
    _FORKSERVER_ALIVE
    + """
import asyncio, sys
from pathlib import Path
from archiver.crawl import pool
from archiver.crawl.runner import run_crawl

folder = Path(sys.argv[1])
run_crawl(["http://127.0.0.1:9/"], folder / "archive.db", folder / "exports",
          {"ITEM_PIPELINES": '{"no.such.Pipeline": 1}'}, log_dir=None)
print(pool._pools_open, flush=True)
"""
    + _ONE_PAGE_MAIN
    + """
asyncio.run(main())
print(pool._pools_open, forkservers(), flush=True)
"""
)


def test_a_crawl_that_fails_before_its_engine_starts_leaves_the_forkserver_to_the_next_close(tmp_path: Path) -> None:
    """A crawl whose engine cannot be made (a pipeline that does not exist) made its spider, and with
    it the pool and its forkserver, but never closes the pool: it does not count as open, so the next
    pool's close stops the forkserver (it was left running for good, and counted)."""
    script = [sys.executable, "-c", _FAILED_THEN_NORMAL, str(tmp_path)]
    done = subprocess.run(script, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "0", "0"]


_OTHER_USER = (
    _FORKSERVER_ALIVE
    + """
import asyncio, multiprocessing
from archiver.crawl.pool import ExtractionWorkers

async def main():
    workers = ExtractionWorkers(processes=1, timeout=60)
    context = multiprocessing.get_context("forkserver")  # the same process-wide forkserver
    reader, writer = context.Pipe(duplex=False)
    other = context.Process(target=reader.recv)  # runs until it is sent something
    other.start()
    try:
        assert await workers.run(abs, -1) == 1
    finally:
        workers.close()
    print(other.is_alive(), forkservers(), flush=True)
    writer.send(None)
    other.join(30)
    print(other.exitcode, flush=True)

asyncio.run(main())
"""
)


def test_the_forkserver_is_left_to_other_processes_started_from_it() -> None:
    """The forkserver is the process's, not the pool's: a process other code started from it (Python
    3.14's default) still runs when the last pool closes, so the forkserver is left running; stopped,
    it took that process's exit code with it (seen as ended, code 255, while it still ran)."""
    done = subprocess.run([sys.executable, "-c", _OTHER_USER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "1", "0"]
