"""What ``read_page`` gives, page by page, as JSON: to hold a speed-up of extraction to the same output.

Usage: python -m benchmarks.same_extraction dump OUT.jsonl [--tree DIR] [--sitegen N] [--sets fixtures,demo,...]
       python -m benchmarks.same_extraction compare A.jsonl B.jsonl
       python -m benchmarks.same_extraction time TREE_A TREE_B [--sets ...] [--sitegen N] [--rounds R] [--links]

``dump`` writes one line per page of tests/fixtures, the demo site, ``../shared/bench/realpages``,
``../shared/bench/wcxb-dev`` and the first ``--sitegen`` pages of the generated 5,000-page site
(``benchmarks.sitegen``, the one ``make bench-warc-read`` builds, cached under
``$TMPDIR/archiver-bench-warc``): every field of ``read_page``'s result (the article with its
comments and provenance, the comment pages, the links it follows under default ``LinkRules``, the
page type with its reason and signals) and ``comments_from_page`` on the same bytes. ``compare``
names the pages whose lines differ (exit status 1 if any). Run ``dump`` with ``--tree`` naming
another source tree to dump that tree's extraction (``git archive COMMIT archiver | tar -x -C DIR``
makes one of an older commit).

``time`` measures ``read_page``'s CPU per page (``time.process_time``, parsing included, each
set in a fresh interpreter) for two source trees, interleaved A, B, A, B... in the same run, and
prints the best of ``--rounds`` for each: the machine's load then weighs on both alike. With ``--links``,
``read_page`` also gives the links to follow (default ``LinkRules``), as the crawl's workers call it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_warc_read import pages as site_pages
from benchmarks.realpages import records
from benchmarks.wcxb import records as wcxb_records

ROOT = Path(__file__).resolve().parent.parent
FETCHED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SETS = ("fixtures", "demo", "realpages", "wcxb", "sitegen")


def pages(sets: tuple[str, ...], sitegen: int) -> Iterator[tuple[str, str, bytes]]:
    """(name, URL, bytes) of every page of the sets named."""
    if "fixtures" in sets:
        fixtures = ROOT / "tests" / "fixtures"
        for path in sorted(fixtures.rglob("*.html")):
            url = f"https://{path.stem}.example/{path.name}"
            yield f"fixtures/{path.relative_to(fixtures)}", url, path.read_bytes()
    if "demo" in sets:
        site = ROOT / "archiver" / "demo" / "site"
        for path in sorted(site.rglob("*.html")):
            yield f"demo/{path.relative_to(site)}", f"http://127.0.0.1:8000/{path.relative_to(site)}", path.read_bytes()
    if "realpages" in sets:
        for record in records():
            yield f"realpages/{record.path.name}", record.url, record.path.read_bytes()
    if "wcxb" in sets:
        for wrecord in wcxb_records():
            yield f"wcxb/{wrecord.id}", wrecord.url, wrecord.html()
    if "sitegen" in sets and sitegen:
        cache = Path(tempfile.gettempdir()) / "archiver-bench-warc"
        for n, (url, body) in enumerate(site_pages("sitegen", 5000, cache)):
            if n >= sitegen:
                break
            yield f"sitegen/{n}", url, body


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _use(tree: Path | None) -> None:
    """Import archiver from another source tree (the benchmark's own modules stay this tree's)."""
    if tree is not None:
        sys.path.insert(0, str(tree.resolve()))


def dump(out: Path, sets: tuple[str, ...], sitegen: int) -> None:
    from archiver.extract import MIN_WORDS, comments_from_page, load_page, load_profiles, profile_for, read_page
    from archiver.extract.document import NotHTMLError
    from archiver.extract.links import LinkRules

    profiles = load_profiles(str(ROOT / "tests" / "fixtures" / "profiles"))
    follow = LinkRules()
    with out.open("w") as file:
        for name, url, body in pages(sets, sitegen):
            host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0].removeprefix("www.")
            result = read_page(body, url, FETCHED, MIN_WORDS, profile_for(host, profiles), None, follow)
            try:
                comments = _plain(comments_from_page(load_page(body, url), FETCHED))
            except NotHTMLError:
                comments = None
            line = {"page": name, "read_page": _plain(result), "comments_from_page": comments}
            file.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")


def compare(a: Path, b: Path) -> int:
    left = {json.loads(line)["page"]: line for line in a.open()}
    right = {json.loads(line)["page"]: line for line in b.open()}
    differ = sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))
    print(f"{len(left)} and {len(right)} pages; differ: {len(differ)}")
    for name in differ[:20]:
        print("  ", name)
    return 1 if differ else 0


def child(sets: tuple[str, ...], sitegen: int, links: bool) -> None:
    """Print the CPU seconds of read_page over the sets (pages read into memory first)."""
    from archiver.extract import MIN_WORDS, load_profiles, profile_for, read_page
    from archiver.extract.links import LinkRules

    profiles = load_profiles()
    follow = LinkRules() if links else None
    work = [(url, body) for _, url, body in pages(sets, sitegen)]
    for url, body in work[:5]:  # warm-up: the first calls compile regexes and fill caches
        read_page(body, url, FETCHED, MIN_WORDS, None, None, follow)
    start = time.process_time()
    for url, body in work:
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0].removeprefix("www.")
        read_page(body, url, FETCHED, MIN_WORDS, profile_for(host, profiles), None, follow)
    print(json.dumps({"pages": len(work), "cpu": time.process_time() - start}))


def timed(trees: list[Path], sets: tuple[str, ...], sitegen: int, rounds: int, links: bool) -> None:
    best: dict[tuple[str, str], float] = {}
    for _ in range(rounds):
        for one in sets:
            for tree in trees:
                command = [sys.executable, "-m", "benchmarks.same_extraction", "child", "--sets", one]
                command += ["--tree", str(tree), "--sitegen", str(sitegen)] + (["--links"] if links else [])
                out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
                got = json.loads(out.stdout)
                ms = got["cpu"] * 1000 / max(got["pages"], 1)
                key = (one, str(tree))
                best[key] = min(best.get(key, ms), ms)
    load = os.getloadavg()
    what = "with link extraction" if links else "without link extraction"
    print(f"read_page CPU ms per page ({what}), best of {rounds} (load now {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    print("| set | " + " | ".join(str(t) for t in trees) + " |")
    for one in sets:
        print(f"| {one} | " + " | ".join(f"{best[(one, str(t))]:.2f}" for t in trees) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["dump", "compare", "time", "child"])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--sitegen", type=int, default=400, help="generated pages (of the 5,000-page site)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tree", type=Path, help="import archiver from this source tree (dump)")
    parser.add_argument("--links", action="store_true", help="time: with the links to follow, as the workers ask")
    args = parser.parse_args()
    _use(args.tree)
    sets = tuple(args.sets.split(","))
    if args.task == "dump":
        dump(args.paths[0], sets, args.sitegen)
    elif args.task == "compare":
        sys.exit(compare(*args.paths[:2]))
    elif args.task == "child":
        child(sets, args.sitegen, args.links)
    else:
        timed(args.paths, sets, args.sitegen, args.rounds, args.links)


if __name__ == "__main__":
    main()
