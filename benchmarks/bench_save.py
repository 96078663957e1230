"""The crawl's archive writes, with the hashes the extraction workers computed and without.

Usage: python -m benchmarks.bench_save [--articles N] [--comments C] [--rounds R]

Generates the ``bench_crawl`` site, reads its articles as the crawl's workers do
(``archiver.crawl.hashing.read_page_hashed``, pickled there and back), then saves them in batches
of 50 into a fresh archive per round, alternating: the archive computing every hash itself, and
taking the workers' (``Archive.save(hashes=...)``). Prints the CPU of the saving process per article
(``time.process_time``: the figure the crawl's process pays), and what the workers paid for the hashes.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from archiver.archive import Archive
from archiver.crawl.hashing import attach_hashes, hashes_of, read_page_hashed
from archiver.items import Article, item_asdict
from benchmarks.sitegen import generate

BATCH = 50


def read_articles(site: Path, count: int) -> list[Article]:
    articles = []
    for page in sorted(site.rglob("*.html")):
        path = page.relative_to(site)
        url = "http://127.0.0.1/" + (f"{path.parent}/" if page.name == "index.html" else str(path))
        result = read_page_hashed(page.read_bytes(), url, datetime.now(UTC), 60)
        if result.article is not None:
            articles.append(pickle.loads(pickle.dumps(result.article)))  # as the crawl receives it
        if len(articles) == count:
            break
    return articles


def save_cpu(articles: list[Article], folder: Path, ahead: bool) -> float:
    """CPU ms an article of saving them all in batches (``ahead``: with the workers' hashes)."""
    archive = Archive(folder / f"archive-{time.monotonic_ns()}.db")
    try:
        started = time.process_time()
        for start in range(0, len(articles), BATCH):
            batch = articles[start : start + BATCH]
            hashes = [hashes_of(a) for a in batch] if ahead else None
            archive.save([item_asdict(a) for a in batch], hashes=hashes)
        return 1000 * (time.process_time() - started) / len(articles)
    finally:
        archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--comments", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-save-") as work:
        folder = Path(work)
        generate(folder / "site", args.articles, comments=args.comments)
        articles = read_articles(folder / "site", args.articles)
        started = time.process_time()
        for article in articles:
            attach_hashes(article)
        worker = 1000 * (time.process_time() - started) / len(articles)
        runs: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.rounds):
            for ahead in (False, True):
                runs[ahead].append(save_cpu(articles, folder, ahead))
    print(f"{len(articles)} articles, {args.comments} comments each, batches of {BATCH}, {args.rounds} rounds")
    for ahead, label in ((False, "the archive hashes them"), (True, "the workers' hashes taken")):
        values = runs[ahead]
        print(f"Archive.save, {label}: {statistics.median(values):.3f} CPU ms an article "
              f"({min(values):.3f}-{max(values):.3f})")  # fmt: skip
    print(f"the hashes in a worker: {worker:.3f} CPU ms an article")


if __name__ == "__main__":
    main()
