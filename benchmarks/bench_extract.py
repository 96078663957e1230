"""``make bench-extract``: archiver's extraction beside trafilatura alone, on annotated real pages.

Usage: python -m benchmarks.bench_extract [FOLDER] [--show FIELD]
Prints pages per CPU second, body precision/recall/F, title/author/date exact-match rates.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from archiver.extract import extract_article
from archiver.extract.document import decode_html
from benchmarks.realpages import DEFAULT_DIR, BodyScore, Record, authors_match, norm, records, truth_authors

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Fields:
    """What one extractor said about one page."""

    title: str | None
    authors: list[str]
    date: str | None
    body: str | None


@dataclass
class Score:
    """Running totals for one extractor."""

    body: BodyScore = field(default_factory=BodyScore)
    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    cpu: float = 0.0
    pages: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, fields: Fields, record: Record) -> None:
        truth = record.truth
        self.pages += 1
        self.body.add(fields.body, truth)
        checks = {
            "title": (truth.get("title"), lambda: norm(fields.title) == norm(truth.get("title"))),
            "author": (truth.get("author"), lambda: authors_match(fields.authors, truth_authors(truth.get("author")))),
            "date": (truth.get("date"), lambda: (fields.date or "")[:10] == truth.get("date")),
        }
        for name, (expected, ok) in checks.items():
            if not expected:
                continue
            self.totals[name] += 1
            if ok():
                self.hits[name] += 1
            else:
                found = {"title": fields.title, "author": fields.authors, "date": fields.date}[name]
                self.misses.setdefault(name, []).append(f"{record.path.name}: want {expected!r} got {found!r}")

    def report(self, label: str) -> str:
        p, r, f = self.body.figures()
        rates = "  ".join(f"{n} {self.hits[n] / max(self.totals[n], 1):.3f}" for n in ("title", "author", "date"))
        speed = self.pages / max(self.cpu, 1e-9)
        return f"{label:<12} {speed:7.1f} pages/CPU-s  body P {p:.3f} R {r:.3f} F {f:.3f}  {rates}"


def run_archiver(html: bytes, url: str) -> Fields:
    a = extract_article(html, url, fetched_at=FETCHED)
    return Fields(a.title, a.authors, a.published, a.body)


def run_trafilatura(html: bytes, url: str) -> Fields:
    doc = trafilatura.bare_extraction(decode_html(html), url=url, with_metadata=True, include_comments=False)
    if doc is None or isinstance(doc, dict):
        return Fields(None, [], None, None)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Fields(doc.title, authors, doc.date, doc.text)


def measure(folder: Path) -> dict[str, Score]:
    extractors: dict[str, Callable[[bytes, str], Fields]] = {"archiver": run_archiver, "trafilatura": run_trafilatura}
    scores = {name: Score() for name in extractors}
    for record in records(folder):
        html = record.path.read_bytes()
        for name, extractor in extractors.items():
            start = time.process_time()
            fields = extractor(html, record.url)
            scores[name].cpu += time.process_time() - start
            scores[name].add(fields, record)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", choices=["title", "author", "date"], help="print archiver's misses for a field")
    args = parser.parse_args()
    if not (args.folder / "ground-truth.json").exists():
        raise SystemExit(f"bench-extract: no ground-truth.json in {args.folder}")
    scores = measure(args.folder)
    print(f"{scores['archiver'].pages} pages from {args.folder}")
    for name, score in scores.items():
        print(score.report(name))
    if args.show:
        print("\n".join(scores["archiver"].misses.get(args.show, [])))


if __name__ == "__main__":
    main()
