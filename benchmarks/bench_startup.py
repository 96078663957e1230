"""``make bench-startup``: how long `archiver --help` and the read-only commands take to start.

Usage: python -m benchmarks.bench_startup [--runs N] [--compare SOURCE_FOLDER]

Each command is the real installed console script in its own process, run on a small archive
(200 articles of 3 comments each, written by ``Archive.save`` into a temporary folder), with its
output sent to /dev/null. The commands are run round-robin, N times each (default 15), so that
the machine's load falls on all of them alike; the table gives each one's median wall time and
its median CPU time (user + system, from ``os.wait4``, which other processes' load disturbs
less), beside `sqlite-utils --help` (the tool archiver's commands are modelled on) and a bare
`python -c pass` (the interpreter's own start-up). The target: under 0.3 s of wall time for
`--help` and every command that only reads the archive.

``--compare FOLDER`` adds the same commands run from another checkout's source (an older
commit, say: ``git archive COMMIT | tar -x -C FOLDER``), with this environment's packages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver.archive import Archive

BIN = Path(sys.executable).parent
ARCHIVER = str(BIN / "archiver")

#: (label, command) run from the folder holding archive.db.
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("sqlite-utils --help", [str(BIN / "sqlite-utils"), "--help"]),
    ("archiver --help", [ARCHIVER, "--help"]),
    ("archiver stats", [ARCHIVER, "stats"]),
    ("archiver query", [ARCHIVER, "query", "SELECT count(*) FROM articles"]),
    ("archiver search", [ARCHIVER, "search", "ferry"]),
    ("archiver show", [ARCHIVER, "show", "1"]),
    ("archiver runs", [ARCHIVER, "runs"]),
    ("archiver export -o -", [ARCHIVER, "export", "-o", "-", "--force"]),  # --force: an older one wrote a file "-"
]


def make_archive(folder: Path, articles: int = 200) -> Path:
    db = folder / "archive.db"
    store = Archive(db)
    store.save(
        [
            {
                "url": f"https://news.example.org/story/{n}",
                "canonical_url": f"https://news.example.org/story/{n}",
                "title": f"Ferry report {n}",
                "authors": ["Kim Ode"],
                "published": f"2024-05-{n % 28 + 1:02d}",
                "body": f"Report {n}: the ferry ran {n} times this week. " * 20,
                "comments": [{"number": c, "author": f"Reader {c}", "body": f"Comment {c} on {n}."} for c in (1, 2, 3)],
            }
            for n in range(1, articles + 1)
        ]
    )
    store.close()
    return db


def compared(source: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    """The archiver commands again, run from the package in ``source`` instead of the installed one."""
    run = [sys.executable, "-c", "import sys; from archiver.cli import main; sys.argv[0] = 'archiver'; main()"]
    env = {**os.environ, "PYTHONPATH": str(source.resolve())}
    return [(f"{label} ({source.name})", run + command[1:], env) for label, command in COMMANDS[2:]]


def run_once(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of the command, in seconds."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="Runs of each command (round-robin).")
    parser.add_argument("--compare", type=Path, help="Also run archiver from this source folder.")
    args = parser.parse_args()
    runs = [(label, command, None) for label, command in COMMANDS] + (compared(args.compare) if args.compare else [])
    if not shutil.which(COMMANDS[1][1][0]):
        raise SystemExit("sqlite-utils is not installed beside this Python")
    folder = Path(tempfile.mkdtemp(prefix="archiver-bench-startup-"))
    try:
        make_archive(folder)
        for _, command, env in runs:  # once each first: files in the page cache, .pyc written
            run_once(command, folder, env)
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in runs}
        for _ in range(args.runs):
            for label, command, env in runs:
                times[label].append(run_once(command, folder, env))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"{args.runs} runs each, round-robin; load average {load:.1f}; 2 cores")
    print("| command | median wall s | median CPU s | under 0.3 s |")
    print("| --- | --- | --- | --- |")
    for label in times:
        wall = statistics.median(t[0] for t in times[label])
        cpu = statistics.median(t[1] for t in times[label])
        verdict = "yes" if wall < 0.3 else "no"
        print(f"| `{label}` | {wall:.3f} | {cpu:.3f} | {verdict if label.startswith('archiver') else ''} |")


if __name__ == "__main__":
    main()
