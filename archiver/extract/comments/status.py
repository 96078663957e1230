"""A page's comment status where no comment was read: loaded from a third party, by the page's own
script, closed, or none."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from archiver.extract.comments.thread import is_container, shown_count
from archiver.extract.comments.vocabulary import (
    CLOSED,
    COUNT_ATTRIBUTES,
    EXTERNAL,
    MAYBE_CONTAINER,
)
from archiver.extract.document import Page

#: Words many of the markers and phrases of EXTERNAL and CLOSED share: where one is not in a page,
#: none of them is, and a long page is searched once for it rather than once for each of them.
_MARKER_WORDS = ("disqus", "comment", "coral", "kommentar")


def status_without_comments(page: Page, elements: list[lxml.html.HtmlElement] | None = None) -> str:
    """``external:<service>`` where a comment service's embed code is in the page, "closed" where the
    page says so, "script" where the comments come by script (see ``loads_by_script``), else "none".

    ``elements``: every node of the page's tree in document order, if at hand (the comment search's)."""
    text = LowerText(page.text)
    absent = [word for word in _MARKER_WORDS if word not in text]

    def found(marker: str) -> bool:
        return not any(word in marker for word in absent) and marker in text

    for name, markers in EXTERNAL:
        if any(found(marker) for marker in markers):
            return f"external:{name}"
    if any(found(phrase) for phrase in CLOSED):
        return "closed"
    return "script" if loads_by_script(page.tree, text, elements) else "none"


#: The elements a comment area is (not an SVG icon named "comments", not a link or a heading).
_AREA_TAGS = frozenset(["div", "section", "aside", "article", "ol", "ul", "dl", "footer", "main"])
#: Names of lists of the most commented articles, filled by script too, and no comment area.
_LISTS_OF_ARTICLES = re.compile(r"commented", re.IGNORECASE)
#: What an empty comment area may still hold before its script fills it: headings, controls, frames.
_PLACEHOLDER_TAGS = frozenset(
    ["h1", "h2", "h3", "h4", "h5", "h6", "button", "script", "noscript", "iframe", "template"]
)


def loads_by_script(
    tree: lxml.html.HtmlElement, text: LowerText | None = None, elements: list[lxml.html.HtmlElement] | None = None
) -> bool:
    """Whether the page's comments come by script, none of them being in the HTML.

    One rule over the page's comment areas (elements whose id or class names one), outermost first:
    an area that shows how many comments it has says it all: above none ("2 Kommentare",
    "Comments (48)") or a "load comments" control, they come by script; none ("0 Comments",
    "No comments"), there are none, whatever it holds. An area that shows no count, on a page that
    runs a script, is a placeholder when it holds a frame or nothing but headings and controls,
    and no comment form (with a form, it is where the comments would be: there are none yet; a
    theme prints an empty one where comments are off). A comment count above none in an attribute
    (``data-comments-count``) says so too, wherever it is.

    ``text``: the page's markup that ``tree`` was parsed from, in lower case, if at hand: the
    parser writes an attribute's name as the markup spells it, in lower case, so where none of
    the count attributes' names is in the markup, libxml2 need not look for them on every element.
    ``elements``: every node of ``tree`` in document order (``list(tree.iter())``), if at hand: the
    elements with an id or a class are then picked from it in Python, cheaper than by an XPath.
    """
    # The pre-check holds only while ``text`` is the markup ``tree`` was parsed from (``Page.text``,
    # as ``status_without_comments`` passes it): a tree built or changed otherwise must pass None.
    if (text is None or any(name in text for name in COUNT_ATTRIBUTES)) and any(
        _count(el.get(name)) for el in _COUNTED(tree) for name in COUNT_ATTRIBUTES
    ):
        return True
    scripted: bool | None = None  # whether the page runs a script, found when first needed
    settled: set[lxml.html.HtmlElement] = set()  # areas whose count was read: what they hold is done
    named = _NAMED(tree) if elements is None else [e for e in elements if _has_id_or_class(e)]
    for el in named:
        if not _may_name_area(el) or not is_container(el):
            continue
        if any(a in settled for a in el.iterancestors()):
            continue
        shown = _shown_count(el)
        if shown is not None:
            if shown > 0:
                return True
            settled.add(el)
            continue
        names = f"{el.get('id', '')} {el.get('class', '')}"
        if el.tag not in _AREA_TAGS or _LISTS_OF_ARTICLES.search(names) or _FORM(el):
            continue
        if _FRAME(el) or not _text_beyond_placeholders(el):
            if scripted is None:
                scripted = bool(_SCRIPTED(tree))
            if scripted:
                return True
    return False


#: The elements loads_by_script asks about, found by libxml2 rather than by a test of every element in Python.
_COUNTED = etree.XPath(f"descendant-or-self::*[{' or '.join(f'@{name}' for name in COUNT_ATTRIBUTES)}]")
_NAMED = etree.XPath("descendant-or-self::*[@id or @class]")
#: What loads_by_script asks of a comment area (a comment form, a frame) and of the page (a script), compiled once.
_FORM = etree.XPath(".//form | .//textarea")
_FRAME = etree.XPath(".//iframe[@src]")
_SCRIPTED = etree.XPath("//script[@src or normalize-space(.)] | //iframe[@src]")


def _has_id_or_class(el: lxml.html.HtmlElement) -> bool:
    """What ``_NAMED`` selects: an element (not a processing instruction) with an id or a class attribute."""
    return isinstance(el.tag, str) and (el.get("id") is not None or el.get("class") is not None)


def _may_name_area(el: lxml.html.HtmlElement) -> bool:
    """False where el's id and class name no comment area, tested at once: each word of CONTAINER
    holds a word of MAYBE_CONTAINER (lower case), and an ASCII name's lower case is what CONTAINER
    compares without case; a name with other characters is left to ``is_container``."""
    names = f"{el.get('id', '')} {el.get('class', '')}"
    return not names.isascii() or MAYBE_CONTAINER.search(names.lower()) is not None


def _text_beyond_placeholders(el: lxml.html.HtmlElement) -> bool:
    if (el.text or "").strip():
        return True
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _PLACEHOLDER_TAGS and _text_beyond_placeholders(child):
            return True
        if (child.tail or "").strip():
            return True
    return False


def _count(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 0


def _shown_count(area: lxml.html.HtmlElement) -> int | None:
    """The count of comments a comment area shows in a short text ("2 Kommentare", "No comments"),
    1 for a "load comments" control (there are some to load), None where it shows neither."""
    for el in area.iter():
        if not isinstance(el.tag, str) or el.tag in {"script", "style"}:
            continue
        text = " ".join(el.text_content().split())
        shown = shown_count(text) if text and len(text) <= 40 else None
        if shown is not None:
            return shown
    return None


class LowerText:
    """Whether phrases are in a text's lower case, without lower-casing all of a long page.

    For an ASCII phrase, folding the ASCII capitals of the text's UTF-8 bytes gives the same
    answer as ``text.lower()``, unless the text holds "\u212a" (Kelvin) or "\u0130", the only other
    letters whose lower case is ASCII. A phrase with other letters is looked for in ``text.lower()``,
    made only once the phrase's ASCII start is found.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: str | None = None
        self._folded: bytes | None = None
        if text.isascii() or not ("\u212a" in text or "\u0130" in text):
            self._folded = text.encode("utf-8", "surrogatepass").lower()

    def __contains__(self, phrase: str) -> bool:
        if self._folded is not None:
            ascii_start = next((phrase[:i] for i, char in enumerate(phrase) if not char.isascii()), phrase)
            if ascii_start.encode() not in self._folded:
                return False
            if ascii_start == phrase:
                return True
        if self._lower is None:
            self._lower = self.text.lower()
        return phrase in self._lower
