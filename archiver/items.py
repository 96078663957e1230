"""Items: what a crawl yields, read and written through ItemAdapter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any


@dataclass
class Comment:
    """One reader comment under an article, numbered as the page numbers it."""

    number: int | None = None
    #: "page" when the number is the one the page shows, "order" when it is the position.
    number_source: str | None = None
    author: str | None = None
    author_url: str | None = None
    #: ISO 8601: date, or date and time, with the offset when the page gives one.
    published: str | None = None
    published_raw: str | None = None
    #: True when ``published`` has no UTC offset: the site's own wall-clock time (see ``local_time``).
    published_local: bool | None = None
    #: True when the page gave a relative date ("3 days ago"), resolved against the fetch time.
    published_relative: bool | None = None
    #: the comment's own headline, when it has one (a heading or subject line above its text).
    title: str | None = None
    body: str | None = None
    #: number of the comment this one replies to, or None.
    parent: int | None = None
    #: the page's own id for the comment, such as "comment-45".
    anchor: str | None = None
    #: "comment", "pingback" or "trackback".
    kind: str = "comment"
    #: the URL of the page it was read from: the article's page or one of its comment pages.
    page_url: str | None = None


@dataclass
class Article:
    """One article page with its fields, their provenance and its comments."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline_raw: str | None = None
    #: The organisation or site that publishes the article (schema.org publisher, og:site_name);
    #: never one of the authors.
    publisher: str | None = None
    published: str | None = None
    published_raw: str | None = None
    #: True when ``published`` has no UTC offset: the site's own wall-clock time (see ``local_time``).
    published_local: bool | None = None
    modified: str | None = None
    modified_raw: str | None = None
    modified_local: bool | None = None
    body: str | None = None
    language: str | None = None
    #: "present", "none", "closed", "script" (they load by script, not in the HTML) or "external:<service>".
    comments_status: str | None = None
    comments: list[Comment] = field(default_factory=list)
    #: field name -> the layer and rule that gave it ("jsonld", "meta:og", "heuristic"...).
    provenance: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None
    #: The WARC record the page was read from (a row of the archive's ``captures`` table), or None.
    capture: dict[str, Any] | None = None
    #: Those of its further comment pages, in the order read.
    comment_captures: list[dict[str, Any]] = field(default_factory=list)
    #: The extraction that gave these values (``archiver.extract.EXTRACTOR_VERSION``).
    extractor_version: str | None = None


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_COMMENT_FIELDS = tuple(f.name for f in fields(Comment))
_ARTICLE_TEXT = tuple(f.name for f in fields(Article) if f.type == "str | None")
_COMMENT_TEXT = tuple(f.name for f in fields(Comment) if f.type == "str | None")
_article_values = attrgetter(*_ARTICLE_FIELDS)
_comment_values = attrgetter(*_COMMENT_FIELDS)
#: values that ItemAdapter(...).asdict() returns as they are
_SCALARS = frozenset({str, int, float, bool, type(None)})


#: A UTC offset at the end of an ISO 8601 time ("Z", "+02:00", "-0500").
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)$")


def local_time(value: str | None) -> bool | None:
    """Whether an ISO 8601 date or time has no UTC offset; None for no value.

    Such a value is the date or wall-clock time as the page shows it, in the site's own time zone,
    which the page does not tell: it is not UTC, and does not sort with offset times as if it were.
    A date alone is local too (the site's calendar day).
    """
    if not value:
        return None
    _, time_sep, clock = value.partition("T")
    return not (time_sep and _OFFSET.search(clock))


def finish_comments(comments: list[Comment]) -> list[Comment]:
    """Comments as the archive and the record schema want them: absent is None, never ''; local times marked."""
    for comment in comments:
        for name in _COMMENT_TEXT:
            if getattr(comment, name) == "":
                setattr(comment, name, None)
        comment.published_local = local_time(comment.published)
    return comments


def finish_article(article: Article) -> Article:
    """The article (and its comments) with absent values None, never '', and local times marked."""
    for name in _ARTICLE_TEXT:
        if getattr(article, name) == "":
            setattr(article, name, None)
    article.authors = [name for name in article.authors if name]
    article.published_local = local_time(article.published)
    article.modified_local = local_time(article.modified)
    finish_comments(article.comments)
    return article


class _NotPlain(Exception):
    """A value the fast path does not copy the way ItemAdapter does; the caller falls back."""


def item_asdict(item: Any) -> dict[str, Any]:
    """Give what ``ItemAdapter(item).asdict()`` gives, about twenty times faster for an Article."""
    plain = plain_article_dict(item)
    if plain is not None:
        return plain
    # imported here: itemadapter imports Scrapy, which the archive's readers of items.py do not need
    from itemadapter import ItemAdapter

    return ItemAdapter(item).asdict()


def plain_article_dict(item: Any) -> dict[str, Any] | None:
    """An Article holding only plain values as ``ItemAdapter(item).asdict()`` would give it, else None.

    ItemAdapter checks every nested value against every adapter class; an Article's values are
    known: scalars, lists of strings or Comments, a dict of strings. Anything else (a subclass,
    a missing attribute, a tuple, a Comment subclass...) gives None.
    """
    if type(item) is not Article:
        return None
    try:
        out = dict(zip(_ARTICLE_FIELDS, _article_values(item), strict=True))
        for name, value in out.items():
            kind = type(value)
            if kind is list:
                out[name] = _plain_dicts(value) if name == "comment_captures" else _plain_list(value)
            elif kind is dict:
                out[name] = _plain_dict(value)
            elif kind not in _SCALARS:
                return None
    except (_NotPlain, AttributeError):
        return None
    return out


def _plain_list(values: list[Any]) -> list[Any]:
    if _SCALARS.issuperset(map(type, values)):
        return values.copy()
    return [_comment_dict(value) for value in values]


def _plain_dicts(values: list[Any]) -> list[Any]:
    """A list of dicts of scalars (the comment pages' captures)."""
    if not all(type(value) is dict for value in values):
        raise _NotPlain
    return [_plain_dict(value) for value in values]


def _plain_dict(mapping: dict[Any, Any]) -> dict[Any, Any]:
    if _SCALARS.issuperset(map(type, mapping.values())):
        return mapping.copy()
    raise _NotPlain


def _comment_dict(comment: Any) -> dict[str, Any]:
    if type(comment) is not Comment:
        raise _NotPlain
    values = _comment_values(comment)
    if not _SCALARS.issuperset(map(type, values)):
        raise _NotPlain
    return dict(zip(_COMMENT_FIELDS, values, strict=True))
