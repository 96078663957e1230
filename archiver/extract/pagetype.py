"""Is this page an article, or a listing, tag, author or about page?"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from archiver.extract.document import Page
from archiver.extract.pagination import NOT_AN_ARTICLE_URL
from archiver.extract.structured import ARTICLE_TYPES, StructuredData, node_types

_NOT_ARTICLE_PATH = re.compile(
    r"^/(?:tags?|category|categories|kategorie|rubrik|topics?|authors?|autor|page|search|suche|"
    r"archives?|about(?:-us)?|contact|kontakt|impressum|imprint|privacy|datenschutz|login|"
    r"register|feed|bio|team|newsletter|shop|cart)(?:/|\.html?$|$)|/page/\d+/?$|^/?$|^/index\.\w+$",
    re.IGNORECASE,
)
_BOILERPLATE = "ancestor::nav or ancestor::footer or ancestor::aside or ancestor::header or ancestor::form"


#: Chinese and Japanese text has no spaces between words: a run of these characters is counted
#: as one word per two characters (the average word length in both languages).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: Every byte but the UTF-8 lead bytes of U+3000..U+FFFF: deleting them from a text's UTF-8
#: leaves nothing when the text has no CJK character (a C loop, unlike a regex scan).
_NOT_CJK_LEAD = bytes(b for b in range(256) if not 0xE3 <= b <= 0xEF)


def count_words(text: str) -> int:
    """Words in a text: space-separated words, and CJK runs at two characters a word."""
    if text.isascii() or not text.encode("utf-8", "surrogatepass").translate(None, _NOT_CJK_LEAD):
        return len(text.split())  # no CJK character
    cjk = sum(max(1, len(run) // 2) for run in _CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + cjk


#: Where paragraphs are not the article's text.
_BOILERPLATE_TAGS = ("nav", "footer", "aside", "header", "form")
_TEXTS = etree.XPath(".//text()", smart_strings=False)


def _has_words(page: Page, min_words: int) -> bool:
    """Whether the paragraphs outside boilerplate hold min_words words (counted until they do).

    An outermost paragraph's texts hold those of the paragraphs inside it; the texts joined by
    spaces count as the sum of their counts (neither words nor CJK runs cross a space).
    """
    words = 0
    for paragraph in page.tree.iter("p"):
        if next(paragraph.iterancestors(*_BOILERPLATE_TAGS, "p"), None) is None:
            words += count_words(" ".join(_TEXTS(paragraph)))
            if words >= min_words:
                return True
    return words >= min_words


def _teasers(page: Page) -> int:
    return len(page.tree.xpath(f"//*[self::h2 or self::h3][.//a[@href]][not({_BOILERPLATE})]"))


_DATE_PLACES = (
    "//@class[contains(., 'date') or contains(., 'byline') or contains(., 'posted')"
    f" or contains(., 'meta')]/parent::*[not({_BOILERPLATE})]//text()"
)


def _has_date(page: Page, data: StructuredData) -> bool:
    if data.article and data.article.get("datePublished"):
        return True
    if data.first_meta("article:published_time", "date", "dc.date", "datepublished"):
        return True
    if page.tree.xpath(f"//time[not({_BOILERPLATE})] | //@itemprop[. = 'datePublished']/.."):
        return True
    return bool(re.search(r"\b(?:19|20)\d{2}\b", " ".join(page.tree.xpath(_DATE_PLACES, smart_strings=False))))


@dataclass(frozen=True)
class PageType:
    """The crawl's decision on a page: an article (kept) or not, and the rule that decided."""

    article: bool
    #: A short machine-readable reason, such as "structured:NewsArticle" or "teasers:12".
    reason: str


def page_type(page: Page, data: StructuredData, min_words: int = 60) -> PageType:
    """Whether a page is a single article, and why: structured data says so, or one dated long text."""
    if NOT_AN_ARTICLE_URL.search(page.url):
        return PageType(False, "url:comment-page")
    types = node_types(data.article) & ARTICLE_TYPES if data.article else set()
    og_type = (data.first_meta("og:type") or "").lower()
    structured = f"structured:{min(types)}" if types else ("og:article" if og_type == "article" else None)
    if _NOT_ARTICLE_PATH.search(urlsplit(page.url).path) and not structured:
        return PageType(False, "url:listing")
    if not _has_words(page, min_words):
        return PageType(False, f"words:<{min_words}")
    if structured:
        return PageType(True, structured)
    teaser_articles = len(page.tree.xpath("//article[.//*[self::h2 or self::h3 or self::h4]//a[@href]]"))
    if teaser_articles > 2:
        return PageType(False, f"teasers:{teaser_articles}")
    teasers = _teasers(page)
    if teasers > 5:
        return PageType(False, f"teasers:{teasers}")
    if _has_date(page, data):
        return PageType(True, "dated-text")
    return PageType(False, "undated")


def is_article_page(page: Page, data: StructuredData, min_words: int = 60) -> bool:
    """True for a single article (``page_type``'s decision)."""
    return page_type(page, data, min_words).article
