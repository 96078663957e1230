"""``make bench-extract``: archiver's extraction beside trafilatura alone, on two sets of real pages.

Usage: python -m benchmarks.bench_extract [FOLDER] [--set realpages|wcxb] [--wcxb FOLDER] [--show FIELD]
       [--unseen-dir DIR]

For each set: pages per CPU second, the body by the set's own measure (realpages: snippet
precision/recall/F; wcxb-dev: word F1 against ``main_content``, averaged over article pages),
title/author/date exact-match rates (and author/date again with the annotations corrected in
``benchmarks/gold/metadata-corrections.md``, where the page shows them wrong), the date's rate again on
the pages whose annotated day the HTML holds in some form (``date_presence``; both rates with their
page counts; an annotation naming no day, a month or a year, stays counted; the pages left out are
written to ``<set>-dates-not-in-html.tsv`` in ``--unseen-dir``, a new temporary folder by default,
whose path is printed), and
precision/recall of "is this an article?" (archiver: the crawl's own decision, ``page_type``;
trafilatura has none, its baseline is its ``pagetype``, read from ``og:type``, being "article").
A crawl also keeps forum threads (as threads): the "kept" figures count a thread kept for a forum
page as right. FOLDER is the realpages folder (default ``../shared/bench/realpages``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trafilatura

from archiver.extract import article_from_page, load_page, load_profiles, profile_for
from archiver.extract.document import decode_html
from archiver.extract.pagetype import page_type
from archiver.extract.structured import read_structured
from archiver.settings import declared
from benchmarks import realpages, wcxb
from benchmarks.date_presence import as_day, holds_day
from benchmarks.realpages import BodyScore, authors_match, norm, truth_authors

#: When the pages count as fetched: after every page of both sets was saved (wcxb-dev holds pages of
#: 2026), so no date they show is read as one in the future.
FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
MIN_WORDS = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
PROFILES = load_profiles()
FIELDS = ("title", "author", "date")
#: Annotations the pages themselves show wrong: {"<set>:<page>": {"date": ..., "author": ...}} ("" for none).
CORRECTIONS = Path(__file__).resolve().parent / "gold" / "metadata-corrections-dates-authors.json"


@dataclass
class Fields:
    """What one extractor said about one page."""

    title: str | None
    authors: list[str]
    date: str | None
    body: str | None
    article: bool | None  # its "is this an article?" decision, None when it has none
    reason: str = ""
    kept: bool | None = None  # whether a crawl keeps the page (an article or a thread)


@dataclass
class Page:
    """One page of a set, its truth in common terms."""

    name: str
    url: str
    html: bytes
    title: str | None
    author: Any
    date: str | None
    article: bool | None  # None: the set does not say
    truth: dict[str, Any]
    corrected: dict[str, str] = field(default_factory=dict)  # this page's entries in CORRECTIONS
    held: dict[str, bool] = field(default_factory=dict)  # whether the HTML holds a day, by day

    def holds(self, day: str) -> bool:
        """Whether the page's HTML holds the day in some form (asked once a day, for every extractor)."""
        if day not in self.held:
            self.held[day] = holds_day(self.html, day)
        return self.held[day]


@dataclass
class Score:
    """Running totals for one extractor on one set."""

    body: BodyScore | wcxb.WordF1
    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    corrected_hits: Counter[str] = field(default_factory=Counter)  # author and date, annotations corrected
    corrected_totals: Counter[str] = field(default_factory=Counter)
    seen_hits: Counter[str] = field(default_factory=Counter)  # the date where the HTML holds the annotated day
    seen_totals: Counter[str] = field(default_factory=Counter)  # "date" and "corrected" (its corrected day)
    unseen: list[str] = field(default_factory=list)  # the pages whose (corrected) annotated day the HTML lacks
    decision: wcxb.Decision = field(default_factory=wcxb.Decision)
    kept_decision: wcxb.Decision = field(default_factory=wcxb.Decision)  # threads kept as articles are
    kept: int = 0
    has_decision: bool = False
    cpu: float = 0.0
    pages: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, fields: Fields, page: Page) -> None:
        self.pages += 1
        self._add_decision(fields, page)
        if page.article is False:
            return  # fields are scored on articles only
        if isinstance(self.body, wcxb.WordF1):
            score = self.body.add(fields.body, page.truth.get("main_content"))
            if score < 0.8:
                self.misses.setdefault("body", []).append(f"{page.name}: word F1 {score:.3f} {page.url}")
        else:
            self.body.add(fields.body, page.truth)
        checks = {
            "title": (page.title, lambda: norm(fields.title) == norm(page.title)),
            "author": (page.author, lambda: authors_match(fields.authors, truth_authors(page.author))),
            "date": (page.date, lambda: (fields.date or "")[:10] == page.date),
        }
        for name, (expected, ok) in checks.items():
            if not expected:
                continue
            self.totals[name] += 1
            if ok():
                self.hits[name] += 1
            else:
                found = {"title": fields.title, "author": fields.authors, "date": fields.date}[name]
                self.misses.setdefault(name, []).append(f"{page.name}: want {expected!r} got {found!r}")
        self._add_corrected(fields, page)

    def _add_corrected(self, fields: Fields, page: Page) -> None:
        author = page.corrected.get("author", page.author)
        if author:
            self.corrected_totals["author"] += 1
            self.corrected_hits["author"] += authors_match(fields.authors, truth_authors(author))
        day = page.corrected.get("date", page.date)
        if day:
            self.corrected_totals["date"] += 1
            self.corrected_hits["date"] += (fields.date or "")[:10] == day
        self._add_seen(fields, page, "date", page.date)
        self._add_seen(fields, page, "corrected", day)

    def _add_seen(self, fields: Fields, page: Page, kind: str, day: str | None) -> None:
        if not day:
            return
        # An annotation naming no day (a month "2003-11", a year, "2022-29-11") cannot be looked for in
        # the page: it stays counted (a miss the extractor could see, or the annotation's own error).
        if as_day(day) is not None and not page.holds(day):
            if kind == "corrected":
                self.unseen.append(f"{page.name}\t{day}\t{page.url}")
            return
        self.seen_totals[kind] += 1
        self.seen_hits[kind] += (fields.date or "")[:10] == day

    def seen_report(self) -> str:
        """The date's rates on every page with an annotated date and on those whose HTML holds the day."""
        figures = []
        for kind, hits, totals in (
            ("date", self.hits, self.totals),
            ("corrected", self.corrected_hits, self.corrected_totals),
        ):
            every = f"{hits['date'] / max(totals['date'], 1):.3f} of {totals['date']}"
            held = f"{self.seen_hits[kind] / max(self.seen_totals[kind], 1):.3f} of {self.seen_totals[kind]}"
            figures.append(f"{kind} {every} pages with a date, {held} whose HTML holds the day")
        return "; ".join(figures)

    def _add_decision(self, fields: Fields, page: Page) -> None:
        if fields.article is None:
            return
        self.has_decision = True
        self.kept += fields.article if fields.kept is None else fields.kept
        if page.article is None:
            return
        self.decision.add(fields.article, page.article)
        if fields.kept is not None:
            self.kept_decision.add(fields.kept, page.article or page.truth.get("page_type") == "forum")
        if fields.article != page.article:
            kind = "kept" if fields.article else "dropped"
            line = f"{page.name}: {kind} {page.truth.get('page_type')} ({fields.reason}) {page.url}"
            self.misses.setdefault("article", []).append(line)

    def report(self, label: str, with_truth: bool) -> str:
        p, r, f = self.body.figures()
        rates = "  ".join(f"{n} {self.hits[n] / max(self.totals[n], 1):.3f}" for n in FIELDS)
        fixed = (f"{n} {self.corrected_hits[n] / max(self.corrected_totals[n], 1):.3f}" for n in ("author", "date"))
        rates += f" (corrected: {' '.join(fixed)})"
        speed = self.pages / max(self.cpu, 1e-9)
        if not self.has_decision:
            article = "article n/a"
        elif with_truth:
            ap, ar = self.decision.figures()
            article = f"article P {ap:.3f} R {ar:.3f}"
            if self.kept_decision.tp + self.kept_decision.fp:
                kp, kr = self.kept_decision.figures()
                article += f"  kept (article or thread vs article or forum) P {kp:.3f} R {kr:.3f}"
        else:
            article = f"kept {self.kept}/{self.pages}"
        return f"{label:<12} {speed:6.1f} pages/CPU-s  body P {p:.3f} R {r:.3f} F {f:.3f}  {rates}  {article}"


def run_archiver(html: bytes, url: str) -> Fields:
    """The crawl's decision and extraction, on one parse of the page as the crawl does."""
    page = load_page(html, url)
    data = read_structured(page.tree)
    kind = page_type(page, data, MIN_WORDS)
    a = article_from_page(page, FETCHED, data, profile_for(page.domain, PROFILES))
    reason = f"{kind.kind}: {kind.reason} [{' '.join(kind.signals)}]"
    return Fields(a.title, a.authors, a.published, a.body, kind.article, reason, kind.kept)


def run_trafilatura(html: bytes, url: str) -> Fields:
    doc = trafilatura.bare_extraction(decode_html(html), url=url, with_metadata=True, include_comments=False)
    if doc is None or isinstance(doc, dict):
        return Fields(None, [], None, None, False, "nothing extracted")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    pagetype = (doc.pagetype or "").lower()
    return Fields(doc.title, authors, doc.date, doc.text, pagetype == "article", f"pagetype:{pagetype or 'none'}")


def corrections() -> dict[str, dict[str, str]]:
    """The corrected annotations, by "<set>:<page>" (none when the file is absent)."""
    return json.loads(CORRECTIONS.read_text(encoding="utf-8")) if CORRECTIONS.exists() else {}


def realpages_pages(folder: Path) -> Iterator[Page]:
    fixed = corrections()
    for r in realpages.records(folder):
        t, name = r.truth, r.path.name
        yield Page(
            name, r.url, r.path.read_bytes(), t.get("title"), t.get("author"), t.get("date"), None, t,
            fixed.get(f"realpages:{name}", {}),
        )  # fmt: skip


def wcxb_pages(folder: Path) -> Iterator[Page]:
    fixed = corrections()
    for r in wcxb.records(folder):
        t = r.truth
        yield Page(
            r.id, r.url, r.html(), t.get("title"), t.get("author"), t.get("publish_date"), r.is_article, t,
            fixed.get(f"wcxb-dev:{r.id}", {}),
        )  # fmt: skip


@dataclass
class BenchSet:
    """A set of pages and how its body is scored."""

    name: str
    folder: Path
    pages: Callable[[Path], Iterator[Page]]
    body: Callable[[], BodyScore | wcxb.WordF1]
    body_note: str
    with_truth: bool  # whether the set says which pages are articles


Extractor = Callable[[bytes, str], Fields]


def measure(bench: BenchSet, extractors: dict[str, Extractor], limit: int | None) -> dict[str, Score]:
    scores = {name: Score(bench.body()) for name in extractors}
    for n, page in enumerate(bench.pages(bench.folder)):
        if limit is not None and n >= limit:
            break
        for name, extractor in extractors.items():  # alternating page by page: the same machine state
            start = time.process_time()
            fields = extractor(page.html, page.url)
            scores[name].cpu += time.process_time() - start
            scores[name].add(fields, page)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=realpages.DEFAULT_DIR, help="the realpages folder")
    parser.add_argument("--wcxb", type=Path, default=wcxb.DEFAULT_DIR, help="the wcxb-dev folder")
    parser.add_argument("--set", choices=["realpages", "wcxb"], action="append", help="only this set (repeatable)")
    parser.add_argument("--show", choices=[*FIELDS, "body", "article"], help="print archiver's misses for a field")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    parser.add_argument("--archiver-only", action="store_true", help="leave trafilatura out (quicker)")
    parser.add_argument(
        "--unseen-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="where to write the pages whose annotated day the HTML does not hold (default: a new temporary folder)",
    )
    args = parser.parse_args()
    sets = [
        BenchSet("realpages", args.folder, realpages_pages, BodyScore, "snippets", with_truth=False),
        BenchSet("wcxb-dev", args.wcxb, wcxb_pages, wcxb.WordF1, "word F1 of article pages", with_truth=True),
    ]
    chosen = [s for s in sets if not args.set or s.name.split("-")[0] in args.set]
    extractors: dict[str, Extractor] = {"archiver": run_archiver}
    if not args.archiver_only:
        extractors["trafilatura"] = run_trafilatura
    for bench in chosen:
        if not (bench.folder / "ground-truth.json").exists():
            raise SystemExit(f"bench-extract: no ground-truth.json in {bench.folder}")
    unseen_dir = args.unseen_dir or Path(tempfile.mkdtemp(prefix="bench_extract-"))
    unseen_dir.mkdir(parents=True, exist_ok=True)
    for bench in chosen:
        scores = measure(bench, extractors, args.limit)
        print(f"{bench.name}: {scores['archiver'].pages} pages from {bench.folder} (body: {bench.body_note})")
        for name, score in scores.items():
            print(score.report(name, bench.with_truth))
            print(f"{'':<12} {score.seen_report()}")
        unseen = unseen_dir / f"{bench.name}-dates-not-in-html.tsv"
        unseen.write_text("".join(f"{line}\n" for line in scores["archiver"].unseen), encoding="utf-8")
        print(f"{'':<12} pages whose annotated day the HTML does not hold: {unseen}")
        if args.show:
            print("\n".join(scores["archiver"].misses.get(args.show, [])))
        print()


if __name__ == "__main__":
    main()
