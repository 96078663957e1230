"""Scheduled runs of a distributed crawl: 2 workers and a drain, the second run's requests and time beside the first's.

The site of ``bench_incremental`` (N articles, default 5,000, ``BENCH_INCREMENTAL_ARTICLES``; a
sitemap, a feed, ETag/Last-Modified) crawled three times through Redis: ``archiver enqueue
--fresh --sources``, then two workers and one drain until the crawl is over. 1% of the articles
are edited before run 2, nothing before run 3. Seconds run from the enqueue to the drain's exit,
so they include the workers' and the drain's idle wait at the end (2 s each here). Also prints
the Redis memory the drain's mirror of the archive takes per article.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_redis import start_redis
from tests.changing_site import ChangingSite  # the test suite's changing site

ARCHIVER = str(Path(sys.executable).with_name("archiver"))
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ARCHIVER_EXTRACT_PROCESSES": "0",
    "ARCHIVER_REDIS_IDLE_SECONDS": "2",
    "ARCHIVER_REDIS_PROGRESS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
WORKER = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def _run(folder: Path, site: ChangingSite, redis_url: str) -> tuple[int, float, str]:
    site.log.clear()
    started = time.monotonic()
    enqueue = subprocess.run([ARCHIVER, "enqueue", "--fresh", "--sources", "sources.toml", "--redis", redis_url],
                             cwd=folder, capture_output=True, text=True, check=True)  # fmt: skip
    drain = subprocess.Popen([ARCHIVER, "drain", "--redis", redis_url, "--db", "archive.db", "--until-idle", "2",
                              "--progress", "0"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)  # fmt: skip
    workers = [subprocess.Popen([ARCHIVER, "crawl", "--redis", redis_url, *WORKER], cwd=folder,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]  # fmt: skip
    for worker in workers:
        if worker.wait(timeout=3600) != 0:
            raise SystemExit("a worker failed")
    out, _ = drain.communicate(timeout=600)
    seconds = time.monotonic() - started
    queued = enqueue.stdout.strip().splitlines()[-1]
    return len(site.fetched()), seconds, f"{queued} | {out.strip().splitlines()[-1]}"


def main() -> None:
    articles = int(os.environ.get("BENCH_INCREMENTAL_ARTICLES", "5000"))
    changed = max(1, articles // 100)
    with tempfile.TemporaryDirectory() as tmp, ChangingSite(articles=articles, fresh=0) as site:
        folder = Path(tmp)
        (folder / "redis").mkdir()
        server, port = start_redis(folder / "redis")
        redis_url = f"redis://127.0.0.1:{port}/0"
        try:
            (folder / "sources.toml").write_text(site.sources_toml(fresh_days=14, interval_days=30))
            first = _run(folder, site, redis_url)
            for slug in sorted(site.articles)[:: len(site.articles) // changed][:changed]:
                site.edit_article(slug, site.articles[slug].title + " (updated)")
            second = _run(folder, site, redis_url)
            third = _run(folder, site, redis_url)
            client = redis.Redis.from_url(redis_url)
            mirror = sum(client.memory_usage(k) or 0 for k in ("articles:fetches", "articles:archived"))
            entries = client.hlen("articles:fetches"), client.hlen("articles:archived")
            client.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(folder / "redis", ignore_errors=True)
    print(f"site: {articles} articles, {changed} edited before run 2 (1%), nothing before run 3; 2 workers, 1 drain")
    print(f"{'run':<22}{'requests':>10}{'seconds':>10}   enqueue | drain")
    for name, (requests, seconds, summary) in (("1 (empty archive)", first), ("2 (1% changed)", second),
                                                ("3 (no change)", third)):  # fmt: skip
        print(f"{name:<22}{requests:>10}{seconds:>10.1f}   {summary}")
    print(f"run 2 / run 1: requests {second[0] / first[0]:.3f}, time {second[1] / first[1]:.3f}")
    print(f"mirror in Redis: {entries[0]} fetches + {entries[1]} article URLs, {mirror / 1e6:.1f} MB "
          f"({mirror / articles:.0f} bytes per article)")  # fmt: skip


if __name__ == "__main__":
    main()
