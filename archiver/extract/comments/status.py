"""A page's comment status where no comment was read: loaded from a third party or by script, closed, or none."""

from __future__ import annotations

import lxml.html

from archiver.extract.comments.thread import is_container
from archiver.extract.comments.vocabulary import CLOSED, COUNT_ATTRIBUTES, COUNT_TEXT, EXTERNAL, LOAD_COMMENTS
from archiver.extract.document import Page

#: Words many of the markers and phrases of EXTERNAL and CLOSED share: where one is not in a page,
#: none of them is, and a long page is searched once for it rather than once for each of them.
_MARKER_WORDS = ("disqus", "comment", "coral", "kommentar")


def status_without_comments(page: Page) -> str:
    """``external:<service>`` where a comment service's embed code is in the page, else "closed" or "none"."""
    text = LowerText(page.text)
    absent = [word for word in _MARKER_WORDS if word not in text]

    def found(marker: str) -> bool:
        return not any(word in marker for word in absent) and marker in text

    for name, markers in EXTERNAL:
        if any(found(marker) for marker in markers):
            return f"external:{name}"
    if any(found(phrase) for phrase in CLOSED):
        return "closed"
    return "script" if _loads_by_script(page.tree) else "none"


def _loads_by_script(tree: lxml.html.HtmlElement) -> bool:
    """A comment count above none in an attribute, or a comment area that shows a count above none
    or a "load comments" control: the comments come by script, none is in the HTML.

    An empty comment area alone says nothing: themes print one where comments are off.
    """
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if any(_count(el.get(name)) for name in COUNT_ATTRIBUTES):
            return True
        if (el.get("id") or el.get("class")) and is_container(el) and _area_without_items(el):
            return True
    return False


def _count(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 0


def _area_without_items(area: lxml.html.HtmlElement) -> bool:
    """A comment area whose short texts are a count above none or a "load comments" control."""
    for el in area.iter():
        if not isinstance(el.tag, str) or el.tag in {"script", "style"}:
            continue
        text = " ".join(el.text_content().split())
        if not text or len(text) > 40:
            continue
        count = COUNT_TEXT.match(text)
        if (count and int(count.group("n1") or count.group("n2") or 0) > 0) or text.lower() in LOAD_COMMENTS:
            return True
    return False


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
