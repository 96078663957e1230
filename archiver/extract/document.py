"""A fetched page, decoded and parsed once, shared by every extraction layer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import charset_normalizer
import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, to_unicode

T = TypeVar("T")

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
    #: What the layers read from the tree more than once (the heading block), by name, each with the
    #: tree it was read from: a new tree is read again.
    memo: dict[str, tuple[lxml.html.HtmlElement, Any]] = field(default_factory=dict, repr=False, compare=False)

    def remembered(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``'s value for this page's tree, worked out once under ``key`` (``memo``); a new tree
        (the page re-parsed) is read again."""
        memo = self.memo.get(key)
        if memo is not None and memo[0] is self.tree:
            found: T = memo[1]
            return found
        value = compute()
        self.memo[key] = (self.tree, value)
        return value

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
#: The legacy encodings browsers detect (the WHATWG Encoding Standard's, as Python codecs): an
#: undeclared page is never read as a Mac or DOS code page nobody serves on the web.
_BROWSER_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_13",
    "iso8859_15", "koi8_r", "koi8_u", "cp866", "cp874",
    "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "euc_kr",
)  # fmt: skip
#: Those of them with characters of two bytes: bytes that decode as one of them without an odd
#: character are rarely single-byte text, whose high bytes seldom all pair up.
_MULTIBYTE = frozenset({"cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "euc_kr"})
#: Tags, removed before detection so that the page's text decides (bounded: linear on any bytes).
#: Safe in every encoding above, where "<" and ">" are never the second byte of a character.
_MARKUP = re.compile(rb"<[^<>]{0,4000}>")
_BIG_TEXT = 200_000


_COMMON_SIGNS = frozenset("©®°€™±×\u00ad")


def _odd(text: str) -> float:
    """The share of a decoding's non-ASCII characters that text in its right encoding rarely holds.

    Controls, private-use and unassigned code points, symbols but the common ones (© € ™...),
    Latin-1's rarer signs (¤ ¦ ª...),
    half-width katakana, Hangul jamo and rare CJK ideographs, and a capital letter right after a
    small one ("ЌчЌХ"): what a wrong guess makes of another encoding's bytes.
    """
    seen = odd = 0
    previous = ""
    for char in text:
        if char < "\x80":
            previous = char
            continue
        seen += 1
        code, category = ord(char), unicodedata.category(char)
        if (
            (category[0] in "CS" and char not in _COMMON_SIGNS)
            or (0xA1 <= code <= 0xBF and char not in "«»°·¿¡©®")
            or 0xFF61 <= code <= 0xFF9F  # half-width katakana
            or 0x3131 <= code <= 0x318E  # Hangul compatibility jamo
            or 0x3400 <= code <= 0x4DBF  # CJK extension A
            or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
            or (category == "Lu" and previous and unicodedata.category(previous) == "Ll")
        ):
            odd += 1
        previous = char
    return odd / max(seen, 1)


def _detect(body: bytes) -> str | None:
    """The encoding of undeclared bytes, as browsers guess it.

    charset-normalizer's candidates among the encodings browsers detect, on the page's text
    without its markup; the decodings with the fewest odd characters (``_odd``) kept, the least
    chaotic of them chosen, windows-1252 preferred on a near tie, then a two-byte encoding.
    """
    text = _MARKUP.sub(b" ", body[: _BIG_TEXT * 4])[:_BIG_TEXT]
    matches = list(charset_normalizer.from_bytes(text, cp_isolation=list(_BROWSER_ENCODINGS)))
    if not matches:
        return None
    oddness = [round(_odd(str(m)), 2) for m in matches]
    fitting = [m for m, o in zip(matches, oddness, strict=True) if o == min(oddness)]
    best = min(m.chaos for m in fitting)
    for match in fitting:
        if match.encoding == _PREFERRED and match.chaos <= best + _CHAOS_MARGIN:
            return _PREFERRED
    if all(m.encoding != _PREFERRED for m in matches):  # the detector keeps one of encodings decoding alike
        try:
            as_preferred = text.decode(_PREFERRED)
        except UnicodeDecodeError:
            as_preferred = None
        if any(str(m) == as_preferred for m in fitting if m.chaos <= best + _CHAOS_MARGIN):
            return _PREFERRED
    near = [m for m in fitting if m.chaos <= best + _CHAOS_MARGIN]
    multibyte = [m for m in near if m.encoding in _MULTIBYTE]
    return min(multibyte or fitting, key=lambda m: m.chaos).encoding


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes as a browser would: BOM, header, meta charset, then detection.

    A declared UTF-8 (in the header or the page) that the bytes do not satisfy is ignored in
    favour of detection.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None:
        return to_unicode(body[len(bom or b"") :], bom_encoding)
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if declared is None or declared.replace("-", "").replace("_", "").lower() == "utf8":
        text = body.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= _STRAY_BYTES:
            return text  # UTF-8, perhaps with a stray broken byte
        return body.decode(_detect(body) or _PREFERRED, errors="replace")  # declared UTF-8 but is not
    return to_unicode(body, declared)


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
    _join_trailing_markup(root)
    return root


def iter_document(tree: lxml.html.HtmlElement, tag: str) -> Iterator[lxml.html.HtmlElement]:
    """The document's elements of one tag in document order, as XPath's ``//tag`` finds them from any
    element of it: in the root and in the top-level elements beside it too (the second ``<html>`` of a
    page sent twice, which ``parse_html`` leaves there), where ``root.iter(tag)`` looks in the root only."""
    root = tree.getroottree().getroot()
    for top in (*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()):
        yield from top.iter(tag)


def _join_trailing_markup(root: lxml.html.HtmlElement) -> None:
    """Put the markup after a stray ``</body>`` or ``</html>`` into the page's ``<body>``, as browsers do.

    libxml2 ends the document's element at the first ``</body></html>`` and makes what follows a
    second top-level ``<html>`` that a reader of the tree never sees: a template that closes the
    page after its header leaves the whole article there. After a ``</body>`` alone it puts what
    follows beside the ``<body>``, under ``<html>``, where readers of ``//body`` miss it. HTML's
    parsing rules read all of it into the body: text, elements, and of a second ``<html>``'s
    ``<head>`` and ``<body>`` (their tags ignored) what they hold (a ``<script>``, ``<meta>`` or
    ``<title>`` there goes to the body too). A second copy of the whole page (a server or cache that
    sends it twice: its text is the first one's, or most of it, again) is left out, or the page
    would give its article and comments twice.
    """
    body = root.find("body")
    if body is None:
        return
    late = list(body.itersiblings())
    if late or (body.tail or "").strip():
        _add_text(body, body.tail)
        body.tail = None
        body.extend(late)
    trailing = [el for el in root.itersiblings() if el.tag == "html"]
    if not trailing:
        return
    first = "".join("".join(root.itertext()).split())
    for extra in trailing:
        again = "".join("".join(extra.itertext()).split())
        if again and again in first and len(again) >= 0.5 * len(first):
            continue
        _add_text(body, extra.text)
        for child in list(extra):
            if child.tag in ("head", "body"):
                _add_text(body, child.text)
                body.extend(list(child))
                _add_text(body, child.tail)
            else:
                body.append(child)


def _add_text(el: lxml.html.HtmlElement, text: str | None) -> None:
    """Put text at the end of an element's content."""
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


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


_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)


def shown_texts(el: lxml.html.HtmlElement, hidden: tuple[str, ...]) -> list[str]:
    """``el.xpath(".//text()[not(ancestor::script or ancestor::style)]")`` (for ``hidden`` =
    ``("script", "style")``), several times faster: libxml2 walks the ancestors of every text for
    those tests, the cost of the whole search. Here each part of el holding no hidden element gives
    its texts in one ``.//text()``, and only the elements around them are walked in Python, the texts
    of each in document order: its ``text``, then each child's texts and ``tail`` (one text node
    each: the HTML parser joins adjacent texts, and lxml's ``text`` and ``tail`` are the text nodes
    before the first child and after an element). An element inside a hidden one has none. Comments
    and processing instructions among the children give only their tails, as in the XPath (their
    own text is no text node).

    That needs a tree as ``parse_html`` gives it, or changed only by ``drop_tree`` and by setting
    ``text`` and ``tail`` (each then one text node again): after ``etree.strip_tags`` a ``text`` or
    ``tail`` may stand for several text nodes, which the XPath gives one by one.
    """
    if el.tag in hidden or next(el.iterancestors(*hidden), None) is not None:
        return []
    inside = set(el.iterdescendants(*hidden))
    if not inside:
        return _TEXT_NODES(el)
    around: set[lxml.html.HtmlElement] = set()  # the elements below el that hold a hidden one
    for one in inside:
        for up in one.iterancestors():
            if up is el or up in around:
                break
            around.add(up)
    texts = [el.text] if el.text is not None else []
    stack = [(el, iter(el))]
    while stack:
        parent, children = stack[-1]
        for child in children:
            if child in inside or not isinstance(child.tag, str):
                pass  # hidden, or a comment or processing instruction: only the tail is a text of el's
            elif child in around:
                if child.text is not None:
                    texts.append(child.text)
                stack.append((child, iter(child)))
                break
            else:
                texts.extend(_TEXT_NODES(child))
            if child.tail is not None:
                texts.append(child.tail)
        else:
            stack.pop()
            if stack and parent.tail is not None:
                texts.append(parent.tail)
    return texts
