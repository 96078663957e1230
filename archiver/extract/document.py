"""A fetched page, decoded and parsed once, shared by every extraction layer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import charset_normalizer
import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom

#: Bytes looked at to tell markup from binary content.
_SNIFF_BYTES = 2048
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


class NotHTMLError(ValueError):
    """The content is not an HTML page (a PDF, an image, other binary data)."""


@dataclass
class Page:
    """One page: its URL, its decoded text and its parsed tree."""

    url: str
    text: str
    tree: lxml.html.HtmlElement

    @property
    def domain(self) -> str:
        """The page's host name without a leading "www."."""
        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes as a browser would: BOM, header, meta charset, then detection.

    A declared UTF-8 that the bytes do not satisfy is ignored in favour of detection.
    """
    if read_bom(body)[0] is None and content_type is None:
        declared = html_body_declared_encoding(body)
        if declared is None or declared.replace("-", "").lower() in {"utf8"}:
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                return html_to_unicode(None, body, auto_detect_fun=_detect)[1]
    return html_to_unicode(content_type, body, auto_detect_fun=_detect)[1]


def _check_markup(text: str) -> None:
    head = text[:_SNIFF_BYTES]
    if head.encode("utf-8", "replace").startswith(_BINARY_MAGIC) or "\x00" in head:
        raise NotHTMLError("content is binary, not HTML")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse markup into an lxml tree; an empty document gives an empty <html>."""
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=True)
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[-1]
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>")
    return root


def load_page(html: bytes | str, url: str, content_type: str | None = None) -> Page:
    """Decode (if bytes) and parse a page; raise NotHTMLError for binary content."""
    if isinstance(html, bytes):
        if html[:8].startswith(_BINARY_MAGIC):
            raise NotHTMLError("content is binary, not HTML")
        html = decode_html(html, content_type)
    _check_markup(html)
    return Page(url=url, text=html, tree=parse_html(html))
