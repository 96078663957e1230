"""The title, byline and date lines at the top of a page are not repeated in the article's body."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from archiver.extract.body import without_heading_lines

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TITLE = "Putting the Winter Garden to Bed"
TEXT = "The first hard frost arrived on Thursday night, and the nasturtiums collapsed.\n\nGarlic goes in now."
DATES = ["2019-11-03T09:00:00", None]


@pytest.mark.parametrize(
    "heading",
    [
        TITLE,
        "Posted by Tom Fields on November 3, 2019",
        f"{TITLE}\n\nBy Tom Fields\n\nNovember 3, 2019",
        f"{TITLE}\n\nTom Fields | 3 Nov 2019 | 4 min read",
        "Published 3 November 2019, 09:00",
        "Von Tom Fields\n·\n3. November 2019",
    ],
)
def test_heading_lines_dropped(heading: str) -> None:
    body = f"{heading}\n\n{TEXT}"
    assert without_heading_lines(body, TITLE, ["Tom Fields"], DATES, NOW) == TEXT


@pytest.mark.parametrize(
    "first",
    [
        "Tom Fields has kept this garden since 2019.",  # a sentence naming the author is the text
        "On November 3, 2019 the frost came early and the beds were still full of leeks.",
        "Winter gardens need little work.",  # a short line that is neither title, byline nor date
        "An interview with Tom Fields about the first frost in the valley and what it does to the winter beds",
    ],
)
def test_text_lines_kept(first: str) -> None:
    body = f"{first}\n\n{TEXT}"
    assert without_heading_lines(body, TITLE, ["Tom Fields"], DATES, NOW) == body


def test_only_the_top_lines_go() -> None:
    body = f"{TEXT}\n\n{TITLE}\n\nBy Tom Fields"
    assert without_heading_lines(body, TITLE, ["Tom Fields"], DATES, NOW) == body


def test_a_body_of_heading_lines_only_is_kept() -> None:
    assert without_heading_lines(TITLE, TITLE, [], DATES, NOW) == TITLE


def test_other_dates_and_names_stay() -> None:
    """A date line of another day, a byline of someone else: not this article's heading."""
    body = f"March 3, 2021\n\nBy Ann Other\n\n{TEXT}"
    assert without_heading_lines(body, TITLE, ["Tom Fields"], DATES, NOW) == body


def test_page_heading_block_not_in_body() -> None:
    paragraph = "<p>The first hard frost arrived on Thursday night, and by morning the nasturtiums had collapsed.</p>"
    html = (
        f"<html><head><title>{TITLE} | Green Thumbs</title></head><body><div class='post'><h2>{TITLE}</h2>"
        "<small class='postinfo'>Posted by <a rel='author' href='/about'>Tom Fields</a> on November 3, 2019</small>"
        f"<div class='entry'>{paragraph * 6}</div></div></body></html>"
    )
    article = extract_article(html.encode(), "https://garden.example.org/2019/11/winter-garden", fetched_at=NOW)
    assert article.title == TITLE and article.authors == ["Tom Fields"]
    assert article.body is not None and article.body.startswith("The first hard frost")
    assert "Posted by" not in article.body
