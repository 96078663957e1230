"""The date and author rules, each on a small hand-written page.

Synthetic: every page here is written for its rule (not a real page); the evidence that the rules
hold on the web is ``make bench-extract`` on the real pages in ../shared/bench.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article, load_page
from archiver.extract.dates import parse_date, url_date
from archiver.extract.metadata import extract_authors
from archiver.extract.structured import read_structured

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
PARAGRAPH = "<p>" + "Words of the article, enough of them to be a body. " * 12 + "</p>"


def page(head: str = "", body: str = "") -> str:
    """A synthetic article page with the given head and byline markup."""
    return (
        f"<html><head><title>A headline</title>{head}</head><body><article><h1>A headline</h1>"
        f"{body}{PARAGRAPH}</article></body></html>"
    )


def after_the_body(html: str) -> str:
    """A page whose article's body comes before ``html`` (a comment area, a related item, a credit list)."""
    return (
        "<html><head><title>A headline</title></head><body><article><h1>A headline</h1>"
        f"{PARAGRAPH}{html}</article></body></html>"
    )


def published(html: str, url: str = "https://news.example.org/a/story") -> tuple[str | None, str | None]:
    article = extract_article(html, url, fetched_at=FETCHED)
    return article.published, article.published_raw


# --- dates ---------------------------------------------------------------------------------


def test_a_utc_time_is_written_in_the_page_s_zone_when_its_byline_shows_the_same_instant() -> None:
    html = page(
        '<meta property="article:published_time" content="2023-11-09T05:30:59+00:00">',
        '<p class="byline">Published <time datetime="2023-11-08 23:30:59">November 8, 2023 at 11:30 p.m.</time></p>',
    )
    assert published(html)[0] == "2023-11-08T23:30:59-06:00"


def test_a_utc_time_is_written_in_the_offset_another_tag_gives_the_same_instant() -> None:
    html = page(
        '<meta property="article:published_time" content="2019-10-18T22:04:00Z">'
        '<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">'
    )
    assert published(html)[0] == "2019-10-19T00:04:00+02:00"


def test_a_utc_time_on_the_day_before_the_url_s_date_is_the_url_s_calendar_day() -> None:
    html = page('<meta property="article:published_time" content="2018-12-31T23:11:59+00:00">')
    assert published(html, "https://blog.example.org/2019/01/01/new-year/") == (
        "2019-01-01",
        "2018-12-31T23:11:59+00:00",
    )


def test_a_url_date_days_away_from_the_metadata_does_not_move_it() -> None:
    html = page('<meta property="article:published_time" content="2018-12-31T23:11:59+00:00">')
    assert published(html, "https://blog.example.org/2019/01/05/new-year/")[0] == "2018-12-31T23:11:59+00:00"


def test_a_time_labelled_as_an_update_is_not_the_publication_date() -> None:
    html = page(
        body='<p class="byline"><span>Updated</span> <time datetime="2020-05-03">May 3, 2020</time></p>'
        '<p class="post-date">May 1, 2020</p>'
    )
    assert published(html)[0] == "2020-05-01"


def test_the_originally_published_date_wins_over_the_update_before_it() -> None:
    html = page(body='<div class="post-meta">Last updated May 3, 2020, originally published May 1, 2020</div>')
    assert published(html)[0] == "2020-05-01"


def test_a_date_the_text_calls_the_publication_date() -> None:
    html = page(body="<div><p>Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p></div>")
    assert published(html)[0] == "2023-11-01"


def test_a_date_only_the_url_gives() -> None:
    assert published(page(), "https://blog.example.org/2015/03/07/a-post/")[0] == "2015-03-07"


def test_a_date_with_a_russian_month_name() -> None:
    html = page(body="<p>15 августа 2016, 13:43</p>")
    assert published(html)[0] == "2016-08-15T13:43:00"


def test_an_offset_beyond_any_time_zone_is_ignored_not_an_error() -> None:
    assert parse_date("June 23, 2025 10:39 -24", FETCHED) == "2025-06-23T10:39:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2019/01/31/slug/", "2019-01-31"),
        ("https://example.org/blog/2019-1-5-slug", "2019-01-05"),
        ("https://example.org/2019/13/01/slug", None),
        ("https://example.org/p/20190131", None),
        ("https://example.org/slug?d=/2019/01/31/", None),
    ],
)
def test_url_date(url: str, expected: str | None) -> None:
    found = url_date(url)
    assert (found.isoformat() if found else None) == expected


def test_where_the_layers_disagree_two_that_agree_outweigh_the_first() -> None:
    html = page(
        '<meta property="article:published_time" content="2022-12-15T09:13:00">'
        + jsonld('{"@type": "Article", "headline": "A headline", "datePublished": "2021-12-06T14:36:00"}'),
        '<p class="byline"><time datetime="2022-12-15">15.12.2022</time></p>',
    )
    assert published(html) == ("2022-12-15T09:13:00", "2022-12-15T09:13:00")


def test_a_first_date_no_other_layer_contradicts_twice_stands() -> None:
    html = page(
        '<meta property="article:published_time" content="2022-12-15T09:13:00">'
        + jsonld('{"@type": "Article", "headline": "A headline", "datePublished": "2021-12-06T14:36:00"}'),
    )
    assert published(html)[0] == "2021-12-06T14:36:00"


def test_a_relative_date_confirms_nothing() -> None:
    html = page(
        '<meta property="article:published_time" content="2025-12-18">',
        '<p class="date">Published 2 days ago</p>',
    )
    assert published(html)[0] == "2025-12-18"


def test_the_time_marked_pubdate_is_the_publication_date() -> None:
    html = page(
        body='<p class="teaser">Earlier: <time datetime="2020-01-01">1 January 2020</time></p>'
        '<p class="stamp"><time pubdate datetime="2021-05-05">5 May 2021</time></p>',
    )
    assert published(html)[0] == "2021-05-05"


def test_a_meta_tag_named_published() -> None:
    assert published(page('<meta name="published" content="July 17, 2025">'))[0] == "2025-07-17"


#: The JSON state of a page's scripts names dates of many things: the "latest news" listed first
#: (yle.fi), a product's publishDate, a CMS's latest publish; none is read as the article's.
LATEST = (
    '<script>window.__STATE__ = {"latest": [{"title": "Another story", "publishedAt": "2020-02-17T09:00:00+02:00"}],'
    ' "article": {"title": "A headline", "datePublished": "2020-02-19T14:00:00+02:00"}}</script>'
)


def test_a_date_only_the_page_s_script_state_gives_is_not_read() -> None:
    """(The last resort, htmldate's guess, may still read a day in it: its provenance says so.)"""
    article = extract_article(page(body=LATEST), "https://news.example.org/a/story", fetched_at=FETCHED)
    assert article.provenance.get("published") != "script"
    assert article.published_raw != "2020-02-17T09:00:00+02:00"


def test_the_url_s_date_is_read_beside_a_script_state() -> None:
    assert published(page(body=LATEST), "https://blog.example.org/2020/02/19/a-story/")[0] == "2020-02-19"


# --- authors and publisher -----------------------------------------------------------------


def authors_of(html: str) -> tuple[list[str], str | None, str | None]:
    article = extract_article(html, "https://news.example.org/a/story", fetched_at=FETCHED)
    return article.authors, article.publisher, article.provenance.get("publisher")


def jsonld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_a_byline_without_a_class_naming_two_people() -> None:
    html = page(body='<p>By <a href="/author/ann">Ann Lee</a> and <a href="/author/bob">Bob Stone</a></p>')
    assert authors_of(html)[0] == ["Ann Lee", "Bob Stone"]


def test_a_byline_word_alone_in_its_element_names_the_next_one() -> None:
    html = page(body="<div><div>By</div><div>Jerry Chu</div><div>|</div><div>6 mins</div></div>")
    assert authors_of(html)[0] == ["Jerry Chu"]


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Von Anna Müller", "Anna Müller"),
        ("par Jeanne Dupont", "Jeanne Dupont"),
        ("por María López", "María López"),
        ("door Jan Smit", "Jan Smit"),
        ("av Lars Svensson", "Lars Svensson"),
        ("di Marco Rossi", "Marco Rossi"),
    ],
)
def test_byline_words_of_other_languages(byline: str, name: str) -> None:
    assert authors_of(page(body=f"<p>{byline}</p>"))[0] == [name]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Autor: Peter Maahn/SP-X", ["Peter Maahn"]),  # the agency after a slash
        ("Von Anna Berg /dpa", ["Anna Berg"]),
        ("By Ann Lee/Bob Stone", ["Ann Lee", "Bob Stone"]),  # two people: two words after the slash
        ("By Ann Lee / Bob Stone", ["Ann Lee", "Bob Stone"]),
        ("By Ann Lee/The Local", ["Ann Lee"]),  # a site after the slash: no second person
        ("By Ann Lee, on December 3", ["Ann Lee"]),  # a phrase's word opens no name
        ("by jancak", ["jancak"]),  # a user name in lower case
        ("by damianduchamps on August 3, 2019", ["damianduchamps"]),  # ...with the byline's date after it
        ("by sam_k", ["sam_k"]),
    ],
)
def test_what_follows_a_name_in_a_text_byline_is_cut(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f"<p>{byline}</p>"))[0] == names


@pytest.mark.parametrize(
    "sentence",
    [
        "by signing in you agree to our terms",
        "by logging in to your account",
        "by registering at our site",
        "by clicking on Accept",
        "von heute am Montag",
        "by far - the best",
    ],
)
def test_a_lower_case_word_after_by_in_a_sentence_is_no_user_name(sentence: str) -> None:
    assert authors_of(page(body=f"<p>{sentence}</p>"))[0] == []


@pytest.mark.parametrize(
    ("head", "body", "names"),
    [
        ('<meta name="author" content="To Lam">', "", ["To Lam"]),
        ('<meta name="author" content="On Kawara">', "", ["On Kawara"]),
        ('<meta name="author" content="Ann Lee/Bob Stone">', "", ["Ann Lee", "Bob Stone"]),
        ('<meta name="author" content="Tomson Highway, From Masculindians">', "", ["Tomson Highway"]),
        ("", '<p class="byline">By In Young Park</p>', ["In Young Park"]),
        ("", "<p>By To Lam</p>", ["To Lam"]),
        ("", "<p>By Ann Lee, for the Daily Planet</p>", ["Ann Lee"]),  # a phrase: "for" and a lower-case word
        ("", "<p>By Tomson Highway and From Masculindians</p>", ["Tomson Highway"]),  # "from" opens no name
    ],
)
def test_a_name_may_open_with_a_word_phrases_open_with(head: str, body: str, names: list[str]) -> None:
    assert authors_of(page(head, body))[0] == names


@pytest.mark.parametrize(
    "sentence",
    [
        # "von" as a preposition after a link, a lower-case word and a sentence's words after it
        "<p>Der Umsatz stieg laut <a href='/s'>Statista</a> von rund 1,4 Milliarden Umsatz in 2021.</p>",
        # its first part is no name, a later one would read as one
        "<p>Die Käufe <a href='/k'>im PSPP</a> von Wertpapieren des öffentlichen Sektors (PSPP, Start März 2015).</p>",
    ],
)
def test_a_sentence_that_reads_von_as_a_preposition_is_no_byline(sentence: str) -> None:
    assert authors_of(page(body=sentence))[0] == []


def test_a_photo_credit_is_not_the_author() -> None:
    html = page(body="<figure><figcaption>Photo by Jane Roe</figcaption></figure><p>Text von Max Muster</p>")
    assert authors_of(html)[0] == ["Max Muster"]


def test_people_and_the_publishing_organisation_are_kept_apart() -> None:
    html = page(
        jsonld(
            '{"@type": "NewsArticle", "headline": "A headline",'
            ' "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bob Stone"}],'
            ' "publisher": {"@type": "Organization", "name": "The Daily Planet"}}'
        )
    )
    assert authors_of(html) == (["Ann Lee", "Bob Stone"], "The Daily Planet", "jsonld")


def test_an_organisation_given_as_author_is_the_publisher_not_an_author() -> None:
    html = page(
        jsonld(
            '{"@type": "NewsArticle", "headline": "A headline", "author": {"@type": "Organization", "name": "Acme"}}'
        )
    )
    assert authors_of(html) == ([], "Acme", "jsonld:author")


def test_the_site_name_is_the_publisher() -> None:
    html = page('<meta property="og:site_name" content="River Weekly">', '<p class="byline">By Ann Lee</p>')
    assert authors_of(html) == (["Ann Lee"], "River Weekly", "meta:og:site_name")


def test_a_twitter_handle_is_not_an_author() -> None:
    assert authors_of(page('<meta name="twitter:creator" content="@annlee">'))[0] == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Luke Kim December 12, 2025", ["Luke Kim"]),
        ("Rachel MacDonald Writer", ["Rachel MacDonald"]),
        ("Harry Rabinowitz Tech Reporter", ["Harry Rabinowitz"]),
        ("Recipe by PJ Hamel", ["PJ Hamel"]),
        ("Interview: Julia Lauter", ["Julia Lauter"]),
        ("Tom May", ["Tom May"]),
        ("ByAlex Bozarjian", ["Alex Bozarjian"]),
        ("Written by:Elise Nass", ["Elise Nass"]),
        ("By Byron Smith", ["Byron Smith"]),
        ("Genaveve Bradshaw ⋅ Senior Review Editor", ["Genaveve Bradshaw"]),
        ("Ziyi Xu, Dec", ["Ziyi Xu"]),
    ],
)
def test_what_a_byline_puts_around_a_name_is_not_part_of_it(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f'<p class="byline">{byline}</p>'))[0] == names


def authors_at(html: str, url: str) -> list[str]:
    return extract_article(html, url, fetched_at=FETCHED).authors


def test_a_person_node_named_like_the_site_s_host_is_its_author() -> None:
    html = page(
        '<meta property="og:site_name" content="Ash\'s Blog">'
        + jsonld(
            '{"@type": "BlogPosting", "headline": "A headline", "author": {"@type": "Person", "name": "Ash Vardanian"}}'
        )
    )
    assert authors_at(html, "https://ashvardanian.com/posts/search") == ["Ash Vardanian"]


def test_an_author_reference_to_a_person_node_that_also_publishes_the_site() -> None:
    graph = (
        '{"@graph": [{"@type": "Article", "headline": "A headline",'
        ' "author": {"name": "Gabby Boucher", "@id": "https://gabby.example/#/person/1"},'
        ' "publisher": {"@id": "https://gabby.example/#/person/1"}},'
        ' {"@type": ["Person", "Organization"], "@id": "https://gabby.example/#/person/1", "name": "Gabby Boucher"}]}'
    )
    html = page('<meta property="og:site_name" content="Budget Travel With Gabby">' + jsonld(graph))
    assert authors_at(html, "https://gabby.example/insurance/") == ["Gabby Boucher"]


def test_a_person_node_with_the_site_s_own_name_is_the_site() -> None:
    html = page(
        '<meta property="og:site_name" content="USA TODAY">'
        + jsonld(
            '{"@type": "NewsArticle", "headline": "A headline", "author": {"@type": "Person", "name": "USA TODAY"}}'
        )
    )
    assert authors_at(html, "https://www.usatoday.com/story/a/") == []


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="page-wrapper blog-sidebar-right">',
        '<div class="main with-navigation">',
        '<div id="masthead-empty">',
    ],
)
def test_a_layout_wrapper_named_after_a_sidebar_that_holds_the_headline_hides_no_byline(wrapper: str) -> None:
    html = (
        f"<html><head><title>A headline</title></head><body>{wrapper}<h1>A headline</h1>"
        f'<p class="byline">By <a rel="author" href="/author/ann">Ann Lee</a></p>{PARAGRAPH}</div>'
        '<div class="sidebar"><p class="byline">By Bob Stone</p></div></body></html>'
    )
    assert authors_of(html)[0] == ["Ann Lee"]


def test_a_sidebar_without_the_headline_still_hides_its_byline() -> None:
    html = (
        "<html><head><title>A headline</title></head><body><header class='site-header'>"
        "<h1><a href='/'>River Weekly</a></h1><p class='byline'>By Bob Stone</p></header>"
        f"<h1>A headline</h1>{PARAGRAPH}</body></html>"
    )
    assert authors_of(html)[0] == []


def test_an_elementor_widget_is_a_block_of_the_page_not_a_sidebar_widget() -> None:
    html = (
        "<html><head><title>A headline</title></head><body>"
        '<div class="elementor-widget elementor-widget-heading"><h1>A headline</h1></div>'
        '<div class="elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">'
        f"<h3>Written by Ann Lee</h3>{PARAGRAPH}</div></div>"
        '<div class="widget widget_text"><h3>Written by Bob Stone</h3></div></body></html>'
    )
    assert authors_of(html)[0] == ["Ann Lee"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ('By <a href="/c/aj">A. J. Neal</a> <a href="/digital">View In Digital Edition</a>', ["A. J. Neal"]),
        (
            'Von <a href="/a/lf">Lars Fischer</a> und <a href="/a/as">Alina Schadwinkel</a>',
            ["Lars Fischer", "Alina Schadwinkel"],
        ),
    ],
)
def test_a_byline_whose_name_is_a_link_ends_with_the_link(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f"<p>{byline}</p>"))[0] == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Posted by Colin Watson in debusine", ["Colin Watson"]),
        ("Posted by Nesselsetzer under Just For Fun", ["Nesselsetzer"]),
        ("Uta Staschewski, Projektleiterin der HSS", ["Uta Staschewski"]),
        ("Matt Check, Co-Founder", ["Matt Check"]),
        ("Autor/in: Korinna Hennig", ["Korinna Hennig"]),
    ],
)
def test_categories_and_job_titles_after_a_name_are_not_names(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f'<p class="byline">{byline}</p>'))[0] == names


@pytest.mark.parametrize(
    "organisation",
    [
        "Bund der Energieverbraucher e.V.",
        "wegewerk GmbH",
        "SmartEtailing Inc",
        "Newsdesk",
        "Garden Learning Network",
        "Oxford University",
        "Ministry of Health",
    ],
)
def test_an_organisation_s_legal_name_in_the_author_tag_is_no_person(organisation: str) -> None:
    html = page(f'<meta name="author" content="{organisation}">', '<p class="byline">Von Leonora Holling</p>')
    assert authors_of(html)[0] == ["Leonora Holling"]


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("Benjamin Johnson, Sr. Director of Operations", ["Benjamin Johnson"]),
        ("Ann Lee, Vice Director of Research", ["Ann Lee"]),
        ("John Smith, Sr.", ["John Smith, Sr."]),  # a name's suffix, not a job title's
    ],
)
def test_a_job_title_after_the_structured_author_s_name_is_no_name(author: str, names: list[str]) -> None:
    assert authors_of(page(jsonld(f'{{"@type": "Article", "author": "{author}"}}')))[0] == names


def test_a_person_and_the_organisation_after_a_comma_in_the_structured_author() -> None:
    html = page(jsonld('{"@type": "Article", "author": "Arlene Marturano, South Carolina Garden Learning Network"}'))
    assert authors_of(html)[0] == ["Arlene Marturano"]


def test_microdata_authors_of_other_articles_on_the_page_are_not_the_article_s() -> None:
    """A page's ``<body>`` typed as the Article holds the sidebar's cards of other posts, each with its
    ``itemprop=author``; and the first Article-typed scope may be a related story's card."""
    card = (
        '<article class="home-post"><h4><a href="/b">Another story</a></h4>'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Bob Stone'
        "</span></span></article>"
    )
    sidebar = (
        '<html><head><title>A headline</title></head><body itemscope itemtype="https://schema.org/Article">'
        '<main><article><h1 itemprop="headline">A headline</h1><p>by <span itemprop="author" itemscope'
        ' itemtype="https://schema.org/Person"><span itemprop="name">Ann Lee</span></span></p>'
        f'{PARAGRAPH}</article><div class="column-sidebar">{card}{card}</div></main></body></html>'
    )
    assert authors_of(sidebar)[0] == ["Ann Lee"]
    # a layout's modifier saying the page has a sidebar ("p-body-main--withSidebar") holds the article
    framed = sidebar.replace("<main>", '<main class="p-body-main--withSidebar has-sidebar">')
    assert read_structured(load_page(framed, "https://news.example.org/a").tree).microdata["author"] == ["Ann Lee"]
    related = (
        "<html><head><title>A headline</title></head><body><main><article><h1>A headline</h1>"
        f'{PARAGRAPH}</article><aside class="related-content">'
        '<article itemscope itemtype="https://schema.org/Article"><h3>Another story</h3>'
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">By Bob Stone'
        "</span></div></article></aside></main></body></html>"
    )
    assert authors_of(related)[0] == []


MICRODATA_AUTHOR = (
    '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ann Lee</span></span>'
)


@pytest.mark.parametrize(
    ("wrapper", "inner"),
    [
        # wrappers named after the layout around the article (Genesis' "content-sidebar-wrap")
        ("content-sidebar-wrap", f"<p>{MICRODATA_AUTHOR}</p>"),
        ("container layout-right-sidebar", f"<p>{MICRODATA_AUTHOR}</p>"),
        ("sidebar-left", f"<p>{MICRODATA_AUTHOR}</p>"),
        ("article-teaser-layout", f"<p>{MICRODATA_AUTHOR}</p>"),
        ("post comments-open", f"<p>{MICRODATA_AUTHOR}</p>"),
        ("commentary", '<meta itemprop="author" content="Ann Lee">'),
        # the article's own author box, in an <aside> of the article
        ("wrap", f"<aside class='author-box'>Written by {MICRODATA_AUTHOR}</aside>"),
        ("wrap", f"<aside class='entry-meta'>{MICRODATA_AUTHOR} · May 2</aside>"),
    ],
)
def test_the_article_s_own_microdata_author_stays_whatever_the_layout_around_it(wrapper: str, inner: str) -> None:
    html = (
        f'<html><head><title>A headline</title></head><body><div class="{wrapper}"><main>'
        '<article itemscope itemtype="https://schema.org/BlogPosting"><h1 itemprop="headline">A headline</h1>'
        f'{inner}{PARAGRAPH}</article></main><div class="sidebar">x</div></div></body></html>'
    )
    assert read_structured(load_page(html, "https://news.example.org/a").tree).microdata.get("author") == ["Ann Lee"]
    assert authors_of(html)[0] == ["Ann Lee"]


def test_a_last_changed_label_is_no_name() -> None:
    assert authors_of(page(body='<p class="byline">Zuletzt geändert am</p>'))[0] == []


def test_a_date_line_glued_to_its_update_by_the_markup_gives_the_publication_date() -> None:
    html = page(
        body='<div class="article-meta"><a href="/c/health">Mental Health</a><span class="dateline">DECEMBER 22, 2022'
        '</span><span class="dateline updated">Updated: JANUARY 02, 2026</span></div>'
    )
    assert published(html)[0] == "2022-12-22"


def test_a_time_element_without_datetime_gives_its_text_and_an_update_one_is_left_out() -> None:
    html = page(
        body='<div class="post-info"><time class="entry-modified-time">Updated October 28, 2024</time>'
        '<span> · </span><time class="entry-time">April 26, 2024</time></div>'
    )
    assert published(html)[0] == "2024-04-26"


@pytest.mark.parametrize(
    "box",
    [
        '<div class="elementor-author-box__text"><h4 class="elementor-author-box__name">Liz Kenny</h4>'
        '<div class="elementor-author-box__bio">Liz Kenny is a former McKinsey consultant.</div></div>',
        '<div class="c-author"><p class="c-author__name">Liz Kenny</p><p>Former consultant</p></div>',
    ],
)
def test_an_author_box_s_name_element_names_the_author(box: str) -> None:
    assert authors_of(page(body=box))[0] == ["Liz Kenny"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Personal finance", []),
        ("By European rental agencies.)", []),
        ("Sat", []),
        ("Written By", []),
        ("Full Bio", []),
        ("By Marna van der Merwe", ["Marna van der Merwe"]),
        ("by annette thurmon", ["annette thurmon"]),
    ],
)
def test_a_phrase_or_a_label_in_a_byline_is_no_name(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f'<p class="byline">{byline}</p>'))[0] == names


def test_html_entities_in_structured_data_are_read_as_characters() -> None:
    html = page(jsonld('{"@type": "BlogPosting", "headline": "A headline", "author": "Maria &amp; Katerina"}'))
    assert authors_of(html)[0] == ["Maria", "Katerina"]


def test_a_job_title_after_a_comma_behind_the_linked_name_is_not_a_name() -> None:
    html = page(
        body='<span class="author-name"><a href="/author/brett-cruz/">Brett Cruz</a>'
        "<span>, Privacy and Digital Security Expert</span></span>"
    )
    assert authors_of(html)[0] == ["Brett Cruz"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Mohammed al-Shami", ["Mohammed al-Shami"]),
        ("Valéry Giscard d'Estaing", ["Valéry Giscard d'Estaing"]),
        ("By Carlos de los Santos", ["Carlos de los Santos"]),
        ("By Fatima bint Mubarak", ["Fatima bint Mubarak"]),
        ("By E. V. Lucas", ["E. V. Lucas"]),
    ],
)
def test_names_with_particles_or_initials_are_names(byline: str, names: list[str]) -> None:
    """A particle in lower case, or joined to the name ("al-Shami", "d'Estaing"), and initials
    that read like a German association's "e. V." keep the name a name."""
    assert authors_of(page(body=f'<p class="byline">{byline}</p>'))[0] == names


def test_an_element_marked_up_as_the_author_holds_a_name_even_with_a_word_in_lower_case() -> None:
    assert authors_of(page(body='<span itemprop="author">Gabriele d’Annunzio</span>'))[0] == ["Gabriele d’Annunzio"]


def test_co_authors_after_the_linked_name_are_kept() -> None:
    html = page(body='<div class="byline">By <a href="/author/jane-doe/">Jane Doe</a>, John Smith and Ann Lee</div>')
    assert authors_of(html)[0] == ["Jane Doe", "John Smith", "Ann Lee"]


@pytest.mark.parametrize(("label", "name"), [("Written by", "Nawaz Dhandala"), ("Verfasst von", "Jana Krüger")])
def test_the_platforms_written_by_meta_tags_name_the_author(label: str, name: str) -> None:
    """Yoast and Ghost write the author as a label and its data: ``twitter:label1`` "Written by"."""
    html = page(
        f'<meta name="twitter:label1" content="{label}"><meta name="twitter:data1" content="{name}">'
        '<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="9 minutes">'
    )
    article = extract_article(html, "https://news.example.org/a/story", fetched_at=FETCHED)
    assert (article.authors, article.provenance["authors"]) == ([name], "meta:twitter:data1")


@pytest.mark.parametrize(
    "script",
    [
        '<script>var state = {"comments": [{"author": "Ann Lee", "text": "Nice."}]};</script>',  # a comment's
        '<script>var state = {"author": {"__typename": "Organization", "name": "Vox Media"}};</script>',
    ],
)
def test_an_author_only_the_page_s_script_state_names_is_not_read(script: str) -> None:
    """The first "author" of a script may be a comment's, a listed article's or an organisation."""
    assert authors_of(page(body=script))[0] == []


def test_a_written_by_tag_giving_the_company_s_account_is_no_author() -> None:
    """Yoast's "Written by" is the WordPress account's display name, often the site's or company's."""
    html = page(
        '<meta property="og:site_name" content="Volksblatt">'
        '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="OÖ Volksblatt">'
    )
    assert authors_at(html, "https://volksblatt.at/chronik/a-822151/") == []


SAM = '<meta property="og:site_name" content="Sam Bossley">'


@pytest.mark.parametrize(
    ("head", "body", "url", "owner"),
    [
        (  # a link to the person's profiles, reading the name
            SAM + '<meta name="author" content="Sam Bossley">',
            '<footer><a rel="me" href="https://social.example/@sam">Sam Bossley</a></footer>',
            "https://sam.bossley.com/thoughts/zig",
            "Sam Bossley",
        ),
        (  # a Person node of the name (the site's, not the article's)
            jsonld(
                '{"@graph": [{"@type": "NewsArticle", "headline": "A headline", "author": "Rick Steves"},'
                ' {"@type": "WebSite", "author": {"@id": "#owner"}},'
                ' {"@type": "Person", "@id": "#owner", "name": "Rick Steves"}]}'
            ),
            "",
            "https://www.ricksteves.com/travel-tips/insurance",
            "Rick Steves",
        ),
        (  # the personal site's "About <given name>" page
            '<meta name="author" content="Rick Steves">',
            '<nav><a href="/about-rick">About Rick</a></nav>',
            "https://www.ricksteves.com/travel-tips/insurance",
            "Rick Steves",
        ),
        (  # the page is a profile
            '<meta property="og:site_name" content="Kristian Larsen"><meta property="og:type" content="profile">'
            '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Kristian Larsen">',
            "",
            "https://www.kristian-larsen.com/reviews/a/",
            "Kristian Larsen",
        ),
    ],
)
def test_a_personal_site_s_author_tag_naming_the_site_is_its_owner(head: str, body: str, url: str, owner: str) -> None:
    """An author tag naming the site, written as a person's name whose letters are the host's, on a
    page that shows the site as the person's."""
    assert authors_at(page(head, body), url) == [owner]


@pytest.mark.parametrize(
    ("head", "body", "url"),
    [
        ('<meta name="author" content="USA TODAY">', "", "https://www.usatoday.com/story/a/"),  # no name's case
        (SAM, "", "https://sam.bossley.com/thoughts/zig"),  # the site's name alone: "Golf Post" on golfpost.de
        (SAM + '<meta name="author" content="Sam Bossley">', "", "https://news.example.org/a/"),  # not the host
        # brands named after people: nothing shows the site as a person's
        (SAM + '<meta name="author" content="Sam Bossley">', "", "https://sam.bossley.com/thoughts/zig"),
        (
            '<meta name="author" content="Goldman Sachs">',
            '<nav><a href="/about">About Goldman Sachs</a></nav>',
            "https://www.goldmansachs.com/insights/a/",
        ),
        (
            '<meta property="og:site_name" content="Ralph Lauren"><meta name="author" content="Ralph Lauren">',
            "",
            "https://www.ralphlauren.com/stories/a/",
        ),
        (  # a Person node named like the og:site_name is the site, not evidence of a person
            '<meta property="og:site_name" content="Morgan Stanley">'
            + jsonld('{"@type": "Article", "author": {"@type": "Person", "name": "Morgan Stanley"}}'),
            "",
            "https://www.morganstanley.com/ideas/a/",
        ),
        # words the text writes in lower case are a company's name, not a person's
        (
            '<meta name="author" content="Quiet Light">',
            "<p>A quiet light for your home.</p>",
            "https://quietlight.com/a/",
        ),
        (
            jsonld('{"@type": "Article", "author": {"@type": "Organization", "name": "Stitch Data"}}'),
            "",
            "https://www.stitchdata.com/a/",
        ),
        (  # the structured data types the name as an organisation
            '<meta name="author" content="Presse Augsburg">'
            + jsonld('{"@type": "NewsMediaOrganization", "name": "Presse Augsburg"}'),
            "",
            "https://presse-augsburg.de/a/",
        ),
    ],
)
def test_a_site_name_given_as_author_that_is_no_person_s_or_not_the_host_s_is_no_author(
    head: str, body: str, url: str
) -> None:
    assert authors_at(page(head, body), url) == []


#: A post its writer tells in the first person ("I", "my"), as a personal site's owner does.
FIRST_PERSON = (
    "<p>I moved my blog to a new host last month. I had put it off for years, my old setup worked.</p>"
    "<p>I tried three hosts and I kept the cheapest; my pages load faster now, and I am glad I did it, as I said.</p>"
)
#: Commenters speaking of themselves in German.
GERMAN_FIRST_PERSON = (
    "Ich finde, mein Vater hatte recht. Ich habe mir das lange überlegt, ich bleibe dabei; mich stört nur"
    " meine Zeit. Ich danke euch, ich schreibe mir das auf, mein Dank, ich auch, mir auch, ich sowieso."
)
#: A company's page: it speaks as "we", with a founder's quote in the first person.
COMPANY_VOICE = (
    "<p>We help families plan their finances. Our advisers and our partners serve clients in three states,"
    " and we are proud of our team. We answer within a day; our offices are open to us all week.</p>"
    '<p>"I founded the firm because I saw my neighbours lose their savings," says its founder; "I still'
    ' meet my first clients," he adds, "and I know I owe them my career. I thank them, I said."</p>'
)


@pytest.mark.parametrize(
    "body",
    [
        COMPANY_VOICE,  # a company named after its founders speaks as "we", a quote says "I"
        FIRST_PERSON.replace("I ", "they ").replace("my ", "their "),  # no first person at all
        "<p>I moved my blog. I had put it off; my old setup worked.</p>",  # "I" a few times only
        # the first person is the commenters', not the site's, in English or German
        f'<section id="comments"><ol class="comment-list"><li>{FIRST_PERSON}</li></ol></section>',
        f'<section class="kommentare"><p>{GERMAN_FIRST_PERSON}</p></section>',
        # an employee's post told in the first person on the firm's blog (its byline unread)
        f'<div class="css-x1"><span class="t-sm">Jane Roe, CPA</span></div>{FIRST_PERSON}',
        # an interview: the one asked answers "I"
        "<p><b>Q:</b> How did you start?</p><p><b>A:</b> I started in my garage. I had my father's tools.</p>"
        "<p><b>Q:</b> What next?</p><p><b>A:</b> I want to grow. My plan: I hire, I train, I listen to my clients.</p>",
        # a founder quoted
        f"<blockquote>{FIRST_PERSON}</blockquote>",
        # a guest post, the guest named in a box no rule reads
        f'<div class="x9"><strong>Ann Lee</strong> is a nurse in Ohio.</div>{FIRST_PERSON}',
        # Roman numerals in capitals
        "<p>" + "Type I diabetes and World War I; Part I; Phase I; Henry I; Class I. " * 2 + "</p>",
    ],
)
def test_a_site_named_after_a_person_whose_page_does_not_speak_as_one_is_no_author(body: str) -> None:
    """A text in the first person does not show the site as a person's: employees, the interviewed,
    guests, the quoted and commenters say "I" on a firm's site as on a personal one."""
    html = page(
        '<meta property="og:site_name" content="Warren Averett"><meta name="author" content="Warren Averett">',
        body,
    )
    assert authors_at(html, "https://warrenaverett.com/insights/retirement/") == []


def test_a_byline_wins_over_the_site_s_owner() -> None:
    html = page(SAM + '<meta name="author" content="Sam Bossley">', '<p class="byline">By Ann Lee</p>')
    assert authors_at(html, "https://sam.bossley.com/guest/") == ["Ann Lee"]


PAIGE = '<meta property="og:site_name" content="Paige Brunton"><meta name="author" content="Paige Brunton">'


@pytest.mark.parametrize(
    ("head", "body", "url"),
    [
        # a byline only repeats the author tag: a brand named like a person, a firm, a periodical
        (
            '<meta name="author" content="Ralph Lauren">',
            '<div class="post-author">By Ralph Lauren</div>',
            "https://www.ralphlauren.com/stories/a",
        ),
        (
            '<meta name="author" content="Baker McKenzie">',
            '<span class="byline">Baker McKenzie</span>',
            "https://www.bakermckenzie.com/insight/a",
        ),
        (
            '<meta name="author" content="Golf Post">',
            '<div class="article-author"><a href="/author?id=7">Golf Post</a></div>',
            "https://www.golfpost.de/news/a/",
        ),
        (  # a builder's byline on a personal site is no evidence either: the owner needs rel=me, an about link...
            PAIGE,
            '<div class="blog-meta-item blog-meta-item--author">Written By Paige Brunton</div>',
            "https://www.paigebrunton.com/blog/freelance",
        ),
        (  # the owner answering a comment
            PAIGE,
            '<ol class="comment-list"><li><span class="comment-author">Paige Brunton</span> Thank you!</li></ol>',
            "https://www.paigebrunton.com/blog/freelance",
        ),
    ],
)
def test_a_byline_naming_the_site_is_no_evidence_of_an_owner(head: str, body: str, url: str) -> None:
    assert authors_at(page(head, body), url) == []


def test_an_organisation_nested_as_the_publisher_is_no_owner() -> None:
    """An about-me-like link would make "Martha Stewart" the owner of marthastewart.com; the publisher
    node nested in the article names her as an organisation."""
    head = '<meta name="author" content="Martha Stewart">' + jsonld(
        '{"@type": "Article", "headline": "A headline",'
        ' "publisher": {"@type": "Organization", "name": "Martha Stewart"}}'
    )
    body = '<a rel="me" href="https://social.example/@martha">Martha Stewart</a>'
    assert authors_at(page(head, body), "https://www.marthastewart.com/a/story") == []


@pytest.mark.parametrize("name", ["Jonathan Rosenblatt", "Anna Feigenblatt", "Emily Post", "Bart Post"])
def test_an_owner_whose_name_ends_like_a_periodical_s_word(name: str) -> None:
    """A person's name ending in "post" or "blatt", shown as the site's owner by a rel=me link."""
    head = f'<meta name="author" content="{name}">'
    body = f'<a rel="me" href="https://social.example/@me">{name}</a>'
    url = f"https://{name.replace(' ', '').lower()}.com/blog/a"
    assert authors_at(page(head, body), url) == [name]


@pytest.mark.parametrize(
    ("author", "byline", "names"),
    [
        ("janeroe", "<p>Von Jane Roe</p>", ["Jane Roe"]),  # a login in the structured data, the name in the text
        ("jane.roe", '<span class="author-name">Jane Roe</span>', ["Jane Roe"]),
        ("jane-roe", '<p class="byline">By <a href="/author/jane-roe">Jane Roe</a></p>', ["Jane Roe"]),
        ("jane_roe", "<p>Von Jane Roe</p>", ["Jane Roe"]),
        ("janeroe", "", ["janeroe"]),  # nothing else names anyone: the login is kept
        ("Stefanus", "<p>Von Jane Roe</p>", ["Stefanus"]),  # a name written capitalised is no login
        ("anna_k", "<p>Von Jane Roe</p>", ["anna_k"]),  # a later layer naming someone else is not the login's
    ],
)
def test_a_login_in_the_structured_data_gives_way_to_a_byline_writing_its_letters(
    author: str, byline: str, names: list[str]
) -> None:
    html = page(jsonld(f'{{"@type": "NewsArticle", "author": {{"@type": "Person", "name": "{author}"}}}}'), byline)
    assert authors_of(html)[0] == names


@pytest.mark.parametrize(
    "credit",
    [
        # an image's licence line names its photographer with the byline's class
        '<div class="license-info"><span class="author-name"><a href="https://commons.example/File:Mouse.jpg">'
        "Max Muster</a></span></div>",
        '<figure><img src="/mouse.jpg" alt=""><figcaption>Photo: <span class="author-name">Max Muster</span>'
        "</figcaption></figure>",
        '<div class="img-credit"><span class="byline-author">Max Muster</span></div>',
    ],
)
def test_an_image_s_credit_marked_as_an_author_is_not_the_article_s(credit: str) -> None:
    html = page(body=f'{credit}<div class="author"><p>Autor <span>Jane Roe:</span></p></div>')
    assert authors_of(html)[0] == ["Jane Roe"]


RELATED_CARD = (
    '<div class="more-stories"><div class="card"><a href="/b">Another story</a>'
    '<span class="author-name">Bob Stone</span></div></div>'
)


@pytest.mark.parametrize(
    "header",
    [
        '<header class="entry-header has-image"><div class="entry-meta"><span class="author-name">Jane Roe</span>'
        "</div></header>",
        '<div class="hero hero--image"><span class="author-name">Jane Roe</span></div>',
        '<div class="post-header with-image"><p><span class="author-name">Jane Roe</span></p></div>',
        '<div class="image-header"><div><span class="byline-author">Jane Roe</span></div></div>',
        '<div class="photo-story"><span class="author-name">Jane Roe</span></div>',
        '<div class="article-credits"><span class="byline-author">Jane Roe</span>'
        ' <span class="photographer">Photos: Max Muster</span></div>',
        '<figure class="lead"><img src="/a.jpg" alt=""></figure><div><span class="author-name">Jane Roe</span></div>',
    ],
)
def test_a_header_named_after_its_image_holds_the_article_s_byline(header: str) -> None:
    """An image's word in a header's class is no credit line: its byline is the article's, not the related
    card's after the body."""
    html = page(body=header).replace("</article>", f"{RELATED_CARD}</article>")
    assert authors_of(html)[0] == ["Jane Roe"]


def test_an_author_box_named_after_its_photo_and_name_is_no_credit() -> None:
    """The box's class names the author's photo and name: the byline's markup reads it (not the
    generic fallback after it)."""
    html = page(
        body='<div class="author-photo-and-name"><img src="/j.jpg" alt="">'
        '<span class="author-name">Jane Roe</span></div>'
    )
    article = extract_article(html, "https://news.example.org/a/story", fetched_at=FETCHED)
    assert (article.authors, article.provenance.get("authors")) == (["Jane Roe"], "markup:byline")


def test_an_author_box_with_a_photo_beside_the_name_is_no_credit() -> None:
    html = page(
        body='<div class="author-box"><img class="author-photo" src="/jane.jpg" alt="">'
        '<div class="author-image-wrapper"><img src="/j.jpg" alt=""></div>'
        '<span class="author-name">Jane Roe</span></div>'
    )
    assert authors_of(html)[0] == ["Jane Roe"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Geschrieben von Jan Berg", ["Jan Berg"]),
        ("Verfasst von: jberg", ["jberg"]),  # a blog's user name after its label
        ("Escrito por Ana María López", ["Ana María López"]),
        ("Écrit par Jean Dupont", ["Jean Dupont"]),
        ("Scritto da Mario Rossi", ["Mario Rossi"]),
        ("Geschreven door Pieter de Vries", ["Pieter de Vries"]),
        ("Skrevet af Mette Holm", ["Mette Holm"]),
        ("Scritto da Mario Rossi il 3 marzo 2024", ["Mario Rossi"]),  # the date's article cut with it
    ],
)
def test_a_byline_s_verb_and_word_in_other_languages(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f"<p>{byline}</p>"))[0] == names


@pytest.mark.parametrize(
    "text",
    [
        "Veröffentlicht von der Stadt Wien",  # an organisation, in lower-case words
        "Erstellt von unserem Team",
        "Publicado por la redacción",
        # a publishing verb before a capitalised organisation: a desk or the publication publishes
        "Publié par Le Monde",
        "Erstellt von Deutsche Bahn",
        "Veröffentlicht von Stadt Wien",
        "Pubblicato da Comune di Roma",
        # a newsroom's word in other languages
        "Geschreven door Redactie",
        "Napisane przez Redakcja",
        "Skrevet af Redaktionen",
    ],
)
def test_a_byline_s_verb_before_no_name_names_no_one(text: str) -> None:
    assert authors_of(page(body=f"<p>{text}</p>"))[0] == []


@pytest.mark.parametrize("name", ["Da Silva", "Anna da Silva"])
def test_da_is_a_name_s_particle_where_no_verb_stands_before_it(name: str) -> None:
    html = page(jsonld(f'{{"@type": "NewsArticle", "author": {{"@type": "Person", "name": "{name}"}}}}'))
    assert authors_of(html)[0] == [name]


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"),
        ("dpa-Korrespondentin Anna Berg", "Anna Berg"),
        ("BBC-correspondent Jane Roe", "Jane Roe"),
        ("Jean-Luc Picard", "Jean-Luc Picard"),  # a hyphenated given name is no job title
    ],
)
def test_a_job_title_compounded_before_a_name_is_cut(author: str, name: str) -> None:
    html = page(jsonld(f'{{"@type": "NewsArticle", "author": {{"@type": "Person", "name": "{author}"}}}}'))
    assert authors_of(html)[0] == [name]


def meta(name: str, *values: str) -> str:
    return "".join(f'<meta name="{name}" content="{v}">' for v in values)


@pytest.mark.parametrize(
    ("head", "names"),
    [
        # Google Scholar's tags, one an author, written "Last, First"
        (
            meta("citation_author", "Roy, Ann", "Patel, Jyoti", "van der Merwe, Marna"),
            ["Ann Roy", "Jyoti Patel", "Marna van der Merwe"],
        ),
        (meta("dc.creator", "Lee, Ann"), ["Ann Lee"]),
        # a degree or a job title after the comma is no given name
        (meta("citation_author", "Cathy Wong, ND"), ["Cathy Wong, ND"]),
        (meta("dc.creator", "Jane Doe, Senior Editor"), ["Jane Doe"]),
        # the scholarly tags list every author where dc.creator gives the first
        (
            meta("dc.creator", "Ann Lee") + meta("citation_authors", "Ann Lee; Bob Stone; Eve Park"),
            ["Ann Lee", "Bob Stone", "Eve Park"],
        ),
        (meta("dc.creator", "Ann Lee") + meta("citation_author", "Lee, Ann", "Stone, Bob"), ["Ann Lee", "Bob Stone"]),
        # a later tag naming other people does not replace the first
        (meta("author", "Ann Lee") + meta("citation_authors", "Bob Stone; Eve Park"), ["Ann Lee"]),
        # a plain author tag holding "Last, First"-like text is still a list ("Ann Lee, Bob Stone")
        (meta("author", "Ann Lee, Bob Stone"), ["Ann Lee", "Bob Stone"]),
        # flipped only "Surname, Given names": two people, a degree, a place, a publication stay as written
        (meta("dc.creator", "Ann Lee, Bob Stone"), ["Ann Lee", "Bob Stone"]),
        (meta("citation_author", "Ann Lee, Bob Stone"), ["Ann Lee", "Bob Stone"]),
        (meta("citation_author", "Merwe, J. R."), ["J. R. Merwe"]),
    ],
)
def test_scholarly_author_tags(head: str, names: list[str]) -> None:
    assert authors_of(page(head))[0] == names


@pytest.mark.parametrize(
    "value", ["Jane Doe, MBA", "Jane Doe, CFP", "Jane Doe, Berlin", "Jane Doe, NYT", "Jane Doe, Washington Post"]
)
def test_a_one_person_tag_s_name_and_what_follows_its_comma_are_not_flipped(value: str) -> None:
    """Not "MBA Jane Doe", "Berlin Jane Doe": what follows the name is no given name."""
    assert authors_of(page(meta("dc.creator", value)))[0][0] == "Jane Doe"


def test_an_author_tag_that_almost_reads_as_a_name_fails_quickly() -> None:
    """A word of letters that fails to be a name's at its end ("Aaa…a1") once backtracked exponentially.

    Read in a child process, so a regression fails here (the timeout) instead of hanging the suite.
    """
    word = "A" + "a" * 50 + "1"
    code = (
        "import sys; from archiver.extract import extract_article; "
        f"print(extract_article(sys.stdin.read(), 'https://{word.lower()}bob.com/a/').authors)"
    )
    html = page(f'<meta name="author" content="{word} Bob">')
    done = subprocess.run([sys.executable, "-c", code], input=html, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- fifth pass (branch meta4) -------------------------------------------------------------


def test_a_navigation_left_open_around_the_article_hides_no_byline() -> None:
    """An unclosed ``<nav>`` holds the whole page in the parsed tree: holding the headline, it is no menu."""
    html = (
        "<html><head><title>A headline</title></head><body><nav class='main-navigation'><ul><li>"
        "<a href='/guides/'>Guides</a><div class='menu-dropdown'>"
        f"<article><h1>A headline</h1><p class='byline'>Written by Emma Ryan</p>{PARAGRAPH}</article>"
        "</body></html>"
    )
    assert authors_of(html)[0] == ["Emma Ryan"]


@pytest.mark.parametrize("body", ["<h1>A headline</h1><article>", "<article><h1>A headline</h1>"])
def test_a_navigation_left_open_inside_a_wrapper_the_footer_follows_hides_no_byline(body: str) -> None:
    """The parser closes an unclosed ``<nav>`` at its wrapper's end, and the footer follows the wrapper:
    the ``<nav>`` still holds the headline in the ``<main>`` it holds, or the body's long text."""
    html = (
        "<html><head><title>A headline</title></head><body><div id='page'><header><nav><ul><li><a href='/'>Home"
        f"</a></li></ul><main>{body}<div class='x'>By Jane Doe</div>{PARAGRAPH}</article></main></div>"
        "<footer><p>(c) Site</p></footer></body></html>"
    )
    assert authors_of(html)[0] == ["Jane Doe"]


@pytest.mark.parametrize(
    "logo",
    [
        "<h1 class='logo'><a href='/'><img src='logo.png' alt='The Site'></a></h1>",  # an image: no text
        "<h1 class='logo'>The Site</h1>",  # a text, but the page goes on after the menu
    ],
)
def test_a_mega_menu_with_a_logo_heading_and_teasers_still_hides_their_bylines_and_dates(logo: str) -> None:
    html = (
        "<html><head><title>A headline</title><meta name='date' content='2023-05-01'></head><body>"
        f"<nav class='navbar'>{logo}<article class='teaser'><a href='/x'>Other story</a>"
        "<time datetime='2023-04-02'>April 2</time><span>By Carl Gross</span></article></nav>"
        f"<main><h2>A headline</h2><time datetime='2023-05-01'>May 1</time>{PARAGRAPH}</main></body></html>"
    )
    assert authors_of(html)[0] == []
    assert published(html)[0] == "2023-05-01"


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        ("", "<p>12 de marzo de 2021 por Redacción Deportes</p>"),
        ("", "<p>Par Rédaction Sport</p>"),
        ("", "<p>By The Editors</p>"),
        ("", "<p>By Acme Marketing</p>"),
        ("", "<div class='meta'><a href='/author/newsdesk24/'>newsdesk24</a></div>"),
        ("", "<div class='meta'><a href='/author/acme-marketing/'>Acme Marketing</a></div>"),
        (
            "<meta property='og:site_name' content='The Daily Planet'>",
            "<p><a href='/author/daily-planet'>Daily Planet</a></p>",
        ),
        ("<meta name='author' content='Daily Planet'><meta property='og:site_name' content='The Daily Planet'>", ""),
    ],
)
def test_a_desk_or_the_site_s_name_without_its_article_is_no_author(head: str, byline: str) -> None:
    assert authors_of(page(head, byline))[0] == []


def test_a_navigation_without_the_headline_still_hides_its_byline() -> None:
    html = (
        "<html><head><title>A headline</title></head><body><nav><p class='byline'>By Bob Stone</p></nav>"
        f"<article><h1>A headline</h1>{PARAGRAPH}</article></body></html>"
    )
    assert authors_of(html)[0] == []


@pytest.mark.parametrize("layout", ["main-content has-double-sidebar", "content with-sidebar", "wrap no-sidebar"])
def test_a_class_saying_the_layout_has_a_sidebar_is_no_sidebar(layout: str) -> None:
    html = (
        f"<html><head><title>A headline</title></head><body><h6>A headline</h6><div class='{layout}'>"
        f"<h5><em>Von Leonora Holling</em></h5>{PARAGRAPH}</div>"
        "<div class='sidebar'><p>Von Bob Stone</p></div></body></html>"
    )
    assert authors_of(html)[0] == ["Leonora Holling"]


def test_a_headline_opening_with_a_byline_word_is_no_byline() -> None:
    html = (
        "<html><head><title>Von Sprachregeln und Gender-Politik</title></head><body><article>"
        "<h1 class='title'>Von Sprachregeln, Gender-Politik und Deutsch</h1>"
        f"<p><span class='label'>Autor:</span> Fritz Imhof</p>{PARAGRAPH}</article></body></html>"
    )
    assert authors_of(html)[0] == ["Fritz Imhof"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Autor: Fritz Imhof Quelle: Livenet", ["Fritz Imhof"]),
        ("Autor: Anna von Berg Quelle: Livenet", ["Anna von Berg"]),
        ("By Ludwig van der Rohe Source: Archive", ["Ludwig van der Rohe"]),
        ("Text von Christian Seiler Illustration von Markus Roost", ["Christian Seiler"]),
        ("Words by Ann Lee Photos by Bob Stone", ["Ann Lee"]),
        ("Von wegen Entspannung: Teuerung kostet Sparer Geld", []),
    ],
)
def test_the_next_field_s_label_or_a_credit_after_a_name_ends_it(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=f"<p><em>{byline}</em></p>"))[0] == names


def test_the_fifth_pass_patterns_fail_quickly_on_long_hostile_input() -> None:
    """The next field's label, the credit words and the layout modifiers on long inputs that almost match,
    in a child process, so a regression fails here (the timeout) instead of hanging the suite."""
    code = (
        "from archiver.extract import extract_article; from archiver.extract.metadata import trim_name; "
        "print(trim_name('Ann ' + 'Aa' * 20000 + ' x'), trim_name('A ' * 20000 + 'x'), trim_name(' Foto' * 9000)[:3]); "
        "cls = 'has-' * 20000 + ' no' + '-x' * 20000; "
        "html = f'<html><body><div class=\"{cls}\"><p>By Ann Lee</p></div></body></html>'; "
        "print(extract_article(html, 'https://news.example.org/a/').authors)"
    )
    code += "; from archiver.extract.metadata import _USER_NAME; _USER_NAME.match('a' * 90000 + '!')"
    code += "; from archiver.extract.metadata import _byline_text; _byline_text('|' * 40 + ' ' * 30 + ' b' * 5)"
    # the sixth pass's slash cut
    code += "; from archiver.extract.metadata import _AFTER_SLASH; _AFTER_SLASH.search(' ' * 200000 + 'x')"
    code += "; _AFTER_SLASH.search('a' + ' ' * 90000 + 'x')"
    code += "; from archiver.extract.metadata import split_names; split_names('/Aa' * 30000 + ' ' * 30000)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "['Ann Lee']"


def test_a_date_the_text_calls_the_publication_date_outranks_a_generic_date_tag_and_time() -> None:
    html = page(
        '<meta name="date" content="2021-10-15"><meta name="dc.date" content="2021-10-15">',
        '<time datetime="2021-10-15">15.10.2021</time><p>Veröffentlicht 13.10.2021 Herausgeber: Pressestelle</p>',
    )
    assert published(html)[0] == "2021-10-13"


@pytest.mark.parametrize(
    "label",
    ["Veröffentlicht am Mittwoch, 13.10.2021", "Published: Wednesday, October 13, 2021", "Publié le mer. 13/10/2021"],
)
def test_a_weekday_between_the_publication_label_and_its_date_keeps_the_label(label: str) -> None:
    assert published(page('<meta name="date" content="2021-10-20">', f"<p>{label}</p>"))[0] == "2021-10-13"


def test_a_publication_label_s_date_may_stand_in_the_next_element() -> None:
    html = page(
        '<meta name="date" content="2021-10-15">',
        '<time datetime="2021-10-15">15.10.2021</time><p><span>Erschienen am:</span> <span>13.10.2021</span></p>',
    )
    assert published(html)[0] == "2021-10-13"


DATED = "<p class='byline'>By Jane Doe <time datetime='2023-05-01'>May 1, 2023</time></p>"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "<ol class='comment-list'><li><b>Mark</b> <span>Posted on June 3, 2023</span></li></ol>"),
        ("", "<div id='thread'><b>Mark</b> <span>Posted on June 3, 2023</span><p>Great</p></div>"),
        ("", "<div><b>Mark</b> <span>Posted by Mark on June 3, 2023</span></div>"),
        ("", "<aside class='related'><a href='/x'>Other story</a> Published: 2023-04-02</aside>"),
        ("", "<div class='book'>Published: 12 March 2019 · Hardcover</div>"),
        ("", "<p>The study was published in Nature on 12 March 2019.</p>"),
        ("", "<p>Published in: The Lancet, 12 March 2019</p>"),
        ("", "<p>Event posted: 14 July 2023, Berlin</p>"),
        ("", "<p>This essay was first published on 3 June 2021 in our print edition.</p>"),
        ("<div class='ticker'>Markets posted 2023-04-28</div>", ""),
    ],
)
def test_a_publication_label_outside_the_heading_block_does_not_outrank_the_page_s_date(
    before: str, after: str
) -> None:
    html = (
        "<html><head><title>A headline</title><meta name='date' content='2023-05-01'></head><body>"
        f"{before}<article><h1>A headline</h1>{DATED}{PARAGRAPH}{after}</article></body></html>"
    )
    assert published(html)[0] == "2023-05-01"
    assert published(html, "https://news.example.org/2023/05/01/story/")[0] == "2023-05-01"


LEAD = "<p class='lead'>" + "A standfirst sentence that summarises the story in some detail for readers. " * 3 + "</p>"
CAPTION = (
    "<figure><figcaption>"
    + "A long caption describing the photograph above, with its credit. " * 4
    + "</figcaption></figure>"
)
COOKIES = "<div id='cookie-notice'>" + "We use cookies to give you the best experience on our website. " * 4 + "</div>"


@pytest.mark.parametrize(
    ("before", "inside"),
    [
        ("", f"<h1>A headline</h1>{LEAD}{{line}}"),  # after the article's lead
        ("", f"<h1>A headline</h1>{CAPTION}{{line}}"),  # after a long hero caption
        ("", "{line}<h1>A headline</h1>"),  # in the article, before its headline
        ("<header><h1 class='site-title'>The Site</h1></header>" + COOKIES, "<h1>A headline</h1>{line}"),
    ],
)
def test_the_heading_block_passes_over_a_lead_a_caption_a_cookie_notice_and_the_site_s_title(
    before: str, inside: str
) -> None:
    def html(line: str) -> str:
        return (
            "<html><head><title>A headline</title><meta name='date' content='2021-10-20'></head><body>"
            f"{before}<article>{inside.format(line=line)}{PARAGRAPH}</article></body></html>"
        )

    assert published(html("<p>Veröffentlicht am 13.10.2021</p>"))[0] == "2021-10-13"
    assert authors_of(html("<p>Posted on May 2, 2020 by Jane Doe</p>"))[0] == ["Jane Doe"]
    assert authors_of(html("<div class='meta'><a href='/author/jane-doe'>Jane Doe</a></div>"))[0] == ["Jane Doe"]
    assert authors_of(html("<p>Authors: Jane Doe, John Roe</p>"))[0] == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize("first", [LEAD, PARAGRAPH])
def test_the_heading_block_passes_over_one_marked_lead_only(first: str) -> None:
    # A second long text after the lead, a long text without a lead's mark: the body has begun.
    html = (
        "<html><head><title>A headline</title><meta name='date' content='2021-10-20'></head><body><article>"
        f"<h1>A headline</h1>{first}{LEAD}<p>Veröffentlicht am 13.10.2021</p>{PARAGRAPH}</article></body></html>"
    )
    assert published(html)[0] == "2021-10-20"


def test_a_sidebar_s_h1_after_an_article_titled_in_h2_does_not_start_the_heading_block() -> None:
    html = (
        "<html><head><title>A headline</title></head><body><article><h2>A headline</h2>"
        f"<p>Posted on May 2, 2020 by Jane Doe</p>{PARAGRAPH}</article><aside><h1>Popular</h1></aside></body></html>"
    )
    assert authors_of(html)[0] == ["Jane Doe"]


def test_a_structured_publication_date_outranks_the_text_s_label() -> None:
    html = page(
        '<meta property="article:published_time" content="2021-10-15T09:00:00+02:00">',
        "<p>Published: 13.10.2021</p>",
    )
    assert published(html)[0] == "2021-10-15T09:00:00+02:00"


def test_links_to_the_authors_pages_whose_text_is_the_slug_name_the_authors() -> None:
    about = "covering computer hardware, software and science for many years, " * 3
    html = page(
        body="<p><strong>Written by</strong><br><strong><a href='https://news.example.org/authors/adrien-ramirez'>"
        f"Adrien Ramirez</a></strong>, {about}<br><strong><a href='/authors/joanna-nelius'>Joanna Nelius</a>"
        f"</strong>, senior editor, {about}</p>"
    )
    assert authors_of(html)[0] == ["Adrien Ramirez", "Joanna Nelius"]


@pytest.mark.parametrize(
    ("link", "names"),
    [
        ("von <a href='/author/freeman1984/'>freeman1984</a>", ["freeman1984"]),
        ("<a href='/author/swoogo/'>Swoogo</a>", []),  # a company's account
        ("<a href='/author/admin2/'>admin2</a>", []),
        ("<a href='/author/jane-doe/'>Read more from our team</a>", []),
    ],
)
def test_a_user_name_linking_its_author_page_is_a_name(link: str, names: list[str]) -> None:
    assert authors_of(page(body=f"<div class='meta'>{link}</div>"))[0] == names


@pytest.mark.parametrize(
    "link",
    [
        "<p>As <a href='https://www.othernews.com/author/jane-doe/'>Jane Doe</a> reported, prices rose.</p>",
        "<p>Source: <a href='https://www.crunchbase.com/profile/acme-labs'>Acme Labs</a></p>",
        "<p>Watch on <a href='https://www.youtube.com/user/NewsChannel24'>NewsChannel24</a></p>",
        "<p>Reddit user <a href='https://www.reddit.com/user/throwaway4821'>throwaway4821</a> said so</p>",
        "<figure><img src='a.jpg'><figcaption>Photo: <a href='/author/ann-lee'>Ann Lee</a></figcaption></figure>",
        "<blockquote>Fine words <cite><a href='/author/ann-lee'>Ann Lee</a></cite></blockquote>",
        "<div class='tools'><a href='/profile/my-profile'>My Profile</a> <a href='/logout'>Log out</a></div>",
    ],
)
def test_a_link_to_another_site_s_profile_a_credit_or_an_account_menu_names_no_author(link: str) -> None:
    assert authors_of(page(body=link))[0] == []


@pytest.mark.parametrize(
    "html",
    [
        after_the_body("<p>As Reddit user <a href='/user/throwaway4821'>throwaway4821</a> put it, prices rose.</p>"),
        after_the_body(
            "<div id='disc'><h3>3 Responses</h3><div class='c'><a href='/members/mark-twain/'>Mark Twain</a>"
            "<p>Great piece!</p></div></div>"
        ),
        after_the_body(
            "<div class='more-stories'><h3>More stories</h3><div class='card'><a href='/news/other'>Other story</a>"
            "<a href='/author/john-smith'>John Smith</a></div></div>"
        ),
        page().replace("<body>", "<body><div class='account'><a href='/user/jsmith82'>jsmith82</a></div>"),
    ],
)
def test_an_author_page_link_before_the_headline_or_after_the_body_names_no_author(html: str) -> None:
    assert authors_of(html)[0] == []


@pytest.mark.parametrize(
    "byline",
    [
        "<p>By <a href='https://www.example.org/author/ann-lee/'>Ann Lee</a></p>",  # the site's other host
        "<p>Bylines elsewhere</p>" + PARAGRAPH + "<div class='author-box'><a href='/author/ann-lee/'>Ann Lee</a></div>",
    ],
)
def test_a_link_to_the_site_s_own_author_page_in_the_heading_block_or_an_author_box_names_the_author(
    byline: str,
) -> None:
    assert authors_of(page(body=byline))[0] == ["Ann Lee"]


def test_a_menu_of_the_site_s_columnists_before_the_article_hides_not_its_author_link() -> None:
    """The links of a ``<nav>`` menu of more author pages than the bounded number checked are left out
    before they are counted: the article's own link after them is still read."""
    names = [
        f"{first} {last}"
        for first in ("Anna", "Carl", "Dora", "Emil", "Gina")
        for last in ("Berg", "Roth", "Lang", "Wolf", "Koch")
    ]
    menu = "".join(f"<li><a href='/author/{n.lower().replace(' ', '-')}'>{n}</a></li>" for n in names)
    html = (
        "<html><head><title>A headline</title></head><body><header><h1 class='logo'>The Site</h1><nav><ul><li>"
        f"Columnists<ul>{menu}</ul></li></ul></nav></header><main><h2>A headline</h2><div class='meta'>"
        f"<a href='/author/jane-doe'>Jane Doe</a></div>{PARAGRAPH}</main></body></html>"
    )
    assert authors_of(html)[0] == ["Jane Doe"]


def test_many_author_page_links_in_a_menu_are_checked_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A menu of thousands of author links: each place check walks the link's ancestors' subtrees, so
    checking every link took time growing with the square of their number."""
    from archiver.extract import metadata

    checked: list[str] = []
    real = metadata.outside_boilerplate

    def counting(el):  # type: ignore[no-untyped-def]
        if "/author/" in (el.get("href") or ""):
            checked.append(el.get("href"))
        return real(el)

    monkeypatch.setattr(metadata, "outside_boilerplate", counting)
    menu = "".join(f"<li><a href='/author/writer{i}'>writer{i}</a></li>" for i in range(2000))
    html = page(body=f"<div class='author-menu'><nav class='menu'><ul>{menu}</ul></nav></div>")
    assert authors_of(html)[0] == []
    assert len(checked) <= 50


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<div>Posted on September 21, 2020  by Adi Tzlil</div>", ["Adi Tzlil"]),
        ("<span>06.11.2023 13:30 von Olga Berg</span>", ["Olga Berg"]),
        ("<p><span class='screen-reader-text'>| By </span><span>Cara Stiles</span> | 2 min</p>", ["Cara Stiles"]),
        ("<p><em>---- by Kenneth Surin</em></p>", ["Kenneth Surin"]),
        ("<p>Built in 2020 by the river</p>", []),
    ],
)
def test_a_byline_word_after_a_date_or_a_separator_opens_a_byline(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=byline))[0] == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<figure><figcaption>The treaty signed on March 2, 2022 by Vladimir Putin</figcaption></figure>", []),
        ("<p>On 2 March 2022 the bill was signed by Joe Biden.</p>", []),
        ("<p>Reviewed on March 2, 2022 by Dr. Jane Smith</p>", []),
        ("<p>Updated March 2, 2022 by Jane Smith</p>", []),
        ("<p>Photo taken March 2, 2022 by Ann Lee</p>", []),
        ("<p>Opened on 12 June 2024 by Mayor Karen Bass</p>", []),
        ("<p>Mis à jour le 12 mars 2021 par Jean Dupont</p>", []),
        ("<p>Aktualisiert am 06.11.2023 von Olga Berg</p>", []),
        ("<p>Actualizado el 12 de marzo de 2021 por Juan Pérez</p>", []),
        ("<p>Sonntag, 12.03.2023 von Hamburg Hbf</p>", []),
        ("<p>Le 12 mars 2021 par Jour De Fête</p>", []),
        ("<p>Last updated on May 2, 2020 by Jane Smith</p><p>By Ann Lee</p>", ["Ann Lee"]),
        ("<p>May 2, 2020 at 10:15 pm by Jane Roe</p>", ["Jane Roe"]),
        ("<p>Veröffentlicht am 06.11.2023 von Olga Berg</p>", ["Olga Berg"]),
        ("<p>2020-05-02 by Jane Doe</p>", ["Jane Doe"]),
        ("<p>Posted on 2020-05-02 by Jane Doe</p>", ["Jane Doe"]),
        ("<p>Monday, May 2, 2020 by Jane Doe</p>", ["Jane Doe"]),
        ("<p>Posted on Monday, May 2, 2020 by Jane Doe</p>", ["Jane Doe"]),
        ("<p>Veröffentlicht am Sonntag, 12.03.2023 von Olga Berg</p>", ["Olga Berg"]),
        ("<p>Posted 3 days ago by Jane Doe</p>", ["Jane Doe"]),
        ("<p>May 2, 2020 at 3:50 PM EST by Jane Doe</p>", ["Jane Doe"]),
        ("<p>Updated Monday, May 2, 2020 by Jane Smith</p>", []),
        ("<p>Updated 2020-05-02 by Jane Smith</p>", []),
    ],
)
def test_a_byline_word_after_a_date_opens_a_byline_only_after_a_date_line(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=byline))[0] == names


@pytest.mark.parametrize(
    "after",
    [
        "<div id='thread'><div class='c'><b>Mark</b> <span>March 3, 2022 by Mark Twain</span><p>Great</p></div></div>",
        "<div class='more-stories'><a href='/news/other'>Other story</a><span>March 3, 2022 by John Smith</span></div>",
        "<h3>Contributors</h3><p>Contributors: Reuters, Associated Press, Agence France-Presse</p>",
        "<p>Contributors: Dr. Maria Lopez (interviewed), Tom Baker (data)</p>",
        "<p>Authors: John Ioannidis, Daniele Fanelli. Published in PLOS Medicine, 2005.</p>",
        "<div class='team'><h4>Authors</h4><ul><li><a href='/about#ann'>Ann Lee</a></li></ul></div>",
    ],
)
def test_a_date_line_s_byline_and_a_list_s_authors_after_the_article_s_body_name_no_author(after: str) -> None:
    assert authors_of(after_the_body(after))[0] == []


@pytest.mark.parametrize(
    "byline",
    [
        "<div class='staff'><h4>Authors</h4><ul><li>Ann Lee</li><li>Bob Stone</li></ul></div>",
        "<div class='staff'><h4>Contributors</h4><p>Ann Lee, Bob Stone, Carla Ruiz</p></div>",
    ],
)
def test_a_list_s_bare_heading_authors_or_contributors_opens_no_byline(byline: str) -> None:
    assert authors_of(page(body=byline))[0] == []


@pytest.mark.parametrize(
    "byline",
    [
        "<div><strong>Author(s):</strong> Ann Lee</div>",
        "<p>Author(s): Ann Lee</p>",
        "<p>Verfasser(in): Ann Lee</p>",
        "<p>Verfasser/in: Ann Lee</p>",
        "<p>Autor(in): Ann Lee</p>",
        "<p>Autor*in: Ann Lee</p>",
    ],
)
def test_author_s_and_verfasser_in_are_byline_words(byline: str) -> None:
    assert authors_of(page(body=byline))[0] == ["Ann Lee"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<div><strong>Contributors:</strong> Janet Loughrey</div>", ["Janet Loughrey"]),
        ("<p>Authors: Ann Lee and Bob Stone</p>", ["Ann Lee", "Bob Stone"]),
        ("<p>Verfasserin: Anna Berg</p>", ["Anna Berg"]),
        ("<p>contributors to this fund</p>", []),
    ],
)
def test_authors_contributors_and_verfasser_are_byline_words(byline: str, names: list[str]) -> None:
    assert authors_of(page(body=byline))[0] == names


def test_a_breadcrumb_navigation_holding_an_h1_is_still_navigation() -> None:
    html = (
        "<html><head><title>Kim is back - Trump is glad</title>"
        '<meta property="og:title" content="Nordkorea: Kim is back, Trump is glad, say reports"></head><body>'
        "<nav class='breadcrumb'><h1>Nordkorea: Kim is back, Trump is glad, say reports</h1></nav>"
        f"<article><h2>Kim is back - Trump is glad</h2>{PARAGRAPH}</article></body></html>"
    )
    title = extract_article(html, "https://news.example.org/a/", fetched_at=FETCHED).title
    assert title == "Kim is back - Trump is glad"


@pytest.mark.parametrize("href", ["http://[::1/author/jane-doe", "http://[zz]/author/jane-doe"])
def test_an_author_link_no_url_parser_takes_is_skipped_not_an_error(href: str) -> None:
    """An author-page link urlsplit refuses (an unclosed or invalid IPv6 host): the page is read
    (before: ValueError out of extract_article, the page lost)."""
    html = (
        f"<html><head><title>A headline of the page</title></head><body><article><h1>A headline of the page</h1>"
        f"<div class='meta'><a href='{href}'>Jane Doe</a></div>{PARAGRAPH}</article></body></html>"
    )
    article = extract_article(html, "https://www.example.org/2020/story", fetched_at=FETCHED)
    assert article is not None and article.title == "A headline of the page"


@pytest.mark.parametrize("login", ["jsmith", "mark", "bob"])
@pytest.mark.parametrize(
    "after",
    [
        # a comment after the body, its box in no container the page names as comments
        '<div id="disqus_thread"><div><span class="author-name">Jane Roe</span><p>Nice post.</p></div></div>',
        '<section><h3>3 Responses</h3><div class="c"><p>By Jane Roe</p><p>Great post</p></div></section>',
        # a related story's card
        '<ul class="more-stories"><li><a href="/b">Other story</a> <span class="author-name">Jane Roe</span></li></ul>',
    ],
)
def test_a_login_does_not_give_way_to_a_comment_s_or_a_card_s_byline(login: str, after: str) -> None:
    head = jsonld(f'{{"@type": "NewsArticle", "author": {{"@type": "Person", "name": "{login}"}}}}')
    html = after_the_body(after).replace("<head>", f"<head>{head}")
    assert authors_of(html)[0] == [login]


def test_a_forum_thread_s_login_is_kept_beside_a_reply_s_user_box() -> None:
    """A thread's opening post by a login; a reply's user box (XenForo marks it ``itemprop=author``) names
    another member: the thread's author stays the login."""
    html = page(
        jsonld(
            '{"@type": "DiscussionForumPosting", "headline": "Battery drains overnight",'
            ' "author": {"@type": "Person", "name": "felixen"}}'
        ),
        "<h1>Battery drains overnight</h1><article class='message'><p>My battery drains, any idea?</p></article>"
        "<article class='message'><section class='message-user' itemprop='author' itemscope"
        " itemtype='https://schema.org/Person'><span itemprop='name'>Mike Spikey</span> Member</section>"
        "<p>Check the background apps.</p></article>",
    )
    assert authors_of(html)[0] == ["felixen"]


# --- authors, eighth pass: a date line's name, "Ein Artikel von", a card's byline, categories ------


def layer_authors(html: str) -> list[str]:
    """What ``extract_authors``'s layers give (not trafilatura's fallback after them, which reads a short
    page's loose name too)."""
    loaded = load_page(html, "https://news.example.org/a/story")
    return extract_authors(loaded, read_structured(loaded.tree))[0]


@pytest.mark.parametrize(
    "line",
    [
        "<p class='meta'>Berlin Mitte, 01.12.2021</p>",  # a place
        "<p class='dateline'>New York, May 2, 2020</p>",
        "<p>12.07.2023 | Alte Oper Frankfurt</p>",  # a venue
        "<p>Acme Labs • Dec 26, 2025</p>",  # a company
        "<p>Dec 26, 2025 • Top Stories</p>",  # a category
        "<p>Lokales Berlin | 04.02.2022</p>",
        "<p>Weekly Newsletter — Jan 14, 2026</p>",  # a newsletter's edition
        "<p>12.05.2023 | Foto: Max Muster</p>",  # a photo credit
        "<figure><img src='x.jpg'><figcaption>Anna Berg, 12.05.2023</figcaption></figure>",
        "<blockquote><p>We will win.</p><footer>Anna Schmidt, 01.12.2021</footer></blockquote>",
        "<aside class='related'><ul><li><a href='/b'>Other story</a><p>Dec 1, 2025 • Pia Lorenz</p></li></ul></aside>",
        '<p>May 2, 2020 | <a href="/category/product-news">Product Updates</a></p>',
    ],
)
def test_a_date_line_s_words_beside_its_date_name_no_author(line: str) -> None:
    # a date line's name without a byline word is not read: places, venues, companies, categories,
    # credits, captions and quotes write their names beside a date the same way
    assert layer_authors(page(body=line + PARAGRAPH)) == []


def test_a_comment_s_header_after_short_paragraphs_names_no_author() -> None:
    steps = "".join(f"<p>Step {i}: stir the pot and wait a little while.</p>" for i in range(8))
    comments = "<ol class='comments'><li><p>John Smith, 01.12.2021</p><p>Nice.</p></li></ol>"
    assert layer_authors(page(body=steps + comments)) == []


def test_a_place_and_date_over_the_headline_beside_a_breadcrumb_names_no_author() -> None:
    html = (
        "<html><head><title>A headline</title></head><body><div><nav>Home › News</nav>"
        f"<div>Berlin Mitte, 04.02.2022</div><h1>A headline</h1>{PARAGRAPH}</div></body></html>"
    )
    assert layer_authors(html) == []


def test_ein_artikel_von_opens_a_byline_before_a_book_s_authors_after_the_body() -> None:
    html = after_the_body(
        "<p><b>Setz dich</b><br/>Ein Buch von Karl Moser, Ute Brandt und Eva Seidl<br/>192 Seiten</p>"
    ).replace(
        "<h1>A headline</h1>", "<h1>A headline</h1><div>Ein Artikel von <strong>Selma Aydin</strong> | 27.01.2022</div>"
    )
    assert layer_authors(html) == ["Selma Aydin"]


def test_artikel_von_in_a_sentence_is_no_byline() -> None:
    html = page(body="<p>Artikel von Drittanbietern werden nicht geprüft.</p>")
    assert layer_authors(html) == []


@pytest.mark.parametrize(
    "line",
    [
        "<p>Posted by Ann Lee under Travel, Food | Tags: Rome, Pasta</p>",
        "<p>Posted by Ann Lee in Travel, Food</p>",
        '<p class="byline">Posted by Ann Lee under Travel, Food</p>',
        '<p class="byline">Posted by Ann Lee in Travel, Food</p>',
        "<p>By Ann Lee filed under News, Local</p>",
    ],
)
def test_a_byline_s_categories_after_under_or_in_are_no_names(line: str) -> None:
    assert layer_authors(page(body=line)) == ["Ann Lee"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("<p>By To Lam, Ann Lee</p>", ["To Lam", "Ann Lee"]),
        ("<p>By Ann Lee and In Young Park</p>", ["Ann Lee", "In Young Park"]),
        ("<p>By Tom Under</p>", ["Tom Under"]),
    ],
)
def test_names_opening_with_in_or_to_or_holding_under_are_kept(line: str, expected: list[str]) -> None:
    assert layer_authors(page(body=line)) == expected


@pytest.mark.parametrize(
    "html",
    [
        page(body=PARAGRAPH).replace(
            "</article>", "<p><a href='mailto:a.schmidt@zeitung.de'>Von Anna Schmidt</a></p></article>"
        ),
        page(body=PARAGRAPH).replace(
            "</article>", "<p><a href='/redaktion/anna-schmidt'>Von Anna Schmidt</a></p></article>"
        ),
        page(
            body="<p>"
            + "A long lead sentence that runs on. " * 7
            + "</p><p><a href='/people/anna-schmidt'>By Anna Schmidt</a></p>"
            + PARAGRAPH
        ),
        "<html><head><title>A headline</title></head><body><div class='top'><a href='/team/anna-schmidt'>"
        f"Von Anna Schmidt</a></div><article><h1>A headline</h1>{PARAGRAPH}</article></body></html>",
        # no headline, a link without an address
        "<html><head><title>A headline</title></head><body>"
        f"<div>{PARAGRAPH}<p><a>Von Anna Schmidt</a></p></div></body></html>",
    ],
)
def test_a_byline_written_as_a_link_outside_the_heading_block_is_read(html: str) -> None:
    # a link around the byline word is no sign of a teaser card: mail links, staff pages, anchors
    assert layer_authors(html) == ["Anna Schmidt"]


def test_a_byline_linking_to_a_search_of_the_author_in_the_heading_block_is_read() -> None:
    html = page(body='<div class="meta"><a href="/search?q=Meg+Hollis">by Meg Hollis</a></div>')
    assert layer_authors(html) == ["Meg Hollis"]


def test_a_person_node_naming_the_site_with_an_editor_s_initials_is_the_site() -> None:
    html = page(
        '<meta property="og:site_name" content="Finanz Journal">'
        + jsonld('{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Finanz Journal /PP"}}')
    )
    assert layer_authors(html) == []


@pytest.mark.parametrize(
    "line",
    [
        "<p>Ein Gastbeitrag von Lea Sommer</p>",
        "<p>Blog Beitrag von Lea Sommer</p>",
        "<p>Blogbeitrag von Lea Sommer</p>",
    ],
)
def test_a_guest_post_s_or_blog_post_s_word_opens_a_byline(line: str) -> None:
    assert layer_authors(page(body=line)) == ["Lea Sommer"]


@pytest.mark.parametrize(
    "line",
    [
        "<p>Artikel von Drittanbietern</p>",
        "<p>Artikel von Gastautoren</p>",
        "<p>Gastbeitrag von Montag</p>",
        "<p>Artikel von Heute</p>",
        "<p>Artikel von Seite 3</p>",
        "<p>Artikel von Anfang März</p>",
        "<p>Ein Artikel von ZEIT ONLINE</p>",
        "<p>Gastbeitrag von Deutsche Bahn</p>",
        "<p>Ein Gastbeitrag von Greenpeace Deutschland</p>",
    ],
)
def test_artikel_von_or_gastbeitrag_von_before_no_person_s_name_is_no_byline(line: str) -> None:
    assert layer_authors(page(body=line + PARAGRAPH)) == []


def test_a_person_node_with_a_role_on_a_personal_site_named_after_them_is_the_author() -> None:
    html = page(
        '<meta property="og:site_name" content="Jane Doe">'
        + jsonld('{"@type": "BlogPosting", "author": {"@type": "Person", "name": "Jane Doe (Founder)"}}')
    )
    assert layer_authors(html) == ["Jane Doe"]


def test_gastbeitrag_von_before_lower_case_words_is_no_byline() -> None:
    assert layer_authors(page(body="<p>Gastbeitrag von heute: warum wir schreiben</p>")) == []
