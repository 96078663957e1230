"""Comment pages: the other pages of an article's comments, and merging their comments in.

WordPress splits long discussions into ``/comment-page-2/`` or ``?cpage=2`` pages; other
platforms link "older comments" / "newer comments". Each is the same article with another
slice of its comments.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

from archiver.extract.document import Page
from archiver.extract.text import clean, inline_text
from archiver.items import Comment
from archiver.urls import join_url

_PAGE_IN_URL = re.compile(r"/comment-page-(\d+)/?|[?&](?:cpage|comment_page|commentpage|comments_page)=(\d+)", re.I)
_PAGE_LINK_TEXT = re.compile(
    r"(?:older|newer|previous|next|more|ältere|neuere|weitere|vorherige|nächste|anciens|récents)\s+"
    r"(?:comments|kommentare|commentaires)",
    re.IGNORECASE,
)
#: Links that only re-show an article (reply forms, comment feeds, comment pages): never articles.
NOT_AN_ARTICLE_URL = re.compile(r"/comment-page-\d+|[?&](?:cpage|replytocom|share|print)=|/feed/?$", re.I)


def comment_page_number(url: str) -> int | None:
    """The comment page a URL shows (``/comment-page-3/`` -> 3), or None for the article itself."""
    m = _PAGE_IN_URL.search(url)
    return int(m[1] or m[2]) if m else None


def _same_article(url: str, page_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(page_url)
    base = _PAGE_IN_URL.sub("", a.path).rstrip("/")
    return a.netloc == b.netloc and base == _PAGE_IN_URL.sub("", b.path).rstrip("/")


def _may_name_page(url: str) -> bool:
    """False when no URL joined from this one can show a comment page number (cheap pre-test).

    urljoin keeps path segments and queries whole and only drops tabs and line breaks, so a
    joined URL matching ``_PAGE_IN_URL`` has "comment-page-" or "page=" in one of its two parts.
    """
    folded = url.lower()
    if "\t" in folded or "\r" in folded or "\n" in folded:
        folded = folded.replace("\t", "").replace("\r", "").replace("\n", "")
    return "comment-page-" in folded or "page=" in folded


def _spelled(word: str, text: str) -> bool:
    """True when the letters of word appear in text in order (with anything between them)."""
    rest = iter(text)
    return all(letter in rest for letter in word)


def _link_text(link: lxml.html.HtmlElement) -> str:
    """The link's inline text, or "" when it cannot read like "older comments" (cheap pre-test).

    Cleaning only folds white space, so the words are in a plain link's own text; the inline
    text of a link with child elements keeps its texts in order, leaving some out (scripts,
    buttons): "comment" or "kommentar" in it is spelled out across the link's whole text.
    """
    if not len(link):
        text = link.text or ""
        folded = text.lower()
        return clean(text) if "comment" in folded or "kommentar" in folded else ""
    folded = link.text_content().lower()
    return inline_text(link) if _spelled("comment", folded) or _spelled("kommentar", folded) else ""


def comment_page_links(page: Page) -> list[str]:
    """URLs of the article's other comment pages linked from this page, without fragments."""
    found: dict[str, None] = {}
    here = page.url.split("#", 1)[0]
    any_link = _may_name_page(page.url)
    for link in page.tree.iterfind(".//a[@href]"):
        raw = link.get("href", "")
        text = _link_text(link)
        if not (any_link or _may_name_page(raw) or _PAGE_LINK_TEXT.search(text)):
            continue  # neither its URL nor its text can make it a comment page
        joined = join_url(page.url, raw)
        if joined is None:
            continue
        href = joined.split("#", 1)[0]
        is_page = comment_page_number(href) is not None or _PAGE_LINK_TEXT.search(text)
        if is_page and href != here and _same_article(href, page.url):
            found[href] = None
    return list(found)


def main_page_number(linked: list[int]) -> int:
    """The comment page the article URL itself shows: the first number its links leave out."""
    n = 1
    while n in linked:
        n += 1
    return n


def merge_comments(pages: list[tuple[int, list[Comment]]]) -> list[Comment]:
    """Comments of several pages in page order, once each, numbering continuing across pages.

    Numbers the page shows are kept; numbers by reading order continue from the previous page.
    """
    merged: list[Comment] = []
    seen: set[tuple[str | None, ...]] = set()
    for _, comments in sorted(pages, key=lambda p: p[0]):
        renumbered: dict[int | None, int] = {}
        for comment in comments:
            key = (comment.anchor,) if comment.anchor else (comment.author, comment.published, comment.body)
            if key in seen:
                continue
            seen.add(key)
            if comment.number_source == "order":
                renumbered[comment.number] = len(merged) + 1
                comment.number = len(merged) + 1
                comment.parent = renumbered.get(comment.parent) if comment.parent else None
            merged.append(comment)
    return merged
