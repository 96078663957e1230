"""The comments of an article page as a browser rendered it: its own document's, or a frame's.

A crawl that renders a page (``archiver.crawl.render``) hands on the page's document and its frames'
documents as the browser holds them once their comment widgets filled; ``archiver reextract`` reads
the same documents again from their captures (the rendered page's ``response`` record and its
frames' ``resource`` records). Both read them here, so that the two read them alike: each document
in turn (the page's own first, then its frames' in the browser's order) through the comment
extractor, and the first that gives more comments than the page as fetched gave becomes the
article's comments, its status ``present``, its provenance ``rendered`` (the page's own document)
or ``rendered:frame:<URL>`` (a frame's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from w3lib.encoding import html_to_unicode

from archiver.extract import read_comment_page
from archiver.items import Article

#: The documents a browser made are text: the crawl hands them on, and captures a frame's, as UTF-8.
RENDERED_CONTENT_TYPE = "text/html; charset=utf-8"


def renders(mode: str, status: str | None) -> bool:
    """Whether a crawl rendering in this mode (``ARCHIVER_RENDER_COMMENTS``, with a browser to do it)
    renders an article of this comment status: ``always`` every one, ``auto`` those whose comments load by
    script (``script``, ``external:<service>``), ``off`` none. The crawl's decision (``RenderPolicy``), and
    ``archiver import``'s about the pages of a crawl's files."""
    if mode == "always":
        return True
    return mode != "off" and (status == "script" or (status or "").startswith("external:"))


@dataclass
class Document:
    """One document of a rendered page: the page's own (``frame`` False) or a frame's, with its open
    shadow roots inlined (``shadow_roots`` of them)."""

    url: str
    html: str
    frame: bool
    shadow_roots: int = 0


def read_rendered(article: Article, documents: Sequence[Document], fetched_at: datetime) -> tuple[Article, int | None]:
    """The article with the comments of the first document holding more than it has, and that document's
    index in ``documents``; (the article as it was, None) when none does."""
    for index, document in enumerate(documents):
        comments, _ = read_comment_page(document.html, document.url, fetched_at, RENDERED_CONTENT_TYPE)
        if len(comments) > len(article.comments):
            for comment in comments:
                comment.page_url = document.url
            article.comments, article.comments_status = comments, "present"
            article.provenance["comments"] = f"rendered:frame:{document.url}" if document.frame else "rendered"
            return article, index
    return article, None


def rendered_text(payload: bytes, content_type: str | None) -> str:
    """A rendered document's text from its capture, decoded as the crawl had it.

    scrapy-playwright encodes the browser's text in the charset of the page's Content-Type header,
    else in the one its markup declares, else in UTF-8, and the crawl reads that response as
    Scrapy's ``TextResponse`` does, with w3lib's ``html_to_unicode``: a byte order mark first, then
    that charset (browsers' names resolved: ``iso-8859-1`` is windows-1252), bytes it cannot decode
    replaced. The same function here gives the same text (a frame's document is captured in UTF-8).
    """
    return html_to_unicode(content_type or "", payload)[1]
