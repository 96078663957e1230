"""The crawl's decision on a page (article, thread or other) and the reason stored beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.demo.server import SiteServer
from archiver.extract import extract_page, load_page
from archiver.extract.pagetype import MIN_WORDS, PageType, page_type
from archiver.extract.structured import read_structured
from archiver.settings import declared
from tests.conftest import crawl_local, rows, run_archiver

PROSE = (
    "<p>The harbour master counted the boats that came back before the storm, and wrote down every name in "
    "the long book that hangs by the door of the old customs house.</p>"
)
NAV = "<nav><ul>" + "".join(f"<li><a href='/section/{n}/'>Section {n}</a></li>" for n in range(12)) + "</ul></nav>"


def page(body: str, head: str = "", title: str = "Harbour") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{NAV}{body}</body></html>"


def jsonld(node: dict[str, object]) -> str:
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


ARTICLE = page(
    "<article><h1>Boats before the storm</h1><p class='byline'>By Ana Silva, <time datetime='2024-05-01'>May 1, 2024"
    f"</time></p>{PROSE * 6}</article>"
)
NEWS = page(f"<article><h1>Storm</h1>{PROSE * 5}</article>", jsonld({"@type": "NewsArticle", "headline": "Storm"}))
PRODUCT = page(
    "<main><h1>Harbour Lamp</h1><p class='price'>$49.00</p><button>Add to cart</button><button>Buy now</button>"
    f"{PROSE * 2}<p>Free shipping over $50.</p></main>",
    jsonld({"@type": "Product", "name": "Harbour Lamp", "offers": {"@type": "Offer", "price": "49.00"}})
    + "<meta property='og:type' content='article'>",  # set on every page by some CMS: not enough alone
)
TEASER = "<p>A short teaser of the story, two lines that tell the reader what the harbour news is about.</p>"
HOME = page(
    "<main>"
    + "".join(
        f"<div class='teaser'><h2><a href='/2024/05/story-{n}.html'>Story {n}</a></h2>{TEASER}</div>" for n in range(12)
    )
    + "</main>"
)
SERVICE = page(
    "<main><h1>Harbour consulting</h1><h2>What we do</h2><p>Strategy, audits and training.</p><h2>Pricing</h2>"
    "<p>From $99 per month.</p><a href='/demo'>Book a demo</a><a href='/trial'>Free trial</a>"
    "<h2>Why us</h2><p>Trusted by harbours on every coast of the country since the last century.</p>"
    "<p>Contact sales for a quote tailored to your port and its fleet.</p></main>",
    "<meta property='og:type' content='article'>",
)
DOCS = page(
    "<main><h1>Configuration</h1>"
    + "<p>Set the option in the file, then restart the service so that it reads it again.</p>"
    + "".join(f"<pre><code>option_{n} = true</code></pre><p>The <code>option_{n}</code> flag.</p>" for n in range(6))
    + "</main>"
)
#: A manual's page written as prose, with the metadata some CMS put on every page: its path says what it is.
MANUAL = page(
    f"<main><h1>SELECT</h1>{PROSE * 4}"
    + "".join(f"<p>The <code>clause_{n}</code> clause.</p>" for n in range(10))
    + "</main>",
    "<meta property='og:type' content='article'><meta property='article:published_time' content='2024-05-01'>",
)
THREAD_POSTS = "".join(
    f"<div class='message'><span class='username'>reader{n}</span><div class='bbWrapper'>Post {n}: "
    "the ferry was late again, anyone know why?</div></div>"
    for n in range(6)
)
FORUM_DATA = jsonld({"@type": "DiscussionForumPosting", "headline": "Ferry late", "author": {"name": "reader0"}})


@pytest.mark.parametrize(
    ("html", "url", "kind", "reason"),
    [
        (ARTICLE, "https://news.example.org/2024/05/boats-before-the-storm.html", "article", None),
        (NEWS, "https://news.example.org/storm", "article", "structured:NewsArticle"),
        (PRODUCT, "https://shop.example.org/products/harbour-lamp", "other", None),
        (HOME, "https://news.example.org/", "other", "url:root"),
        (SERVICE, "https://consult.example.org/services/harbour-consulting", "other", None),
        (DOCS, "https://docs.example.org/config/options", "other", None),
        (
            page(THREAD_POSTS, FORUM_DATA),
            "https://talk.example.org/ferry",
            "thread",
            "structured:DiscussionForumPosting",
        ),
        (page(THREAD_POSTS), "https://forum.example.org/threads/ferry-late.1234/", "thread", "url:thread"),
        (page(THREAD_POSTS), "https://community.example.org/travel-forum/ferries/ferry-late", "thread", "url:thread"),
        (page(THREAD_POSTS), "https://www.example.org/ShowTopic-g1-i2-k3-Ferry_late.html", "thread", "url:thread"),
        (page(THREAD_POSTS), "https://community.example.org/thread-222085.html", "thread", "url:thread"),
        (
            page(THREAD_POSTS),
            "https://talk.example.org/groups/ferries/why-was-the-ferry-late-t17351.html",
            "thread",
            "url:thread",
        ),
        (MANUAL, "https://www.example.org/docs/18/sql-select.html", "other", "url:docs"),
    ],
)
def test_page_kinds(html: str, url: str, kind: str, reason: str | None) -> None:
    found = page_type(load_page(html.encode(), url), read_structured(load_page(html.encode(), url).tree), MIN_WORDS)
    assert found.kind == kind, found
    if reason is not None:
        assert found.reason == reason
    assert found.reason and all(isinstance(s, str) for s in found.signals)


def test_an_article_inside_a_header_the_parser_left_open_is_still_an_article() -> None:
    # An unclosed <header> (or one the parser does not close) holds the whole article: a
    # boilerplate element that holds the page's headline is not boilerplate.
    html = (
        "<!DOCTYPE html><html><head><title>Storm</title></head><body>"
        f"<header class='site-header'><a href='/'>Harbour News</a><h1>Boats before the storm</h1>{PROSE * 5}"
        "</body></html>"
    )
    url = "https://news.example.org/boats-before-the-storm-came"
    loaded = load_page(html.encode(), url)
    found = page_type(loaded, read_structured(loaded.tree), MIN_WORDS)
    assert found.kind == "article", found


def test_reason_as_stats_key() -> None:
    assert PageType("other", "teasers:12").rule == "teasers"
    assert PageType("other", "url:root").rule == "url:root"
    assert PageType("other", "words:<60").rule == "words"
    assert PageType("article", "structured:NewsArticle").rule == "structured:NewsArticle"


def test_min_words_default_is_the_settings() -> None:
    assert declared["ARCHIVER_EXTRACT_MIN_WORDS"].default == MIN_WORDS


def test_extract_page_gives_the_decision() -> None:
    article, kind = extract_page(NEWS.encode(), "https://news.example.org/storm")
    assert article.title == "Storm" and kind.kind == "article" and kind.reason == "structured:NewsArticle"


def test_extract_command_prints_the_decision(tmp_path: Path) -> None:
    (tmp_path / "home.html").write_text(HOME, encoding="utf-8")
    result = run_archiver("extract", "home.html", "--url", "https://news.example.org/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)["page_type"]
    assert decision["kind"] == "other" and decision["reason"] == "url:root" and "url:root-3" in decision["signals"]


def test_crawl_keeps_articles_and_threads_and_counts_why_others_are_skipped(tmp_path: Path) -> None:
    """A real crawl: the article and the thread archived, the product and docs pages skipped with their reason."""
    site = tmp_path / "site"
    pages = {
        "2024/05/boats-before-the-storm.html": ARTICLE,
        "threads/ferry-late.1234/index.html": page(THREAD_POSTS),
        "products/harbour-lamp.html": PRODUCT,
        "docs/options.html": DOCS,
    }
    links = "".join(f"<a href='/{path.removesuffix('index.html')}'>{path}</a> " for path in pages)
    pages["index.html"] = HOME.replace("<main>", f"<main>{links}")
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    with SiteServer(site) as server:
        result = crawl_local(server.url, "--depth", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "archive.db"
    urls = {row["url"].removeprefix(server.url) for row in rows(db, "SELECT url FROM articles")}
    assert urls == {"2024/05/boats-before-the-storm.html", "threads/ferry-late.1234/"}
    (crawl,) = rows(db, "SELECT stats FROM crawls")
    stats = json.loads(crawl["stats"])
    assert stats["archiver/spider/thread"] == 1
    assert stats["archiver/spider/not_article/url:root"] == 1
    assert stats["archiver/spider/not_article"] == 3
    assert sum(v for k, v in stats.items() if k.startswith("archiver/spider/not_article/")) == 3


def _decide(html: str, url: str) -> PageType:
    loaded = load_page(html.encode(), url)
    return page_type(loaded, read_structured(loaded.tree), MIN_WORDS)


PLAIN = page(f"<article><h1>Boats before the storm</h1>{PROSE * 6}</article>")
OG_ARTICLE = "<meta property='og:type' content='article'>"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # A listing section's path followed by a date, or by a slug of four words or more, is an article's
        # address (blogs file posts under /archive/2024/05/..., some sites put every page under /page/).
        ("https://blog.example.org/archive/2024/05/boats_before_the_storm.html", "article"),
        ("https://gear.example.org/topics/camping/the-best-backpacking-gear-list", "article"),
        ("https://www.example.org/page/how-to-count-boats-before-a-storm", "article"),
        # ...a listing's own page, or a tag under it, is not.
        ("https://blog.example.org/archive/", "other"),
        ("https://blog.example.org/topic/harbour-news", "other"),
        ("https://blog.example.org/page/2", "other"),
        # a tag's or an author's own page, however long its name
        ("https://news.example.org/tag/russia-ukraine-war-news", "other"),
        ("https://news.example.org/author/jean-claude-van-damme", "other"),
    ],
)
def test_listing_paths_with_an_article_address_under_them(url: str, kind: str) -> None:
    assert _decide(PLAIN, url).kind == kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # A category's, a tag's or an author's archive below a blog's or a magazine's base, or a locale: a
        # listing (its page shows whole posts or long excerpts, as dense as an article)...
        ("https://mag.example.org/magazine/category/electronic-gadgets", "other"),
        ("https://www.example.org/blog/tag/harbour", "other"),
        ("https://www.example.org/en/author/ana-silva/", "other"),
        ("https://www.example.org/news/kategorie/hafen", "other"),
        # ...not a post filed under a category's base, nor a slug that starts with the word.
        ("https://www.example.org/blog/category/news/why-the-harbour-closed", "article"),
        ("https://www.example.org/blog/category-theory-for-sailors", "article"),
        ("https://www.example.org/blog/2024/05/tag/harbour", "article"),
    ],
)
def test_category_tag_and_author_archives_below_a_section(url: str, kind: str) -> None:
    found = _decide(PLAIN, url)
    assert found.kind == kind, found
    if kind == "other":
        assert "url:listing-3" in found.signals


def test_an_article_with_its_date_below_an_authors_section_is_no_archive() -> None:
    # A books section's "authors" column: an interview is filed under it, and says what it is.
    news = jsonld({"@type": "NewsArticle", "headline": "Interview", "datePublished": "2024-05-01"})
    html = page(f"<article><h1>Interview</h1>{PROSE * 6}</article>", news)
    found = _decide(html, "https://www.example.org/books/authors/interview-with-ana-on-her-novel")
    assert found.kind == "article" and "url:listing-3" not in found.signals, found


TECH_ARTICLE = jsonld({"@type": "TechArticle", "headline": "Get started", "datePublished": "2024-05-01"})


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # TechArticle is what documentation sites mark their manual's pages with: on a documentation
        # address it is no article's mark...
        ("https://docs.example.org/get-started/introduction/", "other"),
        ("https://www.example.org/docs/get-started/introduction", "other"),
        # ...elsewhere it is one (a company's engineering blog), and so it is at an article's address or on
        # a developers' or support site's help article, however documentation-like the host.
        ("https://www.example.org/blog/how-we-cut-our-build-times", "article"),
        ("https://developer.example.com/blog/how-we-cut-our-build-times", "article"),
        ("https://docs.example.org/2024/05/how-we-cut-our-build-times", "article"),
        ("https://developer.example.com/support/how-we-cut-our-build-times", "article"),
    ],
)
def test_a_tech_article_on_a_documentation_address_is_a_manual_s_page(url: str, kind: str) -> None:
    html = page(f"<main><h1>Get started</h1>{PROSE * 3}</main>", TECH_ARTICLE)
    found = _decide(html, url)
    assert found.kind == kind, found


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # A short page (a release note of forty words) with a TechArticle's headline and date: an
        # article at a developer blog's address, a manual's page below the word count on a docs host.
        ("https://developer.example.com/blog/version-two-is-out", "article"),
        ("https://docs.example.org/get-started/version-two", "other"),
    ],
)
def test_a_short_tech_article_passes_the_word_gate_at_an_article_s_address_only(url: str, kind: str) -> None:
    note = (
        "<p>Version two of the harbour toolkit is out today with faster builds, a new command line and"
        " many fixes from the community, thanks to everyone who helped.</p>"
    )
    html = page(f"<main><h1>Version two is out</h1>{note}</main>", TECH_ARTICLE)
    found = _decide(html, url)
    assert found.kind == kind, found


def test_another_article_type_on_a_documentation_address_still_counts() -> None:
    # An encyclopedia's entry under /wiki/ marked Article: the article type outweighs the address.
    html = page(f"<main><h1>Harbour</h1>{PROSE * 6}</main>", jsonld({"@type": "Article", "headline": "Harbour"}))
    found = _decide(html, "https://en.example.org/wiki/Harbour_of_the_old_town")
    assert found.kind == "article" and "structured:Article+3" in found.signals, found


def test_a_header_that_holds_a_section_of_text_is_not_the_page_header() -> None:
    # Site builders (Webflow) mark any section up as <header>: one whose paragraphs hold 100 words
    # is the page's text, not its header; a page's own header with a line of text stays boilerplate.
    html = page(
        "<header class='site-header'><p>Harbour News: the boats, the tides and the people of the old port.</p>"
        f"</header><div class='title'><h1>Boats before the storm</h1></div><header class='section_post'>{PROSE * 5}"
        "</header>"
    )
    found = _decide(html, "https://news.example.org/blog/boats-before-the-storm-came")
    assert found.kind == "article", found
    short = page(f"<header class='site-header'>{PROSE}</header><div><h1>Boats</h1><p>Two words.</p></div>")
    assert _decide(short, "https://news.example.org/blog/boats-before-the-storm-came").reason == "words:<60"


def test_link_share_leaves_the_menus_out() -> None:
    # A large menu is the site's, not the page's: the share of words in links is measured on the rest
    # of the page (without <nav>, <header>, <footer>, <aside>), where a list of teasers still shows.
    menu = "<nav><ul>" + "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(150)) + "</ul></nav>"
    html = page(f"{menu}<main><h1>Boats before the storm</h1>{PROSE * 5}</main>")
    found = _decide(html, "https://www.example.org/harbour/boats-before-the-storm-came")
    assert found.kind == "article", found
    assert not any(s.startswith("links:") for s in found.signals)
    story = "Another story about the harbour and its boats"
    teasers = "".join(f"<li><a href='/story/{n}'>{story}</a></li>" for n in range(20))
    listing = page(f"{menu}<main><h1>Harbour</h1>{PROSE * 5}<ul>{teasers}</ul></main>")
    found = _decide(listing, "https://www.example.org/harbour/boats-before-the-storm-came")
    assert any(s.startswith("links:") for s in found.signals), found


def test_text_set_as_lines_between_breaks_counts_as_paragraphs() -> None:
    # Older CMS and hand-written pages set their text as lines of a <div> broken by <br>, no <p>:
    # each run between two breaks is a paragraph; the same lines in a footer are still boilerplate.
    sentence = PROSE.removeprefix("<p>").removesuffix("</p>")
    lines = "<br><br>".join(f"{sentence} <strong>Note {n}.</strong>" for n in range(6))
    html = page(f"<div class='story'><h1>Boats before the storm</h1><div class='text'>{lines}</div></div>")
    found = _decide(html, "https://news.example.org/harbour/boats-before-the-storm-came")
    assert found.kind == "article", found
    footer = page(f"<div class='story'><h1>Boats</h1></div><footer><div>{lines}</div></footer>")
    assert _decide(footer, "https://news.example.org/harbour/boats-before-the-storm-came").reason == "words:<60"


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.org/blog/thread-10-tips-for-knitting",
        "https://news.example.org/2024/05/budget-vote-passes-t2.html",
    ],
)
def test_an_article_address_that_only_looks_like_a_forum_s_is_no_thread(url: str) -> None:
    """MyBB's ``/thread-<n>.html`` and phpBB's ``<slug>-t<n>.html`` end the path; an article's slug
    may hold the same letters."""
    assert _decide(PLAIN, url).kind == "article"


#: A shop's category page written with a page of prose about the products (as many shops do for search
#: engines), its grid of products each with a price tag.
GRID = "".join(
    f"<div class='product'><a href='/lamps/lamp-{n}'>Harbour lamp {n}</a><span class='price'>${n}9.99</span></div>"
    for n in range(1, 7)
)
CATEGORY_PROSE = f"<main><h1>Harbour lamps and lanterns for every quay</h1>{PROSE * 6}"


def test_a_grid_of_price_tags_makes_a_page_of_prose_a_shop_page() -> None:
    url = "https://lamps.example.org/harbour-lamps"
    assert _decide(page(CATEGORY_PROSE + GRID + "</main>"), url).kind == "other"
    assert "prices:6-1" in _decide(page(CATEGORY_PROSE + GRID + "</main>"), url).signals
    # The same prose without the price tags is an article; prices in its sentences, or in a table of
    # costs, are not price tags.
    assert _decide(page(CATEGORY_PROSE + "</main>"), url).kind == "article"
    in_text = "".join(f"<p>The lamp {n} costs $49.99 at the quay.</p>" for n in range(6))
    table = "<table>" + "".join(f"<tr><td>Lamp {n}</td><td>$49.99</td></tr>" for n in range(6)) + "</table>"
    assert _decide(page(CATEGORY_PROSE + in_text + table + "</main>"), url).kind == "article"
    shell = "".join(f"<p>Argument <code>${n}</code> is the {n}th word given.</p>" for n in range(1, 9))
    assert _decide(page(CATEGORY_PROSE + shell + "<pre>echo $1 $2</pre></main>"), url).kind == "article"
    european = "".join(f"<div class='product'><span class='price'>{n}9,90 €</span></div>" for n in range(1, 7))
    assert _decide(page(CATEGORY_PROSE + european + "</main>"), url).kind == "other"


def test_the_questions_of_an_faq_make_no_thread() -> None:
    # SEO plugins add an FAQPage whose mainEntity lists Question nodes to an article: the questions
    # are the article's own, not a forum's; a Question alone (a Q&A site's page) is still a thread.
    question = {
        "@type": "Question",
        "@id": "#q1",
        "name": "When?",
        "acceptedAnswer": {"@type": "Answer", "text": "Now."},
    }
    faq = {"@graph": [{"@type": "FAQPage", "@id": "#faq", "mainEntity": [{"@id": "#q1"}]}, question]}
    url = "https://news.example.org/harbour/boats-before-the-storm-came"
    found = _decide(ARTICLE.replace("</head>", f"{jsonld(faq)}</head>"), url)
    assert found.kind == "article", found
    alone = jsonld({"@type": "Question", "name": "When?", "answerCount": 2})
    assert _decide(page(f"<article><h1>When?</h1>{PROSE * 6}</article>", alone), url).kind == "thread"


def test_a_question_a_user_asked_makes_a_thread_on_an_faqpage() -> None:
    # A Q&A site may mark its thread as an FAQPage: its Question was asked by someone (an author, the
    # day it was asked), with answers suggested or more than one answer. It stays a thread.
    url = "https://news.example.org/harbour/boats-before-the-storm-came"
    faq_question = {"@type": "Question", "name": "When?", "acceptedAnswer": {"@type": "Answer", "text": "Now."}}
    asked = [
        {"suggestedAnswer": [{"@type": "Answer", "text": "Try the tide table."}]},
        {"answerCount": 3},
        {"answerCount": "2"},
        {"author": {"@type": "Person", "name": "quayside"}},
        {"dateCreated": "2024-03-02T10:00:00Z"},
    ]
    for marks in asked:
        faq = {"@type": "FAQPage", "mainEntity": {**faq_question, **marks}}
        found = _decide(ARTICLE.replace("</head>", f"{jsonld(faq)}</head>"), url)
        assert found.kind == "thread", (marks, found)
    # An FAQ block's questions (Yoast writes answerCount 1 beside the accepted answer) stay the article's.
    for marks in ({}, {"answerCount": 1}, {"answerCount": "one"}):
        faq = {"@type": "FAQPage", "mainEntity": {**faq_question, **marks}}
        assert _decide(ARTICLE.replace("</head>", f"{jsonld(faq)}</head>"), url).kind == "article", marks


FAQ_BLOCK = jsonld(
    {
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": "When do the boats come back?", "acceptedAnswer": {"text": "At dusk."}},
            {"@type": "Question", "name": "Who counts them?", "acceptedAnswer": {"text": "The harbour master."}},
        ],
    }
)


def test_an_faq_block_alone_weighs_as_another_kind_of_page() -> None:
    # SEO plugins (Yoast, Rank Math) add an FAQPage to a service's landing page as to a post: alone it takes
    # the two points of another kind of page. A service's page in dense prose (+2) at a four-word slug (+1)
    # with an FAQ block and no mark of a publication stays other.
    html = page(f"<main><h1>Harbour boat counting</h1>{PROSE * 6}</main>", FAQ_BLOCK)
    found = _decide(html, "https://www.example.org/harbour-boat-counting-crews")
    assert found.kind == "other" and "structured:FAQPage-2" in found.signals, found


@pytest.mark.parametrize("kind", ["CollectionPage", "SearchResultsPage"])
def test_a_listing_s_type_weighs_as_a_listing_s_address(kind: str) -> None:
    # A recipe site's collection: an introduction in dense paragraphs, a byline, og:type article on every
    # page, an id in the address; its structured data says it is a collection (Yoast writes CollectionPage
    # on category and tag archives): -3, as a listing's address, not the -2 of another kind of page.
    intro = "<p class='byline'>By Ana Silva</p>" + PROSE * 6
    cards = "".join(f"<div class='card'><a href='/fish-{n}-5117{n}'>Fish recipe {n}</a></div>" for n in range(12))
    html = page(f"<main><h1>Harbour fish recipes</h1>{intro}{cards}</main>", jsonld({"@type": kind}) + OG_ARTICLE)
    found = _decide(html, "https://food.example.org/harbour-fish-recipes-5117879")
    assert found.kind == "other" and f"structured:{kind}-3" in found.signals, found
    # ...named before another kind's type beside it
    both = jsonld({"@graph": [{"@type": "AggregateOffer"}, {"@type": kind}]})
    found = _decide(html.replace("</head>", f"{both}</head>"), "https://food.example.org/harbour-fish-recipes-5117879")
    assert f"structured:{kind}-3" in found.signals, found
    # A post whose graph holds an article beside the listing's type stays an article.
    graph = jsonld({"@graph": [{"@type": kind}, {"@type": "Article", "headline": "Harbour fish"}]})
    found = _decide(page(f"<main><h1>Harbour fish</h1>{intro}</main>", graph), "https://food.example.org/harbour-fish")
    assert found.kind == "article", found


def _posts(itemtype: str) -> str:
    """A thread's first post as forum software marks it in microdata, and its replies as comments."""
    replies = "".join(
        f"<div itemprop='comment' itemscope itemtype='https://schema.org/Comment'><span itemprop='author'>user{n}"
        f"</span>{PROSE}</div>"
        for n in range(4)
    )
    return (
        f"<main><div itemscope itemtype='{itemtype}'><h1 itemprop='headline'>Boats before the storm?</h1>"
        f"<span itemprop='author'>quayside</span><div itemprop='text'>{PROSE * 2}</div>{replies}</div></main>"
    )


@pytest.mark.parametrize(
    "itemtype",
    [
        "https://schema.org/DiscussionForumPosting",
        "http://schema.org/DiscussionForumPosting/",
        "https://schema.org/QAPage",
        "https://schema.org/CreativeWork https://schema.org/DiscussionForumPosting",
    ],
)
def test_a_thread_marked_in_microdata_is_a_thread(itemtype: str) -> None:
    # Forum software that writes no JSON-LD marks the thread's first post as a microdata item; at an address
    # of no thread's shape (``/<id>/<slug>``) the page is a thread all the same.
    found = _decide(page(_posts(itemtype)), "https://forum.example.org/7603790/boats-before-the-storm")
    assert found.kind == "thread" and found.reason.startswith("microdata:"), found
    url = "https://news.example.org/harbour/boats-before-the-storm-came"
    # An FAQ block's questions in microdata are the article's own.
    faq = (
        "<div itemscope itemtype='https://schema.org/FAQPage'><div itemprop='mainEntity' itemscope "
        "itemtype='https://schema.org/Question'><h3 itemprop='name'>When?</h3><div itemprop='acceptedAnswer' "
        "itemscope itemtype='https://schema.org/Answer'><p itemprop='text'>At dusk.</p></div></div></div>"
    )
    assert _decide(ARTICLE.replace("</article>", f"{faq}</article>"), url).kind == "article"
    # An article marked as one in JSON-LD keeps its kind whatever its comments' microdata says.
    html = page(_posts(itemtype), jsonld({"@type": "NewsArticle", "headline": "B"}))
    assert _decide(html, url).kind == "article"


def test_a_thread_item_that_names_the_page_is_a_thread() -> None:
    # Forum software that heads every page with the site's name (its <h1>) and writes the thread's title in an
    # <h2>: the thread's item names the page as its mainEntityOfPage.
    url = "https://forum.example.org/7603790/boats-before-the-storm"
    posts = _posts("https://schema.org/DiscussionForumPosting").replace("<h1 itemprop='headline'>", "<h2>")
    item = posts.replace("</h1>", f"</h2><meta itemprop='mainEntityOfPage' content='{url}'>", 1)
    html = page(item).replace("<body>", "<body><header><h1>Harbour Forum</h1></header>")
    found = _decide(html, url.replace("https://forum.", "http://www.forum."))  # the same page's address
    assert found.kind == "thread" and found.reason == "microdata:DiscussionForumPosting", found
    # ...but an item that names an anchor in the page (a reader's comment marked so) is no thread
    found = _decide(html.replace(f"content='{url}'", f"content='{url}#comment-3'"), url)
    assert found.kind == "article", found


def _forum_posts(cls: str) -> str:
    """Items typed DiscussionForumPosting in a block of the given class: readers' comments or a forum's cards."""
    return (
        f"<section class='{cls}'><h2>From the forum</h2>"
        + "".join(
            "<div itemscope itemtype='https://schema.org/DiscussionForumPosting'>"
            f"<a itemprop='url' href='/forum/t/{n}'><span itemprop='headline'>Topic {n}</span></a>"
            f"<span itemprop='author'>user{n}</span>{PROSE}</div>"
            for n in range(4)
        )
        + "</section>"
    )


def test_readers_comments_marked_as_forum_posts_make_no_thread() -> None:
    # A blog post marked BlogPosting in microdata (no JSON-LD) whose readers' comments its theme marks as
    # DiscussionForumPosting items: an article.
    url = "https://blog.example.org/2024/05/boats-before-the-storm"
    post = (
        "<main><article itemscope itemtype='https://schema.org/BlogPosting'><h1 itemprop='headline'>Boats before "
        f"the storm</h1><p class='byline'>By Ana Silva</p><div itemprop='articleBody'>{PROSE * 6}</div></article>"
        f"{_forum_posts('comments')}</main>"
    )
    found = _decide(page(post), url)
    assert found.kind == "article", found


def test_a_forum_s_cards_beside_an_article_make_no_thread() -> None:
    url = "https://blog.example.org/2024/05/boats-before-the-storm"
    # An article (no structured data) with a sidebar of a forum's latest posts as DiscussionForumPosting cards,
    # which hold no <h1>: an article.
    sidebar = ARTICLE.replace("</article>", f"</article><aside>{_forum_posts('widget')}</aside>")
    found = _decide(sidebar, url)
    assert found.kind == "article", found
    # ...as in a block that is no <aside> (the cards hold no <h1>)
    found = _decide(ARTICLE.replace("</article>", f"</article>{_forum_posts('forum-latest')}"), url)
    assert found.kind == "article", found


SHORTLINK = "<link rel='shortlink' href='https://blog.example.org/?p=2895'>"


@pytest.mark.parametrize(
    ("url", "head", "kind"),
    [
        # WordPress's plain permalink of a post: the post's address is the site's root and its number,
        # on a page WordPress marks (its shortlink or canonical link with that number, its files).
        ("https://blog.example.org/?p=2895", SHORTLINK, "article"),
        (
            "https://blog.example.org/index.php?p=2895&lang=de",
            "<link rel='canonical' href='https://blog.example.org/index.php?lang=de&amp;p=2895'>",
            "article",
        ),
        (
            "https://blog.example.org/?p=2895",
            "<link rel='stylesheet' href='/wp-content/themes/harbour/style.css'>",
            "article",
        ),
        # ...the root itself, a page's number, a search or a p= that is no number stay the home page,
        ("https://blog.example.org/", SHORTLINK, "other"),
        ("https://blog.example.org/?page_id=12", SHORTLINK, "other"),
        ("https://blog.example.org/?s=boats", SHORTLINK, "other"),
        ("https://blog.example.org/?p=boats", SHORTLINK, "other"),
        # ...and so does a p= number without WordPress's mark (a listing's page), or another post's number.
        ("https://blog.example.org/?p=2895", "", "other"),
        ("https://blog.example.org/?p=2", SHORTLINK, "other"),
    ],
)
def test_wordpress_plain_permalink_of_a_post_is_no_home_page(url: str, head: str, kind: str) -> None:
    found = _decide(PLAIN.replace("</head>", f"{head}</head>"), url)
    assert found.kind == kind, found
    assert ("url:root-3" in found.signals) == (kind == "other")


def test_a_home_listing_paged_by_p_is_no_post() -> None:
    # Sites that page their home listing with ?p=2 keep it the home page, whatever else it carries.
    head = f"{OG_ARTICLE}<meta property='article:published_time' content='2024-05-01T08:00:00Z'>"
    found = _decide(HOME.replace("</head>", f"{head}</head>"), "https://www.example.org/?p=2")
    assert found.kind == "other" and "url:root-3" in found.signals, found


QUOTE = "<p>They counted every boat for us before the storm, and the fleet came home whole.</p>"
TESTIMONIALS = (
    "<section class='testimonials'><h2>What our clients say</h2>"
    + "".join(f"<blockquote class='testimonial'>{QUOTE}<cite>Harbour master {n}</cite></blockquote>" for n in range(3))
    + "</section>"
)
SERVICE_PROSE = f"<main><h1>Storm preparation for harbours</h1>{PROSE * 6}"
SERVICE_URL = "https://consult.example.org/storm-preparation"


def test_customers_testimonials_make_a_page_of_prose_a_service_page() -> None:
    # A service's page written as prose is told from an article by its customers' testimonials.
    found = _decide(page(SERVICE_PROSE + TESTIMONIALS + "</main>"), SERVICE_URL)
    assert found.kind == "other" and "testimonials:1-1" in found.signals, found
    capitalised = TESTIMONIALS.replace("'testimonials'", "'Testimonials-Slider'")
    assert _decide(page(SERVICE_PROSE + capitalised + "</main>"), SERVICE_URL).kind == "other"
    # The same prose without them is an article.
    assert _decide(page(SERVICE_PROSE + "</main>"), SERVICE_URL).kind == "article"


@pytest.mark.parametrize(
    "html",
    [
        # a company blog's post, marked as one, with the company's testimonials after it
        page(SERVICE_PROSE + TESTIMONIALS + "</main>", jsonld({"@type": "BlogPosting", "headline": "Storm"})),
        # testimonials in the sidebar or the footer are the site's, not the page's
        page(SERVICE_PROSE + f"</main><aside>{TESTIMONIALS}</aside>"),
        page(SERVICE_PROSE + f"</main><footer>{TESTIMONIALS}</footer>"),
        # an article that quotes people, and speaks of testimonials, in its own text
        page(SERVICE_PROSE + "<h2>Testimonials from the quay</h2>" + QUOTE * 3 + "</main>"),
    ],
)
def test_testimonials_outside_a_page_s_content_or_on_a_marked_article_keep_it_an_article(html: str) -> None:
    found = _decide(html, SERVICE_URL)
    assert found.kind == "article", found


BYLINE = "<p class='byline'>By Ana Silva, <time datetime='2024-05-01'>May 1, 2024</time></p>"


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # a news article from a company's blog, about its own product, with a call to action
        (
            page(
                f"<article><h1>Harbour Co. opens a second quay</h1>{BYLINE}{PROSE * 5}"
                "<p>Want to know more? <a href='/contact'>Talk to our team</a>.</p></article>",
                OG_ARTICLE,
            ),
            "https://www.harbourco.example/blog/harbour-co-opens-a-second-quay",
        ),
        # a how-to article with numbered steps in lists
        (
            page(
                f"<article><h1>How to moor a boat before a storm</h1>{BYLINE}{PROSE * 3}<ol>"
                + "".join(f"<li>Step {n}: double the lines on the cleat and check the fenders.</li>" for n in range(8))
                + f"</ol>{PROSE * 2}</article>",
                OG_ARTICLE,
            ),
            "https://boating.example.org/how-to-moor-a-boat-before-a-storm",
        ),
        # a review, with the product's price in its sentences and a rating
        (
            page(
                f"<article><h1>Review: the Harbour Lamp</h1>{BYLINE}{PROSE * 4}"
                "<p>At $49.99 it costs less than its rivals, and it survived a night on the quay.</p>"
                "<p class='rating'>Rating: 4/5</p></article>",
                jsonld({"@type": "Review", "name": "Harbour Lamp"}),
            ),
            "https://gear.example.org/reviews/harbour-lamp",
        ),
        # an op-ed in the first person, speaking as "we"
        (
            page(
                f"<article><h1>We must rebuild the old quay</h1>{BYLINE}"
                + "<p>We grew up on this quay, and we owe it to our children to rebuild it before the next storm "
                "takes what is left of it.</p>" * 5 + "</article>",
                OG_ARTICLE,
            ),
            "https://news.example.org/opinion/we-must-rebuild-the-old-quay",
        ),
    ],
)
def test_articles_of_every_kind_stay_articles(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.kind == "article", found


def test_link_share_leaves_out_menus_marked_by_a_class_or_id() -> None:
    # Older layouts set the site's menus in <div id="navi"> or <ul class="main-menu">, no <nav>: their
    # links are the site's, not the page's, as in a <nav>.
    menu = "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(150))
    article = f"<div class='story'><h1>Boats before the storm</h1>{BYLINE}{PROSE * 6}</div>"
    url = "https://www.example.org/harbour/boats"
    for marked in (f"<div id='navi'><ul>{menu}</ul></div>", f"<ul class='main-menu'>{menu}</ul>"):
        found = _decide(page(marked + article), url)
        assert found.kind == "article" and not any(s.startswith("links:") for s in found.signals), found
    # A list of teasers in the page's own text is still counted, and a class that merely holds the
    # letters ("navigator-story", "menus-of-the-day") marks no menu.
    story = "Another story about the harbour and its boats"
    for holder in ("div class='teasers'", "div class='navigator-story'", "ul class='menus-of-the-day'"):
        tag = holder.split()[0]
        teasers = f"<{holder}>" + "".join(f"<li><a href='/story/{n}'>{story}</a></li>" for n in range(20))
        found = _decide(page(article + teasers + f"</{tag}>"), url)
        assert any(s.startswith("links:") for s in found.signals), (holder, found)


STORY = "Another story about the harbour and its boats"
TEASER_LIST = "<ul>" + "".join(f"<li><a href='/story/{n}'>{STORY}</a></li>" for n in range(25)) + "</ul>"
PUBLISHED_OG = f"{OG_ARTICLE}<meta property='article:published_time' content='2024-05-01T08:00:00Z'>"


def test_a_menu_inside_a_marked_header_is_left_out_once() -> None:
    # A <nav> inside <div id="header"> is one surrounding: its words are left out of the page once, so
    # that a list of teasers in the page's own text still shows (counted twice, the text left was none).
    menu = "<ul>" + "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(100)) + "</ul>"
    body = f"<main><h1>Latest stories</h1>{PROSE * 4}{TEASER_LIST}</main>"
    url = "https://www.example.org/harbour/latest-stories"
    bare = _decide(page(f"<nav>{menu}</nav>" + body, PUBLISHED_OG), url)
    assert "links:0.61-1" in bare.signals, bare
    found = _decide(page(f"<div id='header'><nav>{menu}</nav></div>" + body, PUBLISHED_OG), url)
    assert found.signals == bare.signals, found


@pytest.mark.parametrize(
    "holder",
    [
        "<div class='site-content has-sidebar'>",  # a layout's modifier: the content beside a sidebar
        "<div class='site-content with-sidebar'>",
        "<div class='site-content'>",
    ],
)
def test_a_layout_s_modifier_marks_no_sidebar(holder: str) -> None:
    # "has-sidebar", "no-sidebar" say what is around the element; the element is the page's content,
    # whose list of teasers counts in its share of links.
    html = page(f"<div class='title'><h1>Latest stories</h1></div>{holder}{PROSE * 4}{TEASER_LIST}</div>")
    found = _decide(html, "https://www.example.org/harbour/latest-stories")
    assert found.kind == "other" and any(s.startswith("links:") for s in found.signals), found
    titled = page(f"<div class='container no-sidebar'><h2>Latest stories</h2>{PROSE * 4}{TEASER_LIST}</div>")
    found = _decide(titled, "https://www.example.org/harbour/latest-stories")
    assert found.kind == "other" and any(s.startswith("links:") for s in found.signals), found


def test_menus_inside_a_marked_area_that_holds_a_headline_are_left_out() -> None:
    # A mobile menu's modal holds a heading of its own (<h1 class="sr-only">Menu</h1>): it is no
    # surrounding as a whole, but the menu inside it is.
    menu = "<ul>" + "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(150)) + "</ul>"
    modal = (
        f"<div class='mobile-menu-modal'><h1 class='sr-only'>Menu</h1><div class='menu-container'>{menu}</div></div>"
    )
    html = page(f"{modal}<main><h1>Boats before the storm</h1>{BYLINE}{PROSE * 6}</main>")
    found = _decide(html, "https://www.example.org/harbour/boats")
    assert found.kind == "article" and not any(s.startswith("links:") for s in found.signals), found


def _score(found: PageType) -> int:
    return sum(int(signal[signal.rindex("+") if "+" in signal else signal.rindex("-") :]) for signal in found.signals)


STORM_URL = "https://blog.example.org/boats-before-storm"
SIX = f"<h1>Boats before the storm</h1>{PROSE * 6}"
ONE_TESTIMONIAL = f"<div class='testimonial'>{QUOTE}<cite>Harbour master</cite></div>"


@pytest.mark.parametrize(
    "html",
    [
        # testimonials in a sidebar or footer marked by an id or class are the site's
        page(f"<main>{SIX}</main><div id='sidebar'><div class='widget widget_testimonials'>{QUOTE}</div></div>"),
        page(f"<main>{SIX}</main><div class='site-footer'>{ONE_TESTIMONIAL}</div>"),
        # WordPress's post_class names the post's tags and categories: the post's frame, no testimonial
        page(f"<article class='post-12 post type-post category-news tag-testimonials'>{SIX}</article>"),
        page(f"<article class='post category-testimonial-evidence'>{SIX}</article>"),
        # an element named so that holds the headline, or most of the text, is the page's frame
        page(f"<div class='testimonial-story'>{SIX}</div>"),
        page(f"<main><h1>Boats before the storm</h1><div class='testimonials-intro'>{PROSE * 6}</div></main>"),
        # a class that merely holds the letters names no testimonial
        page(f"<main>{SIX}<div class='nontestimonialized'>{QUOTE}</div></main>"),
    ],
)
def test_testimonials_rule_leaves_the_site_s_and_the_post_s_own_frame_alone(html: str) -> None:
    found = _decide(html, STORM_URL)
    assert _score(found) == 2 and found.kind == "article", found  # at the article line, where the rule decides


@pytest.mark.parametrize("name", ["testimonial", "TESTIMONIALS", "Testimonial-Card", "elementor-testimonial-wrapper"])
def test_testimonials_in_the_content_are_found_by_any_case_of_their_class(name: str) -> None:
    found = _decide(page(f"<main>{SIX}<div class='{name}'>{QUOTE}</div></main>"), STORM_URL)
    assert found.kind == "other" and "testimonials:1-1" in found.signals, found
    # <body>'s classes name the whole page's layout ("header-with-promo-bar"): no surrounding
    html = page(f"<main>{SIX}<div class='{name}'>{QUOTE}</div></main>").replace(
        "<body>", "<body class='custom-header'>"
    )
    assert "testimonials:1-1" in _decide(html, STORM_URL).signals


@pytest.mark.parametrize(
    "html",
    [
        # a company blog's news, with a customer quoted in the text and a call to action
        page(
            f"<article><h1>Harbour Co. opens a second quay</h1>{PROSE * 5}<blockquote>{QUOTE}</blockquote>"
            "<p>Want to know more? <a href='/contact'>Talk to our team</a>.</p></article>"
        ),
        # a how-to article with numbered steps in lists
        page(
            f"<article><h1>Mooring</h1>{PROSE * 4}<ol>"
            + "".join(f"<li>Step {n}: double the lines on the cleat and check the fenders.</li>" for n in range(8))
            + f"</ol>{PROSE * 2}</article>"
        ),
        # a review that gives prices in its sentences and its rating
        page(
            f"<article><h1>The Harbour Lamp</h1>{PROSE * 5}"
            + "<p>At $49.99 it costs less than the $59.00 of its rival, and it survived the quay.</p>" * 3
            + "<p class='rating'>4/5</p></article>"
        ),
        # an op-ed in the first person
        page(
            "<article><h1>Rebuild the quay</h1>"
            + "<p>We grew up on this quay, and we owe it to our children to rebuild it before the next storm "
            "takes what is left of it.</p>" * 6 + "</article>"
        ),
    ],
)
def test_articles_of_every_kind_at_the_article_line_stay_articles(html: str) -> None:
    # The same kinds as above with no byline, date or article mark: at the article score, where the
    # rules that take one point (testimonials, price tags, links) decide.
    found = _decide(html, STORM_URL)
    assert _score(found) == 2 and found.kind == "article", found


# A publication's own marks (fifth pass): share links naming the page, a form for readers' comments.
RELATED = "".join(f"<h2><a href='/harbour/story-{n}'>Story {n}</a></h2>" for n in range(6))
#: A page of prose at one point under the article line (dense +2, six linked headings -1).
AT_ONE = page(f"<main><h1>Boats before the storm</h1>{PROSE * 6}{RELATED}</main>")
AT_ONE_URL = "https://www.example.org/harbour/boats"


def _with(html: str, extra: str) -> str:
    return html.replace("</main>", f"{extra}</main>")


@pytest.mark.parametrize(
    ("extra", "signal"),
    [
        # share buttons naming this page's address (or none: a script fills it in)
        (
            "<a href='https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fwww.example.org%2Fharbour%2Fboats'>"
            "Share</a>",
            "share+1",
        ),
        ("<a href='https://twitter.com/intent/tweet?text=Boats'>Tweet</a>", "share+1"),
        (
            "<a href='https://www.linkedin.com/shareArticle?mini=true&url=https://www.example.org/harbour/boats'>In</a>",
            "share+1",
        ),
        # WordPress's comment form, Disqus's thread
        (
            "<div id='respond' class='comment-respond'><form id='commentform'><textarea name='comment'></textarea>"
            "</form></div>",
            "comment-form+1",
        ),
        ("<div id='disqus_thread'></div>", "comment-form+1"),
    ],
)
def test_a_page_that_offers_itself_to_be_shared_or_commented_is_an_article(extra: str, signal: str) -> None:
    assert _decide(AT_ONE, AT_ONE_URL).kind == "other"  # the same page without them: under the line
    found = _decide(_with(AT_ONE, extra), AT_ONE_URL)
    assert found.kind == "article" and signal in found.signals, found


@pytest.mark.parametrize(
    "extra",
    [
        # a teaser's share button names another page
        "<a href='https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fwww.example.org%2Fharbour%2Fstory-2'>"
        "Share</a>",
        # the site's own accounts are no share links
        "<a href='https://www.facebook.com/harbourco'>Facebook</a><a href='https://twitter.com/harbourco'>X</a>",
        # a contact form's message field is no comment form
        "<form class='contact'><input name='email'><textarea name='comment'></textarea><button>Send</button></form>",
    ],
)
def test_other_share_links_and_contact_forms_are_no_publication_s_marks(extra: str) -> None:
    found = _decide(_with(AT_ONE, extra), AT_ONE_URL)
    assert found.kind == "other" and not {"share+1", "comment-form+1"} & set(found.signals), found


@pytest.mark.parametrize(
    ("head", "extra"),
    [
        # a canonical link urllib cannot read (an unclosed IPv6 host), beside a share link
        ("<link rel='canonical' href='http://[x/'>", "<a href='https://twitter.com/intent/tweet?text=Boats'>X</a>"),
        # share links naming such an address, or made of one
        ("", "<a href='https://www.facebook.com/sharer/sharer.php?u=http://[x/'>Share</a>"),
        ("", "<a href='http://[x/?share=facebook'>Share</a>"),
    ],
)
def test_an_address_urllib_cannot_read_is_skipped_not_fatal(head: str, extra: str) -> None:
    found = _decide(_with(AT_ONE, extra).replace("<head>", f"<head>{head}"), AT_ONE_URL)
    assert found.kind in ("article", "other"), found


#: A service's page written as prose, with the og:type article an SEO plugin puts on every page and a
#: "Free trial" button: og:type article is its only article mark.
SERVICE_OG = page(
    f"<main><h1>Storm preparation for harbours</h1>{PROSE * 6}<a class='button' href='/trial'>Free trial</a>"
    "<a class='button' href='/start'>Get started</a></main>",
    OG_ARTICLE,
)


def test_og_type_article_alone_is_taken_back() -> None:
    found = _decide(SERVICE_OG, SERVICE_URL)
    assert found.kind == "other" and "og:article+1" in found.signals and "og:article-alone-1" in found.signals, found
    # the reason is the page's own sign (its sales buttons), not og:article-alone, which ties with it at -1
    # and only takes og:article's point back
    assert found.reason == "sales:2" and found.rule == "sales", found


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # the publication dates it (Yoast writes article:published_time on posts only)
        (
            SERVICE_OG.replace("</head>", "<meta property='article:published_time' content='2024-05-01'></head>"),
            SERVICE_URL,
        ),
        # an article's address: under a blog, a dated path, a slug of four words
        (SERVICE_OG, "https://consult.example.org/blog/storm-preparation"),
        (SERVICE_OG, "https://consult.example.org/2024/05/storm-preparation"),
        (SERVICE_OG, "https://consult.example.org/how-to-prepare-for-storms"),
        # offered to be shared, or to be commented
        (
            _with(
                SERVICE_OG,
                "<a href='https://twitter.com/intent/tweet?url=https://consult.example.org/storm-preparation'>Tweet</a>",
            ),
            SERVICE_URL,
        ),
        (_with(SERVICE_OG, "<div id='respond'><textarea name='comment'></textarea></div>"), SERVICE_URL),
        # an article type in its structured data
        (SERVICE_OG.replace("</head>", jsonld({"@type": "BlogPosting", "headline": "Storm"}) + "</head>"), SERVICE_URL),
    ],
)
def test_og_type_article_with_another_mark_of_a_publication_stays_an_article(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.kind == "article" and "og:article-alone-1" not in found.signals, found


TUTORIAL = page(
    f"<article><h1>Mooring lines, a tutorial</h1>{BYLINE}{PROSE * 4}"
    + "".join(
        f"<pre><code>line_{n} = cleat.tie(turns=3)</code></pre><p>Tie <code>line_{n}</code>.</p>" for n in range(6)
    )
    + "</article>",
    OG_ARTICLE,
)


@pytest.mark.parametrize(
    ("html", "url", "kind"),
    [
        # a documentation-style tutorial published as a dated blog post
        (TUTORIAL, "https://dev.example.org/2024/05/mooring-lines", "article"),
        # ...and at an address that is no article's (og:type article alone: its byline and date keep it)
        (TUTORIAL, "https://dev.example.org/mooring-lines", "article"),
        # a company blog's news under /news/, and at a short slug with og:type article and its text only
        (
            page(f"<article><h1>Harbour Co. opens a second quay</h1>{PROSE * 6}</article>", OG_ARTICLE),
            "https://www.harbourco.example/news/second-quay",
            "article",
        ),
        (
            page(f"<article><h1>Harbour Co. opens a second quay</h1>{PROSE * 6}</article>", OG_ARTICLE),
            "https://www.harbourco.example/second-quay",
            "article",
        ),
        # a product review with its prices in the text and a buying link, at a short slug
        (
            page(
                f"<article><h1>The X200 harbour lamp, tested</h1>{BYLINE}{PROSE * 5}"
                "<p>At $49 the lamp costs less than its rivals, and it kept burning through two storms on the quay.</p>"
                "<a href='https://shop.example.com/x200'>Buy now</a></article>",
                OG_ARTICLE,
            ),
            "https://gear.example.org/x200-review",
            "article",
        ),
        # an op-ed in the first person, at a short slug
        (
            page(
                f"<article><h1>Why I still row to work</h1>{BYLINE}"
                "<p>I have rowed across the harbour every morning for twenty years, and I will not stop now.</p>"
                f"{PROSE * 5}</article>",
                OG_ARTICLE,
            ),
            "https://paper.example.org/still-rowing",
            "article",
        ),
        # forum threads stay threads, with or without share links
        (
            page(THREAD_POSTS + "<a href='https://twitter.com/intent/tweet?text=Ferry'>Tweet</a>", OG_ARTICLE),
            "https://forum.example.org/threads/ferry-late.1234/",
            "thread",
        ),
    ],
)
def test_tutorials_news_and_threads_keep_their_kind_beside_the_new_marks(html: str, url: str, kind: str) -> None:
    found = _decide(html, url)
    assert found.kind == kind, found


@pytest.mark.parametrize(
    "section",
    ["nachrichten", "nachricht", "artikel", "meldungen", "aktuelles", "actualites", "noticias", "notizie", "artykul"],
)
def test_article_sections_in_other_languages_make_an_article_s_address(section: str) -> None:
    url = f"https://www.example.org/{section}/hafen-im-sturm"
    found = _decide(AT_ONE, url)
    assert found.kind == "article" and "url:article+1" in found.signals, found
    # the section's own page is none
    assert "url:article+1" not in _decide(AT_ONE, f"https://www.example.org/{section}/").signals


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        # WordPress Jetpack's buttons link to the post itself with ?share=<network>
        ("<a href='https://www.example.org/harbour/boats/?share=facebook&nb=1'>Facebook</a>", "article"),
        ("<a href='?share=twitter'>X</a>", "article"),
        # AddToAny's buttons name the page in linkurl=
        (
            "<a href='https://www.addtoany.com/add_to/facebook?linkurl=https%3A%2F%2Fwww.example.org%2Fharbour%2Fboats'>F</a>",
            "article",
        ),
        # ...but Jetpack's and AddToAny's buttons of another post (a teaser's) do not share this page
        ("<a href='https://www.example.org/harbour/story-2/?share=facebook&nb=1'>Facebook</a>", "other"),
        (
            "<a href='https://www.addtoany.com/add_to/x?linkurl=https%3A%2F%2Fwww.example.org%2Fharbour%2Fstory-2'>X</a>",
            "other",
        ),
    ],
)
def test_share_plugins_links_share_the_page_they_name(extra: str, kind: str) -> None:
    found = _decide(_with(AT_ONE, extra), AT_ONE_URL)
    assert found.kind == kind and ("share+1" in found.signals) == (kind == "article"), found


#: A page of prose at the article line with og:type article as its only mark of an article (dense +2,
#: six linked headings -1, og:type article +1): og:article-alone takes it under the line unless its
#: address is an article's.
OG_AT_LINE = AT_ONE.replace("</head>", f"{OG_ARTICLE}</head>")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # a slug of four words in another script, percent-encoded as browsers send it
        (
            "https://news.example.org/uk/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8-%D1%88%D1%82%D0%BE%D1%80%D0%BC-%D1%83-"
            "%D0%B3%D0%B0%D0%B2%D0%B0%D0%BD%D1%96",
            "article",
        ),
        (
            "https://news.example.org/el/%CE%BA%CE%B1%CF%84%CE%B1%CE%B9%CE%B3%CE%AF%CE%B4%CE%B1-%CF%83%CF%84%CE%BF-"
            "%CE%BB%CE%B9%CE%BC%CE%AC%CE%BD%CE%B9-%CF%84%CE%B7%CF%82-%CF%80%CF%8C%CE%BB%CE%B7%CF%82",
            "article",
        ),
        # a news site's numeric id, in the last segment or in a file name
        ("https://news.example.org/district/343604", "article"),
        ("https://news.example.org/harbour/storm-58354.html", "article"),
        # a short slug and a page number are no article's address
        ("https://consult.example.org/harbours", "other"),
        ("https://consult.example.org/harbours/12", "other"),
    ],
)
def test_og_type_article_alone_spares_article_addresses_in_any_script(url: str, kind: str) -> None:
    found = _decide(OG_AT_LINE, url)
    assert found.kind == kind and ("og:article-alone-1" in found.signals) == (kind == "other"), found


@pytest.mark.parametrize(
    "path",
    [
        # a section's sub-section, a listing's page or year: no article under the section
        "/nachrichten/sport/",
        "/nachrichten/sport/fussball",
        "/aktuelles/seite-2",
        "/pressemitteilungen/2024",
        "/noticias/page-3/",
    ],
)
def test_a_section_s_sub_sections_and_pages_are_no_article_address(path: str) -> None:
    found = _decide(AT_ONE, f"https://www.example.org{path}")
    assert "url:article+1" not in found.signals and found.kind == "other", found


@pytest.mark.parametrize("section", ["nachrichten", "aktuelles", "actualit%C3%A9s", "wiadomo%C5%9Bci", "noticias"])
def test_an_article_section_in_another_language_is_a_section_page_and_read_unquoted(section: str) -> None:
    assert "url:section-2" in _decide(AT_ONE, f"https://www.example.org/{section}/").signals
    found = _decide(AT_ONE, f"https://www.example.org/{section}/sturm-im-hafen")
    assert "url:article+1" in found.signals and found.kind == "article", found


def _share(target: str) -> str:
    return f"<a href='https://www.facebook.com/sharer/sharer.php?u={target}'>Share</a>"


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # a teaser's share link whose address holds this page's last segment
        (_with(AT_ONE, _share("https%3A%2F%2Fwww.example.org%2Fharbour%2Fboats-in-winter")), AT_ONE_URL),
        (_with(AT_ONE, _share("https://www.example.org/p/4512")), "https://www.example.org/p/12"),
        # Pinterest's description holds the page's slug as a word
        (
            _with(
                AT_ONE,
                "<a href='https://pinterest.com/pin/create/button/?url=https://www.example.org/&description=boats'>P</a>",
            ),
            AT_ONE_URL,
        ),
        # the site's own share widget names its home page, whose host holds the page's slug
        (_with(AT_ONE, _share("https://www.storm-boats.example/")), "https://www.storm-boats.example/boats"),
        # a page addressed by its query: another id is another page
        (
            _with(AT_ONE, _share("https://www.example.org/dettaglio.php%3Fid%3D11111")),
            "https://www.example.org/dettaglio.php?id=58354",
        ),
        # Jetpack's button of another post whose address ends with this page's
        (
            _with(AT_ONE, "<a href='https://www.example.org/blog/local-boats/?share=facebook'>F</a>"),
            "https://www.example.org/boats",
        ),
        # links naming no address in the footer, the header or a sidebar: a site-wide widget on every page
        (
            AT_ONE.replace("</main>", "</main><footer><a href='https://twitter.com/share'>Tweet</a></footer>"),
            AT_ONE_URL,
        ),
        (
            AT_ONE.replace("</main>", "</main><footer><a href='https://wa.me/?text=Hello%20Harbour'>W</a></footer>"),
            AT_ONE_URL,
        ),
        (AT_ONE.replace("</main>", "</main><aside><a href='?share=email'>Mail</a></aside>"), AT_ONE_URL),
    ],
)
def test_share_links_of_other_pages_or_of_the_site_do_not_share_this_page(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.kind == "other" and "share+1" not in found.signals, found


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # a page addressed by its query, named with its query
        (
            _with(AT_ONE, _share("https%3A%2F%2Fexample.org%2Fdettaglio.php%3Fid%3D58354")),
            "https://www.example.org/dettaglio.php?id=58354",
        ),
        # the page's canonical address, named without www. and with a trailing slash
        (
            _with(AT_ONE, _share("http://example.org/harbour/boats-before-the-storm/")).replace(
                "</head>", "<link rel='canonical' href='https://www.example.org/harbour/boats-before-the-storm'></head>"
            ),
            "https://www.example.org/harbour/boats?utm_source=feed",
        ),
        # WhatsApp's text ends with the page's address
        (
            _with(
                AT_ONE, "<a href='https://wa.me/?text=Boats%20https%3A%2F%2Fwww.example.org%2Fharbour%2Fboats'>W</a>"
            ),
            AT_ONE_URL,
        ),
    ],
)
def test_share_links_naming_this_page_s_address_share_it(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.kind == "article" and "share+1" in found.signals, found


#: WordPress's comment form, as WooCommerce uses it for a product's reviews.
RESPOND = (
    "<div id='respond' class='comment-respond'><form id='commentform' class='comment-form'>"
    "<textarea name='comment'></textarea></form></div>"
)


@pytest.mark.parametrize(
    "html",
    [
        # WooCommerce's review form of a product
        _with(AT_ONE, f"<div id='reviews' class='woocommerce-Reviews'><div id='review_form'>{RESPOND}</div></div>"),
        # a page with a product's data: its form takes the customers' reviews
        _with(AT_ONE, RESPOND).replace("</head>", jsonld({"@type": "Offer", "price": "12"}) + "</head>"),
        # a comment form in a sidebar or the footer (a site's guest book, a widget)
        AT_ONE.replace("</main>", f"</main><aside>{RESPOND}</aside>"),
        AT_ONE.replace("</main>", "</main><footer><div id='disqus_thread'></div></footer>"),
        # "respond" in a button's id names no form, a comment service's name in an image's address no embed
        _with(AT_ONE, "<a id='respond-now' class='button' href='/contact'>Respond</a>"),
        _with(AT_ONE, "<img src='/logos/giscus.app.png' alt='Our partners'>"),
    ],
)
def test_review_forms_and_forms_outside_the_content_are_no_readers_comment_form(html: str) -> None:
    found = _decide(html, AT_ONE_URL)
    assert found.kind == "other" and "comment-form+1" not in found.signals, found


@pytest.mark.parametrize(
    "extra",
    [
        # a third-party comment service's embed (vocabulary.EXTERNAL): giscus, Facebook's comments
        "<script src='https://giscus.app/client.js' data-repo='harbour/blog'></script>",
        "<div class='fb-comments' data-href='https://www.example.org/harbour/boats'></div>",
    ],
)
def test_a_comment_service_s_embed_in_the_content_is_a_readers_comment_form(extra: str) -> None:
    found = _decide(_with(AT_ONE, extra), AT_ONE_URL)
    assert found.kind == "article" and "comment-form+1" in found.signals, found


@pytest.mark.parametrize(
    ("target", "url"),
    [
        # the share link names the page with ".html" or a campaign's parameters the page's address lacks
        ("https%3A%2F%2Fwww.example.org%2Fharbour%2Fboats.html", AT_ONE_URL),
        ("https://www.example.org/harbour/boats/%3Futm_source%3Dshare%26utm_campaign%3Dog", AT_ONE_URL),
    ],
)
def test_a_share_link_naming_the_page_as_a_file_or_with_a_campaign_shares_it(target: str, url: str) -> None:
    found = _decide(_with(AT_ONE, _share(target)), url)
    assert found.kind == "article" and "share+1" in found.signals, found


def test_share_links_are_looked_for_where_testimonials_would_take_the_page_under_the_line() -> None:
    dated = _with(AT_ONE, f"<time datetime='2024-05-01'>1 May 2024</time>{TESTIMONIALS}")
    found = _decide(dated, AT_ONE_URL)  # at the line with its date, taken under it by the testimonials
    assert found.kind == "other" and "testimonials:1-1" in found.signals, found
    found = _decide(_with(dated, _share("https://www.example.org/harbour/boats")), AT_ONE_URL)
    assert found.kind == "article" and "share+1" in found.signals, found


@pytest.mark.parametrize("path", ["/nachricht/bischofswort.html", "/artykul/sztorm", "/artikel/58354"])
def test_a_section_named_in_the_singular_holds_items_whatever_their_slug(path: str) -> None:
    found = _decide(AT_ONE, f"https://www.example.org/themen{path}")
    assert "url:article+1" in found.signals and found.kind == "article", found


SENTENCE = PROSE.removeprefix("<p>").removesuffix("</p>")


@pytest.mark.parametrize(
    "body",
    [
        # a story's paragraphs as <div class="paragraph">, no <p> (a publishing platform's markup)
        "<div class='story'><h1>Boats before the storm</h1><div class='content'>"
        + "".join(f"<div class='paragraph'>{SENTENCE} <em>Note {n}.</em></div>" for n in range(5))
        + "</div></div>",
        # a page builder's text widget: the text is the block's own, in runs between its child blocks
        "<div class='entry'><h1>Boats before the storm</h1><div class='text-widget'>"
        + "<div class='spacer'></div>".join(SENTENCE for _ in range(5))
        + "</div></div>",
        # a rich-text <span> used as a block (HubSpot's wrappers)
        f"<main><h1>Boats before the storm</h1><span class='rich-text'>{SENTENCE * 5}</span></main>",
    ],
)
def test_text_set_as_blocks_without_paragraphs_counts_as_paragraphs(body: str) -> None:
    found = _decide(page(body), "https://news.example.org/harbour/boats-before-the-storm-came")
    assert found.kind == "article", found
    assert any(s.startswith("dense:") for s in found.signals), found


def test_lines_of_an_inline_block_broken_by_br_count_as_paragraphs() -> None:
    # HubSpot's rich text: one <span> holds the story, its paragraphs split by <br>, with headings and lists
    body = (
        f"<main><h1>Boats before the storm</h1><span>{SENTENCE}<br><br>{SENTENCE}<br>"
        f"<h2>The pier</h2>{SENTENCE}<ul><li>Nets</li><li>Ropes</li></ul>{SENTENCE}<br><br>{SENTENCE}</span></main>"
    )
    found = _decide(page(body), "https://news.example.org/harbour/boats-before-the-storm-came")
    assert found.kind == "article", found
    assert any(s.startswith("dense:") for s in found.signals), found


@pytest.mark.parametrize(
    "body",
    [
        # a listing's teasers: each card holds its excerpt in a block of its own
        "<main><h1>Harbour news</h1>"
        + "".join(
            f"<div class='card'><div class='card-title'><a href='/news/{n}'>Story {n}</a></div>"
            f"<div class='card-excerpt'>{SENTENCE}</div></div>"
            for n in range(6)
        )
        + "</main>",
        # excerpts inside a list's items, links, headings
        "<main><h1>Harbour links</h1><ul>"
        + "".join(f"<li><div class='desc'>{SENTENCE}</div></li>" for _ in range(6))
        + "</ul>"
        + "".join(f"<h3><span class='headline'>{SENTENCE}</span></h3>" for _ in range(3))
        + "</main>",
        # the same blocks in the footer
        f"<div class='story'><h1>Boats</h1></div><footer><div class='about'>{SENTENCE * 5}</div></footer>",
        # a video's page whose only text is a cookie notice and a newsletter's pop-up, in <div> and <span>
        "<main><h1>Video: the storm</h1><iframe src='https://video.example.net/embed/1'></iframe></main>"
        f"<div id='cookie-notice'><span id='cn-notice-text'>{SENTENCE * 3}</span><a href='#'>Ok</a></div>"
        f"<div class='newsletter-modal'><div class='modal-body'>{SENTENCE * 3}</div></div>",
        # a photo post whose only text is the "about me" text widget in a sidebar marked by its id
        "<main><h1>Harbour at dawn</h1><figure><img src='dawn.jpg'><figcaption>Dawn.</figcaption></figure></main>"
        f"<div id='sidebar'><div class='widget widget_text'><div class='textwidget'>{SENTENCE * 4}</div></div></div>",
        # a listing whose excerpts are siblings in one container, each after its linked title (no cards)
        "<main><h1>Harbour</h1><div class='list'>"
        + "".join(
            f"<h3><a href='/harbour/story-{n}'>Story {n}</a></h3><div class='excerpt'>{SENTENCE}</div>"
            f"<div class='date'>May {n + 1}, 2024</div>"
            for n in range(8)
        )
        + "</div></main>",
        # search results as sibling blocks
        "<main><h1>Results for harbour</h1><div id='results'>"
        + "".join(
            f"<div class='result-title'><a href='/page-{n}'>Page {n}</a></div><div class='snippet'>{SENTENCE}</div>"
            for n in range(10)
        )
        + "</div></main>",
        # blocks of text outside the page's content: beside an <h1> that no container below <body> holds
        f"<h1>Boats</h1><div class='promo'><div class='box'>{SENTENCE * 5}</div></div>",
    ],
)
def test_blocks_of_text_in_teaser_cards_lists_or_boilerplate_make_no_text(body: str) -> None:
    assert _decide(page(body), "https://news.example.org/harbour/boats-before-the-storm-came").reason == "words:<60"


PUBLISHED = "<meta property='article:published_time' content='2024-05-02T08:00:00+00:00'>"
BRIEF = (
    "<article><h1>Ferry service resumes</h1><p class='byline'>By Ana Silva, <time datetime='2024-05-02'>May 2, 2024"
    "</time></p><p>The morning ferry to the island runs again from Monday after the storm damaged the pier last week, "
    "the harbour office said. Tickets bought for cancelled crossings stay valid until the end of June.</p></article>"
)


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # a news brief of forty words with a byline, at an article's address, with its publication date
        (page(BRIEF, PUBLISHED), "https://news.example.org/2024/05/02/ferry-service-resumes/"),
        (page(BRIEF, PUBLISHED), "https://news.example.org/news/ferry-service-resumes"),
        # ...or dated by its NewsArticle node with a headline
        (
            page(
                BRIEF,
                jsonld({"@type": "NewsArticle", "headline": "Ferry service resumes", "datePublished": "2024-05-02"}),
            ),
            "https://news.example.org/news/ferry-service-resumes",
        ),
    ],
)
def test_a_short_news_brief_that_marks_itself_as_an_article_is_one(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.kind == "article", found
    assert "short:<60+0" in found.signals


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # the same forty words with neither an article type, nor an article's address with a date
        (page(BRIEF), "https://news.example.org/ferry"),
        (
            page(BRIEF.replace("<time datetime='2024-05-02'>May 2, 2024</time>", "")),
            "https://example.org/news/ferry-again",
        ),
        # a product with a few lines of text at an address of four words, and no date
        (
            page(
                "<main><h1>Harbour Lamp</h1><p>A brass lamp for the harbour wall, with a glass that keeps the rain out "
                "and a switch inside the base.</p><button>Add to cart</button></main>",
                jsonld({"@type": "Product", "name": "Harbour Lamp"}),
            ),
            "https://shop.example.org/products/harbour-lamp-in-brass-and-glass",
        ),
        # fewer than a quarter of the words: a picture and its caption, whatever the page says it is
        (
            page(
                "<article><h1>Sunset</h1><p class='byline'>By Ana Silva, <time datetime='2024-05-02'>May 2</time></p>"
                "<p>The sunset over the pier.</p></article>",
                jsonld({"@type": "BlogPosting", "headline": "Sunset"}),
            ),
            "https://news.example.org/2024/05/02/sunset-over-the-pier/",
        ),
    ],
)
def test_a_short_page_without_an_article_s_marks_is_not_an_article(html: str, url: str) -> None:
    found = _decide(html, url)
    assert found.reason == "words:<60" and found.rule == "words", found


AGENCY_SERVICE = (
    "<main><h1>Web design services in London</h1><p>Our designers build fast sites for small shops and cafes, "
    "and look after them for as long as you like.</p><h2>Get a quote</h2><form><textarea name='message'></textarea>"
    "<button>Send</button></form></main>"
)
SITE_WIDE_ARTICLE = jsonld({"@type": "Article", "headline": "Web design services", "datePublished": "2023-01-02"})
YOAST_WEBPAGE = jsonld(
    {"@graph": [{"@type": "WebPage", "name": "Boiler repair", "datePublished": "2021-02-03T10:00:00+00:00"}]}
)
RECENT_POSTS = (
    "<div class='widget recent-posts'>"
    + "".join(
        f"<time datetime='2024-05-0{n}'>May {n}, 2024</time><a href='/2024/05/p{n}/'>Post {n}</a>" for n in range(1, 6)
    )
    + "</div>"
)


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # a services page with an Article type (Rank Math's site-wide default), and a login page with one
        (
            page(AGENCY_SERVICE, SITE_WIDE_ARTICLE + OG_ARTICLE),
            "https://agency.example.com/web-design-services-in-london/",
        ),
        (
            page(AGENCY_SERVICE, SITE_WIDE_ARTICLE + OG_ARTICLE),
            "https://agency.example.com/services/web-design-in-london/",
        ),
        (
            page(
                "<main><h1>Sign in</h1><p>Enter your e-mail address and your password to read the stories you saved "
                "and manage your subscription.</p><form><input name='email'></form></main>",
                SITE_WIDE_ARTICLE,
            ),
            "https://news.example.org/account/sign-in",
        ),
        # a services page dated by Yoast's WebPage node (on every page), at a slug of four words
        (
            page(AGENCY_SERVICE, YOAST_WEBPAGE + OG_ARTICLE),
            "https://agency.example.com/emergency-boiler-repair-in-leeds/",
        ),
        # WordPress's attachment page of a post's image, at the post's dated address
        (
            page(
                "<main><article class='attachment'><h1>harbour-photo-3</h1><span class='byline author'>By admin</span>"
                "<img src='/wp-content/uploads/2020/05/harbour-photo-3.jpg'><p>The old harbour photographed from the "
                "lighthouse on a clear morning in May, with the boats tied up along the pier.</p></article></main>",
                OG_ARTICLE + PUBLISHED,
            ),
            "https://blog.example.org/2020/05/boats-before-the-storm/attachment/harbour-photo-3/",
        ),
        # a soft 404 at a dated address, its dates a widget's of recent posts
        (
            page(
                "<main><h1>Oops! That page can't be found.</h1><p>It looks like nothing was found at this location. "
                f"Maybe try one of the links below or a search?</p>{RECENT_POSTS}</main>",
                OG_ARTICLE,
            ),
            "https://blog.example.org/2024/05/an-old-post-that-was-removed/",
        ),
        # a video's page marked NewsArticle whose only paragraphs are a byline, a share line and tags
        (
            page(
                "<article><h1>Storm hits the pier</h1><p class='byline'>By Ana Silva | May 2, 2024 | 1 min watch</p>"
                "<iframe src='https://player.example.net/1'></iframe><p>Share this video</p>"
                "<p>Tags: harbour, storm, pier, weather, boats, ferry, lighthouse, night</p></article>",
                jsonld({"@type": "NewsArticle", "headline": "Storm hits the pier", "datePublished": "2024-05-02"}),
            ),
            "https://news.example.org/news/storm-hits-the-pier",
        ),
    ],
)
def test_a_short_page_with_marks_an_seo_plugin_or_a_widget_puts_everywhere_is_not_an_article(
    html: str, url: str
) -> None:
    assert _decide(html, url).reason == "words:<60"


def test_a_short_page_s_quarter_is_never_zero_words() -> None:
    html = page("<main><h1>Ferry</h1><p>Runs again.</p></main>", PUBLISHED)
    loaded = load_page(html.encode(), "https://news.example.org/news/ferry-runs-again")
    assert page_type(loaded, read_structured(loaded.tree), 3).reason == "words:<3"


def _list_article(href: str) -> str:
    items = "".join(f"<h2><a href='{href.format(n=n)}'>{n}. Harbour tool {n}</a></h2>{PROSE}" for n in range(1, 9))
    return page(f"<main><h1>The eight best harbour tools</h1>{items}</main>")


@pytest.mark.parametrize(
    ("body", "url"),
    [
        # a directory of clubs, each heading a link to the club's site, one sentence each
        (
            "<main><h1>Sailing clubs</h1>"
            + "".join(f"<h3><a href='https://club{n}.example.org/'>Club {n}</a></h3>{PROSE}" for n in range(15))
            + "</main>",
            "https://www.harbour.example.org/clubs/",
        ),
        # a newspaper's section whose teasers link to its sister site (paper.co.uk to paper.com)
        (
            "<main><h1>World</h1>"
            + "".join(
                f"<div class='teaser'><h3><a href='https://www.paper.com/world-{n}'>Story {n}</a></h3>{PROSE}</div>"
                for n in range(12)
            )
            + "</main>",
            "https://www.paper.co.uk/world",
        ),
    ],
)
def test_headings_linking_to_other_sites_are_teasers_of_a_directory_or_a_sister_site(body: str, url: str) -> None:
    found = _decide(page(body), url)
    assert found.kind == "other" and found.reason.startswith("teasers:"), found


def test_an_aggregator_s_headings_linking_to_other_papers_are_teasers() -> None:
    body = (
        "<main><h1>Technology</h1>"
        + "".join(
            f"<div class='item'><h3><a href='https://paper{n}.example.com/{n}'>Chip maker {n}</a></h3>{PROSE}</div>"
            for n in range(12)
        )
        + "</main>"
    )
    assert "teasers:12-1" in _decide(page(body), "https://aggregator.example.net/technology/").signals


@pytest.mark.parametrize(
    "href",
    [
        "/news/story-{n}",  # relative: the site's own
        "https://www.harbour.example.org/news/story-{n}",  # the same host, with or without www.
        "https://blog.harbour.example.org/story-{n}",  # a subdomain of the site
        "//harbour.example.org/news/story-{n}",
    ],
)
def test_headings_linking_to_the_site_s_own_pages_are_still_teasers(href: str) -> None:
    found = _decide(_list_article(href), "https://www.harbour.example.org/harbour-tools")
    assert "teasers:8-1" in found.signals, found


#: A charity's service page: its text, and the sales words of its offer (at the line, where a byline decides).
TAX_HELP = (
    f"<main><h1>Free tax help</h1>{PROSE * 6}<p>Get started today: see our pricing or start a free trial.</p></main>"
)


@pytest.mark.parametrize(
    ("link", "kind"),
    [
        # humans.txt (humanstxt.org): the people behind the site, linked from every page of it, no byline...
        ("<link rel='author' href='/humans.txt'>", "other"),
        ("<link rel='author' type='text/plain' href='https://www.example.org/HUMANS.TXT'>", "other"),
        # ...while a link to the page's author is one.
        ("<link rel='author' href='https://www.example.org/people/ana-silva'>", "article"),
    ],
)
def test_a_link_to_the_site_s_humans_txt_is_no_byline(link: str, kind: str) -> None:
    found = _decide(page(TAX_HELP, link), "https://www.example.org/need-help/tax-help/")
    assert found.kind == kind, found
    assert ("byline+1" in found.signals) == (kind == "article")
