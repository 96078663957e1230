"""Is this page an article, a forum thread, or another kind of page (listing, product, service, docs)?

``page_type`` weighs evidence, each piece a named signal with a weight, and keeps the page as an
article when the sum reaches ``ARTICLE_SCORE``:

- structured data: a schema.org article type (Article, NewsArticle, BlogPosting...) +3 (not
  TechArticle alone on a manual's address, a ``docs.`` host or a ``/docs/``-like path that is no
  article's address: documentation sites mark a manual's pages so); a type
  of another kind of page (Product, ItemList, FAQPage, SoftwareApplication, LocalBusiness...) -2, a
  listing's (CollectionPage, SearchResultsPage) -3; ``og:type`` article +1; ``article:published_time`` +1;
- URL shape: the site's home page -3 (not WordPress's plain permalink of a post, ``/?p=2895``
  on a page WordPress marks: its shortlink or canonical link with that number, or ``/wp-content/``);
  a listing, tag, author or about path -3 (not when a
  date follows it, nor a slug of four words or more under an archive or a section of the
  listing: ``/archive/2024/05/<slug>``, ``/archives/<slug>``, ``/topics/camping/<slug>``; a tag's
  or an author's own page keeps it however long its slug), and a category's, tag's or author's
  archive below a section or a locale (``/blog/category/news``, ``/magazine/tag/gadgets``,
  ``/en/author/ana``) -3, not on a page with an article type and a publication date; a section's own
  page (``/news/``, ``/blog``) -2; a sales section (``/services/``, ``/pricing``, ``/shop/``)
  -2; documentation (``/docs/``, ``docs.`` hosts) -3; an article section followed by a slug
  (``/blog/<slug>``; in other languages too, read on the unquoted path: ``/nachrichten/``,
  ``/actualités/``, ``/noticias/``... followed by a slug of two words or a long number, not a
  sub-section (``/nachrichten/sport/``) nor a listing's page or year (``/aktuelles/seite-2``,
  ``/pressemitteilungen/2024``); a singular's (``/nachricht/``, ``/artikel/``, ``/artykul/``) item
  whatever its slug; their section's own page is a section page) or a dated path (``/2024/05/``)
  +1; a slug of four words or more, in any script, +1;
- text density (reader comments left out): the share of the page's words in paragraphs of 10
  words or more (a ``<p>``, or a line of text between ``<br>`` outside any ``<p>``; not in
  navigation, headers, footers, asides or forms, unless they hold the page's ``<h1>``: the
  article's own header, or a container the parser left open around the article; nor a
  ``<header>`` holding 100 words of paragraphs, a section of text), +2 from 0.45, +1 from 0.3,
  -2 below 0.12; fewer than 100 such words -1; links holding 35% of the words outside the
  menus, header, footer and sidebars (as tags, or as a class or id: ``<div id="navi">``, not a
  layout's modifier such as ``has-sidebar``; each counted once, none that holds the headline) -1;
- markup: repeated teasers (headings that link) -1; code blocks -1; prices and sales buttons in
  the text -1; six price tags or more (texts that are a price and nothing else, outside tables:
  a product grid, a pricing page's plans) -1, and customers' testimonials outside the sidebars,
  header and footer, as tags or marked by a class or id (an element classed ``testimonial``,
  ``testimonial-card``..., not a post's ``tag-testimonials``, and holding neither the headline nor
  half the page's text: a service's or product's page shows them to sell) -1, both looked for
  only on a page at exactly the article score, where they decide;
  a date (structured, meta, ``<time>``, a dated byline) +1; a byline or ``rel=author`` (not a link to
  the site's ``humans.txt``) +1;
- a headline phrased as an article's (the first ``<h1>``, English: a question, "How to...", "What is...",
  a guide, tips for..., "X vs. Y") +1 (``headline``), read only on a page one point under the line,
  where it decides, and never alone: the address's last segment must carry the headline's words (an
  article's slug is its headline), and the page must have no sales word and no mark of a company's
  offer (below): a service's or a shop's page is headed by the name of its offer, or by a heading that
  reads as a question or a how-to ("How to order", "Need a plumber?", "Which plan is right for you?");
- a company's offer (``offer:N`` -1): on a page at exactly the article score that marks itself in no
  way as published (no article type, date, byline, article address, ``article:published_time``, share
  links nor comment form), three or more of five marks of a company
  speaking to a customer: calls to action in the content (two links or buttons or more: "Contact
  us", "Get a quote", "Book a demo"), the company's voice in the content's paragraphs ("we", "our",
  "us" one word in a hundred, or three phrases that offer its services: "our team", "free quote"), the
  reader addressed there ("you", "your" one word in forty), a ``tel:`` link in the content, a form of
  three fields or more in the content (the site's header, footer and menus, which say "Contact us",
  "Our services" and give a phone number on every page, count for nothing). One or
  two of them are an article's too (a guide says "you", a company's blog post ends with "Contact
  us"): only together do they decide (English words only, as the sales words);
- a publication's own marks: the page offers itself to its readers, with links that share it on a
  social network or a messenger (``facebook.com/sharer``, ``twitter.com/intent/tweet``,
  ``linkedin.com/shareArticle``, AddToAny's ``add_to/``... whose parameters name this page's
  address (its URL, canonical link or ``og:url``, compared whole: host, path and query), or name
  none inside the page's content (a script fills in the page's; in the menus, header, footer or a
  sidebar such a link is the site's); Jetpack's ``?share=facebook`` on the page's own address) or a
  form for readers' comments in the page's content (the comment vocabulary's names: WordPress's
  ``#respond``, ``comments-area``; a comment service's embed: Disqus's thread, giscus...; not a
  contact form's ``<textarea>``, nor a shop's review form: WooCommerce's ``#reviews``, a page with a
  product's data) +1 (``share``, ``comment-form``), both looked for only where they may decide;
  ``og:type`` article is what SEO plugins put on every page of a site, services and documentation
  included: alone, with no article type, no ``article:published_time`` (Yoast writes it on posts,
  not on pages), no article address (an article section's slug, a dated path, a slug of four words,
  a long number in the last segment: ``/district/343604``) and neither share links nor a comment
  form, it is taken back (``og:article-alone`` -1; on a tie the reason is the other signal).

A forum or Q&A thread (DiscussionForumPosting, QAPage, a Question on a page that is no FAQPage
(an FAQ's questions are the page's own) or a Question a user asked (with suggested answers, more
than one answer, an author or a date it was asked: a Q&A site that marks its thread as an
FAQPage), or a thread URL: ``/threads/``, ``/t/``, ``/questions/``,
``/travel-forum/<topic>``, ``viewtopic.php``, ``ShowTopic-...``, MyBB's ``/thread-<n>.html``,
phpBB's and Tapatalk's ``<slug>-t<n>.html``), or a microdata item typed DiscussionForumPosting
or QAPage that holds an ``<h1>`` or names the page as its ``mainEntityOfPage`` or ``url``, outside
the comments and an ``<aside>``, on a page the signals keep
with no article type in its JSON-LD or microdata (forum software that writes no JSON-LD marks its
thread's first post so), is kept as a thread: an article-like record whose
replies are its comments. Comment pages of an article are never pages of their own, and a page
with fewer than ``min_words`` words of paragraph text is not an article, unless it marks itself as one
(an article's address: an article section's slug or a dated path, not a WordPress attachment's page; and
an article's publication date: ``article:published_time``, or the ``datePublished`` of its article node
with a headline; not a WebPage's date, which SEO plugins put on every page, nor a ``<time>``, which a
widget of recent posts shows on a soft 404: a news brief of forty words) and holds a quarter of them in
paragraphs of ten words or more: then it is weighed as the others (``short`` 0, its little text counted
against it). Paragraph text is the ``<p>``, the lines between ``<br>``, and, on a page whose ``<p>`` and
lines hold fewer than ``min_words`` words, the blocks' own text in the one container that holds most of it
(a page builder's text widget, a ``<div class="paragraph">`` per paragraph, a ``<span>``'s lines between
``<br>``): only in the page's content (an ``<article>``, ``<main>`` or a container below ``<body>`` that
holds the ``<h1>``), not in a menu, sidebar, header or footer marked by a class or id, nor in a cookie
notice, a modal or a newsletter's box, and not a listing's excerpts (each in its card, or set after its
linked title in one container).

The reason stored beside the decision is the strongest signal in its direction
("structured:NewsArticle", "url:root", "sparse:0.05"...), with every signal in ``signals``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import lxml.html
from lxml import etree

from archiver.extract.comments.vocabulary import EXTERNAL, FORM_ANCHORS
from archiver.extract.document import Page, iter_document, shown_texts
from archiver.extract.pagination import NOT_AN_ARTICLE_URL
from archiver.extract.structured import (
    ARTICLE_TYPES,
    LAYOUT_MODIFIER,
    StructuredData,
    is_own_property,
    node_types,
)
from archiver.urls import address_key, join_url

_NOT_ARTICLE_PATH = re.compile(
    r"^/(?:tags?|category|categories|kategorie|rubrik|topics?|authors?|autor|page|search|suche|"
    r"archives?|about(?:-us)?|contact|kontakt|impressum|imprint|privacy|datenschutz|login|"
    r"register|feed|bio|team|newsletter|shop|cart)(?:/|\.html?$|$)|/page/\d+/?$|^/?$|^/index\.\w+$",
    re.IGNORECASE,
)
#: A category's, a tag's or an author's archive below a section or a locale (WordPress's bases under a
#: blog's or a magazine's path: ``/blog/category/news``, ``/magazine/tag/gadgets``, ``/en/author/ana``):
#: the archive's name is the path's last segment.
_LISTING_BELOW = re.compile(
    r"^/[^/]+/(?:[^/]+/)*(?:category|categories|kategorie|rubrik|tags?|authors?|autor)/[^/]+/?$", re.IGNORECASE
)
#: Words of paragraph text below which a page is not an article (ARCHIVER_EXTRACT_MIN_WORDS's default).
MIN_WORDS = 60
_BOILERPLATE = "ancestor::nav or ancestor::footer or ancestor::aside or ancestor::header or ancestor::form"


#: Chinese and Japanese text has no spaces between words: a run of these characters is counted
#: as one word per two characters (the average word length in both languages).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: Every byte but the UTF-8 lead bytes of U+3000..U+FFFF: deleting them from a text's UTF-8
#: leaves nothing when the text has no CJK character (a C loop, unlike a regex scan).
_NOT_CJK_LEAD = bytes(b for b in range(256) if not 0xE3 <= b <= 0xEF)


def count_words(text: str) -> int:
    """Words in a text: space-separated words, and CJK runs at two characters a word."""
    if text.isascii() or not text.encode("utf-8", "surrogatepass").translate(None, _NOT_CJK_LEAD):
        return len(text.split())  # no CJK character
    cjk = sum(max(1, len(run) // 2) for run in _CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + cjk


#: Where paragraphs are not the article's text.
_BOILERPLATE_TAGS = ("nav", "footer", "aside", "header", "form")
_BOILERPLATE_OR_P = (*_BOILERPLATE_TAGS, "p")
_TEXTS = etree.XPath(".//text()", smart_strings=False)


#: Words of paragraph text from which a ``<header>`` is a section of the page's text, not its header.
_SECTION_WORDS = 100
_PARAGRAPH_TEXTS = etree.XPath(".//p//text()", smart_strings=False)


def _paragraph_text(paragraph: lxml.html.HtmlElement) -> str:
    """``" ".join(_TEXTS(paragraph))``; a paragraph without children (most of them) by its ``text``
    alone, without an XPath call: its one text node, as in ``shown_texts`` (the HTML parser joins
    adjacent texts, so an unmodified ``parse_html`` tree holds no two side by side)."""
    if len(paragraph):
        return " ".join(_TEXTS(paragraph))
    return paragraph.text or ""


def _headline_holders(page: Page) -> set[lxml.html.HtmlElement]:
    """The elements that hold one of the page's ``<h1>``, and the ``<header>`` elements that hold text.

    A ``<header>``, ``<nav>``... holding the headline is the article's header or a container the
    parser left open around the article (an unknown or misnested tag): not boilerplate. A page's
    header holds a title, a menu, a line or two; a ``<header>`` whose paragraphs hold
    ``_SECTION_WORDS`` words is a section of text (site builders such as Webflow mark any section
    up as ``<header>``): not boilerplate either.
    """
    holders = {up for h1 in page.tree.iter("h1") for up in h1.iterancestors()}
    for header in page.tree.iter("header"):
        if header not in holders and count_words(" ".join(_PARAGRAPH_TEXTS(header))) >= _SECTION_WORDS:
            holders.add(header)  # a section of text that a site builder marks up as <header>
    return holders


def _in_boilerplate(paragraph: lxml.html.HtmlElement, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether a paragraph is inside another one or inside boilerplate that does not hold the headline."""
    for up in paragraph.iterancestors(_BOILERPLATE_OR_P):  # noqa: SIM110 (a loop, one tuple: a tenth faster than any())
        if up.tag == "p" or up not in headline:
            return True
    return False


def _has_words(page: Page, min_words: int, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether the paragraphs outside boilerplate hold min_words words (counted until they do).

    An outermost paragraph's texts hold those of the paragraphs inside it; the texts joined by
    spaces count as the sum of their counts (neither words nor CJK runs cross a space).
    """
    words = 0
    for paragraph in page.tree.iter("p"):
        if not _in_boilerplate(paragraph, headline):
            words += count_words(_paragraph_text(paragraph))
            if words >= min_words:
                return True
    return words + sum(n for _, n in _line_paragraphs(page, headline)) >= min_words


#: Blocks that may hold a page's text as their own, with neither ``<p>`` nor ``<br>`` (page builders'
#: text widgets, HubSpot's rich-text ``<span>``, a ``<div class="paragraph">`` per paragraph)...
_BLOCK_TAGS = ("div", "span", "td", "section", "article", "main", "blockquote", "font", "center")
#: ...not in a ``<p>`` (counted as its paragraph), a heading, a link, a list's item, a caption, code,
#: a button or a label, nor in scripts' fallbacks.
_NOT_BLOCK_TEXT = frozenset(
    {"p", "a", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "pre", "code", "button", "label",
     "noscript", "script", "style", "template"}
)  # fmt: skip


def _block_paragraphs(page: Page, headline: set[lxml.html.HtmlElement]) -> list[tuple[lxml.html.HtmlElement, int]]:
    """Paragraphs written as a block's own text (``_BLOCK_TAGS``) in the one container that holds most
    of them: each run of ten words or more of a block's own text between two child blocks, with its
    element and words (the texts of inline children are left out: each text counts once, as the text
    of the element that holds it). A page that sets its text so has it in one container (an entry's
    content, a story's column); a listing's teasers each hold their excerpt in a card of their own.

    Looked at only on a page whose ``<p>`` and ``<br>`` lines hold fewer than ``min_words`` words:
    a page that sets its text without them.
    """
    found: dict[lxml.html.HtmlElement | None, list[tuple[lxml.html.HtmlElement, int]]] = {}
    for holder in page.tree.iter(*_BLOCK_TAGS):
        run, runs = [holder.text or ""], []
        for child in holder:
            if child.tag == "br":
                if holder.tag not in _INLINE:
                    break  # a block's lines between breaks: _line_paragraphs
                runs.append(" ".join(run))  # an inline block's (HubSpot's <span>): each line a run
                run = [child.tail or ""]
                continue
            if child.tag not in _INLINE:
                runs.append(" ".join(run))
                run = []
            run.append(child.tail or "")
        else:
            runs.append(" ".join(run))
            texts = [(holder, n) for n in map(count_words, filter(str.strip, runs)) if n >= _TEXT_PARAGRAPH]
            if not texts or any(up.tag in _NOT_BLOCK_TEXT for up in holder.iterancestors()):
                continue
            if not _in_boilerplate(holder, headline) and _in_content(holder, headline):
                found.setdefault(holder.getparent(), []).extend(texts)
    holders = {holder for texts in found.values() for holder, _ in texts}
    listings = [container for container in found if container is not None and _teaser_titles(container, holders) >= 2]
    for container in listings:
        del found[container]
    return max(found.values(), key=lambda texts: sum(n for _, n in texts), default=[])


#: A class or id naming what overlays or frames a page rather than its text: a cookie or consent
#: banner, a modal or pop-up, a newsletter's sign-up (as a word of a name, between hyphens or underscores).
_OVERLAY_NAME = re.compile(
    r"(?:^|[-_\s])(?:cookies?|consent|gdpr|modal|popup|pop-up|overlay|newsletter|subscribe|subscription|signup)(?:$|[-_\s])",
    re.IGNORECASE,
)
_CONTENT_TAGS = frozenset({"article", "main"})


def _in_content(holder: lxml.html.HtmlElement, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether a block is in the page's content: in an ``<article>`` or ``<main>``, or in a container
    (below ``<body>``) that holds the page's ``<h1>``; and neither in a menu, sidebar, header or footer
    marked by a class or id (``_marked_around``) nor in a cookie banner, a modal or a newsletter's box."""
    framed = False
    for up in _up_to_body(holder):
        names = f"{up.get('class', '')} {up.get('id', '')}"
        if (_marked_around(up) and up not in headline) or _OVERLAY_NAME.search(names):
            return False
        framed = framed or up.tag in _CONTENT_TAGS or (up is not holder and up in headline)
    return framed


_TEASER_TITLE_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "div", "span", "header"})


def _teaser_titles(container: lxml.html.HtmlElement, holders: set[lxml.html.HtmlElement]) -> int:
    """The children of a container that are a teaser's title: a heading or a block whose text is all
    one link's, followed by a block of text (``holders``): a listing's or a search's results set each
    excerpt beside its linked title, in one container with no card around them."""
    titles = 0
    for child in container:
        if child.tag not in _TEASER_TITLE_TAGS or child.getnext() not in holders:
            continue
        links = child.findall(".//a[@href]")
        if len(links) == 1 and " ".join(_TEXTS(child)).split() == " ".join(_TEXTS(links[0])).split() != []:
            titles += 1
    return titles


#: Elements whose text runs on in a line of text (the others break it).
_INLINE = frozenset(
    {"a", "b", "strong", "i", "em", "span", "u", "small", "mark", "abbr", "cite", "q", "sub", "sup", "font"}
)


def _line_paragraphs(page: Page, headline: set[lxml.html.HtmlElement]) -> list[tuple[lxml.html.HtmlElement, int]]:
    """Paragraphs written as lines between ``<br>`` outside any ``<p>``: each with its element and words.

    Some pages (older CMS, hand-written HTML) set their text as lines of a ``<div>`` or ``<td>``
    broken by ``<br>``: each run of text between two breaks (or blocks) is a paragraph.
    """
    found = []
    seen: set[lxml.html.HtmlElement] = set()
    for br in page.tree.iter("br"):
        holder = br.getparent()
        if holder is None or holder in seen or holder.tag in _INLINE or holder.tag == "p":
            continue
        seen.add(holder)
        if holder.tag in _BOILERPLATE_TAGS or _in_boilerplate(holder, headline):
            continue
        run = [holder.text or ""]
        for child in holder:
            if child.tag == "br" or child.tag not in _INLINE:
                found.append((holder, count_words(" ".join(run))))
                run = []
            else:
                run.extend(_TEXTS(child))
            run.append(child.tail or "")
        found.append((holder, count_words(" ".join(run))))
    return [(el, n) for el, n in found if n]


#: (The headings found by their names, not every element tested for both: half the time, the same elements.)
_LINKED_HEADINGS = etree.XPath(f"(//h2 | //h3)[.//a[@href]][not({_BOILERPLATE})]")


def _teasers(page: Page) -> int:
    """Headings (``<h2>``, ``<h3>``) that link, outside boilerplate: a listing's teasers."""
    return len(_LINKED_HEADINGS(page.tree))


_DATE_PLACES = (
    "//@class[contains(., 'date') or contains(., 'byline') or contains(., 'posted')"
    f" or contains(., 'meta')]/parent::*[not({_BOILERPLATE})]//text()"
)


def _has_date(page: Page, data: StructuredData) -> bool:
    if data.article and data.article.get("datePublished"):
        return True
    if data.first_meta("article:published_time", "date", "dc.date", "datepublished"):
        return True
    if page.tree.xpath(f"//time[not({_BOILERPLATE})] | //@itemprop[. = 'datePublished']/.."):
        return True
    return bool(re.search(r"\b(?:19|20)\d{2}\b", " ".join(page.tree.xpath(_DATE_PLACES, smart_strings=False))))


#: Kinds of page: kept as an article, kept as a thread (its replies the comments), or not kept.
ARTICLE, THREAD, OTHER = "article", "thread", "other"
#: The score from which a page is an article.
ARTICLE_SCORE = 2
#: schema.org types of forum and Q&A threads.
THREAD_TYPES = frozenset({"DiscussionForumPosting", "QAPage", "Question"})
#: schema.org types that say the page is something else than an article.
OTHER_TYPES = frozenset(
    {
        "Product", "ProductGroup", "Offer", "AggregateOffer", "CollectionPage", "ItemList", "FAQPage",
        "SoftwareApplication", "WebApplication", "MobileApplication", "Service", "Course", "Event",
        "JobPosting", "SearchResultsPage", "ProfilePage", "Store", "LocalBusiness", "Restaurant",
    }
)  # fmt: skip
#: schema.org's types of a listing's page (Yoast writes ``CollectionPage`` on category and tag archives):
#: the page says it is a listing, as a listing's address does (``url:listing``).
_LISTING_TYPES = frozenset({"CollectionPage", "SearchResultsPage"})


def _other_type(others: list[str]) -> tuple[str, int]:
    """The signal of the page's types of another kind than an article (``OTHER_TYPES``, sorted): a listing's
    type -3 (named first), any other -2 (an FAQ block alone too: SEO plugins add it to service pages as
    to posts, and on both sets it stands on more pages of other kinds than articles)."""
    listing = [name for name in others if name in _LISTING_TYPES]
    if listing:
        return f"structured:{listing[0]}", -3
    return f"structured:{others[0]}", -2


_LOCALE = r"(?:[a-z]{2}(?:[-_][a-z]{2})?/)?"
_HOME = re.compile(rf"^/{_LOCALE}?(?:index\.\w+)?$", re.IGNORECASE)
#: WordPress's plain permalink of a post (``/?p=2895``): a post's address at the site's root.
_POST_QUERY = re.compile(r"(?:^|&)p=(\d+)(?:&|$)")
_WORDPRESS_LINKS = etree.XPath("//link[@rel='shortlink' or @rel='canonical']/@href", smart_strings=False)
_WORDPRESS_FILES = etree.XPath(
    "//@href[contains(., '/wp-content/') or contains(., '/wp-includes/')]"
    " | //@src[contains(., '/wp-content/') or contains(., '/wp-includes/')]",
    smart_strings=False,
)


def _wordpress_post(page: Page, query: str) -> bool:
    """Whether the page is WordPress's plain permalink of a post (``/?p=2895``): a ``p`` number in the
    address, and WordPress's mark on the page (its shortlink or canonical link with the same number,
    or its files under ``/wp-content/``). Other sites page their home listing with ``?p=2``."""
    number = _POST_QUERY.search(query)
    if not number:
        return False
    for href in _WORDPRESS_LINKS(page.tree):
        linked = _POST_QUERY.search(urlsplit(href.strip()).query)
        if linked and linked.group(1) == number.group(1):
            return True
    return bool(_WORDPRESS_FILES(page.tree))


#: An article section's name in other languages (news, article, press release, current affairs),
#: read on the unquoted path. Seen in the two real sets: artikel, aktuelles, pressemitteilungen,
#: nachrichten, meldungen, artykul; the others are the same words in the sets' other languages.
_FOREIGN_SECTIONS = (
    r"nachrichten|nachricht|artikel|meldungen|meldung|aktuelles|pressemitteilungen|pressemitteilung|"
    r"actualit[eé]s?|actualidad|noticias?|notizie|notizia|nieuws|artyku[lł]y?|wiadomo[sś]ci|art[ií]culos?|"
    r"artigos?|uutiset|nyheter|nyheder"
)
_SECTION_PAGE = re.compile(
    r"/(?:news|blogs?|articles|stories|topics?|tags?|sections?|category|archive|latest|all|list|index|"
    rf"{_FOREIGN_SECTIONS})(?:/|\.html?)?$",
    re.IGNORECASE,
)
_SALES_PATH = re.compile(
    rf"^/{_LOCALE}(?:services?|solutions?|products?|pricing|plans|platform|features?|shop|store|collections?|"
    r"category|categories|c|courses?|programs?|certificates?|industries|integrations|tools?)(?:/|\.html?$|$)",
    re.IGNORECASE,
)
_DOCS_PATH = re.compile(r"/(?:docs?|documentation|manual|reference|api|wiki|howto|handbook|book|support|kb)/", re.I)
_DOCS_HOST = re.compile(r"^(?:docs?|wiki|developers?|support|help)\.", re.IGNORECASE)
#: A manual's address: a ``docs.`` host or a ``/docs/``-like path (not a developers' or a support
#: site, where blogs and help articles live too).
_MANUAL_PATH = re.compile(r"/(?:docs?|documentation|manual|reference|api|handbook)/", re.IGNORECASE)
_MANUAL_HOST = re.compile(r"^docs?\.", re.IGNORECASE)
_ARTICLE_PATH = re.compile(
    r"/(?:blogs?|news|articles?|posts?|stories|story|insights|magazine|journal|opinion|features?|resources|"
    r"guides?|learn)/[^/]+|/(?:19|20)\d\d/\d\d?/",
    re.IGNORECASE,
)
#: An article under a section named in another language: the path's last segment after it is an
#: article's slug (``_article_slug``), not a sub-section (``/nachrichten/sport/``) nor a page of the
#: listing (``/aktuelles/seite-2``, ``/pressemitteilungen/2024``).
_FOREIGN_ARTICLE_PATH = re.compile(rf"/(?:{_FOREIGN_SECTIONS})/(?:[^/]+/)*?([^/]+?)/?$", re.IGNORECASE)
#: The same sections named in the singular (one news item, one article): what follows is the item,
#: whatever its slug (``/nachricht/bischofswort.html``), unless a listing's page or year.
_ITEM_PATH = re.compile(
    r"/(?:nachricht|meldung|pressemitteilung|artikel|artyku[lł]|art[ií]culo|artigo|notizia)/([^/]+?)/?$", re.I
)
#: A listing's page or year as a path segment: ``seite-2``, ``page-3``, ``p2``, ``2024``, ``12``.
_LISTING_SEGMENT = re.compile(r"(?:(?:seite|page|pagina|strona|sivu|side|p)[-_]?\d+|(?:19|20)\d\d|\d{1,3})", re.I)
#: A long number in a path's last segment (``/district/343604``, ``sturm-58354.html``): an article's id.
_ARTICLE_ID = re.compile(r"(?<!\d)\d{5,}(?!\d)")
_THREAD_PATH = re.compile(
    r"/(?:threads?|t|questions|discussions?|forums?|comments|d)/[^/]+|/[\w-]+-forums?/[^/]+|"
    r"/(?:viewtopic|showthread)\.php|/showtopic\b|^/(?:s|topic)/\w+/|/thread-\d+(?:-[\w-]+)?\.html?$|-t\d{2,}(?:-\d+)?\.html?$",
    re.IGNORECASE,
)
#: A year and month in a path (``/2024/05/``): an article's address, even under ``/archive/``.
_DATED_PATH = re.compile(r"/(?:19|20)\d\d/\d\d?/")
#: An article filed under an archive's path (``/archives/<slug>``, ``/page/<slug>``) or under a
#: section of a listing (``/topics/camping/<slug>``): a slug of four words or more. A tag's or an
#: author's own page may have a long slug too (``/tag/russia-ukraine-war-news``), right after it.
_FILED_ARTICLE = re.compile(
    r"^/(?:(?:archives?|page)/|[^/]+/[^/]+/)(?:[^/]+/)*[^/]*\w+[-_]\w+[-_]\w+[-_]\w+[^/]*/?$", re.IGNORECASE
)
_SLUG_SPLIT = re.compile(r"[-_+]+")
_SALES_WORDS = re.compile(
    r"[$€£]\s?\d[\d,.]*\s*(?:/|per)\s*(?:mo|month|year|yr|user)|/mo\b|per month|pricing|add to (?:cart|bag|basket)|"
    r"buy now|free trial|get started|book a demo|request a demo|sign up free|contact sales",
    re.IGNORECASE,
)
#: _SALES_WORDS (lower case) case-sensitive, run on a text's lower case: the same matches, three times faster
#: (the scan can skip the characters no match starts with). ``str.lower()`` gives what IGNORECASE compares
#: for every letter but these three, which IGNORECASE matches with "i" and "s" and ``lower()`` does not.
_SALES_WORDS_LOWER = re.compile(_SALES_WORDS.pattern, 0 if _SALES_WORDS.pattern.islower() else re.IGNORECASE)
_NOT_LOWERED = ("\u0130", "\u0131", "\u017f")
#: What each match of _SALES_WORDS_LOWER holds (a currency sign or one of the phrases): a lower-case text
#: holding none has no match, found by ``in`` in C where the pattern is tried at every position that
#: starts like one of its branches (a, b, c, f, g, p, r, s, /): 0.5 ms on a page's text.
_SALES_CLUES = (
    "$", "\u20ac", "\u00a3", "/mo", "per month", "pricing", "add to ", "buy now", "free trial", "get started",
    "book a demo", "request a demo", "sign up free", "contact sales",
)  # fmt: skip


def _sales_words(text: str) -> int:
    """How many times _SALES_WORDS matches in text."""
    if any(letter in text for letter in _NOT_LOWERED):
        return len(_SALES_WORDS.findall(text))
    lowered = text.lower()
    if not any(clue in lowered for clue in _SALES_CLUES):
        return 0
    return len(_SALES_WORDS_LOWER.findall(lowered))


#: Texts that are a price and nothing else ("$49.99", "From £12", "19,90 €"), outside tables: the
#: price tags of a product grid or a pricing table's plans (an article states prices in its sentences,
#: a cost guide in a table).
_PRICE_TAGS = etree.XPath(
    "//body//text()[contains(., '$') or contains(., '\u20ac') or contains(., '\u00a3')]"
    "[string-length(normalize-space(.)) < 25]"
    "[not(ancestor::table or ancestor::script or ancestor::style)]"
    "[not(ancestor::code or ancestor::pre or ancestor::noscript)]",
    smart_strings=False,
)
_PRICE_TAG = re.compile(
    r"^\s*(?:(?:from|now|sale|only|ab|desde|dès|à partir de)\s*:?\s*)?"
    r"(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?[$€£])\s*(?:USD|EUR|GBP|CAD|AUD)?\*?\s*$",
    re.IGNORECASE,
)
#: Price tags from which a page is a product grid or a pricing page.
_PRICE_TAGS_SOME = 6


def _price_tags(page: Page) -> int:
    """How many texts of the page are a price tag and nothing else (``_PRICE_TAG``)."""
    return sum(1 for text in _PRICE_TAGS(page.tree) if _PRICE_TAG.match(text))


#: Elements whose text a reader does not see as the page's.
_HIDDEN_TAGS = ("script", "style", "noscript")
_BODY_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]", smart_strings=False
)
_BODIES = etree.XPath("//body")


def _body_texts(page: Page) -> list[str]:
    """The texts of the page's ``<body>`` outside scripts, styles and noscripts (``_BODY_TEXT``)."""
    bodies = _BODIES(page.tree)
    return _shown_texts(bodies[0]) if len(bodies) == 1 else _BODY_TEXT(page.tree)


def _shown_texts(el: lxml.html.HtmlElement) -> list[str]:
    """``el.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")``, three
    times faster (``document.shown_texts``). That needs a tree as ``parse_html`` gives it: the page
    type reads the page before extraction changes the tree."""
    return shown_texts(el, _HIDDEN_TAGS)


_LINK_TEXT = etree.XPath("//body//a//text()", smart_strings=False)
_AREA_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
#: The page's surroundings: menus, its header and footer, sidebars.
_AROUND_TAGS = ("nav", "footer", "header", "aside")


#: An area's words and words of links (``_area_words``), each area counted once a page.
_Counted = dict[lxml.html.HtmlElement, tuple[int, int]]


def _area_words(area: lxml.html.HtmlElement, counted: _Counted) -> tuple[int, int]:
    """Words, and words of links, in an area: counted once (``_surroundings_words`` counts again the areas
    ``_around_words`` counted, on a page where the links' share may decide)."""
    if area not in counted:
        counted[area] = count_words(" ".join(_shown_texts(area))), count_words(" ".join(_AREA_LINK_TEXT(area)))
    return counted[area]


def _around_words(page: Page, headline: set[lxml.html.HtmlElement], counted: _Counted) -> tuple[int, int]:
    """Words, and words of links, in the page's surroundings (the outermost ``_AROUND_TAGS``
    elements that do not hold the headline or a section of text)."""
    words = links = 0
    for area in page.tree.iter(*_AROUND_TAGS):
        if area in headline or next(area.iterancestors(*_AROUND_TAGS), None) is not None:
            continue
        area_words, area_links = _area_words(area, counted)
        words += area_words
        links += area_links
    return words, links


#: Menus, sidebars, breadcrumbs, headers and footers marked by a class or id rather than a tag (older
#: layouts set their menus in ``<div id="navi">``, ``<ul class="main-menu">``): a class or id name,
#: or a part of one between hyphens or underscores, naming one.
_AROUND_WORDS = "nav|navi|navigation|menu|sidebar|breadcrumbs?|header|footer"
#: The candidates: elements with a class or id whose names, joined by a space, hold such a word between
#: spaces, hyphens or underscores (tested in Python: an EXSLT ``re:test`` in the XPath called back into
#: Python for every element of the body, 40% dearer). ``_AROUND_NAME`` then decides, once the layout's
#: modifiers are left out ("site-content has-sidebar" is the content beside a sidebar, not a sidebar:
#: ``LAYOUT_MODIFIER``, shared with the metadata).
_CLASSED = etree.XPath("//body//*[@class or @id]")
_MARKED_NAME = re.compile(rf"(^|[-_ ])({_AROUND_WORDS})($|[-_ ])", re.UNICODE | re.IGNORECASE)
_AROUND_NAME = re.compile(rf"(?:^|[-_\s])(?:{_AROUND_WORDS})(?:$|[-_\s])", re.IGNORECASE)


def _marked_around(el: lxml.html.HtmlElement) -> bool:
    """Whether an element's class or id names a menu, sidebar, header or footer (not a layout's modifier)."""
    return bool(_AROUND_NAME.search(LAYOUT_MODIFIER.sub(" ", f"{el.get('class', '')} {el.get('id', '')}")))


def _marked_areas(page: Page) -> list[lxml.html.HtmlElement]:
    """The elements whose class or id marks them as a menu, sidebar, header or footer (``_marked_around``)."""
    candidates = (el for el in _CLASSED(page.tree) if _MARKED_NAME.search(f"{el.get('class', '')} {el.get('id', '')}"))
    return [el for el in candidates if _marked_around(el)]


def _surroundings_words(page: Page, headline: set[lxml.html.HtmlElement], counted: _Counted) -> tuple[int, int]:
    """Words, and words of links, in the page's surroundings as tags (``_AROUND_TAGS``) or marked by a
    class or id (``_marked_areas``), counted once: the outermost of these areas, once those that hold
    the headline or a section of text are left out (the article's frame, whatever its name, is no
    surrounding, and the menus inside it are)."""
    areas = {el for el in page.tree.iter(*_AROUND_TAGS)} | set(_marked_areas(page))
    areas -= headline
    words = links = 0
    for area in areas:
        if any(up in areas for up in area.iterancestors()):
            continue
        area_words, area_links = _area_words(area, counted)
        words += area_words
        links += area_links
    return words, links


#: Whether an element has ``rel`` or ``itemprop`` "author" or a class holding "byline" or "author", found
#: by the attributes (half the time of testing the four of every element). Not a ``rel=author`` link to the
#: site's ``humans.txt`` (humanstxt.org's convention: the people behind the site, linked from every page).
_BYLINE = etree.XPath(
    "boolean(//@rel[. = 'author'][not(contains(translate(../@href, 'HUMANSTX', 'humanstx'), 'humans.txt'))]"
    " | //@itemprop[. = 'author']"
    " | //@class[contains(., 'byline') or contains(., 'author')])"
)
#: Words of a paragraph that is text, not a caption, button or teaser line.
_TEXT_PARAGRAPH = 10


#: Links that share a page on a social network or a messenger, by their endpoints: the buttons a
#: publication puts beside its articles ("Share on Facebook", "Tweet", "Pin it", "Send by WhatsApp").
_SHARE_ENDPOINT = re.compile(
    r"(?:facebook\.com/shar(?:er|e\.php)|twitter\.com/(?:intent/tweet|share)|\bx\.com/(?:intent/(?:tweet|post)|share)"
    r"|linkedin\.com/(?:shareArticle|sharing/share|cws/share)|pinterest\.[a-z.]+/pin/create|whatsapp\.com/send"
    r"|whatsapp://send|\bwa\.me/\?text|reddit\.com/submit|\bt(?:elegram)?\.me/share|xing\.com/(?:spi/shares|social)"
    r"|vk\.com/share|bsky\.app/intent|tumblr\.com/(?:share|widgets/share)|getpocket\.com/save"
    r"|addtoany\.com/(?:share|add_to/)|flipboard\.com/bookmarklet)",
    re.IGNORECASE,
)
#: WordPress Jetpack's share buttons: links to the post itself with ``?share=<network>``.
_OWN_SHARE = re.compile(
    r"[?&]share=(?:facebook|twitter|x|linkedin|pinterest|reddit|email|print|whatsapp|jetpack-whatsapp|telegram"
    r"|tumblr|pocket|threads|bluesky|mastodon|nextdoor)\b",
    re.IGNORECASE,
)
_SHARE_LINKS = etree.XPath(
    "//a[contains(@href, 'share') or contains(@href, 'intent') or contains(@href, 'pin/create')"
    " or contains(@href, 'send') or contains(@href, 'submit') or contains(@href, 'text=') or contains(@href, 'save')"
    " or contains(@href, 'social') or contains(@href, 'bookmarklet') or contains(@href, 'add_to')]"
)
#: An address in a share link's parameter (``u=``, ``url=``, ``linkurl=``, or a ``text=`` that ends with it).
_NAMED_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)
#: Jetpack's own parameters on the shared post's address.
_JETPACK_PARAMS = frozenset({"share", "nb"})
#: Where a share link naming no address is the site's, not the page's: a widget in the menus, the
#: header, the footer or a sidebar ("share this site") is on every page.
_AROUND_SHARE = frozenset({"nav", "footer", "aside", "header"})


def _own_addresses(page: Page, data: StructuredData) -> set[tuple[str, str, str]]:
    """The page's addresses: its URL, its canonical link and its ``og:url``."""
    found = [page.url, data.first_meta("og:url") or "", *_CANONICAL(page.tree)]
    keys = {address_key(joined) for address in found if address and (joined := join_url(page.url, address))}
    return {key for key in keys if key is not None}


_CANONICAL = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)


def _in_main(link: lxml.html.HtmlElement, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether an element is outside the menus, header, footer and sidebars that do not hold the headline."""
    return not any(up not in headline for up in link.iterancestors(*_AROUND_SHARE))


def _shared(page: Page, data: StructuredData, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether the page has a link that shares it: a share endpoint (``_SHARE_ENDPOINT``) whose
    parameters name this page's address (its URL, canonical link or ``og:url``, compared as whole
    addresses, query included); one naming no address (a script fills the page's in) in the page's
    content, not in its menus, header, footer or sidebars (a site-wide widget); or Jetpack's
    ``?share=`` link on the page's own address (``_OWN_SHARE``; a relative one only in the content).
    A share link naming another address is a teaser's or the site's."""
    own: set[tuple[str, str, str]] | None = None
    for link in _SHARE_LINKS(page.tree):
        href = (link.get("href") or "").strip()
        jetpack = bool(_OWN_SHARE.search(href))
        if not jetpack and not _SHARE_ENDPOINT.search(href):
            continue
        own = own if own is not None else _own_addresses(page, data)
        try:
            parts = urlsplit(href)
        except ValueError:  # a link urllib cannot read names no address
            continue
        if jetpack:  # the link's address is the post it shares
            if parts.netloc:
                if address_key(href, _JETPACK_PARAMS) in own:
                    return True
            elif _in_main(link, headline):  # "?share=email": the page it is on
                return True
            continue
        named = [address for _, value in parse_qsl(parts.query) for address in _NAMED_ADDRESS.findall(unquote(value))]
        if any(address_key(address if "//" in address else f"//{address}") in own for address in named):
            return True
        if not named and _in_main(link, headline):
            return True
    return False


#: A form for readers' comments, by the names comment markup gives it (``vocabulary.FORM_ANCHORS``:
#: WordPress's ``#respond``; its ``#commentform``, ``comment-form``, ``comment-respond``,
#: ``comments-area``) and by the markers a third-party comment service's embed leaves as an id,
#: a class or a script's address (``vocabulary.EXTERNAL``: Disqus's ``disqus_thread``, ``fb-comments``,
#: ``giscus.app``...). A contact form's ``<textarea name="comment">`` is none.
_FORM_NAMES = (*FORM_ANCHORS, "commentform", "comment-form", "comment-respond", "comments-area")
_FORM_MARKERS = (*_FORM_NAMES, *(marker for _, markers in EXTERNAL for marker in markers if '"' not in marker))
_FORM_TOKEN = re.compile("|".join(re.escape(name) for name in _FORM_NAMES))
_FORM_PLACES = etree.XPath(
    "//*[contains(@id, $marker) or contains(@class, $marker) or contains(@src, $marker)]", smart_strings=False
)
#: The tags whose ``src`` embeds a comment service: its script, or its frame.
_EMBED_TAGS = frozenset({"script", "iframe"})
#: A shop's reviews (WooCommerce's ``#reviews`` holds WordPress's comment form as its review form).
_REVIEWS = re.compile(r"review", re.IGNORECASE)
#: Types of a page whose comment form is its customers' reviews.
_SHOP_TYPES = frozenset({"Product", "ProductGroup", "Offer", "AggregateOffer"})


def _comment_form(page: Page, headline: set[lxml.html.HtmlElement]) -> bool:
    """Whether the page has a form for readers' comments (``_FORM_MARKERS``) in its content: not in
    the menus, header, footer or sidebars, nor in a shop's reviews. The page's source is searched for
    the markers first; the tree only for those it holds."""
    for marker in _FORM_MARKERS:
        if marker not in page.text:
            continue
        for place in _FORM_PLACES(page.tree, marker=marker):
            names = f"{place.get('id') or ''} {place.get('class') or ''}"
            if marker in _FORM_NAMES and not any(_FORM_TOKEN.fullmatch(name) for name in names.split()):
                continue  # "respond" in "respond-button": no form's name
            if marker not in names and place.tag not in _EMBED_TAGS:
                continue  # a service's name in an image's or a video's address: no embed
            chain = [place, *place.iterancestors()]
            if any(_REVIEWS.search(f"{up.get('id') or ''} {up.get('class') or ''}") for up in chain):
                continue  # a shop's review form
            if _in_main(place, headline):
                return True
    return False


def _offered(page: Page, data: StructuredData, headline: set[lxml.html.HtmlElement], types: set[str]) -> str | None:
    """How the page offers itself to its readers, as a publication does its articles: "share" (a link
    that shares it), "comment-form" (a form for readers' comments; not on a product's page, whose form
    takes its customers' reviews), or None."""
    if _shared(page, data, headline):
        return "share"
    return "comment-form" if not types & _SHOP_TYPES and _comment_form(page, headline) else None


@dataclass(frozen=True)
class PageType:
    """The crawl's decision on a page, and the signals it rests on."""

    kind: str  # ARTICLE, THREAD or OTHER
    #: The strongest signal in the decision's direction, such as "structured:NewsArticle" or "teasers:12"
    #: (or the rule read last that moved the page across the line: "headline", "offer:3").
    reason: str
    #: Every signal weighed, with its weight ("structured:NewsArticle+3", "url:root-3"...).
    signals: tuple[str, ...] = ()

    @property
    def kept(self) -> bool:
        """Whether the crawl keeps the page (an article, or a thread)."""
        return self.kind != OTHER

    @property
    def article(self) -> bool:
        return self.kind == ARTICLE

    @property
    def rule(self) -> str:
        """The reason without its value when that is a number ("teasers:12" -> "teasers"): a stats key."""
        name, _, value = self.reason.partition(":")
        return name if not value or value[0].isdigit() or value[0] in "<>" else self.reason


def _last_segment(path: str) -> str:
    """The last segment of an (unquoted) path without its file extension."""
    parts = [part for part in path.split("/") if part]
    return parts[-1].rsplit(".", 1)[0] if parts else ""


def _slug_words(path: str) -> int:
    """Words of the unquoted path's last segment: words of any script (``/uk/новини-про-шторм-у-гавані``)."""
    return sum(1 for word in _SLUG_SPLIT.split(_last_segment(path)) if word.isalpha())


def _article_slug(segment: str) -> bool:
    """Whether a path segment after an article section is an article's slug: two words or more, or a
    long number (an id), and not a listing's page or year (``_LISTING_SEGMENT``)."""
    segment = segment.rsplit(".", 1)[0]
    if _LISTING_SEGMENT.fullmatch(segment):
        return False
    words = [word for word in _SLUG_SPLIT.split(segment) if word]
    ids = (word for word in words if word.isdigit() and len(word) >= 4 and not _LISTING_SEGMENT.fullmatch(word))
    return sum(word.isalpha() for word in words) >= 2 or any(ids)


def _article_address(path: str) -> bool:
    """Whether the unquoted path is an article's: under an article section (``/blog/<slug>``, a section
    in another language followed by an article's slug) or dated (``/2024/05/``)."""
    if _ARTICLE_PATH.search(path):
        return True
    item = _ITEM_PATH.search(path)
    if item:
        return not _LISTING_SEGMENT.fullmatch(item.group(1).rsplit(".", 1)[0])
    foreign = _FOREIGN_ARTICLE_PATH.search(path)
    return bool(foreign and _article_slug(foreign.group(1)))


#: The elements with "comment" in their id or class, found by their attributes (a third less time than
#: testing both attributes of every element: the same elements, in document order).
_COMMENT_MARKED = etree.XPath("//@id[contains(., 'comment')]/.. | //@class[contains(., 'comment')]/..")


def _comment_areas(page: Page) -> set[lxml.html.HtmlElement]:
    """The outermost elements marked as comments (by id or class) that do not hold the page's <h1>."""
    found = _COMMENT_MARKED(page.tree)
    marked = set(found)
    outside: set[lxml.html.HtmlElement] = set()  # elements walked up from an outermost one: no marked ancestor
    areas = set()
    for el in found:  # (not each element's ancestors walked up to the root: a tenth less time)
        walked, inner = [], False
        for up in el.iterancestors():
            if up in marked:
                inner = True  # inside a marked element
                break
            walked.append(up)
            if up in outside:
                break  # its ancestors were walked before
        if not inner:
            outside.update(walked)
            if el.find(".//h1") is None:
                areas.add(el)
    return areas


def _paragraph_words(
    page: Page,
    skipped: set[lxml.html.HtmlElement],
    headline: set[lxml.html.HtmlElement],
    blocks: tuple[tuple[lxml.html.HtmlElement, int], ...] = (),
) -> list[int]:
    """Words of each outermost paragraph outside boilerplate and the ``skipped`` areas (and of the
    ``blocks``' paragraphs, on a page that sets its text without ``<p>``: ``_block_paragraphs``)."""
    inside = {p for area in skipped for p in area.iterdescendants("p")}  # (not each paragraph's ancestors walked)
    words = [
        count_words(_paragraph_text(paragraph))
        for paragraph in page.tree.iter("p")
        if paragraph not in inside and not _in_boilerplate(paragraph, headline)
    ]
    lines = [*_line_paragraphs(page, headline), *blocks]
    return words + [
        n for el, n in lines if not (skipped and (el in skipped or any(up in skipped for up in el.iterancestors())))
    ]


def _text_words(
    page: Page, headline: set[lxml.html.HtmlElement], blocks: tuple[tuple[lxml.html.HtmlElement, int], ...]
) -> int:
    """Words in paragraphs of ``_TEXT_PARAGRAPH`` words or more (a byline, a share line, tags are none)."""
    return sum(n for n in _paragraph_words(page, set(), headline, blocks) if n >= _TEXT_PARAGRAPH)


def _asked(question: dict[str, Any]) -> bool:
    """Whether a Question node is a user's question on a Q&A site: answers suggested, more than one
    answer, an asker or the day it was asked. An FAQ block's questions (Yoast, Rank Math) carry one
    accepted answer (Yoast adds ``answerCount: 1``) and none of these."""
    if question.get("suggestedAnswer") or question.get("author") or question.get("dateCreated"):
        return True
    try:
        return int(str(question.get("answerCount") or 0).strip()) > 1
    except ValueError:
        return False


#: A page with fewer than ``min_words`` words of paragraph text but a ``1/_SHORT`` of them is weighed as the
#: others when it marks itself as an article (``_short_article``).
_SHORT = 4


#: WordPress's attachment pages (an image's own page, at its post's dated address): no article.
_ATTACHMENT = re.compile(r"/attachment/|[?&]attachment_id=", re.IGNORECASE)


#: A microdata item's properties that name the page it is the main item of.
_ITEM_PAGE_PROPS = frozenset({"mainEntityOfPage", "url"})


def _names_the_page(scope: lxml.html.HtmlElement, url: str) -> bool:
    """Whether an item scope's own ``mainEntityOfPage`` or ``url`` property (not a nested item's) is the page's
    address (``address_key``; not an anchor in it: a comment's ``#comment-12``)."""
    for el in scope.iterdescendants("meta", "link", "a"):
        if not _ITEM_PAGE_PROPS.intersection(el.get("itemprop", "").split()):
            continue
        value = el.get("content") or el.get("href") or ""
        joined = join_url(url, value.strip()) if value and is_own_property(el, scope) else None
        if joined and not urlsplit(joined).fragment and address_key(joined) == address_key(url) is not None:
            return True
    return False


def _microdata_thread(data: StructuredData, comments: set[lxml.html.HtmlElement], url: str) -> str | None:
    """The type of the first microdata item typed as a thread (``StructuredData.thread_items``) that is the
    page's own, outside the comment areas and an ``<aside>`` (outside an ``<article>``), or None; None on a
    page whose microdata has an article's type (a blog post whose readers' comments are marked as forum posts).

    A thread's own item holds the page's ``<h1>`` or names the page as its ``mainEntityOfPage`` or ``url``
    (forum software that heads its pages with the site's name); a forum's card in a sidebar or a comment
    does neither. (An element that holds the headline frames the page whatever its class says, as in
    ``structured``: only an ``<aside>`` around it hides it.)
    """
    if data.item_types & ARTICLE_TYPES - THREAD_TYPES:
        return None
    for name, scope in data.thread_items:
        if scope in comments or not (scope.find(".//h1") is not None or _names_the_page(scope, url)):
            continue
        ancestors = list(scope.iterancestors())
        if any(up in comments for up in ancestors):
            continue
        if any(up.tag == "aside" and not any(a.tag == "article" for a in up.iterancestors()) for up in ancestors):
            continue
        return name
    return None


def _manual_page(path: str, host: str, article_address: bool) -> bool:
    """Whether the address is a manual's page (``_MANUAL_HOST``, ``_MANUAL_PATH``) and no article's
    (``article_address``, ``_article_address``'s: a blog's post on a documentation site, a dated path), where
    schema.org's ``TechArticle`` is what documentation sites mark every page with."""
    return bool(_MANUAL_PATH.search(path) or _MANUAL_HOST.search(host)) and not article_address


def _short_article(data: StructuredData, plain: str, query: str, article_address: bool) -> bool:
    """Whether a page with little text marks itself as an article: an article's address (an article
    section's slug or a dated path; not a WordPress attachment's page) and the publication date of an
    article: ``article:published_time`` (Yoast writes it on posts, not on pages), or the
    ``datePublished`` of its article node with a headline (not a WebPage's date, which SEO plugins put
    on every page, nor a ``<time>``, which a widget of recent posts shows on a soft 404). A news brief of
    forty words is an article; a services page, a login page with a site-wide Article type has no
    article's address (``article_address``, ``_article_address``'s; nor has a manual's page with
    ``TechArticle``: ``_manual_page``)."""
    if _ATTACHMENT.search(plain) or _ATTACHMENT.search(f"?{query}") or not article_address:
        return False
    node = data.article
    if node and node.get("headline") and node.get("datePublished"):
        return True
    return bool(data.first_meta("article:published_time"))


def _code_count(page: Page) -> int:
    """The page's ``<code>`` elements, or 10 on a page with three ``<pre>`` or more (``len(//code)``
    and ``len(//pre)`` by ``iter_document``: no XPath compiled on every call, no walk where the tag is
    absent)."""
    if sum(1 for _ in iter_document(page.tree, "pre")) >= 3:
        return 10
    return sum(1 for _ in iter_document(page.tree, "code"))


def page_type(page: Page, data: StructuredData, min_words: int = MIN_WORDS) -> PageType:
    """What the page is (article, thread or other) and why; see the module's documentation. ``page.tree``
    must be unmodified, as ``parse_html`` gives it (``_shown_texts``): run it before extraction changes it."""
    if NOT_AN_ARTICLE_URL.search(page.url):
        return PageType(OTHER, "url:comment-page")
    parts = urlsplit(page.url)
    path, host = parts.path or "/", (parts.hostname or "").lower().removeprefix("www.")
    types = {t for node in data.nodes for t in node_types(node)}
    if data.article:
        types |= node_types(data.article)
    articles = sorted(types & ARTICLE_TYPES - THREAD_TYPES)
    faq = "FAQPage" in types and not any(_asked(node) for node in data.nodes if "Question" in node_types(node))
    threads = sorted(types & THREAD_TYPES - ({"Question"} if faq else set()))  # an FAQ's questions are the page's
    if threads:
        return PageType(THREAD, f"structured:{threads[0]}")
    if _THREAD_PATH.search(path) and not articles:
        return PageType(THREAD, "url:thread")
    headline = _headline_holders(page)
    plain = unquote(path)  # article sections and slugs read as their words, in any script
    at_article, slug_words = _article_address(plain), _slug_words(plain)
    signals: list[tuple[str, int]] = []
    blocks: tuple[tuple[lxml.html.HtmlElement, int], ...] = ()
    if not _has_words(page, min_words, headline):
        # a page that sets its text in blocks without <p> or <br>: its blocks' own text counts too
        blocks = tuple(_block_paragraphs(page, headline))
        in_blocks = sum(n for _, n in blocks)
        if not _has_words(page, min_words - in_blocks, headline):
            # a short article (a news brief, a short post) is weighed as the others when it marks itself
            # as an article: an article type, or an article's address and a date
            if not (
                _short_article(data, plain, parts.query, at_article)
                and _text_words(page, headline, blocks) >= max(min_words // _SHORT, 1)
            ):
                return PageType(OTHER, f"words:<{min_words}")
            signals.append((f"short:<{min_words}", 0))
    published, og_alone = bool(data.first_meta("article:published_time")), False
    if articles == ["TechArticle"] and _manual_page(path, host, at_article):
        articles = []  # a documentation site's type for its manual's pages (Docker's): no article's
    if articles:
        signals.append((f"structured:{articles[0]}", 3))
    elif (data.first_meta("og:type") or "").lower() == "article":
        signals.append(("og:article", 1))
        # an SEO plugin's mark on every page, unless the page is dated or at an article's address
        og_alone = not (published or at_article or slug_words >= 4 or _ARTICLE_ID.search(_last_segment(plain)))
    if published:
        signals.append(("meta:published_time", 1))
    # a page with an article type and its publication date is no archive, whatever its address
    # (``/books/authors/<interview>``)
    dated = published or bool(data.article and data.article.get("datePublished"))
    others = sorted(types & OTHER_TYPES)
    if others and not articles:
        signals.append(_other_type(others))
    if _HOME.match(path):
        if not _wordpress_post(page, parts.query):  # a post's plain permalink: neither home page nor listing
            signals.append(("url:root", -3))
    elif (
        (_NOT_ARTICLE_PATH.search(path) and not _FILED_ARTICLE.search(path))
        or (_LISTING_BELOW.search(path) and not (articles and dated))
    ) and not _DATED_PATH.search(path):
        signals.append(("url:listing", -3))
    elif _SECTION_PAGE.search(plain):
        signals.append(("url:section", -2))
    if _SALES_PATH.search(path):
        signals.append(("url:sales", -2))
    if _DOCS_PATH.search(path) or _DOCS_HOST.search(host):
        signals.append(("url:docs", -3))
    if at_article:
        signals.append(("url:article", 1))
    if slug_words >= 4:
        signals.append(("url:slug", 1))
    text = " ".join(_body_texts(page))
    comments = _comment_areas(page)  # reader comments are neither the page's text nor its clutter
    in_comments = sum(count_words(" ".join(_shown_texts(area))) for area in comments)
    words = max(count_words(text) - in_comments, 1)
    in_text = sum(n for n in _paragraph_words(page, comments, headline, blocks) if n >= _TEXT_PARAGRAPH)
    share = in_text / words
    if share >= 0.45:
        signals.append((f"dense:{share:.2f}", 2))
    elif share >= 0.3:
        signals.append((f"dense:{share:.2f}", 1))
    elif share < 0.12:
        signals.append((f"sparse:{share:.2f}", -2))
    if in_text < 100:
        signals.append((f"little:{in_text}", -1))
    counted: _Counted = {}  # the surroundings' words, counted again by _surroundings_words where links may decide
    around, around_links = _around_words(page, headline, counted)
    all_links = count_words(" ".join(_LINK_TEXT(page.tree)))
    links = max(all_links - around_links, 0) / max(words - around, 1)
    if links >= 0.35:  # measured again with the menus marked by a class or id too: only where it decides
        around, around_links = _surroundings_words(page, headline, counted)
        links = max(all_links - around_links, 0) / max(words - around, 1)
    if links >= 0.35:
        signals.append((f"links:{links:.2f}", -1))
    code = _code_count(page)
    if code >= 10:
        signals.append(("code", -1))
    teasers, teaser_articles = _teasers(page), len(_TEASER_ARTICLES(page.tree))
    if teasers > _TEASERS_SOME or teaser_articles > 2:
        signals.append((f"teasers:{max(teasers, teaser_articles)}", -1))
    sales = _sales_words(text)
    if sales >= 2:
        signals.append((f"sales:{sales}", -1))
    if _has_date(page, data):
        signals.append(("date", 1))
    if _BYLINE(page.tree):
        signals.append(("byline", 1))
    score = sum(weight for _, weight in signals)
    # a publication's own marks, looked for only where they may decide (a walk of the links and the
    # comment markers): one point under the line or at it (where testimonials and prices may take a
    # point), and one more above it with og:type article alone (which they keep from being taken back)
    if ARTICLE_SCORE - 1 <= score <= ARTICLE_SCORE + og_alone:  # at the line, testimonials or prices may decide
        offered = _offered(page, data, headline, types)
        if offered:
            signals.append((offered, 1))
            score += 1
            og_alone = False
    if og_alone:
        signals.append(("og:article-alone", -1))
        score -= 1
    decided = ""  # a late rule of its own that moved the page across the line: the decision's reason
    offer: list[str] | None = None  # the offer's marks, looked for once, only where they decide
    # read only where it decides, the offer's marks only on a page so headed
    if score == ARTICLE_SCORE - 1 and not sales and _article_headline(page, plain):
        offer = _offer_marks(page, headline)
        if not offer:
            signals.append(("headline", 1))
            score += 1
            decided = "headline"
    if score == ARTICLE_SCORE:
        testimonials = _testimonials(page, headline, in_text)  # looked for only where they decide, as the prices
        if testimonials:
            signals.append((f"testimonials:{testimonials}", -1))
            score -= 1
    if score == ARTICLE_SCORE and any(symbol in text for symbol in "$\u20ac\u00a3"):
        prices = _price_tags(page)  # counted only where they decide: the walk costs 1 ms a page
        if prices >= _PRICE_TAGS_SOME:
            signals.append((f"prices:{prices}", -1))
            score -= 1
    if score == ARTICLE_SCORE and not articles and not any(name.startswith(_PUBLISHED) for name, _ in signals):
        offer = _offer_marks(page, headline) if offer is None else offer  # only where they decide, as the prices
        if len(offer) >= _OFFER_MARKS_SOME:
            signals.append((f"offer:{len(offer)}", -1))
            score -= 1
            decided = f"offer:{len(offer)}"
    kind = ARTICLE if score >= ARTICLE_SCORE else OTHER
    # a thread marked in microdata (its items read with the structured data), where it decides: on a page
    # the sum keeps and whose JSON-LD has no article type
    microdata = (
        _microdata_thread(data, comments, page.url) if kind == ARTICLE and not articles and data.thread_items else None
    )
    if microdata:
        return PageType(THREAD, f"microdata:{microdata}", tuple(f"{name}{weight:+d}" for name, weight in signals))
    toward = [s for s in signals if (s[1] > 0) == (kind == ARTICLE)] or signals or [("nothing", 0)]
    # on a tie, a signal of the page's own before og:article-alone, which only takes og:article's point back
    reason = max(toward, key=lambda s: (abs(s[1]), s[0] != "og:article-alone"))[0]
    if decided and (kind == ARTICLE) == (decided == "headline"):  # not when testimonials took it back
        reason = decided
    return PageType(kind, reason, tuple(f"{name}{weight:+d}" for name, weight in signals))


#: Customers' testimonials in the page's content (not in a sidebar, header or footer): a service's or
#: product's page shows them to sell; an article quotes people in its text, not in testimonial blocks.
_TESTIMONIAL_CANDIDATES = etree.XPath(
    f"//*[contains(translate(@class, 'TESIMONAL', 'tesimonal'), 'testimonial')][not({_BOILERPLATE})]"
)
#: A class naming a testimonial: the whole name or a part of it between hyphens or underscores
#: ("testimonials", "testimonial-card", "widget_testimonials"), not a WordPress post's tag or category
#: ("tag-testimonials", "category-testimonial-evidence": the post's own frame says what it is about).
_TESTIMONIAL_CLASS = re.compile(r"(?:^|[-_])testimonials?(?:$|[-_])")
_POST_TERM_CLASS = re.compile(r"^(?:tag|category)-")


def _up_to_body(el: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The element and its ancestors inside ``<body>`` (whose classes name the whole page's layout:
    ``header-with-promo-bar``, ``custom-header``)."""
    chain = [el, *el.iterancestors()]
    return [up for up in chain if up.tag not in ("body", "html")]


def _testimonials(page: Page, headline: set[lxml.html.HtmlElement], in_text: int) -> int:
    """Testimonial blocks in the page's content: the outermost elements with a testimonial's class
    (``_TESTIMONIAL_CLASS``) outside the surroundings as tags or marked by a class or id (not
    ``<body>``'s classes, nor an area that holds the headline), that hold neither the headline nor
    half of the page's paragraph text (such an element is the page's frame)."""
    found = set()
    for el in _TESTIMONIAL_CANDIDATES(page.tree):
        names = el.get("class", "").lower().split()
        if not any(_TESTIMONIAL_CLASS.search(n) and not _POST_TERM_CLASS.match(n) for n in names):
            continue
        if el in headline or any(_marked_around(up) and up not in headline for up in _up_to_body(el)):
            continue
        if 2 * count_words(" ".join(_PARAGRAPH_TEXTS(el))) >= max(in_text, 1):
            continue
        found.add(el)
    return sum(1 for el in found if not any(up in found for up in el.iterancestors()))


#: A headline phrased as an article's (English): a question ("What is cloud computing?", "How much is pet
#: insurance?"), a how-to, a guide, tips for something, a comparison ("X vs. Y"). A service's or a shop's
#: page is headed by the name of what it offers ("Cybersecurity consulting services", "Smart thermostats"),
#: but its headings too may read so ("How to order", "Which plan is right for you?"): the headline is
#: read only with the page's address and text (``_article_headline``).
_ARTICLE_HEADLINE = re.compile(
    r"\?\s*$|^(?:how|what|why|when|who|which)\s+(?:to|is|are|was|were|does|do|did|can|should|much|many)\b"
    r"|\bguide to\b|'s guide\b|\bguide:|:\s*(?:a |the )?(?:complete |ultimate |beginner'?s )?guide\b"
    r"|\btips (?:for|to|on)\b|\bexplained\b|\bvs\.?\s|\bversus\b|\bways to\b|\bmistakes\b",
    re.IGNORECASE,
)
#: The headline's words (of three letters or more) that the address's last segment must hold: an
#: article's slug is its headline ("/what-is-a-storm-surge"), a service's page is named by its offer.
_HEADLINE_IN_SLUG = 3
_WORD = re.compile(r"[^\W\d_]{3,}")


def _article_headline(page: Page, path: str) -> bool:
    """Whether the page's first ``<h1>`` is phrased as an article's headline (``_ARTICLE_HEADLINE``) and the
    address's last segment (of four words or more) holds ``_HEADLINE_IN_SLUG`` of its words or more, and
    half of them: the headline alone says nothing of a service's or a listing's page headed "How to apply",
    "Need a plumber?" or "Salesforce vs. HubSpot"."""
    h1 = next(page.tree.iter("h1"), None)
    if h1 is None or _slug_words(path) < 4:
        return False
    title = " ".join(" ".join(_TEXTS(h1)).replace("\u2019", "'").split())
    if not _ARTICLE_HEADLINE.search(title):
        return False
    words = {word.lower() for word in _WORD.findall(title)}
    slug = {word.lower() for word in _SLUG_SPLIT.split(_last_segment(path))}
    return len(words & slug) >= max(_HEADLINE_IN_SLUG, len(words) / 2)


#: The signals by which a page marks itself as published (an article type aside): a date, a byline, an
#: article's address, ``article:published_time``, links that share it or a form for readers' comments.
_PUBLISHED = ("date", "byline", "url:article", "url:slug", "meta:published_time", "share", "comment-form")
#: A company's voice: "we", "our", "us" (a share of the page's words, ``_WE_SHARE``), or phrases that offer its
#: services ("we offer", "our team", "contact us", "free quote"...), ``_OFFERS_SOME`` times or more.
#: ("us" in lower case only: "US" is the country).
_WE = re.compile(r"\b(?:[Ww][Ee]|[Oo][Uu][Rr]|us)\b")
_WE_SHARE = 0.01
_OFFERS = re.compile(
    r"\b(?:we offer|we provide|our team|our services|our clients|our customers|contact us|get in touch"
    r"|free (?:quote|estimate|consultation)|call (?:us|today|now)|request a (?:quote|consultation|demo|call)"
    r"|get a quote|why choose)",
    re.IGNORECASE,
)
_OFFERS_SOME = 3
#: The reader addressed: "you", "your", a share of the page's words.
_YOU = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
_YOU_SHARE = 0.025
#: A link's or a button's whole text that calls to action (to contact, book, buy or try the company's offer).
_CALL_TO_ACTION = re.compile(
    r"\s*(?:contact us|contact sales|get in touch|get a (?:free )?quote"
    r"|request a (?:free )?(?:quote|demo|consultation|call|estimate)"
    r"|book (?:now|a demo|a call|a consultation|an appointment|your)|schedule (?:a|an|your)|call (?:us|now|today)"
    r"|get started|talk to|speak (?:to|with)|let'?s talk|free (?:quote|estimate|consultation)"
    r"|start (?:your )?free trial|try (?:it )?(?:for )?free)",
    re.IGNORECASE,
)
#: A call to action is a short text (a button's), not a sentence that opens with the words.
_CALL_TO_ACTION_CHARS = 40
_CALLS_SOME = 2
#: A form's fields that a visitor fills in (not a search box, a button or a choice).
_NOT_FILLED = frozenset({"hidden", "search", "submit", "button", "checkbox", "radio", "image", "reset"})
_FIELDS_SOME = 3
#: Marks of an offer from which a page with no mark of a publication is a company's page.
_OFFER_MARKS_SOME = 3


def _offer_marks(page: Page, headline: set[lxml.html.HtmlElement]) -> list[str]:
    """The marks of a company's offer on the page, each of its own kind: "calls" (two links or buttons or
    more in the page's content whose text calls to action: "Contact us", "Get a quote", "Book a demo"),
    "we" (the company's voice in the content's paragraphs: "we", "our", "us" one word in a hundred or
    more, or three phrases that offer its services), "you" (the reader addressed there: "you", "your" one
    word in forty), "phone" (a ``tel:`` link in the content) and "form" (a form of three fields or more
    in the content: a contact or a quote form).

    A service's or a shop's page speaks for a company to a customer and asks to be contacted; an article
    may carry one of these (a guide says "you", a company's blog post ends with "Contact us"), so the
    marks count only together, and only on a page that marks itself in no way as published
    (``page_type``: ``_PUBLISHED``, an article type)."""
    marks = []
    calls = 0
    for el in page.tree.iter("a", "button"):
        label = " ".join(_TEXTS(el)).strip()
        if len(label) < _CALL_TO_ACTION_CHARS and _CALL_TO_ACTION.match(label) and _in_main(el, headline):
            calls += 1
    if calls >= _CALLS_SOME:
        marks.append("calls")
    prose = " ".join(_content_paragraphs(page, headline))  # not the site's "Contact us", "Our services" around
    prose_words = max(count_words(prose), 1)
    if len(_WE.findall(prose)) >= _WE_SHARE * prose_words or len(_OFFERS.findall(prose)) >= _OFFERS_SOME:
        marks.append("we")
    if len(_YOU.findall(prose)) >= _YOU_SHARE * prose_words:
        marks.append("you")
    if any(
        (a.get("href") or "").strip().lower().startswith("tel:") and _in_main(a, headline) for a in page.tree.iter("a")
    ):
        marks.append("phone")
    fields = sum(
        1
        for el in page.tree.iter("input", "select", "textarea")
        if (el.get("type") or "text").lower() not in _NOT_FILLED and _in_main(el, headline)
    )
    if fields >= _FIELDS_SOME:
        marks.append("form")
    return marks


def _content_paragraphs(page: Page, headline: set[lxml.html.HtmlElement]) -> list[str]:
    """The texts of the page's paragraphs of ``_TEXT_PARAGRAPH`` words or more outside boilerplate (the
    site's header, footer, menus and sidebars, which say "Contact us" and "Our services" on every page)."""
    texts = (_paragraph_text(p) for p in page.tree.iter("p") if not _in_boilerplate(p, headline))
    return [text for text in texts if count_words(text) >= _TEXT_PARAGRAPH]


#: Linked headings from which a page is a listing of teasers.
_TEASERS_SOME = 5
#: (Each heading searched by its name, not every element of an ``<article>`` tested for three: a fifth
#: less time, the same articles.)
_TEASER_ARTICLES = etree.XPath("//article[.//h2//a[@href] or .//h3//a[@href] or .//h4//a[@href]]")


def is_article_page(page: Page, data: StructuredData, min_words: int = MIN_WORDS) -> bool:
    """True for a page the crawl keeps: an article or a thread (``page_type``'s decision, on an
    unmodified ``parse_html`` tree)."""
    return page_type(page, data, min_words).kept
