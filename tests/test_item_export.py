"""The fast item dict gives exactly what ItemAdapter(...).asdict() gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itemadapter import ItemAdapter

from archiver.items import Article, Comment, item_asdict, plain_article_dict

text = st.none() | st.text(max_size=30)
comments = st.builds(
    Comment,
    number=st.none() | st.integers(),
    number_source=text,
    author=text,
    author_url=text,
    published=text,
    published_raw=text,
    published_relative=st.none() | st.booleans(),
    body=text,
    parent=st.none() | st.integers(),
    anchor=text,
    kind=st.sampled_from(["comment", "pingback", "trackback"]),
)
articles = st.builds(
    Article,
    url=text,
    canonical_url=text,
    title=text,
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
