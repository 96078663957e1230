"""Title, authors, dates, language and canonical URL, each with the rule that found it.

Layers are tried from the most specific to the most generic: site profile, JSON-LD,
microdata, meta tags, markup conventions (``<time>``, ``rel=author``, bylines), heuristics.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from archiver.extract.dates import (
    WEEKDAY,
    could_fall_on,
    country_zone,
    date_span,
    date_start,
    dotted_language,
    find_time,
    htmldate_day,
    in_offset,
    page_offset,
    parse_date,
    parse_date_full,
    swapped_day,
    through_date,
    url_date,
    utc_instant,
    without_weekday,
)
from archiver.extract.document import Page, iter_document, shown_texts
from archiver.extract.structured import (
    LAYOUT_MODIFIER,
    ORGANISATION_TYPES,
    PERSON_TYPES,
    StructuredData,
    is_own_property,
    node_types,
)
from archiver.extract.text import clean, inline_text
from archiver.urls import address_key, join_url

Found = tuple[Any, str]  # (value, provenance)

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»:/]{1,2}\s+")
#: A writing verb before a byline word in other languages: "Geschrieben von", "Escrito por", "Écrit par",
#: "Scritto da", "Geschreven door", "Skrevet af". Not the publishing verbs ("Veröffentlicht von", "Publié
#: par", "Geplaatst door"): a desk, an organisation or the publication publishes ("Publié par Le Monde").
_BYLINE_VERBS = r"geschrieben|verfasst|escrito|écrit|ecrit|rédigé|scritto|geschreven|skrevet|napisane|napisany"
_BY_PREFIX = re.compile(
    r"^(?:(?:post|written|posted|published|reported|authored|text|story|words|photos?|recipe|article|beitrag|"
    rf"(?:ein )?(?:gastbeitrag|blog-?\s?beitrag)|ein beitrag|ein artikel|artikel|{_BYLINE_VERBS})\s+)?"
    r"(?:(?:by|von|par|por|di|(?<=scritto )da|door|av|af|przez|autor(?:[/*:]?in|\(in\))?|"
    r"author(?:s|\(s\))?|auteur|text|tekst|contributors?|"
    r"verfasser(?:[/*]?in|\(in\))?)(?:\s*[:\-]\s*|\s+|$)"
    r"|(?:by|von)(?=(?-i:[A-ZÀ-Þ]))"  # run into the name by the markup's text: "ByAlex Smith"
    r"|(?:author|autor(?:in)?|auteur|interview)\s*[:\-]?\s*(?=(?-i:[A-ZÀ-Þ])))+",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\boraz\b)\s*", re.IGNORECASE)
_CREDENTIAL = re.compile(
    r"^(?:ND|MD|M\.D\.|PhD|Ph\.D\.|DO|RN|MPH|MS|MSc|MA|BA|BSc|DDS|DVM|Jr\.?|Sr\.?|II|III|IV|"
    r"CPA|Esq\.?|LAc|DC|RD|CNS|FACP)$"
)
_NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\d|"
    # a domain name, the value's last token ("example.de", "EXAMPLE.PL", "Source: example.com"), a path
    # after it ("wien.example.at/Agenturen"): its last label a country's two letters or a common generic
    # one; not a name's initial ("G.De Luca") nor a login's dots ("jane.r.doe", "john.smith")
    r"(?:^|[\s:])[\w-]{2,}(?:\.[\w-]+)*\.(?:[a-z]{2}|com|org|net|edu|gov|info|biz|io|online|site|blog|media)"
    r"(?:/\S*)?\s*$|"
    # a listing's link or a site's archive, as the whole value or a suffix ("Alle Beiträge", "Krimi-Archiv",
    # a box's heading run into its link: "Zur PersonAlle Beiträge"), not a surname ("Frank Archiv")
    r"^\s*(?:posts|beiträge|articles|artikel|archiv|archive)\s*$|-(?:posts|beiträge|artikel|archiv|archive)\s*$|"
    r"(?:\b|(?-i:(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])))(?:all|alle|tous les|toutes les|todos los|tutti gli)\s+"
    r"(?:posts|beiträge|articles|artikel|archiv|archive)\s*$|"
    r"\b(?:email|e-mail|twitter|follow|updated|published|posted|geändert|aktualisiert|"
    r"comments?|share|staff|editor(?:ial|s)?|redaktion|redacción|redaccion|rédaction|redazione|redactie|redakcja|redaktionen|redaksjon|team|admin|newsroom|agency|press|"
    r"agentur|reuters|dpa|afp|associated|news|newsdesk|marketing|contributor|guest|read more|more from|full bio|"
    r"gmbh|inc|ltd|llc|stiftung|verband|verein|verlag|foundation|association|institut|institute|network|university|"
    r"universität|université|universidad|college|department|council|society|company|corporation|ministry)\b|"
    r"admin|\[at\]|(?-i:(?<!\w)e\.\s?V\.$)|!|\?\s*$|"  # a sentence's end ("by playing!", "Hi!"), not a lost letter
    r"^(?:of|for|from|with|at)\s|"  # a phrase's word, never a name's ("From Masculindians", a book)
    r"^\w+(?:\.\w+)*\.(?:author|authors|name|byline|username)$|\{\{|\}\}|\{%|\$\{|<%|"  # a template's variable
    r"^(?:(?:author|auteur)(?:s|\(s\))?|autor(?:en)?|"  # a label's word ("Auteur(s) :")
    r"name|user|username|undefined|null|publisher|anonymous|anonym|human|website|webmaster|januar|februar|märz|april|mai|"
    r"juni|juli|august|september|oktober|november|dezember|january|february|march|june|july|october|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?$",
    re.IGNORECASE,
)
#: Selectors that test one attribute walk the attribute axis (``.//*/@class[...]/..`` rather
#: than ``.//*[...@class...]``): the same elements, in half the time. A cheap contains() comes
#: first where most classes then skip the rest (``_AUTHOR_CLASS``: "class has the word author").
_AUTHOR_CLASS = "@class[contains(., 'author') and contains(concat(' ', normalize-space(.), ' '), ' author ')]"
_BYLINE_SELECTORS = (
    ".//*/@rel[. = 'author']/..",
    ".//*/@itemprop[. = 'author']/..",
    f".//*/{_AUTHOR_CLASS}/..//*/@class[contains(., 'fn')]/..",
    ".//*/@class[contains(., 'uthor') and (contains(., 'byline-author') or contains(., 'author-name')"
    " or contains(., 'post-author') or contains(., 'authorName') or contains(., 'author__name')"
    " or contains(., 'author_name') or contains(., 'author-box__name'))]/..",
    f".//*/{_AUTHOR_CLASS}/..",
    ".//*/@class[contains(., 'byline')]/..",
)
#: The first selectors find an element that is the author's name; the others a byline's container.
_NAME_SELECTORS = 3
#: hAtom's class "published" on any element ("<span class="published">20. Mai 2007</span>"): read only
#: as the headline's entry's own short date line (``_entry_published``).
_PUBLISHED_CLASS = (
    ".//*/@class[contains(., 'published') and contains(concat(' ', normalize-space(.), ' '), ' published ')]/.."
)
_DATE_SELECTORS = (
    ".//time[@pubdate][@datetime]",  # HTML5's draft mark of the article's publication date
    ".//abbr[contains(@class, 'published')][@title]",  # hAtom microformat (Blogger and others)
    ".//time[contains(@class, 'published') or contains(@class, 'entry-date')][@datetime]",
    ".//*/@itemprop[. = 'datePublished']/..",
    _PUBLISHED_CLASS,
    ".//time[@datetime]",
    ".//time[not(@datetime)]",  # its text is a date by the element's definition ("<time>April 26, 2024</time>")
    ".//*/@class[contains(., 'date') or contains(., 'byline') or contains(., 'posted')"
    " or contains(., 'meta')]/parent::*[not(self::html) and not(self::body)]",
)
#: (Elementor names every block of a page "elementor-widget...": that is no sidebar widget.)
_BOILERPLATE_MARKER = re.compile(
    r"(?:^|[\s_-])(?<!elementor-)(?:comments?|respond|responses|discussion|related|sidebar|widgets?|"
    r"masthead|branding|logo|navigation|menu)(?:$|[\s_-])|"
    r"(?:^|\s)(?:(?:site|page|global)-?)?(?:footer|header)(?:$|\s)|site-?(?:title|name)",
    re.IGNORECASE,
)


def first(candidates: Iterable[Found | None]) -> Found | None:
    """The first candidate whose value is not empty."""
    for candidate in candidates:
        if candidate is not None and candidate[0]:
            return candidate
    return None


def outside_boilerplate(el: lxml.html.HtmlElement) -> bool:
    """False for an element in navigation, sidebars, site header or footer, or comment areas.

    An element whose class or id names such a part but which holds the page's headline is the
    article's frame, named after the layout around it ("main with-navigation", "page-wrapper
    blog-sidebar-right", "article masthead-empty"): it hides nothing; so is a ``<nav>`` or ``<aside>``
    holding the headline and the ``<article>`` or ``<main>``, left open by the parser around them: the
    headline inside that ``<article>`` or ``<main>``, or a long text inside it, or nothing following it
    (a mega menu's logo stands beside its short teasers, and the page follows it).
    """
    for ancestor in (el, *el.iterancestors()):
        if ancestor.tag in {"body", "html"}:
            return True
        if ancestor.tag in {"aside", "nav"} and _hides(ancestor):
            return False
        marker = LAYOUT_MODIFIER.sub(" ", f"{ancestor.get('id', '')} {ancestor.get('class', '')}")
        if _BOILERPLATE_MARKER.search(marker) and not _holds_headline(ancestor):
            return False
        if ancestor.tag == "footer" and not any(a.tag in {"article", "main"} for a in ancestor.iterancestors()):
            return False
    return True


def _hides(el: lxml.html.HtmlElement) -> bool:
    """Whether a ``<nav>`` or ``<aside>`` hides what it holds: all but one left open around the article."""
    return not (
        _holds_headline(el) and _holds_article(el) and (_frames_headline(el) or _holds_long_text(el) or _left_open(el))
    )


def _frames_headline(el: lxml.html.HtmlElement) -> bool:
    """Whether a headline ``<h1>`` inside the element is inside an ``<article>`` or ``<main>`` inside it
    (a mega menu's logo stands beside its teasers, not in one)."""
    for h1 in el.iter("h1"):
        if inline_text(h1) and _home_link_text(h1) is None:
            for x in h1.iterancestors():
                if x is el:
                    break
                if x.tag in {"article", "main"}:
                    return True
    return False


def _holds_long_text(el: lxml.html.HtmlElement) -> bool:
    """Whether a text of ``_BODY_TEXT`` characters or more is inside the element (a mega menu's teasers
    and links are short)."""
    return any(
        len(clean(text)) >= _BODY_TEXT
        for x in el.iter()
        if isinstance(x.tag, str) and x.tag not in _SCRIPT_TAGS
        for text in (x.text, x.tail)
        if text and len(text) >= _BODY_TEXT
    )


def _holds_article(el: lxml.html.HtmlElement) -> bool:
    """Whether an ``<article>`` or ``<main>`` is inside the element: a ``<nav>`` or ``<aside>`` the parser
    left open around the page's content (a breadcrumb ``<nav>`` holding the page's ``<h1>`` is still one)."""
    return next(el.iter("article", "main"), None) is not None


def _holds_headline(el: lxml.html.HtmlElement) -> bool:
    """Whether an <h1> inside the element is a headline (not the site's name linked to its home page,
    nor an image's logo without text)."""
    return any(inline_text(h1) and _home_link_text(h1) is None for h1 in el.iter("h1"))


def _left_open(el: lxml.html.HtmlElement) -> bool:
    """Whether nothing but scripts follows the element in the body: the parser left it open around the
    rest of the page (a mega menu's ``<nav>`` with its own logo and teasers is followed by the page)."""
    for x in (el, *el.iterancestors()):
        if x.tag in {"body", "html"}:
            return True
        after = x.getnext()
        while after is not None and (not isinstance(after.tag, str) or after.tag in _SCRIPT_TAGS):
            after = after.getnext()
        if after is not None:
            return False
    return True


@lru_cache(maxsize=256)
def _compiled(xpath: str) -> etree.XPath:
    """An XPath of the selectors compiled once (``tree.xpath(text)`` compiles it on every call)."""
    return etree.XPath(xpath)


def _xpath(tree: lxml.html.HtmlElement, xpath: str) -> Iterator[lxml.html.HtmlElement]:
    walk = _TAG_WALKS.get(xpath)
    found = _compiled(xpath)(tree) if walk is None else _tag_walk(tree, *walk)
    for el in found:
        if isinstance(el, lxml.html.HtmlElement) and outside_boilerplate(el):
            yield el


def _tag_walk(
    tree: lxml.html.HtmlElement, tag: str, test: Callable[[lxml.html.HtmlElement], bool] | None, relative: bool
) -> list[lxml.html.HtmlElement]:
    """A selector of one tag (``_TAG_WALKS``): the tag's elements in document order, walked by ``iter``
    (all of them at once, as the XPath gives them). ``.//tag`` is below ``tree``; ``//tag`` the whole
    document's, the top-level elements beside the root too (``iter_document``)."""
    found = tree.iter(tag) if relative else iter_document(tree, tag)
    return [el for el in found if (test is None or test(el)) and not (relative and el is tree)]


def _has(name: str) -> Callable[[lxml.html.HtmlElement], bool]:
    return lambda el: el.get(name) is not None


def _class_holds(words: tuple[str, ...], name: str | None) -> Callable[[lxml.html.HtmlElement], bool]:
    """XPath's ``contains(@class, word)`` for one of the words, and attribute ``name`` given (if any)."""

    def test(el: lxml.html.HtmlElement) -> bool:
        names = el.get("class") or ""
        return any(w in names for w in words) and (name is None or el.get(name) is not None)

    return test


#: The selectors of one tag, read by a walk of ``iter(tag)`` and a test in Python: libxml2's XPath walks
#: every node for them (``//h1`` about 0.06 ms a generated page). Each is held to its XPath in
#: tests/test_speedups.py. (tag, test, relative to the context element.) Keyed by the selector's exact
#: text: edit a selector here and where it is listed together (a test checks each key is still used).
_TAG_WALKS: dict[str, tuple[str, Callable[[lxml.html.HtmlElement], bool] | None, bool]] = {
    "//h1": ("h1", None, False),
    "//h2": ("h2", None, False),
    ".//time[@pubdate][@datetime]": (
        "time",
        lambda el: el.get("pubdate") is not None and el.get("datetime") is not None,
        True,
    ),
    ".//abbr[contains(@class, 'published')][@title]": ("abbr", _class_holds(("published",), "title"), True),
    ".//time[contains(@class, 'published') or contains(@class, 'entry-date')][@datetime]": (
        "time",
        _class_holds(("published", "entry-date"), "datetime"),
        True,
    ),
    ".//time[@datetime]": ("time", _has("datetime"), True),
    ".//time[not(@datetime)]": ("time", lambda el: el.get("datetime") is None, True),
    "//time[contains(@class, 'updated') or contains(@class, 'modified')][@datetime]": (
        "time",
        _class_holds(("updated", "modified"), "datetime"),
        False,
    ),
}


# --- title ---------------------------------------------------------------------------------


_HOME_HREF = re.compile(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?(?:[?#].*)?$")


def _home_link_text(heading: lxml.html.HtmlElement) -> str | None:
    """The text of a heading that is only a link to the site's home page: the site's name."""
    links = heading.findall(".//a")
    if (
        len(links) == 1
        and _HOME_HREF.match(links[0].get("href", "x"))
        and inline_text(links[0]) == inline_text(heading)
    ):
        return inline_text(heading)
    return None


#: A text this long is the article's body: the heading block (headline, byline, date line) ends before it.
_BODY_TEXT = 200


#: A class or id naming an article's lead or standfirst, or a cookie notice: a long text before the body.
_LEAD_MARKER = re.compile(
    r"lead|standfirst|intro|summary|excerpt|dek\b|deck|teaser|sub-?title|sub-?head|description|abstract|kicker",
    re.IGNORECASE,
)
_COOKIE_MARKER = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
#: How many ``<h1>`` with text are weighed as the headline at most (each check walks its ancestors' subtrees).
_HEADLINES = 20
#: How many long texts before the body the heading block passes over at most.
_BEFORE_BODY = 10


def _headline_h1(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The article's headline: the first ``<h1>`` with text, not the site's name (a link to the home
    page, a logo or site title's class) and outside navigation and sidebars, one inside an ``<article>``
    or ``<main>`` first; None if none."""
    first = None
    for h1 in islice((h1 for h1 in body.iter("h1") if _holds_headline(h1)), _HEADLINES):
        if _BOILERPLATE_MARKER.search(f"{h1.get('id', '')} {h1.get('class', '')}") or not outside_boilerplate(h1):
            continue
        if any(a.tag in {"article", "main"} for a in h1.iterancestors()):
            return h1
        first = h1 if first is None else first
    return first


def _page_h1(page: Page) -> lxml.html.HtmlElement | None:
    """The page's headline ``<h1>`` (``_headline_h1``), found once for its tree: the heading block and the
    date rules each ask for it."""

    def find() -> lxml.html.HtmlElement | None:
        body = page.tree.find("body")
        return _headline_h1(body) if body is not None else None

    return page.remembered("headline_h1", find)


def _before_the_body(holder: lxml.html.HtmlElement) -> str | None:
    """What a long text held by ``holder`` is when it is still before the article's body: "aside" for
    a caption, a cookie notice, the site's header, navigation or a sidebar, "lead" for what may be the
    article's lead (its class: "lead", "standfirst", "intro"...; a subheading; in the article's
    ``<header>``); None for the body."""
    chain = [holder, *holder.iterancestors()]
    if any(x.tag == "figcaption" or _COOKIE_MARKER.search(f"{x.get('id', '')} {x.get('class', '')}") for x in chain):
        return "aside"
    in_header = any(x.tag == "header" for x in chain)
    if in_header and not any(x.tag in {"article", "main"} for x in chain):
        return "aside"
    if not outside_boilerplate(holder):
        return "aside"
    if (
        in_header
        or holder.tag in {"h2", "h3", "h4", "h5", "h6"}
        or any(_LEAD_MARKER.search(f"{x.get('id', '')} {x.get('class', '')}") for x in chain[:2])
    ):
        return "lead"
    return None


HeadingBlock = tuple[list[tuple[str, lxml.html.HtmlElement]], set[lxml.html.HtmlElement]]


def heading_block(page: Page) -> HeadingBlock:
    """The page's heading block (``_read_heading_block``), read once for its tree: the author and date
    rules of one page each ask for it."""
    return page.remembered("heading_block", lambda: _read_heading_block(page))


def _read_heading_block(page: Page) -> HeadingBlock:
    """The page's heading block: its texts (each with the element holding it) and its elements, from
    the start of the ``<article>`` holding the headline's ``<h1>`` (from the ``<h1>`` when no
    ``<article>`` holds it, from the body's start when it has no such ``<h1>``) to before the body's
    first long text, passing over captions, a cookie notice, the site's header, navigation, sidebars
    and the article's lead. Comments, related items and tickers after the article or before it are
    outside it.
    """
    texts: list[tuple[str, lxml.html.HtmlElement]] = []
    elements: set[lxml.html.HtmlElement] = set()
    body = page.tree.find("body")
    if body is None:
        return texts, elements
    h1 = _page_h1(page)
    start = next(h1.iterancestors("article"), h1) if h1 is not None else None
    inside = set(h1.iter()) if h1 is not None else set()
    started = start is None
    lead, passed = False, 0  # the article's lead passed over; the long texts passed over
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        started = started or el is start
        if not started:
            continue
        after = (el.tail, el.getparent())
        if el in inside:
            if el is not h1:
                continue
            parts = [after]
        else:
            parts = [(None if el.tag in _SCRIPT_TAGS else el.text, el), after]
        for at, (text, holder) in enumerate(parts):
            if at == 1 and el is not h1:
                elements.add(el)  # the element's own text is in the block
            cleaned = clean(text or "")
            if len(cleaned) >= _BODY_TEXT:
                passed += 1
                what = _before_the_body(holder) if holder is not None and passed <= _BEFORE_BODY else None
                if what is None or (what == "lead" and lead):
                    return texts, elements
                lead = lead or what == "lead"
                continue
            if cleaned and holder is not None:
                texts.append((cleaned, holder))
    return texts, elements


def organisations(page: Page, data: StructuredData) -> set[str]:
    """The publisher's name and the host's names: never an author, even in a byline.

    (The site's title is not among them: a personal blog is often named after its author.)
    """
    names = {page.domain}
    if data.article:
        publisher = data.resolve(data.article.get("publisher"))
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(clean(publisher["name"]).lower())
    labels = page.domain.split(".")
    if len(labels) >= 2:
        names.add(labels[-2].lower())
    return names


#: ``//@class[contains(., 'site-title') or contains(., 'site-name')]/.. | //@id[. = 'site-title' or
#: . = 'site-name']/..`` in one walk of the attributes, those without "site-" passed over first (0.155 ->
#: 0.133 ms a generated page; tests/test_speedups.py holds it to the union).
_SITE_TITLE_XPATH = etree.XPath(
    "//@*[contains(., 'site-')][(name() = 'class' and (contains(., 'site-title') or contains(., 'site-name')))"
    " or (name() = 'id' and (. = 'site-title' or . = 'site-name'))]/.."
)
_SITE_TITLE_NAMES = frozenset({"site-title", "site-name"})
#: XPath's normalize-space() folds these characters only (str.split() would fold more).
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _site_title(el: lxml.html.HtmlElement) -> bool:
    """Named "site-title" or "site-name" by its id or one of its class words."""
    return el.get("id") in _SITE_TITLE_NAMES or not _SITE_TITLE_NAMES.isdisjoint(_XML_SPACE.split(el.get("class", "")))


def site_names(page: Page, data: StructuredData) -> set[str]:
    """Names the site goes by: og:site_name, the publisher, a home-linked heading, the host."""
    names = {n.lower() for n in (data.first_meta("og:site_name", "application-name"),) if n}
    if data.article:
        publisher = data.resolve(data.article.get("publisher"))
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(clean(publisher["name"]).lower())
    for heading in page.tree.iterfind(".//h1"):
        home = _home_link_text(heading)
        if home:
            names.add(home.lower())
    for el in _SITE_TITLE_XPATH(page.tree):
        if _site_title(el) and 0 < len(inline_text(el)) < 60:
            names.add(inline_text(el).lower())
    labels = page.domain.split(".")
    if len(labels) >= 2:
        names.add(labels[-2].lower())
    names.add(page.domain)
    return {n for n in names if n}


def _squeeze(text: str) -> str:
    return re.sub(r"\W", "", text.lower())


_AFTER_SITE_NAME = re.compile(r"\s*[|\-–—·•»:/]+\s*(.+)$")
_BEFORE_SITE_NAME = re.compile(r"(.+?)\s*[|\-–—·•»:/]+\s*")


def _same_letters(a: str, b: str) -> bool:
    """Whether re.IGNORECASE matches a to b (as long), letter by letter."""
    return all(
        x == y or x.lower() == y.lower() or re.match(re.escape(y), x, re.IGNORECASE) is not None
        for x, y in zip(a, b, strict=True)
    )


def _by_patterns(title: str, name: str) -> str | None:
    escaped = re.escape(name)
    m = re.match(rf"^\s*{escaped}\s*[|\-–—·•»:/]+\s*(.+)$", title, re.IGNORECASE) or re.match(
        rf"^(.+?)\s*[|\-–—·•»:/]+\s*{escaped}\s*$", title, re.IGNORECASE
    )
    return m[1] if m else None


def _site_name_cut(title: str, name: str) -> str | None:
    """The rest of the title when the name opens it ("Site: rest") or closes it ("rest | Site").

    The name matches one character to one, right after (or before) the title's outer white
    space: its place is known, and only the separators need a pattern, compiled once instead
    of for every site name.
    """
    if not name or name[0].isspace() or name[-1].isspace():
        return _by_patterns(title, name)
    head, tail = title.lstrip(), title.rstrip()
    opens = len(head) > len(name) and _same_letters(head[: len(name)], name)
    closes = len(tail) > len(name) and _same_letters(tail[-len(name) :], name)
    m = _AFTER_SITE_NAME.match(title, len(title) - len(head) + len(name)) if opens else None
    m = m or (_BEFORE_SITE_NAME.fullmatch(title, 0, len(tail) - len(name)) if closes else None)
    return m[1] if m else None


def strip_site_suffix(title: str, names: set[str]) -> str:
    """Remove " | Site", "Site: " and similar site-name parts from a page title."""
    for name in sorted(names, key=len, reverse=True):
        rest = _site_name_cut(title, name)
        if rest is not None:
            return clean(rest)
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) == 1:
        return clean(title)
    squeezed = {_squeeze(n) for n in names}
    kept = [p for p in parts if not any(s and s in _squeeze(p) for s in squeezed)]
    if kept and len(kept) < len(parts):
        return clean(" - ".join(kept))
    longest = max(parts, key=len)
    return clean(longest) if len(longest.split()) >= 3 and longest == parts[0] else clean(title)


def _headings(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [t for t in (inline_text(h) for h in _xpath(tree, xpath) if not _home_link_text(h)) if t]


#: Where a headline is looked for, with the provenance label of each place.
_TITLE_PLACES = (
    ("h1", "//h1"),
    ("h2", "//h2"),
    ("title-class", "//@class[contains(., 'entry-title') or contains(., 'post-title')]/.."),
)


def _same(a: str, b: str) -> bool:
    return _squeeze(a) == _squeeze(b)


def _meta_titles(page: Page, data: StructuredData, names: set[str]) -> list[Found]:
    title_el = page.tree.find(".//title")
    tag_title = inline_text(title_el) if title_el is not None else ""
    found: list[Found] = []
    if data.article and isinstance(data.article.get("headline"), str):
        found.append((clean(data.article["headline"]), "jsonld"))
    if data.microdata.get("headline"):
        found.append((clean(data.microdata["headline"][0]), "microdata"))
    og = data.first_meta("og:title", "twitter:title", "dc.title")
    if og:
        found.append((strip_site_suffix(og, names), "meta:og"))
    if tag_title:
        found.append((strip_site_suffix(tag_title, names), "meta:title"))
    return [f for f in found if f[0]]


def extract_title(page: Page, data: StructuredData, site: set[str] | None = None) -> Found | None:
    """The headline: a visible <h1> (or <h2>) that the metadata agrees with, else the metadata.

    ``site`` is the page's ``site_names`` when the caller has them already.
    """
    meta_titles = _meta_titles(page, data, site_names(page, data) if site is None else site)
    for label, xpath in _TITLE_PLACES:
        for heading in _headings(page.tree, xpath):
            if any(
                _same(heading, v) or (len(heading) > 10 and _squeeze(heading) in _squeeze(v)) for v, _ in meta_titles
            ):
                return heading, f"markup:{label}"
    h1s = _headings(page.tree, "//h1")
    if not meta_titles and h1s:
        return h1s[0], "markup:h1"
    return first(meta_titles)


# --- authors -------------------------------------------------------------------------------


def _split_at_slash(chunk: str) -> list[str]:
    """Two names a slash parts, each of two capitalised words or more ("Ann Lee/Bob Stone"); else the
    chunk whole: an agency or place after a name, which ``trim_name`` cuts ("Peter Maahn/SP-X",
    "AFP/The Local"), a party's or site's name ("Bündnis 90/Die Grünen", "stol.it/Suedtirol Online")."""
    if chunk.count("/") != 1:
        return [chunk]
    before, after = (p.strip() for p in chunk.split("/"))
    if _capitalised_words(before) and _capitalised_words(after) and not _LEADING_ARTICLE.match(after):
        return [before, after]
    return [chunk]


#: A byline's categories after its names ("Posted by Ann Lee under Travel, Food", "by Ann Lee in Travel,
#: Food", "filed under News"), cut before the byline is split at its commas. In lower case only: "In"
#: opens names ("In Young Park"); no name holds "under".
_CATEGORIES = re.compile(r"\s+(?:(?:filed\s+)?under|in)\s+\S.*$")


def split_names(raw: str) -> list[str]:
    """Split a byline into person names, keeping credentials such as "Cathy Wong, ND"."""
    text = _CATEGORIES.sub("", _BY_PREFIX.sub("", clean(raw)))
    names: list[str] = []
    for chunk in (c for part in _NAME_SPLIT.split(text) for c in _split_at_slash(part)):
        for part in (p.strip() for p in chunk.split(",")):
            if not part:
                continue
            if names and _CREDENTIAL.match(part):
                names[-1] = f"{names[-1]}, {part}"
            else:
                names.append(_BY_PREFIX.sub("", part))
    return names


#: Small words that names hold in lower case ("Ilka van der Hoven", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset(
    {"van", "von", "vom", "zum", "der", "den", "de", "da", "di", "du", "del", "della", "des", "la", "le", "las"}
    | {"los", "ten", "ter", "bin", "bint", "ben", "ibn", "ould", "al", "el", "y", "e", "zu", "dos", "das", "do", "af"}
)


def _lower_word_after_capital(words: list[str]) -> bool:
    """A capitalised name with a later word in lower case is a phrase ("Personal finance", "European
    rental agencies"), unless that word is a particle; names written all in lower case are user names."""
    if not words or not words[0][:1].isupper():
        return False
    return any(_lower_word(w) for w in words[1:])


def _lower_word(word: str) -> bool:
    """A word in lower case that is no particle; "al-Shami", "d'Estaing" hold a capital after their particle."""
    parts = [p for p in re.split(r"[-'’]", word) if p]
    return bool(parts) and all(p[:1].islower() and p not in _NAME_PARTICLES and len(p) > 1 for p in parts)


def is_person_name(name: str, excluded: set[str]) -> bool:
    """A plausible person's name: 1 to 5 words, no digits, links or site names."""
    words = name.split(",")[0].split()
    if not 1 <= len(words) <= 5 or _NOT_A_NAME.search(name.split(",")[0]):
        return False
    squeezed = _squeezed_name(name)
    return not any(squeezed == _squeezed_name(n) for n in excluded) and name[0].isalpha()


#: A leading article, which a site's name has or not ("The Daily Planet", "Daily Planet").
_LEADING_ARTICLE = re.compile(r"^(?:the|die|der|das|le|la|les|el|los|het)\s+", re.IGNORECASE)


def _squeezed_name(name: str) -> str:
    """A name in lower case without a leading article, spaces and punctuation: how names are compared."""
    return _squeeze(_LEADING_ARTICLE.sub("", name.strip().lower()))


def _people(value: Any, data: StructuredData) -> list[tuple[str, bool]]:
    """The names a structured ``author`` value gives, each with whether a Person node names it."""
    value = data.resolve(value)
    if isinstance(value, list):
        return [n for v in value for n in _people(v, data)]
    if isinstance(value, str):
        return [(n, False) for n in split_names(html.unescape(value))] if not value.startswith("http") else []
    if isinstance(value, dict):
        types = node_types(value) or _types_by_id(value, data)
        if types and not types & PERSON_TYPES:
            return []
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(str(n) for n in name)
        names = split_names(html.unescape(name)) if isinstance(name, str) else []  # "Maria &amp; Katerina"
        typed = bool(types & PERSON_TYPES) and len(names) == 1  # "Jane Doe, The Daily": not one person
        return [(n, typed) for n in names]
    return []


def _personal_site(name: str, data: StructuredData) -> bool:
    """Whether a Person node's name may be one of the site's names: unless the site calls itself so.

    "Ash Vardanian" on ashvardanian.com ("Ash's Blog") is the author; "USA TODAY", the
    ``og:site_name`` of usatoday.com given as a Person, is the site.
    """
    site = data.first_meta("og:site_name", "application-name")
    return not site or _squeeze(site) != _squeeze(name)


def _types_by_id(value: dict[str, Any], data: StructuredData) -> set[str]:
    """The types of the node an untyped reference names by its ``@id`` (Yoast's ``{"name", "@id"}``)."""
    ref = value.get("@id")
    if not isinstance(ref, str):
        return set()
    return next((node_types(n) for n in data.nodes if n.get("@id") == ref and n is not value and "@type" in n), set())


_NAME_END = re.compile(
    r"\s+(?:[-–—|·•⋅/»]|on|am|um|op|at|in|under)\s+.*$|\s+@\w+.*$|\s+\d.*$|\s+\(.*$"
    r"|\s+(?:il|le|el|den|em)\s+\d.*$"  # the date's article before its day ("Mario Rossi il 3 marzo 2024")
    # a credit after the name ("Text von Christian Seiler Illustration von Markus Roost", "Photos by ...")
    r"|\s+(?:illustrations?|fotos?|photos?|photography|bilder?|images?|grafik)\b.*$",
    re.IGNORECASE,
)
_TRAILING_WEEKDAY = re.compile(r"[\s,]+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\.?,?$", re.IGNORECASE)


#: A month's name after a name: the byline's date follows it ("Luke Kim December 12, 2025").
_TRAILING_MONTH = re.compile(
    r"\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?$",
    re.IGNORECASE,
)
#: A date after a name, its month's name first ("Kira February 8, 2022 • 10 mins read", "Jon Vale
#: November 26th, 2024", the year after a comma, where a byline is split): cut from the month, as ``_NAME_END``
#: cuts from a number ("Brian May May 2, 2020"). Only a whole date: the day followed by a year, a time or
#: the text's end; not a surname that is a month's name before a day-first date, a reading time or a count
#: ("Brian May 12 March 2024", "Brian May 5 min read", "Ann June 3 Comments").
_DATE_AFTER = re.compile(
    r"(?:(?:^|\s+)(?:on|at|am|um|le|el))?"  # ("by fennwick on August 3, 2019", "David at December 16")
    r"\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?!\d)"
    r"(?=,?\s+\d{4}(?!\d)|,?\s+(?:at\s+|um\s+|@\s*)?\d{1,2}[:.]\d{2}|\s*$).*$",
    re.IGNORECASE,
)
#: A job title after a name ("Rachel MacDonald Writer", "Harry Rabinowitz Tech Reporter"): cut from
#: its first word, when at least two words of the name come before.
_ROLE_WORDS = (
    r"(?:(?:senior|sr\.?|junior|chief|lead|staff|tech|contributing|managing|head|freelance|vice|deputy|executive|"
    r"assistant|associate)\s+)*"
    r"(?:writer|editor|reporter|founder|co-founder|correspondent|contributor|columnist|journalist|author|"
    r"expert|analyst|ceo|cto|director|manager|winemaker|strategist|producer|redakteur(?:in)?|journalist(?:in)?|"
    r"autor(?:in)?|projektleiter(?:in)?|pressesprecher(?:in)?|referent(?:in)?)\b"
)
_ROLE = re.compile(rf"^((?:\S+\s+)+?\S+?)\s+{_ROLE_WORDS}.*$", re.IGNORECASE)
_ROLE_IN = re.compile(rf"\b{_ROLE_WORDS}", re.IGNORECASE)
#: A byline's part that opens with a job title is no name ("Uta Staschewski, Projektleiterin der HSS").
_JOB_TITLE = re.compile(rf"^{_ROLE_WORDS}(?![:/*])", re.IGNORECASE)


#: An agency or a place after a name and a slash ("Peter Maahn/SP-X", "Anna Berg /dpa", "Jan Koch /Kenia").
#: (The spaces' run opens after a word's letter: a long run of spaces is tried once, not from each space.)
_AFTER_SLASH = re.compile(r"(?<=\w)/\w.*$|(?<=\w)\s+/\w.*$")
#: The label of the byline's next field, after the name: "Fritz Imhof Quelle: Livenet".
_NEXT_LABEL = re.compile(r"\s[A-ZÀ-Þ][^\s:]*:(?:\s|$)")


def trim_name(name: str) -> str:
    """A name without what bylines put after it: dates, "@handle", " - Site", "(Photos)", a job title,
    the next field's label."""
    name = _NAME_END.sub("", _DATE_AFTER.sub("", clean(name)))
    label = _NEXT_LABEL.search(name)
    if label and _capitalised_words(name[: label.start()]):
        name = name[: label.start()]
    slash = _AFTER_SLASH.search(name)
    if slash and len(name[: slash.start()].split()) >= 2:  # "Peter Maahn/SP-X", not "Tierfreund/in"
        name = name[: slash.start()]
    name = _TRAILING_WEEKDAY.sub("", name)
    if len(name.split()) > 2:  # "Luke Kim December", not "Tom May"
        name = _TRAILING_MONTH.sub("", name)
    name = _ROLE.sub(r"\1", name)
    name = _ROLE_BEFORE.sub("", name)
    return name.strip(" ,;:|-–·•⋅")


#: A job title compounded with the publication's name before a name ("FOCUS-Online-Experte Robin Tschöpe",
#: "dpa-Korrespondentin Anna Berg"): cut when a name of two capitalised words or more follows.
_ROLE_BEFORE = re.compile(
    r"^\S+-(?:experte|expertin|redakteur(?:in)?|korrespondent(?:in)?|reporter(?:in)?|autor(?:in)?|"
    r"kolumnist(?:in)?|correspondent|editor|columnist|writer)\s+(?=(?-i:[A-ZÀ-Þ])\S*\s+(?-i:[A-ZÀ-Þ]))",
    re.IGNORECASE,
)


def _capitalised_words(text: str) -> bool:
    """Two or more words, each opening with a capital but a name's particles: a name's shape ("Fritz
    Imhof", "Anna von Berg", not "wegen")."""
    words = text.split()
    return len(words) >= 2 and words[0][:1].isupper() and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)


#: A phrase read where a text byline's name would be: its word, then a word in lower case, a month or a
#: number ("on December 2", "in 2020"): "on", "in", "to" open names too ("To Lam", "On Kawara", "In
#: Young Park"). ("of", "for", "from", "with", "at" open none, in any layer: ``_NOT_A_NAME``.)
_PHRASE = re.compile(
    r"(?i:on|in|to)\s+(?:[a-zà-ÿ]|\d|(?i:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|"
    r"apr(?:il)?|may|mai|june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|"
    r"de[cz](?:ember)?)(?!\w))"
)


def _clean_names(names: Iterable[str], excluded: set[str], text: bool = False) -> list[str]:
    """Plausible person names among a byline's parts; ``text``: a byline read in the page's text,
    where a phrase ("Personal finance") may stand where a name would."""
    return _clean_people(((n, False) for n in names), excluded, text)


def _clean_people(names: Iterable[tuple[str, bool]], excluded: set[str], text: bool = False) -> list[str]:
    """Plausible person names, once each; a name a Person node gives may be the site's name.

    (A personal site is often named after its author: "Sam Bossley" on sam.bossley.com.)
    """
    unique: list[str] = []
    for at, (name, person) in enumerate(names):
        name = trim_name(name)
        if _JOB_TITLE.match(name) or (
            text and (_lower_word_after_capital(name.split(",")[0].split()) or _PHRASE.match(name))
        ):
            if text and at == 0:
                return []
            continue
        if is_person_name(name, set() if person else excluded) and name.lower() not in {u.lower() for u in unique}:
            unique.append(name)
    return unique


Authors = tuple[list[str], str, str]  # (names, raw byline, provenance)


def extract_authors(
    page: Page, data: StructuredData, site: set[str] | None = None
) -> tuple[list[str], str | None, str | None]:
    """(authors, raw byline, provenance): person names only, never the site or publisher.

    The layers are asked in order (structured data, meta tags, byline markup, text bylines, author-page
    links, the site's owner) and the first that names someone answers; but an account's login
    ("andrew.keaveney", "arianschlichenmayer": a name in lower case without a space) gives way to a later
    layer writing the same letters as a person's name ("arianschlichenmayer" in the structured data, "von
    Arian Schlichenmayer" under the headline). Only the same letters: a later layer naming someone else
    may be a reply's user box in a forum thread, a comment's or a related card's byline.

    ``site`` is the page's ``site_names`` when the caller has them already.
    """
    login: Authors | None = None
    layers = _author_layers(page, data, site_names(page, data) if site is None else site)
    for found in layers:
        if login is None:
            if not all(_login(n) for n in found[0]):
                return _fuller_byline(page, found, layers)
            login = found
        elif [_letters(n) for n in found[0]] == [_letters(n) for n in login[0]]:
            return found
    return login or ([], None, None)


#: The layers whose names a byline on the page may list more fully (the first author only in the tags).
_TAG_SOURCES = ("jsonld", "microdata", "meta:")
#: An academic title before a name, which a byline writes and a tag not ("Dr Ilka van der Hoven").
_TITLE_BEFORE = re.compile(r"^(?:(?:dr|prof|dipl\.-ing)\.?\s+)+", re.IGNORECASE)


def _person_key(name: str) -> str:
    """A name as compared between layers: without an academic title before it."""
    return _squeeze(_TITLE_BEFORE.sub("", name))


def _fuller_byline(page: Page, found: Authors, later: Iterator[Authors]) -> Authors:
    """The tags' authors, or the page's byline when it names them all and more, each further name
    written apart beside them and of two words or more: structured data and meta tags often give the first
    author only ("Ivo Na" where the byline links four authors). Not a byline's job title, desk, category or
    place after the name ("By Mira Holsten, Co-Founder & COO", "by Cal Benwick | <a>SEO</a>")."""
    if not found[2].startswith(_TAG_SOURCES) or not any(_listed(page, n) for n in found[0]):
        return found
    names = {_person_key(n) for n in found[0]}
    for other in later:
        if other[2].startswith("markup:") and len(other[0]) > len(names) >= 1:
            keys = [_person_key(n) for n in other[0]]
            further = [n for n, k in zip(other[0], keys, strict=True) if k not in names]
            if names <= set(keys) and all(len(n.split()) >= 2 and _written_apart(page, n, found[0]) for n in further):
                return other
    return found


_WHOLE_TEXT = etree.XPath("//body//*[normalize-space(.) = $name]")
_TEXTS_WITH = etree.XPath("//body//text()[contains(., $name)]")


def _listed(page: Page, name: str) -> bool:
    """Whether the page writes the name with another after it ("Ivo Na, Tilda Varsky", "<a>Ann Lee</a> and
    <a>Bob Stone</a>"): the later layers are asked only then."""
    for text in _TEXTS_WITH(page.tree, name=name):
        rest = text[text.find(name) + len(name) :]
        if rest.strip():
            if _MORE_NAMES.match(rest):
                return True
            continue
        node = text.getparent()
        if node is None:
            continue
        if text.is_tail:  # the name after an element: what its next sibling opens with
            following = node.getnext()
            if following is not None and _MORE_NAMES.match((following.text or "").strip()):
                return True
            continue
        if len(node):
            continue  # the name's element holds more: not a name written alone
        for _ in range(3):  # what follows the name's element: its tail, or its next sibling's text
            if node is None:
                break
            after = (node.tail or "").strip() or next((n.text or "" for n in node.itersiblings()), "").strip()
            if after:
                if _MORE_NAMES.match(after):
                    return True
                break
            node = node.getparent()
    return False


def _written_apart(page: Page, name: str, beside: list[str]) -> bool:
    """Whether an element's whole text is this name, in an element that also names one of ``beside``, and
    the element is a co-author's: a link to its author page (``<a href="/author/bob-stone/">Bob Stone</a>``)
    or marked as the first author's is, by its class or its attributes (``<span class="author">``,
    ``<span author-id="bob-stone">``). Not a place, a tag or a picture's credit
    written the same way ("<a>Jane Doe</a>, <a href="/tag/united-states/">United States</a>", "Photos: <a>John
    Smith</a>", "translated by <span>Ana Ruiz</span>")."""
    for el in _WHOLE_TEXT(page.tree, name=name):
        parent = el.getparent()
        if parent is None or not any(b in inline_text(parent) for b in beside):
            continue
        links = [a for a in (el, *el.iterancestors(), *el.iterdescendants()) if a.tag == "a" and a.get("href")]
        if any(_TOPIC_HREF.search(a.get("href", "")) for a in links):
            continue
        before, _ = _line_around(el, tail=False)
        last = max((before.rfind(b) + len(b) for b in beside if b in before), default=-1)
        if last >= 0 and _CREDIT_BETWEEN.search(before[last:]):
            continue
        if any((slug := _author_page_slug(a)) and _slug_reads(name, slug, beside=True) for a in links):
            return True
        first = next((e for e in parent.iter() if e is not el and _person_key(inline_text(e)) in _keys(beside)), None)
        if first is not None and el.tag != "a" and (mark := _marked(el)) is not None and mark == _marked(first):
            return True
    return False


def _marked(el: lxml.html.HtmlElement) -> tuple[str, str, tuple[str, ...]] | None:
    """What marks an element as an author's beside its tag: its class and its own attributes' names
    (``<span author-id="…">``), none of them a style or an id; empty when nothing does."""
    names = tuple(sorted(k for k in el.attrib if k not in {"class", "style", "id"}))
    klass = el.get("class", "").strip()
    return (el.tag, klass, names) if klass or names else None


def _keys(names: list[str]) -> set[str]:
    return {_person_key(n) for n in names}


#: Links to a tag's, a category's or a topic's page: a byline's subject, not a co-author.
_TOPIC_HREF = re.compile(r"/(?:tags?|category|categories|topics?|themen?|kategorie)/", re.IGNORECASE)
#: A credit's word between the first author and a further name ("Photos:", "illustration by", "translated by").
_CREDIT_BETWEEN = re.compile(
    r"\b(?:photo\w*|fotos?|illustrat\w*|images?|bilder?|grafik|video|credits?|translat\w*|übersetz\w*|edited|"
    r"editing|redigiert)\b",
    re.IGNORECASE,
)


#: An editor's initials after a slash ("Finanz Journal /PP"): a Person node naming the site so is the site.
_INITIALS = re.compile(r"\s*/\s*[A-Za-zÀ-ÿ]{1,3}\s*$")
#: A byline word that takes a noun in a sentence ("Artikel von Drittanbietern", "Gastbeitrag von Montag"):
#: a name after it is two capitalised words or more, none a weekday's, a month's or an organisation's word,
#: none in capitals ("Ein Artikel von ZEIT ONLINE").
_NOUN_BYLINE_WORD = re.compile(r"^(?:ein\s+)?(?:artikel|gastbeitrag|blog-?\s?beitrag)\s+von\s", re.IGNORECASE)


def _noun_byline_name(name: str) -> bool:
    """Whether the text after "Artikel von", "Gastbeitrag von"... reads as a person's name."""
    words = name.split()
    return _capitalised_words(name) and not any(_NOT_IN_A_NAME.match(w) or (len(w) > 1 and w.isupper()) for w in words)


#: An account's login: one word in lower case, letters and digits joined by dots, hyphens or underscores
#: or not ("sarah-indra", "andrew.keaveney", "arianschlichenmayer"); a person's name is written capitalised.
#: (This judges a name a layer gave; a byline's text after "by" (``_user_name``) and an author page's link
#: text (``_USER_NAME``, a digit in it) are judged by what surrounds them, where a lower-case word is a
#: sentence's as often as a login.)
_LOGIN = re.compile(r"^[a-z\d]+(?:[._-][a-z\d]+)*$")


def _login(name: str) -> bool:
    """Whether a name is an account's login rather than a person's written name."""
    return _LOGIN.match(name) is not None


def _letters(name: str) -> str:
    """A name's letters and digits in lower case: "jane_roe", "jane.roe" and "Jane Roe" read the same."""
    return re.sub(r"[\W_]", "", name.lower())


def _author_layers(page: Page, data: StructuredData, excluded: set[str]) -> Iterator[Authors]:
    """Each layer's authors, in order, for the layers that name someone (asked lazily)."""
    structured: list[tuple[Any, str]] = []
    if data.article and data.article.get("author"):
        structured.append((data.article.get("author"), "jsonld"))
    for key, source in (("author", "microdata"),):
        if data.microdata.get(key):
            structured.append((data.microdata[key], source))
    for value, source in structured:
        people = [(n, person and _personal_site(_INITIALS.sub("", n), data)) for n, person in _people(value, data)]
        names = _clean_people(people, excluded)
        if names:
            yield names, ", ".join(names), source
    yield from _meta_authors(data, excluded)
    labelled = _labelled_meta_authors(data)
    names = [
        n
        for n in _clean_names((n for _, v in labelled for n in split_names(v)), excluded)
        if not _names_the_site(n, page)
    ]
    if names:
        yield names, "; ".join(v for _, v in labelled), f"meta:{labelled[0][0]}"
    orgs = organisations(page, data)
    found = _markup_byline(page, orgs)
    if found:
        yield found
    block = heading_block(page)[1]  # the texts from the headline to the body: the two rules below read it
    for raw in _text_bylines(page, block):
        parts = split_names(raw)
        if parts and _NOUN_BYLINE_WORD.match(raw) and not _noun_byline_name(trim_name(parts[0])):
            continue
        # the byline word's first part is a name, or the text is a sentence that reads "von" or "by" as a
        # preposition ("von Wertpapieren des öffentlichen Sektors (PSPP, Start März 2015)")
        if not parts or not _clean_names(parts[:1], orgs, text=True):
            continue
        names = _clean_names(parts, orgs, text=True)
        if names:
            yield names, raw, "markup:byline-text"
            break
    names = _author_page_links(page, excluded | orgs, block)
    if names:
        yield names, ", ".join(names), "markup:author-link"
    owner = site_owner(page, data)
    if owner:
        yield [owner], owner, "site-owner"


#: A class or id naming a credit, licence or caption line, as a word of it ("license-info", "photo-credit",
#: "img-caption"): the "author" there is the picture's (a photographer's "author-name" in a licence line).
#: (``_CREDIT`` reads the same credits in a byline's text: "Photo by X".)
#: Not an image's word alone (a header "with-image", a "hero--image", a "photo-story" holds the byline),
#: nor a plural "credits" (an "article-credits" line lists the article's authors and photographers).
_CREDIT_LINE = re.compile(r"(?:^|[\s_-])(?:licen[cs]es?|licen[cs]ing|credit|copyright|captions?)(?:$|[\s_-])", re.I)
#: How far above a byline element its credit line may be marked.
_CREDIT_DEPTH = 3


def _image_credit(el: lxml.html.HtmlElement) -> bool:
    """Whether a byline element is in an image's credit line: a ``<figcaption>``, or an element whose class
    or id names a credit, licence or caption, within ``_CREDIT_DEPTH`` levels."""
    for depth, x in enumerate((el, *el.iterancestors())):
        if depth > _CREDIT_DEPTH or x.tag in {"article", "main", "body"}:
            break
        if x.tag == "figcaption" or _CREDIT_LINE.search(f"{x.get('class', '')} {x.get('id', '')}"):
            return True
    return False


#: The author meta tags, in order. The scholarly ones list every author (Google Scholar's
#: ``citation_author``, a tag an author; Highwire's older ``citation_authors``) where the others may
#: give the first only.
_AUTHOR_TAGS = (
    "author",
    "article:author",
    "dc.creator",
    "citation_author",
    "citation_authors",
    "sailthru.author",
    "parsely-author",
)
#: Tags that give one person each, which may be written "Last, First" ("Roy, Aniruddha").
_ONE_PERSON_TAGS = frozenset({"citation_author", "dc.creator"})


def _meta_authors(data: StructuredData, excluded: set[str]) -> Iterator[Authors]:
    """Each author tag's names, in order; but a later tag naming more people, among them all the first
    tag's, comes first ("dc.creator" the first author, "citation_authors" all six)."""
    found: list[Authors] = []
    for key in _AUTHOR_TAGS:
        values = [
            v
            for v in (_without_address(v, excluded) for v in data.meta.get(key, []))
            if clean(v) and not v.strip().startswith("http")
        ]
        one_each = key in _ONE_PERSON_TAGS
        names = _clean_names((n for v in values for n in (_last_first(v) if one_each else split_names(v))), excluded)
        if names:
            found.append((names, "; ".join(clean(v) for v in values), f"meta:{key}"))
    if len(found) > 1:
        first = {_squeeze(n) for n in found[0][0]}
        fuller = [f for f in found[1:] if len(f[0]) > len(first) and first <= {_squeeze(n) for n in f[0]}]
        if fuller:
            found.insert(0, fuller[0])
    yield from found


def _without_address(value: str, excluded: set[str]) -> str:
    """An author tag's value without the address after its names, its city and country each a word after a
    comma: nothing for an organisation's ("example.de, Frankfurt, Germany", "Stimme und Raum, Bremen,
    Germany"), the person for a person's ("Jane Doe, Berlin, Germany" gives "Jane Doe")."""
    parts = [p.strip() for p in clean(value).split(",")]
    if len(parts) < 3 or not all(_NAME_WORD.match(p) for p in parts[-2:]):
        return value
    if not _clean_names(parts[:1], excluded, text=True):
        return ""
    # (a surname first is a "Last, First" tag's, not a person's before a place: "Doe, Jane, Berlin")
    return ", ".join(parts[:-2]) if len(parts[0].split()) >= 2 else value


def _last_first(value: str) -> list[str]:
    """The names of a tag that gives one person, in "First Last" order: "Roy, Aniruddha" and "van der
    Merwe, J." give "Aniruddha Roy", "J. van der Merwe"; flipped only when the part before the comma is one
    surname (a word and its particles) and the part after given names or initials: not two people ("Ann
    Lee, Bob Stone"), a degree ("Cathy Wong, ND", "Jane Doe, MBA"), a place ("Jane Doe, Berlin"), a job
    title or a publication ("Jane Doe, NYT")."""
    parts = [p.strip() for p in clean(value).split(",")]
    if len(parts) == 2 and _surname(parts[0]) and _given_names(parts[1]):
        return [f"{parts[1]} {parts[0]}"]
    return split_names(value)


def _surname(text: str) -> bool:
    """One capitalised word after a name's particles ("Roy", "van der Merwe", "García-Márquez")."""
    words = text.split()
    return bool(words) and _NAME_WORD.match(words[-1]) is not None and all(w in _NAME_PARTICLES for w in words[:-1])


#: A given name or an initial: capitalised, then lower case ("Aniruddha", "J.", "Jean-Luc"); not an
#: abbreviation in capitals ("MBA", "NYT", "CFP").
_GIVEN_NAME = re.compile(r"^(?:[A-ZÀ-Þ]\.|[A-ZÀ-Þ][a-zß-ÿ']+(?:-[A-ZÀ-Þ][a-zß-ÿ']+)?)$")


def _given_names(text: str) -> bool:
    """One to three given names or initials ("Aniruddha", "J. R.", "Mary Ann")."""
    words = text.split()
    return (
        1 <= len(words) <= 3
        and all(_GIVEN_NAME.match(w) for w in words)
        and not _CREDENTIAL.match(text)
        and not _JOB_TITLE.match(text)
    )


def _markup_byline(page: Page, orgs: set[str]) -> Authors | None:
    """The first byline element's names: an element marked up as the author's name holds a name; a
    byline's container may hold a phrase."""
    for at, xpath in enumerate(_BYLINE_SELECTORS):
        for el in _xpath(page.tree, xpath):
            raw = _without_linked_role(inline_text(el), el)
            if 2 < len(raw) < 120 and not _image_credit(el):
                names = _clean_names(split_names(raw), orgs, text=at >= _NAME_SELECTORS)
                if names:
                    return names, raw, "markup:byline"
    return None


#: What the platforms' "label and data" meta tags call an author (Yoast, Ghost: ``twitter:label1``
#: "Written by", ``twitter:data1`` the name).
_WRITTEN_BY = re.compile(
    r"^(?:written by|author|verfasst von|geschrieben von|autor(?:in)?|escrito por|écrit par|auteur|scritto da)$",
    re.IGNORECASE,
)


def _names_the_site(name: str, page: Page) -> bool:
    """Whether one of the name's words is the host's name: "OÖ Volksblatt" on volksblatt.at, "Acme Corp"
    on acme.com (the platforms' "Written by" tags give an account's display name, often the company's)."""
    labels = page.domain.split(".")
    return len(labels) >= 2 and labels[-2].lower() in {w.lower() for w in _WORDS.findall(name)}


def _labelled_meta_authors(data: StructuredData) -> list[tuple[str, str]]:
    """(tag, names) that a ``twitter:dataN`` tag gives where its ``twitter:labelN`` says "Written by"."""
    values: list[tuple[str, str]] = []
    for n in range(1, 5):
        label = data.first_meta(f"twitter:label{n}")
        value = data.first_meta(f"twitter:data{n}")
        if label and value and _WRITTEN_BY.match(label) and not value.startswith("http"):
            values.append((f"twitter:data{n}", value))
    return values


#: A word written as a name's: a capital, then letters ("Szorc", "McCravy", "O'Neil", "Lange-Fricke").
#: Each repeated group opens with a character the one before cannot take (a capital, a hyphen or an
#: apostrophe), so a word that fails fails in linear time ("Aaaa…a1" once took seconds).
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][a-zß-ÿ]*(?:[A-ZÀ-Þ][a-zß-ÿ]+)*(?:[-'’][A-ZÀ-Þ]?[a-zß-ÿ]+)*$")
_WORDS = re.compile(r"[^\s.!?|,;:–—·•»/()©\[\]]+")


def _host_names(domain: str) -> set[str]:
    """The host's labels, each and joined in runs, without "www" and the top-level domain, in letters only:
    gregoryszorc.com gives "gregoryszorc", sam.bossley.com "sam", "bossley" and "sambossley"."""
    labels = [label for label in domain.split(".")[:-1] if label != "www"]
    return {
        re.sub(r"[\W_]", "", "".join(labels[i:j])) for i in range(len(labels)) for j in range(i + 1, len(labels) + 1)
    }


def site_owner(page: Page, data: StructuredData) -> str | None:
    """The person a personal site is named after, when nothing else names an author.

    The page's author tags or structured author (left out of the other layers when they equal the
    site's name) give a name of two to four words written as a person's ("Sam Bossley",
    "Elizabeth McCravy", not "USA TODAY") whose letters are the host's name (sam.bossley.com,
    elizabethmccravy.com, karl-voit.at), when the page also shows that the site is a person's
    (``_owner_evidence``). A site's name alone (its title, ``og:site_name``, a copyright line, an
    author tag) is no evidence of a person: companies are named so too ("Golf Post" on golfpost.de,
    "Goldman Sachs" on goldmansachs.com, "Ralph Lauren").
    """
    hosts = _host_names(page.domain)
    texts = [v for key in ("author", "article:author", "dc.creator") for v in data.meta.get(key, [])]
    texts.extend(v for _, v in _labelled_meta_authors(data))
    value = data.resolve(data.article.get("author")) if data.article else None
    for entry in value if isinstance(value, list) else [value]:
        entry = data.resolve(entry)
        if isinstance(entry, dict) and node_types(entry) & ORGANISATION_TYPES:
            continue
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str):
            texts.append(name)
    for text in texts:
        words = _WORDS.findall(html.unescape(text))
        if 2 <= len(words) <= 4 and _squeeze(text) in hosts and all(_NAME_WORD.match(w) for w in words):
            name = clean(text)
            if _organisation(name, data) or not _owner_evidence(page, data, name) or _common_words(page, words):
                return None
            return name
    return None


_OWNER_LINKS = etree.XPath(
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' me ') or "
    "contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
)


def _owner_evidence(page: Page, data: StructuredData, name: str) -> bool:
    """Whether the page shows the site as this person's: ``og:type`` "profile", a link to the person
    (``rel=me``, ``rel=author``) reading the name, a link "About <given name>" or "About me", a
    structured Person node of that name that is not the site's ``og:site_name`` (``_personal_site``:
    "Morgan Stanley" given as a Person is none).

    (A text told in the first person shows none: an employee's post on a firm's blog, an interview, a
    guest post or a quoted founder speak as "I" on sites named after someone else.)"""
    if (data.first_meta("og:type") or "").lower() == "profile":
        return True
    squeezed = _squeeze(name)
    if any(_squeeze(inline_text(a)) == squeezed for a in _OWNER_LINKS(page.tree)):
        return True
    # a personal site's "About Rick" or "About me" (a company's reads "About Goldman Sachs", "About us")
    about = {f"about {name.split()[0].lower()}", "about me", "über mich", "à propos de moi"}
    if any(inline_text(a).lower() in about for a in page.tree.iter("a")):
        return True
    return _personal_site(name, data) and any(
        node_types(n) & PERSON_TYPES and isinstance(n.get("name"), str) and _squeeze(n["name"]) == squeezed
        for n in data.nodes
    )


def _organisation(name: str, data: StructuredData) -> bool:
    """Whether a node the structured data types as an organisation (not a website) has this name, nested
    ones included (an article's ``publisher``, a page's ``isPartOf``'s)."""
    return any(
        node_types(n) & ORGANISATION_TYPES - {"WebSite"} and isinstance(n.get("name"), str) and clean(n["name"]) == name
        for n in _all_nodes(data.nodes)
    )


def _all_nodes(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in the structured data, nested ones included (to a bounded depth)."""
    if depth > 8:
        return
    if isinstance(value, list):
        for v in value:
            yield from _all_nodes(v, depth + 1)
    elif isinstance(value, dict):
        yield value
        for v in value.values():
            if isinstance(v, (dict, list)):
                yield from _all_nodes(v, depth + 1)


def _common_words(page: Page, words: list[str]) -> bool:
    """Whether the page's text writes one of these words in lower case: a common word ("Quiet Light",
    "Cleveland Clinic", "Die Tagespresse"), where a person's names are written capitalised."""
    lower = {w.lower() for w in words}
    return any(t in lower for text in _page_texts(page) for t in _WORDS.findall(text) if t[:1].islower())


#: A text that opens with a byline word, in the languages of the pages archiver reads.
_BYLINE_WORD = re.compile(
    r"^(?:(?:written|posted|published|text|story|words|article|recipe|reported|ein beitrag|beitrag|"
    rf"(?:ein )?(?:gastbeitrag|blog-?\s?beitrag)|ein artikel|artikel|texte?|{_BYLINE_VERBS})\s+)?"
    r"(?:(?:authors|author\(s\)|contributors?)\s*:\s*"  # a list's word only before a colon: "Authors: X"
    r"|(?:by|von|par|por|di|door|av|af|przez|od|autor(?:[/*]?in|\(in\))?|author(?!\()|auteur|tekst|"
    r"verfasser(?:[/*]?in|\(in\))?|(?<=scritto )da)(?!\w)\s*:?\s*)",
    re.IGNORECASE,
)
#: The plural words that also head lists of credits, cited papers, staff (read in the heading block only).
_LIST_WORD = re.compile(r"^(?:authors|author\(s\)|contributors)(?!\w)", re.IGNORECASE)
#: Credits that are not the article's authors ("Photo by", "Foto von", "Illustration von").
_CREDIT = re.compile(
    r"\b(?:photos?|fotos?|image|bild|illustrations?|grafik|video|credit|übersetz\w*|translat\w*)\W*$", re.I
)
_SCRIPT_TAGS = frozenset({"script", "style", "noscript", "template"})


def _byline_texts(page: Page, block: set[lxml.html.HtmlElement]) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """Short texts of the page's body that open with a byline word, each with the element holding it.

    One walk in Python over text and tails: cheaper than an XPath testing every text node.
    """
    body = page.tree.find("body")
    for el in body.iter() if body is not None else ():
        if not isinstance(tag := el.tag, str):
            continue
        # (a text of white space only, most of a page's, is none: ``_byline_text`` is not called for it)
        own, tail = el.text, el.tail
        if (
            own
            and tag not in _SCRIPT_TAGS
            and not own.isspace()
            and (text := _byline_text(own, el in block))
            and not (tag in _LINE_TAGS and text == own.strip() and _in_running_sentence(el, tail=False))
        ):
            yield text, el
        if tail and not tail.isspace() and (text := _byline_text(tail, el in block)):
            parent = el.getparent()
            if parent is not None and not (text == tail.strip() and _in_running_sentence(el, tail=True)):
                yield text, parent


#: Elements set inside a line of text, whose own text may continue a sentence before them.
_LINE_TAGS = frozenset({"a", "strong", "b", "em", "i", "span", "small"})
#: The words that open a byline before its "by" ("posted by", "written by", "publié par"), in lower case too.
_BYLINE_VERB = re.compile(
    r"(?:written|posted|published|reported|authored|submitted|reviewed|edited|created|started|shared|text|story|"
    r"words|article|recipe|beitrag|artikel|veröffentlicht|erstellt|gepostet|publié|publie|publicado|pubblicato|"
    rf"{_BYLINE_VERBS})$",
    re.IGNORECASE,
)
#: The last word of a text, when it is a word in lower case ("and zpak", "embarrassed", "billing clients").
_LAST_LOWER_WORD = re.compile(r"(?<![\w.@/-])[a-zß-ÿ][\w'’-]*$")
#: A name's words at the start of what follows a byline word: capitalised words, initials, particles.
_LEADING_NAME = re.compile(r"(?:(?:[A-ZÀ-Þ](?:[\w'’-]+|\.)|van|von|der|den|de|da|di|du|del|dos|la|le|ter|bin)\s*)*")
#: Words that join names ("Ann Lee and Bob Stone"): a name running on with them is still a byline.
_NAME_JOINS = frozenset({"and", "und", "et", "y", "e", "en", "og", "och", "i", "&"})


def _line_around(el: lxml.html.HtmlElement, tail: bool) -> tuple[str, str]:
    """The text of an element's parent before a byline word (the element's own text, or its tail when
    ``tail``) and from that word on."""
    parent = el.getparent()
    before = [parent.text or ""] if parent is not None else []
    for sibling in parent if parent is not None else ():
        if sibling is el:
            break
        before += [inline_text(sibling), sibling.tail or ""]
    after = [el.tail or ""] if tail else [inline_text(el), el.tail or ""]
    if tail:
        before.append(inline_text(el))
    for sibling in el.itersiblings():
        after += [inline_text(sibling), sibling.tail or ""]
    return clean(" ".join(before)), clean(" ".join(after))


def _in_running_sentence(el: lxml.html.HtmlElement, tail: bool) -> bool:
    """Whether a byline word that opens a text is a running sentence's "by": three words or more before it
    in its parent, the last one in lower case ("… and <a>zpak</a> by Ottmar Lüdeke.", "… I'd be
    <em>embarrassed</em> by this.", "hourly or <a>by project</a> as you like"), and the name after it ending
    the sentence with a full stop or running on in lower case. Not a byline's verb ("posted by", "publié
    par", "submitted by"), a category before it ("Filed in <a>news</a> <span>by Jane Doe</span>"), nor a
    date's or a count's line ("<time>3 days ago</time> by", "12 points by": a digit just before)."""
    before, after = _line_around(el, tail)
    near = before[-_BEFORE_WORD:]
    word = _LAST_LOWER_WORD.search(near)
    if len(before.split()) < 3 or word is None or _BYLINE_VERB.fullmatch(word.group()) is not None:
        return False
    if any(c.isdigit() for c in near):
        return False
    rest = _BYLINE_WORD.sub("", after).strip()
    if not rest or rest[0].islower():
        return bool(rest)  # a common noun after the word: "by project", "by this"
    beyond = rest[_LEADING_NAME.match(rest).end() :].strip()  # type: ignore[union-attr]
    if beyond.startswith("."):
        return True
    first = beyond.split()[0] if beyond else ""
    return bool(first) and first[0].islower() and first not in _NAME_JOINS


#: How much of the text before a byline word is read for its sentence's word and a date's or count's digit.
_BEFORE_WORD = 40


#: A byline word after a date or a separator: "Posted on September 21, 2020 by Adi Tzlil", "06.11.2023
#: 13:30 von Olga", "| By " (the word's start is where the byline begins).
_WORD_AFTER_DATE = re.compile(r"\s(?=(?:by|von|par|por)\s)", re.IGNORECASE)
_SEPARATORS = re.compile(r"^[|·•–—/-]+\s*")
#: What may stand before the date of a date line that the byline follows: nothing or a publication
#: label ("Posted on", "Veröffentlicht am"), then a weekday's name ("Monday, "), not "Updated", "Reviewed
#: on", "Photo taken", "Opened on".
_DATE_LINE_LEAD = re.compile(
    r"^(?P<label>(?:posted|published|veröffentlicht|publié|publicado|erschienen)(?:\s+(?:on|am|le|el))?\s*:?\s*)?"
    rf"(?P<weekday>{WEEKDAY})?$",
    re.IGNORECASE,
)
#: ...and between the date and the byline word: a time of day (with its zone) or a separator at most.
_DATE_LINE_GAP = re.compile(
    r"^[\s,|·•–—/-]*(?:(?:at|um|à|-)?\s*\d{1,2}[:.h]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr))?"
    r"(?:\s+(?:UTC|GMT|[ECP][SD]?T|CES?T|MES?Z|BST))?)?[\s,|·•–—/-]*$",
    re.IGNORECASE,
)


def _byline_text(text: str, heading: bool = False) -> str | None:
    """The byline a text opens with, from its byline word: the text itself, or its part after a
    separator before the word ("| By X"), or, in the article's heading block (``heading``), after the
    date line before it ("Posted on May 2, 2020 by X" gives "by X", not "Updated May 2, 2020 by X"
    nor "On 2 March 2022 the bill was signed by X"); None if none."""
    stripped = text.strip()
    if not 0 < len(stripped) <= 80:
        return None
    if _BYLINE_WORD.match(stripped) is not None and (heading or not _LIST_WORD.match(stripped)):
        return stripped
    bare = _SEPARATORS.sub("", stripped)
    if bare != stripped and _BYLINE_WORD.match(bare) is not None and (heading or not _LIST_WORD.match(bare)):
        return bare
    word = _WORD_AFTER_DATE.search(stripped) if heading else None
    if word is None:
        return None
    prefix = stripped[: word.start()]
    span = date_span(prefix)
    lead = _DATE_LINE_LEAD.match(prefix[: span[0]]) if span else None
    if lead is None or span is None or not _DATE_LINE_GAP.match(prefix[span[1] :]):
        return None
    if lead["weekday"] and not lead["label"] and stripped[word.end() :].lower().startswith("von"):
        return None  # "von" is "from" too: a timetable's "Sonntag, 12.03.2023 von Hamburg Hbf"
    return stripped[word.end() :]


def _text_bylines(page: Page, block: set[lxml.html.HtmlElement]) -> Iterator[str]:
    """Bylines written in the text without a class to name them: "By <a>Name</a>", "Von Name".

    The byline runs from its word to the end of the element holding it (its parent when the
    word stands alone, as in ``<div>By</div><div>Name</div>``, up to the end of the block after the
    word's own block: not a bio in the block after the name's).
    """
    for text, el in _byline_texts(page, block):
        if any(a.tag == "h1" for a in (el, *el.iterancestors())):
            continue  # a headline that opens with the word: "Von Sprachregeln, Gender-Politik und ..."
        child: lxml.html.HtmlElement | None = None
        for _ in range(3):  # the word alone: the name is in the element's next sibling
            whole = inline_text(el) if child is None or child.tag not in _WORD_BLOCKS else _and_next_block(child)
            at = whole.find(text)
            raw = whole[at:] if at >= 0 else whole
            if _CREDIT.search(whole[: max(at, 0)]) or len(raw) > 150:
                break
            rest = _BYLINE_WORD.sub("", raw).strip()
            if rest and outside_boilerplate(el):
                if rest[0].isupper() or (_user_name(rest) and not _in_sentences(page, trim_name(rest))):
                    yield _up_to_link(raw, el)[:120]
                break
            parent = el.getparent()
            if parent is None:
                break
            child, el = el, parent


#: Blocks that may hold a byline's word alone, its name in the next one (``<div>Written by</div><div>Rob
#: Tallis</div><div>Hi! I'm Rob, ...</div>``).
_WORD_BLOCKS = frozenset({"div", "p"})


def _and_next_block(word: lxml.html.HtmlElement) -> str:
    """The text of a byline word's block and of its siblings up to the next block, that one included."""
    parts = [inline_text(word), word.tail or ""]
    for sibling in word.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        parts.append(inline_text(sibling))
        if sibling.tag in _WORD_BLOCKS:
            break
        parts.append(sibling.tail or "")
    return clean(" ".join(parts))


def _in_sentences(page: Page, word: str) -> bool:
    """Whether the page writes a byline's lower-case word in its sentences too (a text of four words or
    more that opens with no byline word, outside the comment area): a common noun ("Author names", "by
    project"), not a login (which a reader's comment may well name: "Thanks marc for this post!")."""
    return word in _sentence_words(page)


#: A class or id naming a comment area, whose sentences may name a login.
_COMMENT_AREA = re.compile(r"(?:^|[\s_-])(?:comments?|respond|responses|replies|discussion)(?:$|[\s_-])", re.I)


def _sentence_words(page: Page) -> frozenset[str]:
    """The words in lower case of the page's sentences (``_in_sentences``), gathered once a page."""
    return page.remembered("sentence_words", lambda: _gather_sentence_words(page))


def _gather_sentence_words(page: Page) -> frozenset[str]:
    words: set[str] = set()
    body = page.tree.find("body")
    stack = [body] if body is not None else []
    while stack:
        el = stack.pop()
        if el.tag in _SCRIPT_TAGS or _COMMENT_AREA.search(f"{el.get('id', '')} {el.get('class', '')}"):
            continue
        for text in (el.text, *(child.tail for child in el)):
            if text and len(text.split()) >= 4 and _BYLINE_WORD.match(text.strip()) is None:
                words.update(w for w in _WORDS.findall(text) if w.islower())
        stack.extend(child for child in el if isinstance(child.tag, str))
    return frozenset(words)


#: What follows a user name in a byline: its date or category ("by fennwick on August 3, 2019").
#: "on"/"am"/"um" only before a date, "at"/"in" before a date or a capitalised category: not "by signing in
#: to your account", "by registering at our site", "von heute am Montag" (``_NO_USER_NAME``).
_MONTH_WORD = (
    r"(?i:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|june?|juni|july?|juli|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?)(?!\w)"
)
_AFTER_USER_NAME = re.compile(rf"^\s+(?:(?i:on|am|um)\s+(?:\d|{_MONTH_WORD})|(?i:at|in)\s+(?:\d|[A-ZÀ-Þ])|[|·•–—-]\s)")
#: (``_noun_byline_name``)
_NOT_IN_A_NAME = re.compile(
    rf"^(?:{WEEKDAY}|{_MONTH_WORD}|heute|gestern|morgen|vorgestern|anfang|ende|mitte|seite|online|zeitung|"
    r"magazin|verlag|redaktion|presse|agentur|gmbh|ag|stiftung|verband|institut|universität|deutsche[rn]?|"
    r"deutschland|bahn|partner|team|news)\.?,?$",
    re.IGNORECASE,
)
#: Lower-case words after "by"/"von" that are a sentence's, not a user name: a verb's "-ing" form ("by
#: clicking on Accept"), an adverb ("by far", "von heute", "von hier").
_NO_USER_NAME = re.compile(r"\w*ing|far|now|heute|gestern|morgen|hier|dort|jetzt|oben|unten", re.IGNORECASE)


def _user_name(rest: str) -> bool:
    """Whether what follows a byline word in lower case is a user name: one word, alone, with a digit or
    an underscore, or followed by the byline's date or category ("by q_user", "by fennwick on August
    3, 2019"), not a sentence's words ("von rund 1,4 Milliarden Umsatz", "by clicking the button", "by
    signing in you agree")."""
    words = trim_name(rest).split()
    if len(words) != 1:
        return False
    if _NO_USER_NAME.fullmatch(words[0]):
        return False
    after = rest.strip()[len(words[0]) :]
    return not after or any(c.isdigit() or c == "_" for c in words[0]) or bool(_AFTER_USER_NAME.match(after))


#: Links into a site's author pages: ``/author/<slug>``, ``/authors/<slug>``, ``/profile/<slug>``...
_AUTHOR_HREFS = etree.XPath(
    "//a[contains(@href, '/author') or contains(@href, '/autor') or contains(@href, '/profile/')"
    " or contains(@href, '/user/') or contains(@href, '/members/')]"
)
_AUTHOR_SEGMENTS = frozenset({"author", "authors", "autor", "autoren", "auteur", "profile", "user", "members"})
_INLINE_TAGS = frozenset({"strong", "b", "em", "i", "span", "small"})


def _host_and_path(href: str) -> tuple[str | None, str] | None:
    """A link's host and path, or None for an href no URL parser takes ("http://[::1/x", "http://[zz]/")."""
    try:
        parts = urlsplit(href)
        return parts.hostname, parts.path
    except ValueError:
        return None


def _author_page_slug(a: lxml.html.HtmlElement) -> str | None:
    """The slug of an author page a link points to (``/authors/adrien-ramirez`` gives "adrien-ramirez")."""
    where = _host_and_path(a.get("href", ""))
    if where is None:
        return None
    segments = [s for s in where[1].split("/") if s]
    at = next((i for i, s in enumerate(segments) if s.lower() in _AUTHOR_SEGMENTS), None)
    return segments[at + 1] if at is not None and at + 1 == len(segments) - 1 else None


#: A second-level label under which a country's registrable domains lie ("example.co.uk").
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"})
#: Where a link is not the page's byline: a caption's credit, a quotation's source.
_CREDIT_TAGS = frozenset({"figcaption", "blockquote", "cite"})
#: Words of an account menu's links ("My Profile", "Account").
_ACCOUNT_WORDS = frozenset({"my", "profile", "account", "konto", "profil", "mein", "login", "logout"})
#: A class or id naming the author's box ("author-box", "post-author", "byline").
_AUTHOR_BOX = re.compile(r"author|byline|autor|auteur|verfasser|contributor", re.IGNORECASE)
#: Links into author pages whose place is checked, at most (a menu or index of many authors names no
#: page's author; each check walks the link's ancestors).
_AUTHOR_LINKS = 20


def registrable_domain(host: str) -> str:
    """A host's registrable part, near enough: its last two labels, or three under a country's
    second level ("news.example.co.uk" gives "example.co.uk")."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


#: How slugs write the letters a name has beyond ASCII ("Greta Hüls" at ``/autoren/Greta-Huels``).
_SLUG_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _slug_forms(text: str) -> set[str]:
    """A name's letters as a slug may write them: as they are, umlauts spelt out, accents dropped."""
    lower = text.lower()
    folded = unicodedata.normalize("NFKD", lower).encode("ascii", "ignore").decode()
    return {_squeeze(lower), _squeeze(lower.translate(_SLUG_LETTERS)), _squeeze(folded)}


def _slug_reads(text: str, slug: str, beside: bool) -> bool:
    """Whether an author page's slug writes a link's name ("Greta Hüls" for ``Greta-Huels``); ``beside`` the
    first author's link, a co-author's slug may be one of the name's words ("Tilda Varsky" for ``/author/tilda/``)."""
    squeezed = _squeeze(slug)
    if squeezed in _slug_forms(text):
        return True
    return beside and len(text.split()) >= 2 and any(squeezed in _slug_forms(w) for w in text.split())


def _hides_cached(el: lxml.html.HtmlElement, hiding: dict[lxml.html.HtmlElement, bool]) -> bool:
    """``_hides``, worked out once an element."""
    if el not in hiding:
        hiding[el] = _hides(el)
    return hiding[el]


def _in_author_box(a: lxml.html.HtmlElement) -> bool:
    """Whether a link is in an element whose class or id names the author's box or byline."""
    return any(
        _AUTHOR_BOX.search(f"{x.get('id', '')} {x.get('class', '')}")
        for x in a.iterancestors()
        if x.tag not in {"body", "html"}
    )


def _author_page_links(page: Page, excluded: set[str], block: set[lxml.html.HtmlElement]) -> list[str]:
    """The names of links into the site's own author pages whose text is the page's name, its slug's
    words ("<a href='/authors/adrien-ramirez'>Adrien Ramirez</a>"), with the other such links beside the
    first (co-authors): two words or more, or a user name with digits ("freeman1984" linking
    /author/freeman1984/).

    The first link is the byline only in the article's heading block or an author box, outside
    navigation and comment areas: not another site's profile quoted in the body, a caption's
    credit, an account menu, a commenter or a related story's author.
    """
    site = registrable_domain(page.domain)
    first: lxml.html.HtmlElement | None = None
    names: list[str] = []
    checked = 0  # outside_boilerplate walks the link's ancestors' subtrees: a bounded number of times
    hiding: dict[lxml.html.HtmlElement, bool] = {}
    for a in _AUTHOR_HREFS(page.tree):
        if checked >= _AUTHOR_LINKS:
            break
        slug = _author_page_slug(a)
        text = inline_text(a)
        if not slug or not text or not _slug_reads(text, slug, first is not None and first in a.iterancestors()):
            continue
        host = (_host_and_path(a.get("href", "")) or (None, ""))[0]  # the slug was read: the href parses
        if host and registrable_domain(host) != site:
            continue
        if _ACCOUNT_WORDS & set(text.lower().split()) or any(x.tag in _CREDIT_TAGS for x in a.iterancestors()):
            continue
        if first is None and not (a in block or _in_author_box(a)):
            continue
        if first is not None and first not in a.iterancestors():
            continue
        if any(_hides_cached(x, hiding) for x in a.iterancestors("nav", "aside")):
            continue  # a menu of the site's authors: left out before the count, once a menu
        checked += 1
        if not outside_boilerplate(a):
            continue
        if first is None:
            first = a.getparent()
            while first is not None and first.tag in _INLINE_TAGS and first.getparent() is not None:
                first = first.getparent()
        if (_USER_NAME.match(text) and is_person_name(_DIGITS.sub("", text), excluded)) or (
            len(text.split()) >= 2 and is_person_name(text, excluded)
        ):
            names.append(text)
    return list(dict.fromkeys(names))


#: An account's name: one word of letters and digits ("freeman1984", "c1ph4"), not an admin account.
#: (One word without digits may be a company's account: "Swoogo", "CottageCare"; that is no name here.)
_DIGITS = re.compile(r"\d+")
_USER_NAME = re.compile(r"^(?!.*admin)(?=[^\d]*\d)[A-Za-z][A-Za-z\d_-]{1,30}$", re.IGNORECASE)


def _without_linked_role(raw: str, el: lxml.html.HtmlElement) -> str:
    """A byline's one linked name without what follows a comma after it, a job title:
    "<a>Brett Cruz</a>, Privacy and Digital Security Expert" gives "Brett Cruz"."""
    if "," not in raw:
        return raw
    links = [t for t in (inline_text(a) for a in el.iter("a")) if t]
    if len(links) != 1:
        return raw
    at = raw.find(links[0])
    end = at + len(links[0])
    rest = raw[end:].lstrip()
    # "<a>Jane Doe</a>, John Smith and Ann Lee": co-authors, not a job title
    return raw[:end] if at >= 0 and rest.startswith(",") and _ROLE_IN.search(rest) else raw


def _up_to_link(raw: str, el: lxml.html.HtmlElement) -> str:
    """A byline whose name is a link ends with it: "By <a>A. J. Neal</a> View In Digital Edition".

    (Unless more names follow: "Von <a>Lars Fischer</a> und <a>Alina Schadwinkel</a>".)
    """
    word = _BYLINE_WORD.match(raw)
    if word is None:
        return raw
    after = raw[word.end() :]
    name = next((t for t in (inline_text(a) for a in el.iter("a")) if t), "")
    if not name or not after.startswith(name) or len(after) == len(name):
        return raw
    rest = after[len(name) :]
    return raw if _MORE_NAMES.match(rest) else raw[: word.end()] + name


_MORE_NAMES = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\boraz\b)", re.IGNORECASE)


# --- publisher -----------------------------------------------------------------------------


def _organisation_name(value: Any, data: StructuredData) -> str | None:
    """The name of an organisation node (or a plain name), None for a person or nothing."""
    value = data.resolve(value)
    if isinstance(value, list):
        return next((n for v in value if (n := _organisation_name(v, data))), None)
    if isinstance(value, str):
        return clean(value) if value.strip() and not value.strip().startswith("http") else None
    if isinstance(value, dict) and not node_types(value) & PERSON_TYPES:
        name = value.get("name")
        return clean(name) if isinstance(name, str) and clean(name) else None
    return None


def _author_organisations(value: Any, data: StructuredData) -> Iterator[str]:
    """The organisations named among a structured ``author`` value (its people are authors)."""
    value = data.resolve(value)
    if isinstance(value, list):
        for entry in value:
            yield from _author_organisations(entry, data)
    elif isinstance(value, dict) and node_types(value) & ORGANISATION_TYPES:
        name = value.get("name")
        if isinstance(name, str) and clean(name):
            yield clean(name)


def extract_publisher(page: Page, data: StructuredData) -> Found | None:
    """The organisation or site that publishes the page: never counted among its authors.

    The article's schema.org ``publisher``, an organisation named as its ``author`` (kept here,
    not dropped), the page's only Organization node, meta tags (``og:site_name``, ``publisher``).
    """
    article = data.article or {}
    name = _organisation_name(article.get("publisher"), data)
    if name:
        return name, "jsonld"
    organisations = list(_author_organisations(article.get("author"), data))
    if organisations:
        return "; ".join(dict.fromkeys(organisations)), "jsonld:author"
    if data.microdata.get("publisher"):
        name = clean(data.microdata["publisher"][0])
        if name:
            return name, "microdata"
    for key in ("og:site_name", "publisher", "dc.publisher", "citation_publisher"):
        value = data.first_meta(key)
        if value and not value.startswith("http"):
            return value, f"meta:{key}"
    named = {
        clean(n["name"]) for n in data.nodes if node_types(n) & ORGANISATION_TYPES and isinstance(n.get("name"), str)
    }
    named.discard("")
    if len(named) == 1:
        return named.pop(), "jsonld"
    return None


# --- dates ---------------------------------------------------------------------------------


def _date_candidates(
    page: Page, data: StructuredData, which: str, labelled: bool = True, markup: bool = True
) -> Iterator[tuple[str | None, str]]:
    key = "datePublished" if which == "published" else "dateModified"
    if data.article and isinstance(data.article.get(key), str):
        yield data.article[key], "jsonld"
    microdata = data.microdata[key][0] if data.microdata.get(key) and not _reads_a_card(page, data) else None
    read = set()  # the values the microdata and meta layers gave: a <meta> tag votes once
    if microdata:
        read.add(clean(microdata))
        yield microdata, "microdata"
    meta_keys = (
        (
            "article:published_time",
            "og:published_time",
            "datepublished",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "date",
            "pubdate",
            "publishdate",
            "sailthru.date",
            "parsely-pub-date",
            "citation_publication_date",
            "citation_date",
            "article.published",
            "published",
        )
        if which == "published"
        else ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
    )
    for meta_key in meta_keys:
        value = data.first_meta(meta_key)
        if meta_key in _ITEMPROP_DATES and value == clean(microdata or ""):
            continue  # the microdata's own tag, read as the microdata layer
        if value and not (meta_key in _ITEMPROP_DATES and _in_a_card(page, data, value, meta_key)):
            read.add(value)
            yield value, f"meta:{meta_key}"
    cards = _card_scopes(page, data)
    if which == "modified":
        xpath = "//time[contains(@class, 'updated') or contains(@class, 'modified')][@datetime]"
        for el in _xpath(page.tree, xpath) if markup else ():
            if not _in_cards(el, cards):
                yield el.get("datetime"), "markup:time"
        return
    for el in _date_elements(page):
        value = el.get("datetime") or el.get("content") or (el.get("title") if el.tag == "abbr" else None)
        if el.tag == "time" and _labelled_update(el):
            continue
        if _in_cards(el, cards):
            continue  # another article's card: its date is that article's
        if el.tag == "meta" and clean(value or "") in read:
            continue  # a tag the microdata or meta layer read: one vote
        value = value or published_part(_spaced_text(el))
        if value and len(value) < 200:
            yield value, "markup:time" if el.tag == "time" else "markup:date"
    if labelled:
        yield from _labelled_dates(page)


#: A card or a teaser of another page is short: a headline, a date, a line of summary (an article's own
#: item holds its text).
_CARD_WORDS = 80


def _reads_a_card(page: Page, data: StructuredData) -> bool:
    """Whether the scope the microdata layer reads (the first article-typed) is another article's card."""
    cards = _card_scopes(page, data)
    return bool(cards) and data.article_scopes[0] in cards


def _card_scopes(page: Page, data: StructuredData) -> set[lxml.html.HtmlElement]:
    """The article-typed microdata scopes that are other articles' cards: where the page has a headline
    ``<h1>`` (``_headline_h1``) and two or more article scopes do not hold it (a list of posts, related
    stories), those that are short (under ``_CARD_WORDS`` words) and whose title links to another page
    (``_is_card``): not the page's own item when the headline sits above it, nor a forum's posts. Found
    once a page, among the article scopes ``structured`` found (``StructuredData.article_scopes``)."""

    def find() -> set[lxml.html.HtmlElement]:
        h1 = _page_h1(page) if len(data.article_scopes) >= 2 else None
        if h1 is not None:
            others = [x for x in data.article_scopes if not _is_or_holds(x, h1)]
            if len(others) >= 2:
                return {x for x in others if _is_card(x, page.url)}
        return set()

    return page.remembered("card_scopes", find)


_HEADLINE_PROPS = etree.XPath(".//*[@itemprop='headline' or @itemprop='name'][not(@itemscope)]")


def _is_card(scope: lxml.html.HtmlElement, url: str) -> bool:
    """Whether an article's item scope is a card of another page (``_card_scopes``): short, and its title
    (its own ``headline`` or ``name``, not a nested author's or publisher's; else its first heading)
    links to another page."""
    if len(scope.text_content().split()) >= _CARD_WORDS:
        return False
    own = (x for x in _HEADLINE_PROPS(scope) if is_own_property(x, scope))
    title = next(own, None)
    if title is None:
        title = next(scope.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
    if title is None:
        return False
    link = title if title.tag == "a" else title.find(".//a[@href]")
    if link is None:
        link = next((x for x in title.iterancestors("a") if _is_or_holds(scope, x)), None)
    return _leads_away(link, url)


#: The microdata dates read as meta tags (``first_meta``'s keys), and the tags that give them.
_ITEMPROP_DATES = {
    "datepublished": etree.XPath("//meta[@itemprop='datePublished']"),
    "datemodified": etree.XPath("//meta[@itemprop='dateModified']"),
}


def _in_a_card(page: Page, data: StructuredData, value: str, meta_key: str) -> bool:
    """Whether the ``datePublished`` or ``dateModified`` meta tag (``meta_key``) that gives ``value`` is a
    card's microdata (``_card_scopes``)."""
    cards = _card_scopes(page, data)
    if not cards:
        return False
    for el in _ITEMPROP_DATES[meta_key](page.tree):
        if clean(el.get("content") or "") == value:
            return _in_cards(el, cards)
    return False


def _in_cards(el: lxml.html.HtmlElement, cards: set[lxml.html.HtmlElement]) -> bool:
    """Whether an element is inside one of other articles' cards (``_card_scopes``)."""
    return bool(cards) and any(x in cards for x in el.iterancestors())


def _date_elements(page: Page) -> Iterator[lxml.html.HtmlElement]:
    """The elements the date selectors find, in their order (``_DATE_SELECTORS``), but for a date in the site's
    header (``_site_headers``; not one the first selectors mark as the publication's) and an element of class
    ``published`` that is not the headline's entry's own date line (``_entry_published``)."""
    site_headers: set[lxml.html.HtmlElement] | None = None  # worked out once, where a candidate is in a <header>
    for index, xpath in enumerate(_DATE_SELECTORS):
        for el in _xpath(page.tree, xpath):
            if xpath is _PUBLISHED_CLASS and not _entry_published(page, el):
                continue
            if index >= _STRONG_DATE_SELECTORS and _in_a_teaser(el, _page_h1(page), page.url):
                continue
            header = _header_of(el) if index >= _STRONG_DATE_SELECTORS else None
            if header is not None:
                site_headers = _site_headers(_page_h1(page)) if site_headers is None else site_headers
                if header in site_headers:
                    continue
            yield el


#: How far above a date element its teaser may be: a teaser's title, summary and date sit close together.
_TEASER_DEPTH = 3


def _in_a_teaser(el: lxml.html.HtmlElement, h1: lxml.html.HtmlElement | None, url: str) -> bool:
    """Whether a date element is another page's teaser's: it is in a short element (at most
    ``_TEASER_DEPTH`` levels up, below the ``<article>``, ``<main>`` and what holds the headline; under
    ``_CARD_WORDS`` words) whose first heading links to another page (the teaser's title; not a
    ``#`` anchor of the page's own text) and whose parent holds two more elements of its tag and class
    (a list of teasers: "Recent posts", "Read also")."""
    for item in islice(el.iterancestors(), _TEASER_DEPTH):
        if item.tag in {"article", "main", "body"} or (h1 is not None and _is_or_holds(item, h1)):
            return False
        parent = item.getparent()
        kind = item.get("class")
        if parent is None or not kind:
            continue
        alike = (x for x in parent if x.tag == item.tag and x.get("class") == kind)
        if next(islice(alike, 2, None), None) is None or item.find(".//h1") is not None:
            continue  # (the cheap test first: most date elements' ancestors have no siblings alike)
        heading = next(item.iter("h2", "h3", "h4", "h5", "h6"), None)
        if heading is None or not _leads_away(heading.find(".//a[@href]"), url):
            continue
        return len(item.text_content().split()) < _CARD_WORDS
    return False


def _leads_away(link: lxml.html.HtmlElement | None, url: str) -> bool:
    """Whether a link leads to another page: not a ``#`` anchor, not the page's own address in another
    spelling (``address_key``: http or https, ``www.`` or not, a trailing slash, ``index.html``, a
    campaign's query)."""
    href = (link.get("href") or "").strip() if link is not None else ""
    if not href or href.startswith("#"):
        return False
    target = join_url(url, href)
    return target is not None and (key := address_key(target)) is not None and key != address_key(url)


_ENTRY = re.compile(r"(?:^|\s)h-?entry(?:$|\s)")
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


def _entry_published(page: Page, el: lxml.html.HtmlElement) -> bool:
    """Whether an element of class ``published`` is the headline's entry's own date line: a short line that
    opens with a date, not a heading or a link (nor in one), in an ``<article>`` or hAtom entry (``hentry``,
    ``h-entry``) that also holds the headline's ``<h1>`` (``_headline_h1``; not a featured teaser's or a
    comment's date)."""
    h1 = _page_h1(page)
    if h1 is None or el.tag in _HEADINGS or el.tag == "a":
        return False
    line = without_weekday(_spaced_text(el))
    if not line or len(line) > _DATE_LINE or date_start(line, language=_date_lang(page)) != 0:
        return False
    holders = set(h1.iterancestors())
    for x in el.iterancestors():
        if x.tag in _HEADINGS or x.tag == "a":
            return False
        if x in holders and (x.tag == "article" or _ENTRY.search(x.get("class") or "")):
            return True
    return False


#: The first date selectors name the publication date by their markup: never skipped as the site header's.
_STRONG_DATE_SELECTORS = 4
_ENTRY_CLASS = (
    "contains(concat(' ', normalize-space(@class), ' '), ' hentry ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')"
)
_ENTRY_INSIDE = etree.XPath(f"ancestor-or-self::*[{_ENTRY_CLASS}] | descendant::*[{_ENTRY_CLASS}]")


def _header_of(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The ``<header>`` an element is in, where no ``<article>`` or ``<main>`` is between them, or None."""
    for x in el.iterancestors():
        if x.tag in {"article", "main"}:
            return None
        if x.tag == "header":
            return x
    return None


def _site_headers(h1: lxml.html.HtmlElement | None) -> set[lxml.html.HtmlElement]:
    """The page's site headers, where a site shows the day's date ("Friday, December 19, 2025"): the
    ``<header>`` elements before the headline's ``<h1>`` in the document, outside any ``<article>`` or
    ``<main>``, holding neither them nor the headline, neither in nor holding an hAtom entry
    (``hentry``, ``h-entry``, ``entry-title``: an entry's own ``<header class="entry-meta">``). None
    where the page has no headline ``<h1>`` (``_headline_h1``)."""
    if h1 is None:
        return set()
    return {
        x
        for x in h1.xpath("preceding::header")
        if not any(a.tag in {"article", "main"} for a in x.iterancestors())
        and not _holds_headline(x)
        and not _holds_article(x)
        and not _ENTRY_INSIDE(x)
    }


#: The elements whose texts are not the page's shown text.
_HIDDEN_TAGS = ("script", "style")


def _spaced_text(el: lxml.html.HtmlElement) -> str:
    """An element's text with its children's texts apart: the date line "DECEMBER 22, 2022" and the
    "Updated: ..." after it stay two phrases even where the markup glues them (``</span><span>``)."""
    return clean(" ".join(shown_texts(el, _HIDDEN_TAGS))) if len(el) else inline_text(el)


_PAGE_TEXT = etree.XPath("//body//text()[not(ancestor::script or ancestor::style)]", smart_strings=False)
_BODIES = etree.XPath("//body")


def _page_texts(page: Page) -> list[str]:
    """The texts of the page's ``<body>`` outside scripts and styles (``_PAGE_TEXT``; ``shown_texts``
    of the body, faster)."""
    bodies = _BODIES(page.tree)
    return shown_texts(bodies[0], _HIDDEN_TAGS) if len(bodies) == 1 else _PAGE_TEXT(page.tree)


def _labelled_dates(page: Page) -> Iterator[tuple[str, str]]:
    """Dates the page's text calls a publication date ("Erschienen am: 01.11.2023", "Published on ...")."""
    text = clean(" ".join(_page_texts(page)))
    for _, end in _published_label_spans(text):
        rest = text[end : end + 40].lstrip()
        dated = through_date(rest, language=_date_lang(page)) if rest[:1].isalnum() else None
        if dated:  # not "Posted in News Today, we ...": a day's word after a category is no date
            yield dated, "markup:label"


#: Words that say the date after them is when the page was published or first published...
_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|originally (?:created|published)|first published|erstellt|veröffentlicht|"
    r"erschienen|publié(?: le)?|publicado|pubblicato)\b\s*(?:on|am|le|el|il)?\s*:?",
    re.IGNORECASE,
)
#: ``_PUBLISHED_LABEL`` without IGNORECASE, for a text in lower case: the same matches at the same places,
#: but on a text holding a letter IGNORECASE takes for one of the pattern's that ``lower()`` does not turn
#: into it (``_NOT_LOWERED``, found by testing every character; "\u0130" also lengthens the text).
_PUBLISHED_LABEL_LOWER = re.compile(_PUBLISHED_LABEL.pattern)
_NOT_LOWERED = ("\u0130", "\u0131", "\u017f")
#: How each of its words starts: a match of it starts with one of these.
_PUBLISHED_CLUE = re.compile(r"publi|posted|originally |first publi|erstellt|veröffentlicht|erschienen|pubblicato")


def _published_label_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_PUBLISHED_LABEL.finditer(text)``, three times faster on a page's text: the label is
    tried only where one of its words starts (``_PUBLISHED_CLUE``, found in the text's lower case, which
    Python's ``re`` scans for their first letters), not at every position (its leading ``\\b`` and
    IGNORECASE give ``re`` no first letters to look for). Spans, not matches: the matches are made on the
    lower case, whose texts are not the page's (only their places are the same)."""
    if any(c in text for c in _NOT_LOWERED):
        for m in _PUBLISHED_LABEL.finditer(text):
            yield m.span()
        return
    lower = text.lower()
    at = 0
    while (clue := _PUBLISHED_CLUE.search(lower, at)) is not None:
        found = _PUBLISHED_LABEL_LOWER.match(lower, clue.start())  # its \b reads the character before
        if found is None:
            at = clue.start() + 1
        else:
            yield found.span()
            at = found.end()


#: ...or when it was last changed: that is not its publication date.
_UPDATE_LABEL = re.compile(
    r"\b(?:(?:last )?(?:updated|modified|revised|reviewed|checked)|update|aktualisiert|geändert|bearbeitet|"
    r"geprüft|stand(?=\s*:)|mis à jour|modifié|actualizado|aggiornato)\b",
    re.IGNORECASE,
)


def published_part(text: str) -> str:
    """The part of a byline's date text that gives the publication date ("" if it only gives an update).

    "Published: May 1, 2020 | Updated: May 3, 2020" gives "May 1, 2020 | Updated: ..." (the first
    date is read), "Last updated May 3, 2020" gives "", "By X, May 1, 2020 (updated ...)" its start.
    """
    published = _PUBLISHED_LABEL.search(text)
    if published:
        return text[published.end() :]
    update = _UPDATE_LABEL.search(text)
    return text[: update.start()] if update else text


_DIGIT = re.compile(r"\d")
#: Words that say the date after them is when a member joined a forum or site, not the page's date.
_JOINED_LABEL = re.compile(
    r"\b(?:joined|registered|member since|registriert|mitglied seit|dabei seit|inscrit|inscrito|iscritto)\b",
    re.IGNORECASE,
)


def _text_before(el: lxml.html.HtmlElement) -> str:
    """The last 40 characters of text just before an element (its previous sibling's, or its parent's own)."""
    previous = el.getprevious()
    if previous is not None:
        before = f"{inline_text(previous)} {previous.tail or ''}"
    else:
        parent = el.getparent()
        before = (parent.text or "") if parent is not None else ""
    return clean(before)[-40:]


def _labelled(el: lxml.html.HtmlElement, label: re.Pattern[str]) -> bool:
    """An element that its class or the words just before it (with no digit after them: not the label of
    an earlier date) call what ``label`` matches."""
    if label.search(el.get("class", "")):
        return True
    before = _text_before(el)
    return any(_DIGIT.search(before[m.end() :]) is None for m in label.finditer(before))


def _labelled_update(el: lxml.html.HtmlElement) -> bool:
    """A <time> that its class or the words just before it call an update (and not a publication)."""
    if _UPDATE_LABEL.search(el.get("class", "")):
        return True
    before = _text_before(el)
    return bool(_UPDATE_LABEL.search(before)) and not _PUBLISHED_LABEL.search(before)


def extract_date(
    page: Page, data: StructuredData, which: str, now: datetime
) -> tuple[str | None, str | None, str | None]:
    """(ISO date, raw text, provenance) of the publication or modification date.

    The layers are asked in order (structured data, meta tags, the byline's markup, not a date in
    the site's header: ``_site_headers``); for the publication date, the URL's date
    (``/2019/01/31/``, ``/29-10-2021``) comes next, then the heading block's first date when it is a
    date line of its own (``_heading_date``; not a numeric date with slashes that reads two ways),
    then an update's date line that is the block's first date (``_heading_update``: the page's only
    date of itself, provenance ``markup:updated``), where the block shows neither, a date line just
    above the headline (``_above_headline``: a kicker's "Dec 12, 2025 4 min read"; an update's label
    there makes it the update line), and where the layers
    disagree two or more that agree outweigh the first (``_weighed_date``). A numeric date with
    slashes that reads two ways ("03/10/2023") is read the way that gives the URL's day. A time the
    page gives in UTC is written in the page's own time zone when another of its dates names the
    same instant in it, or becomes the URL's calendar day when that is the same day somewhere on
    Earth, or else, from structured data or a meta tag, is written in the time of the one-zone
    country the site's domain names (``country_zone``), unless the page shows the UTC day where that
    time would change it (``_shows_day``). The modification date is not converted (it stays as the
    page writes it). Every date is read with the month names of the page's declared language where it
    has short ones of its own ("12 ott. 2020" on an Italian page: ``date_language``).
    """
    date_language(page, data)  # worked out once: every reading of the page's dates below is in it
    found = _first_date(page, data, which, now)
    if which != "published":
        return found
    day = url_date(page.url)
    iso, raw, source = found
    if iso is None:
        if day and day <= now.date():
            return day.isoformat(), page.url, "url"
        first = _heading_date(page, now)
        if first is not None and first[2] and swapped_day(first[3]) is None:
            return _with_clock(page, first[0], first[1], "markup:date")
        update = _heading_update(page, now) if first is None else None
        if first is None and update is None and (above := _above_headline(page, now)) is not None:
            if not above[2]:
                return _with_clock(page, above[0], above[1], "markup:date")
            update = above[:2]
        if update is None or _htmldate_reads_a_keyed_day(page, now):
            return found
        return _with_clock(page, update[0], update[1], "markup:updated")
    if day is not None and iso[:10] != day.isoformat() and swapped_day(raw or "") == day.isoformat():
        return day.isoformat() + iso[10:], raw, f"{source}+url"  # "03/10/2023" read day first, as the URL says
    instant = utc_instant(iso)
    if instant is None:
        return found
    for other in _other_dates(page, data, now):
        offset = page_offset(instant, other)
        if offset is not None:
            return in_offset(instant, offset), raw, source
    if day is not None and day != instant.date() and could_fall_on(instant, day):
        return day.isoformat(), raw, f"{source}+url"
    zone = None if (source or "").startswith("markup") else country_zone(page.domain)
    if zone is not None:  # (a byline's own time is the page's text: "+00:00" there is no conversion)
        local = instant.astimezone(zone)
        if local.date() == instant.date() or not _shows_day(page, now, instant.date().isoformat()):
            return local.isoformat(), raw, source
    return found


_TIMES = etree.XPath("//time", smart_strings=False)


def _shows_day(page: Page, now: datetime, day: str) -> bool:
    """Whether the page shows ``day`` in a ``<time>``'s text or its heading block's first date: then a UTC
    time on that day is in the page's own clock (a site writing UTC on a country's domain)."""
    first = _heading_date(page, now)
    if first is not None and first[0][:10] == day:
        return True
    lang = _date_lang(page)
    return any((parse_date(inline_text(el), now, language=lang) or "")[:10] == day for el in _TIMES(page.tree))


#: At most so many of the page's publication dates (one a layer) are weighed against each other.
_WEIGHED = 12


def _same_day(a: str, b: str) -> bool:
    """Two ISO dates on the same calendar day, or two times naming the same instant.

    (A UTC time and the page's local time of the same instant: see ``page_offset``.)
    """
    if a[:10] == b[:10]:
        return True
    if "T" not in a or "T" not in b:
        return False
    x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
    if x.tzinfo is not None and y.tzinfo is not None:
        return x == y
    return any(
        (instant := utc_instant(one)) is not None and page_offset(instant, other) is not None
        for one, other in ((a, b), (b, a))
    )


def _weighed_date(page: Page, data: StructuredData, now: datetime) -> tuple[str | None, str | None, str | None]:
    """The publication date the page's layers give (``_layers_date``), unless it is the page's last change.

    A publication date on or after the day the page's structured data or meta tags give as its
    modification date was stamped again at that change (a CMS that writes one time into both, or
    republishes an updated page): an earlier date of another layer (the byline's date, another tag)
    is the publication's, where the page gives one (``_before_the_change``).
    """
    found = _layers_date(page, data, now)
    if found[0] is not None:
        return _before_the_change(page, data, now, found[0]) or found
    return found


def _before_the_change(page: Page, data: StructuredData, now: datetime, iso: str) -> tuple[str, str, str] | None:
    """The first publication date of a layer before ``iso``'s day, when ``iso`` is not before the page's
    modification date; None otherwise."""
    lang = _date_lang(page)
    changed = next(
        (
            day
            for raw, _ in _date_candidates(page, data, "modified", markup=False)
            if (day := parse_date(raw, now, language=lang))
        ),
        None,
    )
    if changed is None or iso[:10] < changed[:10]:
        return None
    first = _heading_date(page, now)
    if first is None or not first[2] or first[0][:10] >= iso[:10] or swapped_day(first[3]) == iso[:10]:
        return None  # the first date of the block decides: a byline's, the same day, a later one, an update's
    if not _another_vote(page, now, first[0][:10], first[4]):
        return None  # an event's, a teaser's date under the headline: nothing else on the page names its day
    return _with_clock(page, first[0], first[1], "markup:date")


def _is_or_holds(el: lxml.html.HtmlElement, inner: lxml.html.HtmlElement) -> bool:
    """Whether ``el`` is ``inner`` or one of its ancestors."""
    return el is inner or any(x is el for x in inner.iterancestors())


def _another_vote(page: Page, now: datetime, day: str, holder: lxml.html.HtmlElement) -> bool:
    """Whether the URL or another date element of the page's markup (``_date_elements``: a byline's
    ``<time>``, an element of class "date"...; not the site header's, not ``holder``, nor one holding it or
    held by it) gives ``day``."""
    at = url_date(page.url)
    if at is not None and at.isoformat() == day:
        return True
    around, lang = {holder, *holder.iterancestors()}, _date_lang(page)
    for el in _date_elements(page):
        if el in around or holder in el.iterancestors():
            continue
        value = el.get("datetime") or el.get("content") or published_part(_spaced_text(el))
        if value and len(value) < 200 and (parse_date(value, now, language=lang) or "")[:10] == day:
            return True
    return False


def _heading_date(page: Page, now: datetime) -> tuple[str, str, bool, str, lxml.html.HtmlElement] | None:
    """The first date of the article's heading block that is not quoted (an embedded post, a caption)
    nor labelled as an update: its ISO date, its text and whether it is a date line of its own ("Aug 25,
    2024", "Published: 09.03.2022", not a byline's "by X on ..."); None when the block shows no date or
    its first is an update's; then the date part of the text that was parsed and the element holding it."""
    lang = _date_lang(page)
    for text, holder in islice(heading_block(page)[0], _DATE_LINE_TEXTS):
        if date_start(text, language=lang) is None or _quoted(holder):
            continue
        line = without_weekday(published_part(text).strip())
        parsed = parse_date_full(line, now, language=lang)
        if parsed is None or parsed.relative:
            continue
        if _labelled_update(holder) or not line:
            return None
        if _labelled(holder, _JOINED_LABEL):
            continue  # a member's join date beside a post, not the page's
        return parsed.iso, text, len(line) <= _DATE_LINE and date_start(line, language=lang) == 0, line, holder
    return None


def _heading_update(page: Page, now: datetime) -> tuple[str, str] | None:
    """The heading block's first date when it is an update's line and nothing else ("Updated June 13, 2019",
    "Last modified: 03.05.2022"): its ISO date and text; None when the block's first date is another's.

    Asked only when no layer gives a publication date: a page whose only date of its own is its last
    change shows that day as its date, where the generic fallback would guess one from the whole page (a
    related item's date, a copyright year); unless htmldate reads a day a script's data names as a
    publication's (``_htmldate_reads_a_keyed_day``). The modification date is then the same line's.
    """
    lang = _date_lang(page)
    for text, holder in islice(heading_block(page)[0], _DATE_LINE_TEXTS):
        if date_start(text, language=lang) is None or _quoted(holder):
            continue
        label = _UPDATE_LABEL.match(text.strip())
        if label:  # "Updated June 13, 2019"
            line = without_weekday(_LABEL_GAP.sub("", text.strip()[label.end() :]))
        else:  # "<span>Updated:</span> <time>June 13, 2019</time>"
            line = without_weekday(text.strip()) if _labelled_update(holder) else ""
        if not line or len(line) > _DATE_LINE or date_start(line, language=lang) != 0 or swapped_day(line) is not None:
            return None  # not a line of its own, or "06/12/2026" that reads two ways: htmldate decides
        parsed = parse_date_full(line, now, language=lang)
        return (parsed.iso, text) if parsed is not None and not parsed.relative else None
    return None


#: How many elements before the headline (or before its wrapper) are read for a date line above it.
_ABOVE_HEADLINE = 3


def _above_headline(page: Page, now: datetime) -> tuple[str, str, bool] | None:
    """A date line just above the headline, a kicker many themes show there ("February 4, 2025 - 11 minutes",
    "Dec 12, 2025 4 min read", "Last updated: Dec 12, 2025"): its ISO date, its text and whether an
    update's label opens it; None when there is none.

    Read among the ``_ABOVE_HEADLINE`` elements before the headline's ``<h1>`` (before its wrapper's,
    where no element precedes the ``<h1>`` in it and the wrapper is in an ``<article>``, a ``<main>`` or an
    hAtom entry: ``_wrapper_in_the_article``), nearest first, never where the ``<h1>`` is the ``<body>``'s,
    the ``<article>``'s or the ``<main>``'s own (what precedes it there is the site's: a bar with the day's
    date, a menu; the article's own lines are its heading block's): the first whose text is short
    (``_DATE_LINE``) and opens with a date (a weekday's name, a publication's or update's label before it
    allowed); not a numeric date that reads two ways, a relative one, a member's join date or an event's
    (``_an_event_s``: "March 3, 2025 – March 5, 2025", "March 30, 2026 - 19:00"). Not in the
    site's header (``_site_headers``: the day of the visit), quoted or in boilerplate (a breadcrumb, a
    ticker), nor an element holding a link to another page (a related story's card). Asked only where the
    heading block gives no date and no layer gives one.
    """
    h1 = _page_h1(page)
    wrapper = h1.getparent() if h1 is not None else None
    if h1 is None or wrapper is None or wrapper.tag in _PAGE_PARTS:
        return None
    anchor = h1 if next(_elements_before(h1), None) is not None else wrapper
    if anchor is wrapper and not _wrapper_in_the_article(wrapper):
        return None  # a top bar before a plain <div> holding the headline: the day of the visit
    site_headers, lang = _site_headers(h1), _date_lang(page)
    for el in islice(_elements_before(anchor), _ABOVE_HEADLINE):
        text = _spaced_text(el)
        if not text or len(text) > _DATE_LINE or date_start(text, language=lang) is None:
            continue
        label = _UPDATE_LABEL.match(text)
        line = without_weekday(_LABEL_GAP.sub("", text[label.end() :]) if label else published_part(text).strip())
        if (
            not line
            or date_start(line, language=lang) != 0
            or swapped_day(line) is not None
            or _labelled(el, _JOINED_LABEL)
        ):
            continue
        if (
            _an_event_s(line, language=lang)
            or _quoted(el)
            or {el, *el.iterancestors()} & site_headers
            or any(_leads_away(a, page.url) for a in el.iter("a"))
        ):
            continue
        parsed = parse_date_full(line, now, language=lang)
        if parsed is not None and not parsed.relative:
            return parsed.iso, text, label is not None
    return None


#: A time after a dash or a "to" ("- 19:00", "13:15 Uhr - 19:00 Uhr", "to 9.30 pm"): an event's hours.
_HOURS = re.compile(r"(?:[-–—]|\b(?:to|bis|until)\b)\s*\d{1,2}[:.h]\d{2}(?!\d)", re.IGNORECASE)


def _an_event_s(line: str, *, language: str | None) -> bool:
    """Whether a line opening with a date goes on with a second date or an event's hours (``_HOURS``): an
    event's dates ("March 3, 2025 – March 5, 2025", "30. März 2020, 13:15 Uhr - 19:00 Uhr"), not a
    publication's ("04.02.2022 | 13:10 Uhr", "February 4, 2025 - 11 minutes")."""
    span = date_span(line, language=language)
    rest = line[span[1] :] if span is not None else ""
    return date_start(rest, language=language) is not None or _HOURS.search(rest) is not None


#: The parts of a page whose own elements before the headline are no date line above it (``_above_headline``).
_PAGE_PARTS = frozenset(["body", "article", "main"])


def _wrapper_in_the_article(wrapper: lxml.html.HtmlElement) -> bool:
    """Whether the headline's wrapper is in an ``<article>``, a ``<main>`` or an hAtom entry (``hentry``,
    ``h-entry``): what precedes it there is the article's, not the site's."""
    return any(x.tag in {"article", "main"} or _ENTRY.search(x.get("class") or "") for x in wrapper.iterancestors())


def _elements_before(el: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The elements before ``el`` in its parent, nearest first (not comments, scripts or styles)."""
    return (x for x in el.itersiblings(preceding=True) if isinstance(x.tag, str) and x.tag not in _SCRIPT_TAGS)


def _htmldate_reads_a_keyed_day(page: Page, now: datetime) -> bool:
    """Whether a script's data the layers do not read names a publication date by its key
    (``_PUBLICATION_KEY``: an app's state, escaped JSON; not JSON-LD, whose article's date a layer would have
    given, so that a key there is another's: a ``relatedLink``'s ``datePublished``) and htmldate's day is
    one of the days so named: htmldate then read the page's own publication there, which the update line
    is not. Where no such key's value is htmldate's day (a related story's ``publishedAt``), it is not.

    Asked only of a page with an update line and no layer date; htmldate runs only when a key's value
    reads as a date (it runs again in the generic layer on the tree without the comment area)."""
    days = {
        iso[:10]
        for script in iter_document(page.tree, "script")
        if script.text and "ld+json" not in (script.get("type") or "").lower()  # JSON-LD: the layers read it
        for m in _PUBLICATION_KEY.finditer(script.text)
        if (iso := parse_date(m[1], now))
    }
    if not days:
        return False
    found = htmldate_day(page.tree, now)
    return found is not None and found[:10] in days


#: A key naming a publication date in data a script holds ("datePublished", "published_at", "publishDate"),
#: quoted, JSON-escaped or not, and its value (group 1): the page states a publication there.
_PUBLICATION_KEY = re.compile(
    r"[\"'](?:date_?published|published_?(?:at|date|time|on)|publish_?date|pub_?date)\\?[\"']\s*:\s*\\?[\"']"
    r"([^\"'\\]{4,40})",
    re.IGNORECASE,
)
#: What stands between an update's label and its date ("Updated: ", "Last updated on ", "Stand - ").
_LABEL_GAP = re.compile(r"^[\s:.,|·•–—-]*(?:(?:on|am|le|el|il)\s+)?", re.IGNORECASE)
#: How many texts of the heading block are searched for its first date at most, counted from the block's
#: start (the ``<article>``'s, so texts before the ``<h1>`` count too): a date line sits near the
#: headline; a block that never meets a long text can run through a whole page of short ones.
_DATE_LINE_TEXTS = 50
#: A date line: a text of the heading block that is a date and little else ("Dec 18, 2025", "09.03.2022 | 4 min").
_DATE_LINE = 40


def _quoted(el: lxml.html.HtmlElement) -> bool:
    """Whether a date's element is quoted (an embedded post, a quotation, a figure) or in the page's boilerplate."""
    quoting = {"blockquote", "figcaption", "figure", "q", "cite"}
    return any(x.tag in quoting for x in el.iterancestors()) or not outside_boilerplate(el)


def _layers_date(page: Page, data: StructuredData, now: datetime) -> tuple[str | None, str | None, str | None]:
    """The publication date of the first layer that gives one, unless the page's layers disagree.

    The first date another layer confirms is kept (the usual case: the search stops there). When
    no other layer confirms it, and two or more layers (structured data, each meta tag, the
    byline's ``<time>`` or date element, a date the text calls the publication date, the URL's
    date) agree on another day, the first of those is the page's publication date. A tag votes once: a
    ``<meta itemprop="datePublished">`` is the microdata's (the article's item) or a meta tag, never also
    the byline's markup or a second meta tag (``_date_candidates``).
    """
    found: list[tuple[str, str, str]] = []
    layers: set[str] = set()
    lang = _date_lang(page)
    for raw, source in _date_candidates(page, data, "published"):
        layer = "markup" if source in {"markup:time", "markup:date"} else source
        if raw is None or layer in layers:
            continue  # one vote a layer: the byline's <time> and its date text are one
        parsed = parse_date_full(raw, now, language=lang)
        if parsed is None or (parsed.relative and found):
            continue  # "2 days ago" confirms nothing
        iso = parsed.iso
        if found and _same_day(found[0][0], iso):
            return _labelled_over_generic(page, now, found) or _with_clock(page, *found[0])
        layers.add(layer)
        found.append((iso, raw, source))
        if len(found) >= _WEIGHED:
            break
    if not found:
        return None, None, None
    day = url_date(page.url)
    votes = [iso for iso, _, _ in found] + ([day.isoformat()] if day and day <= now.date() else [])
    counts = [sum(_same_day(iso, v) for v in votes) for iso, _, _ in found]
    best = max(range(len(found)), key=lambda i: (counts[i], -i))
    return _labelled_over_generic(page, now, found) or _with_clock(page, *found[best if counts[best] >= 2 else 0])


#: Layers that give a date without saying it is the publication's: a generic ``date`` tag (often the
#: last change), a ``<time>`` or date element without a label (a list's, an update's).
_GENERIC_DATES = frozenset(
    {"meta:date", "meta:dc.date", "meta:dcterms.created", "meta:sailthru.date", "meta:citation_date"}
    | {"markup:time", "markup:date"}
)


def _labelled_over_generic(page: Page, now: datetime, found: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """A date the article's heading block calls its publication date ("Veröffentlicht 13.10.2021", see
    ``_heading_labelled_dates``), where the only other layers are generic ones that give another day;
    None otherwise (structured data and the publication meta tags outrank the text's label)."""
    if any(source not in _GENERIC_DATES and source != "markup:label" for _, _, source in found):
        return None
    for raw, source in _heading_labelled_dates(page):
        parsed = parse_date_full(raw, now, language=_date_lang(page))
        if parsed is None or parsed.relative or _same_day(parsed.iso, found[0][0]):
            return None
        return _with_clock(page, parsed.iso, raw, source)
    return None


def _heading_labelled_dates(page: Page) -> Iterator[tuple[str, str]]:
    """The date a label calls the publication date in the article's heading block, right after the
    label, outside navigation and comment areas: the page's own date line ("Veröffentlicht 13.10.2021"),
    not a comment's "Posted on", a related item's "Published:" or a sentence of the body."""
    texts, lang = heading_block(page)[0], _date_lang(page)
    for at, (text, holder) in enumerate(texts):
        for label in _PUBLISHED_LABEL.finditer(text):
            rest = text[label.end() : label.end() + 40].lstrip()
            if not rest and at + 1 < len(texts):  # the date in the next element: "<span>Erschienen am:</span>"
                rest = texts[at + 1][0][:40]
            if (
                rest
                and 0 in (date_start(rest, language=lang), date_start(without_weekday(rest), language=lang))
                and outside_boilerplate(holder)
            ):
                yield through_date(rest, language=lang) or rest, "markup:label"
                return


def _with_clock(page: Page, iso: str, raw: str, source: str) -> tuple[str, str, str]:
    """A date from the page's markup with the time of day shown apart from it, if any."""
    if len(iso) == 10 and source.startswith("markup"):
        clock = _separate_time(page)
        if clock:
            return f"{iso}T{clock}", f"{clean(raw)} {clock}", source
    return iso, clean(raw), source


def _first_date(
    page: Page, data: StructuredData, which: str, now: datetime
) -> tuple[str | None, str | None, str | None]:
    if which == "published":
        return _weighed_date(page, data, now)
    lang = _date_lang(page)
    for raw, source in _date_candidates(page, data, which):
        iso = parse_date(raw, now, language=lang)
        if iso and len(iso) == 10 and source.startswith("markup"):
            clock = _separate_time(page)
            if clock:
                return f"{iso}T{clock}", f"{clean(raw)} {clock}", source
        if iso:
            return iso, clean(raw), source
    return None, None, None


def _other_dates(page: Page, data: StructuredData, now: datetime) -> Iterator[str]:
    """Every date-time the page's layers give, published or modified, as ISO 8601."""
    lang = _date_lang(page)
    for which in ("published", "modified"):
        for raw, _ in _date_candidates(page, data, which, labelled=False):
            iso = parse_date(raw, now, language=lang)
            if iso and "T" in iso:
                yield iso


def _separate_time(page: Page) -> str | None:
    """A post's time of day shown apart from its date (Blogger's "at 10:15 PM" timestamp link)."""
    for el in _xpath(page.tree, "//@class[contains(., 'timestamp') or contains(., 'post-time')]/.."):
        text = inline_text(el)
        if len(text) < 30 and parse_date(text) is None:
            clock = find_time(text)
            if clock:
                return "{:02d}:{:02d}:{:02d}".format(*clock)
    return None


# --- canonical URL and language ------------------------------------------------------------


def extract_canonical(page: Page, data: StructuredData) -> str:
    """rel=canonical or og:url when on the page's own site, else the page URL."""
    candidates = [
        el.get("href") for el in page.tree.iterfind(".//link[@rel]") if "canonical" in el.get("rel", "").lower().split()
    ]
    candidates.append(data.first_meta("og:url"))
    for href in candidates:
        if href:
            absolute = join_url(page.url, href.strip())
            if absolute is None:
                continue
            host = (urlsplit(absolute).hostname or "").removeprefix("www.")
            if urlsplit(absolute).scheme in {"http", "https"} and host == page.domain:
                return absolute
    return page.url


def date_language(page: Page, data: StructuredData) -> str | None:
    """The page's declared language (``extract_language``) where the date parser reads month names of its own
    for it (``dotted_language``: "12 ott. 2020" on an Italian page), else None; worked out once for the page's
    tree (``page.memo``), then read by every date rule (``_date_lang``)."""
    return page.remembered("date_language", lambda: dotted_language(extract_language(page, data)))


def _date_lang(page: Page) -> str | None:
    """The page's date language as ``date_language`` worked it out for its tree (``extract_date`` asks for it
    before any date is read); None before that (English and the other languages' unambiguous names only): a
    rule reached from outside ``extract_date`` must call ``date_language`` first."""
    memo = page.memo.get("date_language")  # read, not remembered: None here must not stand for the page
    return memo[1] if memo is not None and memo[0] is page.tree else None


def extract_language(page: Page, data: StructuredData) -> str | None:
    """The page's declared language ("de", "en-GB"), or None."""
    lang = page.tree.get("lang") or data.first_meta("og:locale", "content-language", "language", "dc.language")
    if data.article and isinstance(data.article.get("inLanguage"), str) and not lang:
        lang = data.article["inLanguage"]
    return clean(lang).replace("_", "-") or None if lang else None
