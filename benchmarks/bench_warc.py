"""``make bench-warc``: what keeping raw captures (WARC files) costs a crawl, in CPU and in bytes.

Usage: python -m benchmarks.bench_warc [--pages N] [--rounds R] [--keep DIR]

On a generated site (``benchmarks.sitegen``, N articles of 30–60 KB, default ``BENCH_WARC_PAGES``
or 1000) served by nginx on 127.0.0.1:

1. ``archiver crawl`` with WARC capture on and off, alternating for R rounds (default 3), each
   into a fresh archive: pages/s, CPU seconds per page of the whole process tree (the crawl and
   its extraction processes) and of the crawl's own process, WARC bytes per page. Target: at most
   15% more CPU per page with WARC.
2. Three crawls into one archive, WARC on (conditional requests on, as by default): the first on
   an empty archive, the second after 1% of the articles were edited, the third after another 1%:
   WARC bytes each run wrote, per article of the site and per changed article, and its records
   (responses, revisits, 304s). nginx re-reads an edited file after a minute (its open file
   cache): the runs after an edit wait for that.
3. ``archiver export --format wacz`` of that archive (every article with every capture of its URL
   over the three runs), beside ``--format jsonl`` of the same archive: seconds, CPU seconds and
   peak RSS of the export process (its VmHWM, sampled every 20 ms), the file's size, and the summary line.
4. With ``--wacz-pages N``: the same WACZ export of an archive of N articles imported (``archiver
   import``) from ``make bench-warc-read``'s generated WARC (built once, cached), to show that the
   export's memory does not grow with the archive.
5. ``archiver reextract`` of that archive (every article read again from its latest capture,
   extracted, compared; nothing to change), in one process and in two extraction processes:
   articles per second of wall time and per CPU second of the whole process tree.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_crawl import Run, _interrupted, machine, run_crawl
from benchmarks.sitegen import Expected, generate
from benchmarks.staticserver import Nginx, ensure_tools

MODES = {"on": {"ARCHIVER_WARC_ENABLED": "True"}, "off": {"ARCHIVER_WARC_ENABLED": "False"}}


def warc_bytes(folder: Path) -> int:
    """Bytes of the WARC files beside the archive in ``folder``."""
    return sum(p.stat().st_size for p in (folder / "archive.db.warc").glob("*.warc.gz"))


def side_by_side(url: str, workdir: Path, server_pid: int, rounds: int) -> None:
    """Crawls with and without WARC, alternating, each into a fresh archive."""
    runs: dict[str, list[tuple[Run, int]]] = {mode: [] for mode in MODES}
    for round_number in range(1, rounds + 1):
        for mode, settings in MODES.items():
            run = run_crawl("b", url, workdir, server_pid, settings)
            assert run.folder is not None
            size = warc_bytes(run.folder) if mode == "on" else 0
            runs[mode].append((run, size))
            print(
                f"round {round_number}, WARC {mode}: {run.pages} pages in {run.wall:.1f} s = {run.rate:.1f} pages/s, "
                f"CPU {run.cpu:.1f} s ({1000 * run.cpu / run.pages:.1f} ms/page), WARC {size / 2**20:.1f} MiB, "
                f"load {run.load:.2f}",
                flush=True,
            )
    print(
        "\n| WARC | pages | pages/s median (min–max) | CPU ms/page, tree | CPU ms/page, crawl process"
        " | WARC bytes/page |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    per_page: dict[str, float] = {}
    for mode, found in runs.items():
        pages = found[0][0].pages
        rates = [r.rate for r, _ in found]
        tree = [1000 * r.cpu / r.pages for r, _ in found]
        main = [1000 * r.main_cpu / r.pages for r, _ in found]
        per_page[mode] = statistics.median(tree)
        size = statistics.median(s / r.pages for r, s in found)
        print(
            f"| {mode} | {pages} | {statistics.median(rates):.1f} ({min(rates):.1f}–{max(rates):.1f}) "
            f"| {statistics.median(tree):.1f} ({min(tree):.1f}–{max(tree):.1f}) "
            f"| {statistics.median(main):.1f} ({min(main):.1f}–{max(main):.1f}) | {size:,.0f} |"
        )
    print(f"\nCPU per page with WARC / without: {per_page['on'] / per_page['off']:.3f} (target ≤ 1.15)")


def edit(site: Path, expected: list[Expected], start: int, count: int) -> list[str]:
    """Change one sentence of ``count`` articles from the ``start``-th on: their pages' bytes and body change."""
    changed = []
    for e in expected[start : start + count]:
        path = site / (e.url.lstrip("/") + "index.html" if e.url.endswith("/") else e.url.lstrip("/"))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</p>", " Correction: an earlier version misstated a date.</p>", 1), "utf-8")
        changed.append(e.url)
    return changed


def records(folder: Path, crawl: str) -> str:
    conn = sqlite3.connect(folder / "archive.db")
    try:
        found = conn.execute(
            "SELECT type, status = 304, count(*) FROM captures WHERE crawl_id = ? GROUP BY 1, 2 ORDER BY 1, 2",
            [crawl],
        ).fetchall()
    finally:
        conn.close()
    names = {("response", 0): "responses", ("revisit", 0): "revisits (same payload)", ("revisit", 1): "304 revisits"}
    return ", ".join(f"{n} {names.get((kind, flag), kind)}" for kind, flag, n in found)


def three_runs(url: str, site: Path, expected: list[Expected], workdir: Path, server_pid: int) -> Path:
    """Three crawls into one archive, 1% of the articles edited before the second and the third."""
    folder = Path(tempfile.mkdtemp(prefix="crawl-series-", dir=workdir))
    share = max(1, len(expected) // 100)
    print(f"\nthree runs into one archive ({len(expected)} articles; {share} edited before runs 2 and 3):")
    print(
        "\n| run | pages | articles changed | WARC bytes written | per article of the site | per changed article"
        " | records |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    before = 0
    for number in (1, 2, 3):
        changed = edit(site, expected, (number - 2) * share, share) if number > 1 else []
        if changed:
            time.sleep(61)  # nginx's open_file_cache trusts what it knows of a file for 60 s
        run = run_crawl("b", url, workdir, server_pid, MODES["on"], folder=folder)
        written = warc_bytes(folder) - before
        before += written
        conn = sqlite3.connect(folder / "archive.db")
        crawl = conn.execute("SELECT id FROM crawls ORDER BY started DESC LIMIT 1").fetchone()[0]
        conn.close()
        per_changed = f"{written / len(changed):,.0f}" if changed else "-"
        print(
            f"| {number} | {run.pages} | {len(changed)} | {written:,} | {written / len(expected):,.0f} "
            f"| {per_changed} | {records(folder, crawl)} |",
            flush=True,
        )
    export_figures(folder)
    return folder / "archive.db"


def export_figures(folder: Path, formats: tuple[str, ...] = ("wacz", "jsonl")) -> None:
    """``archiver export`` of the archive in ``folder`` (as WACZ and as JSON Lines), each in its own process."""
    print("\n| export | seconds | CPU s | peak RSS MiB | file bytes | summary |")
    print("| --- | --- | --- | --- | --- | --- |")
    for fmt in formats:
        out = folder / f"bench.{fmt}"
        command = [str(Path(sys.executable).with_name("archiver")), "export", "--db", "archive.db", "--format", fmt,
                   "-o", out.name, "--force"]  # fmt: skip
        log = folder / f"export-{fmt}.log"
        with log.open("w") as output:
            started = time.monotonic()
            process = subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.DEVNULL)
            peak = 0  # KiB: VmHWM, sampled; wait4's ru_maxrss would count this (large) process's own pages,
            while True:  # which the child shares until it execs
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                peak = max(peak, _peak_kib(process.pid))
                time.sleep(0.02)
            seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        summary = log.read_text().strip().splitlines()[-1] if log.read_text().strip() else ""
        if process.returncode != 0:
            raise SystemExit(f"export --format {fmt} failed ({process.returncode}): {summary}")
        print(
            f"| {fmt} | {seconds:.2f} | {usage.ru_utime + usage.ru_stime:.2f} | {peak / 1024:.0f} "
            f"| {out.stat().st_size:,} | {summary.split(' -> ')[0]} |",
            flush=True,
        )


def _peak_kib(pid: int) -> int:
    """A process's peak resident memory so far (VmHWM, KiB), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def imported_export(workdir: Path, count: int) -> None:
    """The WACZ export of an archive of ``count`` articles imported from bench-warc-read's generated WARC."""
    from benchmarks.bench_warc_read import warc_files

    warc, _ = warc_files("sitegen", count, Path(tempfile.gettempdir()) / "archiver-bench-warc", rebuild=False)
    folder = workdir / f"imported-{count}"
    folder.mkdir(exist_ok=True)
    command = [str(Path(sys.executable).with_name("archiver")), "import", str(warc), "--db", "archive.db"]
    started = time.monotonic()
    subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"\nimported {warc.name} in {time.monotonic() - started:.0f} s; its WACZ export:")
    export_figures(folder, ("wacz",))


def reextract(db: Path) -> None:
    """``archiver reextract`` of the archive, in one process and in two extraction processes."""
    print("\n`archiver reextract` of that archive (nothing to change):")
    print("\n| processes | articles | wall s | articles/s | CPU s (tree) | articles/CPU-s |")
    print("| --- | --- | --- | --- | --- | --- |")
    command = Path(sys.executable).with_name("archiver")
    for processes in ("0", "2"):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        done = subprocess.run([str(command), "reextract", "--db", str(db), "--processes", processes],
                              capture_output=True, text=True, check=True)  # fmt: skip
        wall, after = time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        found = re.search(r"(\d+) articles read, 0 changed", done.stdout)
        assert found, done.stdout
        articles = int(found[1])
        print(f"| {processes} | {articles} | {wall:.1f} | {articles / wall:.1f} | {cpu:.1f} | {articles / cpu:.1f} |",
              flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("BENCH_WARC_PAGES", "1000")))
    parser.add_argument("--rounds", type=int, default=3, help="of the side-by-side crawls (0: only the three runs)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--wacz-pages", type=int, default=0, help="also export an imported archive of N articles")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    ensure_tools()
    print(machine())
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        expected = generate(workdir / "site", args.pages)
        print(f"site: {args.pages} articles under {workdir / 'site'}")
        with Nginx(workdir / "site") as server:
            assert server.process is not None
            if args.rounds:
                side_by_side(server.url + "/", workdir, server.process.pid, args.rounds)
            db = three_runs(server.url + "/", workdir / "site", expected, workdir, server.process.pid)
        reextract(db)
        if args.wacz_pages:
            imported_export(workdir, args.wacz_pages)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
