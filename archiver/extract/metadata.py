"""Title, authors, dates, language and canonical URL, each with the rule that found it.

Layers are tried from the most specific to the most generic: site profile, JSON-LD,
microdata, meta tags, markup conventions (``<time>``, ``rel=author``, bylines), heuristics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from archiver.extract.dates import parse_date
from archiver.extract.document import Page
from archiver.extract.structured import PERSON_TYPES, StructuredData, _types
from archiver.extract.text import clean, inline_text

Found = tuple[Any, str]  # (value, provenance)

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»:/]{1,2}\s+")
_BY_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|text|story|words|photos?)\s+)?"
    r"(?:by|von|par|por|di|door|autor(?:in)?|author|auteur|text|tekst)\s*[:\-]?\s+",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\boraz\b)\s*", re.IGNORECASE)
_CREDENTIAL = re.compile(
    r"^(?:ND|MD|M\.D\.|PhD|Ph\.D\.|DO|RN|MPH|MS|MSc|MA|BA|BSc|DDS|DVM|Jr\.?|Sr\.?|II|III|IV|"
    r"CPA|Esq\.?|LAc|DC|RD|CNS|FACP)$"
)
_NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\d|\b(?:email|e-mail|twitter|follow|updated|published|posted|"
    r"comments?|share|staff|editor(?:ial)?|redaktion|team|admin|newsroom|agency|press|"
    r"agentur|reuters|dpa|afp|associated|news|contributor|guest|read more|more from)\b",
    re.IGNORECASE,
)
_BYLINE_SELECTORS = (
    ".//*[@rel='author']",
    ".//*[@itemprop='author']",
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]//*[contains(@class, 'fn')]",
    ".//*[contains(@class, 'byline-author') or contains(@class, 'author-name')"
    " or contains(@class, 'post-author') or contains(@class, 'authorName')]",
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]",
    ".//*[contains(@class, 'byline')]",
)
_DATE_SELECTORS = (
    ".//time[contains(@class, 'published') or contains(@class, 'entry-date')][@datetime]",
    ".//*[@itemprop='datePublished']",
    ".//time[@datetime]",
    ".//*[contains(@class, 'date') or contains(@class, 'byline') or contains(@class, 'posted')"
    " or contains(@class, 'meta')][not(self::html) and not(self::body)]",
)
_COMMENTISH = re.compile(r"comment|respon[sd]|discussion|related|sidebar|widget|footer", re.I)


def first(candidates: Iterable[Found | None]) -> Found | None:
    """The first candidate whose value is not empty."""
    for candidate in candidates:
        if candidate is not None and candidate[0]:
            return candidate
    return None


def _outside_boilerplate(el: lxml.html.HtmlElement) -> bool:
    for ancestor in el.iterancestors():
        marker = f"{ancestor.get('id', '')} {ancestor.get('class', '')}"
        if ancestor.tag in {"aside", "footer", "nav"} or _COMMENTISH.search(marker):
            return False
    return True


def _xpath(tree: lxml.html.HtmlElement, xpath: str) -> Iterator[lxml.html.HtmlElement]:
    for el in tree.xpath(xpath):
        if isinstance(el, lxml.html.HtmlElement) and _outside_boilerplate(el):
            yield el


# --- title ---------------------------------------------------------------------------------


def site_names(page: Page, data: StructuredData) -> set[str]:
    """Names the site goes by: og:site_name, the publisher, the host name's main label."""
    names = {n.lower() for n in (data.first_meta("og:site_name", "application-name"),) if n}
    if data.article:
        publisher = data.resolve(data.article.get("publisher"))
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(clean(publisher["name"]).lower())
    labels = page.domain.split(".")
    if len(labels) >= 2:
        names.add(labels[-2].lower())
    names.add(page.domain)
    return {n for n in names if n}


def strip_site_suffix(title: str, names: set[str], headline: str | None = None) -> str:
    """Remove " | Site", "Site - " and similar site-name parts from a page title."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    if headline and any(clean(p) == headline for p in parts):
        return headline
    squeezed = {re.sub(r"\W", "", n) for n in names}
    kept = [p for p in parts if re.sub(r"\W", "", p.lower()) not in squeezed]
    kept = [p for p in kept if not any(s and s in re.sub(r"\W", "", p.lower()) for s in squeezed)] or kept
    if len(kept) == len(parts):
        longest = max(parts, key=len)
        return clean(longest) if len(longest.split()) >= 3 and longest == parts[0] else clean(title)
    return clean(" - ".join(kept)) if kept else clean(title)


def _h1s(tree: lxml.html.HtmlElement) -> list[str]:
    return [t for t in (inline_text(h) for h in _xpath(tree, "//h1")) if t]


def _same(a: str, b: str) -> bool:
    squash = re.compile(r"\W+")
    return squash.sub("", a.lower()) == squash.sub("", b.lower())


def extract_title(page: Page, data: StructuredData) -> Found | None:
    """The headline, preferring one that the visible <h1> and the metadata agree on."""
    names = site_names(page, data)
    title_el = page.tree.find(".//title")
    tag_title = inline_text(title_el) if title_el is not None else ""
    meta_titles: list[Found] = []
    if data.article and isinstance(data.article.get("headline"), str):
        meta_titles.append((clean(data.article["headline"]), "jsonld"))
    if data.microdata.get("headline"):
        meta_titles.append((clean(data.microdata["headline"][0]), "microdata"))
    og = data.first_meta("og:title", "twitter:title", "dc.title")
    if og:
        meta_titles.append((strip_site_suffix(og, names), "meta:og"))
    if tag_title:
        meta_titles.append((strip_site_suffix(tag_title, names), "meta:title"))
    for h1 in _h1s(page.tree):
        if any(_same(h1, value) or (len(h1) > 10 and h1.lower() in value.lower()) for value, _ in meta_titles):
            return h1, "markup:h1"
    h1s = _h1s(page.tree)
    if not meta_titles and h1s:
        return h1s[0], "markup:h1"
    return first(meta_titles)


# --- authors -------------------------------------------------------------------------------


def split_names(raw: str) -> list[str]:
    """Split a byline into person names, keeping credentials such as "Cathy Wong, ND"."""
    text = _BY_PREFIX.sub("", clean(raw))
    names: list[str] = []
    for chunk in _NAME_SPLIT.split(text):
        for part in (p.strip() for p in chunk.split(",")):
            if not part:
                continue
            if names and _CREDENTIAL.match(part):
                names[-1] = f"{names[-1]}, {part}"
            else:
                names.append(_BY_PREFIX.sub("", part))
    return names


def is_person_name(name: str, excluded: set[str]) -> bool:
    """A plausible person's name: 1 to 5 words, no digits, links or site names."""
    words = name.split(",")[0].split()
    if not 1 <= len(words) <= 5 or _NOT_A_NAME.search(name.split(",")[0]):
        return False
    squeezed = re.sub(r"\W", "", name.lower())
    return not any(squeezed == re.sub(r"\W", "", n) for n in excluded) and name[0].isalpha()


def _people(value: Any, data: StructuredData) -> list[str]:
    value = data.resolve(value)
    if isinstance(value, list):
        return [n for v in value for n in _people(v, data)]
    if isinstance(value, str):
        return split_names(value) if not value.startswith("http") else []
    if isinstance(value, dict):
        types = _types(value)
        if types and not types & PERSON_TYPES:
            return []
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(str(n) for n in name)
        return split_names(name) if isinstance(name, str) else []
    return []


def _clean_names(names: Iterable[str], excluded: set[str]) -> list[str]:
    unique: list[str] = []
    for name in names:
        name = clean(name).strip(" ,;:|-")
        if is_person_name(name, excluded) and name.lower() not in {u.lower() for u in unique}:
            unique.append(name)
    return unique


def extract_authors(page: Page, data: StructuredData) -> tuple[list[str], str | None, str | None]:
    """(authors, raw byline, provenance): person names only, never the site or publisher."""
    excluded = site_names(page, data)
    structured: list[tuple[Any, str]] = []
    if data.article and data.article.get("author"):
        structured.append((data.article.get("author"), "jsonld"))
    for key, source in (("author", "microdata"),):
        if data.microdata.get(key):
            structured.append((data.microdata[key], source))
    for value, source in structured:
        names = _clean_names(_people(value, data), excluded)
        if names:
            return names, ", ".join(names), source
    for key in ("author", "article:author", "dc.creator", "citation_author", "sailthru.author", "parsely-author"):
        raw = data.first_meta(key)
        if raw and not raw.startswith("http"):
            names = _clean_names(split_names(raw), excluded)
            if names:
                return names, raw, f"meta:{key}"
    for xpath in _BYLINE_SELECTORS:
        for el in _xpath(page.tree, "/" + xpath.removeprefix(".")):
            raw = inline_text(el)
            if 2 < len(raw) < 120:
                names = _clean_names(split_names(_strip_dates(raw)), excluded)
                if names:
                    return names, raw, "markup:byline"
    return [], None, None


def _strip_dates(text: str) -> str:
    text = re.split(r"\s+(?:on|am|le|el|il|op|at|\||·|-|–)\s+(?=\w*\s*\d)", text)[0]
    return re.split(r"\s+\d", text)[0]


# --- dates ---------------------------------------------------------------------------------


def _date_candidates(page: Page, data: StructuredData, which: str) -> Iterator[tuple[str | None, str]]:
    key = "datePublished" if which == "published" else "dateModified"
    if data.article and isinstance(data.article.get(key), str):
        yield data.article[key], "jsonld"
    if data.microdata.get(key):
        yield data.microdata[key][0], "microdata"
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
        )
        if which == "published"
        else ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
    )
    for meta_key in meta_keys:
        value = data.first_meta(meta_key)
        if value:
            yield value, f"meta:{meta_key}"
    if which == "modified":
        for el in _xpath(page.tree, "//time[contains(@class, 'updated') or contains(@class, 'modified')][@datetime]"):
            yield el.get("datetime"), "markup:time"
        return
    for xpath in _DATE_SELECTORS:
        for el in _xpath(page.tree, "/" + xpath.removeprefix(".")):
            value = el.get("datetime") or el.get("content") or inline_text(el)
            if value and len(value) < 200:
                yield value, "markup:time" if el.tag == "time" else "markup:date"


def extract_date(
    page: Page, data: StructuredData, which: str, now: datetime
) -> tuple[str | None, str | None, str | None]:
    """(ISO date, raw text, provenance) of the publication or modification date."""
    for raw, source in _date_candidates(page, data, which):
        iso = parse_date(raw, now)
        if iso:
            return iso, clean(raw), source
    return None, None, None


# --- canonical URL and language ------------------------------------------------------------


def extract_canonical(page: Page, data: StructuredData) -> str:
    """rel=canonical or og:url when on the page's own site, else the page URL."""
    candidates = [
        el.get("href") for el in page.tree.iterfind(".//link[@rel]") if "canonical" in el.get("rel", "").lower().split()
    ]
    candidates.append(data.first_meta("og:url"))
    for href in candidates:
        if href:
            absolute = urljoin(page.url, href.strip())
            host = (urlsplit(absolute).hostname or "").removeprefix("www.")
            if urlsplit(absolute).scheme in {"http", "https"} and host == page.domain:
                return absolute
    return page.url


def extract_language(page: Page, data: StructuredData) -> str | None:
    """The page's declared language ("de", "en-GB"), or None."""
    lang = page.tree.get("lang") or data.first_meta("og:locale", "content-language", "language", "dc.language")
    if data.article and isinstance(data.article.get("inLanguage"), str) and not lang:
        lang = data.article["inLanguage"]
    return clean(lang).replace("_", "-") or None if lang else None
