"""The thread's comments in reading order: numbers as the page shows them, else by position, and
the comment each one replies to.
"""

from __future__ import annotations

import lxml.html

from archiver.extract.comments.reading import read_item
from archiver.extract.comments.scan import Item, Scan, ancestors_of
from archiver.extract.comments.view import View
from archiver.extract.profiles import Rule
from archiver.items import Comment

#: The most comments read from one page: a bound on the work a hostile page can cause.
_MAX_COMMENTS = 20_000


def read_items(items: list[Item], scan: Scan, rules: dict[str, Rule] | None = None) -> list[Comment]:
    """Comments in reading order; numbers as the page shows them, else by position."""
    roots = {i.root for i in items}
    holders = ancestors_of(roots)
    index_of: dict[lxml.html.HtmlElement, int] = {}
    comments: list[Comment] = []
    parents: list[int | None] = []  # the index of each comment's parent: numbers may repeat
    for position, item in enumerate(items[:_MAX_COMMENTS], start=1):
        comment = read_item(View(item, roots, holders), scan, rules)
        if comment.number is None:
            comment.number = position
        parent_item = _parent_item(item.root, roots, holders)
        parents.append(index_of.get(parent_item) if parent_item is not None else None)
        index_of[item.root] = len(comments)
        comments.append(comment)
    comments = _renumber_if_inconsistent(comments)
    for comment, parent in zip(comments, parents, strict=True):
        comment.parent = comments[parent].number if parent is not None else None
    return comments


def _parent_item(
    root: lxml.html.HtmlElement, roots: set[lxml.html.HtmlElement], holders: set[lxml.html.HtmlElement]
) -> lxml.html.HtmlElement | None:
    """The comment this one is nested in, or that precedes the reply block it sits in.

    Replies before this one in the same block (elements holding a comment) and empty anchors are
    passed over on the way back to the comment the block follows (wpDiscuz: a comment, then its
    replies' wrappers, each after an empty form anchor).
    """
    nested = next((a for a in root.iterancestors() if a in roots), None)
    if nested is not None:
        return nested
    for level, ancestor in enumerate(root.iterancestors()):
        if level > 2:
            break
        previous = ancestor.getprevious()
        while previous is not None and (previous in holders or _is_anchor(previous)):
            previous = previous.getprevious()  # a reply before this one, an empty anchor
        if previous is not None and previous in roots:
            return previous
    return None


def _is_anchor(el: lxml.html.HtmlElement) -> bool:
    """A link without children, or an empty element: a jump target, not a comment."""
    return not len(el) and (el.tag == "a" or not (el.text or "").strip())


def _renumber_if_inconsistent(comments: list[Comment]) -> list[Comment]:
    """Page numbers must be unique; where they are not, fall back to reading order (parents set after).

    Some comments may show no number (collapsed ones show no permalink): they keep their position,
    so long as no comment's page number is a position too (numbers as large as permalink ids).
    """
    numbers = [c.number for c in comments if c.number_source == "page" and c.number is not None]
    unique = bool(numbers) and len(set(numbers)) == len(numbers)
    if unique and (len(numbers) == len(comments) or min(numbers) > len(comments)):
        return comments
    for position, comment in enumerate(comments, start=1):
        comment.number, comment.number_source = position, "order"
    return comments
