"""``make bench-export``: `archiver export` speed and peak memory on archives of 10,000 and 100,000 articles.

Usage: python -m benchmarks.bench_export [--sizes 10000 100000] [--cache FOLDER] [--rebuild]

The archives are written through the real ``Archive.save`` in batches of 500 articles: 0-40
comments each (uniform), article bodies of about 80-4,000 words (log-normal, median about 500),
comments of 1-600 words (log-normal, median about 30), words drawn from the 30,000-word Zipf
vocabulary of ``bench_archive``. Every tenth article is saved twice, so it has one revision. The
generator is deterministic, so the larger archive starts as a copy of the smaller one. Archives are
cached under ``$TMPDIR/archiver-bench-export`` (or ``--cache``), so reruns only export.

Each export is the real ``archiver export`` command in its own subprocess, reaped with
``os.wait4`` so that its peak resident memory (``ru_maxrss``) is its own; its RSS is also sampled
while it writes the data file (flat memory: the same at 10,000 and 100,000 articles, and no growth
from the first sample to the last). A baseline export that selects no article gives the memory of
the interpreter, the imports and the open archive.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from archiver.archive import Archive
from benchmarks.bench_archive import VOCABULARY, WORDS, ZIPF

ARCHIVER = Path(sys.executable).with_name("archiver")
#: Bumped whenever the generator changes, so that a cached archive of an older shape is not reused.
GENERATOR_VERSION = 1
BATCH = 500
DOMAINS = ["news.example.org", "www.daily.example", "blog.example.net", "local.example.com", "science.example.io"]
NAMES = ["Ana Lima", "Kim Ode", "Jonas Müller", "Priya Raman", "Chloé Martin", "Tomasz Nowak", "Amara Okafor"]


class Words:
    """Text drawn from a long Zipf-distributed stream of words, taken in slices (fast to generate)."""

    def __init__(self, seed: int = 5, length: int = 2_000_000) -> None:
        rng = random.Random(seed)
        self.stream = rng.choices(VOCABULARY, cum_weights=ZIPF, k=length)

    def text(self, rng: random.Random, words: int) -> str:
        start = rng.randrange(len(self.stream) - words)
        return " ".join(self.stream[start : start + words])


def _length(rng: random.Random, mu: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, int(rng.lognormvariate(mu, sigma))))


def make_article(n: int, words: Words) -> dict[str, Any]:
    """Article number ``n`` (the same every run): body, authors, date, provenance and 0-40 comments."""
    rng = random.Random(n)
    host = DOMAINS[n % len(DOMAINS)]
    url = f"https://{host}/{2015 + n % 11}/story-{n}"
    published = f"{2015 + n % 11}-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00"
    comments = []
    for c in range(1, rng.randint(0, 40) + 1):
        comments.append(
            {
                "number": c,
                "number_source": "position",
                "author": f"{rng.choice(NAMES).split()[0]}{rng.randrange(1000)}",
                "published": published[:10] + f"T{c % 24:02d}:{c % 60:02d}:00+00:00",
                "body": words.text(rng, _length(rng, 3.4, 0.9, 1, 600)),
                "parent": rng.randrange(1, c) if c > 1 and rng.random() < 0.3 else None,
                "kind": "comment",
            }
        )
    return {
        "url": url,
        "canonical_url": url,
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))),
        "authors": rng.sample(NAMES, rng.randint(1, 2)),
        "byline_raw": "By someone",
        "published": published,
        "published_raw": published,
        "body": words.text(rng, _length(rng, 6.2, 0.5, 80, 4000)) + f" story{n}",  # unique: no dedupe merges
        "language": "en",
        "comments_status": "present" if comments else "none",
        "provenance": {"title": "jsonld", "authors": "meta", "published": "jsonld", "body": "trafilatura"},
        "fetched_at": published,
        "comments": comments,
    }


def earlier_version(article: dict[str, Any]) -> dict[str, Any]:
    """The same article as first archived: another title, a shorter body, half its comments."""
    comments = article["comments"][: len(article["comments"]) // 2]
    return article | {
        "title": article["title"] + " (first version)",
        "body": article["body"][: max(200, len(article["body"]) * 2 // 3)],
        "comments": comments,
        "comments_status": "present" if comments else "none",
    }


def build(path: Path, start: int, stop: int, words: Words) -> None:
    """Articles ``start`` to ``stop - 1`` into the archive at ``path`` through ``Archive.save``."""
    archive = Archive(path)
    began = time.monotonic()
    try:
        for first in range(start, stop, BATCH):
            numbers = range(first, min(first + BATCH, stop))
            batch = [make_article(n, words) for n in numbers]
            archive.save([earlier_version(a) for n, a in zip(numbers, batch, strict=True) if n % 10 == 0])
            archive.save(batch)
            done = min(first + BATCH, stop)
            if done % 10_000 == 0 or done == stop:
                rate = (done - start) / (time.monotonic() - began)
                print(f"  built {done:,}/{stop:,} articles ({rate:,.0f} articles/s)", file=sys.stderr, flush=True)
    finally:
        archive.close()


def archives(sizes: list[int], cache: Path, rebuild: bool) -> dict[int, Path]:
    """A cached archive of each size, built (or grown from the next smaller one) when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    words = Words()
    found: dict[int, Path] = {}
    previous: tuple[int, Path] | None = None
    for size in sorted(sizes):
        path = cache / f"export-v{GENERATOR_VERSION}-{size}.db"
        if rebuild or not path.exists():
            partial = path.with_name(path.name + ".part")
            for leftover in cache.glob(partial.name + "*"):
                leftover.unlink()
            start = 0
            if previous is not None:
                shutil.copyfile(previous[1], partial)  # closed archives: the WAL is checkpointed
                start = previous[0]
            print(f"building {path} (articles {start:,} to {size:,})", file=sys.stderr, flush=True)
            build(partial, start, size, words)
            os.replace(partial, path)
        found[size] = path
        previous = (size, path)
    return found


def _rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), None)


def run_export(db: Path, out: Path, *args: str) -> dict[str, Any]:
    """One ``archiver export`` in its own process: wall time, its own peak RSS, its counts.

    Besides the whole process's peak (``ru_maxrss`` from ``os.wait4``), its RSS is sampled every
    50 ms while the data file is being written, so that growth during the export itself shows even
    when it stays under the peak that start-up (imports) leaves.
    """
    log = out.with_name(out.name + ".log")
    partial = out.with_name(out.name + ".part")
    command = [str(ARCHIVER), "export", "--db", str(db), "-o", str(out), "--force", *args]
    writing: list[int] = []  # RSS samples (KiB) while the data file is written
    with log.open("w") as output:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)  # this child's own rusage
            if pid:
                break
            rss = _rss_kib(process.pid)
            if rss is not None and partial.exists():
                writing.append(rss)
            time.sleep(0.05)
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"export failed ({process.returncode}): {log.read_text()[-2000:]}")
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    result = {
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,  # KiB on Linux
        "writing_first_mib": writing[0] / 1024 if writing else None,
        "writing_max_mib": max(writing) / 1024 if writing else None,
        "counts": manifest["counts"],
        "output_mib": out.stat().st_size / 2**20,
    }
    out.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="archive sizes (articles)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "archiver-bench-export")
    parser.add_argument("--rebuild", action="store_true", help="build the archives again")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    paths = archives(args.sizes, args.cache, args.rebuild)
    variants = [("jsonl", ()), ("json", ()), ("jsonl", ("--with-revisions",)), ("json", ("--with-revisions",))]
    rows = []
    with tempfile.TemporaryDirectory(dir=args.cache) as tmp:
        for size, db in sorted(paths.items()):
            baseline = run_export(db, Path(tmp) / "baseline.jsonl", "--domain", "nothing.invalid")
            rows.append((size, db, "baseline (0 articles)", baseline))
            for fmt, extra in variants:
                result = run_export(db, Path(tmp) / f"data.{fmt}", "--format", fmt, *extra)
                rows.append((size, db, f"{fmt}{' ' + ' '.join(extra) if extra else ''}", result))
                print(f"  {size:,} {rows[-1][2]}: {result['seconds']:.1f} s", file=sys.stderr, flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores shared: times are noisy)")
    print(
        f"{'archive':>9} {'MiB':>6}  {'export':<24}{'articles':>9}{'comments':>10}{'revisions':>10}{'s':>7}"
        f"{'articles/s':>11}{'rows/s':>9}{'peak RSS':>10}{'RSS writing':>14}{'out MiB':>9}"
    )
    for size, db, name, r in rows:
        c = r["counts"]
        total = c["articles"] + c["comments"] + c["revisions"]
        writing = f"{r['writing_first_mib']:.1f}-{r['writing_max_mib']:.1f}" if r["writing_max_mib"] else "-"
        print(
            f"{size:>9,} {db.stat().st_size / 2**20:>6,.0f}  {name:<24}{c['articles']:>9,}{c['comments']:>10,}"
            f"{c['revisions']:>10,}{r['seconds']:>7.1f}{c['articles'] / r['seconds']:>11,.0f}"
            f"{total / r['seconds']:>9,.0f}{r['peak_mib']:>10.1f}{writing:>14}{r['output_mib']:>9,.0f}"
        )
    print("rows/s: articles + comments + revisions written per second of wall time (start-up included).")
    print("peak RSS (MiB): the export process's own ru_maxrss, start-up included.")
    print("RSS writing (MiB): the first and the largest of its RSS samples (every 50 ms) while the data file grew.")


if __name__ == "__main__":
    main()
