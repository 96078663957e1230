"""Scoring extraction against the WCXB development pages in ``../shared/bench/wcxb-dev``.

Used by ``bench_extract.py``; the measures follow the set's README: word-level F1 of the body
against ``main_content`` (bags of lowercase ``\\w+`` tokens, averaged over pages), exact
title/author/date, and precision/recall of "is this an article?" against ``page_type``.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "wcxb-dev"

_WORD = re.compile(r"\w+")


@dataclass
class Record:
    """One WCXB page: its id, URL, gzipped HTML file and ground truth."""

    id: str
    url: str
    path: Path
    truth: dict[str, Any]

    @property
    def is_article(self) -> bool:
        return self.truth.get("page_type") == "article"

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def records(folder: Path = DEFAULT_DIR) -> Iterator[Record]:
    """The pages of a folder holding ground-truth.json and html/<id>.html.gz, by id."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, record in sorted(truth.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        if path.exists():
            yield Record(page_id, record["url"], path, record)


def words(text: str | None) -> Counter[str]:
    """The bag of lowercase ``\\w+`` tokens of a text."""
    return Counter(_WORD.findall((text or "").lower()))


def word_f1(found: str | None, truth: str | None) -> float:
    """Word-level F1 of an extracted text against the true one (1.0 when both are empty)."""
    got, want = words(found), words(truth)
    if not got or not want:
        return float(not got and not want)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class WordF1:
    """Word F1 averaged over pages (with average precision and recall beside it)."""

    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)

    def add(self, body: str | None, truth: str | None) -> float:
        got, want = words(body), words(truth)
        overlap = sum((got & want).values())
        self.precision.append(overlap / sum(got.values()) if got else float(not want))
        self.recall.append(overlap / sum(want.values()) if want else 1.0)
        score = word_f1(body, truth)
        self.f1.append(score)
        return score

    def figures(self) -> tuple[float, float, float]:
        n = max(len(self.f1), 1)
        return sum(self.precision) / n, sum(self.recall) / n, sum(self.f1) / n


@dataclass
class Decision:
    """Precision and recall of an "is this an article?" decision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, said: bool, truth: bool) -> None:
        if said and truth:
            self.tp += 1
        elif said:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    def figures(self) -> tuple[float, float]:
        return self.tp / max(self.tp + self.fp, 1), self.tp / max(self.tp + self.fn, 1)
