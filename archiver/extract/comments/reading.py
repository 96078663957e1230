"""Reading one comment: its author (and the author's link), date, text, number, anchor and kind,
by markup convention, by text convention, or by a site profile's selectors.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from archiver.extract.comments.scan import Item, Scan, attribute_date
from archiver.extract.comments.view import View, is_noise
from archiver.extract.comments.vocabulary import (
    AUTHOR_CLASS,
    AUTHOR_PROPS,
    AUTHOR_TAGS,
    BODY_CLASS,
    BY_PREFIX,
    DATE_ATTRIBUTES,
    DATE_CLASS,
    DATE_PROPS,
    FORM_ANCHORS,
    HEADINGS,
    LABEL,
    MONTH_OR_DAY,
    NOISE_LINE,
    NUMBER,
    NUMBER_CLASS,
    SAYS,
    TEXT_PROPS,
)
from archiver.extract.dates import ParsedDate, parse_date, parse_date_full
from archiver.extract.profiles import Rule
from archiver.extract.text import clean, inline_text
from archiver.items import Comment

#: Searches run for every comment, compiled once (ElementPath's find() tests attributes in Python).
_LINKS = etree.XPath("descendant::a[@href]")
_NAME_PROPERTY = etree.XPath("descendant::*[@itemprop='name']")
_WITH_ID = etree.XPath("descendant::*[@id]")


def read_item(view: View, scan: Scan, rules: dict[str, Rule] | None = None) -> Comment:
    """One comment's record; ``rules``: a site profile's comment selectors, which win where they find something."""
    item, now = view.item, scan.now
    author, author_url, author_el = _author(view, scan.url)
    parsed, raw, date_el = _date(view, now)
    drop = view.drop = tuple(e for e in (author_el, date_el) if e is not None)
    if rules:
        p_author, p_parsed, p_raw, p_body = _profile_roles(item, rules, now)
        author, (parsed, raw) = p_author or author, (p_parsed, p_raw) if p_parsed else (parsed, raw)
    number = _number(view) if not rules or "number" not in rules else _rule_number(item, rules["number"])
    kind = _kind(item.root)
    body = p_body if rules and p_body is not None else _body(view, drop)
    if kind != "comment":
        body = LABEL.sub("", body)
        author = author or _pingback_source(item)
    author = author or _author_from_text(view.text()) or (_name_before_date(raw) if date_el is None else None)
    if author is None:
        author, body = _leading_name(body)
    author_url = author_url or _author_link(view, author, scan.url)
    return Comment(
        number=number,
        number_source="page" if number is not None else "order",
        author=author,
        author_url=author_url,
        published=parsed.iso if parsed else None,
        published_raw=raw,
        published_relative=parsed.relative if parsed else None,
        body=body,
        anchor=_anchor(item, scan),
        kind=kind,
    )


def _profile_roles(
    item: Item, rules: dict[str, Rule], now: datetime
) -> tuple[str | None, ParsedDate | None, str | None, str | None]:
    """(author, date, raw date, body) by a site profile's comment selectors, where it has them."""
    author = next(iter(rules["author"].values(item.root)), None) if "author" in rules else None
    raw = next(iter(rules["date"].values(item.root)), None) if "date" in rules else None
    body = "\n\n".join(rules["body"].values(item.root)) if "body" in rules else None
    return author, parse_date_full(raw, now), raw, body


def _author(view: View, base: str) -> tuple[str | None, str | None, lxml.html.HtmlElement | None]:
    """(name, link, element) of the author by microdata property, else by class or ``<cite>``."""
    own = view.elements
    by_property = [el for el in own if el.get("itemprop") in AUTHOR_PROPS]
    by_tag = [el for el in own if el.tag in AUTHOR_TAGS]
    for el in by_property + by_tag:
        if el is view.root or (el.get("itemprop") is None and not (_class_roles(el).author or el.tag == "cite")):
            continue
        name_el = next(iter(_NAME_PROPERTY(el)), None)
        name = _clean_author(inline_text(name_el if name_el is not None else el))
        if name and len(name) < 80:
            link = el if el.tag == "a" else next(iter(_LINKS(el)), None)
            return name, _author_href(link, base) if link is not None else None, el
    return None, None, None


def _author_link(view: View, author: str | None, base: str) -> str | None:
    """The link of the item's own ``<a>`` whose text is the author's name ("<a>back pain</a> says:").

    A permalink's text is a date and a reply link's "Reply": only the name's own link matches.
    """
    if not author:
        return None
    for el in view.elements:
        if el.tag == "a" and el.get("href") and not is_noise(el) and clean(inline_text(el)) == author:
            url = _author_href(el, base)
            if url:
                return url
    return None


def _author_href(link: lxml.html.HtmlElement, base: str) -> str | None:
    """The link's absolute http(s) URL, resolved against the page; None for a link into the page itself."""
    href = (link.get("href") or "").strip()
    if not href or href.startswith("#"):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return None if base and urldefrag(url)[0] == urldefrag(base)[0] else url


def _clean_author(text: str) -> str:
    m = _says(text)
    if m:
        text = m["name"]
    text = NUMBER.sub("", text).strip()
    return BY_PREFIX.sub("", text).strip(" :|-–")


def _author_from_text(text: str) -> str | None:
    for line in text.split("\n")[:4]:
        m = _says(line)
        if m and len(m["name"]) < 80:
            return clean(m["name"])
    return None


def _name_before_date(line: str | None) -> str | None:
    """ "Ellie Watts 10 April 2022, 15:30": the name on a comment's date line."""
    name = re.split(r"\d", line or "", maxsplit=1)[0].strip(" ,;:|-–—·")
    words = name.split()
    return name if 1 <= len(words) <= 4 and not MONTH_OR_DAY.search(name) else None


def _leading_name(body: str) -> tuple[str | None, str]:
    """A short first line that is a name (a few words, no digits) before the text: the author."""
    first_line, _, rest = body.partition("\n")
    words = first_line.split()
    if rest.strip() and 1 <= len(words) <= 4 and len(first_line) <= 40 and not re.search(r"\d|[.!?:;]$", first_line):
        return first_line.strip(), rest.strip()
    return None, body


def _pingback_source(item: Item) -> str | None:
    link = next(iter(_LINKS(item.root)), None)
    return inline_text(link) if link is not None else None


_NoDate: tuple[None, None, None] = (None, None, None)


def _date(view: View, now: datetime) -> tuple[ParsedDate | None, str | None, lxml.html.HtmlElement | None]:
    """(parsed date, raw text, the element it came from) of the comment."""
    own = view.elements
    for el in own:
        if el.get("datetime") is not None or el.get("itemprop") in DATE_PROPS:
            raw = el.get("datetime") or el.get("content") or inline_text(el)
            parsed = parse_date_full(raw, now)
            if parsed:
                return parsed, inline_text(el) or raw, el
    for el in own:
        if el.get("class") is not None and _class_roles(el).date:
            raw = inline_text(el)
            parsed = parse_date_full(raw, now) if len(raw) < 120 else None
            if parsed:
                return parsed, raw, el
    for el in own:
        if el.tag not in {"a", "img"} and any(el.get(a) is not None for a in DATE_ATTRIBUTES):
            found = attribute_date(el, now)
            if found:
                return found[0], next(el.get(a) for a in DATE_ATTRIBUTES if el.get(a)), found[1]
    for line in view.text().split("\n")[:6]:
        parsed = parse_date_full(line, now) if len(line) < 80 else None
        if parsed:
            return parsed, clean(line), None
    return _NoDate


def _body(view: View, drop: tuple[lxml.html.HtmlElement, ...]) -> str:
    """The comment's text: its text element by convention, else its text without name and date."""
    author_el = drop[0] if drop else None
    bodies = [el for el in view.elements if el.get("itemprop") in TEXT_PROPS]
    if not bodies:
        above_author = view.ancestors(author_el) if author_el is not None else set()
        bodies = [
            el
            for el in view.elements
            if el.get("class") is not None and el not in drop and _is_body_element(el, view.item, above_author)
        ]
        chosen = set(bodies)
        bodies = [b for b in bodies if not view.inside(b, chosen)]
    text = "\n\n".join(t for t in (view.stripped_text(b, drop) for b in bodies) if t)
    if not text:
        return _body_from_lines(view.text(drop))
    title = _title(view, bodies)
    return f"{title}\n\n{text}" if title and title not in text else text


def _is_body_element(el: lxml.html.HtmlElement, item: Item, above_author: set[lxml.html.HtmlElement]) -> bool:
    return el is not item.root and _class_roles(el).body and el not in above_author


def _title(view: View, bodies: list[lxml.html.HtmlElement]) -> str:
    """A comment's own headline (<h3>–<h6> outside its text), which belongs to what it says."""
    chosen = set(bodies)
    for el in view.elements:
        if el.tag in HEADINGS and not view.inside(el, chosen) and not _class_roles(el).author:
            return inline_text(el)
    return ""


def _body_from_lines(text: str) -> str:
    """The item's text without its header lines (number, name, "says:", date) and links."""
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    header_done = False
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            is_header = not header_done and (
                _says(line) or (len(line) < 80 and parse_date(line)) or NUMBER.fullmatch(line.strip())
            )
            if is_header or NOISE_LINE.match(line.strip()):
                continue
            lines.append(line)
        if lines:
            header_done = True
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


def _rule_number(item: Item, rule: Rule) -> int | None:
    """The number a widget's "number" selector finds (none: the comments are numbered by position)."""
    for value in rule.values(item.root):
        m = re.fullmatch(r"\s*[#(]?\s*(\d{1,5})\s*[).:]?\s*", value)
        if m:
            return int(m[1])
    return None


def _number(view: View) -> int | None:
    for el in view.elements:
        classes = el.get("class")
        if classes is not None and NUMBER_CLASS.search(classes):
            m = re.fullmatch(r"\s*[#(]?\s*(\d{1,5})\s*[).:]?\s*", inline_text(el))
            if m:
                return int(m[1])
    lines = view.text().split("\n")[:4]
    for line in lines:
        m = NUMBER.match(line)
        if m and (_says(line) or len(line) < 40 or line.lstrip().startswith(("(", "#"))):
            return int(next(g for g in m.groups() if g))
    return None


def _anchor(item: Item, scan: Scan) -> str | None:
    """The page's own id for the comment: its permalink's target, else the item's id."""
    root = item.root
    for link in root.iterdescendants("a"):
        fragment = (link.get("href") or "").partition("#")[2]
        if fragment and fragment not in FORM_ANCHORS and scan.holds_id(root, fragment):
            return fragment
    if root.get("id"):
        return root.get("id")
    for el in _WITH_ID(root):
        if re.search(r"\d", el.get("id", "")):
            return el.get("id")
    prev = root.getprevious()
    if prev is not None and prev.tag == "a" and (prev.get("id") or prev.get("name")):
        return prev.get("id") or prev.get("name")
    return None


def _kind(el: lxml.html.HtmlElement) -> str:
    classes = el.get("class", "").lower().split()
    return "pingback" if "pingback" in classes else "trackback" if "trackback" in classes else "comment"


def _says(line: str) -> re.Match[str] | None:
    """SAYS.match(line), tried only on a line that ends as it requires (the match is slow on long lines)."""
    return SAYS.match(line) if line.rstrip().endswith((":", "...", "…")) else None


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


class _Roles(NamedTuple):
    """What a class attribute names: the author, a date (not the author's), the text (not the author's)."""

    author: bool
    date: bool
    body: bool


def _class_roles(el: lxml.html.HtmlElement) -> _Roles:
    return _roles_of(el.get("class", ""))


@lru_cache(maxsize=4096)
def _roles_of(classes: str) -> _Roles:
    """The roles of a class attribute, camelCase split ("commentAuthor" -> "comment-Author").

    Found once for each: a page repeats its class attributes.
    """
    split = _CAMEL.sub("-", classes)
    tokens = split.split()
    author = AUTHOR_CLASS.search(split) is not None
    date = DATE_CLASS.search(split) is not None and not author
    body = any(BODY_CLASS.search(t) for t in tokens) and not any(AUTHOR_CLASS.search(t) for t in tokens)
    return _Roles(author, date, body)
