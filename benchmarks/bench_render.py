"""``make bench-render``: what rendering comments in headless Chromium costs.

Usage: python -m benchmarks.bench_render [--pages N] [--site N]

A generated site of dated articles on 127.0.0.1, whose comments, where a page has them by script,
come from the demo's comment service (``archiver.demo.widgets``) on a second 127.0.0.1 origin; each
crawl is the real ``archiver crawl`` command in its own process, with no politeness delay.

1. ``--pages`` articles (default 24), every one with script-loaded comments, crawled with
   ``ARCHIVER_RENDER_PAGES_AT_ONCE`` 1, 2 and 4: rendered pages per second (pages rendered over
   the crawl's wall time, the browser's start included) and the peak memory of the browser's
   process tree (Playwright's driver and every Chromium process the crawl started, summed as
   proportional set size, PSS, from ``/proc/<pid>/smaps_rollup``, sampled every 0.1 s).
2. ``--site`` articles (default 100), crawled with rendering on: none of them needing rendering,
   beside 10% of them: the crawl's pages per second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver.demo.server import SiteServer
from archiver.demo.widgets import PLACEHOLDER, WidgetServer

ARCHIVER = str(Path(sys.executable).parent / "archiver")
FLAGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ARCHIVER_RENDER_COMMENTS=auto",
         "-s", "ARCHIVER_RENDER_TIMEOUT=20", "-s", "ARCHIVER_RENDER_MAX_PAGES=100000", "--no-warc"]  # fmt: skip
PARAGRAPH = (
    "<p>The harbour board met on Tuesday to discuss the timetable for the summer ferries, the repairs to "
    "the old pier and the price of a season ticket, which has not changed for six years and which several "
    "members want to raise before the busy months begin.</p>"
)
SCRIPTED = (
    '<section id="comments"><h2>Comments</h2><div data-thread="harbour"></div></section>'
    f'<script async src="{PLACEHOLDER}/embed.js"></script>'
)
CLOSED = '<section id="comments"><h2>Comments</h2><p>Comments are closed.</p></section>'


def make_site(folder: Path, articles: int, scripted_every: int) -> Path:
    """``articles`` pages and an index linking them; every ``scripted_every``-th has script-loaded comments."""
    folder.mkdir(parents=True)
    links = []
    for n in range(articles):
        comments = SCRIPTED if scripted_every and n % scripted_every == 0 else CLOSED
        (folder / f"story-{n}.html").write_text(
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour story {n}</title>"
            f"<meta property='article:published_time' content='2024-05-{n % 28 + 1:02d}T09:00:00+00:00'></head>"
            f"<body><article><h1>Harbour story {n}</h1>{PARAGRAPH * 4}</article>{comments}</body></html>",
            encoding="utf-8",
        )
        links.append(f"<li><a href='/story-{n}.html'>Harbour story {n}</a></li>")
    (folder / "index.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>", encoding="utf-8")
    return folder


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def browser_pss(crawl: int) -> int:
    """Bytes of PSS of the crawl's descendants that are not its own Python processes (driver, Chromium)."""
    tree, total, todo = _children(), 0, list(_children().get(crawl, []))
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            if "python" in name or "archiver" in name:
                continue
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def crawl(url: str, folder: Path, *settings: str) -> tuple[float, int]:
    """Seconds the crawl took, and the peak PSS of its browser's process tree."""
    started = time.monotonic()
    process = subprocess.Popen(
        [ARCHIVER, "crawl", url, "--db", str(folder / "archive.db"), "--exports", str(folder / "exports"),
         *FLAGS, *settings],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0
    while process.poll() is None:
        peak = max(peak, browser_pss(process.pid))
        time.sleep(0.1)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"crawl failed: {process.stderr.read() if process.stderr else ''}")
    return seconds, peak


def rendered(folder: Path) -> int:
    import sqlite3

    with sqlite3.connect(folder / "archive.db") as db:
        return int(
            db.execute('SELECT count(*) FROM articles WHERE provenance LIKE \'%"comments": "rendered%\'').fetchone()[0]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--site", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, WidgetServer() as widgets:
        root = Path(tmp)
        print(f"rendering {args.pages} articles, each with script-loaded comments")
        print("| pages at once | crawl s | rendered | rendered pages/s | browser peak PSS MiB |")
        print("| --- | --- | --- | --- | --- |")
        all_scripted = make_site(root / "all", args.pages, 1)
        with SiteServer(all_scripted, replacements={PLACEHOLDER: widgets.origin}) as site:
            for at_once in (1, 2, 4):
                work = root / f"run-{at_once}"
                work.mkdir()
                seconds, peak = crawl(site.url, work, "-s", f"ARCHIVER_RENDER_PAGES_AT_ONCE={at_once}")
                done = rendered(work)
                print(f"| {at_once} | {seconds:.1f} | {done} | {done / seconds:.2f} | {peak / 2**20:.0f} |")
        print(f"\na crawl of {args.site} articles, rendering on (2 pages at once)")
        print("| articles needing rendering | crawl s | pages/s | rendered |")
        print("| --- | --- | --- | --- |")
        for label, every in (("none", 0), ("10%", 10)):
            folder = make_site(root / f"site-{every}", args.site, every)
            work = root / f"crawl-{every}"
            work.mkdir()
            with SiteServer(folder, replacements={PLACEHOLDER: widgets.origin}) as site:
                seconds, _ = crawl(site.url, work)
            pages = args.site + 1  # and the index
            print(f"| {label} | {seconds:.1f} | {pages / seconds:.1f} | {rendered(work)} |")


if __name__ == "__main__":
    main()
