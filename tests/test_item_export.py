"""The fast item dict and JSON Lines exporter give exactly what ItemAdapter and Scrapy's exporter give
(the exporter: for each Article, Scrapy's exporter given the article's record)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itemadapter import ItemAdapter
from scrapy.exporters import JsonLinesItemExporter
from scrapy.settings import Settings
from scrapy.utils.conf import feed_complete_default_values_from_settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from archiver import settings as archiver_settings
from archiver.archive.record import crawl_record
from archiver.crawl.feeds import ArticleJsonLinesExporter
from archiver.items import Article, Comment, item_asdict, plain_article_dict

text = st.none() | st.text(max_size=30)
flag = st.none() | st.booleans()
#: URLs as a crawl gives them (the record's id is made from the canonical form of one)
urls = st.none() | st.builds("https://example.org/{}?q={}".format, st.text(max_size=10), st.text(max_size=5))
comments = st.builds(
    Comment,
    number=st.none() | st.integers(),
    number_source=text,
    author=text,
    author_url=text,
    published=text,
    published_raw=text,
    published_local=flag,
    published_relative=flag,
    body=text,
    parent=st.none() | st.integers(),
    anchor=text,
    kind=st.sampled_from(["comment", "pingback", "trackback"]),
)
articles = st.builds(
    Article,
    url=urls,
    canonical_url=urls,
    title=text,
    published=text,
    published_local=flag,
    modified_local=flag,
    authors=st.lists(st.text(max_size=10), max_size=3),
    body=text,
    language=text,
    comments_status=text,
    comments=st.lists(comments, max_size=6),
    provenance=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    fetched_at=text,
)


@dataclass
class TaggedArticle(Article):
    """An item type of someone else's, with a field Article does not have."""

    tag: str | None = None


@dataclass
class ScoredComment(Comment):
    score: int = 0


def sample() -> Article:
    return Article(
        url="http://127.0.0.1/a",
        title="Café crème — “quoted”",
        authors=["Ana Lima"],
        body="Body\nwith\ttabs and 日本語.",
        comments=[Comment(number=1, author="Ann", body="Hi"), Comment(number=2, parent=1, published_relative=True)],
        provenance={"title": "jsonld"},
    )


def unusual_items() -> list[Any]:
    deleted = sample()
    del deleted.authors
    return [
        {"url": "http://127.0.0.1/d", "comments": [Comment(number=1)], "extra": {"a": [1, 2]}},
        TaggedArticle(url="http://127.0.0.1/t", tag="x", comments=[Comment(number=3)]),
        Article(url="http://127.0.0.1/s", comments=[ScoredComment(number=1, score=5)]),
        Article(url="http://127.0.0.1/u", authors=("A", "B")),  # type: ignore[arg-type]
        Article(url="http://127.0.0.1/n", provenance={"title": {"layer": "jsonld"}}),  # type: ignore[dict-item]
        Article(url="http://127.0.0.1/m", comments=[{"number": 1}]),  # type: ignore[list-item]
        Comment(number=7, body="a comment on its own"),
        deleted,
    ]


@given(articles)
def test_fast_dict_equals_itemadapter(article: Article) -> None:
    expected = ItemAdapter(article).asdict()
    fast = plain_article_dict(article)
    assert fast == expected and list(fast) == list(expected)
    assert [list(c) for c in fast["comments"]] == [list(c) for c in expected["comments"]]


def test_fast_dict_is_a_copy() -> None:
    article = sample()
    fast = item_asdict(article)
    fast["authors"].append("Someone")
    fast["provenance"]["body"] = "heuristic"
    fast["comments"][0]["author"] = "Changed"
    fast["comments"].append({})
    assert article == sample()


@pytest.mark.parametrize("item", unusual_items(), ids=lambda item: type(item).__name__)
def test_other_items_fall_back_to_itemadapter(item: Any) -> None:
    assert plain_article_dict(item) is None
    assert item_asdict(item) == ItemAdapter(item).asdict()


CRAWL_FEED = {"format": "jsonlines", "encoding": "utf8"}


class RecordExporter(JsonLinesItemExporter):
    """Scrapy's own exporter, given each Article's record: what the crawl's feed must write, byte for byte."""

    def export_item(self, item: Any) -> None:
        super().export_item(crawl_record(ItemAdapter(item).asdict()) if isinstance(item, Article) else item)


def feed_options(feed: dict[str, Any] = CRAWL_FEED, **settings: Any) -> dict[str, Any]:
    """The exporter options FeedExporter gives for this feed, with these settings beside archiver's own."""
    values = Settings()
    values.setmodule(archiver_settings)
    values.setdict(settings, priority="cmdline")
    options = feed_complete_default_values_from_settings(feed, values)
    return {
        "fields_to_export": options["fields"],
        "encoding": options["encoding"],
        "indent": options["indent"],
        **options["item_export_kwargs"],
    }


def export(exporter_class: type[JsonLinesItemExporter], items: list[Any], options: dict[str, Any]) -> bytes:
    file = BytesIO()
    exporter = build_from_crawler(exporter_class, get_crawler(), file, **options)
    exporter.start_exporting()
    for item in items:
        try:
            exporter.export_item(item)
        except AttributeError as error:  # Scrapy's own, on an empty field deleted from a dataclass
            file.write(f"{type(error).__name__}\n".encode())
    exporter.finish_exporting()
    return file.getvalue()


OPTIONS = {
    "archiver's feed": {},
    "FEED_EXPORT_FIELDS": {"FEED_EXPORT_FIELDS": ["title", "comments", "missing"]},
    "FEED_EXPORT_FIELDS as a dict": {"FEED_EXPORT_FIELDS": {"url": "link", "authors": "by"}},
    "FEED_EXPORT_INDENT": {"FEED_EXPORT_INDENT": 2},
    "no encoding (ASCII escapes)": {"feed": {"format": "jsonlines"}, "FEED_EXPORT_ENCODING": None},
    "latin-1, ASCII escapes": {
        "feed": {"format": "jsonlines", "encoding": "latin-1", "item_export_kwargs": {"ensure_ascii": True}}
    },
}


@pytest.mark.parametrize("settings", OPTIONS.values(), ids=OPTIONS.keys())
def test_exporter_writes_scrapys_bytes(settings: dict[str, Any]) -> None:
    options = feed_options(**settings)
    items = [sample(), *unusual_items()]
    expected = export(RecordExporter, items, options)
    assert export(ArticleJsonLinesExporter, items, options) == expected
    assert expected.count(b"\n") == len(items)


@pytest.mark.parametrize("kwargs", [{"sort_keys": True}, {"separators": (",", ":")}, {"export_empty_fields": True}])
def test_exporter_passes_encoder_options(kwargs: dict[str, Any]) -> None:
    options = {**feed_options(), **kwargs}
    items = [sample(), *unusual_items()]
    assert export(ArticleJsonLinesExporter, items, options) == export(RecordExporter, items, options)


@given(st.lists(articles, max_size=3))
def test_exporter_writes_scrapys_bytes_for_any_article(items: list[Article]) -> None:
    options = feed_options()
    assert export(ArticleJsonLinesExporter, items, options) == export(RecordExporter, items, options)


def test_crawl_feeds_use_the_exporter() -> None:
    values = Settings()
    values.setmodule(archiver_settings)
    assert load_object(values.getdict("FEED_EXPORTERS")["jsonlines"]) is ArticleJsonLinesExporter


@pytest.mark.parametrize(("settings", "fast"), [({}, True), ({"FEED_EXPORT_FIELDS": ["title"]}, False)])
def test_fast_path_only_without_fields_to_export(settings: dict[str, Any], fast: bool) -> None:
    exporter = build_from_crawler(ArticleJsonLinesExporter, get_crawler(), BytesIO(), **feed_options(**settings))
    assert exporter.fast is fast
