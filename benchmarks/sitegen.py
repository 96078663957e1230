"""A realistic synthetic article site for crawl benchmarks, and what a careful reader finds on it.

Usage: python -m benchmarks.sitegen FOLDER [--pages N] [--seed S] [--comments N]

Writes N article pages of 30–60 KB in three layouts (a WordPress theme with ``<ol
class="commentlist">`` and threaded replies; a news site with ``<article>``, schema.org microdata
and numbered comments; a Blogger blog with its ``<dl id="comments-block">``), each with the
boilerplate real pages carry (inline CSS and scripts in the head, navigation, sidebar widgets,
footer, cookie banner), JSON-LD on some pages and not on others, 0–40 comments with authors,
dates and replies (``--comments N``: N on every article); paginated listing pages (``/``,
``/page/2.html``...) link to every article.
``expected.jsonl`` beside the site holds each article's title, authors, date and comment count.
The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

SITE_NAME = "The Harbour Courier"
PER_LISTING = 20
LAYOUTS = ("wordpress", "news", "blogger")
EXPECTED_FILE = "expected.jsonl"


def _split(text: str) -> list[str]:
    return text.split()


_WORDS = _split("""the of and to in a is that for it as was with be by on not he this are or his from at which but
have an they you were her she there been one all we their has would when if so no will more can out up
who them some only into time its most other these two may any new over could should also after years
first people city council harbour ferry river bridge market school railway station museum garden weather
election festival hospital theatre concert village mayor police tunnel airport island bakery residents
budget plan report week month year morning evening night local national water street road house family
children students teachers workers drivers visitors officials project money cost price tax rent housing
service services public private open closed early late long short small large high low old young free
said says told asked found made took gave came went saw knew thought wanted needed used kept left built
opened closed started ended moved changed decided agreed planned expected announced reported confirmed
because although while before during since until between through across along around against without
storm rain wind snow summer winter spring autumn coast hill valley forest field farm lake bay port dock
boat ship train bus car bike lane path walk trail park square hall church library court office shop
recipe kitchen bread soup beans garden seeds soil tomato apple cheese coffee tea dinner lunch breakfast
team match season game player coach goal league score fans ground club history story memory letter book
music film photo picture paper news article comment question answer reason result problem solution
""")
_ZIPF = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(_WORDS))))
_FIRST = _split("""Anna Ben Clara David Elena Farid Greta Hugo Ines Jonas Kira Liam Maria Nils Olga Pedro Quinn Rosa
Sven Tara Umar Vera Walter Ximena Yusuf Zoe Amira Bruno Chloe Dmitri Esther Felix Hannah Ivan Julia Karim Lena Marco
Nora Oscar Priya Rafael Sofia Tomas Ulla Victor Wanda Jamal Mei Kofi Leila""")
_LAST = _split("""Keller Ortiz Novak Brooks Volkov Lindqvist Okafor Tanaka Moreau Schmidt Haddad Costa Ferreira Nguyen
Kowalski Rossi Jensen Murphy Silva Weber Dubois Yilmaz Petrov Sato Mendes Larsen Fischer Romano Horvat Bauer
Ahmed Kim Walsh Fontaine Berg Ibrahim Meyer Lopez Nakamura Richter""")
_HANDLES = _split("""sailorjim mumof3 old_timer quietreader harbourwatch breadlover k.m. anon42 tiredcommuter
gardengnome""")
_MONTHS = _split("January February March April May June July August September October November December")


@dataclass
class Comment:
    """One reader comment as the page shows it."""

    number: int
    cid: int
    author: str
    when: datetime
    text: list[str]
    parent: int | None
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Expected:
    """What a careful reader says an article page holds (the benchmark's accuracy reference)."""

    url: str
    layout: str
    title: str
    authors: list[str]
    published: str
    comments: int
    jsonld: bool
    bytes: int = 0


@dataclass
class Spec:
    """Everything drawn at random for one article, before it is rendered."""

    n: int
    layout: str
    title: str
    authors: list[str]
    published: datetime
    jsonld: bool
    comments: list[Comment]
    target_bytes: int
    url: str = ""


class Words:
    """Seeded text: sentences, paragraphs, titles and names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, k: int) -> list[str]:
        return self.rng.choices(_WORDS, cum_weights=_ZIPF, k=k)

    def sentence(self, low: int = 8, high: int = 24) -> str:
        words = self.words(self.rng.randint(low, high))
        if len(words) > 10 and self.rng.random() < 0.3:
            words[len(words) // 2] += ","
        return " ".join(words).capitalize() + self.rng.choice(".....?!")

    def paragraph(self, low: int = 3, high: int = 7) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        drawn = [w for w in self.words(14) if len(w) > 2]
        words = [w for i, w in enumerate(drawn) if i == 0 or w != drawn[i - 1]][: self.rng.randint(4, 9)]
        return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(words))

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def commenter(self) -> str:
        return self.rng.choice(_HANDLES) if self.rng.random() < 0.25 else self.person()


def _slug(title: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split()[:6])


def _url(spec: Spec) -> str:
    p = spec.published
    slug = f"{_slug(spec.title)}-{spec.n}"
    if spec.layout == "wordpress":
        return f"/{p:%Y}/{p:%m}/{slug}/"
    if spec.layout == "news":
        return f"/news/{p:%Y}/{p:%m}/{p:%d}/{slug}.html"
    return f"/blog/{p:%Y}/{p:%m}/{slug}.html"


def _comments(w: Words, published: datetime, count: int, threaded: bool, first_cid: int) -> list[Comment]:
    """``count`` comments in reading order, later ones sometimes replying to earlier ones."""
    roots: list[Comment] = []
    flat: list[Comment] = []
    when = published
    for i in range(count):
        when += timedelta(minutes=w.rng.randint(3, 900))
        paragraphs = [w.paragraph(1, 3) for _ in range(w.rng.choice((1, 1, 1, 2)))]
        parent = w.rng.choice(flat) if threaded and flat and w.rng.random() < 0.3 else None
        comment = Comment(i + 1, first_cid + i, w.commenter(), when, paragraphs, parent.number if parent else None)
        (parent.replies if parent else roots).append(comment)
        flat.append(comment)
    return roots


def _reading_order(roots: list[Comment]) -> Iterator[Comment]:
    for c in roots:
        yield c
        yield from _reading_order(c.replies)


def draw_specs(pages: int, seed: int, comments_each: int | None = None) -> list[Spec]:
    """The articles of the site, drawn from the seed (``comments_each``: that many on every article)."""
    rng = random.Random(seed)
    w = Words(rng)
    start = datetime(2015, 1, 1, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    specs = []
    for n in range(1, pages + 1):
        layout = LAYOUTS[rng.choices(range(3), weights=(5, 3, 2))[0]]
        published = start + timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60))
        authors = [w.person() for _ in range(2 if layout == "news" and rng.random() < 0.3 else 1)]
        count = 0 if rng.random() < 0.25 else rng.randint(1, 40)
        count = count if comments_each is None else comments_each
        jsonld = rng.random() < {"wordpress": 0.4, "news": 0.6, "blogger": 0.0}[layout]
        comments = _comments(w, published, count, layout != "blogger", first_cid=n * 100)
        spec = Spec(n, layout, w.title(), authors, published, jsonld, comments, rng.randint(31_500, 58_500))
        spec.url = _url(spec)
        specs.append(spec)
    return specs


# --- boilerplate ---------------------------------------------------------------------------


def _css(rng: random.Random, rules: int) -> str:
    """A theme's stylesheet, inlined in the head as many themes and page builders do."""
    props = ["margin", "padding", "color", "background", "font-size", "line-height", "border-bottom", "width"]
    names = ["site", "entry", "post", "widget", "nav", "menu", "footer", "header", "sidebar", "card", "btn"]
    parts = ["ts", "title", "meta", "content", "item", "link", "list", "wrap", "inner", "label", "icon", "grid"]
    out = [":root{--accent:#b0413e;--text:#222;--muted:#777}body{margin:0;font:17px/1.7 Georgia,serif}"]
    for _ in range(rules):
        selector = f".{rng.choice(names)}-{rng.choice(parts)}"
        body = ";".join(f"{rng.choice(props)}:{rng.randint(0, 48)}px" for _ in range(rng.randint(2, 5)))
        media = rng.random() < 0.1
        out.append(("@media (max-width:782px){" if media else "") + f"{selector}{{{body}}}" + ("}" if media else ""))
    return "\n".join(out)


def _script(rng: random.Random, functions: int) -> str:
    """Analytics and theme scripts inlined in the head."""
    lines = [
        "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}",
        "gtag('js',new Date());gtag('config','G-BENCH0001',{anonymize_ip:true});",
    ]
    for i in range(functions):
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        lines.append(
            f"function t{i}(e,n){{var r=e&&e.querySelectorAll?e.querySelectorAll('[data-x{a}]'):[];"
            f"for(var o=0;o<r.length;o++){{r[o].setAttribute('data-y',n+{b});}}return r.length>{a % 7};}}"
        )
    return "\n".join(lines)


@dataclass
class Theme:
    """The fixed parts of one layout: same on every page of it, as on a real site."""

    css: str
    script: str


def _themes(seed: int) -> dict[str, Theme]:
    rng = random.Random(seed * 31 + 1)
    return {name: Theme(_css(rng, rng.randint(90, 140)), _script(rng, rng.randint(15, 30))) for name in LAYOUTS}


def _a(href: str, text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{html.escape(href)}"{attr}>{html.escape(text)}</a>'


class Site:
    """Renders the pages of one site from its specs."""

    def __init__(self, specs: list[Spec], seed: int) -> None:
        self.specs = specs
        self.by_date = sorted(specs, key=lambda s: s.published, reverse=True)
        self.listings = max(1, -(-len(specs) // PER_LISTING))
        self.themes = _themes(seed)
        self.seed = seed

    def listing_url(self, k: int) -> str:
        return "/" if k == 1 else f"/page/{k}.html"

    def head(self, layout: str, title: str, description: str, extra: str = "") -> str:
        theme = self.themes[layout]
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)} &#8211; {SITE_NAME}</title>\n"
            f'<meta name="description" content="{html.escape(description)}">\n'
            '<link rel="preconnect" href="https://fonts.example.invalid">\n'
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} feed" href="/feed/">\n'
            f'<style id="theme-inline-css">\n{theme.css}\n</style>\n'
            f"<script>\n{theme.script}\n</script>\n"
            '<script src="/static/js/theme.min.js" defer></script>\n'
            f"{extra}</head>\n"
        )

    def masthead(self) -> str:
        sections = [("Home", "/"), ("Latest", "/page/2.html"), ("Archive", self.listing_url(self.listings))]
        sections += [("About", "/about.html"), ("Contact", "/about.html#contact")]
        items = "".join(f"<li class='menu-item'>{_a(href, text)}</li>" for text, href in sections)
        return (
            '<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>\n'
            f'<header id="masthead" class="site-header"><p class="site-title">{_a("/", SITE_NAME)}</p>'
            '<p class="site-description">News, notes and long reads from the waterfront</p>\n'
            f'<nav class="main-navigation" aria-label="Main"><ul class="menu">{items}</ul></nav>'
            '<form class="search-form" action="/search" role="search"><input type="search" name="s">'
            "<button>Search</button></form></header>\n"
        )

    def sidebar(self, rng: random.Random) -> str:
        recent = "".join(f"<li>{_a(s.url, s.title)}</li>" for s in self.by_date[:6])
        months = sorted({k for k in (rng.randint(1, self.listings) for _ in range(12))})
        archive = "".join(f"<li>{_a(self.listing_url(k), f'Page {k}')}</li>" for k in months)
        tags = " ".join(f'<span class="tag-cloud-link">{html.escape(t)}</span>' for t in rng.sample(_WORDS[60:], 25))
        return (
            '<aside id="secondary" class="widget-area">\n'
            f'<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul>'
            "</section>\n"
            '<section class="widget widget_archive"><h2 class="widget-title">Archives</h2>'
            f"<ul>{archive}</ul></section>\n"
            f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div>{tags}</div></section>\n'
            '<section class="widget widget_text"><h2 class="widget-title">Newsletter</h2><p>Our weekly letter: the '
            "week's stories, a photo and a recipe. No spam, unsubscribe at any time.</p></section>\n</aside>\n"
        )

    def footer(self) -> str:
        links = "".join(
            f"<li>{_a(href, text)}</li>"
            for text, href in [("About", "/about.html"), ("Privacy", "/about.html#privacy"), ("Top", "#page")]
        )
        return (
            f'<footer id="colophon" class="site-footer"><ul class="footer-menu">{links}</ul>'
            f"<p>&copy; 2015–2025 {SITE_NAME}. All rights reserved. Proudly powered by a content system.</p>"
            "</footer>\n"
            '<div class="cookie-banner" role="dialog"><p>We use cookies to count visits. '
            '<button class="btn-accept">Accept</button> <button class="btn-reject">Reject</button></p></div>\n'
            "<script>document.querySelectorAll('.btn-accept').forEach(function(b){b.onclick=function(){"
            "document.cookie='consent=1;path=/';b.closest('.cookie-banner').remove();};});</script>\n"
        )

    def body_text(self, w: Words, spec: Spec, chars: int, wrap: str) -> str:
        """Paragraphs (with subheadings, a quote and links to other articles) of about ``chars`` characters."""
        out: list[str] = []
        size = 0
        while size < chars or len(out) < 4:
            r = w.rng.random()
            if out and r < 0.08:
                block = f"<h2>{html.escape(w.title())}</h2>"
            elif out and r < 0.11:
                block = f"<blockquote><p>{w.sentence()}</p></blockquote>"
            elif r < 0.2:
                other = w.rng.choice(self.specs)
                words = w.paragraph(2, 4).split(" ")
                at = w.rng.randint(1, len(words) - 1)
                link = _a(other.url, " ".join(words[at : at + 3]))
                block = f"<p>{' '.join(words[:at])} {link} {' '.join(words[at + 3 :])}</p>"
            else:
                block = f"<p>{w.paragraph()}</p>"
            out.append(block)
            size += len(block)
        return wrap.format("\n".join(out))

    def related(self, w: Words) -> str:
        items = "".join(f"<li>{_a(s.url, s.title)}</li>" for s in w.rng.sample(self.specs, min(3, len(self.specs))))
        return (
            '<div class="share-buttons"><a class="share-facebook" href="#share-facebook" rel="nofollow">Share</a>'
            ' <a class="share-twitter" href="#share-twitter" rel="nofollow">Post</a></div>'
            f'<div class="related-posts"><h3>Related</h3><ul>{items}</ul></div>\n'
        )


# --- dates as pages print them -------------------------------------------------------------


def _long_date(d: datetime) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _clock(d: datetime) -> str:
    return f"{(d.hour % 12) or 12}:{d.minute:02d} {'am' if d.hour < 12 else 'pm'}"


def _jsonld(spec: Spec, kind: str) -> str:
    people = [{"@type": "Person", "name": a} for a in spec.authors]
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "/#website", "name": SITE_NAME, "url": "/"},
            {"@type": "Organization", "@id": "/#org", "name": SITE_NAME, "logo": "/static/logo.png"},
            {
                "@type": kind,
                "@id": f"{spec.url}#article",
                "headline": spec.title,
                "datePublished": spec.published.isoformat(),
                "author": people if len(people) > 1 else people[0],
                "publisher": {"@id": "/#org"},
                "mainEntityOfPage": spec.url,
                "commentCount": sum(1 for _ in _reading_order(spec.comments)),
                "inLanguage": "en",
            },
        ],
    }
    return f'<script type="application/ld+json">{json.dumps(graph, indent=1)}</script>\n'


# --- the three layouts ---------------------------------------------------------------------


def _wp_comment(c: Comment, depth: int) -> str:
    parity = "even" if c.number % 2 else "odd"
    text = "".join(f"<p>{p}</p>" for p in c.text)
    children = "".join(_wp_comment(r, depth + 1) for r in c.replies)
    return (
        f'<li class="comment {parity} depth-{depth}" id="li-comment-{c.cid}">\n<div id="comment-{c.cid}">'
        '<div class="comment-author vcard"><img alt="" src="/static/avatar.png" class="avatar avatar-40" '
        f'height="40" width="40"><cite class="fn">{html.escape(c.author)}</cite> <span class="says">says:</span>'
        "</div>\n"
        f'<div class="comment-meta commentmetadata"><a href="#comment-{c.cid}">{_long_date(c.when)} at '
        f"{_clock(c.when)}</a></div>\n{text}\n"
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#respond" data-commentid="{c.cid}">'
        "Reply</a></div></div>\n" + (f'<ul class="children">\n{children}</ul>\n' if children else "") + "</li>\n"
    )


def _respond() -> str:
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>'
        '<form action="/wp-comments-post.php" method="post" id="commentform"><p class="comment-notes">Your email '
        'address will not be published.</p><p><textarea id="comment" name="comment" rows="8"></textarea></p>'
        '<p><input id="author" name="author" type="text"> <input id="email" name="email" type="email"></p>'
        '<p><input name="submit" type="submit" value="Post Comment"></p></form></div>\n'
    )


def render_wordpress(site: Site, spec: Spec, w: Words, body_chars: int) -> str:
    author = spec.authors[0]
    iso = spec.published.isoformat()
    extra = (
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{html.escape(spec.title)}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<link rel="canonical" href="{spec.url}">\n' + (_jsonld(spec, "BlogPosting") if spec.jsonld else "")
    )
    count = sum(1 for _ in _reading_order(spec.comments))
    comments = (
        f'<h2 class="comments-title">{count} thoughts on &ldquo;{html.escape(spec.title)}&rdquo;</h2>\n'
        f'<ol class="commentlist">\n{"".join(_wp_comment(c, 1) for c in spec.comments)}</ol>\n'
        if count
        else ""
    )
    article = (
        f'<article id="post-{spec.n}" class="post-{spec.n} post type-post status-publish hentry">\n'
        f'<header class="entry-header"><h1 class="entry-title">{html.escape(spec.title)}</h1>\n'
        f'<div class="entry-meta"><span class="posted-on">Posted on <a href="{spec.url}" rel="bookmark">'
        f'<time class="entry-date published" datetime="{iso}">{_long_date(spec.published)}</time></a></span>'
        f'<span class="byline"> by <span class="author vcard"><a class="url fn n" href="/about.html">'
        f"{html.escape(author)}</a></span></span></div></header>\n"
        + site.body_text(w, spec, body_chars, '<div class="entry-content">\n{}\n</div>\n')
        + f'<footer class="entry-footer">{site.related(w)}</footer>\n</article>\n'
        f'<div id="comments" class="comments-area">\n{comments}{_respond()}</div>\n'
    )
    return _page(site, spec, w, extra, "single single-post", article)


def _news_comment(c: Comment) -> str:
    text = "".join(f"<p>{p}</p>" for p in c.text)
    replies = "".join(_news_comment(r) for r in c.replies)
    stamp = f"{c.when.day} {_MONTHS[c.when.month - 1][:3]} {c.when.year}, {c.when:%H:%M}"
    return (
        f'<div class="comment" id="c{c.cid}">\n<div class="comment-header"><span class="comment-number">#{c.number}'
        f'</span> <span class="comment-author">{html.escape(c.author)}</span> '
        f'<time datetime="{c.when.isoformat()}">{stamp}</time></div>\n<div class="comment-text">{text}</div>\n'
        '<div class="comment-actions"><button class="reply-button">Reply</button> '
        '<button class="vote-up">Like</button></div>\n'
        + (f'<div class="comment-children">\n{replies}</div>\n' if replies else "")
        + "</div>\n"
    )


def render_news(site: Site, spec: Spec, w: Words, body_chars: int) -> str:
    iso = spec.published.isoformat()
    extra = (
        f'<meta name="author" content="{html.escape(", ".join(spec.authors))}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{html.escape(spec.title)}">\n'
        f'<link rel="canonical" href="{spec.url}">\n' + (_jsonld(spec, "NewsArticle") if spec.jsonld else "")
    )
    people = " and ".join(
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" '
        f'href="/about.html"><span itemprop="name">{html.escape(a)}</span></a></span>'
        for a in spec.authors
    )
    stamp = f"{spec.published.day} {_MONTHS[spec.published.month - 1]} {spec.published.year}, {spec.published:%H:%M}"
    count = sum(1 for _ in _reading_order(spec.comments))
    comments = (
        f'<section id="comments" class="reader-comments"><h3>Comments ({count})</h3>\n'
        + "".join(_news_comment(c) for c in spec.comments)
        + '<p class="comment-policy">Comments are moderated. Read our <a href="/about.html#rules">rules</a>.</p>'
        "</section>\n"
        if count
        else '<section class="reader-comments-closed"><p>Comments are closed for this story.</p></section>\n'
    )
    article = (
        '<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/page/2.html">News</a></nav>\n'
        '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">\n'
        f'<h1 itemprop="headline">{html.escape(spec.title)}</h1>\n'
        f'<p class="standfirst" itemprop="description">{w.sentence()}</p>\n'
        f'<div class="story-meta">By {people} <time itemprop="datePublished" datetime="{iso}">{stamp}</time></div>\n'
        '<figure class="lead-image"><img src="/static/lead.jpg" alt="" width="800" height="450">'
        f"<figcaption>{w.sentence(5, 10)}</figcaption></figure>\n"
        + site.body_text(w, spec, body_chars, '<div class="story-body" itemprop="articleBody">\n{}\n</div>\n')
        + f"</article>\n{site.related(w)}{comments}"
    )
    return _page(site, spec, w, extra, "story-page", article)


def _blogger_comment(c: Comment) -> str:
    text = "<br><br>".join(c.text)
    return (
        f'<dt class="comment-author" id="c{c.cid}"><a name="c{c.cid}"></a><a href="/about.html" rel="nofollow">'
        f"{html.escape(c.author)}</a> said...</dt>\n"
        f'<dd class="comment-body"><p>{text}</p></dd>\n'
        f'<dd class="comment-footer"><span class="comment-timestamp"><a href="#c{c.cid}" title="comment permalink">'
        f"{_long_date(c.when)} at {_clock(c.when).upper()}</a></span></dd>\n"
    )


def render_blogger(site: Site, spec: Spec, w: Words, body_chars: int) -> str:
    p = spec.published
    count = sum(1 for _ in _reading_order(spec.comments))
    comments = (
        f'<div id="comments"><h4>{count} comments:</h4>\n<dl id="comments-block">\n'
        + "".join(_blogger_comment(c) for c in _reading_order(spec.comments))
        + '</dl>\n<p class="comment-footer"><a href="/about.html">Post a Comment</a></p></div>\n'
        if count
        else '<div id="comments"><h4>0 comments:</h4><p class="comment-footer"><a href="/about.html">Post a '
        "Comment</a></p></div>\n"
    )
    article = (
        f'<h2 class="date-header"><span>{p:%A}, {_long_date(p)}</span></h2>\n'
        '<div class="post hentry">\n'
        f'<h3 class="post-title entry-title">{html.escape(spec.title)}</h3>\n'
        + site.body_text(w, spec, body_chars, '<div class="post-body entry-content">\n{}\n</div>\n')
        + '<div class="post-footer">Posted by <span class="post-author vcard"><span class="fn">'
        f"{html.escape(spec.authors[0])}</span></span> at "
        f'<abbr class="published" title="{p.isoformat()}">{_clock(p).upper()}</abbr></div>\n</div>\n{comments}'
    )
    return _page(site, spec, w, "", "blogger item-view", article)


def _page(site: Site, spec: Spec, w: Words, extra: str, body_class: str, article: str) -> str:
    return (
        site.head(spec.layout, spec.title, w.sentence(10, 20), extra)
        + f'<body class="{body_class} postid-{spec.n}">\n<div id="page" class="site">\n{site.masthead()}'
        f'<div id="content" class="site-content"><main id="primary" class="content-area">\n{article}</main>\n'
        f"{site.sidebar(w.rng)}</div>\n{site.footer()}</div>\n</body>\n</html>\n"
    )


RENDERERS = {"wordpress": render_wordpress, "news": render_news, "blogger": render_blogger}


def render_article(site: Site, spec: Spec) -> str:
    """One article page, sized to its drawn target of 30–60 KB."""
    seed = site.seed * 1_000_003 + spec.n
    fill = 0
    for _ in range(4):  # the body's length moves what follows it: correct the fill a few times
        text = RENDERERS[spec.layout](site, spec, Words(random.Random(seed)), fill)
        missing = spec.target_bytes - len(text.encode())
        if abs(missing) < 1_500 or (missing < 0 and fill <= 3_000):
            break
        fill = max(3_000, fill + missing)
    return text


def render_listing(site: Site, k: int) -> str:
    """Listing page k: teasers of PER_LISTING articles, newest first, and pagination."""
    rng = random.Random(site.seed * 7 + k)
    w = Words(rng)
    teasers = []
    for spec in site.by_date[(k - 1) * PER_LISTING : k * PER_LISTING]:
        teasers.append(
            f'<article class="post-teaser"><h2 class="entry-title">{_a(spec.url, spec.title)}</h2>'
            f'<div class="entry-meta"><time datetime="{spec.published.isoformat()}">{_long_date(spec.published)}'
            f"</time> by {html.escape(spec.authors[0])}</div><p>{w.paragraph(2, 3)}</p>"
            f"<p>{_a(spec.url, 'Continue reading', 'more-link')}</p></article>"
        )
    near = sorted({1, k - 2, k - 1, k + 1, k + 2, site.listings} & set(range(1, site.listings + 1)) - {k})
    pages = " ".join(_a(site.listing_url(n), str(n), "page-numbers") for n in near)
    nav = f'<nav class="pagination"><span class="page-numbers current">{k}</span> {pages}'
    if k < site.listings:
        nav += " " + _a(site.listing_url(k + 1), "Older posts", "next")
    nav += "</nav>"
    body = "\n".join(teasers)
    return (
        site.head("wordpress", SITE_NAME if k == 1 else f"{SITE_NAME} – Page {k}", w.sentence())
        + f'<body class="home blog paged-{k}">\n<div id="page" class="site">\n{site.masthead()}'
        f'<div id="content" class="site-content"><main id="primary" class="content-area">\n{body}\n{nav}</main>\n'
        f"{site.sidebar(rng)}</div>\n{site.footer()}</div>\n</body>\n</html>\n"
    )


def render_about(site: Site) -> str:
    w = Words(random.Random(site.seed))
    text = "".join(f"<p>{w.paragraph()}</p>" for _ in range(4))
    return (
        site.head("wordpress", "About", w.sentence())
        + f'<body class="page">\n<div id="page" class="site">\n{site.masthead()}<main id="primary">'
        f'<h1>About us</h1>{text}<h2 id="contact">Contact</h2><p>Write to the desk.</p></main>'
        f"{site.footer()}</div></body></html>\n"
    )


def _write(folder: Path, url: str, text: str) -> int:
    path = folder / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def generate(folder: Path, pages: int, seed: int = 7, comments: int | None = None) -> list[Expected]:
    """Write the site under folder and ``expected.jsonl`` beside its pages; return the expected records.

    ``comments``: every article has that many (default: 0–40, none on a quarter of them)."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = draw_specs(pages, seed, comments)
    site = Site(specs, seed)
    expected = []
    for spec in specs:
        size = _write(folder, spec.url, render_article(site, spec))
        count = sum(1 for _ in _reading_order(spec.comments))
        expected.append(
            Expected(
                spec.url,
                spec.layout,
                spec.title,
                spec.authors,
                spec.published.date().isoformat(),
                count,
                spec.jsonld,
                size,
            )
        )
    for k in range(1, site.listings + 1):
        _write(folder, site.listing_url(k), render_listing(site, k))
    _write(folder, "/about.html", render_about(site))
    _write(folder, "/robots.txt", "User-agent: *\nDisallow: /search\n")
    lines = "".join(json.dumps(asdict(e)) + "\n" for e in expected)
    (folder / EXPECTED_FILE).write_text(lines, encoding="utf-8")
    return expected


def read_expected(folder: Path) -> list[Expected]:
    """The expected records written by ``generate``."""
    lines = (folder / EXPECTED_FILE).read_text(encoding="utf-8").splitlines()
    return [Expected(**json.loads(line)) for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--comments", type=int, help="this many comments on every article (default: 0-40)")
    args = parser.parse_args()
    expected = generate(args.folder, args.pages, args.seed, args.comments)
    sizes = sorted(e.bytes for e in expected)
    print(
        f"{len(expected)} articles in {args.folder}: {sizes[0]:,}–{sizes[-1]:,} bytes"
        f" (median {sizes[len(sizes) // 2]:,}),"
        f" {sum(e.comments for e in expected):,} comments, {sum(e.jsonld for e in expected)} with JSON-LD"
    )


if __name__ == "__main__":
    main()
