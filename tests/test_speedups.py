"""The speed-ups that re-implement library behaviour give what the library's own path gives.

On random inputs (hypothesis, the profiles in conftest.py):

- the fast item dict (``items.item_asdict``) against ``ItemAdapter(item).asdict()``, and the feed
  exporter (``feeds.ArticleJsonLinesExporter``) against Scrapy's ``JsonLinesItemExporter``: the
  same bytes;
- the batch writer (``Archive.save``: a batch settled in memory, held-back multi-row INSERTs and
  UPDATEs) against the same articles written one by one with sqlite-utils (``insert``,
  ``insert_all``, ``update``) as the archive's rules say (README, "What is stored": copies by body
  *and* title, comments of an article's URLs united, deleted only when their own page is read
  again without them): the same counts, the same rows with the same row ids and values, and the
  same full-text index;
- ``LowerText`` (phrase search in a page's lower case) against ``str.lower``;
- the page type's prices and sales words counted in a text's lower case against the rule's own
  case-insensitive search, and the quick test of an id and class against ``is_container``;
- whether comments load by script, with the page's markup and elements at hand (count attributes
  looked for on the elements only where their names are in the markup; the elements with an id or
  a class picked in Python) and without;
- a text without a digit holds no calendar date (``dates._find_date`` returns at once), a text
  without a dash is read alike with ``dashes`` and without (the comment scan's and the comment
  reading's parses of one date are cached once), and the options ``body`` gives trafilatura are
  those its ``bare_extraction`` builds from the arguments it was given before; the paragraph words
  ``main_region`` remembers for its region are those the region holds;
- a comment author's name read through the cache of short texts is the one read anew, and a long
  text (a comment's first lines, never a name) is not remembered;
- the metadata's page text outside scripts and styles (``document.shown_texts``) against its XPath,
  and its publication labels found from their words' starts in the text's lower case against the
  rule's own case-insensitive search;
- a class attribute's answers read through the comment modules' class caches are those worked out
  anew, and a long class attribute is not remembered.
"""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
import string
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from io import BytesIO
from itertools import chain
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import lxml.html
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from itemadapter import ItemAdapter
from lxml import etree
from scrapy.exporters import JsonLinesItemExporter
from sqlite_utils import Database

from archiver.archive import Archive, SaveCounts, store
from archiver.archive.record import crawl_record
from archiver.archive.store import _COMMENT_CONTENT, content_hash
from archiver.crawl.feeds import ArticleJsonLinesExporter
from archiver.extract import MIN_WORDS, dates, metadata, pagetype, read_page, structured
from archiver.extract import body as body_module
from archiver.extract import text as text_module
from archiver.extract.body import _REGION_WORDS, _date_texts, _paragraph_words, main_region, trafilatura_options
from archiver.extract.comments import reading, scan, thread, view
from archiver.extract.comments.status import _MARKER_WORDS, LowerText, _may_name_area, loads_by_script
from archiver.extract.comments.thread import is_container
from archiver.extract.comments.vocabulary import CLOSED, CONTAINER, DATE_ATTRIBUTES, EXTERNAL, NOT_CONTAINER
from archiver.extract.document import Page, iter_document, parse_html, shown_texts
from archiver.extract.pagetype import (
    _BODY_TEXT,
    _BYLINE,
    _COMMENT_MARKED,
    _LINKED_HEADINGS,
    _SALES_WORDS,
    _TEASER_ARTICLES,
    _body_texts,
    _sales_words,
    _shown_texts,
)
from archiver.extract.profiles import Profile, Rule
from archiver.items import Article, Comment, item_asdict, plain_article_dict
from archiver.urls import article_page, canonicalize
from tests.conftest import rows

# Items: the fast dict and the exporter


class Text(str):
    """A str subclass: ItemAdapter keeps it as it is; the fast path must not take it for a str."""


class Mapping(dict[Any, Any]):
    """A dict subclass: ItemAdapter gives a plain dict for it."""


@dataclass
class Scored(Comment):
    """A Comment subclass, as someone else's items may hold."""

    score: int = 0


#: What a field may hold: the plain values an extraction gives, and now and then anything else.
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.text(max_size=6).map(Text)
    | st.decimals(allow_nan=False, places=2)
    | st.dates(date(1990, 1, 1), date(2030, 1, 1))
)
comments = st.builds(
    Comment,
    number=st.none() | st.integers(),
    number_source=st.sampled_from([None, "page", "order"]),
    author=st.none() | st.text(max_size=12),
    author_url=st.none() | st.text(max_size=12),
    published=st.none() | st.text(max_size=12),
    published_raw=st.none() | st.text(max_size=12),
    published_relative=st.none() | st.booleans(),
    body=st.none() | st.text(max_size=30),
    parent=st.none() | st.integers(),
    anchor=st.none() | st.text(max_size=12),
    kind=st.sampled_from(["comment", "pingback", "trackback"]),
)


def holding(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Containers and items holding values of ``inner``."""
    return (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=2).map(Mapping)
        | st.frozensets(st.integers(0, 9), max_size=3).map(set)
        | st.builds(Comment, number=st.integers(0, 9), author=inner, body=inner)
        | st.builds(Scored, number=st.integers(0, 9), score=st.integers())
    )


#: Any value: scalars, containers, items, nested.
wild = st.recursive(scalars, holding, max_leaves=6)
#: A container or item of any values.
odd = holding(wild)


text = st.none() | st.text(max_size=30)
plain_articles = st.builds(
    Article,
    url=text,
    canonical_url=text,
    title=text,
    authors=st.lists(st.text(max_size=10), max_size=3),
    byline_raw=text,
    published=text,
    published_raw=text,
    modified=text,
    modified_raw=text,
    body=text,
    language=text,
    comments_status=text,
    comments=st.lists(comments, max_size=5),
    provenance=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    fetched_at=text,
)
ARTICLE_FIELDS = [f.name for f in fields(Article)]


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """An Article as extraction makes it, perhaps with a field or two, or a value inside one, of another kind."""
    article = draw(plain_articles)
    if draw(st.booleans()):
        setattr(article, draw(st.sampled_from(ARTICLE_FIELDS)), draw(wild | odd))
    inside = getattr(article, draw(st.sampled_from(["url", "authors", "comments", "provenance"])))
    if type(inside) is list and inside:  # or a value inside one of its lists
        inside[draw(st.integers(0, len(inside) - 1))] = draw(odd | wild)
    elif type(inside) is dict:  # or dicts
        inside[draw(st.text(max_size=3))] = draw(odd | wild)
    if draw(st.integers(0, 9)) == 0:  # a field deleted: ItemAdapter leaves it out
        delattr(article, draw(st.sampled_from(ARTICLE_FIELDS)))
    return article


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (``==`` takes 1 for True and a tuple's items for a list's)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:  # NaN
        return b != b
    return bool(a == b)


def containers(value: Any) -> Iterator[int]:
    """The ids of the lists, dicts and sets in a value, nested ones included."""
    if isinstance(value, list | dict | set):
        yield id(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple | set):
        for inner in value:
            yield from containers(inner)
    elif isinstance(value, Comment):
        for name in (f.name for f in fields(value)):
            yield from containers(getattr(value, name))


@given(articles())
def test_fast_item_dict_is_itemadapters(article: Article) -> None:
    expected = ItemAdapter(article).asdict()
    assert same(item_asdict(article), expected)
    fast = plain_article_dict(article)
    assert fast is None or same(fast, expected)
    # a copy, as ItemAdapter's is: changing the dict never changes the item
    assert not set(containers(item_asdict(article))) & set(containers(vars(article)))


@given(comments | wild)
def test_anything_but_an_article_takes_itemadapters_path(item: Any) -> None:
    assert plain_article_dict(item) is None
    if ItemAdapter.is_item(item):
        assert same(item_asdict(item), ItemAdapter(item).asdict())


#: Exporter options as FEED_EXPORT_* settings and item_export_kwargs give them.
export_options = st.fixed_dictionaries(
    {},
    optional={
        "encoding": st.sampled_from([None, "utf-8", "utf8", "latin-1"]),
        "indent": st.sampled_from([None, 0, 2]),
        "export_empty_fields": st.booleans(),
        "fields_to_export": st.sampled_from([None, ["title", "comments", "missing"], {"url": "link"}]),
        "ensure_ascii": st.booleans(),
        "sort_keys": st.booleans(),
        "separators": st.sampled_from([(",", ":"), (", ", ": ")]),
    },
)


def exported(
    exporter_class: type[JsonLinesItemExporter],
    items: list[Any],
    options: dict[str, Any],
    convert: Callable[[Any], Any] = lambda item: item,
) -> list[Any]:
    """Each item's bytes (``convert``-ed first), or the name of the error exporting it raised."""
    file = BytesIO()
    exporter = exporter_class(file, **options)
    exporter.start_exporting()
    out: list[Any] = []
    for item in items:
        before = file.tell()
        try:
            exporter.export_item(convert(item))
        except (TypeError, ValueError, AttributeError, KeyError, UnicodeError) as error:
            out.append(type(error).__name__)
        out.append(file.getvalue()[before:])
    exporter.finish_exporting()
    return out


@given(st.lists(articles(), max_size=3), export_options)
def test_exporter_writes_scrapys_bytes(items: list[Article], options: dict[str, Any]) -> None:
    """The crawl's exporter writes each Article's record (archiver.archive.record) as Scrapy writes that record."""
    assert exported(ArticleJsonLinesExporter, items, options) == exported(JsonLinesItemExporter, items, options, record)


def record(item: Article) -> dict[str, Any]:
    """The record of an Article, built from ItemAdapter's dict (the library path)."""
    return crawl_record(ItemAdapter(item).asdict())


# The batch writer


#: URLs of a few articles, with variants that canonicalize to them; the last ends in a slash, as
#: WordPress posts do, so its comment pages (``/comment-page-2/``) belong to its article page.
URLS = [
    "https://example.org/a",
    "https://example.org/a?utm_source=feed",
    "https://EXAMPLE.org/b",
    "https://example.org/b#comments",
    "https://example.org/c",
    "https://example.org/print/a",
    "https://example.org/d/",
]
LONG = "The harbour master opened the new lock gates on Monday morning after two years of work. " * 3
OTHER = "Zürich café owners said the façade of the old museum had been restored with great care. " * 3
#: Long bodies (used to find copies), the same words spaced or cased otherwise (another content,
#: the same body hash), short ones (never used to find copies), none.
BODIES = [LONG, OTHER, LONG.upper(), LONG.replace(" ", "  "), "Short.", "", None]
#: Titles: one title cased and spaced three ways (a copy's title all the same), another, empty, none.
TITLES = ["Lock gates open", "  LOCK gates\nopen", "lock GATES open ", "Museum restored", "", None]
words = st.sampled_from(["One", "One, edited", "Two", "Müller", "harbour", "ferry", "Ünïcödé", ""]) | st.text(
    max_size=12
)
maybe = st.none() | words
#: Where a comment was read from: the article's page (no page_url, or an empty one), one of its
#: comment pages (made from the article's URL by ``comment_page``), or a page of another URL.
PAGES = [None, "", "?cpage=2", "?comment_page=3", "/comment-page-2/", "https://example.org/c?cpage=2"]
batch_comments = st.lists(
    st.fixed_dictionaries(
        {"number": st.integers(1, 5)},
        optional={
            "number_source": st.sampled_from(["page", "order", None]),
            # few authors, ids and texts, so that comments of other pages meet
            "author": st.sampled_from(["Ann", "Bob", "Jörg Müller"]) | maybe,
            "author_url": st.none() | st.just("https://ann.example/"),
            "body": st.sampled_from(["Hi", "Hi, edited", "Agreed."]) | maybe,
            "published": st.none() | st.sampled_from(["2024-05-01", "2024-05-02T10:00:00"]),
            "published_local": st.none() | st.booleans(),
            "parent": st.none() | st.integers(1, 5),
            "kind": st.sampled_from(["comment", "pingback"]),
            "published_relative": st.none() | st.booleans(),
            "anchor": st.sampled_from(["comment-1", "comment-2", "div-7"]) | maybe,
            "page_url": st.sampled_from(PAGES),
        },
    ),
    max_size=5,
    unique_by=lambda c: c["number"],
)
article_pages = st.fixed_dictionaries(
    {
        "url": st.sampled_from(URLS),
        "body": st.sampled_from(BODIES[:4]) | st.sampled_from(BODIES) | words,  # often long: copies are found
        "title": st.sampled_from(TITLES[:3]) | st.sampled_from(TITLES) | maybe,  # often one title: copies are found
    },
    optional={
        "canonical_url": st.none() | st.sampled_from(URLS),
        "authors": st.lists(st.sampled_from(["Ana Lima", "Jörg Müller", "Sam"]), max_size=2),
        "published": st.none() | st.sampled_from(["2024-01-02", "2024-01-03"]),
        "published_local": st.none() | st.booleans(),
        "modified_local": st.none() | st.booleans(),
        "language": st.sampled_from(["en", "de"]),
        "comments_status": st.sampled_from(["present", "none", "closed", "external:disqus", None]),
        "comments": batch_comments,
        "provenance": st.dictionaries(st.sampled_from(["title", "body"]), st.sampled_from(["jsonld", "heuristic"])),
        "fetched_at": st.none() | st.sampled_from(["2024-05-01T10:00:00", "2024-05-02T10:00:00"]),
    },
)


def comment_page(url: str, page: str | None) -> str | None:
    """A comment's ``page_url`` as PAGES names it: a query or path added to the article's URL, or as it is."""
    if not page or page.startswith("https:"):
        return page
    parts = urlsplit(url)
    if page.startswith("?"):
        return urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, page[1:]])), fragment=""))
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + page, fragment=""))


def with_comment_pages(page: dict[str, Any]) -> dict[str, Any]:
    comments = [{**c, "page_url": comment_page(page["url"], c.get("page_url"))} for c in page.get("comments", [])]
    return page | {"comments": comments} if "comments" in page else page


batch_articles = article_pages.map(with_comment_pages)

#: What a page read again may show of the comments it showed before.
COMMENT_CHANGES: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]]] = {
    "the same": lambda cs: cs,
    "the first gone": lambda cs: cs[1:],
    "the last gone": lambda cs: cs[:-1],
    "the first edited": lambda cs: [{**c, "body": f"{c.get('body')}, edited"} for c in cs[:1]] + cs[1:],
    "numbered by position": lambda cs: [{**c, "number": n, "number_source": "order"} for n, c in enumerate(cs, 1)],
    "numbered on": lambda cs: [{**c, "number": c["number"] + 2} for c in cs],
    "without ids": lambda cs: [{k: v for k, v in c.items() if k != "anchor"} for c in cs],
    "on one comment page": lambda cs: [{**c, "page_url": "https://example.org/d/comment-page-2/"} for c in cs],
    # each comment with the id, or the page, of the one before it: ids some sites number on each page,
    # comments moved between comment pages
    "ids moved on": lambda cs: [{**c, "anchor": cs[n - 1].get("anchor")} for n, c in enumerate(cs)],
    "pages moved on": lambda cs: [{**c, "page_url": cs[n - 1].get("page_url")} for n, c in enumerate(cs)],
}


def read_again(page: dict[str, Any], changed: dict[str, Any], comments: list[str]) -> dict[str, Any]:
    """A page seen before, read again with ``changed`` fields (``...``: the field left out) and its
    comments changed as ``comments`` say (COMMENT_CHANGES), one after the other."""
    again = {k: v for k, v in (page | changed).items() if v is not ...}
    for change in comments if "comments" in page else []:
        again["comments"] = COMMENT_CHANGES[change](again["comments"])
    return again


@st.composite
def batches(draw: st.DrawFn) -> list[list[dict[str, Any]]]:
    """Batches of pages: new ones, and ones seen before (changed, at another URL, fetched at another
    time...) or copies of them under another URL."""
    pages = draw(st.lists(batch_articles, min_size=1, max_size=4))
    changes = st.fixed_dictionaries(
        {},
        optional={
            "url": st.sampled_from(URLS),
            "canonical_url": st.none(),  # with "url": a copy under another URL
            "fetched_at": st.none() | st.sampled_from(["2024-06-01T10:00:00", "2024-06-02T10:00:00"]),
            "comments_status": st.sampled_from(["present", "external:disqus"]),
            "title": st.sampled_from(["Changed", *TITLES, ...]),  # the same article changed, or a copy's title
            "body": st.just(...),  # an item without a body
        },
    )
    copied = st.fixed_dictionaries(  # under another URL: a copy when its title is the same, case and spacing aside
        {"url": st.sampled_from(URLS), "canonical_url": st.none()}, optional={"title": st.sampled_from(TITLES)}
    )
    comments = st.lists(st.sampled_from(list(COMMENT_CHANGES)), max_size=2)
    again = st.builds(read_again, st.sampled_from(pages), changes, comments)
    texts = [p for p in pages if p["body"] in BODIES[:4] and p["title"] in TITLES[:4]] or pages  # copies found
    copy = st.builds(read_again, st.sampled_from(texts), copied, comments)
    later = draw(st.lists(st.lists(batch_articles | again | copy | copy, max_size=8), min_size=1, max_size=3))
    return [pages + later[0], *later[1:]]  # the pages first, as a site shows them


#: The bound on a statement's parameters (SQLITE_LIMIT_VARIABLE_NUMBER): SQLite's own, or one so
#: low that a batch's statements are split into many.
variable_limits = st.sampled_from([None, 25, 40, 64, 200])

#: What a revision keeps of an article and of a comment; a comment item's fields; the tables compared.
ARTICLE_REVISED = ("title", "authors", "published", "modified", "body", "content_hash")
COMMENT_REVISED = ("author", "published", "body", "parent", "content_hash")
COMMENT_FIELDS = [f.name for f in fields(Comment)]
COMMENTS_READ = {"present", "none", "closed"}
TABLES = ("articles", "article_urls", "revisions", "comments", "comment_revisions")


def save_one_by_one(archive: Archive, articles: list[dict[str, Any]], seen: str) -> SaveCounts:
    """What ``Archive.save`` promises, the plain way: each article in turn, written with sqlite-utils.

    An article is the one stored under its canonical URL; else, when the body (long enough to
    have a hash) and the title (case and spacing aside) are those of articles stored under other
    URLs, the oldest of them (a copy: one more URL); else a new one. Its comments are saved by
    ``save_comments``.
    """
    db, counts = archive.db, SaveCounts()
    table = db.table("articles")
    for article in articles:
        row = archive._article_row(article, seen)  # the article's row (what is tested is how rows are written)
        found = list(db.query("SELECT id, content_hash FROM articles WHERE canonical_url = ?", [row["canonical_url"]]))
        title = title_words(article.get("title"))
        copies = [
            r["id"]
            for r in db.query("SELECT id, title FROM articles WHERE body_hash = ? ORDER BY id", [row["body_hash"]])
            if title is not None and title_words(r["title"]) == title
        ]
        if not found and copies:
            article_id = copies[0]  # the same text and title under another URL: the oldest article holding it
            table.update(article_id, {"last_seen": seen})
            counts.articles_merged += 1
        elif not found:
            article_id = table.insert({**row, "first_seen": seen, "last_changed": seen}).last_pk
            counts.articles_inserted += 1
        elif found[0]["content_hash"] == row["content_hash"]:
            article_id = found[0]["id"]
            fetched = {} if row.get("fetched_at") is None else {"fetched_at": row["fetched_at"]}
            # its comments read again: what the article says of them is this reading's
            read = ("comments_status", "comment_count", "provenance")
            reading = {k: row.get(k) for k in read} if row.get("comments_status") in COMMENTS_READ else {}
            table.update(article_id, {"last_seen": seen, **fetched, **reading})
            counts.articles_unchanged += 1
        else:
            article_id = found[0]["id"]
            old = table.get(article_id)
            revision = {"article_id": article_id, "replaced_at": seen, **{k: old[k] for k in ARTICLE_REVISED}}
            db.table("revisions").insert(revision)
            table.update(article_id, {**row, "last_changed": seen})
            counts.articles_changed += 1
            counts.revisions += 1
        urls = {canonicalize(u) for u in (article.get("url"), article.get("canonical_url")) if u}
        db.table("article_urls").insert_all(
            [{"url": u, "article_id": article_id, "first_seen": seen} for u in urls], ignore=True
        )
        save_comments(db, article_id, article, seen, counts)
    db.conn.commit()
    return counts


def title_words(title: str | None) -> str | None:
    """A title as copies are told by: its words, case folded; None for no words."""
    return " ".join((title or "").split()).casefold() or None


def save_comments(db: Database, article_id: int, article: dict[str, Any], seen: str, counts: SaveCounts) -> None:
    """The comments of the page just read, against those the article holds (from any of its URLs).

    Each comment, in the page's order, is the first stored comment not already found on this
    page, lowest number first, that has (1) its number and content, (2) its id on the page
    (``anchor``) and author, (3) its content, or (4) its number, when that stored comment was read
    from a page just read or from a page of the same article page (an edit). Comments with other
    ids are never one. One found nowhere is new, under the page's number unless the article holds
    that number, else under one more than the article's largest (``number_source`` "archive"). A
    reply's parent is the number its parent was stored under. When the page's comments were read,
    a stored comment not found on it is deleted if it was read from one of the pages just read or
    from a page of the same article page.
    """
    table = db.table("comments")
    url = article["url"]
    comments = article.get("comments") or []
    pages = {url} | {c.get("page_url") or url for c in comments}  # the article's page and its comment pages

    def read_here(page: str | None, here: str) -> bool:
        """Read from one of the pages just read, or from a page of the article page ``here`` belongs to."""
        return page is None or page in pages or canonicalize(article_page(page)) == canonicalize(article_page(here))

    held = list(table.rows_where("article_id = ?", [article_id], order_by="number"))  # stored before this page
    found: set[int] = set()
    stored_as: dict[Any, int] = {}  # the page's number -> the number stored under
    for comment in comments:
        values = {f: comment.get(f) for f in COMMENT_FIELDS}
        number, page, anchor = values["number"], values["page_url"] or url, values["anchor"]
        values["page_url"] = page
        values["parent"] = stored_as.get(values["parent"], values["parent"])
        digest = content_hash(values, _COMMENT_CONTENT)
        left = [h for h in held if h["number"] not in found and not (anchor and h["anchor"] and anchor != h["anchor"])]
        match = next(
            chain(
                (h for h in left if h["number"] == number and h["content_hash"] == digest),
                (h for h in left if anchor and h["anchor"] == anchor and h["author"] == values["author"]),
                (h for h in left if h["content_hash"] == digest),
                (h for h in left if h["number"] == number and read_here(h["page_url"], page)),
            ),
            None,
        )
        if match is None:  # new
            numbers = {r["number"] for r in table.rows_where("article_id = ?", [article_id], select="number")}
            if not isinstance(number, int) or number in numbers:
                values["number"], values["number_source"] = max(numbers, default=0) + 1, "archive"
            bookkeeping = {"content_hash": digest, "first_seen": seen, "last_seen": seen}
            table.insert({"article_id": article_id, **values, **bookkeeping})
            counts.comments_inserted += 1
            stored_as[number] = values["number"]
            continue
        stored = stored_as[number] = match["number"]
        found.add(stored)
        if stored != number:  # the number it was stored under stays its own
            values["number"], values["number_source"] = stored, match["number_source"]
        if match["content_hash"] == digest:
            table.update((article_id, stored), {"last_seen": seen, "page_url": page, "deleted": 0})
        else:  # edited: the old text kept as a revision
            revision = {"article_id": article_id, "number": stored, "replaced_at": seen}
            db.table("comment_revisions").insert({**revision, **{k: match[k] for k in COMMENT_REVISED}})
            table.update((article_id, stored), {**values, "content_hash": digest, "last_seen": seen, "deleted": 0})
            counts.comments_changed += 1
    if article.get("comments_status") in COMMENTS_READ:
        for h in held:
            if h["number"] not in found and not h["deleted"] and read_here(h["page_url"], url):
                table.update((article_id, h["number"]), {"deleted": 1})
                counts.comments_deleted += 1


def archive_contents(path: Path) -> dict[str, Any]:
    """Every row of the archive's tables with its row id, and every entry of its full-text indexes."""
    conn = sqlite3.connect(path)
    try:
        found: dict[str, Any] = {t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
        for table in ("articles", "comments"):
            conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
            conn.execute(f"CREATE VIRTUAL TABLE temp.{table}_terms USING fts5vocab(main, {table}_fts, instance)")
            found[f"{table}_fts"] = conn.execute(f"SELECT * FROM temp.{table}_terms ORDER BY 1, 2, 3, 4").fetchall()
            found[f"{table}_fts rows"] = conn.execute(f"SELECT rowid, * FROM {table}_fts ORDER BY rowid").fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    return found


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new archive (schema made), copied for each example rather than made again."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    Archive(path).close()
    return path


@given(batches(), variable_limits)
def test_a_batch_is_written_as_sqlite_utils_writes_its_articles_one_by_one(
    empty_archive: Path, batches: list[list[dict[str, Any]]], limit: int | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        in_batches, one_by_one = Path(folder) / "batches.db", Path(folder) / "one-by-one.db"
        shutil.copy(empty_archive, in_batches)
        shutil.copy(empty_archive, one_by_one)
        fast, plain = Archive(in_batches), Archive(one_by_one)
        try:
            if limit is not None:
                fast.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
            for n, batch in enumerate(batches):
                seen = datetime(2025, 1, n + 1, tzinfo=UTC).isoformat(timespec="seconds")
                with mock.patch.object(store, "_now", return_value=seen):  # each save at its own time
                    counts = fast.save(batch)
                assert counts == save_one_by_one(plain, batch, seen)
                for name in (name for name, value in vars(counts).items() if value):
                    event(name)  # what the examples did (--hypothesis-show-statistics)
        finally:
            fast.close()
            plain.close()
        assert archive_contents(in_batches) == archive_contents(one_by_one)
        for what, sql in SEEN_IN_EXAMPLES.items():
            if rows(in_batches, sql):
                event(what)


#: What the examples should exercise now and then, each shown by a query on the archive.
SEEN_IN_EXAMPLES = {
    "one body under other titles kept apart": "SELECT 1 FROM articles GROUP BY body_hash HAVING count(*) > 1",
    "an article under several URLs": "SELECT 1 FROM article_urls GROUP BY article_id HAVING count(*) > 1",
    "a comment numbered by the archive": "SELECT 1 FROM comments WHERE number_source = 'archive'",
    "a reply to a comment the archive numbered": "SELECT 1 FROM comments WHERE number_source = 'archive' AND number IN"
    " (SELECT parent FROM comments)",
    "a comment read from a comment page": "SELECT 1 FROM comments WHERE page_url LIKE '%page%'",
    "a comment deleted": "SELECT 1 FROM comments WHERE deleted",
    "a comment edited": "SELECT 1 FROM comment_revisions",
}


def test_the_plain_writer_sees_what_the_batch_writer_must(empty_archive: Path, tmp_path: Path) -> None:
    """The comparison above can fail: a changed article, a copy, a page of another title with the
    same body, a comment gone, a comment renumbered are all in the archive."""
    shutil.copy(empty_archive, tmp_path / "a.db")
    archive = Archive(tmp_path / "a.db")
    comment = {"number": 1, "author": "Ann", "body": "Hi"}
    first = {"url": URLS[0], "title": "Lock gates", "body": LONG, "comments_status": "present", "comments": [comment]}
    try:
        save_one_by_one(archive, [first], "2025-01-01T00:00:00+00:00")
        counts = save_one_by_one(
            archive,
            [
                # a copy of the first (its text spaced, its title cased otherwise) showing another
                # comment 1: stored as 2; the first's comment 1 is not on this page, so not deleted
                {
                    "url": URLS[5],
                    "title": " LOCK  gates",
                    "body": LONG.replace(" ", "  "),
                    "comments_status": "present",
                    "comments": [{"number": 1, "author": "Bob", "body": "Yo"}],
                },
                {"url": URLS[4], "title": "Lock gates, again", "body": LONG},  # the same text, another title: new
                {**first, "title": "New", "comments": []},  # changed, its comment gone
            ],
            "2025-01-02T00:00:00+00:00",
        )
    finally:
        archive.close()
    assert vars(counts) == vars(SaveCounts(1, 1, 0, 1, 1, 0, 1, 1))
    found = archive_contents(tmp_path / "a.db")
    assert [r[1:4] for r in found["articles"]] == [(1, URLS[0], URLS[0]), (2, URLS[4], URLS[4])]
    assert [r[1:3] for r in found["article_urls"]] == [(URLS[0], 1), (URLS[5], 1), (URLS[4], 2)]
    assert [r[2] for r in found["revisions"]] == [1]
    # number, source, author, deleted, page (the columns m009 added after page_url: title)
    comments = [(r[2], r[3], r[4], r[-4], r[-2]) for r in found["comments"]]
    assert comments == [(1, None, "Ann", 1, URLS[0]), (2, "archive", "Bob", 0, URLS[5])]
    assert ("new", 1) in [r[:2] for r in found["articles_fts"]]
    assert json.loads(found["articles"][0][5]) == []  # authors


# LowerText


#: Letters whose lower case is ASCII though they are not (Kelvin sign, dotted capital I), others
#: that change length or depend on context when lowered, and ASCII of both cases.
LETTERS = "aAbBiIkKsSzZ\u212a\u0130\u0131\u0307ßẞΣσςſﬁ Ωω 東\U0001f600-:."
MARKERS = [word for words in (_MARKER_WORDS, CLOSED) for word in words] + [
    marker for _, markers in EXTERNAL for marker in markers
]
page_text = st.one_of(
    st.text(LETTERS, max_size=40),
    st.lists(st.sampled_from([*MARKERS, *LETTERS, " ", "COMMENTS ARE CLOSED", "Disqus_Thread"]), max_size=12).map(
        "".join
    ),
    st.text(max_size=40),
    st.text(st.characters(categories=["Cs", "Lu", "Ll"]), max_size=20),  # lone surrogates too
)


@given(page_text, st.data())
def test_lower_text_finds_what_str_lower_finds(text: str, data: st.DataObject) -> None:
    lowered = text.lower()
    cut = st.integers(0, len(lowered))
    piece = st.tuples(cut, cut).map(lambda ends: lowered[min(ends) : max(ends)])
    phrases = data.draw(st.lists(st.sampled_from(MARKERS) | piece | st.text(LETTERS, max_size=4), max_size=6))
    found = LowerText(text)
    for phrase in phrases:  # one object asked many times, as a page is
        assert (phrase in found) == (phrase in lowered), phrase


# Case-insensitive rules run on a text's lower case

#: The letters IGNORECASE takes for an ASCII letter besides its two cases ("\u0130", "\u0131" for "i",
#: "\u017f" for "s", the Kelvin sign for "k"), and "\u0130" lowers to two characters.
TWINS = {"i": "iI\u0130\u0131", "s": "sS\u017f", "k": "kK\u212a"}


@st.composite
def mixed_case(draw: st.DrawFn, pieces: list[str], extra: str) -> str:
    """Pieces and stray characters joined, each letter in a case (or a twin) of its own."""
    found = draw(st.lists(st.sampled_from(pieces) | st.text(extra, max_size=3), max_size=8))
    text = draw(st.sampled_from([" ", "", "\xa0", "-"])).join(found)
    return "".join(draw(st.sampled_from(TWINS.get(c.lower(), c + c.swapcase()))) for c in text)


SALES_PIECES = [
    "pricing", "add to cart", "add to basket", "buy now", "free trial", "get started", "book a demo", "request a demo",
    "sign up free", "contact sales", "per month", "/mo", "$5 / month", "€ 9,99 per user", "£3/yr", "$12 per mo",
]  # fmt: skip


@given(mixed_case(SALES_PIECES, LETTERS + "$€£/09,. \xa0"))
def test_sales_words_are_counted_as_the_rule_counts_them(text: str) -> None:
    assert _sales_words(text) == len(_SALES_WORDS.findall(text))


@pytest.mark.parametrize("piece", SALES_PIECES)
def test_each_sales_phrase_alone_is_counted(piece: str) -> None:
    """Each branch of the rule alone, in a text holding nothing else it looks for (the clues searched
    first must hold one for every branch)."""
    text = f"The harbour office opened at nine. {piece.upper()} and more"
    assert _sales_words(text) == len(_SALES_WORDS.findall(text)) == 1


# The page type's texts outside scripts, styles and noscripts, read without libxml2's ancestor tests

SHOWN_TEXTS = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
#: Markup pieces: the hidden elements (each may hold any other), blocks and inline elements, texts.
SHOWN_TAGS = ["script", "style", "noscript", "div", "p", "span", "ul", "li", "a", "template", "svg", "br", "img"]


@st.composite
def shown_markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested elements, texts and tails, hidden elements among them (and holding them), perhaps empty."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        tag = draw(st.sampled_from(SHOWN_TAGS))
        parts.append(f"<{tag}>{draw(shown_markup(depth + 1))}</{tag}>")
        parts.append(
            draw(st.sampled_from(["", " ", "tail", " x <b>b</b> ", "&amp;", "<!-- c -->", "<?php p ?>", "\n"]))
        )
    return draw(st.sampled_from(["", "text ", "\u00e9t\u00e9 "])) + "".join(parts)


def keeping_parser() -> etree.HTMLParser:
    """An HTML parser that keeps comments and processing instructions (``parse_html`` drops comments;
    whether ``<?php ?>`` stays one depends on libxml2's version), with lxml.html's element classes."""
    parser = etree.HTMLParser(remove_comments=False, remove_pis=False)
    parser.set_element_class_lookup(lxml.html.HtmlElementClassLookup())
    return parser


@given(shown_markup(), shown_markup(), st.booleans())
def test_shown_texts_are_those_the_xpath_finds(head: str, body: str, keep_comments: bool) -> None:
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    tree = lxml.html.document_fromstring(markup, parser=keeping_parser()) if keep_comments else parse_html(markup)
    assert _body_texts(Page("https://x.example/", "", tree)) == _BODY_TEXT(tree)
    for el in tree.iter(etree.Element):
        assert _shown_texts(el) == SHOWN_TEXTS(el), el.tag


def test_shown_texts_of_comments_and_processing_instructions_are_their_tails() -> None:
    """A comment or processing instruction beside a hidden element gives its tail, not its own text."""
    tree = parse_html("<html><body><div id='t'>a<script>s</script>b</div></body></html>")
    div = tree.get_element_by_id("t")
    pi = etree.ProcessingInstruction("php", "echo 1;")
    pi.tail = "after the instruction"
    comment = lxml.html.HtmlComment(" note ")
    comment.tail = "after the comment"
    div.extend([pi, comment])
    assert _shown_texts(div) == SHOWN_TEXTS(div) == ["a", "b", "after the instruction", "after the comment"]
    assert _body_texts(Page("https://x.example/", "", tree)) == _BODY_TEXT(tree)


@pytest.mark.parametrize(
    "markup",
    [
        "<div id='t'>a<script>s</script>b<p>c<noscript><p>n</p></noscript>d</p>e</div>",
        "<noscript><div id='t'>inside a noscript: <b>none</b></div></noscript>",
        "<div id='t'><span>a<style>x{}</style></span>tail of span<noscript>n</noscript></div>",
    ],
)
def test_shown_texts_of_an_element_leave_out_what_hidden_elements_hold(markup: str) -> None:
    tree = parse_html(f"<html><body>{markup}<p>after</p></body></html>")
    el = tree.get_element_by_id("t")
    assert _shown_texts(el) == SHOWN_TEXTS(el)
    assert _body_texts(Page("https://x.example/", "", tree)) == _BODY_TEXT(tree)


# The page type's searches of attributes and names find the elements its tests of every element found

#: Attribute values: the words searched for, in other cases and inside other words, and others.
MARK_VALUES = ["comment", "comments-area", "Comment", "nocomment x", "author", "post-author", "byline", "Author", ""]


@st.composite
def marked_tree(
    draw: st.DrawFn, tags: tuple[str, ...] = ("div", "span", "a", "h2", "h3", "nav", "header", "p"), size: int = 8
) -> lxml.html.HtmlElement:
    """A page of nested elements (headings, links, menus among them) with ids, classes, ``rel``,
    ``itemprop`` and ``href`` of the values searched for and others."""
    tree = parse_html("<html><body></body></html>")
    elements = [tree.find("body")]
    for _ in range(draw(st.integers(0, size))):
        names = st.sampled_from(["id", "class", "rel", "itemprop", "title", "href"])
        attributes = draw(st.dictionaries(names, st.sampled_from(MARK_VALUES) | st.text("comentauhrbyl -", max_size=9)))
        parent = elements[draw(st.integers(0, len(elements) - 1))]
        tag = draw(st.sampled_from(tags))
        elements.append(etree.SubElement(parent, tag, attributes))
    return tree


@given(marked_tree())
@example(
    parse_html(
        "<html><body><h2><a>no link</a></h2><h3><span><a href='/a'>a</a></span></h3><nav><h2><a href='/b'>b</a></h2>"
        "</nav><div class='comments byline'><h4><a href='/c'>c</a></h4><p rel='author' id='x-comment'>d</p></div>"
        "</body></html>"
    )
)
def test_elements_found_by_their_attributes_are_those_each_element_s_test_finds(tree: lxml.html.HtmlElement) -> None:
    assert _COMMENT_MARKED(tree) == tree.xpath("//*[contains(@id, 'comment') or contains(@class, 'comment')]")
    byline = "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') or contains(@class, 'author')]"
    assert _BYLINE(tree) == bool(tree.xpath(byline))
    boilerplate = "ancestor::nav or ancestor::footer or ancestor::aside or ancestor::header or ancestor::form"
    assert _LINKED_HEADINGS(tree) == tree.xpath(f"//*[self::h2 or self::h3][.//a[@href]][not({boilerplate})]")


PAGE_TYPE_TAGS = ("div", "p", "h1", "nav", "footer", "aside", "header", "form", "pre", "code", "section")


@given(marked_tree(("article", "div", "h2", "h3", "h4", "h5", "a", "span"), size=12))
@example(
    parse_html(
        "<html><body><article><h4><span><a href=x>a</a></span></h4></article><article><h5><a href=y>b</a></h5>"
        "<h3><a>c</a></h3></article><article><h2>d</h2><a href=z>e</a></article></body></html>"
    )
)
def test_teaser_articles_are_those_the_plain_xpath_finds(tree: lxml.html.HtmlElement) -> None:
    """The ``<article>`` elements holding a linked ``<h2>``, ``<h3>`` or ``<h4>`` (each heading searched by its
    name) are those of the XPath testing every element of the article for the three names."""
    assert _TEASER_ARTICLES(tree) == tree.xpath("//article[.//*[self::h2 or self::h3 or self::h4]//a[@href]]")


@given(marked_tree(PAGE_TYPE_TAGS, size=14), st.lists(st.integers(0, 40), max_size=4))
@example(
    parse_html(
        "<html><body><div class='comments'><div id='comment-1'><p>a</p></div></div><section><div class='comment'>"
        "<h1>b</h1></div><div class='comment'><p class='comment'>c</p></div></section><nav><p><p>d</p></p></nav>"
        "<pre></pre><pre></pre><pre><code>e</code></pre></body></html>"
    ),
    [2, 9],
)
def test_the_page_type_s_walks_find_what_the_plain_ones_find(tree: lxml.html.HtmlElement, picks: list[int]) -> None:
    """The outermost comment areas (one walk up from each marked element, stopped at an element walked
    before), whether a paragraph is in boilerplate (the tags as one tuple) and the count of ``<code>``
    (``iter``) are those of the plain code they replace."""
    page = Page("https://x.example/", "", tree)
    marked = set(_COMMENT_MARKED(tree))
    areas = {el for el in marked if not any(up in marked for up in el.iterancestors()) and el.find(".//h1") is None}
    assert pagetype._comment_areas(page) == areas
    elements = list(tree.iter())
    headline = {elements[i % len(elements)] for i in picks}  # elements holding a headline
    for el in elements:
        ancestors = el.iterancestors("nav", "footer", "aside", "header", "form", "p")
        assert pagetype._in_boilerplate(el, headline) == any(up.tag == "p" or up not in headline for up in ancestors)
    code = len(tree.xpath("//code")) if len(tree.xpath("//pre")) < 3 else 10
    assert pagetype._code_count(page) == code


@given(shown_markup())
@example("<p>a<!-- c -->b</p><p>x &amp; y<?php p ?>z</p><p> </p><p></p><p>\u00e9t\u00e9 <b>b</b> c</p>")
def test_a_paragraph_s_text_is_its_texts_joined(body: str) -> None:
    """A paragraph's text for its words (its ``text`` alone where it has no children) is its texts that
    the XPath finds, joined by spaces, on any element of a page as ``parse_html`` gives it."""
    tree = parse_html(f"<html><body>{body}</body></html>")
    for el in tree.iter(etree.Element):
        assert pagetype._paragraph_text(el) == " ".join(pagetype._TEXTS(el)), el.tag


def test_paragraphs_inside_the_skipped_areas_are_left_out_and_an_area_s_own_paragraph_is_not() -> None:
    """The skipped areas (comment areas) hold the paragraphs left out: those below one of them, at any
    depth; a ``<p>`` that is itself an area is not inside it (its ancestors do not hold it)."""
    tree = parse_html(
        "<html><body><p>one two three</p><div id='c'><p>four five</p><div><p>six</p></div></div>"
        "<p id='own'>seven eight <span><p>nine</p></span></p></body></html>"
    )
    skipped = {tree.get_element_by_id("c"), tree.get_element_by_id("own")}
    page = Page("https://x.example/", "", tree)
    kept = [p for p in tree.iter("p") if not any(up in skipped for up in p.iterancestors())]
    expected = [len(" ".join(p.itertext()).split()) for p in kept]
    assert pagetype._paragraph_words(page, skipped, set()) == expected == [3, 3]


AREA_PIECES = [
    "comments", "comment-list", "disqus_thread", "Kommentare", "reactions", "responses", "discussion", "cmts",
    "leserbriefe", "reader-responses", "replies", "talkback", "reviews", "comment-form", "entry", "sidebar",
]  # fmt: skip


@given(mixed_case(AREA_PIECES, LETTERS + "_ "), mixed_case(AREA_PIECES, LETTERS + "_"), st.sampled_from(["div", "ol"]))
def test_an_id_and_class_passed_over_name_no_comment_area(classes: str, ident: str, tag: str) -> None:
    el = parse_html(f"<{tag}>x</{tag}>").find(f".//{tag}")
    el.set("class", classes)
    if ident:
        el.set("id", ident)
    assert _may_name_area(el) or not is_container(el)


ID_PIECES = [
    *AREA_PIECES, "li-", "div-", "comment-", "-0", "7", "45", "2500", "\u0663", "\n", "-count", "-form", "cmt", "s",
]  # fmt: skip


@given(mixed_case(ID_PIECES, LETTERS + "_0123456789"))
@example("li-comment-2500")
@example("comment-45\n")
@example("cmts7")
def test_an_id_names_a_comment_area_as_its_tokens_test_says_whatever_its_numbers(ident: str) -> None:
    """Ids answered once for each shape (their runs of digits as one "0") answer as each one alone."""
    assert thread._id_names_container(ident) == thread._names_container(ident)


def test_the_comment_area_words_read_no_digit() -> None:
    """``_id_names_container`` answers once for each shape of id (its runs of digits as one "0"): exact
    only while neither pattern can match a digit. Letters and these few operators cannot; a word with a
    digit, a ``\\d``, ``\\w``, ``.`` or a character class could, and must change that function first."""
    allowed = set(string.ascii_letters + "^$?|-():")
    for pattern in (CONTAINER, NOT_CONTAINER):
        assert set(pattern.pattern) <= allowed, sorted(set(pattern.pattern) - allowed)


COUNT_PIECES = ["data-comments-count", "data-comment-count", "comment-count", "data-public-comment-count", "data-count"]


@given(mixed_case(COUNT_PIECES, LETTERS + "-"), st.sampled_from(["0", "3", " 12 ", "x", ""]), st.booleans())
def test_comments_by_script_are_found_as_without_the_markup(name: str, value: str, area: bool) -> None:
    """An attribute's name in any case, perhaps not a count attribute, on an element or a comment area."""
    inner = '<div class="comments"><h3>Comments</h3></div><script src="c.js"></script>' if area else "x"
    markup = f'<html><body><div id="a" {name or "title"}="{value}">{inner}</div></body></html>'
    tree = parse_html(markup)
    found = loads_by_script(tree)
    assert loads_by_script(tree, LowerText(markup)) == found
    assert loads_by_script(tree, LowerText(markup), list(tree.iter())) == found


# Dates: a text without a digit is no calendar date; a text without a dash reads alike with ``dashes``

DATE_PIECES = [
    "May", "mai", "Dezember", "12", "3", "2024", "19", "/", ".", "-", ", ", " at ", "pm", "vor", "ago", "days",
    "yesterday", "Gestern", "١٢", "٢٠٢٤", "th", " de ", "\u0130", "\u017f",
]  # fmt: skip


@given(mixed_case(DATE_PIECES, LETTERS + " .,/"))
def test_a_text_without_a_digit_holds_no_calendar_date(text: str) -> None:
    """``_find_date`` returns at once for a text without a digit: none of its patterns can match there."""
    digitless = "".join(c for c in text if not c.isdecimal())
    assert not any(p.search(digitless) for p in (dates._DMY_NUM, dates._SLASH, dates._MDY_NAME, dates._DMY_NAME))
    assert dates._find_date(digitless) is None
    if dates._find_date(text) is not None:  # every found date holds a digit
        assert any(c.isdecimal() for c in text)


#: Without the letters IGNORECASE takes for another ("yeſterday" makes ``dates._relative`` raise KeyError
#: either way: a defect of its own, reported, not what this test is about).
plain_dates = st.lists(st.sampled_from([p for p in DATE_PIECES if p not in TWINS["i"] + TWINS["s"]]), max_size=8).map(
    "".join
)


@given(plain_dates | st.text(LETTERS + " .,:/0123456789", max_size=30))
def test_a_text_without_a_dash_reads_alike_with_dashes(text: str) -> None:
    """The comment scan asks ``dashes`` only of texts with a dash: without one the answer is the same,
    and the parse is cached once for the scan and for the comment's reading."""
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    text = text.replace("-", " ")
    assert dates.parse_date_full(text, now, dashes=True) == dates.parse_date_full(text, now)


# trafilatura's options built once


@pytest.mark.parametrize(("fast", "recall"), [(True, False), (False, False), (True, True)])
def test_trafilatura_options_are_those_bare_extraction_builds(fast: bool, recall: bool) -> None:
    """The options given to ``bare_extraction`` are those it builds itself from the arguments archiver
    gave it before (its own defaults for the others), in every field."""
    import inspect

    import trafilatura
    from trafilatura.settings import Extractor

    defaults = {k: p.default for k, p in inspect.signature(trafilatura.bare_extraction).parameters.items()}
    url = "https://example.org/ünï/päge?q=1"
    built = Extractor(
        config=defaults["config"],
        output_format=defaults["output_format"],
        fast=fast,
        precision=defaults["favor_precision"],
        recall=recall,
        comments=False,
        formatting=defaults["include_formatting"],
        links=defaults["include_links"],
        images=defaults["include_images"],
        tables=True,
        dedup=defaults["deduplicate"],
        lang=defaults["target_language"],
        url=url,
        with_metadata=defaults["with_metadata"],
        only_with_metadata=defaults["only_with_metadata"],
        author_blacklist=defaults["author_blacklist"],
        url_blacklist=defaults["url_blacklist"],
        date_params=defaults["date_extraction_params"],
    )
    given_options = trafilatura_options(url, fast, recall)
    for name in Extractor.__slots__:
        assert getattr(given_options, name) == getattr(built, name), name
    assert trafilatura_options("https://other.example/", fast, recall).url == "https://other.example/"
    assert given_options.url == url  # each call its own copy


# The main region's paragraph words, counted once


@pytest.mark.parametrize(
    "container",
    [
        '<article class="post"><h1>T</h1><p>{words}</p><div><p>{words} <b>bold</b></p></div></article>',
        '<div class="entry-content"><p>{words}<p>{words}</div><p>one two</p>',
        '<div itemprop="articleBody"><p>{words} <span>more <i>words</i></span></p>tail</div>',
    ],
)
def test_the_region_s_words_remembered_are_those_of_the_region(container: str) -> None:
    words = " ".join(f"w{n}" for n in range(40))
    tree = parse_html(
        f"<html><body><nav><p>menu</p></nav>{container.format(words=words)}<footer>x</footer></body></html>"
    )
    region = main_region(tree)
    assert region is not None
    assert _REGION_WORDS[region] == _paragraph_words(region)


# A comment author's name remembered only for short texts


@pytest.mark.parametrize(
    "text",
    [
        "Anna says:",
        "By Ben Ortiz | March 5, 2024",
        "Soapm 22 Posted March 5, 2024",
        "Anna says: " + "the tide came in over the quay wall and we watched it from the harbour office " * 4,
    ],
)
def test_an_author_remembered_is_the_author_read_and_a_long_text_is_not_remembered(text: str) -> None:
    reading._remember_author.cache_clear()
    assert reading._clean_author(text) == reading._read_author(text)
    assert reading._remember_author.cache_info().currsize == (len(text) < reading._REMEMBERED_AUTHOR)


# The metadata's page text outside scripts and styles, and its publication labels


METADATA_TEXTS = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


@given(shown_markup(), shown_markup(), st.booleans(), st.data())
def test_metadata_shown_texts_are_those_the_xpath_finds(
    head: str, body: str, keep_comments: bool, data: st.DataObject
) -> None:
    """``shown_texts`` with the metadata's hidden elements (noscript's texts are shown), on a tree as
    parsed and after an element is dropped (``drop_tree``, as a site profile's ``remove`` does)."""
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    tree = lxml.html.document_fromstring(markup, parser=keeping_parser()) if keep_comments else parse_html(markup)
    elements = list(tree.iter(etree.Element))
    dropped = data.draw(st.sampled_from([None, *elements[2:]]))
    if dropped is not None and dropped.getparent() is not None:
        dropped.drop_tree()
    assert metadata._page_texts(Page("https://x.example/", "", tree)) == metadata._PAGE_TEXT(tree)
    for el in tree.iter(etree.Element):
        assert shown_texts(el, ("script", "style")) == METADATA_TEXTS(el), el.tag


LABEL_PIECES = [
    "published", "posted on", "originally created", "originally published:", "first published", "erstellt am",
    "veröffentlicht", "erschienen", "publié le", "publicado el", "pubblicato il", "republished", "unpublished",
    "xfirst published on", "first", "publi", "pubblicatore", "posted", "03.05.2021",
]  # fmt: skip


@given(mixed_case(LABEL_PIECES, LETTERS + "éÉöÖ09: \xa0"))
@example("xfirst published on 2 May")  # a label word inside another word, a later one at a word's start
@example("PUBL\u0130SHED: 3 May")  # IGNORECASE reads "\u0130" as "i", lower() as "i\u0307"
@example("po\u017fted on 3 May, ORIGINALLY PUBLISHED 2 May")
def test_publication_labels_are_found_where_the_rule_finds_them(text: str) -> None:
    assert list(metadata._published_label_spans(text)) == [m.span() for m in metadata._PUBLISHED_LABEL.finditer(text)]


# The elements with a date attribute, found in Python as the XPath finds them

#: What ``attribute_date`` looked for before: libxml2's test of each element for a date attribute.
DATED_ELEMENTS = etree.XPath(f"descendant-or-self::*[{' or '.join(f'@{a}' for a in DATE_ATTRIBUTES)}]")


@st.composite
def dated_tree(draw: st.DrawFn) -> lxml.html.HtmlElement:
    """A page of nested elements, some with date attributes (empty ones too) or others, with comments
    and processing instructions among them (the parser that keeps them)."""
    tree = lxml.html.document_fromstring("<html><body></body></html>", parser=keeping_parser())
    elements = [tree.find("body")]
    for _ in range(draw(st.integers(0, 20))):
        names = st.sampled_from([*DATE_ATTRIBUTES, "class", "data-dates", "href"])
        attributes = draw(st.dictionaries(names, st.sampled_from(["2024-03-05", "", "x"]), max_size=3))
        parent = elements[draw(st.integers(0, len(elements) - 1))]
        kind = draw(st.sampled_from(["element", "element", "element", "comment", "instruction"]))
        if kind == "comment":
            parent.append(lxml.html.HtmlComment("datetime='2024-03-05'"))
        elif kind == "instruction":
            parent.append(etree.ProcessingInstruction("php", "echo 1;"))
        else:
            tag = draw(st.sampled_from(["div", "time", "a", "img", "span"]))
            elements.append(etree.SubElement(parent, tag, attributes))
    return tree


@given(dated_tree())
def test_the_dated_elements_are_those_the_xpath_finds(tree: lxml.html.HtmlElement) -> None:
    for el in tree.iter(etree.Element):
        assert list(scan._dated_elements(el)) == DATED_ELEMENTS(el)


# The comment modules' class caches remember only short class attributes

#: Each cache with the function it remembers and the public test that goes through it.
_CLASS_CACHES = [
    (view._remember_noise_class, view._noise_class, view.is_noise),
    (reading._remember_number_class, reading._number_class, reading._shows_number),
    (view._remember_roles, view._read_roles, view.roles_of),
    (thread._remember_names_container, thread._class_names_container, None),
    (thread._remember_may_name, thread._may_name_container, thread._may_name_container_class),
]


@pytest.mark.parametrize(
    "classes",
    [
        "comment-author",
        "reply-link comment-number",
        "comments-area",
        "commentDate " + "grid-col-6 spacing-top-2 theme-dark " * 10,
        "comment-list " + "widget-box " * 30,
    ],
)
def test_a_class_answer_remembered_is_the_answer_worked_out_and_a_long_class_is_not_remembered(classes: str) -> None:
    for cache, compute, public in _CLASS_CACHES:
        cache.cache_clear()
        if public is None:  # is_container: the class attribute of an element without an id
            answer = is_container(lxml.html.fromstring(f'<div class="{classes}"></div>'))
        elif public is view.is_noise:
            answer = public(lxml.html.fromstring(f'<span class="{classes}"></span>'))
        else:
            answer = public(classes)
        assert answer == compute(classes)
        assert cache.cache_info().currsize == (len(classes) < 100)  # the long ones have over 300 characters


# The metadata's selectors of one tag, walked with ``iter``

WALK_TAGS = ["h1", "h2", "time", "abbr", "div", "span"]
WALK_ATTRIBUTES = [
    ' class="published"', ' class="entry-date x"', ' class="unpublished"', ' class="date-updated"', ' class="modified"',
    ' class=""', " datetime", ' datetime=""', ' datetime="2024-05-03"', " pubdate", ' title="3 May"', ' title=""',
]  # fmt: skip


@st.composite
def walk_markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested elements of the selectors' tags and others, with and without the attributes they test."""
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(WALK_TAGS))
        attributes = "".join(draw(st.lists(st.sampled_from(WALK_ATTRIBUTES), max_size=3, unique=True)))
        parts.append(f"<{tag}{attributes}>{draw(walk_markup(depth + 1))}</{tag}>")
    return "x " + "".join(parts)


@given(walk_markup(), st.integers(1, 2), st.data())
def test_the_metadata_selectors_of_one_tag_find_what_their_xpath_finds(
    body: str, copies: int, data: st.DataObject
) -> None:
    """Below the page's root and below any element (``.//tag`` is below the context element, ``//tag`` the
    whole document's), of a page sent once or twice (the second ``<html>`` left beside the root)."""
    tree = parse_html(f"<html><body>{body}</body></html>" * copies)
    elements = [el for top in (tree, *tree.itersiblings()) for el in top.iter(etree.Element)]
    context = data.draw(st.sampled_from(elements))
    for xpath, walk in metadata._TAG_WALKS.items():
        for el in (tree, context):
            assert metadata._tag_walk(el, *walk) == etree.XPath(xpath)(el), (xpath, el.tag)


def test_every_one_tag_walk_stands_for_a_selector_metadata_still_uses() -> None:
    """``_xpath`` takes a walk by the selector's exact text: a selector edited in one place and not in
    ``_TAG_WALKS`` would silently go back to the XPath. Each key is written once in the table and at
    least once where a selector is listed."""
    source = Path(metadata.__file__).read_text(encoding="utf-8")
    for xpath in metadata._TAG_WALKS:
        assert source.count(f'"{xpath}"') >= 2, xpath


#: One page whose every selector of one tag, and the ``<pre>`` and ``<code>`` page_type counts, finds
#: something: two ``<pre>`` (three or more make the count of ``<code>`` 10).
SENT_TWICE = (
    "<html><head><title>T</title></head><body><h1>Head</h1><h2>Part</h2><p>By A, <time pubdate"
    " datetime='2024-05-03' class='published entry-date'>3 May</time> <abbr class='published' title='2024-05-03'>"
    "May</abbr> <time>today</time> <time class='updated' datetime='2024-05-04'>4 May</time></p>"
    "<pre>a</pre><pre><code>b</code></pre></body></html>"
)


def test_a_page_sent_twice_is_searched_whole_as_the_xpath_searches_it() -> None:
    """``//tag`` searches the whole document: the second ``<html>`` of a page sent twice, which
    ``parse_html`` leaves beside the root, too. The walks that replace it find what it finds there,
    from the root and from inside either copy; ``.//tag`` stays below its element."""
    tree = parse_html(SENT_TWICE * 2)
    second = tree.getnext()
    assert second is not None and second.tag == "html"  # the copy the walks must see
    for xpath, walk in metadata._TAG_WALKS.items():
        for el in (tree, second, tree.find("body/p"), second.find("body/p")):
            assert metadata._tag_walk(el, *walk) == etree.XPath(xpath)(el), (xpath, el.tag)
    assert len(metadata._tag_walk(tree, *metadata._TAG_WALKS["//h1"])) == 2
    page = Page("https://x.example/", SENT_TWICE * 2, tree)
    assert pagetype._code_count(page) == 10  # four <pre>: two in each copy
    once = parse_html(SENT_TWICE)
    assert pagetype._code_count(Page("https://x.example/", SENT_TWICE, once)) == 1


SITE_TITLE_UNION = etree.XPath(
    "//@class[contains(., 'site-title') or contains(., 'site-name')]/.. | //@id[. = 'site-title' or . = 'site-name']/.."
)
SITE_ATTRIBUTES = [
    ' class="site-title"', ' class="x site-name-y"', ' class="site-"', ' class="my-site-titles"', ' id="site-title"',
    ' id="site-name"', ' id="site-name x"', ' id="a site-title"', ' title="site-title"', ' data-class="site-name"',
    ' name="site-title"', ' xml:id="site-title"', ' x:class="site-title"', ' ID="site-name"', ' CLASS="site-title"',
]  # fmt: skip


@given(
    st.lists(st.tuples(st.sampled_from(WALK_TAGS), st.lists(st.sampled_from(SITE_ATTRIBUTES), max_size=3, unique=True)))
)
def test_the_site_titles_xpath_finds_what_the_union_finds(elements: list[tuple[str, list[str]]]) -> None:
    body = "".join(f"<{tag}{''.join(attributes)}>x</{tag}>" for tag, attributes in elements)
    tree = parse_html(f"<html><body><div>{body}</div>{body}</body></html>")
    assert metadata._SITE_TITLE_XPATH(tree) == SITE_TITLE_UNION(tree)


# A comment's own elements with a class or an itemprop, read once a comment (``View.classed``, ``View.with_itemprop``)

_CLASSED_THREAD = """<div id="comments"><ol>
<li class="comment" id="c1"><div class="comment-author vcard" itemprop="author"><img class="avatar" src="a.png">
<cite class="fn" itemprop="">Anna</cite> <span class="says">says:</span></div>
<div class="comment-meta" data-date="2024-03-01"><a href="#c1" title="March 1, 2024">1 March</a></div>
<p class="">First.</p><p>Plain.</p><!-- a note --><h4 class="commentTitle">A title</h4>
<ul class="children"><li class="comment" id="c2"><span class="author">Ben</span>
<time datetime="2024-03-02" itemprop="dateCreated">2 March</time><div class="comment-body">Second.</div></li></ul></li>
<li class="comment" id="c3"><b>Cleo</b><span content="x" datetime="2024-03-03">3 March</span></li>
</ol></div>"""


def test_a_comments_classed_elements_and_those_with_a_property_are_its_own_elements_read_once() -> None:
    tree = lxml.html.fromstring(_CLASSED_THREAD)
    items = [scan.Item(el, [el]) for el in tree.iter("li")]
    roots = {i.root for i in items}
    holders = scan.ancestors_of(roots)
    for item in items:
        own = view.View(item, roots, holders)
        expected = [
            (el, el.get("class"), view.roles_of(el.get("class", "")))
            for el in own.elements
            if el.get("class") is not None
        ]
        assert own.classed == expected
        assert own.class_of == {el: (classes, roles) for el, classes, roles in expected}
        props = [(el, el.get("itemprop")) for el in own.elements if el.get("itemprop") is not None]
        assert own.with_itemprop == props and own.itemprop_of == dict(props)
    first = view.View(items[0], roots, holders)  # the reply's <li> is the first comment's, what it holds is not
    assert [classes for _, classes, _ in first.classed] == [
        "comment", "comment-author vcard", "avatar", "fn", "says", "comment-meta", "", "commentTitle", "children",
        "comment",
    ]  # fmt: skip


def test_the_date_attribute_names_test_is_the_seven_attribute_reads() -> None:
    tree = lxml.html.fromstring(_CLASSED_THREAD)
    for el in tree.iter(etree.Element):
        assert (not scan.DATE_ATTRIBUTE_NAMES.isdisjoint(el.keys())) == any(
            el.get(name) is not None for name in DATE_ATTRIBUTES
        )


def test_the_scans_elements_with_an_id_a_class_or_a_type_are_those_of_a_read_of_every_element() -> None:
    tree = lxml.html.fromstring(
        '<html itemscope itemtype="https://schema.org/WebPage"><body><!-- a note --><div id="" class="">'
        '<ol id="comments" class="comment-list"><li id="comment-1" itemtype="https://schema.org/Comment">'
        '<p class="">One <?pi x?></p></li><li class="comment">Two</li><li id="comment-1">Again</li></ol></div>'
        '<span itemtype="">typed, empty</span><p>plain</p></body></html>'
    )
    found = scan.Scan(tree, datetime(2026, 1, 1, tzinfo=UTC))
    elements = list(tree.iter())
    assert found.ids == [(el, el.get("id")) for el in elements if el.get("id")]
    assert found.named == [(el, el.get("class"), el.get("id")) for el in elements if el.get("class") or el.get("id")]
    assert found.typed == [(el, el.get("itemtype")) for el in elements[1:] if el.get("itemtype") is not None]
    # holds_id reads the ids from the same list (asked first about another id than the last one read)
    first, _, again = tree.iter("li")
    assert not found.holds_id(first, "comments") and found.holds_id(next(tree.iter("ol")), "comments")
    assert found.holds_id(first, "comment-1") and found.holds_id(again, "comment-1")
    assert not found.holds_id(next(tree.iter("span")), "comment-1")


# A text on one line without its paragraphs worked out (``text_module._on_one_line``)

_LINE_PIECES = ["a", "Bé", " ", "  ", "\n", "\n\n", "\t", "\r", "\x0b", "\x0c", "\xa0", "\u2009", "\u202f", "\u200b",
                "\x1c", "\x85", "\u2003", "\u2028", "\u3000", "\u200a", "<", "·"]  # fmt: skip


@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=14))
def test_a_text_on_one_line_is_its_paragraphs_on_one_line(pieces: list[str]) -> None:
    raw = "".join(pieces)
    assert text_module._on_one_line(raw) == text_module.clean(text_module.normalize_paragraphs(raw).replace("\n", " "))


def test_an_elements_text_on_one_line_is_its_block_text_on_one_line() -> None:
    tree = lxml.html.fromstring(
        "<div>\n<p>Anna\u00a0 <b>Smith</b></p><span class='says'>says:</span><br>  <div>\u200bx</div>"
        "<pre>a\n  b</pre><!-- c --><p>\u2028y</p>tail\n</div>"
    )
    for skip in (None, lambda el: el.get("class") == "says"):
        for el in tree.iter(etree.Element):
            assert text_module.block_text_on_one_line(el, skip) == text_module.clean(
                text_module.block_text(el, skip).replace("\n", " ")
            )


def test_the_elements_holding_a_comment_are_every_ancestor_of_the_comments() -> None:
    tree = lxml.html.fromstring(_CLASSED_THREAD)
    roots = set(tree.iter("li"))
    assert scan.ancestors_of(roots) == {a for root in roots for a in root.iterancestors()}


# A comment's kind by the classes of its element and of the list entries and lists holding it


def _kind_by_every_class(el: lxml.html.HtmlElement) -> str:
    """``reading._kind`` as it read each element's classes: the tuple of every ancestor, each class split."""
    for level, e in enumerate((el, *el.iterancestors())):
        if level > 3 or (level and e.tag in {"body", "article"}):
            break
        classes = e.get("class", "").lower().replace("_", "-").split()
        if "pingback" in classes or "ping-list" in classes or "pinglist" in classes:
            return "pingback"
        if "trackback" in classes:
            return "trackback"
        if e.tag == "li" or (level and e.tag in {"ol", "ul"}):
            break
    return "comment"


def test_a_comments_kind_is_read_from_the_classes_as_each_one_was_split() -> None:
    tree = lxml.html.fromstring(
        '<html><body><article class="pingback"><ol class="Ping_List"><li class="comment">'
        '<div class="x"><div><p>one</p></div></div></li></ol><div class="Trackback even"><section>'
        '<div class="comment"><span>two</span></div></section></div><ul><li class="comment TRACKBACK">three</li>'
        '<li><div class="pinglist"><em><b>four</b></em></div></li></ul><div class="ping-lists"><p>five</p></div>'
        '<div class="comment"></div></body></html>'
    )
    kinds = [reading._kind(el) for el in tree.iter(etree.Element)]
    assert kinds == [_kind_by_every_class(el) for el in tree.iter(etree.Element)]
    assert {"comment", "pingback", "trackback"} == set(kinds)
    assert reading._class_kind("comment Ping_List") == "pingback" and reading._class_kind("ping-lists") is None


def test_a_descendant_search_skipped_in_an_element_without_children_finds_what_it_would() -> None:
    tree = lxml.html.fromstring(
        '<div><cite class="fn">Anna</cite><span><!-- a note --></span><span class="author"><a href="/u/anna" '
        'itemprop="name">Anna</a><?pi x?></span><a href="/u/ben">Ben</a><p><b itemprop="name">Cleo</b></p></div>'
    )
    for el in tree.iter(etree.Element):
        for search in (reading._LINKS, reading._NAME_PROPERTY):
            assert reading._first(search, el) is next(iter(search(el)), None)


def test_the_elements_holding_a_time_are_those_with_a_time_among_their_descendants() -> None:
    tree = lxml.html.fromstring(
        '<html><body><ol><li><div><time datetime="2024-05-01">1 May</time></div><ul><li><p>x</p></li></ul></li>'
        "<li><time><time>nested</time></time><!-- time --></li></ol><p>none</p></body></html>"
    )
    found = scan.Scan(tree, datetime(2026, 1, 1, tzinfo=UTC))
    for el in tree.iter(etree.Element):
        assert found.holds_time(el) == (next(el.iterdescendants("time"), None) is not None)


@given(marked_tree(tags=("div", "li", "ul", "p", "span"), size=14), st.data())
def test_a_comments_own_elements_are_those_no_other_comment_holds(
    tree: lxml.html.HtmlElement, data: st.DataObject
) -> None:
    """``View.elements``: the item's root and each element below it with no other comment's root between
    them (a nested comment's root kept), whichever elements are comments and however they nest."""
    elements = list(tree.find("body").iter())
    for el in data.draw(st.lists(st.sampled_from(elements), max_size=4)):
        el.append(etree.Comment("a note"))  # no element: never among them
    roots = set(data.draw(st.lists(st.sampled_from(elements), min_size=1, max_size=6)))
    holders = scan.ancestors_of(roots)
    for root in roots:
        nested = {d for r in roots if r is not root and root in r.iterancestors() for d in r.iterdescendants()}
        expected = [root] + [d for d in root.iterdescendants(etree.Element) if d not in nested]
        assert view.View(scan.Item(root, [root]), roots, holders).elements == expected


# The generic date's texts of the body, read without libxml2's ancestor tests (``body._date_texts``)

FIRST_DATE_TEXTS = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]")


@given(shown_markup(), shown_markup(), st.booleans())
def test_the_generic_date_s_texts_are_those_the_xpath_finds(head: str, body: str, twice: bool) -> None:
    """On a page as parsed (sent twice: a second ``<html>`` beside the root), and on a copy of its
    ``<body>`` inside another one, as ``main_region`` makes of a ``<body>`` named as the container."""
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    tree = parse_html(markup * 2 if twice else markup)
    region = etree.Element("html")
    etree.SubElement(region, "body").append(copy.deepcopy(tree.find("body")))
    for page in (tree, region):
        assert _date_texts(page) == FIRST_DATE_TEXTS(page)


def test_the_generic_date_s_texts_of_a_page_sent_twice_are_both_copies() -> None:
    tree = parse_html("<html><body><p>1 May 2024 <a>link</a><script>s</script> tail</p></body></html>" * 2)
    assert len(list(iter_document(tree, "body"))) == 2  # (the second copy beside the root)
    assert _date_texts(tree) == FIRST_DATE_TEXTS(tree) == ["1 May 2024 ", " tail"] * 2


#: A page whose publication date only the first text date finds: a site profile's ``remove`` drops
#: the promotions inside the article's paragraphs, extraction drops the comment area; the date line
#: holds a link, a script and a style. ``{tag}``: an ``<article>`` (``main_region``'s copy of it is
#: read) or a ``<div>`` (no container: the whole page is).
DATED_PAGE = """<html><head><title>Harbour works</title></head><body>
<{tag} class="story"><h1>Harbour works begin on the east pier</h1>
<p>The council said on Monday that the harbour works <span class="promo">Subscribe today</span> will begin on the
east pier next month, and that the ferry will keep its timetable while the crews <span class="promo">Buy
now</span> repair the old stone wall and lay the new deck along the whole length of the pier.</p>
<p>Residents asked at the meeting how long the road to the pier would stay closed; the engineer answered that
it would open again each weekend, and that the work should be done before the summer season starts.</p>
<p>The works are paid for by the port and by a grant from the region, which covers most of the cost of the
new deck; the council will report on the budget at its next meeting in the town hall.</p>
<p><a href="/news">News desk, 1 Jan 2020</a> <script>var shown = "2 Jan 2020";</script>4 May 2024<style>p {{}}</style>
 by the desk</p>
</{tag}>
<div id="comments"><h3>Comments</h3><ol class="comment-list"><li class="comment" id="comment-1">
<cite class="fn">Reader One</cite> <span class="when">3 March 2023</span>
<div class="comment-content"><p>About time the pier was repaired.</p></div></li></ol></div>after the comments
</body></html>"""


@pytest.mark.parametrize("tag", ["article", "div"])
def test_the_generic_date_s_texts_on_the_real_path_are_those_the_xpath_finds(
    tag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_date_texts`` gives the XPath's texts while each text is one text node: so on the tree the
    first text date reads in ``read_page``, after a profile's ``remove`` and the comment area's
    ``drop_tree`` joined texts (by setting ``text`` and ``tail``)."""
    seen: list[tuple[list[str], list[str]]] = []
    first_text_date = body_module._first_text_date

    def reading(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
        seen.append((_date_texts(tree), FIRST_DATE_TEXTS(tree)))
        return first_text_date(tree, now)

    monkeypatch.setattr(body_module, "_first_text_date", reading)
    remove = Profile("harbour", ("news.example",), remove=(Rule.parse(".promo", "test"),))
    fetched = datetime(2024, 6, 1, tzinfo=UTC)
    result = read_page(DATED_PAGE.format(tag=tag), "https://news.example/harbour", fetched, MIN_WORDS, remove)
    assert result.article is not None and result.article.published == "2024-05-04"  # (the first text date's)
    assert result.article.comments  # (the comment area was read, then dropped)
    [(texts, expected)] = seen
    assert texts == expected
    joined = "".join(texts)
    assert "harbour works  will begin" in joined and "while the crews  repair" in joined  # (the promotions dropped)
    assert "News desk" not in joined and "2 Jan 2020" not in joined and "About time" not in joined
    assert ("after the comments" in joined) == (tag == "div")  # (outside the article's container)


# Structured data: the ``<script>`` and ``<meta>`` elements found in one walk

JSON_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H%d"}</script>'
STRUCTURED_PIECES = [
    JSON_LD,
    '<script type="text/javascript">var a = 1;</script>',
    '<script>{"@type": "Article"}</script>',
    '<meta property="og:title" content="T%d">',
    '<meta name="author" content="A%d">',
    '<meta itemprop="datePublished" content="2024-05-0%d">',
    '<meta charset="utf-8">',
    "<div><p>text</p></div>",
]


def old_jsonld_nodes(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """``structured.jsonld_nodes`` before it shared its walk with the meta tags' (frozen)."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            nodes.extend(structured._flatten(structured._load_json(script.text)))
    return nodes


def old_read_meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """``structured._read_meta`` before it shared its walk with the scripts' (frozen)."""
    meta: dict[str, list[str]] = {}
    for el in tree.iterfind(".//meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    return meta


@given(st.lists(st.sampled_from(STRUCTURED_PIECES)), st.lists(st.sampled_from(STRUCTURED_PIECES)))
def test_structured_data_s_one_walk_finds_what_each_search_found(head: list[str], body: list[str]) -> None:
    pieces = [piece.replace("%d", str(n % 10)) for n, piece in enumerate(head + body)]
    tree = parse_html(
        f"<html><head>{''.join(pieces[: len(head)])}</head><body>{''.join(pieces[len(head) :])}</body></html>"
    )
    data = structured.read_structured(tree)
    assert data.nodes == old_jsonld_nodes(tree) == structured.jsonld_nodes(tree)
    assert data.meta == old_read_meta(tree)


# The byline texts pass over texts of white space only

#: Every character ``str.isspace`` holds for: ``str.strip`` and ``str.split`` strip and fold them all.
WHITE_SPACE = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())


@given(st.text(alphabet=WHITE_SPACE, min_size=1), st.booleans())
def test_a_text_of_white_space_only_is_no_byline(text: str, heading: bool) -> None:
    """What ``_byline_texts`` rests on when it skips such texts."""
    assert text.isspace()
    assert metadata._byline_text(text, heading) is None


def old_byline_texts(page: Page, block: set[lxml.html.HtmlElement]) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """``metadata._byline_texts`` before it passed over texts of white space only (frozen)."""
    body = page.tree.find("body")
    for el in body.iter() if body is not None else ():
        if not isinstance(el.tag, str):
            continue
        heading = el in block
        if el.text and el.tag not in metadata._SCRIPT_TAGS and (text := metadata._byline_text(el.text, heading)):
            yield text, el
        if el.tail and (text := metadata._byline_text(el.tail, heading)):
            parent = el.getparent()
            if parent is not None:
                yield text, parent


BYLINE_PIECES = [
    "By Ann Lee",
    "\n  By Ann Lee\n",
    "\u00a0| von Olga",
    "\u2003",
    "\n",
    " ",
    "Posted on May 2, 2020 by X",
    "text",
]


@st.composite
def byline_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = [draw(st.sampled_from(BYLINE_PIECES))]
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(["div", "p", "span", "script", "a"]))
        parts.append(f"<{tag}>{draw(byline_markup(depth + 1))}</{tag}>{draw(st.sampled_from(BYLINE_PIECES))}")
    return "".join(parts)


@given(byline_markup(), st.data())
def test_the_byline_texts_are_those_read_from_every_text(markup: str, data: st.DataObject) -> None:
    page = Page("https://x.example/", "", parse_html(f"<html><body>{markup}</body></html>"))
    block = set(data.draw(st.lists(st.sampled_from(list(page.tree.iter(etree.Element))))))
    assert list(metadata._byline_texts(page, block)) == list(old_byline_texts(page, block))
