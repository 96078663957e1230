"""A company's page written as prose (``offer:N``): the marks of an offer, counted together, on a page
that marks itself in no way as published."""

from __future__ import annotations

import pytest

from archiver.extract import load_page
from archiver.extract.pagetype import MIN_WORDS, PageType, page_type
from archiver.extract.structured import read_structured

NAV = "<nav><ul>" + "".join(f"<li><a href='/section/{n}/'>Section {n}</a></li>" for n in range(12)) + "</ul></nav>"
#: A company speaking of itself to its customer.
PITCH = (
    "<p>Our team checks your moorings, your pumps and your flood gates before the storm season, and we "
    "write down what you need to repair.</p>"
)
#: The same facts told by a writer: no "we", no "you".
REPORT = (
    "<p>The harbour crews checked the moorings, the pumps and the flood gates before the storm season, and "
    "wrote down what needed repair.</p>"
)
CALLS = "<a class='button' href='/quote'>Get a quote</a> <a class='button' href='/contact'>Contact us</a>"
PHONE = "<p>Call <a href='tel:+15550100'>555-0100</a> any day of the week, morning or evening.</p>"
FORM = (
    "<form action='/quote'><input name='name'><input type='email' name='email'><textarea name='message'>"
    "</textarea><input type='submit' value='Send'></form>"
)
URL = "https://harbourcare.example.com/storm-preparation"


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>Harbour</title></head><body>{NAV}{body}</body></html>"


def decide(html: str, url: str = URL) -> PageType:
    loaded = load_page(html.encode(), url)
    return page_type(loaded, read_structured(loaded.tree), MIN_WORDS)


@pytest.mark.parametrize(
    "main",
    [
        # the company's voice, the reader addressed, calls to action
        f"<main><h1>Storm preparation</h1>{PITCH * 6}{CALLS}</main>",
        # the company's voice, the reader addressed, a phone number
        f"<main><h1>Storm preparation</h1>{PITCH * 6}{PHONE}</main>",
        # the company's voice, the reader addressed, a quote form
        f"<main><h1>Storm preparation</h1>{PITCH * 6}{FORM}</main>",
    ],
)
def test_a_company_s_page_of_prose_with_the_marks_of_an_offer_is_no_article(main: str) -> None:
    found = decide(page(main))
    assert found.kind == "other" and found.reason == "offer:3", found
    assert found.rule == "offer"


@pytest.mark.parametrize(
    "main",
    [
        # the prose alone: an article (dense text), whoever writes it
        f"<main><h1>Storm preparation</h1>{PITCH * 6}</main>",
        # one mark is no offer: a guide addresses its reader, a post may end with a call to action
        f"<main><h1>Storm preparation</h1>{REPORT * 6}{CALLS}</main>",
        f"<main><h1>Storm preparation</h1>{REPORT * 6}{FORM}</main>",
        # two marks are no offer either
        f"<main><h1>Storm preparation</h1>{REPORT * 6}{CALLS}{PHONE}</main>",
        # calls to action in the menus or the footer are the site's, not the page's
        f"<main><h1>Storm preparation</h1>{PITCH * 6}</main><footer>{CALLS}</footer>",
    ],
)
def test_fewer_than_three_marks_of_an_offer_keep_a_page_of_prose_an_article(main: str) -> None:
    found = decide(page(main))
    assert found.kind == "article", found
    assert not any(signal.startswith("offer:") for signal in found.signals), found


def test_a_page_marked_as_published_is_no_company_s_page_whatever_its_offer() -> None:
    # A company blog's dated post with the company's calls to action, phone number and sales words
    # ("Free trial", "Get started": -1) is at the article's line: its date says it is published.
    sales = "<p>Start a free trial today, or get started with our harbour plan in a minute.</p>"
    main = (
        f"<main><h1>Storm preparation</h1><time datetime='2024-05-01'>May 1, 2024</time>{PITCH * 6}{sales}"
        f"{CALLS}{PHONE}</main>"
    )
    found = decide(page(main))
    assert found.kind == "article", found
    assert "date+1" in found.signals and any(s.startswith("sales:") for s in found.signals), found
    # ... and at the blog's address
    found = decide(
        page(main.replace("<time datetime='2024-05-01'>May 1, 2024</time>", "")),
        "https://harbourcare.example.com/blog/storm-preparation-checklist",
    )
    assert found.kind == "article", found


#: Prose with a company's sales words ("free trial", "get started": ``sales:2`` -1): one point under the line.
SALES = "<p>Start a free trial of the harbour plan today, or get started with the storm checklist in a minute.</p>"
#: A box of related posts (``teasers:7`` -1) and commands in the text (``code`` -1): an article one point
#: under the line, with no sales word and no mark of an offer.
RELATED = "<section>" + "".join(f"<div><h3><a href='/story-{n}'>Storm story {n}</a></h3></div>" for n in range(7))
CODE = "<p>" + " ".join(f"Set <code>pump{n}</code> to auto." for n in range(10)) + "</p>"


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("How to prepare a harbour for a storm", "how-to-prepare-a-harbour-for-a-storm"),
        (
            "What is a storm surge and why does it flood harbours?",
            "what-is-a-storm-surge-and-why-does-it-flood-harbours",
        ),
        ("Storm preparation: a complete guide", "storm-preparation-complete-guide"),
        ("Floating docks vs. fixed piers", "floating-docks-vs-fixed-piers"),
    ],
)
def test_a_headline_phrased_as_an_article_s_and_carried_by_the_address_keeps_a_page_at_the_line(
    headline: str, slug: str
) -> None:
    html = page(f"<main><h1>{headline}</h1>{REPORT * 6}{CODE}</main>{RELATED}</section>")
    found = decide(html, f"https://harbourcare.example.com/{slug}")
    assert found.kind == "article" and found.reason == "headline", found
    # the same headline at an address that does not carry it is not enough
    found = decide(html, "https://harbourcare.example.com/storm")
    assert found.kind == "other" and "headline+1" not in found.signals, found


@pytest.mark.parametrize(
    "headline",
    [
        "What's On",
        "What's New",
        "Where to Buy",
        "How to Apply",
        "How to Order",
        "How to find us",
        "Things to Do in Lisbon",
        "24 Hour Emergency Plumber",
        "Pipette Tips",
        "404 Page Not Found",
        "Need a plumber?",
        "Why choose us?",
        "Which plan is right for you?",
        "Salesforce vs. HubSpot",
        "Storm preparation services",
    ],
)
def test_a_service_s_heading_read_as_a_question_or_a_how_to_does_not_keep_its_page(headline: str) -> None:
    # a company's page one point under the line by its sales words
    found = decide(page(f"<main><h1>{headline}</h1>{REPORT * 6}{SALES}</main>"))
    assert found.kind == "other" and "headline+1" not in found.signals, found
    # ... or by a box of related pages and code, speaking for itself to its customer
    found = decide(page(f"<main><h1>{headline}</h1>{PITCH * 6}{CODE}</main>{RELATED}</section>"))
    assert found.kind == "other" and "headline+1" not in found.signals, found


def test_an_article_s_headline_does_not_shield_a_company_s_page_from_its_offer() -> None:
    found = decide(page(f"<main><h1>How to prepare your harbour for a storm</h1>{PITCH * 6}{CALLS}</main>"))
    assert found.kind == "other" and found.reason == "offer:3", found


#: A small business's site around each of its pages: a phone link and "Contact us" in the header, the
#: company speaking of itself in the footer.
SITE_HEADER = (
    "<header><a href='tel:+15550100'>Call 555-0100</a> <a href='/contact'>Contact us</a>"
    " <a href='/services'>Our services</a></header>"
)
SITE_FOOTER = (
    "<footer><p>We are a family firm: our team has cared for the harbour since 1990, and we answer every"
    " call. Contact us and we will visit you.</p></footer>"
)
#: A guide's prose: the reader addressed, the company silent.
GUIDE = (
    "<p>Before the storm season, check your moorings, your pumps and your flood gates, and write down what"
    " you need to repair.</p>"
)


def test_the_site_s_header_and_footer_are_no_marks_of_an_offer_on_an_undated_guide() -> None:
    # One mark in the content (the reader addressed); the phone link, "Contact us" and the company's
    # voice are the site's, around every page.
    found = decide(page(f"{SITE_HEADER}<main><h1>Storm preparation</h1>{GUIDE * 6}</main>{SITE_FOOTER}"))
    assert found.kind == "article", found
    assert not any(signal.startswith("offer:") for signal in found.signals), found
    # the same marks in the content are the company's offer
    main = f"<main><h1>Storm preparation</h1>{GUIDE * 6}<p><a href='tel:+15550100'>Call 555-0100</a></p>"
    found = decide(page(f"{main}{SITE_FOOTER.replace('footer>', 'div>')}</main>"))
    assert found.kind == "other" and found.reason.startswith("offer:"), found


def test_us_the_country_is_no_company_s_voice() -> None:
    # A report on US harbours that addresses its reader and asks to be contacted (two marks): "US" is the
    # country, not a company's "us".
    us = (
        "<p>US harbours and US ports check your moorings, US pumps and US flood gates before the US storm"
        " season, you see.</p>"
    )
    found = decide(page(f"<main><h1>Storm preparation</h1>{us * 6}{CALLS}</main>"))
    assert found.kind == "article", found
    assert not any(signal.startswith("offer:") for signal in found.signals), found


def test_the_offer_that_moves_a_page_under_the_line_is_its_reason() -> None:
    # og:type article at an address ending in an id (og:article +1, counted), commands in the company's text
    # (code -1): the offer, which takes the page's last point, is the reason, not the code
    html = page(f"<main><h1>Storm preparation</h1>{PITCH * 6}{CALLS}{CODE}</main>")
    html = html.replace("<title>", "<meta property='og:type' content='article'><title>")
    found = decide(html, "https://harbourcare.example.com/storm-preparation-123456")
    assert found.kind == "other" and found.reason == "offer:3" and found.rule == "offer", found
