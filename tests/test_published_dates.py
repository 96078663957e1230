"""Publication dates against modification dates, each rule on a small hand-written page.

Synthetic: every page here is written for its rule (not a real page); the evidence that the rules
hold on the web is ``make bench-extract`` on the real pages in ../shared/bench.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from archiver.extract.dates import country_zone, swapped_day

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
TEXT = "<p>" + "Words of the article, enough of them to be its body and no date among them. " * 8 + "</p>"


def jsonld(published: str, modified: str) -> str:
    data = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": "A headline"}
    data |= {"datePublished": published, "dateModified": modified}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def article_page(head: str, heading: str, after: str = "") -> str:
    return (
        f"<html><head><title>A headline</title>{head}</head><body><article><h1>A headline</h1>"
        f"{heading}{TEXT}{after}</article></body></html>"
    )


def published(html: str) -> str | None:
    return extract_article(html, "https://blog.example.org/a-story", fetched_at=FETCHED).published


# --- a publication date stamped again at the page's last change ------------------------------


def test_a_date_line_before_a_publication_date_equal_to_the_modification_is_the_publication() -> None:
    """The structured data writes one day into both dates (the last change); the byline's date line
    shows the day the article came out."""
    html = article_page(jsonld("2025-06-24", "2025-06-24"), '<div class="post-date">August 25, 2024</div>')
    assert published_at(html, "https://blog.example.org/2024/08/25/a-story") == "2024-08-25"  # the URL agrees
    footer = '<footer class="entry-footer">Posted <time datetime="2024-08-25T09:00:00Z">Aug 25</time></footer>'
    assert published(article_page(jsonld("2025-06-24", "2025-06-24"), "<div>August 25, 2024</div>", footer)) == (
        "2024-08-25"
    )  # another element agrees


def test_a_publication_date_seconds_after_the_modification_is_the_change_too() -> None:
    html = article_page(
        jsonld("2025-11-20T16:02:58Z", "2025-11-20T16:02:45Z"), "<p>By Ann Writer</p><div>14.05.2025</div>"
    )
    assert published_at(html, "https://blog.example.org/2025/05/14/a-story") == "2025-05-14"


def test_a_publication_date_before_the_modification_stands() -> None:
    """Counter-example: a page updated after it came out; its header shows an older day (an event's)."""
    html = article_page(jsonld("2025-06-24", "2025-07-01"), '<div class="post-date">August 25, 2024</div>')
    assert published(html) == "2025-06-24"


SAME = jsonld("2024-06-20", "2024-06-20")  # a page never changed: one day written into both dates


@pytest.mark.parametrize(
    "heading",
    [
        '<div class="event-date">June 12, 2024</div><p>Our summer meeting in the park</p>',
        '<div class="teaser"><a href="/other">Read also: another story</a><div>March 3, 2023</div></div>',
        '<div class="teaser"><a href="/anderes">Lesen Sie auch: ein anderer Artikel</a><div>03.03.2023</div></div>',
        '<figure><img src="a.jpg" alt=""><div class="caption">12.05.2023</div></figure>',
        "<p><span>Stand:</span> <span>03.03.2024</span></p>",
        "<p><span>Zuletzt geprüft:</span> <span>03.03.2024</span></p>",
    ],
    ids=["event", "teaser", "teaser-de", "caption", "stand", "geprueft"],
)
def test_another_thing_s_date_in_the_heading_block_does_not_replace_an_unchanged_page_s_date(heading: str) -> None:
    """Counter-examples: publication = modification on a never-changed page; the first date under the
    headline is an event's, a teaser's, a caption's or a review's, which no other layer confirms."""
    assert published(article_page(SAME, heading))[:10] == "2024-06-20"


def test_an_update_line_is_not_the_publication_date() -> None:
    """Counter-example: the first date line of the header is labelled as an update."""
    html = article_page(jsonld("2025-06-24", "2025-06-24"), "<span>Last updated:</span> <span>August 25, 2024</span>")
    assert published(html) == "2025-06-24"


def test_a_related_item_s_date_after_the_article_is_not_read() -> None:
    """Counter-example: the article's header shows no date; a teaser after the text shows an older one."""
    html = article_page(
        jsonld("2025-06-24", "2025-06-24"),
        "<p>By Ann Writer</p>",
        '<aside class="related"><a href="/b">Another story</a><div class="date">March 3, 2023</div></aside>'
        "<section><h2>More</h2><div>March 3, 2023</div></section>",
    )
    assert published(html) == "2025-06-24"


def test_a_byline_that_names_the_same_day_keeps_it() -> None:
    """Counter-example: the byline names the structured date; a date further down the header is no evidence."""
    html = article_page(
        jsonld("2025-06-24T10:00:00Z", "2025-06-24T10:00:00Z"),
        "<p>by Ann Writer on June 24, 2025</p><div>01.02.2024</div>",
    )
    assert published(html)[:10] == "2025-06-24"


def test_a_quoted_post_s_date_is_no_date_line() -> None:
    """Counter-example: an embedded post's date in the header (a blockquote) is not the article's."""
    html = article_page(
        jsonld("2025-06-24", "2025-06-24"),
        '<blockquote class="instagram-media"><p>A post</p><time>Apr 21, 2019</time></blockquote>',
    )
    assert published(html) == "2025-06-24"


def test_a_slash_date_read_the_other_way_round_confirms_the_structured_day() -> None:
    """Counter-example: "03/05/2022" on a page writing day first is the structured 3 May, not 5 March."""
    html = article_page(jsonld("2022-05-03T20:36:00-03:00", "2022-05-03T21:00:00-03:00"), "<div>03/05/2022 20:36</div>")
    assert published(html)[:10] == "2022-05-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/05/2022", "2022-05-03"),
        ("13/05/2022", None),
        ("05/13/2022", None),
        ("04/04/2022", None),
        ("May 3", None),
        ("0/5/2023", None),
        ("05/00/2022", None),
        ("01/02/0000", None),
    ],
)
def test_swapped_day(text: str, expected: str | None) -> None:
    assert swapped_day(text) == expected


@pytest.mark.parametrize(
    "head",
    ["", jsonld("2023-06-01", "2023-06-01"), '<meta name="date" content="2023-06-01">'],
    ids=["no-layer", "jsonld-pub-equals-mod", "generic-date-tag"],
)
def test_a_malformed_slash_date_beside_the_date_line_is_no_crash(head: str) -> None:
    """Bad input: "0/5/2023" is no date; the extraction goes on and reads the line's date."""
    html = article_page(head, "<div>May 3, 2023 · rev. 0/5/2023</div>")
    assert published(html) is not None


# --- the heading block's date line where no layer gives a date ----------------------------------


def plain_page(header: str, heading: str, after: str = "") -> str:
    return (
        f"<html><head><title>A headline</title></head><body><header>{header}</header>"
        f"<article><h1>A headline</h1>{heading}{TEXT}{after}</article></body></html>"
    )


def test_the_heading_block_s_date_line_when_no_layer_gives_a_date() -> None:
    """No layer dates the page; a script's state holds the footer's last change, which htmldate's guess
    would take; the article's own date line, under its headline, is its date."""
    state = '<script>var state = {"footer": {"__Updated": {"value": "2022-02-09T11:04:09Z"}}};</script>'
    html = plain_page(state, "<p>By Ann Writer</p><div>17.02.2022</div>")
    assert published(html) == "2022-02-17"


def test_a_slash_date_line_that_reads_two_ways_is_not_guessed() -> None:
    """Counter-example: "02/10/2020" is the 10th of February or the 2nd of October; the line decides nothing."""
    html = plain_page("", "<div>02/10/2020</div>")
    article = extract_article(html, "https://blog.example.org/a-story", fetched_at=FETCHED)
    assert article.provenance.get("published") != "markup:date"  # left to what comes next (htmldate's guess)


def test_a_member_s_join_date_is_not_the_page_s_date() -> None:
    """Counter-example: a forum post's author box under the headline shows when the member joined."""
    html = plain_page("", '<dl class="profile"><dt>Registriert:</dt><dd>18.09.2008</dd></dl><p>21.01.2009 10:15</p>')
    assert published(html) == "2009-01-21T10:15:00"


# --- a UTC time in the time zone of the country the site's domain names ----------------------------


def published_at(html: str, url: str) -> str | None:
    return extract_article(html, url, fetched_at=FETCHED).published


def test_a_utc_time_on_a_one_zone_country_s_domain_is_written_in_its_time() -> None:
    """A local midnight stored in UTC: the article came out on the 7th in Germany."""
    html = article_page('<meta property="article:published_time" content="2022-11-06T23:00:00+00:00">', "")
    assert published_at(html, "https://magazin.example.de/artikel/reise") == "2022-11-07T00:00:00+01:00"
    assert published_at(html, "https://diario.example.com.ar/nota") == "2022-11-06T20:00:00-03:00"


def test_a_utc_time_on_a_generic_domain_stays_in_utc() -> None:
    """Counter-example: a .com (or .co, taken by companies everywhere) names no country."""
    html = article_page('<meta property="article:published_time" content="2022-11-06T23:00:00+00:00">', "")
    assert published_at(html, "https://magazine.example.com/travel") == "2022-11-06T23:00:00+00:00"
    assert published_at(html, "https://startup.example.co/blog/post") == "2022-11-06T23:00:00+00:00"


def test_a_byline_s_own_utc_time_is_its_text_s_day() -> None:
    """Counter-example: the byline's <time> shows 26/12/2019 for "23:07 +00:00": the page's clock is UTC."""
    html = article_page("", '<time class="entry-date published" datetime="2019-12-26T23:07:45+00:00">26/12/2019</time>')
    assert published_at(html, "https://www.example.ch/?p=5031") == "2019-12-26T23:07:45+00:00"


@pytest.mark.parametrize(
    ("head", "heading"),
    [
        (
            jsonld("2019-12-26T23:07:45+00:00", "2019-12-26T23:07:45+00:00"),
            '<time class="entry-date published" datetime="2019-12-26T23:07:45+00:00">26/12/2019</time>',
        ),
        ('<meta property="article:published_time" content="2019-12-26T23:07:45+00:00">', "<div>Dec 26, 2019</div>"),
    ],
    ids=["byline-time", "date-line"],
)
def test_a_utc_time_the_page_shows_on_its_utc_day_is_not_converted(head: str, heading: str) -> None:
    """Counter-example: the page itself shows the 26th for 23:07 UTC: its clock is UTC, not Zurich's."""
    assert published_at(article_page(head, heading), "https://www.example.ch/?p=5031")[:10] == "2019-12-26"


@pytest.mark.parametrize(
    ("value", "url", "expected"),
    [
        ("2022-11-06T23:00:00-05:00", "https://magazin.example.de/a", "2022-11-06T23:00:00-05:00"),  # not UTC
        ("2022-07-06T22:30:00Z", "https://magazin.example.de/a", "2022-07-07T00:30:00+02:00"),  # summer time
        ("2022-11-06T23:30:00Z", "https://news.example.co.uk/a", "2022-11-06T23:30:00+00:00"),  # London = UTC
    ],
)
def test_country_time_cases(value: str, url: str, expected: str) -> None:
    html = article_page(f'<meta property="article:published_time" content="{value}">', "")
    assert published_at(html, url) == expected


# --- a generic date tag against the heading block's date line: no rule moves it --------------------------


def test_a_publication_tag_outranks_the_date_line() -> None:
    """Counter-example: `article:published_time` is no generic tag; a date line giving another day does not move it."""
    html = article_page(
        '<meta property="article:published_time" content="2020-04-30T08:00:00+02:00">', "<div>29.04.2020</div>"
    )
    assert published(html) == "2020-04-30T08:00:00+02:00"


def test_a_generic_tag_another_layer_confirms_stands() -> None:
    """Counter-example: the `date` tag and the structured data agree; the header's date line is a quoted event's."""
    html = article_page(
        '<meta name="date" content="2020-04-30">' + jsonld("2020-04-30", "2020-05-02"), "<div>29.04.2020</div>"
    )
    assert published(html)[:10] == "2020-04-30"


def test_a_missing_time_zone_database_leaves_the_utc_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad environment: no system zone files and no tzdata package; the UTC time stays, nothing raises."""
    import sys
    import zoneinfo

    monkeypatch.setitem(sys.modules, "tzdata", None)  # import tzdata fails
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        assert country_zone("magazin.example.de") is None
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


def test_the_time_zone_database_is_a_declared_dependency() -> None:
    """ZoneInfo reads the system's zone files, else the tzdata package: archiver declares the package."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    assert any(dep.split(">")[0].split("=")[0].strip() == "tzdata" for dep in project["dependencies"])


@pytest.mark.parametrize(
    "heading",
    ["<div>15.07.2020</div><p>Sommerfest im Park</p>", "<p><q>01.01.2020</q></p>"],
    ids=["event-line", "quotation"],
)
def test_a_date_line_nothing_else_confirms_does_not_move_a_generic_tag(heading: str) -> None:
    """Counter-examples: an event's day under the headline, a quoted date; no other layer names their day."""
    assert published(article_page('<meta name="date" content="2020-04-30">', heading))[:10] == "2020-04-30"


def test_the_heading_block_is_read_again_for_a_new_tree() -> None:
    """The block remembered for a page belongs to its tree: a page given another tree reads that one."""
    from archiver.extract.document import load_page, parse_html
    from archiver.extract.metadata import heading_block

    page = load_page(article_page("", "<div>March 3, 2023</div>"), "https://blog.example.org/a-story")
    assert "March 3, 2023" in [text for text, _ in heading_block(page)[0]]
    page.tree = parse_html(article_page("", "<div>June 9, 2021</div>"))
    texts = [text for text, _ in heading_block(page)[0]]
    assert "June 9, 2021" in texts
    assert "March 3, 2023" not in texts


# --- dates in the URL's other shapes ---------------------------------------------------------------------


def test_a_url_segment_that_is_a_day_month_year_date_dates_the_page() -> None:
    """A press release whose address is its day (".../meldungen/29-10-2021") and that shows no date."""
    html = plain_page("", "")
    assert published_at(html, "https://verein.example.de/presse/meldungen/29-10-2021") == "2021-10-29"
    assert published_at(html, "https://club.example.org/news/10-29-2021/") == "2021-10-29"  # month first
    # "03-05-2021" is the 3rd of May or the 5th of March: the URL says neither
    assert published_at(html, "https://verein.example.de/presse/meldungen/03-05-2021") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.org/2021/july-4-fireworks-near-you",
        "https://blog.example.org/2020/may-5-tips-for-gardening",
        "https://blog.example.org/2021-sept-11-remembered",
        "https://blog.example.de/2020/mai-1-demo",
    ],
)
def test_a_month_s_name_in_a_slug_is_no_url_date(url: str) -> None:
    """A slug's words ("july-4-fireworks") name no day of publication: the page's shown date stands."""
    html = article_page("", "<div>June 28, 2021</div>")
    assert published_at(html, url) == "2021-06-28"


def test_a_slash_date_that_reads_two_ways_is_read_as_the_url_names_its_month() -> None:
    """The byline's "03/10/2023" under a URL /2023/october/03/: the 3rd of October, not the 10th of March."""
    html = article_page("", '<div class="post-date">03/10/2023</div>')
    assert published_at(html, "https://www.example.com/blog/2023/october/03/wine-types") == "2023-10-03"
    assert published_at(html, "https://www.example.com/blog/2023/march/10/wine-types") == "2023-03-10"


# --- the day's date in the site's header ----------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [
        '<div class="navtop"><time datetime="2025-12-19T13:56:20+01:00">Friday, 19 December 2025</time></div>',
        '<div class="block-date"><p id="todays-date"><strong>Friday</strong>, December 19, 2025</p></div>',
    ],
    ids=["time", "date-block"],
)
def test_the_day_s_date_in_the_site_s_header_is_not_the_article_s(today: str) -> None:
    """The site's header shows the day the page was fetched; the article's own date line is under its headline."""
    html = plain_page(today, '<p class="text_datum">12. Dezember 2025.</p>')
    assert published(html)[:10] == "2025-12-12"
    # a <header> inside the article is the article's own
    inside = html.replace("<article><h1>A headline</h1>", f"<article><header>{today}</header><h1>A headline</h1>")
    assert published(inside.replace('<p class="text_datum">12. Dezember 2025.</p>', ""))[:10] == "2025-12-19"


@pytest.mark.parametrize(
    "page",
    [
        # the entry's own meta header after the headline: <header class="entry-meta"><time>
        '<div class="page-title"><h1>A headline</h1></div><header class="entry-meta">Posted on '
        '<time datetime="2024-05-20T10:00:00">May 20, 2024</time> by Ann</header><div class="entry">{text}</div>',
        # hAtom: div.hentry > header.entry-meta > abbr.published, the headline an <h2>
        '<div class="hentry"><h2 class="entry-title">A headline</h2><header class="entry-meta">'
        '<abbr class="published" title="2024-05-20T10:00:00">May 20</abbr></header>'
        '<div class="entry-content">{text}</div></div>',
        # the entry's header holds its title (no <h1>) before the page's only headline-less content
        '<header class="post-header"><h2 class="entry-title">A headline</h2>'
        '<time datetime="2024-05-20T10:00:00">May 20, 2024</time></header><div class="entry">{text}</div>',
        # a strong selector is never skipped, even in a header before the <h1>
        '<header><p>Posted <time pubdate datetime="2024-05-20T10:00:00">May 20, 2024</time></p></header>'
        '<div class="post"><h1>A headline</h1>{text}</div>',
    ],
    ids=["entry-meta-after-h1", "hentry-abbr", "entry-title-header", "pubdate-in-header"],
)
def test_an_entry_s_own_header_keeps_its_date(page: str) -> None:
    """A ``<header>`` that is the entry's own (after its headline, in or holding an hAtom entry) or a date
    marked as the publication date is no site header: its date is the article's, not an older day in the text."""
    html = (
        "<html><head><title>A headline</title></head><body>"
        + page.format(text=TEXT + "<p>On 3 January 2019 we began.</p>")
        + "</body></html>"
    )
    assert published(html) == "2024-05-20T10:00:00"


# --- hAtom's class "published" on any element --------------------------------------------------------------


def test_an_element_of_class_published_outranks_a_meta_block_s_first_date() -> None:
    """hAtom's class "published" on a ``<span>`` of the entry that holds the headline: the post's day, where
    the meta block around it opens with the results' event day (what its first date would give)."""
    meta = (
        '<div class="post-meta">Results: Aalen, 19.5.2007 | by Ann Writer | '
        '<span class="published">20. Mai 2007</span></div>'
    )
    assert published(plain_page("", meta))[:10] == "2007-05-20"


@pytest.mark.parametrize(
    "page",
    [
        # a featured teaser's hAtom entry before the article
        '<div class="featured"><div class="hentry"><a href="/x">Old post</a> <span class="published">3 March 2015'
        '</span></div></div><article><h1>A headline</h1><p>By Ann <time datetime="2024-05-20">May 20, 2024</time>'
        "</p>{text}</article>",
        # a headline of class "published" with a date in its title
        '<article><div class="post-header"><h1 class="post-title published">Weekly notes (2015-03-03)</h1>'
        '<div class="meta"><time datetime="2024-05-20">May 20, 2024</time></div></div>{text}</article>',
        # a comment's date, outside the entry that holds the headline
        '<article><h1>A headline</h1><p>By Ann <time datetime="2024-05-20">May 20, 2024</time></p>{text}'
        '</article><div class="responses"><div class="reply"><span class="published">3 March 2015</span> great'
        "</div></div>",
        # a linked teaser's date in the article's related list
        '<article><h1>A headline</h1><p>By Ann <time datetime="2024-05-20">May 20, 2024</time></p>{text}'
        '<ul><li><a href="/old"><span class="published">3 March 2015</span> An old post</a></li></ul></article>',
    ],
    ids=["featured-teaser", "published-headline", "comment", "linked-teaser"],
)
def test_a_published_class_elsewhere_is_not_the_article_s_date(page: str) -> None:
    """Class ``published`` on a teaser, a heading, a comment or a link names another day than the article's."""
    html = "<html><head><title>A headline</title></head><body>" + page.format(text=TEXT) + "</body></html>"
    assert published(html)[:10] == "2024-05-20"


def test_the_site_header_s_date_is_no_vote_for_the_heading_block_s_date() -> None:
    """Structured data stamps publication and modification with one time; the heading block's date line
    names an earlier day that only the site header's day's date names too: that is no second vote."""
    stamp = "2024-05-20T10:00:00+00:00"
    ld = f'{{"@type": "NewsArticle", "headline": "A headline", "datePublished": "{stamp}", "dateModified": "{stamp}"}}'
    html = (
        f'<html><head><title>A headline</title><script type="application/ld+json">{ld}</script></head><body>'
        '<header class="top"><div class="date">May 1, 2024</div></header>'
        f"<article><h1>A headline</h1><p>May 1, 2024</p>{TEXT}</article></body></html>"
    )
    assert published(html)[:10] == "2024-05-20"
    # a byline's date elsewhere in the article naming the line's day is a vote
    voted = html.replace("</article>", '<p class="posted">May 1, 2024</p></article>')
    assert published(voted)[:10] == "2024-05-01"


# --- other articles' cards in microdata ----------------------------------------------------------


def card(day: str, title: str) -> str:
    return (
        f'<div class="post-card" itemscope itemtype="https://schema.org/BlogPosting">'
        f'<meta itemprop="datePublished" content="{day}"><h3 itemprop="headline"><a href="/p">{title}</a></h3></div>'
    )


CARDS = card("2025-10-10", "Another post") + card("2025-10-03", "An older post") + card("2025-09-24", "The oldest")


def test_the_dates_of_other_posts_cards_are_not_the_page_s() -> None:
    """A list of other posts, each a BlogPosting item with its ``datePublished``, beside an article whose
    own date is a meta tag: the first card's microdata is not the page's, nor is its ``<meta itemprop>``
    a meta tag's vote."""
    head = '<meta property="article:published_time" content="2025-09-17T16:13:03+00:00">'
    html = article_page(head, "<p>By Ann Writer</p>", f'<section class="more-posts">{CARDS}</section>')
    assert published(html)[:10] == "2025-09-17"
    cards = '<aside class="more">' + CARDS.replace("<meta", "<span").replace("></h3>", "></h3></span>") + "</aside>"
    assert published(article_page('<meta name="date" content="March 27, 2025">', "", cards))[:10] == "2025-03-27"


def test_the_modification_dates_of_other_posts_cards_are_not_the_page_s() -> None:
    """Cards of other posts, each a BlogPosting item with its ``datePublished`` and ``dateModified`` meta
    tags and its "updated" ``<time>``, beside an article with its own publication date and no modification
    date: neither card's modification date is the page's (the meta tag's nor the markup's)."""
    stamps = '<meta itemprop="dateModified" content="{day}"><time class="updated" datetime="{day}">{day}</time>'
    cards = "".join(
        card(day, title).replace("</div>", stamps.format(day=f"{day}T09:00:00+00:00") + "</div>")
        for day, title in (("2025-10-10", "Another post"), ("2025-10-03", "An older post"), ("2025-09-24", "Old"))
    )
    head = '<meta property="article:published_time" content="2025-09-17T16:13:03+00:00">'
    html = article_page(head, "<p>By Ann Writer</p>", f'<section class="more-posts">{cards}</section>')
    article = extract_article(html, "https://blog.example.org/a-story", fetched_at=FETCHED)
    assert (article.published or "")[:10] == "2025-09-17"
    assert article.modified is None


def test_the_article_s_own_item_keeps_its_date_beside_cards() -> None:
    """Counter-example: the page's own BlogPosting item holds the headline; the cards after it are other posts'."""
    html = (
        '<html><head><title>A headline</title></head><body><article itemscope itemtype="https://schema.org/BlogPosting">'
        f'<h1 itemprop="headline">A headline</h1><meta itemprop="datePublished" content="2025-01-05">{TEXT}</article>'
        f"<section>{CARDS}</section></body></html>"
    )
    assert published(html)[:10] == "2025-01-05"


# --- other pages' teasers --------------------------------------------------------------------------


def teaser(day: str, title: str) -> str:
    return (
        f'<div class="article"><h4 class="title"><a href="https://other.example.net/{title}">{title}</a></h4>'
        f'<p class="summary">What the other post is about.</p><small class="date">{day}</small></div>'
    )


def test_a_list_of_other_posts_teasers_gives_no_date() -> None:
    """The post's date is a plain table cell beside its title (no date markup); after the text, a list of
    recent posts on other blogs, each a teaser with its title's link and a ``small.date``: their dates are
    not the post's (the date line is then found in the page's text)."""
    teasers = teaser("December 12, 2025", "one") + teaser("December 10, 2025", "two") + teaser("May 2, 2025", "three")
    html = (
        "<html><head><title>Backup plans</title></head><body><table><tr><td><h3>Backup plans</h3></td>"
        f"<td>January 22nd, 2019</td></tr></table><div class='text'>{TEXT}</div>"
        f'<section class="webring"><h3>Recent posts on blogs I like:</h3><section class="articles">{teasers}'
        "</section></section></body></html>"
    )
    assert published_at(html, "https://blog.example.org/p/backup-plans")[:10] == "2019-01-22"


def test_a_date_in_one_of_the_article_s_own_repeated_blocks_stays() -> None:
    """Counter-example: the byline's date in an element of a class its siblings share, without a heading's
    link (sections of the article's header): still the page's date."""
    html = article_page(
        "",
        '<div class="row"><span>By Ann Writer</span></div><div class="row"><span class="date">March 3, 2024</span>'
        '</div><div class="row"><span>5 min read</span></div>',
    )
    assert published(html)[:10] == "2024-03-03"


def test_the_page_s_own_item_below_a_page_header_is_no_card() -> None:
    """Counter-example: the headline ``<h1>`` sits in the page's header, above the post's own BlogPosting
    item (its text and its date); after the post, one related post's card. The post's own item is not a
    card: the microdata layer gives its date and time."""
    related = card("2025-01-09", "Another post")
    html = (
        "<html><head><title>A headline</title></head><body><div class='page-header'><h1 class='entry-title'>"
        "A headline</h1></div><article class='post' itemscope itemtype='https://schema.org/BlogPosting'>"
        "<div class='entry-meta'><time class='entry-date' itemprop='datePublished'"
        " datetime='2024-03-03T10:00:00+00:00'>"
        f"March 3, 2024</time></div>{TEXT}</article><section class='related'>{related}</section></body></html>"
    )
    assert published(html) == "2024-03-03T10:00:00+00:00"


def test_the_page_s_own_item_linking_to_its_own_address_in_another_spelling_is_no_card() -> None:
    """Counter-example: the post's own short BlogPosting item (its headline, linked, and its date) below the
    page's header, then two related posts' cards. The headline links to the page itself, spelled another
    way (https, ``www.``, a trailing slash, a campaign's query): that is no link to another page, so the
    item is no card, and the microdata layer gives its date and time."""
    url = "http://blog.example.org/2024/03/a-headline"
    own = "https://www.blog.example.org/2024/03/a-headline/?utm_source=feed"
    related = card("2025-01-09", "Another post") + card("2025-01-02", "An older post")
    html = (
        "<html><head><title>A headline</title></head><body><div class='page-header'><h1>A headline</h1></div>"
        "<div class='post-head' itemscope itemtype='https://schema.org/BlogPosting'>"
        f"<h2 itemprop='headline'><a href='{own}'>A headline</a></h2><time itemprop='datePublished'"
        " datetime='2024-03-03T10:00:00+00:00'>March 3, 2024</time></div>"
        f"<div class='text'>{TEXT}</div><section class='related'>{related}</section></body></html>"
    )
    assert published_at(html, url) == "2024-03-03T10:00:00+00:00"


def test_a_forum_thread_s_posts_are_no_cards() -> None:
    """Counter-example: each post of a thread is a DiscussionForumPosting item below the thread's title;
    they are long and their names link nowhere: the first post's date is the thread's."""
    posts = "".join(
        f"<article class='message' itemscope itemtype='https://schema.org/DiscussionForumPosting'>"
        f"<span itemprop='name'>Re: the thread</span><time itemprop='datePublished' datetime='2024-05-0{i}T10:00:00Z'>"
        f"May {i}, 2024</time><div itemprop='text'>{TEXT}</div></article>"
        for i in range(1, 4)
    )
    head = "<html><head><title>A thread</title></head><body><div class='p-title'><h1>A thread</h1></div>"
    html = f"{head}{posts}</body></html>"
    assert published(html) == "2024-05-01T10:00:00+00:00"


def test_a_card_s_date_published_meta_is_no_meta_tag_vote() -> None:
    """No structured data of the page's own; its date is the byline's ``<time>``. The cards of other posts
    before it carry their dates in ``<meta itemprop="datePublished">``: not a meta tag of the page."""
    html = (
        f"<html><head><title>A headline</title></head><body><aside class='more'>{CARDS}</aside><article>"
        "<h1>A headline</h1><p class='byline'>By Ann Writer, <time datetime='2024-03-03'>March 3, 2024</time></p>"
        f"{TEXT}</article></body></html>"
    )
    assert published(html)[:10] == "2024-03-03"


def test_a_date_element_in_a_card_is_no_candidate() -> None:
    """No structured data nor date meta of the page's own; the cards of other posts before the article
    show their dates in ``<time itemprop="datePublished">``; the post's date is a plain "Posted on" line after
    its text."""
    cards = CARDS.replace('<meta itemprop="datePublished" content="', '<time itemprop="datePublished" datetime="')
    cards = cards.replace('"><h3', '">a day</time><h3')
    html = (
        f"<html><head><title>A headline</title></head><body><section class='more'>{cards}</section><article>"
        f"<h1>A headline</h1><p class='byline'>By Ann Writer</p>{TEXT}<p class='posted'>Posted on March 3, 2024</p>"
        "</article></body></html>"
    )
    assert published(html)[:10] == "2024-03-03"


def test_a_discourse_post_s_anchored_heading_is_no_teaser() -> None:
    """A thread without structured data: its posts are siblings of one class, the first post's text has
    a heading with a ``#`` anchor link (Discourse). The posts are no teasers: the first post's date is the
    thread's, not the second's."""
    heading = "<h2><a name='setup-1' class='anchor' href='#setup-1'></a>Setup</h2>"

    def post(i: int, day: str, head: str = "") -> str:
        return (
            f"<div id='post_{i}' class='topic-body crawler-post'><div class='crawler-post-meta'><span class='creator'>"
            f"u{i}</span><span class='crawler-post-infos'><time class='post-time' datetime='{day}'>{day}</time></span>"
            f"</div><div class='cooked'>{head}{TEXT}</div></div>"
        )

    html = (
        "<html><head><title>A thread</title></head><body><div id='main-outlet'><h1>My thread title</h1>"
        + post(1, "2024-05-01T10:00:00Z", heading)
        + post(2, "2024-05-02T10:00:00Z")
        + post(3, "2024-05-03T10:00:00Z")
        + "</div></body></html>"
    )
    assert published_at(html, "https://forum.example.org/t/my-thread/123")[:10] == "2024-05-01"


@pytest.mark.parametrize(
    "line",
    [
        "<p class='event'><time datetime='2025-03-12'>March 12, 2025</time></p>",
        "<div class='episode-meta'>March 12, 2025</div>",
    ],
    ids=["event-time", "episode-meta"],
)
def test_an_event_s_date_under_the_headline_of_an_unchanged_page_is_not_its_date(line: str) -> None:
    """Counter-example: a never-edited recap (structured publication = modification); under the headline
    the event's ``<time>`` or an episode's meta line, not a byline, and nothing else names its day: the
    structured date stands."""
    html = article_page(jsonld("2025-03-20T09:00:00Z", "2025-03-20T09:00:00Z"), line)
    assert published(html)[:10] == "2025-03-20"


# --- one tag, one vote ---------------------------------------------------------------------------


def test_a_date_published_meta_tag_is_not_read_again_as_a_date_element() -> None:
    """The structured data and the byline's ``<time>`` give the 19th; a ``<meta itemprop="datePublished">``
    outside any item gives the 18th. The tag is one layer (a meta tag), not also the byline's markup:
    two votes against one."""
    byline = '<p class="byline">By Ann Writer <time datetime="2019-10-19T05:00:00+02:00">19.10.2019</time></p>'
    head = (
        jsonld("2019-10-19T03:00:00Z", "2019-10-20T08:00:00Z") + '<meta itemprop="datePublished" content="2019-10-18">'
    )
    assert published(article_page(head, byline))[:10] == "2019-10-19"


def test_the_microdata_s_date_published_tag_is_not_read_again_as_a_meta_tag() -> None:
    """The article's item gives the 18th in its ``<meta itemprop="datePublished">``; the publication tag and
    the byline's ``<time>`` give the 19th. The microdata's tag is one layer, not also a meta tag confirming it."""
    html = (
        '<html><head><title>A headline</title><meta property="article:published_time" '
        'content="2019-10-19T05:00:00+02:00"></head><body><article itemscope itemtype="https://schema.org/BlogPosting">'
        '<meta itemprop="datePublished" content="2019-10-18"><h1 itemprop="headline">A headline</h1>'
        '<p class="byline">By Ann Writer <time datetime="2019-10-19T05:00:00+02:00">19.10.2019</time></p>'
        f"{TEXT}</article></body></html>"
    )
    assert published(html)[:10] == "2019-10-19"


@pytest.mark.parametrize(
    "own",
    [
        "<meta itemprop='datePublished' content='2025-05-14'>",
        "<meta itemprop='datePublished' content='2025-05-14T08:00:00+02:00'><span>14.05.2025</span>",
    ],
)
def test_the_own_items_date_published_tag_after_other_posts_cards_still_votes(own: str) -> None:
    """Counter-example: three other posts' cards come first, each with its ``<meta itemprop="datePublished">``
    (the meta layer reads the first such tag, a card's, and leaves it out); the page's own item's tag, not
    read by any layer, is still a date element: one vote, the page's day, not a card's."""
    html = (
        f"<html><head><title>A headline</title></head><body><aside class='trending'>{CARDS}</aside>"
        "<article itemscope itemtype='https://schema.org/NewsArticle'><h1 itemprop='headline'>A headline</h1>"
        f"{own}{TEXT}</article></body></html>"
    )
    assert published(html)[:10] == "2025-05-14"


@pytest.mark.parametrize("where", ["head", "item"])
def test_a_date_published_meta_tag_alone_still_dates_the_page(where: str) -> None:
    """Counter-example: the tag is the page's only date, as a meta tag or as its item's microdata."""
    tag = '<meta itemprop="datePublished" content="2019-10-18">'
    scope = ' itemscope itemtype="https://schema.org/BlogPosting"' if where == "item" else ""
    html = (
        f"<html><head><title>A headline</title>{tag if where == 'head' else ''}</head><body><article{scope}>"
        f"{tag if where == 'item' else ''}<h1>A headline</h1>{TEXT}</article></body></html>"
    )
    assert published(html) == "2019-10-18"
