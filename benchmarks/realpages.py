"""Scoring extraction against the annotated real pages in ``../shared/bench/realpages``.

Shared by ``bench_extract.py`` and ``bench_comments.py``; the scoring follows the
annotations' README: snippets in/out of the body, exact title/author/date after normalising.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "realpages"


@dataclass
class Record:
    """One annotated page."""

    url: str
    path: Path
    truth: dict[str, Any]


def records(folder: Path = DEFAULT_DIR) -> Iterator[Record]:
    """The annotated pages of a folder holding ground-truth.json and html/."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for url, record in sorted(truth.items()):
        path = folder / "html" / record["file"]
        if path.exists():
            yield Record(url, path, record)


def norm(text: str | None) -> str:
    """Lower case, no punctuation, folded white space: the form exact matches compare."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def truth_authors(value: Any) -> list[str]:
    """Annotated authors as a list of names."""
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


_CONNECTORS = re.compile(r"\b(?:and|und|et|y|i|oraz|by|von)\b")
#: An academic title before a name ("Dr. Andrew Huberman", "Prof. Dr. Anna Berg"): no part of who the
#: person is; annotations and pages write it or not. Not a form of address: "Mr. Smith" and "Mrs. Smith"
#: are two people; and only before two words or more ("Dr. Dre" is not "Dre").
_HONORIFIC = re.compile(r"(?:(?<=^)|(?<=[\s,;&/]))(?:Dr|Prof|Dipl\.-Ing)\.?\s+(?=[A-ZÀ-Þ])")
#: A degree after a name and a comma ("Grant Tinsley, PhD", "Vanessa Mendez, MD"): the same person.
_DEGREE = re.compile(r",\s*(?:Ph\.?\s?D|M\.?\s?D|D\.?O|R\.?N|MPH|MSc|M\.?A|B\.?A|BSc|DDS|DVM)\.?(?=\s*(?:$|[,;&]))")


def _without_title(name: str) -> str:
    """A name without its academic titles, when two words or more of it remain."""
    bare = _HONORIFIC.sub("", name)
    return bare if len(_DEGREE.sub("", bare).split()) >= 2 else name


def _names_key(names: list[str]) -> list[str]:
    words = " ".join(norm(_DEGREE.sub("", _without_title(n))) for n in names)
    return sorted(_CONNECTORS.sub(" ", words).split())


def authors_match(found: list[str], truth: list[str]) -> bool:
    """The same people after normalising, however they are joined ("A and B", "A; B", a list), with or
    without a title before a name or a degree after it ("Dr. A", "A, PhD" and "A" are one person)."""
    return _names_key(found) == _names_key(truth)


@dataclass
class BodyScore:
    """Snippet counts in trafilatura's evaluation style."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, body: str | None, truth: dict[str, Any]) -> None:
        text = norm(body)
        for snippet in truth.get("with") or []:
            if norm(snippet) in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in truth.get("without") or []:
            if norm(snippet) and norm(snippet) in text:
                self.fp += 1
            else:
                self.tn += 1

    def figures(self) -> tuple[float, float, float]:
        precision = self.tp / max(self.tp + self.fp, 1)
        recall = self.tp / max(self.tp + self.fn, 1)
        f = 2 * precision * recall / max(precision + recall, 1e-9)
        return precision, recall, f
