"""``make bench-archive``: archive writes beside plain sqlite-utils, size, and full-text search latency.

Usage: python -m benchmarks.bench_archive [--articles N] [--rounds R] [--search-articles M]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from sqlite_utils import Database

from archiver.archive import Archive
from archiver.items import Article, Comment

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


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=ZIPF, k=count))


def make_articles(count: int, comments: int, seed: int = 7) -> list[dict[str, Any]]:
    """Items as the archive pipeline gets them (every Article and Comment field): articles of about
    2 KB with ``comments`` comments each of 5 to 80 words, words drawn with Zipf's law."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        url = f"https://bench.example/2024/05/{n}-{'-'.join(rng.choices(WORDS, k=4)).lower()}"
        article = Article(
            url=url,
            canonical_url=url,
            title=" ".join(rng.choice(WORDS) for _ in range(8)),
            authors=["Kim Ode"],
            byline_raw="By Kim Ode",
            published="2024-05-01T08:00:00+02:00",
            published_raw="1 May 2024, 08:00",
            body=_words(rng, 300) + f" article{n}",
            language="en",
            comments_status="present" if comments else "none",
            comments=[
                Comment(
                    number=c,
                    number_source="page",
                    author=f"Reader {rng.randrange(500)}",
                    published=f"2024-05-02T{c % 24:02d}:00:00+02:00",
                    published_raw=f"2 May 2024 at {c % 24:02d}:00",
                    published_relative=False,
                    body=_words(rng, rng.randint(5, 80)),
                    parent=c - 1 if c % 4 == 0 else None,
                    anchor=f"comment-{n * 100 + c}",
                )
                for c in range(1, comments + 1)
            ],
            provenance={"title": "jsonld", "authors": "meta:author", "published": "jsonld", "body": "profile"},
            fetched_at="2024-05-03T12:00:00+00:00",
        )
        items.append(ItemAdapter(article).asdict())
    return items


def archive_write(folder: Path, items: list[dict[str, Any]], batch: int) -> tuple[Timing, Path]:
    """Every item through ``Archive.save`` in batches, into a new archive (closing it included: the
    last checkpoint copies what is still in the write-ahead log into the file)."""
    path = folder / "archive.db"
    archive = Archive(path)
    with timing() as spent:
        for i in range(0, len(items), batch):
            archive.save(items[i : i + batch])
        archive.close()
    return spent, path


def archive_rewrite(path: Path, items: list[dict[str, Any]], batch: int) -> Timing:
    """The same items saved again: every article and comment unchanged, only seen again."""
    archive = Archive(path)
    with timing() as spent:
        for i in range(0, len(items), batch):
            archive.save(items[i : i + batch])
        archive.close()
    return spent


def plain_write(folder: Path, items: list[dict[str, Any]], name: str, schema: bool) -> Timing:
    """The same rows by one sqlite-utils insert_all per table in one transaction (into a fresh file,
    bare, or with the archive's schema so that the same full-text triggers run), closing included."""
    if schema:
        Archive(folder / name).close()
    db = Database(folder / name)
    articles = [{k: v for k, v in a.items() if k != "comments"} | {"id": n + 1} for n, a in enumerate(items)]
    comments = [c | {"article_id": n + 1} for n, a in enumerate(items) for c in a["comments"]]
    with timing() as spent:
        with db.atomic():
            db.table("articles").insert_all(articles, pk="id")
            db.table("comments").insert_all(comments, pk=("article_id", "number"))
        db.close()  # with the archive's schema (WAL), a checkpoint of the whole write-ahead log
    return spent


@dataclass
class Timing:
    """Seconds of wall-clock time, and of this process's CPU time (what other processes' load leaves out)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def timing() -> Iterator[Timing]:
    spent = Timing()
    wall, cpu = time.perf_counter(), time.process_time()
    yield spent
    spent.wall, spent.cpu = time.perf_counter() - wall, time.process_time() - cpu


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
    parser.add_argument("--rounds", type=int, default=3, help="write measurements, archiver and plain alternating")
    parser.add_argument("--search-articles", type=int, default=100_000, help="archive size for search latency")
    args = parser.parse_args()
    items = make_articles(args.articles, 20)
    rows = len(items) * 21
    print(f"{len(items)} articles with 20 comments ({rows} rows); rows/s by wall clock (by this process's CPU time)")
    ratios: list[tuple[float, float]] = []
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            ours, path = archive_write(folder, items, batch=50)
            again = archive_rewrite(path, items, batch=50)
            same_schema = plain_write(folder, items, "plain-schema.db", schema=True)
            plain = plain_write(folder, items, "plain.db", schema=False)
            size_kb = path.stat().st_size / 1024 / (len(items) / 1000)
        ratios.append((same_schema.wall / ours.wall, same_schema.cpu / ours.cpu))
        print(f"round {round_}:")
        for label, spent in (
            ("archiver Archive.save, batches of 50", ours),
            ("plain insert_all, one transaction, archive schema (FTS triggers)", same_schema),
            ("plain insert_all, one transaction, bare tables", plain),
            ("archiver Archive.save of the same items again (all unchanged)", again),
        ):
            print(f"  {label}: {rows / spent.wall:,.0f} rows/s ({rows / spent.cpu:,.0f})")
        print(f"  ratio archiver / plain with the same schema: {ratios[-1][0]:.2f} ({ratios[-1][1]:.2f})")
    wall, cpu = zip(*ratios, strict=True)
    print(
        f"ratio archiver / plain with the same schema, median of {len(ratios)}: {statistics.median(wall):.2f}"
        f" (range {min(wall):.2f}-{max(wall):.2f}); by CPU time {statistics.median(cpu):.2f}"
        f" ({min(cpu):.2f}-{max(cpu):.2f})"
    )
    print(f"archive size: {size_kb:,.0f} KiB per 1,000 articles")
    with tempfile.TemporaryDirectory() as tmp:
        big = make_articles(args.search_articles, 0, seed=11)
        written, path = archive_write(Path(tmp), big, batch=1000)
        print(f"{len(big)} articles written in {written.wall:.0f} s; ranked search with snippets, median:")
        for label, ranks in (("words of frequency rank 100-5,000", (100, 5000)), ("the 20 most common words", (0, 20))):
            print(f"  {label}: {search_latency(path, ranks):.1f} ms")


if __name__ == "__main__":
    main()
