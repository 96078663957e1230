"""One search for comments over a page: its per-page cache (``Scan``), the items it finds, and
what makes an element look like a comment (a date beside some other text).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import lxml.html
from lxml import etree

from archiver.extract.comments.vocabulary import DATE_ATTRIBUTES, DAY_FIRST_LANGUAGES
from archiver.extract.dates import ParsedDate, parse_date, parse_date_full


@dataclass
class Item:
    """One comment's elements: its root, or a header and the siblings up to the next header."""

    root: lxml.html.HtmlElement
    parts: list[lxml.html.HtmlElement]


class Scan:
    """What one search for comments learns about the page's elements, each asked once.

    Candidate containers nest (a comment list, and each comment in it), so the same elements are
    tested again and again. Holding every element also keeps its lxml proxy alive: later walks
    over the same elements reuse it instead of building a new one each time.
    """

    def __init__(self, tree: lxml.html.HtmlElement, now: datetime, url: str = "") -> None:
        self.tree, self.now = tree, now
        self.url = url  # the page's: what links are resolved against
        self.elements = list(tree.iter())
        self._looks: dict[lxml.html.HtmlElement, bool] = {}
        self._dated: dict[lxml.html.HtmlElement, bool] = {}
        self._depth: dict[lxml.html.HtmlElement, int] = {}
        self._with_form: set[lxml.html.HtmlElement] | None = None
        self._position: dict[lxml.html.HtmlElement, int] = {}
        self._by_id: dict[str, list[lxml.html.HtmlElement]] | None = None

    @cached_property
    def _attributes(
        self,
    ) -> tuple[
        list[tuple[lxml.html.HtmlElement, str]],
        list[tuple[lxml.html.HtmlElement, str | None, str | None]],
        list[tuple[lxml.html.HtmlElement, str]],
    ]:
        """``ids``, ``named`` and ``typed``, in one read of each element's attributes."""
        ids, named, typed = [], [], []
        for el in self.elements:
            classes, ident, itemtype = el.get("class"), el.get("id"), el.get("itemtype")
            if ident:
                ids.append((el, ident))
            if classes or ident:
                named.append((el, classes, ident))
            if itemtype is not None:
                typed.append((el, itemtype))
        if typed and typed[0][0] is self.elements[0]:
            del typed[0]  # the root's own type: not one of its descendants'
        return ids, named, typed

    @property
    def ids(self) -> list[tuple[lxml.html.HtmlElement, str]]:
        """The elements with an id (not empty), each with it, in document order."""
        return self._attributes[0]

    @property
    def named(self) -> list[tuple[lxml.html.HtmlElement, str | None, str | None]]:
        """The elements with a class or an id (either not empty), each with both, in document order."""
        return self._attributes[1]

    @property
    def typed(self) -> list[tuple[lxml.html.HtmlElement, str]]:
        """The root's descendants with an ``itemtype`` (microdata), each with it, in document order."""
        return self._attributes[2]

    @cached_property
    def day_first(self) -> bool:
        """Whether the page writes numeric dates day first ("09/06/2020" is 9 June), found once a page.

        The page's own dates tell where they can ("18/09/2019": day first, "09/18/2019": month first);
        else its language: those whose own numeric dates are written d/m/y with slashes (British
        English, French...). Software defaults ("Mon, 03/04/2024" on a German Drupal site) are m/d/y.
        """
        firsts, seconds = set(), set()
        for text in _TEXTS_WITH_SLASH(self.tree):
            for m in _slash_dates(text):
                firsts.add(int(m[1]))
                seconds.add(int(m[2]))
        if any(n > 12 for n in firsts) != any(n > 12 for n in seconds):
            return any(n > 12 for n in firsts)
        lang = (self.tree.getroottree().getroot().get("lang") or "").strip().lower().replace("_", "-")
        return lang in DAY_FIRST_LANGUAGES or lang.split("-")[0] in DAY_FIRST_LANGUAGES

    def looks_like_comment(self, el: lxml.html.HtmlElement) -> bool:
        """Whether el holds a date and some other text."""
        found = self._looks.get(el)
        if found is None:
            found = self._looks[el] = _looks_like_comment(el, self.now, self.holds_time(el))
        return found

    def has_date(self, el: lxml.html.HtmlElement) -> bool:
        """Whether el holds a date."""
        found = self._dated.get(el)
        if found is None:
            found = self._dated[el] = _has_date(el, self.now, self.holds_time(el))
        return found

    def depth(self, el: lxml.html.HtmlElement) -> int:
        """How many ancestors el has."""
        chain, node = [], el
        while node is not None and node not in self._depth:
            chain.append(node)
            node = node.getparent()
        depth = -1 if node is None else self._depth[node]
        for node in reversed(chain):
            depth += 1
            self._depth[node] = depth
        return self._depth[el]

    def holds_time(self, el: lxml.html.HtmlElement) -> bool:
        """Whether a ``<time>`` is inside el: the ancestors of the page's ``<time>`` elements, found once
        (comments ask it of their list, of each comment and of the boxes inside it: each a walk of its subtree)."""
        return el in self._with_time

    @cached_property
    def _with_time(self) -> set[lxml.html.HtmlElement]:
        return ancestors_of(self.tree.iter("time"))

    def holds_form(self, el: lxml.html.HtmlElement) -> bool:
        """Whether a <form> with a field to write in is inside el (a comment form, a search box).

        A form of hidden fields and buttons only wraps what it acts on (new reddit and old reddit
        wrap each comment's text in one, for editing and voting): it is no form to fill in.
        """
        if self._with_form is None:
            self._with_form = set()
            for form in self.tree.iter("form"):
                if not _WRITING_FIELDS(form):
                    continue
                for ancestor in form.iterancestors():
                    if ancestor in self._with_form:
                        break  # and so are all its ancestors
                    self._with_form.add(ancestor)
        return el in self._with_form

    def holds_id(self, el: lxml.html.HtmlElement, ident: str) -> bool:
        """Whether el or an element inside it has this id.

        An element's subtree is a run of the elements in document order: only the first element
        with the id at or after el can be in it.
        """
        if self._by_id is None:
            self._by_id = defaultdict(list)
            for e, e_id in self.ids:
                self._by_id[e_id].append(e)
        holders = self._by_id.get(ident, [])
        if len(holders) < 2:  # an id the page gives once (most): no order to look up
            return bool(holders) and self.is_within(holders[0], el)
        if not self._position:
            self._position = {e: i for i, e in enumerate(self.elements)}
        first = bisect_left(holders, self._position[el], key=self._position.__getitem__)
        return first < len(holders) and self.is_within(holders[first], el)

    def is_within(self, el: lxml.html.HtmlElement, outer: lxml.html.HtmlElement) -> bool:
        """Whether el is outer or inside it."""
        steps = self.depth(el) - self.depth(outer)
        for _ in range(steps):
            el = el.getparent()
        return steps >= 0 and el is outer


#: The fields of a form that a reader writes in.
_WRITING_FIELDS = etree.XPath(
    "descendant::textarea | descendant::input[not(@type) or @type='text' or @type='email' or @type='url' "
    "or @type='search']"
)


# --- what makes an element look like a comment ----------------------------------------------

#: The date attributes (``attribute_date``): an element with one of them may hold a machine-readable date.
DATE_ATTRIBUTE_NAMES = frozenset(DATE_ATTRIBUTES)


def _dated_elements(el: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """el and the elements inside it with a date attribute, in document order.

    What ``descendant-or-self::*[@datetime or @content or ...]`` selects, tested in Python: libxml2
    evaluates that predicate at about 0.65 µs an element, this walk at about 0.4, and it stops where
    ``attribute_date`` has its answer. A comment, processing instruction or entity has no attributes
    (its ``keys()`` is empty), so it is never among them.
    """
    return (node for node in el.iter() if not DATE_ATTRIBUTE_NAMES.isdisjoint(node.keys()))


def attribute_date(el: lxml.html.HtmlElement, now: datetime) -> tuple[ParsedDate, lxml.html.HtmlElement] | None:
    """A machine-readable date in an attribute of el or a descendant (datetime, content, title...)."""
    for candidate in _dated_elements(el):
        if candidate.tag == "a" and not candidate.get("datetime"):
            tooltip = tooltip_date(candidate, now)
            if tooltip:
                return tooltip, candidate
            continue
        if candidate.tag == "img" and not candidate.get("datetime"):
            continue
        for name in DATE_ATTRIBUTES:
            value = candidate.get(name)
            if value and value[:1].isdigit() and len(value) < 40:
                parsed = parse_date_full(value, now)
                if parsed:
                    return parsed, candidate
    return None


#: The shown text of a link that is a comment's date in short ("6d", "2h", "Dec 14"): a few characters with a digit.
_SHORT_DATE = re.compile(r"^(?=.*\d).{1,12}$")


def tooltip_date(link: lxml.html.HtmlElement, now: datetime) -> ParsedDate | None:
    """The full date in the title of a link that shows it in short ("6d" titled "Dec 14, 2025, 7:40 PM").

    A permalink to a comment often shows its age in a few characters and the date as its tooltip
    (Substack); a link's title is otherwise any text, so only a short shown text with a digit counts.
    """
    title = link.get("title") or ""
    if not 8 <= len(title) < 40 or not _SHORT_DATE.match((link.text_content() or "").strip()):
        return None
    parsed = parse_date_full(title, now)
    return parsed if parsed and not parsed.relative else None


def ancestors_of(elements: Iterable[lxml.html.HtmlElement]) -> set[lxml.html.HtmlElement]:
    """The elements holding any of ``elements`` (their ancestors), each walked to once.

    A walk up stops at an ancestor already found: every ancestor of that one was found with it.
    """
    found: set[lxml.html.HtmlElement] = set()
    for el in elements:
        for ancestor in el.iterancestors():
            if ancestor in found:
                break
            found.add(ancestor)
    return found


def _shown_date(text: str, now: datetime) -> str | None:
    """The date a text shows, a numeric one with dashes and the year last included.

    ``dashes`` changes nothing for a text without a dash: asked without it there, the parse is the one
    ``reading`` asks for when it reads the comment's date (the same text, cached once for both).
    """
    return parse_date(text, now, dashes="-" in text)


def _has_date(el: lxml.html.HtmlElement, now: datetime, holds_time: bool) -> bool:
    """A <time>, a date attribute, or a text that reads as a date, in el (``holds_time``: a <time> is inside it)."""
    if el.tag == "time" or holds_time or attribute_date(el, now):
        return True
    texts = [text for text in el.itertext() if 5 < len(text.strip()) < 80]
    return any(_shown_date(text, now) for text in sorted(texts, key=_digitless))


_DIGIT = re.compile(r"\d")


def _digitless(text: str) -> bool:
    """Texts with digits first: dates are rarely without, and parsing a text that is not a date costs most."""
    return _DIGIT.search(text) is None


def _looks_like_comment(el: lxml.html.HtmlElement, now: datetime, holds_time: bool) -> bool:
    """A date and some other text (a name, a body): not a bare timestamp or a heading.

    Texts are read in order and only until the answer is known (an outer element holds the
    text of all the comments inside it). Until a date is found, short texts without digits
    (names, labels) wait: once it is, the shortest of them usually settles the answer.
    """
    dated = holds_time  # a <time> inside it
    undated_length = 0  # the length of the texts that are not dates
    waiting: list[str] = []
    for text in el.itertext():
        text = text.strip()
        if not text:
            continue
        if len(text) >= 80:
            undated_length += len(text)
        elif not dated and _DIGIT.search(text) is None:
            waiting.append(text)
            continue
        elif _shown_date(text, now):
            dated = True
        else:
            undated_length += len(text)
        if dated and waiting:
            undated_length += _undated_length(waiting, now, 3 - undated_length)
            waiting = []
        if dated and undated_length > 3:
            return True
    if dated:
        return False
    for text in waiting:  # no date found yet: one of these may be ("yesterday")
        if _shown_date(text, now):
            dated = True
        else:
            undated_length += len(text)
    return undated_length > 3 and (dated or attribute_date(el, now) is not None)


def _undated_length(texts: list[str], now: datetime, enough: int) -> int:
    """The length of the texts that are not dates, shortest first, until it passes enough."""
    length = 0
    for text in sorted(texts, key=len):
        if length > enough:
            break
        if not _shown_date(text, now):
            length += len(text)
    return length


#: A numeric date with slashes ("09/06/2020"): month or day first, as the page writes them.
SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
#: The same without its look-behind: a pattern that starts with a digit is searched for in C, from
#: digit to digit, where one that starts with a look-behind is tried at every position of the text.
_SLASH_DATE_FROM_DIGIT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
#: The texts of ``itertext()`` that hold a slash, picked by libxml2: the parser joins adjacent
#: texts into one node, so each node is one of ``itertext()``'s texts.
_TEXTS_WITH_SLASH = etree.XPath("descendant::text()[contains(., '/')]", smart_strings=False)


def _slash_dates(text: str) -> Iterator[re.Match[str]]:
    """``SLASH_DATE.finditer(text)``, faster on long texts.

    Every match of ``SLASH_DATE`` is one of ``_SLASH_DATE_FROM_DIGIT`` (the same span), kept where
    the look-behind holds at its start. One it rejects is all digits and slashes, where
    ``SLASH_DATE`` cannot start either (each of its characters follows a digit or a slash).
    """
    for candidate in _SLASH_DATE_FROM_DIGIT.finditer(text):
        found = SLASH_DATE.match(text, candidate.start())
        if found is not None:
            yield found
