"""The generic layer: trafilatura for the main text and, where the other layers found
nothing, its author and title heuristics and htmldate for the date."""

from __future__ import annotations

import copy
import logging
import re
from datetime import datetime

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura import metadata as trafilatura_metadata

from archiver.extract.dates import parse_date
from archiver.extract.document import html_parser
from archiver.extract.metadata import outside_boilerplate
from archiver.extract.text import clean, normalize_paragraphs

# trafilatura logs ordinary extraction failures at ERROR; for archiver they are expected.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


#: Class words that markup conventions reserve for an article's container, most specific first
#: (after itemprop=articleBody; <article> comes last).
_MAIN_CLASSES = ("entry-content", "post-content", "article-body", "post-body")
#: Every element that may be a main container, in one walk of the page (each is then tested
#: exactly, in Python).
_MAIN_CANDIDATES = etree.XPath(
    "//@itemprop[. = 'articleBody']/.. | //article | //@class["
    + " or ".join(f"contains(., '{word}')" for word in _MAIN_CLASSES)
    + "]/.."
)
#: XPath's normalize-space() folds these characters only (str.split() would fold more).
_XML_SPACE = re.compile(r"[ \t\r\n]+")


_PARAGRAPH_TEXT = etree.XPath(".//p//text()")


def _paragraph_words(el: lxml.html.HtmlElement) -> int:
    return len(" ".join(_PARAGRAPH_TEXT(el)).split())


def main_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The page cut down to its article container, when one holds most of the page's paragraphs.

    trafilatura then works on a small tree: the same text for a fraction of the time.
    """
    candidates = _MAIN_CANDIDATES(tree)
    if not candidates:
        return None
    class_words = [set(_XML_SPACE.split(el.get("class", ""))) for el in candidates]
    places = [[el for el in candidates if el.get("itemprop") == "articleBody"]]
    places += [[el for el, w in zip(candidates, class_words, strict=True) if word in w] for word in _MAIN_CLASSES]
    places.append([el for el in candidates if el.tag == "article"])
    total = None
    for found in places:
        if len(found) == 1:
            total = _paragraph_words(tree) if total is None else total
            if total and _paragraph_words(found[0]) >= 0.6 * total:
                page = html_parser().makeelement("html")  # C class lookup, as for the page itself
                body = etree.SubElement(page, "body")
                body.append(copy.deepcopy(found[0]))
                return page
    return None


def generic_body(tree: lxml.html.HtmlElement, url: str, region: lxml.html.HtmlElement | None) -> str | None:
    """Main text by trafilatura (comments excluded), paragraphs as blank lines.

    ``region`` is the page's article container from ``main_region``, or None.
    """
    try:
        doc = trafilatura.bare_extraction(
            tree if region is None else region,
            url=url,
            include_comments=False,
            include_tables=True,
            fast=region is not None,  # an article container needs no second opinion from the fallbacks
        )
    except ValueError:
        return None
    if doc is None or isinstance(doc, dict) or not doc.text:
        return None
    return normalize_paragraphs(doc.text.replace("\n", "\n\n")) or None


#: trafilatura's byline rules (trafilatura.xpaths.AUTHOR_XPATHS), with its regular-expression
#: tests spelled as contains() so that libxml2 evaluates them without calling back into Python,
#: and each attribute test walking that attribute's axis (``//@class[...]/..``, not
#: ``//*[...@class...]``): the same elements in document order, two to three times faster.
_AUTHOR_XPATHS = [
    etree.XPath(
        "(//@rel[. = 'author'] | //@id[. = 'author'] | //@itemprop[. = 'author name']"
        " | //@data-testid[. = 'AuthorCard' or . = 'AuthorURL']"
        " | //@class[. = 'author' or contains(., 'author-name') or contains(., 'authorname')"
        " or contains(., 'AuthorName') or contains(., 'authorName')])"
        "/parent::*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong]"
        " | //author"
    ),
    etree.XPath(
        "(//@itemprop[contains(., 'author')] | //@id[contains(., 'author')]"
        " | //@class[. = 'byline' or . = 'username' or . = 'byl' or . = 'BBL' or contains(., 'author')"
        " or contains(., 'channel-name') or contains(., 'submitted-by') or contains(., 'posted-by')"
        " or contains(., 'journalist-name')])"
        "/parent::*[self::a or self::div or self::h3 or self::h4 or self::p or self::span]"
    ),
    etree.XPath(
        "(//@data-component[contains(., 'Byline')] | //@itemprop[contains(., 'author')]"
        " | //@id[contains(., 'uthor')] | //@class[contains(., 'uthor') or contains(., 'screenname')"
        " or contains(., 'writer') or contains(., 'yline')])/.."
    ),
]


def generic_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's byline XPath rules, run on the page in place (no copy): comment areas,
    sidebars and footers are skipped by their ancestors instead of being cut from a copy."""
    for expression in _AUTHOR_XPATHS:
        for el in expression(tree):
            if not isinstance(el, lxml.html.HtmlElement) or not outside_boilerplate(el):
                continue
            text = clean(" ".join(t for t in el.xpath(".//text()[not(ancestor::time or ancestor::figure)]")))
            if 2 < len(text) < 120:
                return text
    return None


def generic_title(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's title heuristics."""
    return trafilatura_metadata.extract_title(tree)


def generic_date(tree: lxml.html.HtmlElement, now: datetime, region: lxml.html.HtmlElement | None) -> str | None:
    """htmldate's publication date from markup and URL rules, never later than now.

    htmldate's "extensive search" is not used: it runs dateparser's language detection,
    which costs about 0.2 s a page; the first date in the article's own text serves instead.
    """
    try:
        found = find_date(tree, extensive_search=False, original_date=True, max_date=now.strftime("%Y-%m-%d"))
    except ValueError:
        found = None
    return found or _first_text_date(tree if region is None else region, now)


def _first_text_date(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
    """The first short text in the page's main region that is a date."""
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]")[:4000]:
        text = text.strip()[:60]  # a date stands alone or opens a paragraph ("29.11.2022 – ...")
        if len(text) >= 6 and any(c.isdigit() for c in text[:30]):
            iso = parse_date(text if len(text) < 60 else text[:30], now)
            if iso:
                return iso
    return None
