"""The generic layer: trafilatura for the main text and, where the other layers found
nothing, its author and title heuristics and htmldate for the date."""

from __future__ import annotations

import copy
import logging
from datetime import datetime

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura import metadata as trafilatura_metadata

from archiver.extract.dates import parse_date
from archiver.extract.text import normalize_paragraphs

# trafilatura logs ordinary extraction failures at ERROR; for archiver they are expected.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


#: Containers that markup conventions reserve for an article's text, most specific first.
_MAIN_XPATHS = (
    "//*[@itemprop='articleBody']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]",
    "//article",
)


def _paragraph_words(el: lxml.html.HtmlElement) -> int:
    return sum(len(" ".join(p.itertext()).split()) for p in el.iter("p"))


def main_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The page cut down to its article container, when one holds most of the page's paragraphs.

    trafilatura then works on a small tree: the same text for a fraction of the time.
    """
    total = _paragraph_words(tree)
    for xpath in _MAIN_XPATHS:
        found = tree.xpath(xpath)
        if len(found) == 1 and total and _paragraph_words(found[0]) >= 0.6 * total:
            page = lxml.html.Element("html")
            body = etree.SubElement(page, "body")
            body.append(copy.deepcopy(found[0]))
            return page
    return tree


def generic_body(tree: lxml.html.HtmlElement, url: str) -> str | None:
    """Main text by trafilatura (comments excluded), paragraphs as blank lines."""
    try:
        doc = trafilatura.bare_extraction(main_region(tree), url=url, include_comments=False, include_tables=True)
    except ValueError:
        return None
    if doc is None or isinstance(doc, dict) or not doc.text:
        return None
    return normalize_paragraphs(doc.text.replace("\n", "\n\n")) or None


def generic_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's byline heuristics (XPath rules over the page)."""
    return trafilatura_metadata.extract_author(tree)


def generic_title(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's title heuristics."""
    return trafilatura_metadata.extract_title(tree)


def generic_date(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
    """htmldate's publication date from markup and URL rules, never later than now.

    htmldate's "extensive search" is not used: it runs dateparser's language detection,
    which costs about 0.2 s a page; the first date in the article's own text serves instead.
    """
    try:
        found = find_date(tree, extensive_search=False, original_date=True, max_date=now.strftime("%Y-%m-%d"))
    except ValueError:
        found = None
    return found or _first_text_date(main_region(tree), now)


def _first_text_date(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
    """The first short text in the page's main region that is a date."""
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]")[:4000]:
        text = text.strip()[:60]  # a date stands alone or opens a paragraph ("29.11.2022 – ...")
        if len(text) >= 6 and any(c.isdigit() for c in text[:30]):
            iso = parse_date(text if len(text) < 60 else text[:30], now)
            if iso:
                return iso
    return None
