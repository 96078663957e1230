"""``make bench-crawl``: the full archiver crawl beside bare Scrapy and Scrapy + trafilatura.

Usage: python -m benchmarks.bench_crawl [--pages N] [--comments N] [--rounds R] [--warmup] [--kinds sabc]
       [--set NAME=VALUE] [--keep DIR] [--compare SOURCE_FOLDER]
       python -m benchmarks.bench_crawl --scale 1000,20000

Generates a synthetic site (``benchmarks.sitegen``, N articles, default ``BENCH_CRAWL_PAGES`` or
2000), serves it with nginx on 127.0.0.1, checks that nginx alone serves at least 20 times faster
than the fastest crawl, then runs the crawls as separate processes, alternating them for R
rounds (``--warmup``: one more round first, printed and not counted, so that no crawl pays for cold
caches): (s) bare Scrapy written for this site (listing pages' links by CSS selector, nothing else),
(a) bare Scrapy following the same links as archiver, (b) ``archiver crawl`` into a fresh archive,
(c) Scrapy with trafilatura per page. Prints pages/s (median, min–max), CPU seconds of each
process tree, peak RSS, the ratios b/a and b/c, CPU ms per page of the crawl's own process and of
its extraction workers beside the baselines' and beside ``read_page`` run in one process on the
same pages, and archiver's accuracy against the generator's expected records. The workers' CPU
includes their start-up (the forkserver's imports, each worker's first page's warm-up), which a
small site spreads over few pages: it is printed apart, with the workers' CPU per page without it.
The workers' time waiting for a page is printed over their whole life and over the middle of their
work (10–90% of each one's CPU), the crawl's start and its last pages left out. Where the cores
idled: each archiver crawl's life is cut where its workers' work begins, passes 10% and 90% of their
CPU, and ends; each part's seconds, cores busy, cores wanted (running or runnable, summed from
``/proc/<pid>/schedstat`` sampled every 0.1 s) and the core-seconds none of its processes wanted
are printed, with the last round's cores busy and wanted over time (80 steps at most). Under others'
load a process waiting for a core counts as wanting it, and waits as well as runs: the cores wanted
then exceed what the crawl would keep busy on a quiet machine, and the core-seconds none wanted are
only a lower bound of what a quiet machine would leave idle. ``--comments N``
puts N comments on every article (default: 0–40). ``--scale`` crawls sites of the given sizes once
each with (a) and (b) (or ``--kinds``; ``--comments`` too) and prints time and peak memory per size: the
tree's, the crawl's process's and each other process's (the extraction workers, the forkserver). ``--compare FOLDER``
adds (p): ``archiver crawl`` run from another checkout's source (``FOLDER/archiver``, first on
``PYTHONPATH``, its extraction workers too), alternating with (b) round by round, so a change's
before and after are measured under the same load; ``benchmarks.same_archive`` then compares the
two archives of the last round. ``--kinds ...1`` adds (1): ``archiver crawl`` with one extraction process,
so that nothing shares a core. Beside ``read_page`` in one process, it is run in 2 and in 3 processes at
once (each on the whole site): the crawl's process and 2 workers are 3 busy processes on 2 cores, and
sharing them makes each page dearer by itself, hand-off or not; the workers' CPU per page is printed
against both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.sitegen import Expected, generate
from benchmarks.staticserver import Nginx, ensure_tools, serve_rate

#: The same speed settings for all three crawls: a local server needs no politeness.
SPEED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DEPTH_LIMIT": "0",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "False",
}
KINDS = {
    "s": "bare Scrapy for this site (CSS links)",
    "a": "bare Scrapy",
    "b": "archiver crawl",
    "p": "archiver crawl, --compare source",
    "1": "archiver crawl, 1 extraction process",
    "c": "Scrapy + trafilatura",
}
BASELINE_SPIDERS = {"s": "site", "a": "bare", "c": "trafilatura"}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants, as /proc shows them now."""
    tree, todo = [], [pid]
    while todo and len(tree) < 1000:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def scheduled_seconds(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting on a run queue) of one process's main thread so far, from
    ``/proc/<pid>/schedstat``; (0, 0) once it is gone. Their sum over the process's life is the time
    it wanted a CPU: the rest it slept (a worker: waiting for a page)."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            running, waiting, _ = f.read().split()
        return int(running) / 1e9, int(waiting) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 once it is gone; a zombie's: its whole life)."""
    return stat_cpu_seconds(f"/proc/{pid}/stat")


def stat_cpu_seconds(stat: str) -> float:
    """User + system CPU seconds from a ``/proc`` stat file (a process's, or a thread's
    ``/proc/<pid>/task/<tid>/stat``); 0 once it is gone."""
    try:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def _parent(pid: int) -> int:
    """The parent's pid (``/proc/<pid>/stat``), 0 once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _command_line(pid: int) -> str:
    """The process's command line, its arguments joined by spaces ("" once it is gone)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def reap(pid: int) -> tuple[int, os.struct_rusage, float]:
    """Wait for the child ``pid`` to exit: its wait status, its (and its reaped descendants') resource
    usage, and its own CPU seconds, read exactly from ``/proc`` while it is a zombie, before it is
    reaped (sampled every 0.1 s, up to 0.1 s of its end would be missed, counted as its workers')."""
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    own = cpu_seconds(pid)
    _, status, usage = os.wait4(pid, 0)
    return status, usage, own


class TreeSampler(threading.Thread):
    """Samples a process tree every 0.1 s: peak summed RSS, each process's peak RSS and CPU so far.

    The kernel's maxrss (``wait4``, and Scrapy's ``memusage/max``, which reads it) is no use here:
    Linux carries it across ``exec``, so a crawl started from this process reports this process's
    size when that is larger (263 MiB for every crawl after generating a 20,000-article site).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = 0
        self.rss: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.wanted: dict[int, float] = {}  # seconds running or runnable, last sampled
        self.seen: dict[int, tuple[float, float]] = {}  # first and last time sampled
        self.series: dict[int, list[tuple[float, float, float]]] = {}  # (time, CPU, wanted) at each sample
        self.parent: dict[int, int] = {}  # each process's parent, read when first sampled
        self.command: dict[int, str] = {}  # each process's command line, at its last sample
        self.ticks: list[float] = []  # the time of each sample, as ``series`` has it
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            tree = process_tree(self.pid)
            sizes = {p: _rss(p) for p in tree}
            self.peak_rss = max(self.peak_rss, sum(sizes.values()))
            now = time.monotonic()
            self.ticks.append(now)
            for p in tree:
                if p not in self.parent:
                    self.parent[p] = _parent(p)
                self.command[p] = _command_line(p) or self.command.get(p, "")  # again: before exec, the parent's
                self.rss[p] = max(self.rss.get(p, 0), sizes[p])
                self.cpu[p] = max(self.cpu.get(p, 0.0), cpu_seconds(p))
                self.wanted[p] = max(self.wanted.get(p, 0.0), sum(scheduled_seconds(p)))
                self.seen[p] = (self.seen.get(p, (now, now))[0], now)
                self.series.setdefault(p, []).append((now, self.cpu[p], self.wanted[p]))

    def forkservers(self, main: int) -> list[int]:
        """The forkserver: a child of ``main`` started as ``python -c 'from multiprocessing.forkserver
        ...'`` (its workers, forked from it, have its command line too, but it as their parent)."""
        return [
            p
            for p, command in self.command.items()
            if self.parent.get(p) == main and "multiprocessing.forkserver" in command
        ]

    def workers(self, main: int) -> list[int]:
        """The extraction workers, told by their parentage and command line, not by their CPU (the
        forkserver's imports can be a tenth of a worker's on a small site): the forkserver's children,
        or ``main``'s children started by ``multiprocessing.spawn`` (where the workers are spawned).
        Not the forkserver, nor the resource tracker."""
        servers = set(self.forkservers(main))
        return [
            p
            for p, command in self.command.items()
            if self.parent.get(p) in servers or (self.parent.get(p) == main and "multiprocessing.spawn" in command)
        ]

    def idle(self, main: int) -> float | None:
        """The share of their life the extraction workers slept (waiting for a page), their start
        (before the crawl's first articles) and their end (the crawl's last pages) included."""
        shares = [
            1 - self.wanted[p] / (self.seen[p][1] - self.seen[p][0])
            for p in self.workers(main)
            if self.seen[p][1] - self.seen[p][0] > 1
        ]
        return statistics.mean(shares) if shares else None

    def steady_idle(self, main: int, low: float = 0.1, high: float = 0.9) -> float | None:
        """The share of the time the extraction workers slept while they did the middle of their
        work (from ``low`` to ``high`` of each one's CPU): the crawl's start and its last pages left
        out, where a worker has nothing to do however well it is fed."""
        shares = []
        for p in self.workers(main):
            series = self.series[p]
            total = series[-1][1]
            inside = [s for s in series if low * total <= s[1] <= high * total]
            if len(inside) < 2 or inside[-1][0] - inside[0][0] <= 1:
                continue
            (t0, _, wanted0), (t1, _, wanted1) = inside[0], inside[-1]
            shares.append(1 - (wanted1 - wanted0) / (t1 - t0))
        return statistics.mean(shares) if shares else None

    def spent_at(self, pids: list[int], what: int = 1) -> list[float]:
        """What the processes ``pids`` had spent together at each sample (``ticks``): CPU seconds
        (``what`` 1) or seconds running or runnable (2); a process gone or not yet started counts what
        it had at its last sample."""
        total = [0.0] * len(self.ticks)
        index = {tick: i for i, tick in enumerate(self.ticks)}
        for p in pids:
            last, spent = 0, 0.0
            for sample in self.series.get(p, []):
                i = index[sample[0]]
                total[last:i] = [t + spent for t in total[last:i]]
                last, spent = i, sample[what]
            total[last:] = [t + spent for t in total[last:]]
        return total

    def phases(self, main: int, started: float, wall: float, cpu: float) -> list[Phase]:
        """The crawl's life cut where its extraction workers' work begins, reaches 10% and 90% of their
        CPU, and ends: each part's seconds, the tree's CPU in it, the time its processes wanted a core
        (running, or runnable and waiting for one: under others' load more than they would run on a
        machine of their own), and the core-seconds none of them wanted (a lower bound of a quiet
        machine's idle), summed sample by sample. ``started``: when the crawl was launched; ``wall`` and
        ``cpu``: its whole time and its tree's whole CPU (``wait4``), which close the last part (from
        the last sample to the exit, counted as wanted as much as run)."""
        workers = self.workers(main)
        if not workers or not self.ticks:
            return []
        everything = list(self.series)
        work = self.spent_at(workers)
        times = [started, *self.ticks, started + wall]
        tree = [0.0, *self.spent_at(everything)]
        wanted = [0.0, *self.spent_at(everything, 2)]
        tree.append(max(cpu, tree[-1]))
        wanted.append(wanted[-1] + tree[-1] - tree[-2])
        total = work[-1]

        def first(share: float) -> int:  # the point (in ``times``) where the workers passed this share
            return 1 + next((i for i, spent in enumerate(work) if spent > share * total), len(work) - 1)

        last = 1 + next((i for i in range(len(work) - 1, -1, -1) if work[i] < total), -1) + 1
        marks = [0, first(0.0), first(0.1), first(0.9), max(last, first(0.9)), len(times) - 1]
        parts = []
        for k, name in enumerate(PHASES):
            steps = range(marks[k] + 1, marks[k + 1] + 1)
            seconds = sum(times[j] - times[j - 1] for j in steps)
            used = sum(tree[j] - tree[j - 1] for j in steps)
            demand = [max(wanted[j] - wanted[j - 1], tree[j] - tree[j - 1]) for j in steps]
            idle = sum(max(CORES * (times[j] - times[j - 1]) - d, 0.0) for j, d in zip(steps, demand, strict=True))
            parts.append(Phase(name, seconds, used, sum(demand), idle))
        return parts

    def busy(self, started: float, step: float = 0.5) -> list[tuple[float, float]]:
        """The cores the whole tree kept busy, and those it wanted (running or runnable), in each
        ``step`` seconds from ``started``."""
        tree = self.spent_at(list(self.series))
        wanted = self.spent_at(list(self.series), 2)
        busy: list[tuple[float, float]] = []
        mark, spent, asked = started, 0.0, 0.0
        for now, cpu, want in zip(self.ticks, tree, wanted, strict=True):
            if now - mark >= step:
                busy.append(((cpu - spent) / (now - mark), max(want - asked, cpu - spent) / (now - mark)))
                mark, spent, asked = now, cpu, want
        return busy

    def startup_cpu(self, main: int) -> float:
        """CPU seconds of the forkserver (it imports the extraction stack once, before the first
        worker). Not multiprocessing's resource tracker (~0.02 s): Python 3.11 never reaps it, so its
        CPU is not in the crawl's ``wait4`` usage the workers' CPU is taken from."""
        return sum(self.cpu.get(p, 0.0) for p in self.forkservers(main))


#: The parts of a crawl's life ``TreeSampler.phases`` cuts it into, by the extraction workers' CPU.
PHASES = (
    "before the workers' first page (start-up, first fetches)",
    "the workers' first 10% of their CPU",
    "the middle (10-90%)",
    "their last 10%",
    "after their last page (closing)",
)

#: The cores the crawls may use (this process's affinity, which they inherit).
CORES = len(os.sched_getaffinity(0))


@dataclass
class Phase:
    """One part of a crawl's life: its seconds, and what its process tree did in them."""

    name: str
    seconds: float
    cpu: float  # CPU seconds the tree spent
    wanted: float  # seconds its processes ran or waited to run, summed
    idle: float  # core-seconds (of ``CORES``) none of its processes wanted


@dataclass
class Run:
    """One crawl: wall time, pages, CPU and memory of its process tree."""

    kind: str
    wall: float
    pages: int
    user: float
    system: float
    main_rss: int  # the crawl's own process, its peak sampled every 0.1 s
    max_rss: int  # the largest single process, sampled
    peak_tree_rss: int  # the whole tree summed, sampled
    main_cpu: float  # the crawl's own process, read when it exited
    load: float
    server_cpu: float
    stats: dict[str, object] = field(default_factory=dict)
    folder: Path | None = None
    workers_idle: float | None = None  # the share of their life the extraction workers slept
    others_rss: list[int] = field(default_factory=list)  # each other process's peak RSS, largest first
    workers_steady_idle: float | None = None  # the same, over the middle of their work only
    workers_count: int = 0  # the extraction workers that ran
    startup_cpu: float = 0.0  # the forkserver's CPU seconds (its imports), counted in the workers' CPU
    phases: list[Phase] = field(default_factory=list)  # archiver's crawls: where in the crawl the cores idled
    busy: list[tuple[float, float]] = field(default_factory=list)  # the tree's cores busy and wanted, by ``_step``

    @property
    def rate(self) -> float:
        return self.pages / self.wall

    @property
    def cpu(self) -> float:
        return self.user + self.system


#: Settings given with --set, for the archiver crawls (b), (p) and (1): to compare a setting's values,
#: run (p) from a copy of the tree whose default differs.
ARCHIVER_SETTINGS: dict[str, str] = {}
#: --compare: the source folder (p) runs archiver from.
COMPARE: list[Path] = []
ARCHIVER_KINDS = ("b", "p", "1")
#: Settings of an archiver crawl kind beyond ``--set``'s: (1) extracts in one worker, so that the crawl's
#: process and its worker have a core each (2 workers and the crawl's process share 2 cores).
KIND_SETTINGS = {"1": {"ARCHIVER_EXTRACT_PROCESSES": "1"}}


def _command(kind: str, url: str, folder: Path, extra: dict[str, str] | None = None) -> list[str]:
    settings = [arg for name, value in SPEED.items() for arg in ("-s", f"{name}={value}")]
    if kind in ARCHIVER_KINDS:
        archiver = str(Path(sys.executable).with_name("archiver"))
        chosen = {**ARCHIVER_SETTINGS, **KIND_SETTINGS.get(kind, {}), **(extra or {})}
        own = [arg for name, value in chosen.items() for arg in ("-s", f"{name}={value}")]
        return [archiver, "crawl", url, "--db", "archive.db", "--exports", "exports", *settings, *own]
    spider = BASELINE_SPIDERS[kind]
    return [sys.executable, "-m", "benchmarks.baseline_crawl", spider, url, "--stats", "stats.json", *settings]


def _stats(kind: str, folder: Path) -> dict[str, object]:
    if kind not in ARCHIVER_KINDS:
        return dict(json.loads((folder / "stats.json").read_text(encoding="utf-8")))
    conn = sqlite3.connect(folder / "archive.db")
    try:
        return dict(json.loads(conn.execute("SELECT stats FROM crawls ORDER BY started DESC LIMIT 1").fetchone()[0]))
    finally:
        conn.close()


def run_crawl(
    kind: str, url: str, workdir: Path, server_pid: int, extra: dict[str, str] | None = None, folder: Path | None = None
) -> Run:
    """One crawl in a fresh folder (or ``folder``) as a child process; its resource usage from wait4
    and /proc. ``extra``: settings for the archiver crawl (b) beside ``--set``'s."""
    folder = folder or Path(tempfile.mkdtemp(prefix=f"crawl-{kind}-", dir=workdir))
    source = COMPARE[0] if kind == "p" else Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(source)}
    load = os.getloadavg()[0]
    server_before = sum(cpu_seconds(p) for p in process_tree(server_pid))
    started = time.monotonic()
    with open(folder / "output.log", "wb") as log:
        proc = subprocess.Popen(
            _command(kind, url, folder, extra), cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            status, usage, main_cpu = reap(proc.pid)
        except BaseException:  # interrupted: stop the crawl (it stops its workers), then re-raise
            proc.terminate()
            proc.wait(timeout=60)
            raise
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stopped.set()
    sampler.join()
    if proc.returncode != 0:
        tail = (folder / "output.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"crawl {kind} failed with exit code {proc.returncode}:\n{tail}")
    stats = _stats(kind, folder)
    server_cpu = sum(cpu_seconds(p) for p in process_tree(server_pid)) - server_before
    return Run(
        kind,
        wall,
        int(str(stats.get("response_received_count", 0))),
        usage.ru_utime,
        usage.ru_stime,
        sampler.rss.get(proc.pid, 0),
        max(sampler.rss.values(), default=0),
        sampler.peak_rss,
        max(main_cpu, sampler.cpu.get(proc.pid, 0.0)),
        load,
        server_cpu,
        stats,
        folder,
        sampler.idle(proc.pid) if kind in ARCHIVER_KINDS else None,
        sorted((n for p, n in sampler.rss.items() if p != proc.pid), reverse=True),
        sampler.steady_idle(proc.pid) if kind in ARCHIVER_KINDS else None,
        len(sampler.workers(proc.pid)) if kind in ARCHIVER_KINDS else 0,
        sampler.startup_cpu(proc.pid) if kind in ARCHIVER_KINDS else 0.0,
        sampler.phases(proc.pid, started, wall, usage.ru_utime + usage.ru_stime) if kind in ARCHIVER_KINDS else [],
        sampler.busy(started, _step(wall)),
    )


# --- accuracy -----------------------------------------------------------------------------


def accuracy(db: Path, expected: list[Expected]) -> dict[str, tuple[int, int]]:
    """Per field, (right, of) for the archive's articles against the generator's records."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT canonical_url, title, authors, published, comment_count FROM articles").fetchall()
    finally:
        conn.close()
    found = {urlsplit(r["canonical_url"]).path: r for r in rows}
    right: Counter[str] = Counter()
    by_layout: Counter[str] = Counter()
    for e in expected:
        row = found.get(e.url)
        if row is None:
            continue
        right["archived"] += 1
        right["title"] += row["title"] == e.title
        right["authors"] += json.loads(row["authors"] or "[]") == e.authors
        right["date"] += (row["published"] or "")[:10] == e.published
        ok = row["comment_count"] == e.comments
        right["comment count"] += ok
        by_layout[f"comment count, {e.layout}"] += ok
    wanted = {e.url for e in expected}
    n = len(expected)
    result = {name: (right[name], n) for name in ("archived", "title", "authors", "date", "comment count")}
    for layout in sorted({e.layout for e in expected}):
        result[f"comment count, {layout}"] = (
            by_layout[f"comment count, {layout}"],
            sum(e.layout == layout for e in expected),
        )
    result["archived pages that are not articles"] = (sum(1 for path in found if path not in wanted), len(found))
    return result


# --- reporting ----------------------------------------------------------------------------


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def _spread(values: list[float], digits: int = 1) -> str:
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _range_share(values: list[float]) -> str:
    """(max - min) / median, as a percentage: how far the same crawl's rounds were apart."""
    return f"{100 * (max(values) - min(values)) / statistics.median(values):.0f} %" if len(values) > 1 else "–"


def machine() -> str:
    """One line about the machine and the versions that matter."""
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")
    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr.strip()
    names = ("scrapy", "trafilatura", "lxml", "twisted", "sqlite-utils")
    versions = ", ".join(f"{n} {version(n)}" for n in names)
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {versions}, {nginx}"


def report(runs: list[Run]) -> dict[str, float]:
    """Print the side-by-side table; return the median pages/s per kind."""
    print(
        "\n| crawl | pages | pages/s median (min–max) | pages/s spread | CPU s (tree) | of it the crawl process"
        " | cores busy | peak RSS tree MiB | largest process MiB | nginx CPU s | load before |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    medians = {}
    for kind, name in KINDS.items():
        mine = [r for r in runs if r.kind == kind]
        if not mine:
            continue
        medians[kind] = statistics.median(r.rate for r in mine)
        print(
            f"| ({kind}) {name} | {mine[0].pages} | {_spread([r.rate for r in mine])} "
            f"| {_range_share([r.rate for r in mine])} | {_spread([r.cpu for r in mine])} "
            f"| {_spread([r.main_cpu for r in mine])} | {_spread([r.cpu / r.wall for r in mine], 2)} "
            f"| {_mib(max(r.peak_tree_rss for r in mine))} | {_mib(max(r.max_rss for r in mine))} "
            f"| {_spread([r.server_cpu for r in mine])} | {', '.join(f'{r.load:.2f}' for r in mine)} |"
        )
    per_page(runs)
    phases_report(runs)
    if {"a", "b"} <= medians.keys():
        print(f"\nb/a = {medians['b'] / medians['a']:.2f} (target ≥ 0.5)")
    if {"b", "c"} <= medians.keys():
        print(f"b/c = {medians['b'] / medians['c']:.2f} (target ≥ 2)")
    pages = {r.kind: r.pages for r in runs}
    if len(set(pages.values())) > 1:
        print(f"note: the crawls fetched different numbers of pages: {pages}")
    return medians


def per_page(runs: list[Run]) -> None:
    """CPU ms per page: the whole tree, the crawl's own process, and (b) its extraction workers."""
    print(
        "\n| crawl | CPU ms/page (tree) | the crawl's process | the extraction workers"
        " | of it the forkserver's start-up | the workers' time waiting for a page: their whole life"
        " | the middle of their work (10–90% of their CPU) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind, name in KINDS.items():
        mine = [r for r in runs if r.kind == kind and r.pages]
        if not mine:
            continue
        archiver = kind in ARCHIVER_KINDS
        workers = _spread([1000 * (r.cpu - r.main_cpu) / r.pages for r in mine]) if archiver else "–"
        startup = _spread([1000 * r.startup_cpu / r.pages for r in mine], 2) if archiver else "–"
        idle = [100 * r.workers_idle for r in mine if r.workers_idle is not None]
        steady = [100 * r.workers_steady_idle for r in mine if r.workers_steady_idle is not None]
        print(
            f"| ({kind}) {name} | {_spread([1000 * r.cpu / r.pages for r in mine])} "
            f"| {_spread([1000 * r.main_cpu / r.pages for r in mine])} | {workers} | {startup} "
            f"| {_spread(idle, 0) + ' %' if idle else '–'} | {_spread(steady, 0) + ' %' if steady else '–'} |"
        )


def _step(wall: float) -> float:
    """The timeline's step: half a second, or longer for a long crawl (at most 80 steps)."""
    return max(0.5, wall / 80)


def phases_report(runs: list[Run]) -> None:
    """Where in archiver's crawls the cores went idle: per part of the crawl (``PHASES``), its seconds,
    the cores busy (CPU), the cores wanted (running, or runnable and waiting: under others' load the
    crawl's processes wait for cores they would have had on a quiet machine, so this exceeds what a
    quiet machine would keep busy) and the core-seconds none of its processes wanted (a lower bound of
    a quiet machine's idle) (medians of the rounds); and the last round's cores busy and wanted over
    time."""
    print(
        f"\n| crawl | part of the crawl | seconds | cores busy (of {CORES}) | cores wanted"
        " | core-seconds none wanted | share of them |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in KINDS:
        mine = [r for r in runs if r.kind == kind and r.phases]
        if not mine:
            continue
        idle = statistics.median(sum(p.idle for p in r.phases) for r in mine)
        for k, part in enumerate([*PHASES, "the whole crawl"]):
            phases = [r.phases[k] if k < len(PHASES) else _whole(r) for r in mine]
            timed = [p for p in phases if p.seconds > 0]
            lost = [p.idle for p in phases]
            print(
                f"| ({kind}) | {part} | {_spread([p.seconds for p in phases], 2)} "
                f"| {_spread([p.cpu / p.seconds for p in timed], 2) if timed else '–'} "
                f"| {_spread([p.wanted / p.seconds for p in timed], 2) if timed else '–'} "
                f"| {_spread(lost, 2)} | {100 * statistics.median(lost) / idle if idle else 0:.0f} % |"
            )
    for kind in KINDS:
        mine = [r for r in runs if r.kind == kind and r.busy]
        if mine:
            steps = " ".join(f"{busy:.1f}/{wanted:.1f}" for busy, wanted in mine[-1].busy)
            print(f"({kind}) last round, cores busy/wanted each {_step(mine[-1].wall):.1f} s: {steps}")


def _whole(run: Run) -> Phase:
    """A crawl's parts added up."""
    return Phase(
        "the whole crawl",
        sum(p.seconds for p in run.phases),
        sum(p.cpu for p in run.phases),
        sum(p.wanted for p in run.phases),
        sum(p.idle for p in run.phases),
    )


def workers_without_startup(run: Run, first_page_extra: float) -> float:
    """The extraction workers' CPU ms a page without their start-up: the forkserver's imports (measured
    in the crawl) and each worker's warm-up on its first page (``first_page_extra`` ms, measured as
    ``read_page``'s first page in a fresh process beyond its later pages'): what the workers cost a
    page on a site large enough that their start-up is nothing."""
    startup = 1000 * run.startup_cpu + run.workers_count * max(first_page_extra, 0.0)
    return (1000 * (run.cpu - run.main_cpu) - startup) / run.pages


def site_pages(site: Path, base: str) -> list[tuple[str, bytes]]:
    """The generated site's HTML pages with their URLs under ``base``, as the crawls fetch them."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = base + (relative.removesuffix("index.html") if path.name == "index.html" else relative)
        pages.append((url, path.read_bytes()))
    return pages


def read_page_cpu(site: Path, base: str) -> tuple[int, float, float]:
    """(pages, CPU ms per page, CPU ms of the first page) of ``read_page`` with link extraction on
    every page of the site, in this process, as the crawl's workers call it (the crawl's default
    minimum words, no profile). The first page is read once more before the measure, with what the
    extraction workers' forkserver imports already imported: its cost beyond the others' is the
    warm-up (caches, lazy imports) each worker pays on its first page."""
    import importlib
    from datetime import UTC, datetime

    from archiver.crawl.pool import PRELOAD
    from archiver.crawl.spiders.scope import SiteRules
    from archiver.extract import read_page
    from archiver.settings import declared

    for module in PRELOAD:
        if module != "__main__":
            importlib.import_module(module)
    min_words = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
    follow = SiteRules.of([base]).follow
    pages = site_pages(site, base)
    now = datetime.now(UTC)
    started = time.process_time()
    read_page(pages[0][1], pages[0][0], now, min_words, None, "text/html", follow, "utf-8")  # imports, caches
    first = time.process_time() - started
    started = time.process_time()
    for url, body in pages:
        read_page(body, url, now, min_words, None, "text/html", follow, "utf-8")
    return len(pages), 1000 * (time.process_time() - started) / len(pages), 1000 * first


def read_page_cpu_at_once(site: Path, base: str, processes: int) -> list[float]:
    """CPU ms per page of ``read_page_cpu`` run in ``processes`` processes at once, each on the whole site:
    what sharing the cores costs extraction alone, with no hand-off (3 processes: as busy as the crawl's
    process and its 2 workers on 2 cores)."""
    code = (
        "from pathlib import Path; from benchmarks.bench_crawl import read_page_cpu; "
        f"print(read_page_cpu(Path({str(site)!r}), {base!r})[1])"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", code], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    try:
        results = []
        for proc in running:
            out, err = proc.communicate(timeout=3600)
            if proc.returncode != 0:
                lines = err.strip().splitlines() or [f"exit status {proc.returncode}"]
                raise SystemExit(f"bench_crawl: read_page in {processes} processes at once failed: {lines[-1]}")
            results.append(float(out))
        return results
    finally:
        for proc in running:  # the others, when one failed or ran out of time
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=60)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def _serve_check(server: Nginx, expected: list[Expected]) -> float:
    rate = serve_rate(server.url, [e.url for e in expected], seconds=5)
    print(
        f"nginx alone ({rate.tool}, 32 connections, 5 s): {rate.per_second:,.0f} pages/s, "
        f"{rate.bytes / rate.seconds / 2**20:,.0f} MiB/s"
    )
    return rate.per_second


def bench(
    pages: int, rounds: int, workdir: Path, kinds: str, comments: int | None = None, warmup: bool = False
) -> None:
    """The side-by-side crawls on one generated site (``warmup``: a round of every kind first, printed
    and not counted)."""
    started = time.monotonic()
    expected = generate(workdir / "site", pages, comments=comments)
    shape = f"{comments} comments on every article" if comments is not None else "0-40 comments an article"
    print(f"site: {pages} articles ({shape}) generated in {time.monotonic() - started:.0f} s under {workdir / 'site'}")
    runs: list[Run] = []
    with Nginx(workdir / "site") as server:
        assert server.process is not None
        served = _serve_check(server, expected)
        for round_number in range(0 if warmup else 1, rounds + 1):
            for kind in kinds:
                run = run_crawl(kind, server.url + "/", workdir, server.process.pid)
                if round_number:
                    runs.append(run)
                print(
                    f"{f'round {round_number}' if round_number else 'warm-up round (not counted)'}"
                    f" ({kind}) {KINDS[kind]}: {run.pages} pages in {run.wall:.1f} s = "
                    f"{run.rate:.1f} pages/s, CPU {run.cpu:.1f} s, peak RSS {_mib(run.peak_tree_rss)} MiB, "
                    f"load {run.load:.2f}",
                    flush=True,
                )
        base = server.url + "/"
    medians = report(runs)
    if "b" in kinds:
        n, ms, first = read_page_cpu(workdir / "site", base)
        print(
            f"read_page with link extraction in one process, the same {n} pages: {ms:.1f} CPU ms/page;"
            f" its first page in a fresh process (the forkserver's imports done) {first:.1f} ms,"
            f" {first - ms:.1f} ms of warm-up"
        )
        # the cores' sharing alone: the crawl's process and 2 workers are 3 busy processes on 2 cores
        shared = {k: read_page_cpu_at_once(workdir / "site", base, k) for k in (2, 3)}
        for k, each in shared.items():
            print(f"read_page in {k} processes at once, each on the same pages: {_spread(each)} CPU ms/page")
        at_once = {k: statistics.median(each) for k, each in shared.items()}
        by_kind = {k: [r for r in runs if r.kind == k and r.pages] for k in KINDS}
        bare = statistics.median(1000 * r.main_cpu / r.pages for r in by_kind["s"]) if by_kind["s"] else None
        for kind in (k for k in ARCHIVER_KINDS if by_kind[k]):
            crawl = statistics.median(1000 * r.main_cpu / r.pages for r in by_kind[kind])
            workers = statistics.median(1000 * (r.cpu - r.main_cpu) / r.pages for r in by_kind[kind])
            target = "target ≤ 1.15" if kind != "1" else "context: the target is a crawl's with its default workers"
            print(f"({kind}) workers / read_page in one process = {workers / ms:.2f} ({target})")
            steady = statistics.median(workers_without_startup(r, first - ms) for r in by_kind[kind])
            print(
                f"({kind}) workers without their start-up (the forkserver's imports, each worker's first page's"
                f" warm-up) = {steady:.1f} CPU ms/page, / read_page in one process = {steady / ms:.2f}"
                " (what the ratio tends to on a large site)"
            )
            busy = 2 if kind == "1" else 3  # the crawl's process and its workers
            print(
                f"({kind}) workers / read_page in {busy} processes at once = {workers / at_once[busy]:.2f}"
                " (the hand-off's own cost is at least this: the reference's processes are always busy,"
                " the crawl's are not, so they share the cores more)"
            )
            if bare is not None:
                ratio = crawl / bare
                print(f"({kind}) crawl's process / site-specific bare Scrapy, CPU a page = {ratio:.2f} (target ≤ 1.5)")
                print(f"({kind})/(s) pages/s = {medians[kind] / medians['s']:.2f} (target ≥ 0.33)")
        if "p" in kinds:
            compare_archives(runs)
    fastest = max(medians.values())
    verdict = "not the bottleneck" if served >= 20 * fastest else "TOO SLOW to measure the crawls"
    print(f"nginx / fastest crawl = {served / fastest:.0f}x (≥ 20x: {verdict})")
    archived = [r for r in runs if r.kind == "b"]
    if archived and archived[-1].folder is not None:
        print("\narchiver crawl (b) against the generator's records:")
        for name, (right, of) in accuracy(archived[-1].folder / "archive.db", expected).items():
            print(f"  {name}: {right}/{of} ({right / of:.1%})")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def compare_archives(runs: list[Run]) -> None:
    """``benchmarks.same_archive`` of the last round's archives of (p) and (b)."""
    last = {r.kind: r.folder for r in runs if r.kind in ARCHIVER_KINDS}
    if last.get("p") is None or last.get("b") is None:
        return
    print("\nthe same archive, (p) against (b) of the last round (benchmarks.same_archive):", flush=True)
    archives = [str(last[kind]) + "/archive.db" for kind in ("p", "b")]
    command = [sys.executable, "-m", "benchmarks.same_archive", *archives]
    subprocess.run(command, check=False, cwd=Path(__file__).resolve().parent.parent)


def scale(sizes: list[int], workdir: Path, kinds: str, comments: int | None = None) -> None:
    """Time and peak memory of crawls (default (a) and (b)) of sites of the given sizes (``comments``:
    that many on every article, as ``--comments``)."""
    runs: list[tuple[int, Run]] = []
    shape = f"{comments} comments on every article" if comments is not None else "0-40 comments an article"
    for size in sizes:
        started = time.monotonic()
        site = workdir / f"site-{size}"
        generate(site, size, comments=comments)
        print(f"site: {size} articles ({shape}) generated in {time.monotonic() - started:.0f} s", flush=True)
        with Nginx(site) as server:
            assert server.process is not None
            for kind in kinds:
                run = run_crawl(kind, server.url + "/", workdir, server.process.pid)
                runs.append((size, run))
                print(f"{size} ({kind}): {run.pages} pages in {run.wall:.0f} s, load {run.load:.2f}", flush=True)
    print(
        "\n| site articles | crawl | pages | time s | pages/s | CPU s | the workers' CPU ms/page "
        "| of it the forkserver's start-up | peak RSS tree MiB "
        "| crawl process peak RSS MiB | the other processes' peak RSS MiB | load before |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, r in runs:
        others = ", ".join(_mib(n) for n in r.others_rss) or "–"
        archiver = r.kind in ARCHIVER_KINDS and r.pages
        workers = f"{1000 * (r.cpu - r.main_cpu) / r.pages:.1f}" if archiver else "–"
        startup = f"{1000 * r.startup_cpu / r.pages:.2f}" if archiver else "–"
        print(
            f"| {size:,} | ({r.kind}) {KINDS[r.kind]} | {r.pages:,} | {r.wall:.0f} | {r.rate:.1f} | {r.cpu:.0f} "
            f"| {workers} | {startup} | {_mib(r.peak_tree_rss)} | {_mib(r.main_rss)} | {others} | {r.load:.2f} |"
        )


def _interrupted(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("BENCH_CRAWL_PAGES", "2000")))
    parser.add_argument("--comments", type=int, help="this many comments on every article (default: 0-40)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warmup", action="store_true", help="first a round of every crawl, printed and not counted (caches warmed)"
    )
    parser.add_argument("--kinds", help="which crawls, in the order they alternate (default sabc; ab with --scale)")
    parser.add_argument("--scale", help="comma-separated site sizes: time and memory of (a) and (b) per size")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the archiver crawls (b), (p) and (1)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--compare", type=Path, help="(p): archiver crawl run from this source folder, beside (b)")
    args = parser.parse_args()
    ARCHIVER_SETTINGS.update(setting.split("=", 1) for setting in args.set)
    if ARCHIVER_SETTINGS:
        print(f"archiver crawls (b), (p) and (1) with {ARCHIVER_SETTINGS}")
    args.kinds = args.kinds or ("ab" if args.scale else "sabc")
    if args.compare:
        COMPARE.append(args.compare.resolve())
        args.kinds += "" if "p" in args.kinds else "p"
    elif "p" in args.kinds:
        parser.error("--kinds p needs --compare SOURCE_FOLDER")
    if set(args.kinds) - set(KINDS):
        parser.error(f"--kinds takes letters from {''.join(KINDS)}")
    # SIGTERM (and SIGINT, which a shell's background jobs ignore) end the run through the with
    # blocks, so the crawl in progress and nginx are stopped too.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    ensure_tools()
    print(machine())
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.scale:
            scale([int(n) for n in args.scale.split(",")], workdir, args.kinds, args.comments)
        else:
            bench(args.pages, args.rounds, workdir, args.kinds, args.comments, args.warmup)


if __name__ == "__main__":
    main()
