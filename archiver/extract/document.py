"""A fetched page, decoded and parsed once, shared by every extraction layer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import charset_normalizer
import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom

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


#: Undeclared legacy pages are most often windows-1252 (what browsers assume for Western locales):
#: it wins over a detector's first guess that fits the bytes no better.
_PREFERRED = "cp1252"
_CHAOS_MARGIN = 0.05
#: A UTF-8 page may hold a few broken bytes (a cut multi-byte character); more mean another encoding.
_STRAY_BYTES = 8


def _detect(body: bytes) -> str | None:
    """The encoding of undeclared bytes, by charset-normalizer, windows-1252 preferred on a near tie."""
    matches = list(charset_normalizer.from_bytes(body[:200_000]))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    for match in matches:
        if match.encoding == _PREFERRED and match.chaos <= best + _CHAOS_MARGIN:
            return _PREFERRED
    return matches[0].encoding


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes as a browser would: BOM, header, meta charset, then detection.

    A declared UTF-8 (in the header or the page) that the bytes do not satisfy is ignored in
    favour of detection.
    """
    if read_bom(body)[0] is None:
        declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
        if declared is None or declared.replace("-", "").replace("_", "").lower() == "utf8":
            text = body.decode("utf-8", errors="replace")
            if text.count("\ufffd") <= _STRAY_BYTES:
                return text  # UTF-8, perhaps with a stray broken byte
            return body.decode(_detect(body) or _PREFERRED, errors="replace")  # declared UTF-8 but is not
    return html_to_unicode(content_type, body, auto_detect_fun=_detect)[1]


def _check_markup(text: str) -> None:
    head = text[:_SNIFF_BYTES]
    if head.encode("utf-8", "replace").startswith(_BINARY_MAGIC) or "\x00" in head:
        raise NotHTMLError("content is binary, not HTML")


#: lxml.html's own parser picks each node's class in Python (a call per node proxy, about a tenth
#: of extraction time); this lookup does it in C. Every element is a plain HtmlElement: the
#: form-field classes (FormElement, InputElement...) add only form-filling helpers nobody reads.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def html_parser() -> etree.HTMLParser:
    """A new HTML parser making lxml.html elements (comments dropped, no size limit)."""
    parser = etree.HTMLParser(remove_comments=True, huge_tree=True)
    parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse markup into an lxml tree; an empty document gives an empty <html>."""
    parser = html_parser()
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[-1]
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>", parser=parser)
    return root


def page_text(html: bytes | str, content_type: str | None = None) -> str:
    """Decoded markup (if bytes); raise NotHTMLError for binary content."""
    if isinstance(html, bytes):
        if html[:8].startswith(_BINARY_MAGIC):
            raise NotHTMLError("content is binary, not HTML")
        html = decode_html(html, content_type)
    _check_markup(html)
    return html


def load_page(html: bytes | str, url: str, content_type: str | None = None) -> Page:
    """Decode (if bytes) and parse a page; raise NotHTMLError for binary content."""
    text = page_text(html, content_type)
    return Page(url=url, text=text, tree=parse_html(text))
