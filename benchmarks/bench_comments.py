"""``make bench-comments``: comments as records on annotated real pages, beside trafilatura.

Usage: python -m benchmarks.bench_comments [FOLDER] [--show] [--gold-only]
Realpages' snippets: a page with annotated comments counts as found when every snippet appears in
the extracted comments (or, for archiver, when ``comments_status`` says they load from a third
party); a page without annotated comments counts as a false report when anything is reported.
The gold set (benchmarks/gold/comments/, hand-labelled comment by comment): per-comment recall
and precision, author, author URL, date, number, parent and kind right on the matched comments,
pages fully right and comments_status right, in all and per layout family (see
``benchmarks.gold.score``); trafilatura's comment text beside it (recall only: it gives one block).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

from archiver.extract import extract_article
from archiver.extract.document import decode_html, load_page
from benchmarks.bench_extract import FETCHED
from benchmarks.gold.score import Extracted, GoldScore, gold_pages, text_recall
from benchmarks.realpages import DEFAULT_DIR, Record, norm, records


@dataclass
class Tally:
    """Pages with comments found, pages without comments wrongly given some."""

    found: int = 0
    with_comments: int = 0
    found_in_html: int = 0
    in_html: int = 0
    false: int = 0
    without_comments: int = 0
    #: of the comment-free pages, those the hand-labelled gold set shows to have comments, and the
    #: ones of them given some (realpages annotates the main text; its comment snippets are not complete)
    labelled: int = 0
    false_labelled: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, record: Record, text: str, external: bool, page_text: str, labelled: bool = False) -> None:
        snippets = [s for s in record.truth.get("comments") or [] if norm(s)]
        if snippets:
            self.with_comments += 1
            in_html = all(norm(s) in page_text for s in snippets)
            self.in_html += in_html
            missing = [s for s in snippets if norm(s) not in norm(text)]
            if not missing or external:
                self.found += 1
                self.found_in_html += in_html
            elif in_html:
                self.misses.append(f"{record.path.name}: missing {missing[0][:60]!r}")
        else:
            self.without_comments += 1
            self.labelled += labelled
            if text.strip():
                self.false += 1
                self.false_labelled += labelled
                why = "false (the gold set labels comments here)" if labelled else "false"
                self.misses.append(f"{record.path.name}: {why} {text[:60]!r}")

    def report(self, label: str) -> str:
        false_share = self.false / max(self.without_comments, 1)
        return (
            f"{label:<12} comments found on {self.found}/{self.with_comments} pages "
            f"({self.found / max(self.with_comments, 1):.1%}); of pages whose comments are in the HTML: "
            f"{self.found_in_html}/{self.in_html} ({self.found_in_html / max(self.in_html, 1):.1%}); false comments on "
            f"{self.false}/{self.without_comments} comment-free pages ({false_share:.1%})" + self._beside_gold()
        )

    def _beside_gold(self) -> str:
        """The false share again, without the pages the gold set labels as having comments."""
        if not self.labelled:
            return ""
        free, false = self.without_comments - self.labelled, self.false - self.false_labelled
        return (
            f"; without the {self.labelled} of them the gold set labels as having comments: "
            f"{false}/{free} ({false / max(free, 1):.1%})"
        )


FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def golden_fixtures() -> list[tuple[bytes, str, list[dict[str, Any]]]]:
    """(html, url, golden comments) of every fixture page with hand-written expectations."""
    from archiver.demo import SITE_DIR

    found = []
    demo = json.loads((FIXTURES / "demo_expected.json").read_text(encoding="utf-8"))
    for path, golden in demo.items():
        if path.startswith("/"):
            found.append(
                ((SITE_DIR / path.lstrip("/")).read_bytes(), f"http://127.0.0.1:8642{path}", golden["comments"])
            )
    for golden_path in sorted((FIXTURES / "pages").glob("*.json")):
        golden = json.loads(golden_path.read_text(encoding="utf-8"))
        found.append((golden_path.with_suffix(".html").read_bytes(), golden["url"], golden.get("comments", [])))
    return found


@dataclass
class PerComment:
    """Per-comment precision and recall, and field accuracy on the matched comments."""

    extracted: int = 0
    expected: int = 0
    matched: int = 0
    right: Counter[str] = field(default_factory=Counter)

    def add(self, got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
        self.extracted += len(got)
        self.expected += len(want)
        unused = list(got)
        for w in want:
            key = norm(w.get("body"))[:80]
            match = next(
                (
                    g
                    for g in unused
                    if norm(g.get("body"))[:80] == key and norm(g.get("author")) == norm(w.get("author"))
                ),
                None,
            )
            match = match or next((g for g in unused if norm(g.get("body"))[:80] == key), None)
            if match is None:
                continue
            unused.remove(match)
            self.matched += 1
            for name in ("author", "published", "number", "parent"):
                self.right[name] += match.get(name) == w.get(name)

    def report(self) -> str:
        p = self.matched / max(self.extracted, 1)
        r = self.matched / max(self.expected, 1)
        fields = "  ".join(
            f"{n} {self.right[n] / max(self.matched, 1):.3f}" for n in ("author", "published", "number", "parent")
        )
        return f"fixtures     {self.expected} comments: precision {p:.3f} recall {r:.3f}; right on matched: {fields}"


def trafilatura_comments(html: bytes, url: str) -> str:
    doc = trafilatura.bare_extraction(decode_html(html), url=url, include_comments=True)
    return "" if doc is None or isinstance(doc, dict) else (doc.comments or "")


def gold(show: bool) -> None:
    """The gold set's figures, archiver's in full and trafilatura's recall beside them."""
    score, hits, total, pages = GoldScore(), 0, 0, 0
    for page in gold_pages():
        html = page.html()
        article = extract_article(html, page.url, fetched_at=FETCHED)
        score.add(page, Extracted(article.comments_status, [asdict(c) for c in article.comments]))
        found, wanted = text_recall(page, trafilatura_comments(html, page.url))
        hits, total, pages = hits + found, total + wanted, pages + 1
    if not pages:
        print("gold set: no labelled page is present under ../shared/bench")
        return
    print("\n".join(score.report("gold archiver")))
    recall = hits / max(total, 1)
    print(f"{'gold trafilatura':<16} {pages:>4} pages {total:>5} comments  recall {recall:.3f} (text only)")
    if show:
        print("\n".join(score.misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", action="store_true", help="print archiver's misses")
    parser.add_argument("--gold-only", action="store_true", help="only the hand-labelled gold set")
    args = parser.parse_args()
    gold(args.show)
    if args.gold_only:
        return
    ours, theirs = Tally(), Tally()
    labelled = {page.path.resolve() for page in gold_pages() if page.comments}
    for record in records(args.folder):
        with_comments = record.path.resolve() in labelled
        html = record.path.read_bytes()
        article = extract_article(html, record.url, fetched_at=FETCHED)
        page_text = norm(" ".join(load_page(html, record.url).tree.itertext()))
        text = "\n".join(f"{c.author or ''} {c.title or ''} {c.body or ''}" for c in article.comments)
        ours.add(record, text, (article.comments_status or "").startswith("external:"), page_text, with_comments)
        theirs.add(record, trafilatura_comments(html, record.url), False, page_text, with_comments)
    print(ours.report("archiver"))
    print(theirs.report("trafilatura"))
    per_comment = PerComment()
    for html, url, want in golden_fixtures():
        article = extract_article(html, url, fetched_at=FETCHED)
        per_comment.add([asdict(c) for c in article.comments], want)
    print(per_comment.report())
    if args.show:
        print("\n".join(ours.misses))


if __name__ == "__main__":
    main()
