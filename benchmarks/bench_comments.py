"""``make bench-comments``: comments as records on annotated real pages, beside trafilatura.

Usage: python -m benchmarks.bench_comments [FOLDER] [--show]
A page with annotated comments counts as found when every snippet appears in the extracted
comments (or, for archiver, when ``comments_status`` says they load from a third party);
a page without annotated comments counts as a false report when anything is reported.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from archiver.extract import extract_article
from archiver.extract.document import decode_html, load_page
from benchmarks.bench_extract import FETCHED
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
    misses: list[str] = field(default_factory=list)

    def add(self, record: Record, text: str, external: bool, page_text: str) -> None:
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
            if text.strip():
                self.false += 1
                self.misses.append(f"{record.path.name}: false {text[:60]!r}")

    def report(self, label: str) -> str:
        false_share = self.false / max(self.without_comments, 1)
        return (
            f"{label:<12} comments found on {self.found}/{self.with_comments} pages "
            f"({self.found / max(self.with_comments, 1):.1%}); of pages whose comments are in the HTML: "
            f"{self.found_in_html}/{self.in_html} ({self.found_in_html / max(self.in_html, 1):.1%}); false comments on "
            f"{self.false}/{self.without_comments} comment-free pages ({false_share:.1%})"
        )


def trafilatura_comments(html: bytes, url: str) -> str:
    doc = trafilatura.bare_extraction(decode_html(html), url=url, include_comments=True)
    return "" if doc is None or isinstance(doc, dict) else (doc.comments or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", action="store_true", help="print archiver's misses")
    args = parser.parse_args()
    ours, theirs = Tally(), Tally()
    for record in records(args.folder):
        html = record.path.read_bytes()
        article = extract_article(html, record.url, fetched_at=FETCHED)
        page_text = norm(" ".join(load_page(html, record.url).tree.itertext()))
        text = "\n".join(f"{c.author or ''} {c.body or ''}" for c in article.comments)
        ours.add(record, text, (article.comments_status or "").startswith("external:"), page_text)
        theirs.add(record, trafilatura_comments(html, record.url), False, page_text)
    print(ours.report("archiver"))
    print(theirs.report("trafilatura"))
    if args.show:
        print("\n".join(ours.misses))


if __name__ == "__main__":
    main()
