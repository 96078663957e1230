"""The speed-ups that re-implement library behaviour give what the library's own path gives.

On random inputs (hypothesis, the profiles in conftest.py):

- the fast item dict (``items.item_asdict``) against ``ItemAdapter(item).asdict()``, and the feed
  exporter (``feeds.ArticleJsonLinesExporter``) against Scrapy's ``JsonLinesItemExporter``: the
  same bytes;
- the batch writer (``Archive.save``: held-back multi-row INSERTs and UPDATEs) against the same
  articles written one by one with sqlite-utils (``insert``, ``insert_all``, ``upsert_all``,
  ``update``): the same rows with the same row ids and values, and the same full-text index;
- ``LowerText`` (phrase search in a page's lower case) against ``str.lower``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itemadapter import ItemAdapter
from scrapy.exporters import JsonLinesItemExporter

from archiver.archive import Archive, SaveCounts, store
from archiver.archive.record import crawl_record
from archiver.archive.store import _COMMENT_CONTENT, content_hash
from archiver.crawl.feeds import ArticleJsonLinesExporter
from archiver.extract.comments.status import _MARKER_WORDS, LowerText
from archiver.extract.comments.vocabulary import CLOSED, EXTERNAL
from archiver.items import Article, Comment, item_asdict, plain_article_dict
from archiver.urls import canonicalize

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
        except (TypeError, ValueError, AttributeError, UnicodeError) as error:
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


#: URLs of a few articles, with variants that canonicalize to them.
URLS = [
    "https://example.org/a",
    "https://example.org/a?utm_source=feed",
    "https://EXAMPLE.org/b",
    "https://example.org/b#comments",
    "https://example.org/c",
    "https://example.org/print/a",
]
LONG = "The harbour master opened the new lock gates on Monday morning after two years of work. " * 3
OTHER = "Zürich café owners said the façade of the old museum had been restored with great care. " * 3
#: Long bodies (used to find copies), the same words spaced or cased otherwise (another content,
#: the same body hash), short ones (never used to find copies), none.
BODIES = [LONG, OTHER, LONG.upper(), LONG.replace(" ", "  "), "Short.", "", None]
words = st.sampled_from(["One", "One, edited", "Two", "Müller", "harbour", "ferry", "Ünïcödé", ""]) | st.text(
    max_size=12
)
maybe = st.none() | words
batch_comments = st.lists(
    st.fixed_dictionaries(
        {"number": st.integers(1, 5)},
        optional={
            "author": maybe,
            "body": maybe,
            "published": st.none() | st.sampled_from(["2024-05-01", "2024-05-02T10:00:00"]),
            "parent": st.none() | st.integers(1, 5),
            "kind": st.sampled_from(["comment", "pingback"]),
            "published_relative": st.none() | st.booleans(),
            "anchor": maybe,
        },
    ),
    max_size=5,
    unique_by=lambda c: c["number"],
)
batch_articles = st.fixed_dictionaries(
    {"url": st.sampled_from(URLS), "body": st.sampled_from(BODIES) | st.sampled_from(BODIES) | words},
    optional={
        "canonical_url": st.none() | st.sampled_from(URLS),
        "title": maybe,
        "authors": st.lists(st.sampled_from(["Ana Lima", "Jörg Müller", "Sam"]), max_size=2),
        "published": st.none() | st.sampled_from(["2024-01-02", "2024-01-03"]),
        "language": st.sampled_from(["en", "de"]),
        "comments_status": st.sampled_from(["present", "none", "closed", "external:disqus", None]),
        "comments": batch_comments,
        "provenance": st.dictionaries(st.sampled_from(["title", "body"]), st.sampled_from(["jsonld", "heuristic"])),
        "fetched_at": st.none() | st.sampled_from(["2024-05-01T10:00:00", "2024-05-02T10:00:00"]),
    },
)


@st.composite
def batches(draw: st.DrawFn) -> list[list[dict[str, Any]]]:
    """Batches of pages: new ones, and ones seen before (at another URL, fetched at another time...)."""
    pages = draw(st.lists(batch_articles, min_size=1, max_size=4))
    changes = st.fixed_dictionaries(
        {},
        optional={
            "url": st.sampled_from(URLS),
            "fetched_at": st.none() | st.sampled_from(["2024-06-01T10:00:00", "2024-06-02T10:00:00"]),
            "comments_status": st.sampled_from(["present", "external:disqus"]),
            "title": st.sampled_from(["Changed", "Changed again"]),  # the same article changed
        },
    )
    again = st.builds(lambda page, changed: page | changed, st.sampled_from(pages), changes)
    return draw(st.lists(st.lists(batch_articles | again | again, min_size=1, max_size=8), min_size=1, max_size=3))


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
    """What ``Archive.save`` promises, the plain way: each article in turn, written with sqlite-utils."""
    db, counts = archive.db, SaveCounts()
    table, comment_table = db.table("articles"), db.table("comments")
    for article in articles:
        row = archive._article_row(article, seen, {})  # the article's row (what is tested is how rows are written)
        found = list(db.query("SELECT id, content_hash FROM articles WHERE canonical_url = ?", [row["canonical_url"]]))
        copy = db.execute("SELECT min(id) FROM articles WHERE body_hash = ?", [row["body_hash"]]).fetchone()[0]
        if not found and copy is not None:
            article_id = copy  # the same text under another URL: the oldest article holding it
            table.update(article_id, {"last_seen": seen})
            counts.articles_merged += 1
        elif not found:
            article_id = table.insert({**row, "first_seen": seen, "last_changed": seen}).last_pk
            counts.articles_inserted += 1
        elif found[0]["content_hash"] == row["content_hash"]:
            article_id = found[0]["id"]
            fetched = {} if row.get("fetched_at") is None else {"fetched_at": row["fetched_at"]}
            table.update(article_id, {"last_seen": seen, **fetched})
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
        held = {c["number"]: c for c in comment_table.rows_where("article_id = ?", [article_id])}
        new, changed, unchanged = [], [], []
        for comment in article.get("comments") or []:
            values = {"article_id": article_id, **{f: comment.get(f) for f in COMMENT_FIELDS}}
            digest = content_hash(comment, _COMMENT_CONTENT)
            old = held.get(comment.get("number"))
            if old is None:
                new.append({**values, "content_hash": digest, "first_seen": seen, "last_seen": seen})
                counts.comments_inserted += 1
            elif old["content_hash"] != digest:
                revision = {"article_id": article_id, "number": old["number"], "replaced_at": seen}
                db.table("comment_revisions").insert({**revision, **{k: old[k] for k in COMMENT_REVISED}})
                changed.append({**values, "content_hash": digest, "last_seen": seen, "deleted": 0})
                counts.comments_changed += 1
            else:
                unchanged.append({"article_id": article_id, "number": old["number"], "last_seen": seen, "deleted": 0})
        for rows in (changed, unchanged):  # apart: upsert_all sets every column any of its rows has
            comment_table.upsert_all(rows, pk=("article_id", "number"))
        comment_table.insert_all(new)
        if article.get("comments_status") in COMMENTS_READ:
            incoming = {c.get("number") for c in article.get("comments") or []}
            for number, old in held.items():
                if number not in incoming and old["deleted"] == 0:
                    comment_table.update((article_id, number), {"deleted": 1})
                    counts.comments_deleted += 1
    db.conn.commit()
    return counts


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
        finally:
            fast.close()
            plain.close()
        assert archive_contents(in_batches) == archive_contents(one_by_one)


def test_the_plain_writer_sees_what_the_batch_writer_must(empty_archive: Path, tmp_path: Path) -> None:
    """The comparison above can fail: a changed article, a copy, a comment gone are all in the archive."""
    shutil.copy(empty_archive, tmp_path / "a.db")
    archive = Archive(tmp_path / "a.db")
    comment = {"number": 1, "author": "Ann", "body": "Hi"}
    first = {"url": URLS[0], "body": LONG, "comments_status": "present", "comments": [comment]}
    try:
        save_one_by_one(archive, [first], "2025-01-01T00:00:00+00:00")
        counts = save_one_by_one(
            archive,
            [
                {**first, "title": "New", "comments": []},  # changed, its comment gone
                {"url": URLS[4], "body": "New", "comments": []},  # new
                {"url": URLS[5], "body": LONG.replace(" ", "  ")},  # a copy of the first text
            ],
            "2025-01-02T00:00:00+00:00",
        )
    finally:
        archive.close()
    assert vars(counts) == vars(SaveCounts(1, 1, 0, 1, 0, 0, 1, 1))
    found = archive_contents(tmp_path / "a.db")
    assert [r[1:4] for r in found["articles"]] == [(1, URLS[0], URLS[0]), (2, URLS[4], URLS[4])]
    assert [r[2] for r in found["revisions"]] == [1]
    assert [r[-1] for r in found["comments"]] == [1]  # deleted
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
