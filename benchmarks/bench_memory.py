"""``make bench-memory``: peak memory (RSS) of extracting the largest and the most-commented pages.

Each page is extracted in a fresh process, as a crawl's extraction worker does (``read_page`` on
the page's bytes), and that process's peak RSS is printed beside its RSS before extracting.

Usage: python -m benchmarks.bench_memory
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

from archiver.settings import DOWNLOAD_MAXSIZE
from tests.hostile_site import PROSE, article, many_comments, nested

CASES = {
    "huge": f"a {DOWNLOAD_MAXSIZE // 2**20} MiB article (DOWNLOAD_MAXSIZE, the largest a crawl accepts)",
    "comments": "an article with 5,000 comments",
    "nested": "an article inside 10,000 levels of nested markup",
    "small": "a 6 KB article with 3 comments (for comparison)",
}


def page(case: str) -> bytes:
    """The bytes of one case's page."""
    if case == "huge":
        paragraph = f"<p>{PROSE * 4}</p>"
        body = paragraph * ((DOWNLOAD_MAXSIZE - 4096) // len(paragraph))
        return article("A very long article", "Kim Ode", [("Ann", "First.")], body=body).encode()
    if case == "comments":
        return many_comments().encode()
    if case == "nested":
        return nested().encode()
    return article("A short article", "Kim Ode", [("Ann", "One."), ("Bo", "Two."), ("Cy", "Three.")]).encode()


def peak_mib() -> float:
    """This process's peak RSS in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(case: str) -> dict[str, object]:
    """Extract one case's page in this process: sizes, times and memory."""
    from archiver.extract import read_page  # imported before measuring the baseline

    body = page(case)
    before = peak_mib()
    start = time.perf_counter()
    result = read_page(body, "https://example.org/post.html", datetime.now(UTC), 60, None, "text/html")
    seconds = time.perf_counter() - start
    found = result.article
    return {
        "case": case,
        "bytes": len(body),
        "seconds": round(seconds, 2),
        "rss_before_mib": round(before, 1),
        "peak_rss_mib": round(peak_mib(), 1),
        "comments": len(found.comments) if found else None,
        "body_chars": len(found.body or "") if found else None,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        return
    print(f"{'page':<66} {'size':>9} {'time':>7} {'RSS before':>11} {'peak RSS':>9} {'comments':>9}")
    for case, label in CASES.items():
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_memory", "--one", case],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(out.stdout)
        size = f"{int(m['bytes']) / 2**20:.1f} MiB" if int(m["bytes"]) > 2**20 else f"{int(m['bytes']) // 1024} KB"
        print(
            f"{label:<66} {size:>9} {m['seconds']:>6}s {m['rss_before_mib']:>7} MiB {m['peak_rss_mib']:>5} MiB "
            f"{m['comments']!s:>9}"
        )


if __name__ == "__main__":
    main()
