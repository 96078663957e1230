"""archiver's own reader of a plain article container: the text trafilatura's fast mode gives of it,
in one walk of the container, without trafilatura's copies, cleaning and conversion of the tree.

A plain container holds paragraphs, headings, lists of one-line items and quotations of paragraphs,
written with inline markup (links, emphasis, spans, images, line breaks), in ``<div>`` wrappers or
not, beside what trafilatura deletes whole (scripts, styles, figures, embeds, buttons...); none of
its elements is one that trafilatura's rules on tags, classes, ids and styles prune or take for the
article's container, and each block with links is one its link-density test surely keeps or surely
drops. trafilatura's text of such a container is every kept block's, in document order: archiver
writes it so. Any other container is read by trafilatura (``plain_text`` gives None). The reader
gives trafilatura's lines, white space folded in each (as the body folds it), on the containers of
the sets' 2,367 pages (the generated sites, the fixtures, the demo site, realpages, wcxb-dev;
benchmarks/RESULTS.md), not in general: it mirrors trafilatura 2.3.1's rules, and a review found
containers where it did not (a link's text counted with a script's or a ``<noscript>``'s, a heading
before a blank paragraph at the end, a list item broken in the source before its text, characters
XML cannot hold), since fixed. tests/test_body_container*.py hold it against trafilatura itself.
"""

from __future__ import annotations

import functools
import itertools
import re
from html import unescape

import lxml.html
from lxml import etree

#: Block elements a plain container holds, with the kind trafilatura makes of them.
_BLOCKS = {
    "p": "p",
    "h1": "head",
    "h2": "head",
    "h3": "head",
    "h4": "head",
    "h5": "head",
    "h6": "head",
    "ul": "list",
    "ol": "list",
    "blockquote": "quote",
}
#: Elements around blocks that trafilatura reads through (a ``<div>`` is no text of its own in a
#: container of ``_MIN_PARAGRAPH_CHARS`` or more; a ``<header>``, no element of its own at all).
_WRAPPERS = frozenset(("div", "section", "header"))
#: Inline elements whose text trafilatura keeps in place: links, the formatting it strips without
#: ``include_formatting`` (its ``REND_TAG_MAPPING``), spans, and the tags it strips (``MANUALLY_STRIPPED``
#: but those that hold blocks or ruby text).
_INLINE = frozenset(
    [
        "a",
        "span",
        "em",
        "i",
        "b",
        "strong",
        "u",
        "kbd",
        "samp",
        "tt",
        "var",
        "sub",
        "sup",
        "br",
        "abbr",
        "acronym",
        "bdi",
        "bdo",
        "big",
        "cite",
        "data",
        "dfn",
        "font",
        "img",
        "ins",
        "mark",
        "nobr",
        "small",
        "wbr",
    ]
)
#: Elements trafilatura deletes with their content (its ``MANUALLY_CLEANED``; ``<form>`` and ``<figure>``
#: have rules of their own and are not skipped here): scripts, styles, embeds, buttons, figures...
_SKIPPED = frozenset(
    [
        "aside",
        "embed",
        "fencedframe",
        "footer",
        "iframe",
        "menu",
        "object",
        "script",
        "applet",
        "audio",
        "canvas",
        "map",
        "picture",
        "svg",
        "video",
        "area",
        "blink",
        "button",
        "datalist",
        "dialog",
        "frame",
        "frameset",
        "fieldset",
        "link",
        "input",
        "label",
        "legend",
        "marquee",
        "menuitem",
        "nav",
        "noindex",
        "noscript",
        "optgroup",
        "option",
        "output",
        "param",
        "progress",
        "rp",
        "rt",
        "rtc",
        "select",
        "source",
        "style",
        "track",
        "textarea",
        "time",
        "use",
    ]
)
#: The tag trafilatura's element rules see in place of an HTML tag (after its ``convert_tags``).
_CONVERTED = {
    "ul": "list",
    "ol": "list",
    "li": "item",
    "blockquote": "quote",
    "br": "lb",
    "a": "ref",
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "head"),
}
#: The kind of a block of white space only: no line of the text, but a block of trafilatura's, which
#: ends its drop of the headings that end the text.
_BLANK = "blank"
#: trafilatura's ``MIN_EXTRACTED_SIZE`` times three: a container with fewer characters of paragraph
#: text is read with its ``<div>`` elements as text too, and a short text goes to its rescue stages.
_MIN_PARAGRAPH_CHARS = 750
#: trafilatura's link-density test (``link_density_test``) on a paragraph and a list: shorter than
#: the first length when another block follows it, than the second when it is the last one, it is
#: boilerplate when links hold 0.8 of its text or most of its links are short.
_LINK_LIMITS = {"p": (30, 60), "list": (100, 300)}
#: Characters by which archiver's count of a block's text may miss trafilatura's (white space
#: between items, a line break): a block this close to one of the test's length bounds is left to
#: it (and one whose link text is within a character a line of 0.8 of its text).
_LINK_MARGIN = 5
#: A ``<div>`` with links (the test reads it as boilerplate under 100 or 300 characters, or with
#: three children or more under 100) is kept for sure when it is longer by a third and holds at
#: most half of its text in links.
_LINKED_DIV_CHARS = 400
_LINKED_SHARE = 0.5


def plain_text(region: lxml.html.HtmlElement) -> str | None:
    """The text of ``main_region``'s copy of a plain container, one line a paragraph, heading, list
    item (``- item``) or line of a paragraph broken by ``<br>``, as trafilatura's fast mode writes
    it (trailing headings left out, as it leaves them); None when the container is not plain.

    Plain: the container and every element in it pass none of trafilatura's pruning rules (its
    boilerplate classes and ids: ``_plain_element``), it holds ``_MIN_PARAGRAPH_CHARS`` of paragraph
    text in two blocks or more, none the same as the one before it, its blocks (``_BLOCKS``, in
    ``_WRAPPERS``) hold inline markup only (a list, plain items; a quotation, plain paragraphs), with
    no text between them, and every block with links is one that trafilatura's link-density test
    surely keeps or surely drops (``_dropped_for_links``, ``_long_with_links``).
    """
    body = region.find("body")
    if body is None or len(body) != 1:
        return None
    container = body[0]
    if _text(container.text):
        return None
    blocks: list[tuple[str, list[str]]] = []
    if not _read_blocks(container, blocks) or (container.tag in _WRAPPERS and not _long_with_links(container, blocks)):
        return None
    if sum(len(line) for kind, lines in blocks if kind == "p" for line in lines) < _MIN_PARAGRAPH_CHARS:
        return None
    if not all(_plain_element(el, inner=el is not container) for el in container.iter() if el.attrib):
        return None  # (tried last: each new tag and attributes tries trafilatura's XPaths)
    end = len(blocks)
    while end and blocks[end - 1][0] in ("head", _BLANK):  # trafilatura drops the headings that end the text,
        end -= 1  # up to a block it keeps: one of white space only (which gives no line) is one
    trailing = [kind for kind, _ in blocks[end:]]
    if "head" in trailing and _BLANK in trailing[trailing.index("head") :]:
        return None  # (the headings before such a block are kept: not read here)
    blocks = [block for block in blocks[:end] if block[0] != _BLANK]
    if len(blocks) < 2 or any(a[1] == b[1] for a, b in itertools.pairwise(blocks)):
        return None  # one block: trafilatura tries its other readings; a block given twice: it drops one
    text = "\n".join(line for _, lines in blocks for line in lines)
    return unescape(text) if "&" in text else text


def _read_blocks(parent: lxml.html.HtmlElement, blocks: list[tuple[str, list[str]]]) -> bool:
    """Add the lines of the blocks in ``parent`` to ``blocks``; False when it holds what a plain
    container does not."""
    for block in parent:
        tag = block.tag
        if not isinstance(tag, str) or _text(block.tail):
            return False
        if tag in _SKIPPED or tag == "hr":  # (an <hr> is a line break of trafilatura's: none here)
            continue
        if tag == "figure":  # deleted with its caption, but for a figure holding a table (a <div> then)
            if block.find(".//table") is not None:
                return False
            continue
        if tag in _INLINE:  # between blocks, when it holds no text (an image, a link around one)
            parts: list[str] = []
            if not _inline_parts(block, parts) or _text("".join(parts)) or block.find(".//a") is not None:
                return False
            continue
        if tag in _WRAPPERS:
            inner: list[tuple[str, list[str]]] = []
            if _text(block.text) or not _read_blocks(block, inner) or not _long_with_links(block, inner):
                return False
            blocks.extend(inner)
            continue
        kind = _BLOCKS.get(tag)
        lines = None if kind is None else _block_lines(block, kind)
        if lines is None:
            return False
        if lines and kind in _LINK_LIMITS and block.find(".//a") is not None:
            dropped = _dropped_for_links(block, kind, lines)
            if dropped is None:
                return False
            if dropped:
                continue
        if lines:
            blocks.append((kind, lines))  # type: ignore[arg-type]
        elif any(block.itertext()):  # white space only: no line, but a block to trafilatura (_BLANK)
            blocks.append((_BLANK, []))
    return True


def _text(value: str | None) -> bool:
    """Whether a text or tail is more than white space (or holds what XML cannot: ``_NOT_XML``)."""
    return bool(value and (not value.isspace() or _NOT_XML.search(value)))


#: Characters an XML text cannot hold (C0 controls but tab and line breaks, U+FFFE, U+FFFF): lxml
#: refuses them where trafilatura sets a text, and trafilatura gives no text of such a container.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain_element(el: lxml.html.HtmlElement, inner: bool = True) -> bool:
    """Whether none of trafilatura's rules on an element's tag and attributes prunes ``el`` (nor,
    ``inner``, takes it for the article's container in place of the one ``main_region`` found)."""
    if not el.attrib:  # (its rules on a tag alone take an <article> or a <main>: never plain here)
        return True
    if el.tag == "strong" and "schema-faq-question" in el.get("class", ""):  # a heading to trafilatura
        return False
    read = _rule_attributes()
    key = tuple(item for item in el.attrib.items() if item[0] in read) if read else tuple(el.attrib.items())
    return not key or _plain_shell(el.tag, key, inner)


def _block_lines(block: lxml.html.HtmlElement, kind: str) -> list[str] | None:
    """The lines of one block, or None when it holds what a plain block does not."""
    if kind == "list":
        return _list_lines(block)
    if kind == "quote":
        return _quote_lines(block)
    if kind == "head" and block.find(".//a") is not None:
        return None
    return _inline_lines(block)


def _list_lines(block: lxml.html.HtmlElement) -> list[str] | None:
    items: list[str] = []
    for item in block:
        if item.tag != "li" or _text(item.tail):
            return None
        lines = _inline_lines(item)
        if lines is None or len(lines) > 1 or (lines and _broken_first(item)):
            return None
        items.extend(f"- {line}" for line in lines)
    return items


def _broken_first(item: lxml.html.HtmlElement) -> bool:
    """Whether an item with a ``<br>`` has a line break of the page's source before its first text:
    trafilatura, which keeps that white space, writes its ``- `` alone on a line there."""
    if item.find(".//br") is None:
        return False
    parts: list[str] = []
    _inline_parts(item, parts)
    text = "".join(parts).replace(_BREAK, "\n")
    return "\n" in text[: len(text) - len(text.lstrip())]


def _quote_lines(block: lxml.html.HtmlElement) -> list[str] | None:
    if len(block) == 0 or _text(block.text) or block.find(".//a") is not None:
        return None
    lines: list[str] = []
    for paragraph in block:
        if paragraph.tag != "p" or _text(paragraph.tail):
            return None
        found = _inline_lines(paragraph)
        if found is None:
            return None
        lines.extend(found)
    return lines


def _inline_lines(el: lxml.html.HtmlElement) -> list[str] | None:
    """The lines of an element holding text and inline markup only, each with its white space
    folded; None when it holds anything else. A ``<br>`` ends a line, and in an element with a
    ``<br>`` so does a line break of the page's source (trafilatura keeps that element's white
    space as it is, and its text output is cut into lines there)."""
    if len(el):
        parts: list[str] = []
        if not _inline_parts(el, parts):
            return None
        text = "".join(parts)
    else:  # (most paragraphs: their text alone)
        text = el.text or ""
    if not text.isprintable() and _NOT_XML.search(text.replace(_BREAK, "")):
        return None
    if _BREAK not in text:
        line = " ".join(text.split())
        line = line if line.isprintable() else _printable(line)
        return [line] if line else []
    lines = (" ".join(line.split()) for line in text.replace(_BREAK, "\n").splitlines())
    return [line for line in (line if line.isprintable() else _printable(line) for line in lines) if line]


def _printable(line: str) -> str:
    """The line without the characters trafilatura removes (``remove_control_characters``)."""
    return "".join(char for char in line if char.isprintable() or char.isspace())


#: A ``<br>`` in the text ``_inline_parts`` gathers: a character no HTML text holds (a line break of
#: the page's source is white space).
_BREAK = "\0"


def _inline_parts(el: lxml.html.HtmlElement, parts: list[str]) -> bool:
    """Add the text of an element and of its inline children, in document order, to ``parts``
    (a ``<br>`` as ``_BREAK``); False when it holds anything but inline markup."""
    parts.append(el.text or "")
    for child in el:
        if not isinstance(child.tag, str):
            return False
        if child.tag in _SKIPPED:  # deleted by trafilatura with its text; its tail stays
            parts.append(child.tail or "")
            continue
        if child.tag not in _INLINE:
            return False
        elif child.tag == "br":
            parts.append(_BREAK)
        elif not _inline_parts(child, parts):
            return False
        parts.append(child.tail or "")
    return True


def _long_with_links(block: lxml.html.HtmlElement, blocks: list[tuple[str, list[str]]]) -> bool:
    """Whether a ``<div>`` of blocks is without links, or long enough and holding little enough link
    text that trafilatura's link-density tests keep it for sure."""
    if block.find(".//a") is None:
        return True
    text = sum(len(line) for _, lines in blocks for line in lines)
    links = sum(len(_link_text(a)) for a in block.iter("a"))
    return text >= _LINKED_DIV_CHARS and links <= _LINKED_SHARE * text


def _link_text(link: lxml.html.HtmlElement) -> str:
    """A link's text, white space folded, without what trafilatura deletes before its link-density
    test (a script, a style, a ``<noscript>``, an icon's ``<svg><title>``: ``_SKIPPED``)."""
    parts: list[str] = []
    _kept_text(link, parts)
    return " ".join("".join(parts).split())


def _kept_text(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    if isinstance(el.tag, str):  # (a comment's or processing instruction's text is no text)
        parts.append(el.text or "")
    for child in el:
        if not isinstance(child.tag, str) or child.tag not in _SKIPPED:
            _kept_text(child, parts)
        parts.append(child.tail or "")


def _dropped_for_links(block: lxml.html.HtmlElement, kind: str, lines: list[str]) -> bool | None:
    """Whether trafilatura's link-density test (``link_density_test``) drops a paragraph or a list
    with links, read on its text as archiver counts it; None when the block is within
    ``_LINK_MARGIN`` of a bound of the test or its length is between the two limits where
    whether another block follows it decides."""
    text = sum(map(len, lines)) - (2 * len(lines) if kind == "list" else 0)  # without the "- "
    links = [_link_text(a) for a in block.iter("a")]
    lengths = [len(link) for link in links if link]
    if len(links) == 1 and (lengths[0] if lengths else 0) > 100:  # one long link: most of the block?
        if abs(lengths[0] - 0.9 * text) <= _LINK_MARGIN:
            return None
        if lengths[0] > 0.9 * text:
            return True
    if len(links) > 4 and text > _LINK_LIMITS[kind][0] - _LINK_MARGIN:  # a farm of links (_LINK_FARM_RATIO)
        return None
    short = (
        not lengths
        or sum(lengths) > 0.8 * text
        or (len(lengths) > 1 and sum(n < 10 for n in lengths) > 0.8 * len(lengths))
    )
    unsure = abs(sum(lengths) - 0.8 * text) <= len(lines)  # (a space a line break or list item)
    first, last = _LINK_LIMITS[kind]
    if text < first - _LINK_MARGIN:  # short whether a block follows it or not
        return None if unsure else short
    if text >= last + _LINK_MARGIN:
        return False
    return False if not short and not unsure else None


@functools.cache
def _rule_attributes() -> frozenset[str]:
    """The attributes trafilatura's pruning rules read (class, id, style, role...): an element's
    others (a link's address, an image's source) change nothing to them. Empty when a rule reads
    every attribute."""
    names = {name for rule in _rules(inner=True) for name in re.findall(r"@([\w:*-]+)", rule.path)}
    return frozenset() if "*" in names else frozenset(names)


@functools.cache
def _rules(inner: bool) -> list[etree.XPath]:
    """trafilatura's rules that prune an element for its tag and attributes, and (``inner``) those
    that take one for the article's container."""
    from trafilatura.xpaths import (
        BODY_XPATH,
        DISCARD_IMAGE_ELEMENTS,
        OVERALL_DISCARD_XPATH,
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
        TEASER_DISCARD_XPATH,
    )

    rules = [*RAW_TREE_PRUNE_XPATH, *REMOVE_COMMENTS_AND_LISTS_XPATH, *OVERALL_DISCARD_XPATH, *TEASER_DISCARD_XPATH]
    return rules + DISCARD_IMAGE_ELEMENTS + (BODY_XPATH if inner else [])


@functools.lru_cache(maxsize=4096)
def _plain_shell(tag: str, attributes: tuple[tuple[str, str], ...], inner: bool) -> bool:
    """Whether none of trafilatura's pruning rules removes an element of this tag and attributes,
    under its HTML tag and the one trafilatura converts it to (its rules read an element's own tag,
    class, id, role, style...: tried on the element without its content, once for each tag and
    attributes), nor (``inner``) its ``BODY_XPATH`` takes it for the article's container."""
    rules = _rules(inner)
    for name in {tag, _CONVERTED.get(tag, tag)}:
        page = etree.Element("html")
        try:
            shell = etree.SubElement(etree.SubElement(page, "body"), name, dict(attributes))
        except ValueError:  # a name lxml's HTML parser keeps and its element API refuses (xmlns:xs)
            return False
        shell.text = "text"
        if any(rule(page) for rule in rules):
            return False
    return True
