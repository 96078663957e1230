"""HTML to fields: pure functions, no network and no running crawler.

``extract_article(html, url)`` is the public entry point; ``article_from_page`` does the same
for a page already decoded and parsed (the spider's path, one parse per page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from archiver.extract.body import (
    generic_author,
    generic_body,
    generic_date,
    generic_title,
    main_region,
    without_heading_lines,
)
from archiver.extract.comments import extract_comments
from archiver.extract.dates import parse_date
from archiver.extract.document import NotHTMLError, Page, load_page
from archiver.extract.links import LinkRules, follow_links
from archiver.extract.metadata import (
    _clean_names,
    extract_authors,
    extract_canonical,
    extract_date,
    extract_language,
    extract_publisher,
    extract_title,
    organisations,
    site_names,
    split_names,
)
from archiver.extract.pagetype import ARTICLE, MIN_WORDS, OTHER, THREAD, PageType, page_type
from archiver.extract.pagination import comment_page_links
from archiver.extract.profiles import Profile, ProfileError, load_profiles, profile_for
from archiver.extract.structured import StructuredData, read_structured
from archiver.items import Article, Comment, finish_article, finish_comments
from archiver.urls import without_userinfo

#: The version of the extraction: changed with every change of what a page gives (fields, comments,
#: their rules), not with every release of archiver, so that a record says which extraction produced
#: it and a re-extraction can tell the records an older one produced.
EXTRACTOR_VERSION = "15"

__all__ = [
    "ARTICLE",
    "EXTRACTOR_VERSION",
    "OTHER",
    "THREAD",
    "NotHTMLError",
    "Page",
    "PageType",
    "Profile",
    "ProfileError",
    "article_from_page",
    "comments_from_page",
    "extract_article",
    "extract_page",
    "load_page",
    "load_profiles",
    "profile_for",
]


def extract_article(
    html: bytes | str, url: str, fetched_at: datetime | None = None, profiles: tuple[Profile, ...] | None = None
) -> Article:
    """Extract an Article from a saved page; raises NotHTMLError for binary content.

    ``fetched_at``: when the page was fetched, if known (the article's ``fetched_at`` stays None
    otherwise; relative dates such as "2 hours ago" are then read against the current time).
    ``profiles`` defaults to the site profiles shipped with archiver.
    """
    return extract_page(html, url, fetched_at, profiles)[0]


def extract_page(
    html: bytes | str,
    url: str,
    fetched_at: datetime | None = None,
    profiles: tuple[Profile, ...] | None = None,
    min_words: int = MIN_WORDS,
) -> tuple[Article, PageType]:
    """``extract_article``, and the crawl's decision on the page (``page_type``) with its reason."""
    page = load_page(html, url)
    profile = profile_for(page.domain, load_profiles() if profiles is None else profiles)
    data = read_structured(page.tree)
    kind = page_type(page, data, min_words)  # before extraction drops the comment area from the tree
    return article_from_page(page, fetched_at, data, profile=profile), kind


def article_from_page(
    page: Page,
    fetched_at: datetime | None = None,
    data: StructuredData | None = None,
    profile: Profile | None = None,
) -> Article:
    """Extract every field of an Article, each found one with the rule that found it (``provenance``).

    An absent field has no provenance. ``fetched_at`` is recorded only when given.
    """
    now = fetched_at or datetime.now(UTC)  # what relative dates ("2 hours ago") are read against
    if profile is not None:
        for rule in profile.remove:
            for el in rule.elements(page.tree):
                if el.getparent() is not None:
                    el.drop_tree()
    data = data or read_structured(page.tree)
    canonical = extract_canonical(page, data)
    article = Article(
        url=without_userinfo(page.url),  # credentials in a URL are never kept
        canonical_url=without_userinfo(canonical) if canonical else None,
        fetched_at=fetched_at.isoformat(timespec="seconds") if fetched_at else None,
        extractor_version=EXTRACTOR_VERSION,
    )
    site = site_names(page, data)  # read once for the title and the authors
    _set(article, "title", _from_profile(page, profile, "title") or extract_title(page, data, site))
    _set_authors(article, page, data, profile, site)
    _set(article, "publisher", extract_publisher(page, data))
    for name in ("published", "modified"):
        iso, raw, source = _profile_date(page, profile, name, now) or extract_date(page, data, name, now)
        if not iso and name == "modified" and article.provenance.get("published") == "markup:updated":
            iso, raw, source = article.published, article.published_raw, "markup:updated"  # the page's one date
        setattr(article, name, iso)
        setattr(article, f"{name}_raw", raw)
        if iso and source:
            article.provenance[name] = source
    article.language = extract_language(page, data)
    found = extract_comments(page, data, now, profile.comments if profile else None)
    article.comments, article.comments_status = found.comments, found.status
    for region in found.regions:  # a region holding the page's headline is the article's container too
        if region.getparent() is not None and region.find(".//h1") is None:
            region.drop_tree()
    _set(article, "body", _from_profile(page, profile, "body", joined=True))
    _fill_generic(article, page, now, excluded=organisations(page, data))
    if article.body:  # the page's heading block (title, byline, date) is not the article's text
        dates = [article.published, article.modified]
        article.body = without_heading_lines(article.body, article.title, article.authors, dates, now)
    return finish_article(article)


def _from_profile(page: Page, profile: Profile | None, name: str, joined: bool = False) -> tuple[str, str] | None:
    rule = profile.fields.get(name) if profile else None
    values = rule.values(page.tree) if rule else []
    if not values or profile is None:
        return None
    return ("\n\n".join(values) if joined else values[0]), profile.source


def _profile_date(page: Page, profile: Profile | None, name: str, now: datetime) -> tuple[str, str, str] | None:
    found = _from_profile(page, profile, name)
    iso = parse_date(found[0], now) if found else None
    return (iso, found[0], found[1]) if iso and found else None


def _set_authors(article: Article, page: Page, data: StructuredData, profile: Profile | None, site: set[str]) -> None:
    rule = profile.fields.get("authors") if profile else None
    values = rule.values(page.tree) if rule else []
    names = _clean_names(values, set()) if values else []
    source: str | None
    if names and profile is not None:
        article.authors, article.byline_raw, source = names, "; ".join(values), profile.source
    else:
        article.authors, article.byline_raw, source = extract_authors(page, data, site)
    if article.authors and source:
        article.provenance["authors"] = source


@dataclass
class PageResult:
    """What the crawl needs from one fetched page."""

    article: Article | None  # None: the page is not an article (nor a thread)
    comment_pages: list[str]  # the article's other comment pages
    links: list[str] = field(default_factory=list)  # the links to follow, if asked for
    page_type: PageType | None = None  # the decision and its reason (None: binary content)


def read_page(
    body: bytes | str,
    url: str,
    fetched_at: datetime,
    min_words: int,
    profile: Profile | None = None,
    content_type: str | None = None,
    follow: LinkRules | None = None,
    encoding: str = "utf-8",
) -> PageResult:
    """Decode and parse a fetched page once; if it is an article, extract it (picklable in and out).

    With ``follow``, also the page's links that those rules follow (``encoding``: the page's, as
    the crawl decoded it), so the crawl does not parse the page again for them. Binary content
    (an image served as text/html) is not an article and has no links.
    """
    try:
        page = load_page(body, url, content_type)
    except NotHTMLError:
        return PageResult(None, [])
    links = follow_links(page, follow, encoding) if follow is not None else []
    data = read_structured(page.tree)
    kind = page_type(page, data, min_words)
    if not kind.kept:
        return PageResult(None, [], links, kind)
    comment_pages = comment_page_links(page)  # before extraction drops the comment area from the tree
    return PageResult(article_from_page(page, fetched_at, data, profile), comment_pages, links, kind)


def read_comment_page(
    body: bytes | str, url: str, fetched_at: datetime, content_type: str | None = None
) -> tuple[list[Comment], list[str]]:
    """The comments of one more comment page, and the comment pages it links to (none if binary)."""
    try:
        page = load_page(body, url, content_type)
    except NotHTMLError:
        return [], []
    return comments_from_page(page, fetched_at), comment_page_links(page)


def comments_from_page(page: Page, fetched_at: datetime | None = None) -> list[Comment]:
    """Only the comments of a page (a further comment page of an article)."""
    now = fetched_at or datetime.now(UTC)
    return finish_comments(extract_comments(page, read_structured(page.tree), now).comments)


def _set(article: Article, name: str, found: tuple[object, str] | None) -> None:
    """Set a field and where it came from, if a value was found (None or "" is no value)."""
    if found and found[0] not in (None, ""):
        setattr(article, name, found[0])
        article.provenance[name] = found[1]


def _fill_generic(article: Article, page: Page, now: datetime, excluded: set[str]) -> None:
    """The generic layer, run only for the fields the specific layers left empty."""
    region = main_region(page.tree)
    if not article.body:
        body = generic_body(page.tree, page.url, region)
        _set(article, "body", (body, "heuristic:trafilatura") if body else None)
    if not article.title:
        _set(article, "title", (generic_title(page.tree), "heuristic:trafilatura"))
    if not article.authors:
        raw = generic_author(page.tree)
        names = _clean_names(split_names(raw), excluded, text=True) if raw else []
        if names:
            article.authors, article.byline_raw = names, raw
            article.provenance["authors"] = "heuristic:trafilatura"
    if not article.published:
        raw = generic_date(page.tree, now, region)
        iso = parse_date(raw, now) if raw else None
        if iso:
            article.published, article.published_raw = iso, raw
            article.provenance["published"] = "heuristic:htmldate"
