"""Scheduled runs: the second run's requests and wall time beside the first's, 1% of articles changed.

A site of N articles (default 5,000; ``BENCH_INCREMENTAL_ARTICLES``) on 127.0.0.1 with a sitemap,
a feed and ETag/Last-Modified, crawled by ``archiver crawl --sources`` three times: the first run
archives everything, the second runs after 1% of the articles were edited (their sitemap lastmod
moves on), the third after no change. Target: the second run under 10% of the first's requests
and time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.changing_site import ChangingSite  # the test suite's changing site

ARCHIVER = Path(sys.executable).with_name("archiver")


def _run(folder: Path, site: ChangingSite) -> tuple[int, float, str]:
    site.log.clear()
    started = time.monotonic()
    result = subprocess.run(
        [str(ARCHIVER), "crawl", "--sources", "sources.toml", "--db", "archive.db",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=32"],
        cwd=folder, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    summary = result.stdout.splitlines()[0]
    return len(site.fetched()), seconds, summary


def main() -> None:
    articles = int(os.environ.get("BENCH_INCREMENTAL_ARTICLES", "5000"))
    changed = max(1, articles // 100)
    with tempfile.TemporaryDirectory() as tmp, ChangingSite(articles=articles, fresh=0) as site:
        folder = Path(tmp)
        (folder / "sources.toml").write_text(
            site.sources_toml(fresh_days=14, interval_days=30).replace("concurrency = 8", "concurrency = 16")
        )
        first = _run(folder, site)
        for slug in sorted(site.articles)[:: len(site.articles) // changed][:changed]:
            site.edit_article(slug, site.articles[slug].title + " (updated)")
        second = _run(folder, site)
        third = _run(folder, site)
    print(f"site: {articles} articles, {changed} edited before run 2 (1%), nothing before run 3")
    print(f"{'run':<28}{'requests':>10}{'seconds':>10}   summary")
    for name, (requests, seconds, summary) in (("1 (empty archive)", first), ("2 (1% changed)", second),
                                                ("3 (no change)", third)):  # fmt: skip
        print(f"{name:<28}{requests:>10}{seconds:>10.1f}   {summary}")
    print(f"run 2 / run 1: requests {second[0] / first[0]:.3f}, time {second[1] / first[1]:.3f} (target: under 0.10)")


if __name__ == "__main__":
    main()
