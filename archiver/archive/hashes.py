"""The hashes the archive keeps of an article's content, and those computed ahead (in a worker).

``content_hash`` says whether an article changed (its title, authors, dates and body); ``body_hash``
tells copies of an article under other URLs apart. The archive computes both for every article it
saves; a crawl's extraction workers compute them beside the page's extraction (``ContentHashes``), and
the archive takes those only when the article it saves still holds the very values they were
computed from: a spider that changes an article after its extraction (reads it again from a
rendering) leaves hashes the archive sees are stale, and computes again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: An article's fields that make its content (what ``content_hash`` reads, in order).
ARTICLE_CONTENT = ("title", "authors", "published", "modified", "body")
#: Bodies shorter than this are not used to tell that two URLs hold the same article.
MIN_DEDUPE_BODY = 200


def body_hash(body: str | None) -> str | None:
    """A hash of the body's words (white space folded), for telling copies of an article apart."""
    words = folded(body or "")
    if len(words) < MIN_DEDUPE_BODY:
        return None
    return hashlib.sha256(words.lower().encode("utf-8")).hexdigest()


def folded(text: str) -> str:
    """``" ".join(text.split())``: its words, one space between them.

    An extracted body is mostly so already, its paragraphs apart by line breaks: with those made
    spaces, a text whose only white space is single spaces between words is its own folding, and
    telling so (no two spaces running, none at an end, nothing else ``isprintable`` refuses, which
    every other white space character is) costs a fifth of splitting it into words and joining them.
    """
    flat = text.replace("\n\n", " ").replace("\n", " ")
    if flat.isprintable() and "  " not in flat and flat[:1] != " " and flat[-1:] != " ":
        return flat
    return " ".join(text.split())


def content_hash(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """A stable hash of the fields that make a record's content."""
    return digest([record.get(f) for f in fields])


def digest(values: list[Any]) -> str:
    """The hash of a list of values (str, int, None and lists of str): of its ``repr``."""
    payload = repr(values)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class ContentHashes:
    """An article's ``content_hash`` and ``body_hash``, with the values they were computed from."""

    values: tuple[Any, ...]  # the article's ARTICLE_CONTENT values as hashed (a list as a tuple: a copy)
    types: tuple[type, ...]  # and their types
    content: str
    body: str | None

    @classmethod
    def of(cls, article: Mapping[str, Any]) -> ContentHashes:
        """The hashes of an article (a dict of Article fields)."""
        values = [article.get(name) for name in ARTICLE_CONTENT]
        return cls(_snapshot(values), tuple(map(type, values)), digest(values), body_hash(values[-1]))

    def hold_for(self, article: Mapping[str, Any]) -> bool:
        """Whether these are the hashes of ``article``: its content is the one hashed, value for value
        and of the same types (a list changed in place included). Strings are compared by identity
        first, so the usual case, nothing changed, costs no comparison of a body's characters."""
        values = [article.get(name) for name in ARTICLE_CONTENT]
        return tuple(map(type, values)) == self.types and _snapshot(values) == self.values


def _snapshot(values: list[Any]) -> tuple[Any, ...]:
    """The values, each list copied as a tuple (strings and None are immutable)."""
    return tuple(tuple(value) if type(value) is list else value for value in values)


def hashes_for(article: Mapping[str, Any], known: ContentHashes | None = None) -> ContentHashes:
    """``known`` if they are the hashes of ``article`` (see ``ContentHashes.hold_for``), else computed."""
    if known is not None and known.hold_for(article):
        return known
    return ContentHashes.of(article)
