"""``make bench-archive``: archive writes beside plain sqlite-utils, size, and full-text search latency.

Usage: python -m benchmarks.bench_archive [--articles N] [--search-articles M]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archiver.archive import Archive

WORDS = [
    "harbour",
    "ferry",
    "council",
    "budget",
    "river",
    "bridge",
    "market",
    "library",
    "school",
    "railway",
    "station",
    "museum",
    "garden",
    "weather",
    "election",
    "festival",
    "hospital",
    "theatre",
    "football",
    "concert",
    "village",
    "mayor",
    "police",
    "tunnel",
    "airport",
    "island",
    "bakery",
    "Müller",
    "café",
    "naïve",
    "façade",
    "résumé",
    "crème",
    "brûlée",
    "Zürich",
    "São",
    "Paulo",
]


_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "se", "vo", "pa", "di", "gu", "fe", "zo", "ri", "ba", "ku"]
#: A vocabulary of 30,000 words drawn with Zipf's law, as words are in real text.
VOCABULARY = WORDS + [
    a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES for _ in range(8)
][: 30_000 - len(WORDS)]  # fmt: skip
ZIPF = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(VOCABULARY))))


def make_articles(count: int, comments: int, seed: int = 7) -> list[dict[str, Any]]:
    """Articles of about 2 KB with ``comments`` comments each, words drawn with Zipf's law."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        body = " ".join(rng.choices(VOCABULARY, cum_weights=ZIPF, k=300)) + f" article{n}"
        items.append(
            {
                "url": f"https://bench.example/a/{n}",
                "canonical_url": f"https://bench.example/a/{n}",
                "title": " ".join(rng.choice(WORDS) for _ in range(8)),
                "authors": ["Kim Ode"],
                "published": "2024-05-01",
                "body": body,
                "comments_status": "present",
                "comments": [
                    {"number": c, "author": f"Reader {c}", "body": " ".join(rng.choice(WORDS) for _ in range(30))}
                    for c in range(1, comments + 1)
                ],
            }
        )
    return items


def archive_write(folder: Path, items: list[dict[str, Any]], batch: int) -> tuple[float, Path]:
    path = folder / "archive.db"
    archive = Archive(path)
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        archive.save(items[i : i + batch])
    elapsed = time.perf_counter() - start
    archive.close()
    return elapsed, path


def plain_write(folder: Path, items: list[dict[str, Any]], name: str, schema: bool) -> float:
    """The same rows by one sqlite-utils insert_all per table in one transaction (into a fresh file,
    bare, or with the archive's schema so that the same full-text triggers run)."""
    if schema:
        Archive(folder / name).close()
    db = Database(folder / name)
    articles = [{k: v for k, v in a.items() if k != "comments"} | {"id": n + 1} for n, a in enumerate(items)]
    comments = [c | {"article_id": n + 1} for n, a in enumerate(items) for c in a["comments"]]
    start = time.perf_counter()
    with db.atomic():
        db.table("articles").insert_all(articles, pk="id")
        db.table("comments").insert_all(comments, pk=("article_id", "number"))
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def search_latency(path: Path, ranks: tuple[int, int], queries: int = 50) -> float:
    """Median ms of ranked, snippeted searches for words of the given frequency ranks."""
    db = Database(path)
    rng = random.Random(3)
    times = []
    for _ in range(queries):
        term = VOCABULARY[rng.randrange(*ranks)].lower()
        start = time.perf_counter()
        db.execute(
            "SELECT a.id, snippet(articles_fts, 1, '[', ']', '…', 8) FROM articles_fts JOIN articles a"
            " ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20",
            [term],
        ).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    db.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles (20 comments each) for write speed")
    parser.add_argument("--search-articles", type=int, default=100_000, help="archive size for search latency")
    args = parser.parse_args()
    items = make_articles(args.articles, 20)
    rows = len(items) * 21
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours, path = archive_write(folder, items, batch=50)
        plain = plain_write(folder, items, "plain.db", schema=False)
        same_schema = plain_write(folder, items, "plain-schema.db", schema=True)
        size_kb = path.stat().st_size / 1024 / (len(items) / 1000)
        print(f"{len(items)} articles with 20 comments ({rows} rows)")
        print(f"archiver Archive.save, batches of 50: {rows / ours:,.0f} rows/s")
        print(f"plain sqlite-utils insert_all, one transaction, bare tables: {rows / plain:,.0f} rows/s")
        print(f"plain insert_all, one transaction, archive schema (FTS triggers): {rows / same_schema:,.0f} rows/s")
        print(
            f"ratio archiver / plain with the same schema: {same_schema / ours:.2f}; / bare tables: {plain / ours:.2f}"
        )
        print(f"archive size: {size_kb:,.0f} KiB per 1,000 articles")
    with tempfile.TemporaryDirectory() as tmp:
        big = make_articles(args.search_articles, 0, seed=11)
        elapsed, path = archive_write(Path(tmp), big, batch=1000)
        print(f"{len(big)} articles written in {elapsed:.0f} s; ranked search with snippets, median:")
        for label, ranks in (("words of frequency rank 100-5,000", (100, 5000)), ("the 20 most common words", (0, 20))):
            print(f"  {label}: {search_latency(path, ranks):.1f} ms")


if __name__ == "__main__":
    main()
