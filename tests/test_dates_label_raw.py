"""The raw text kept beside a date a label names ("Posted by Tom Fields on November 3, 2019").

A label's date is looked for in a window of the page's text after "Posted", "Published", "Erschienen"...
The archive's ``published_raw`` is the date line's own words, up to the date and a time shown right after
it, not the window's fixed length that ran into the body ("... 2019 The fi"). A day's word after a
category ("Posted in Reviews Today, we compare ...") is no date. Synthetic pages and texts, each written
for the rule.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from archiver.extract.dates import through_date

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
PARAGRAPH = "<p>" + "The first frost came early this year and the beds were still full of leeks. " * 8 + "</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by Tom Fields on November 3, 2019 The first frost", "by Tom Fields on November 3, 2019"),
        ("Jueves, 21 Abril 2022 04:45 Escrito por Ana", "Jueves, 21 Abril 2022 04:45"),
        ("6. August 2009 Kategorie: Alltag", "6. August 2009"),
        ("3. Mai 2020, 14:30 Uhr MEZ und mehr", "3. Mai 2020, 14:30 Uhr MEZ"),
        ("May 1, 2012 at 3:50 pm EST Jamie says", "May 1, 2012 at 3:50 pm EST"),
        ("26 Sep 2019 at 4:12pm but has been", "26 Sep 2019 at 4:12pm"),
        ("2019-11-03T10:00:00+01:00 in News", "2019-11-03T10:00:00+01:00"),
        ("12/17/2025 - At the convention", "12/17/2025"),
    ],
)
def test_through_date_keeps_the_date_line_and_its_time(text: str, expected: str) -> None:
    assert through_date(text) == expected


@pytest.mark.parametrize("text", ["in Reviews Today, we compare", "no date at all", ""])
def test_through_date_is_none_without_a_date(text: str) -> None:
    assert through_date(text) is None


def test_a_labelled_date_s_raw_text_stops_at_the_date() -> None:
    html = (
        "<html><head><title>Putting the garden to bed</title></head><body><div class='post'>"
        "<h2>Putting the garden to bed</h2>"
        "<small>Posted by <a href='/about' rel='author'>Tom Fields</a> on November 3, 2019</small>"
        f"<div class='entry'>{PARAGRAPH}</div></div></body></html>"
    )
    article = extract_article(html, "https://garden.example.org/blog/garden-to-bed.html", FETCHED)
    assert article.published is not None and article.published.startswith("2019-11-03")
    assert article.published_raw == "by Tom Fields on November 3, 2019"


def test_a_day_s_word_after_a_category_label_is_no_date() -> None:
    html = (
        "<html><head><title>The best phone apps</title></head><body><div class='post'>"
        "<h2>The best phone apps</h2><p class='meta'>Posted in App Reviews</p>"
        f"<p>Today, we compare the apps. {PARAGRAPH[3:]}</div></body></html>"
    )
    article = extract_article(html, "https://apps.example.org/reviews/best-phone-apps", FETCHED)
    assert article.published is None
