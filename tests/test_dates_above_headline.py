"""A date line just above the headline, where the page gives no other date of its own.

Synthetic pages, each written for the rule (headlines and dates made up, in the shapes themes show):
many themes show the date, or the date and a reading time, as a kicker above the ``<h1>`` ("March 18,
2024 - 7 minutes", "Sep 3, 2024 6 min read"). Where no layer and no line of the heading block (from the
headline down) gives a date, that line is the publication date (`markup:date`), an update's line the
page's date as an update line under the headline is (`markup:updated`). A site header's day of the visit,
a top bar outside the article (before a headline of the ``<body>``'s own, or before a plain wrapper), an
event's dates, a breadcrumb, a related story's card and a line further up are not read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
URL = "https://crumbs.example.org/journal/sourdough-starter"
PARAGRAPH = (
    "<p>"
    + "A starter kept at room temperature wants flour and water every day, or it turns sour and slow. " * 8
    + "</p>"
)
HEADLINE = "<h1>Keeping a sourdough starter alive</h1>"


def page(inside_main: str) -> str:
    """A journal entry with no structured data, no date tag and no dated URL: ``inside_main`` holds its headline."""
    return (
        "<html><head><title>Keeping a sourdough starter alive</title></head><body>"
        f'<main><div class="post">{inside_main}{PARAGRAPH}</div></main>'
        "<footer><p>Notes from a home bakery.</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        (f'<p class="eyebrow">March 18, 2024 - 7 minutes</p>{HEADLINE}', "2024-03-18"),
        (
            f'<div class="info">Sep 3, 2024 6 min read</div><a href="/journal">Back to the journal</a>{HEADLINE}',
            "2024-09-03",
        ),
        (f'<span class="kicker">9. Oktober 2019 | Wirtschaft</span><span>Handel</span>{HEADLINE}', "2019-10-09"),
        # the headline's wrapper: the line before it
        (f'<div class="kicker">Tuesday, June 10, 2025</div><div class="title-wrap">{HEADLINE}</div>', "2025-06-10"),
    ],
)
def test_the_date_line_above_the_headline(above: str, expected: str) -> None:
    article = extract_article(page(above), URL, fetched_at=FETCHED)
    assert article.published == expected
    assert article.provenance["published"] == "markup:date"


def test_an_update_line_above_the_headline_is_an_update_line() -> None:
    article = extract_article(page(f'<div class="mt">Last updated: Sep 3, 2024</div>{HEADLINE}'), URL, FETCHED)
    assert article.published == "2024-09-03"
    assert article.provenance["published"] == "markup:updated"
    assert article.modified == "2024-09-03"


def test_the_heading_block_s_date_comes_first() -> None:
    """A date line under the headline is the heading block's: the line above is not asked (the classes
    here are no date selector's: the lines are read as the heading block's and as the line above only)."""
    html = page(f'<p class="eyebrow">March 18, 2024</p>{HEADLINE}<p class="sub">April 2, 2024</p>')
    article = extract_article(html, URL, fetched_at=FETCHED)
    assert article.published == "2024-04-02"


def bare_page(body: str) -> str:
    """A journal entry whose headline is no ``<main>``'s nor ``<article>``'s: ``body`` is the body's start."""
    return (
        "<html><head><title>Keeping a sourdough starter alive</title></head><body>"
        f"{body}{PARAGRAPH}<footer><p>Notes from a home bakery.</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    "html",
    [
        # the site's header just before the headline: the day of the visit
        bare_page(f"<header><span>Thursday, November 13, 2025</span></header>{HEADLINE}"),
        # a top bar before the <main> or <article> whose first element is the headline
        bare_page(f'<div class="top-bar">Thursday, November 13, 2025</div><main>{HEADLINE}{PARAGRAPH}</main>'),
        bare_page(f'<div class="top-bar">Thursday, November 13, 2025</div><article>{HEADLINE}{PARAGRAPH}</article>'),
        # a top bar before a headline that is the <body>'s own, or in a plain <div> outside any <article>/<main>
        bare_page(f'<div class="top-bar">Thursday, November 13, 2025</div>{HEADLINE}'),
        bare_page(f'<div class="top-bar">Thursday, November 13, 2025</div><div class="content">{HEADLINE}</div>'),
        # a breadcrumb whose date links to the archive of the day
        page(f'<p class="crumbs"><a href="/archive/2024/10/02/">October 2, 2024</a> / Journal</p>{HEADLINE}'),
        # a related story's card above the headline
        page(f'<div class="card">Oct 1, 2024 <a href="/journal/rye-loaf">A rye loaf</a></div>{HEADLINE}'),
        # further up than three elements
        page(f"<p>October 2, 2024</p><p>Journal</p><p>Bread</p><p>Starters</p>{HEADLINE}"),
        # a long text that holds a date
        page(f"<p>October 2, 2024 is when we began this series on starters, flours and ovens</p>{HEADLINE}"),
        # a member's join date
        page(f"<span>Joined:</span> <span>October 2, 2024</span>{HEADLINE}"),
        # an event's dates: a second date, or its hours after a dash
        page(f'<p class="when">April 7, 2025 – April 9, 2025</p>{HEADLINE}'),
        page(f'<p class="when">June 14, 2025 - 19:30</p>{HEADLINE}'),
        page(f'<p class="termin">12. Mai 2023, 10:00 Uhr - 16:30 Uhr</p>{HEADLINE}'),
    ],
)
def test_no_date_read_above_the_headline(html: str) -> None:
    article = extract_article(html, URL, fetched_at=FETCHED)
    assert article.provenance.get("published") not in {"markup:date", "markup:updated"}
