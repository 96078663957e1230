"""One comment's own elements and text: without the comments nested in it, reply links, avatars,
votes, forms and scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import lxml.html
from lxml import etree

from archiver.extract.comments.scan import Item
from archiver.extract.comments.vocabulary import (
    AUTHOR_CLASS,
    BODY_CLASS,
    CAMEL,
    DATE_CLASS,
    NOISE_CLASS,
    NOISE_TAGS,
    TITLE_CLASS,
)
from archiver.extract.text import block_text, block_text_pair


class View:
    """One comment as its roles read it: its own elements and its own text, each found once."""

    def __init__(self, item: Item, roots: set[lxml.html.HtmlElement], holders: set[lxml.html.HtmlElement]) -> None:
        """``roots``: every comment's root element; ``holders``: their ancestors (``ancestors_of``)."""
        self.item, self.root, self.roots = item, item.root, roots
        # Parts are the root and its following siblings, so none holds another and a walk up from
        # one of the item's elements can stop at its part; were they not, walks go to the top.
        parent = item.root.getparent()
        siblings = all(p is item.root or p.getparent() is parent for p in item.parts)
        self._stops = set(item.parts) if siblings else set()
        self.elements = _own_elements(item, roots, holders)
        classed: list[tuple[lxml.html.HtmlElement, str, Roles]] = []
        with_itemprop: list[tuple[lxml.html.HtmlElement, str]] = []
        for el in self.elements:  # every role reads them: both in one pass, when the comment is taken
            classes, prop = el.get("class"), el.get("itemprop")
            if classes is not None:
                classed.append((el, classes, roles_of(classes)))
            if prop is not None:
                with_itemprop.append((el, prop))
        #: The item's own elements that have a class attribute, each with it and its roles, in document
        #: order: read once a comment, where each of the roles' searches walked the elements and read it.
        self.classed = classed
        #: The class attribute and roles of each of ``classed``'s elements.
        self.class_of = {el: (classes, roles) for el, classes, roles in classed}
        #: The item's own elements that have a microdata ``itemprop``, each with it, in document order
        #: (most comments have none: the roles' searches by property then walk no element).
        self.with_itemprop = with_itemprop
        #: The ``itemprop`` of each of ``with_itemprop``'s elements.
        self.itemprop_of = dict(with_itemprop)
        #: The author's and date's elements once found: the text without them is read with the text.
        self.drop: tuple[lxml.html.HtmlElement, ...] = ()
        self._texts: dict[tuple[lxml.html.HtmlElement, ...], str] = {}

    def text(self, drop: tuple[lxml.html.HtmlElement, ...] = ()) -> str:
        """The item's own text: no nested comments, no reply links or avatars, nothing in drop."""
        if drop not in self._texts:
            self._read_texts(drop or self.drop)
        return self._texts[drop]

    def _read_texts(self, drop: tuple[lxml.html.HtmlElement, ...]) -> None:
        """The item's own text, and its text without drop, in one walk of each part."""
        whole, without = [], []
        for part in self.item.parts:
            if not drop or part in drop:
                whole.append(self.stripped_text(part))
            else:
                texts = block_text_pair(part, self._skip(()), drop)
                whole.append(texts[0])
                without.append(texts[1])
        self._texts[()] = "\n\n".join(t for t in whole if t)
        if drop:
            self._texts[drop] = "\n\n".join(t for t in without if t)

    def stripped_text(self, el: lxml.html.HtmlElement, drop: tuple[lxml.html.HtmlElement, ...] = ()) -> str:
        """The text of el without nested comments, the elements in drop, reply links, avatars and forms."""
        return block_text(el, self._skip(drop))

    def _skip(self, drop: tuple[lxml.html.HtmlElement, ...]) -> Callable[[lxml.html.HtmlElement], bool]:
        roots, root = self.roots, self.root

        def skip(d: lxml.html.HtmlElement) -> bool:
            return (d in roots and d is not root) or d in drop or is_noise(d)

        return skip

    def inside(self, el: lxml.html.HtmlElement, chosen: set[lxml.html.HtmlElement]) -> bool:
        """Whether an ancestor of el is in chosen (some of the item's own elements)."""
        if el in self._stops:
            return False
        for ancestor in el.iterancestors():
            if ancestor in chosen:
                return True
            if ancestor in self._stops:
                return False
        return False

    def ancestors(self, el: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
        """el's ancestors up to the part that holds it: those that may be the item's own elements."""
        found: set[lxml.html.HtmlElement] = set()
        if el in self._stops:
            return found
        for ancestor in el.iterancestors():
            found.add(ancestor)
            if ancestor in self._stops:
                break
        return found


def is_noise(el: lxml.html.HtmlElement) -> bool:
    """Reply links, avatars, votes, forms, scripts and images: not what the comment says."""
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag in NOISE_TAGS:
        return True
    classes = el.get("class")
    if classes is None:
        return False
    return _remember_noise_class(classes) if len(classes) < REMEMBERED_CLASS else _noise_class(classes)


#: A class attribute shorter than this is remembered by the comment modules' class caches (a page
#: repeats its class attributes); a longer one is worked out each time, so that no cache holds long
#: strings (each holds at most 4,096).
REMEMBERED_CLASS = 256


def _noise_class(classes: str) -> bool:
    """Whether a class attribute names noise (a short one found once: ``_remember_noise_class``)."""
    return NOISE_CLASS.search(classes) is not None


_remember_noise_class = lru_cache(maxsize=4096)(_noise_class)


class Roles(NamedTuple):
    """What a class attribute names: the author, a date (not the author's), the text (not the author's)."""

    author: bool
    date: bool
    body: bool
    title: bool


def roles_of(classes: str) -> Roles:
    """The roles of a class attribute (``_read_roles``), a short one found once (``REMEMBERED_CLASS``)."""
    return _remember_roles(classes) if len(classes) < REMEMBERED_CLASS else _read_roles(classes)


def _read_roles(classes: str) -> Roles:
    """The roles of a class attribute, camelCase split ("commentAuthor" -> "comment-Author")."""
    split = CAMEL.sub("-", classes).replace("_", "-")  # "comment_author", BEM's "review__author" too
    tokens = split.split()
    # a token naming a text is not an author's, whatever it holds ("field--name-comment-body")
    author = any(AUTHOR_CLASS.search(t) and not BODY_CLASS.search(t) for t in tokens)
    date = DATE_CLASS.search(split) is not None and not author
    body = any(BODY_CLASS.search(t) for t in tokens) and not author
    title = any(TITLE_CLASS.search(t) for t in tokens) and not (author or date or body)
    return Roles(author, date, body, title)


_remember_roles = lru_cache(maxsize=4096)(_read_roles)


def _own_elements(
    item: Item, roots: set[lxml.html.HtmlElement], holders: set[lxml.html.HtmlElement]
) -> list[lxml.html.HtmlElement]:
    """The item's parts and the elements in them, in document order, without nested comments' insides.

    A nested comment's root is kept (it is an element of this item), what it holds is not.
    """
    found: list[lxml.html.HtmlElement] = []
    for part in item.parts:
        found.append(part)
        if part is not item.root and (part in roots or _nested(part, roots, item.root) or _holds(part, item.root)):
            # a part inside another comment, or around this one: element by element
            found += [c for c in part.iterdescendants() if isinstance(c.tag, str) and not _nested(c, roots, item.root)]
        else:
            _collect_outside(part, roots, holders, found)
    return found


def _collect_outside(
    el: lxml.html.HtmlElement,
    roots: set[lxml.html.HtmlElement],
    holders: set[lxml.html.HtmlElement],
    found: list[lxml.html.HtmlElement],
) -> None:
    """Append el's descendant elements in document order, not looking inside those in roots.

    A child that holds no comment (not in ``holders``) has no root inside: its descendant elements are
    all taken, in one walk by lxml; only the children holding a comment are walked here.
    """
    stack = [iter(el)]
    while stack:
        for child in stack[-1]:
            if isinstance(child.tag, str):
                found.append(child)
                if child in roots:
                    continue
                if child in holders:
                    stack.append(iter(child))
                    break
                if len(child):
                    found.extend(child.iterdescendants(etree.Element))
        else:
            stack.pop()


def _nested(el: lxml.html.HtmlElement, roots: set[lxml.html.HtmlElement], item_root: lxml.html.HtmlElement) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is item_root:
            return False
        if ancestor in roots:
            return True
    return False


def _holds(el: lxml.html.HtmlElement, other: lxml.html.HtmlElement) -> bool:
    return any(ancestor is el for ancestor in other.iterancestors())
