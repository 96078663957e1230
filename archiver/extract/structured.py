"""Structured data in a page: JSON-LD, microdata and <meta> tags, read once per page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from archiver.extract.text import clean, inline_text

ARTICLE_TYPES = frozenset(
    [
        "Article",
        "NewsArticle",
        "BlogPosting",
        "Report",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "TechArticle",
        "ScholarlyArticle",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "Review",
        "Recipe",
    ]
)
PERSON_TYPES = frozenset({"Person"})
#: schema.org types of an organisation (a publisher, or an "author" that is no person).
ORGANISATION_TYPES = frozenset(
    {
        "Organization",
        "NewsMediaOrganization",
        "Corporation",
        "EducationalOrganization",
        "GovernmentOrganization",
        "NGO",
        "OnlineBusiness",
        "LocalBusiness",
        "Brand",
        "WebSite",
    }
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def node_types(node: dict[str, Any]) -> set[str]:
    """A JSON-LD node's @type values without their schema.org prefix."""
    raw = node.get("@type") or []
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _load_json(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):  # as written, then without trailing commas
        try:
            return json.loads(candidate, strict=False)
        except json.JSONDecodeError:
            continue
    return None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _flatten(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])
        main = data.get("mainEntity") or data.get("mainEntityOfPage")
        if isinstance(main, dict) and "@type" in main:
            yield from _flatten(main)


def jsonld_nodes(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD node of the page (``@graph`` and arrays flattened; bad JSON skipped)."""
    return _jsonld_nodes([el for el in tree.iter("script") if el is not tree])


def _jsonld_nodes(scripts: list[lxml.html.HtmlElement]) -> list[dict[str, Any]]:
    """The JSON-LD nodes of these ``<script>`` elements (those of a JSON-LD type)."""
    nodes: list[dict[str, Any]] = []
    for script in scripts:
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            nodes.extend(_flatten(_load_json(script.text)))
    return nodes


def _by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}


@dataclass
class StructuredData:
    """What the page says about itself in machine-readable form."""

    article: dict[str, Any] | None = None
    nodes: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    microdata: dict[str, list[str]] = field(default_factory=dict)
    #: The type names of the page's microdata item scopes (``itemtype``'s URLs' last segments).
    item_types: frozenset[str] = frozenset()
    #: The item scopes typed as a thread (``THREAD_ITEM_TYPES``), in document order, with their type.
    thread_items: tuple[tuple[str, lxml.html.HtmlElement], ...] = field(default=(), repr=False, compare=False)
    #: The microdata item scopes of an article type (``ARTICLE_TYPES``), in document order: the first is
    #: the one ``microdata`` reads; the date rules tell other articles' cards among the rest.
    article_scopes: list[lxml.html.HtmlElement] = field(default_factory=list, repr=False, compare=False)

    def resolve(self, value: Any) -> Any:
        """Follow an ``{"@id": ...}`` reference to the node it names."""
        if isinstance(value, dict) and set(value) == {"@id"}:
            return _by_id(self.nodes).get(value["@id"], value)
        return value

    def first_meta(self, *names: str) -> str | None:
        """The first non-empty content among the named meta tags."""
        for name in names:
            for value in self.meta.get(name, []):
                if clean(value):
                    return clean(value)
        return None


def _pick_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    articles = [n for n in nodes if node_types(n) & ARTICLE_TYPES]
    if articles:
        return max(articles, key=lambda n: bool(n.get("headline")) + bool(n.get("articleBody")))
    pages = [n for n in nodes if node_types(n) & {"WebPage", "ItemPage"} and n.get("datePublished")]
    return pages[0] if pages else None


def _read_meta(tags: list[lxml.html.HtmlElement]) -> dict[str, list[str]]:
    """The contents of these ``<meta>`` elements by name (``property``, ``name``, ``itemprop`` or ``http-equiv``)."""
    meta: dict[str, list[str]] = {}
    for el in tags:
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    return meta


#: ``.//*[@itemtype]`` and ``.//*[@itemprop]`` in C (ElementPath's iterfind tests each element in
#: Python), walking the attribute axis, which is faster than testing each element.
_ITEM_SCOPES = etree.XPath(".//*/@itemtype/..")
_ITEM_PROPS = etree.XPath(".//*/@itemprop/..")


#: A layout's modifier saying the page has (or has not) a sidebar ("has-sidebar", "with-sidebar",
#: "no-sidebar", "p-body-main--withSidebar"): not a sidebar itself. Taken out of a class before its
#: words are read here, in ``metadata`` and in ``pagetype``.
LAYOUT_MODIFIER = re.compile(r"(?<![\w-])(?:has|with|without|no)-[\w-]*", re.IGNORECASE)

#: A class or id naming a list of other articles or the comments, as a word of it: a related story's
#: card, a sidebar's list of posts, a comment's author ("related-content-small__card", "column-sidebar",
#: "comment-list"; not "commentary"). The same words as ``metadata._BOILERPLATE_MARKER``'s, which this
#: layer cannot import; a ``LAYOUT_MODIFIER`` is taken out first.
_OTHER_ARTICLES = re.compile(
    r"(?:^|[\s_-])(?:related|sidebar|comments?|respond|discussion|teaser|recommend\w*)(?:$|[\s_-])", re.IGNORECASE
)


def _names_other_articles(el: lxml.html.HtmlElement) -> bool:
    """Whether an element's class or id names a list of other articles or of comments."""
    marker = LAYOUT_MODIFIER.sub(" ", f"{el.get('class', '')} {el.get('id', '')}")
    return _OTHER_ARTICLES.search(marker) is not None


def _about_other_articles(el: lxml.html.HtmlElement, scope: lxml.html.HtmlElement) -> bool:
    """Whether an element of an item scope stands in a list of other articles or of comments.

    Only what lies between the element and its scope is read, and an element that holds the page's
    ``<h1>`` frames the article whatever its class says ("content-sidebar-wrap"); an ``<aside>`` hides
    only outside an ``<article>`` (in one, it is the article's own: its author box). Above the scope
    only when the scope holds no ``<h1>``: then it may be a related story's card.
    """
    ancestors = []
    for a in el.iterancestors():
        if a is scope:
            break
        ancestors.append(a)
    if scope.find(".//h1") is None:
        ancestors.append(scope)
        ancestors.extend(a for a in scope.iterancestors() if a.tag not in {"body", "html"})
    for a in ancestors:
        if a.tag == "aside" and not any(p.tag == "article" for p in a.iterancestors()):
            return True
        if _names_other_articles(a) and a.find(".//h1") is None:
            return True
    return False


#: A thread's types as a microdata item's (``itemtype="https://schema.org/DiscussionForumPosting"``), as
#: forum software marks its thread's first post when it writes no JSON-LD; not ``Question``, which FAQ
#: blocks mark in microdata too.
THREAD_ITEM_TYPES = frozenset({"DiscussionForumPosting", "QAPage"})


def _item_types(
    scopes: list[lxml.html.HtmlElement],
) -> tuple[frozenset[str], tuple[tuple[str, lxml.html.HtmlElement], ...]]:
    """The type names of the item scopes (an ``itemtype`` may list several URLs) and the scopes typed as a
    thread (``THREAD_ITEM_TYPES``) with the first such type of each."""
    names: set[str] = set()
    threads = []
    for scope in scopes:
        own = [url.rstrip("/").rsplit("/", 1)[-1] for url in scope.get("itemtype", "").split()]
        names.update(own)
        thread = next((name for name in own if name in THREAD_ITEM_TYPES), None)
        if thread:
            threads.append((thread, scope))
    return frozenset(names), tuple(threads)


def _article_scopes(scopes: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """The item scopes of an article type (``ARTICLE_TYPES``), in document order. The type is the last
    segment of the whole ``itemtype`` (as the microdata layer has always read it), where ``_item_types``
    reads each of its URLs: an item typed ``.../BlogPosting .../Thing`` is no article scope here."""
    return [x for x in scopes if x.get("itemtype", "").rstrip("/").rsplit("/", 1)[-1] in ARTICLE_TYPES]


def is_own_property(el: lxml.html.HtmlElement, scope: lxml.html.HtmlElement) -> bool:
    """Whether a property element below an item scope is the scope's own, not a nested item's: no element
    with ``itemscope`` between them."""
    owner = el.getparent()
    while owner is not None and owner is not scope and owner.get("itemscope") is None:
        owner = owner.getparent()
    return owner is scope


def _read_microdata(scopes: list[lxml.html.HtmlElement]) -> dict[str, list[str]]:
    """itemprop values of the first article-typed item scope (of ``scopes``), not of nested comments.

    Its ``author`` values leave out those of other articles: a scope on the page's ``<body>`` holds the
    sidebar's cards of other posts, and the first article-typed scope may be a related story's card
    (an author there is that story's).
    """
    props: dict[str, list[str]] = {}
    if not scopes:
        return props
    scope = scopes[0]
    for el in _ITEM_PROPS(scope):
        if not is_own_property(el, scope):
            continue
        if "author" in el.get("itemprop", "").split() and _about_other_articles(el, scope):
            continue
        value = el.get("content") or el.get("datetime") or el.get("href") or inline_text(el)
        if el.get("itemscope") is not None:
            name = el.find(".//*[@itemprop='name']")
            value = inline_text(name) if name is not None else inline_text(el)
        for prop in el.get("itemprop", "").split():
            props.setdefault(prop, []).append(value)
    return props


def read_structured(tree: lxml.html.HtmlElement) -> StructuredData:
    """Collect JSON-LD, meta tags and microdata of a page."""
    scripts: list[lxml.html.HtmlElement] = []
    metas: list[lxml.html.HtmlElement] = []
    for el in tree.iter("script", "meta"):  # one walk for both (``.//script``, ``.//meta``: below the tree)
        if el is not tree:
            (scripts if el.tag == "script" else metas).append(el)
    nodes = _jsonld_nodes(scripts)
    every = _ITEM_SCOPES(tree)  # one walk for the article's microdata and the types of every item
    item_types, thread_items = _item_types(every)
    scopes = _article_scopes(every)
    return StructuredData(
        article=_pick_article(nodes),
        nodes=nodes,
        meta=_read_meta(metas),
        microdata=_read_microdata(scopes),
        item_types=item_types,
        thread_items=thread_items,
        article_scopes=scopes,
    )
