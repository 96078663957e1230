"""``make bench-layers``: where a page's extraction time goes, layer by layer.

Usage: python -m benchmarks.bench_layers [--pages N] [--real FOLDER] [--rounds R]

Runs ``read_page`` (what a crawl's worker runs on each page) over a generated site
(``benchmarks.sitegen``, N articles, 3 layouts) and over the annotated real pages, with a CPU
timer around each layer's function in ``archiver.extract``'s namespace (the functions themselves
run unchanged). Prints CPU ms per page for each layer, its own time without the layers it calls,
and the rest of ``read_page``; the best of R rounds per layer.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import archiver.extract as extract
from archiver.extract.links import LinkRules
from benchmarks.realpages import DEFAULT_DIR, records
from benchmarks.sitegen import generate

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
#: The layers, as named in archiver.extract's namespace, in the order read_page runs them.
LAYERS = {
    "load_page": "decode and parse (once)",
    "follow_links": "links to follow",
    "read_structured": "structured data (JSON-LD, microdata, meta)",
    "is_article_page": "article or not",
    "comment_page_links": "other comment pages",
    "extract_title": "title",
    "extract_authors": "authors",
    "extract_date": "dates",
    "extract_comments": "comments",
    "main_region": "main region (generic layer)",
    "generic_body": "body by trafilatura (generic layer)",
    "generic_title": "title by trafilatura (generic layer)",
    "generic_author": "author by trafilatura (generic layer)",
    "generic_date": "date by htmldate (generic layer)",
}


class Timers:
    """CPU time per layer, own time only: a layer called inside another is not counted twice."""

    def __init__(self) -> None:
        self.own: defaultdict[str, float] = defaultdict(float)
        self.calls: defaultdict[str, int] = defaultdict(int)
        self._stack: list[float] = []  # time spent in nested layers, per open layer

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append(0.0)
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time() - started
                nested = self._stack.pop()
                self.own[name] += spent - nested
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1] += spent

        return timed


def measure(pages: list[tuple[bytes, str]], rounds: int) -> tuple[dict[str, float], float, dict[str, int]]:
    """Best-of-rounds own CPU ms per page for each layer, total ms per page, calls per layer."""
    originals = {name: getattr(extract, name) for name in LAYERS if hasattr(extract, name)}
    best: dict[str, list[float]] = defaultdict(list)
    totals = []
    calls: dict[str, int] = {}
    rules = LinkRules(allow=(r"^https?://",))
    try:
        for _ in range(rounds):
            timers = Timers()
            for name, function in originals.items():
                setattr(extract, name, timers.wrap(name, function))
            started = time.process_time()
            for body, url in pages:
                extract.read_page(body, url, FETCHED, 60, follow=rules)
            totals.append(time.process_time() - started)
            for name in originals:
                best[name].append(timers.own[name])
            calls = dict(timers.calls)
    finally:
        for name, function in originals.items():
            setattr(extract, name, function)
    n = len(pages)
    per_layer = {name: min(values) / n * 1000 for name, values in best.items()}
    return per_layer, statistics.median(totals) / n * 1000, calls


def report(title: str, pages: list[tuple[bytes, str]], rounds: int) -> None:
    per_layer, total, calls = measure(pages, rounds)
    print(f"\n{title}: {len(pages)} pages, read_page {total:.1f} CPU ms/page (median of {rounds})\n")
    print("| layer | function | CPU ms / page | share | calls / page |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, label in LAYERS.items():
        if name in per_layer:
            ms = per_layer[name]
            print(f"| {label} | `{name}` | {ms:.2f} | {ms / total:.0%} | {calls.get(name, 0) / len(pages):.2f} |")
    rest = max(total - sum(per_layer.values()), 0.0)
    print(f"| the rest (profiles, language, comment regions, item) | | {rest:.2f} | {rest / total:.0%} | |")
    missing = [name for name in LAYERS if name not in per_layer]
    if missing:
        print(f"(not in archiver.extract any more: {', '.join(missing)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="articles of the generated site")
    parser.add_argument("--real", type=Path, default=DEFAULT_DIR, help="annotated real pages (skipped if missing)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-layers-") as folder:
        site = Path(folder)
        generate(site, args.pages)
        pages = [
            (p.read_bytes(), "http://127.0.0.1:8080/" + str(p.relative_to(site))) for p in sorted(site.rglob("*.html"))
        ]
    report("generated site (bench-crawl's pages)", pages, args.rounds)
    if (args.real / "ground-truth.json").exists():
        real = [(r.path.read_bytes(), r.url) for r in records(args.real)]
        report("annotated real pages", real, args.rounds)
    else:
        print(f"\n{args.real}: no annotated real pages there, skipped")


if __name__ == "__main__":
    main()
