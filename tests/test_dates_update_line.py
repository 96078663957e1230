"""An update's date line under the headline, where no layer gives a publication date.

Synthetic: each page is written for the rule (not a real page). A page whose only date of its own is an
"Updated June 13, 2019" line in its heading block shows that day as its date; without the rule the
generic fallback guesses one from the whole page (on real pages a related item's date). Where any layer
gives a publication date, or the block's first date is another's, the update line is not read; nor where
htmldate's day is one that a script's data (not JSON-LD) names as a publication date.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
PARAGRAPH = "<p>" + "Mix the flour and the butter, then fold in the sugar and the eggs one at a time. " * 8 + "</p>"
FOOTER = "<footer><p>Recipes and kitchen tips, online since January 1, 2004. © 2004-2025 Kitchen Press</p></footer>"
URL = "https://kitchen.example.com/recipes/pineapple-cake"


def page(under_headline: str, head: str = "") -> str:
    """A recipe page: the headline, the given line(s) under it, a body and a footer with a date of its own."""
    return (
        f"<html><head><title>Pineapple cake</title>{head}</head><body><main><h1>Pineapple cake</h1>"
        f"{under_headline}{PARAGRAPH}</main>{FOOTER}</body></html>"
    )


@pytest.mark.parametrize(
    "line",
    [
        '<div class="recipe-date">Updated June 13, 2019</div>',
        '<span class="meta">Last updated: 13.06.2019</span>',
        '<p class="info">Updated on <time>June 13, 2019</time></p>',
        '<p class="info"><span>Zuletzt aktualisiert:</span> <span>13.06.2019</span></p>',
    ],
)
def test_the_update_line_is_the_only_date_the_page_shows_of_itself(line: str) -> None:
    article = extract_article(page(line), URL, fetched_at=FETCHED)
    assert article.published == "2019-06-13"
    assert article.provenance["published"] == "markup:updated"
    assert article.modified == "2019-06-13"  # the page's one date of itself is its last change too
    assert article.provenance["modified"] == "markup:updated"


@pytest.mark.parametrize(
    ("line", "head", "expected"),
    [
        # a layer gives the publication date: the update line is not read
        ('<div class="recipe-date">Updated June 13, 2019</div>',
         '<meta property="article:published_time" content="2018-02-01T10:00:00+00:00">', "2018-02-01"),
        # the block's first date is the publication's
        ('<p class="byline">Posted May 2, 2017</p><div class="recipe-date">Updated June 13, 2019</div>',
         "", "2017-05-02"),
    ],
)  # fmt: skip
def test_a_publication_date_wins_over_the_update_line(line: str, head: str, expected: str) -> None:
    article = extract_article(page(line, head), URL, fetched_at=FETCHED)
    assert (article.published or "")[:10] == expected


@pytest.mark.parametrize(
    "line",
    [
        '<div class="recipe-date">Updated 3 days ago</div>',  # relative: no day of its own
        '<div class="recipe-date">Updated by the kitchen team after June 13, 2019 tests</div>',  # not a date line
        '<div class="recipe-date">Updated 06/12/2019</div>',  # reads two ways: June 12 or 6 December
    ],
)
def test_no_update_line_gives_no_update_date(line: str) -> None:
    article = extract_article(page(line), URL, fetched_at=FETCHED)
    assert article.provenance.get("published") != "markup:updated"


UPDATE_LINE = (
    '<div class="mt-2"><span class="text-sm">Updated:<!-- --> '
    '<span class="font-medium">June 13, 2019</span></span></div>'
)
RELATED_LINK = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebPage", "name": "Pineapple'
    ' cake", "relatedLink": {"@type": "Article", "url": "https://kitchen.example.com/recipes/lemon-tart",'
    ' "datePublished": "2015-01-01T08:00:00Z"}}</script>'
)
APP_STATE = (
    '<script>self.__next_f.push([1,"{\\"@type\\":\\"Article\\",\\"datePublished\\":\\"2018-02-01T10:14:11.000+00:00\\",'
    '\\"dateModified\\":\\"2019-06-13T08:00:00.000+00:00\\"}"])</script>'
)


def scripted_page(script: str) -> str:
    """The recipe page with the update line and a script after the article, and no other date."""
    return (
        f"<html><head><title>Pineapple cake</title></head><body><main><h1>Pineapple cake</h1>{UPDATE_LINE}"
        f"{PARAGRAPH}</main>{script}<footer><p>Recipes and kitchen tips by the Kitchen Press</p></footer></body></html>"
    )


def test_a_related_link_s_publication_date_leaves_the_update_line_the_date() -> None:
    """JSON-LD's own article date a layer would have given: its relatedLink's ``datePublished`` is another
    page's day (htmldate takes it), not this page's publication."""
    article = extract_article(scripted_page(RELATED_LINK), URL, fetched_at=FETCHED)
    assert article.published == "2019-06-13"
    assert article.provenance["published"] == "markup:updated"
    assert article.modified == "2019-06-13"


def test_an_app_state_s_publication_date_htmldate_reads_wins_over_the_update_line() -> None:
    """The page's app state names its publication (escaped JSON the layers do not read) and htmldate reads
    that day: the update line is not the only date the page gives of itself, and is not the publication's."""
    article = extract_article(scripted_page(APP_STATE), URL, fetched_at=FETCHED)
    assert article.published == "2018-02-01"
    assert article.provenance["published"] == "heuristic:htmldate"


def test_a_keyed_date_htmldate_does_not_read_leaves_the_update_line_the_date() -> None:
    """A script's data names a publication date (a related story's, escaped JSON) but htmldate's day is
    another (the footer's): the key is no evidence against the update line."""
    state = (
        '<script>self.__next_f.push([1,"{\\"related\\":[{\\"published_at\\":\\"2018-02-01T10:00:00Z\\"}]}"])</script>'
    )
    article = extract_article(
        page('<div class="recipe-date">Updated June 13, 2019</div>', state), URL, fetched_at=FETCHED
    )
    assert article.published == "2019-06-13"
    assert article.provenance["published"] == "markup:updated"
