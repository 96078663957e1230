"""Scoring extracted comments against the hand-labelled gold set (``benchmarks/gold/comments/``).

A labelled comment is found when an extracted comment's text holds both its ``text_start`` and
its ``text_end`` (compared with white space removed and case folded, as the labels' snippets
are checked against the page); each extracted comment is matched at most once, in page order.
On the matched comments: author (normalised as the other benchmarks compare names), author URL,
date (to the minute when the label has a time, the day otherwise, and the UTC offset when both
give one), number (the page's number when the label shows one, the position otherwise), parent
(the labelled parent's match) and kind. A page is fully right when its status is right, every
labelled comment is found, nothing else is reported, and every field of every comment is right.

Used by ``make bench-comments`` and by the test that keeps the extractor at the level reached.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.gold.check_gold import BENCH, GOLD, label_files, squeeze
from benchmarks.realpages import norm

#: The fields compared on matched comments, in the order reports print them.
FIELDS = ("author", "author_url", "date", "number", "parent", "kind", "title")


@dataclass
class GoldPage:
    """One labelled page: where its HTML is, and its labels."""

    name: str
    path: Path
    url: str
    layout: str
    status: str
    comments: list[dict[str, Any]]

    def html(self) -> bytes:
        body = self.path.read_bytes()
        return gzip.decompress(body) if self.path.suffix == ".gz" else body


def gold_pages(folder: Path = GOLD, bench: Path = BENCH) -> Iterator[GoldPage]:
    """The labelled pages whose HTML is present under ``bench``."""
    for path in label_files(folder):
        label = json.loads(path.read_text(encoding="utf-8"))
        page = bench / label["set"] / label["file"]
        if page.is_file():
            yield GoldPage(path.stem, page, label["url"], label["layout"], label["status"], label["comments"])


@dataclass
class Extracted:
    """What an extractor said about a page's comments (dicts with Comment's fields)."""

    status: str | None
    comments: list[dict[str, Any]]


def _folded(text: str | None) -> str:
    """Text as compared: spacing squeezed, case folded, invisible format characters (zero-width
    spaces and joiners, soft hyphens, byte-order marks: Unicode's Cf) left out, as a reader sees it."""
    return squeeze("".join(c for c in (text or "") if unicodedata.category(c) != "Cf")).casefold()


def match(want: Sequence[dict[str, Any]], got: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Labelled position -> index in ``got`` of the extracted comment that holds its text."""
    texts = [_folded(g.get("body")) for g in got]
    used: set[int] = set()
    found: dict[int, int] = {}
    start = 0  # page order first: look from just after the previous match, then from the top
    for w in want:
        head, tail = _folded(w["text_start"]), _folded(w["text_end"])
        order = [*range(start, len(got)), *range(start)]
        hit = next((i for i in order if i not in used and head in texts[i] and tail in texts[i]), None)
        if hit is not None:
            used.add(hit)
            found[w["position"]] = hit
            start = hit + 1
    return found


def date_right(want: str | None, got: str | None) -> bool:
    """The extracted date says what the label says, at the label's precision."""
    if want is None:
        return True
    if not got:
        return False
    if len(want) == 10:
        return got[:10] == want
    if got[:16] != want[:16]:
        return False
    offset = re.compile(r"([+-]\d\d:\d\d|Z)$")
    w, g = offset.search(want), offset.search(got)
    if w and g:
        return w.group(1).replace("Z", "+00:00") == g.group(1).replace("Z", "+00:00")
    return True


def number_right(want: str | None, got: dict[str, Any]) -> bool:
    if want is None:
        return got.get("number_source") != "page"
    digits = re.sub(r"\D", "", want)  # "01" as shown is number 1
    return got.get("number_source") == "page" and digits.isdigit() and got.get("number") == int(digits)


def _url(value: str | None) -> str:
    return (value or "").rstrip("/").lower()


@dataclass
class Tally:
    """Counts for one group of pages (the whole set or one layout family)."""

    pages: int = 0
    pages_right: int = 0
    status_right: int = 0
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    right: Counter[str] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)

    def figures(self) -> dict[str, float]:
        out = {
            "recall": self.matched / max(self.expected, 1),
            "precision": self.matched / max(self.extracted, 1) if self.extracted else 1.0,
            "pages_right": self.pages_right / max(self.pages, 1),
            "status": self.status_right / max(self.pages, 1),
        }
        out.update({name: self.right[name] / max(self.checked[name], 1) for name in FIELDS})
        return out

    def line(self, label: str) -> str:
        f = self.figures()
        fields = "  ".join(f"{n} {f[n]:.3f}" for n in FIELDS)
        return (
            f"{label:<16} {self.pages:>4} pages {self.expected:>5} comments  recall {f['recall']:.3f} "
            f"precision {f['precision']:.3f}  {fields}  pages right {f['pages_right']:.3f}  status {f['status']:.3f}"
        )


@dataclass
class GoldScore:
    """The whole set, per layout family, and the misses to show."""

    total: Tally = field(default_factory=Tally)
    layouts: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, page: GoldPage, got: Extracted) -> None:
        tallies = (self.total, self.layouts.setdefault(page.layout, Tally()))
        found = match(page.comments, got.comments)
        by_number = {got.comments[i].get("number"): pos for pos, i in found.items()}
        by_number.pop(None, None)
        wrong: list[str] = []
        for w in page.comments:
            i = found.get(w["position"])
            if i is None:
                wrong.append(f"missing #{w['position']} {w['text_start'][:40]!r}")
                continue
            g = got.comments[i]
            checks = {
                "author": (True, norm(g.get("author")) == norm(w["author"])),
                "author_url": (w["author_url"] is not None, _url(g.get("author_url")) == _url(w["author_url"])),
                "date": (w["date"] is not None, date_right(w["date"], g.get("published"))),
                "number": (True, number_right(w["number"], g)),
                "parent": (True, by_number.get(g.get("parent")) == w["parent"]),
                "kind": (True, (g.get("kind") or "comment") == ("comment" if w["kind"] == "deleted" else w["kind"])),
                "title": (True, norm(g.get("title")) == norm(w["title"])),
            }  # fmt: skip
            for name, (counted, ok) in checks.items():
                if not counted:
                    continue
                for t in tallies:
                    t.checked[name] += 1
                    t.right[name] += ok
                if not ok:
                    shown = {"date": g.get("published"), "number": g.get("number")}.get(name, g.get(name))
                    wrong.append(f"#{w['position']} {name}: want {w.get(name)!r} got {shown!r}")
        extra = len(got.comments) - len(found)
        if extra:
            wrong.append(f"{extra} comment(s) not in the labels")
        status_ok = (got.status or "none") == page.status
        if not status_ok:
            wrong.append(f"status: want {page.status} got {got.status}")
        for t in tallies:
            t.pages += 1
            t.expected += len(page.comments)
            t.extracted += len(got.comments)
            t.matched += len(found)
            t.status_right += status_ok
            t.pages_right += not wrong
        if wrong:
            self.misses.append(f"{page.name} ({page.layout}): " + "; ".join(wrong[:6]))

    def report(self, label: str) -> list[str]:
        lines = [self.total.line(label)]
        for layout, tally in sorted(self.layouts.items(), key=lambda kv: -kv[1].expected):
            lines.append(tally.line(f"  {layout}"))
        return lines


def text_recall(page: GoldPage, text: str) -> tuple[int, int]:
    """(labelled comments whose start and end are in ``text``, labelled comments): for extractors
    that give the comments as one block of text, such as trafilatura."""
    folded = _folded(text)
    hits = sum(_folded(w["text_start"]) in folded and _folded(w["text_end"]) in folded for w in page.comments)
    return hits, len(page.comments)
