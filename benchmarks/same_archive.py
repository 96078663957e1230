"""Whether two archives of the same site hold the same articles: ``archiver export`` of each, by URL.

Usage: python -m benchmarks.same_archive A.db B.db

Compares every exported field of every article, comments included, after leaving out what differs
between any two crawls of the same pages: the fetch and capture times (``fetched_at``,
``first_seen``, ``last_seen``, ``capture``, ``comment_captures``) and the server's port in URLs.
Prints the fields that still differ, with how many articles differ in each; ``id``,
``archive_id`` (the order pages were saved in) and ``last_changed`` (when) differ between two runs
of the same code and are listed apart. Exit status 1 when anything else differs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Fields that say when a page was fetched or captured, left out of the comparison.
TIMES = re.compile(r"fetched|seen|capture")
#: Fields that differ between two crawls of the same code: the save order, and when.
RUN_FIELDS = frozenset({"id", "archive_id", "last_changed"})
PORT = re.compile(r"127\.0\.0\.1:\d+")


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not TIMES.search(k)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return PORT.sub("HOST", value)
    return value


def articles(db: Path) -> dict[str, dict[str, Any]]:
    """The archive's articles as ``archiver export`` writes them, by URL, times left out."""
    archiver = str(Path(sys.executable).with_name("archiver"))
    out = subprocess.run([archiver, "export", "--db", str(db), "-o", "-"], capture_output=True, check=True).stdout
    rows = (_clean(json.loads(line)) for line in out.splitlines() if line.strip())
    return {row["url"]: row for row in rows}


def main() -> None:
    a, b = (articles(Path(name)) for name in sys.argv[1:3])
    print(f"{len(a)} and {len(b)} articles; the same URLs: {a.keys() == b.keys()}")
    differ: dict[str, int] = {}
    for url in a.keys() & b.keys():
        for name in a[url].keys() | b[url].keys():
            if a[url].get(name) != b[url].get(name):
                differ[name] = differ.get(name, 0) + 1
    run = {k: v for k, v in differ.items() if k in RUN_FIELDS}
    other = {k: v for k, v in differ.items() if k not in RUN_FIELDS}
    print(f"differ as between any two runs (save order, when): {run or 'none'}")
    print(f"differ otherwise: {other or 'none'}")
    sys.exit(1 if other or a.keys() != b.keys() else 0)


if __name__ == "__main__":
    main()
