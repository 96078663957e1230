"""A date line just above the headline, where the page gives no other date of its own.

Synthetic pages, each written for the rule: many themes show the date, or the date and a reading time, as
a kicker above the ``<h1>`` ("February 4, 2025 - 11 minutes", "Dec 12, 2025 4 min read"). Where no layer
and no line of the heading block (from the headline down) gives a date, that line is the publication date
(`markup:date`), an update's line the page's date as an update line under the headline is
(`markup:updated`). A site header's day of the visit, a top bar outside the article, a breadcrumb, a related
story's card and a line further up are not read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
URL = "https://notes.example.com/blog/embedded-rust"
PARAGRAPH = (
    "<p>" + "Writing firmware in a language with a strict compiler changes how a team reviews its code. " * 8 + "</p>"
)
HEADLINE = "<h1>Why Rust for embedded systems</h1>"


def page(inside_main: str) -> str:
    """A blog post with no structured data, no date tag and no dated URL: ``inside_main`` holds its headline."""
    return (
        "<html><head><title>Why Rust for embedded systems</title></head><body>"
        f'<main><div class="post">{inside_main}{PARAGRAPH}</div></main>'
        "<footer><p>Notes on firmware.</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        (f'<p class="eyebrow">February 4, 2025 - 11 minutes</p>{HEADLINE}', "2025-02-04"),
        (f'<div class="info">Dec 12, 2025 4 min read</div><a href="/blog">Back to blog</a>{HEADLINE}', "2025-12-12"),
        (f'<span class="kicker">14. Februar 2012 | Politik</span><span>Inland</span>{HEADLINE}', "2012-02-14"),
        # the headline's wrapper: the line before it
        (f'<div class="kicker">Monday, March 3, 2025</div><div class="title-wrap">{HEADLINE}</div>', "2025-03-03"),
    ],
)
def test_the_date_line_above_the_headline(above: str, expected: str) -> None:
    article = extract_article(page(above), URL, fetched_at=FETCHED)
    assert article.published == expected
    assert article.provenance["published"] == "markup:date"


def test_an_update_line_above_the_headline_is_an_update_line() -> None:
    article = extract_article(page(f'<div class="mt">Last updated: Dec 12, 2025</div>{HEADLINE}'), URL, FETCHED)
    assert article.published == "2025-12-12"
    assert article.provenance["published"] == "markup:updated"
    assert article.modified == "2025-12-12"


def test_the_heading_block_s_date_comes_first() -> None:
    """A date line under the headline is the heading block's: the line above is not asked (the classes
    here are no date selector's: the lines are read as the heading block's and as the line above only)."""
    html = page(f'<p class="eyebrow">February 4, 2025</p>{HEADLINE}<p class="sub">March 9, 2025</p>')
    article = extract_article(html, URL, fetched_at=FETCHED)
    assert article.published == "2025-03-09"


def bare_page(body: str) -> str:
    """A blog post whose headline is no ``<main>``'s nor ``<article>``'s: ``body`` is the body's start."""
    return (
        "<html><head><title>Why Rust for embedded systems</title></head><body>"
        f"{body}{PARAGRAPH}<footer><p>Notes on firmware.</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    "html",
    [
        # the site's header just before the headline: the day of the visit
        bare_page(f"<header><span>Friday, December 19, 2025</span></header>{HEADLINE}"),
        # a top bar before the <main> or <article> whose first element is the headline
        bare_page(f'<div class="top-bar">Friday, December 19, 2025</div><main>{HEADLINE}{PARAGRAPH}</main>'),
        bare_page(f'<div class="top-bar">Friday, December 19, 2025</div><article>{HEADLINE}{PARAGRAPH}</article>'),
        # a top bar before a headline that is the <body>'s own, or in a plain <div> outside any <article>/<main>
        bare_page(f'<div class="top-bar">Friday, December 19, 2025</div>{HEADLINE}'),
        bare_page(f'<div class="top-bar">Friday, December 19, 2025</div><div class="content">{HEADLINE}</div>'),
        # a breadcrumb whose date links to the archive of the day
        page(f'<p class="crumbs"><a href="/archive/2025/12/12/">December 12, 2025</a> / Blog</p>{HEADLINE}'),
        # a related story's card above the headline
        page(f'<div class="card">Dec 3, 2025 <a href="/blog/c-firmware">C firmware</a></div>{HEADLINE}'),
        # further up than three elements
        page(f"<p>December 12, 2025</p><p>Blog</p><p>Firmware</p><p>Rust</p>{HEADLINE}"),
        # a long text that holds a date
        page(f"<p>December 12, 2025 is when we started this series on firmware and tools</p>{HEADLINE}"),
        # a member's join date
        page(f"<span>Joined:</span> <span>December 12, 2025</span>{HEADLINE}"),
        # an event's dates: a second date, or its hours after a dash
        page(f'<p class="when">April 7, 2025 – April 9, 2025</p>{HEADLINE}'),
        page(f'<p class="when">June 14, 2025 - 19:30</p>{HEADLINE}'),
        page(f'<p class="termin">12. Mai 2023, 10:00 Uhr - 16:30 Uhr</p>{HEADLINE}'),
    ],
)
def test_no_date_read_above_the_headline(html: str) -> None:
    article = extract_article(html, URL, fetched_at=FETCHED)
    assert article.provenance.get("published") not in {"markup:date", "markup:updated"}
