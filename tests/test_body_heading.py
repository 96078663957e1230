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


@pytest.mark.parametrize(
    "heading",
    [
        # A short line that is a whole date, or a byline word and a name, is a heading line even
        # when the article's date or author as read is another (an update's date, a guest author).
        "March 3, 2021\n\nBy Ann Other",
        "Last updated: December 15th 2025",
        "Aktualisiert am 19.02.2020",
        "Von Gregory Lipinski",
        "reviewed by Jo-ann Caballes",
        "| Backup Strategy | January 22nd, 2019 |",
        "- 2 days ago\n\n- 6 min read",
        "Lesezeit: 3 Minuten",
    ],
)
def test_date_lines_and_bylines_of_other_dates_and_names_go(heading: str) -> None:
    body = f"{heading}\n\n{TEXT}"
    assert without_heading_lines(body, TITLE, ["Tom Fields"], DATES, NOW) == TEXT


@pytest.mark.parametrize(
    "first",
    [
        "By the way, the frost came early",  # "By" and no name
        "By Train To Paris And On To The Alps In Winter",  # longer than a byline
        "March 3, 2021 was the day the frost came to the valley and stayed for a week",
        "Growing leeks in 2021",  # a year is no date
    ],
)
def test_lines_like_bylines_or_dates_stay(first: str) -> None:
    body = f"{first}\n\n{TEXT}"
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
