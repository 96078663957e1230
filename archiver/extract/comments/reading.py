"""Reading one comment: its author (and the author's link), date, text, number, anchor and kind,
by markup convention, by text convention, or by a site profile's selectors.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from urllib.parse import urldefrag, urlsplit

import lxml.html
from lxml import etree

from archiver.extract.comments.scan import DATE_ATTRIBUTE_NAMES, SLASH_DATE, Item, Scan, attribute_date, tooltip_date
from archiver.extract.comments.view import REMEMBERED_CLASS, Roles, View, is_noise, roles_of
from archiver.extract.comments.vocabulary import (
    AFTER_NAME,
    AUTHOR_PROPS,
    AUTHOR_TAGS,
    BY_PREFIX,
    CAMEL,
    DATE_ATTRIBUTES,
    DATE_PROPS,
    FORM_ANCHORS,
    HEADINGS,
    HIDDEN_CLASS,
    LABEL,
    MONTH_OR_DAY,
    NAME_NOISE_CLASS,
    NOISE_LINE,
    NUMBER,
    NUMBER_CLASS,
    NUMBER_PROPS,
    NUMBER_TAGS,
    PING_ELLIPSES,
    ROLE_BADGE,
    SAYS,
    SAYS_END,
    TEXT_PROPS,
    TITLE_PROPS,
    TOOLTIP_ATTRIBUTES,
)
from archiver.extract.dates import DASH_DATE, ParsedDate, date_start, parse_date, parse_date_full
from archiver.extract.profiles import Rule
from archiver.extract.text import block_text_on_one_line, clean, inline_text
from archiver.items import Comment
from archiver.urls import join_url

#: Searches run for every comment, compiled once (ElementPath's find() tests attributes in Python).
_LINKS = etree.XPath("descendant::a[@href]")
_NAME_PROPERTY = etree.XPath("descendant::*[@itemprop='name']")
_WITH_ID = etree.XPath("descendant::*[@id]")


def _first(search: etree.XPath, el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first element a descendant search finds in el; none in an element without children (most
    authors' elements: a ``<cite>``, a link), where the search is not run."""
    return next(iter(search(el)), None) if len(el) else None


def read_item(view: View, scan: Scan, rules: dict[str, Rule] | None = None) -> Comment:
    """One comment's record; ``rules``: a site profile's comment selectors, which win where they find something."""
    item, now = view.item, scan.now
    author, author_url, author_el = _author(view, scan.url, now)
    parsed, raw, date_el = _date(view, now, DayFirst(scan), author_el)
    drop = view.drop = tuple(e for e in (author_el, date_el) if e is not None)
    title_el, title = _title_element(view, author_el)
    if title_el is not None:
        drop = view.drop = (*drop, title_el)
    if rules:
        p_author, p_parsed, p_raw, p_body = _profile_roles(item, rules, now)
        author, (parsed, raw) = p_author or author, (p_parsed, p_raw) if p_parsed else (parsed, raw)
    number = _number(view) if not rules or "number" not in rules else _rule_number(item, rules["number"])
    kind = _kind(item.root)
    if rules and p_body is not None:
        body = p_body
    else:
        body, heading = _body(view, drop, author_el)
        title = title or heading
    if kind == "comment" and _is_ping_excerpt(body):
        kind = "pingback"
    if kind != "comment":
        body = LABEL.sub("", body)
        author = author or _pingback_source(item)
    author = (
        author or _author_from_text(view.text()) or _profile_term(view) or _name_before_date(_date_line(raw, date_el))
    )
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
        title=title or None,
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


def _author(view: View, base: str, now: datetime) -> tuple[str | None, str | None, lxml.html.HtmlElement | None]:
    """(name, link, element) of the author by microdata property, else by class or ``<cite>``."""
    own = view.elements
    by_property = [el for el, prop in view.with_itemprop if prop in AUTHOR_PROPS]
    roots = view.roots  # a nested reply's own element ("comment-author-anna" on its <li>) is not a name
    by_tag = [el for el, _, roles in view.classed if el.tag in AUTHOR_TAGS and roles.author and el not in roots]
    by_tag_set = set(by_tag)
    # a quote's "<cite>Anna wrote:</cite>" names whom the comment quotes (FluxBB's "quotebox"), not its author
    cites = [el for el in own if el.tag == "cite" and not _in_quote(el, view.item.parts)]
    badge: tuple[str, str | None, lxml.html.HtmlElement] | None = None
    for el in by_property + _inner_first(by_tag, by_tag_set) + cites:
        if el is view.root:
            continue
        name_el = _first(_NAME_PROPERTY, el)
        if name_el is None and el in by_tag_set and el.tag not in {"a", "cite"}:
            name_el = _linked_name_on_date_line(el, now)
        shown = name_el.get("content") if name_el is not None and name_el.tag == "meta" else None
        name = _clean_author(shown or _name_text(name_el if name_el is not None else el))
        if name and len(name) < 80:
            link_el = name_el if name_el is not None and name_el.tag == "a" else el
            link = link_el if link_el.tag == "a" else _first(_LINKS, el)
            found = name, _author_href(link, base) if link is not None else None, el
            if not _is_badge(name):
                return found
            badge = badge or found  # "Autor" in an element classed "post_author": a name only if no other
    return badge or (None, None, None)


def _in_quote(el: lxml.html.HtmlElement, parts: list[lxml.html.HtmlElement]) -> bool:
    """Whether el is in a quote inside the comment (the comment's parts): a quote around the comment
    area, or the page (a theme's "quote" wrapper), does not make a comment's ``<cite>`` a quote's."""
    for up in el.iterancestors():
        if up in parts:
            return False
        if up.tag == "blockquote" or "quote" in up.get("class", "").lower():
            return True
    return False


def _linked_name_on_date_line(el: lxml.html.HtmlElement, now: datetime) -> lxml.html.HtmlElement | None:
    """The name link of an author line that also gives the date (phpBB's "by <a>Name</a> » Tue Aug 27,
    2019 4:08 am"): the first link with text that is no date (a permalink), where the line reads as one."""
    line = inline_text(el)
    if len(line) >= 120 or not parse_date_full(line, now):
        return None
    names = (a for a in _LINKS(el) if a.text_content().strip() and not parse_date_full(a.text_content(), now))
    return next(names, None)


def _date_on_author_line(
    author_el: lxml.html.HtmlElement, view: View, now: datetime, day_first: DayFirst | bool
) -> tuple[ParsedDate, str, lxml.html.HtmlElement] | None:
    """The date on the line of the author's name: the name's element or another classed as the
    author's (phpBB: "by <a>Name</a> » Tue Aug 27, 2019 4:08 am", the name alone beside the post)."""
    others = (e for e, _, roles in view.classed if e.tag in AUTHOR_TAGS and roles.author)
    for el in (author_el, *others):
        line = inline_text(el)
        parsed = _parse_shown(line, now, day_first) if len(line) < 120 else None
        if parsed:
            return parsed, line, el
    return None


def _is_badge(name: str) -> bool:
    """Whether a name is a role badge alone ("Autor", "Guest"): ROLE_BADGE wants a name before it."""
    alone = ROLE_BADGE.search("x " + name)
    return alone is not None and alone.start() == 1


def _inner_first(found: list[lxml.html.HtmlElement], among: set[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Author elements with those inside each one first: the name's own element inside an author box
    ("AuthorInfo" > "AuthorName") is tried before the box, which is tried if it gives no name."""
    ordered: list[lxml.html.HtmlElement] = []
    for el in found:
        ordered += [d for d in el.iterdescendants() if d in among and d not in ordered]
        if el not in ordered:
            ordered.append(el)
    return ordered


def _name_text(el: lxml.html.HtmlElement) -> str:
    """An author element's text without its noise ("says" labels, avatars, reply links), on one line."""
    text = block_text_on_one_line(el, _name_noise)
    title = clean(el.get("title") or "") if el.tag == "a" else ""
    if title and text.startswith(title) and text[len(title) : len(title) + 1] == "@":
        return title  # a link titled with the name alone, shown with its server: "db0@lemmy.dbzer0.com" (Lemmy)
    return text or inline_text(el)


def _name_noise(el: lxml.html.HtmlElement) -> bool:
    return is_noise(el) or NAME_NOISE_CLASS.search(el.get("class") or "") is not None


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
    url = join_url(base, href)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return None if base and urldefrag(url)[0] == urldefrag(base)[0] else url


#: An author that is nothing but one element shown as text ("<span>Anna</span>": a template escaped twice);
#: a name with markup among other text ("Mallory <b>x</b>") is what the commenter typed, kept as it is.
_MARKUP = re.compile(r"\s*<([a-zA-Z][\w-]*)[^<>]*>([^<>]*)</\1>\s*")
_WEEKDAY_END = re.compile(
    rf"\s*[|,·•–—]\s*(?:(?:{MONTH_OR_DAY.pattern})\s*|[^\W\d_]{{1,3}}\.?\s*){{1,2}}$", re.IGNORECASE
)
_COUNT_END = re.compile(r"\s+\d[\d,.]*$")
#: A user's number or post count in brackets after the name ("david.emery ( 127135 )"): not part of it.
_BRACKETED_COUNT_END = re.compile(r"\s*\(\s*\d[\d,.]*\s*\)$")


#: Author texts shorter than this are remembered (a name is used only under 80 characters; a longer
#: text, a comment's whole first lines, would fill the cache with texts never seen again).
_REMEMBERED_AUTHOR = 200


def _clean_author(text: str) -> str:
    """The name alone out of an author element's text (see ``_read_author``). A short text is
    remembered (a function of the text alone): a thread names the same commenters again and again."""
    return _remember_author(text) if len(text) < _REMEMBERED_AUTHOR else _read_author(text)


def _read_author(text: str) -> str:
    """The name alone out of an author element's text.

    One element shown as text ("<span>Anna</span>", an escaped template) is read as its text; "Anna says",
    a date or "Posted ..." after the name, a reply link's words and a role badge are cut off.
    """
    shown = _MARKUP.fullmatch(text) if "<" in text else None
    text = clean(shown[2]) if shown else text
    m = _says(text)
    if m:
        text = m["name"]
    text = NUMBER.sub("", text).strip()
    text = BY_PREFIX.sub("", text).strip()
    if _is_link_words(text):  # "Link to comment", "Antworten Anna", "Reply to Anna": no name of its own
        return ""
    at_date, after = date_start(text), AFTER_NAME.search(text)
    if after and after.start() and (not at_date or after.start() < at_date):
        # a forum's "Posted" may follow the poster's post count ("Soapm 22 Posted March 5, 2024")
        text = _COUNT_END.sub("", text[: after.start()])
    elif at_date:
        text = text[:at_date]
    text = _WEEKDAY_END.sub("", text.rstrip(" :|-–—·•/@,"))  # "Anna | Di", "Anna, le mercredi" before a date
    text = SAYS_END.sub("", text.rstrip(" :|-–—·•/@,"))
    text = _BRACKETED_COUNT_END.sub("", text)
    return ROLE_BADGE.sub("", text).strip(" :|-–—·•/@,")


_remember_author = lru_cache(maxsize=4096)(_read_author)


def _author_from_text(text: str) -> str | None:
    """The name of a "Name says:" line or of a "By Name" line among the item's first lines."""
    for line in text.split("\n")[:4]:
        m = _says(line)
        if m and len(m["name"]) < 80:
            return clean(m["name"])
        if BY_PREFIX.match(line) and len(line) < 80:
            name = _clean_author(line)
            if name and len(name.split()) <= 4:
                return name
    return None


def _date_line(raw: str | None, date_el: lxml.html.HtmlElement | None) -> str | None:
    """The line the comment's date is on: the text of the date element's parent (a header line
    "Abdul Majeed <time>3/12/2021</time>"), or the raw date when it was read from a text line."""
    if date_el is None:
        return raw
    parent = date_el.getparent()
    if parent is None or date_el.tag == "a" or parent.tag in {"a", "li", "ul", "ol", "article", "section", "body"}:
        return None
    line = inline_text(parent)
    return line if len(line) < 120 else None


def _profile_term(view: View) -> str | None:
    """The poster's name as the first term of a profile list beside the text (FluxBB, PunBB:
    ``<dl><dt><strong>Name</strong></dt><dd>Registered: ...</dd></dl>``): a short term, no date."""
    for dl in view.elements:
        if dl.tag != "dl" or any(_class_roles(a).body for a in view.ancestors(dl)):
            continue
        dt = next((c for c in dl if c.tag == "dt"), None)
        name = clean(inline_text(dt)) if dt is not None else ""
        if name and len(name) < 40 and len(name.split()) <= 4 and not parse_date(name) and not _is_link_words(name):
            return name
        return None  # the first list alone: a later one is part of what the comment says
    return None


#: A word that opens a date ("am", "le", "on") after a name: lower case, or set off by a dash.
_DATE_WORD_END = re.compile(rf"(?:\s+[-–—|·•]\s*(?i:{MONTH_OR_DAY.pattern})|\s+(?:{MONTH_OR_DAY.pattern.lower()}))$")


def _name_before_date(line: str | None) -> str | None:
    """ "Ellie Watts 10 April 2022, 15:30": the name on a comment's date line (a name has a letter:
    not the "#" of FluxBB's "#2 2025-11-02 06:23:21")."""
    name = re.split(r"\d", line or "", maxsplit=1)[0].strip(" ,;:|-–—·")
    name = _WEEKDAY_END.sub("", name)  # "Heidemarie Heim | Di, 21. April 2020": the weekday is the date's
    name = _DATE_WORD_END.sub("", name)  # "Georg N. am 10.4.2020", "Muriel - Le 22/01/2020": the date's word
    words = name.split()
    has_letter = any(c.isalpha() for c in name)
    return name if has_letter and 1 <= len(words) <= 4 and not MONTH_OR_DAY.search(name) else None


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


def _date(
    view: View, now: datetime, day_first: DayFirst | bool = False, author_el: lxml.html.HtmlElement | None = None
) -> tuple[ParsedDate | None, str | None, lxml.html.HtmlElement | None]:
    """(parsed date, raw text, the element it came from) of the comment.

    A machine date that gives the day alone takes the time its element shows ("29.07.2020 // 12:56");
    a relative date ("1 year ago") gives way to the absolute date its element's tooltip holds.
    """
    found = _date_found(view, now, day_first, author_el)
    parsed, raw, el = found
    if parsed is not None and parsed.relative and el is not None:
        for candidate in (el, *el.iterdescendants()):
            for name in TOOLTIP_ATTRIBUTES:
                value = candidate.get(name)
                absolute = _parse_shown(value, now, day_first) if value and len(value) < 80 else None
                if absolute and not absolute.relative:
                    return absolute, raw, el
    return found


def _date_found(
    view: View, now: datetime, day_first: DayFirst | bool, author_el: lxml.html.HtmlElement | None = None
) -> tuple[ParsedDate | None, str | None, lxml.html.HtmlElement | None]:
    own, itemprop_of = view.elements, view.itemprop_of
    for el in own:
        if el.get("datetime") is not None or itemprop_of.get(el) in DATE_PROPS:
            raw = el.get("datetime") or el.get("content") or inline_text(el)
            parsed = parse_date_full(raw, now)
            if parsed:
                shown = inline_text(el)
                if len(parsed.iso) == 10 and shown:  # the day alone: the time the page shows with it
                    timed = _parse_shown(shown, now, day_first)
                    if timed and timed.iso[:10] == parsed.iso and len(timed.iso) > 10:
                        parsed = timed
                return parsed, shown or raw, el
    relative: tuple[ParsedDate, str, lxml.html.HtmlElement] | None = None  # "6 months ago": an attribute may say more
    for el, _, roles in view.classed:
        if roles.date and not is_noise(el):
            raw = inline_text(el)
            parsed = _parse_shown(raw, now, day_first) if len(raw) < 120 else None
            if parsed is None and len(el) and len(raw) < 120:  # "<span>28.09.19</span><span>12:44</span>"
                raw = " ".join(t.strip() for t in el.itertext() if t.strip())
                parsed = _parse_shown(raw, now, day_first)
            if parsed and len(parsed.iso) == 10:  # the day, and the time in the next date element (" at 9:41")
                parsed, raw = _with_time_after(el, parsed, raw, now, day_first)
            if parsed and parsed.relative and len(el.get("title") or "") < 80:
                tooltip = parse_date_full(el.get("title") or "", now)  # wpDiscuz: "6 months ago", the time as title
                parsed = tooltip if tooltip and not tooltip.relative else parsed
            if parsed and not parsed.relative:
                return parsed, raw, el
            relative = relative or ((parsed, raw, el) if parsed else None)
    linked: tuple[ParsedDate, str, lxml.html.HtmlElement] | None = None  # a link's tooltip, if no attribute says more
    for el in own:
        if el.tag not in {"a", "img"} and not DATE_ATTRIBUTE_NAMES.isdisjoint(el.keys()):
            found = attribute_date(el, now)
            if found:
                return found[0], next(el.get(a) for a in DATE_ATTRIBUTES if el.get(a)), found[1]
        elif linked is None and el.tag == "a" and el.get("title"):  # a permalink showing "6d", the date as its tooltip
            tooltip = tooltip_date(el, now)
            linked = (tooltip, el.get("title") or "", el) if tooltip else None
    if linked:
        return linked
    if relative:
        return relative
    on_author_line = _date_on_author_line(author_el, view, now, day_first) if author_el is not None else None
    if on_author_line:  # "by Name » Tue Aug 27, 2019 4:08 am" (phpBB), before any other line of the item
        return on_author_line
    for line in view.text().split("\n")[:6]:
        parsed = _parse_shown(line, now, day_first) if len(line) < 120 else None
        if parsed:
            return parsed, clean(line), None
    return _NoDate


def _with_time_after(
    el: lxml.html.HtmlElement, parsed: ParsedDate, raw: str, now: datetime, day_first: DayFirst | bool
) -> tuple[ParsedDate, str]:
    """A day shown in one date element, with the time the next element classed as a date shows."""
    after = el.getnext()
    if after is None or after.get("class") is None or not _class_roles(after).date:
        return parsed, raw
    both = f"{raw} {inline_text(after)}"
    timed = _parse_shown(both, now, day_first) if len(both) < 120 else None
    if timed and timed.iso[:10] == parsed.iso and len(timed.iso) > 10:
        return timed, both
    return parsed, raw


def _parse_shown(text: str, now: datetime, day_first: DayFirst | bool) -> ParsedDate | None:
    """A date as the page shows it; "09/06/2020" read day first on a page whose language writes it so,
    "11-29-2024" (vBulletin's default) as "11/29/2024", day first too where the page's slash dates are."""
    if "-" in text:
        text = DASH_DATE.sub(r"\1/\2/\3", text)
    if "/" in text and day_first:  # the page's dates are read only when a date with a slash asks
        return parse_date_full(SLASH_DATE.sub(r"\1.\2.\3", text), now) or parse_date_full(text, now)
    return parse_date_full(text, now)


class DayFirst:
    """Whether the page writes numeric dates day first (``Scan.day_first``), found when first asked.

    Most comment dates have no slash (a machine date, a written month): the page is then not read for it.
    """

    __slots__ = ("scan",)

    def __init__(self, scan: Scan) -> None:
        self.scan = scan

    def __bool__(self) -> bool:
        return self.scan.day_first


def _body(
    view: View, drop: tuple[lxml.html.HtmlElement, ...], author_el: lxml.html.HtmlElement | None
) -> tuple[str, str]:
    """(text, headline) of the comment: its text element by convention, else its text without name,
    date and title; its own headline apart, when it has one outside its text."""
    bodies = [el for el, prop in view.with_itemprop if prop in TEXT_PROPS]
    if not bodies:
        above_author = view.ancestors(author_el) if author_el is not None else set()
        bodies = [
            el
            for el, _, roles in view.classed
            if roles.body and el is not view.root and el not in drop and el not in above_author and not is_noise(el)
        ]
        chosen = set(bodies)
        bodies = [b for b in bodies if not view.inside(b, chosen)]
    text = "\n\n".join(t for t in (view.stripped_text(b, drop) for b in bodies) if t)
    if not text:
        return _body_from_lines(view.text(drop)), ""
    title = _title(view, bodies)
    return text, title if title and title not in text else ""


def _title_element(view: View, author_el: lxml.html.HtmlElement | None) -> tuple[lxml.html.HtmlElement | None, str]:
    """(element, text) of the comment's own headline by class ("title", "titre", "subject") or by
    microdata or RDFa ``name``/``headline`` outside the author's element."""
    around_author = {author_el} if author_el is not None else set()
    class_of, itemprop_of = view.class_of, view.itemprop_of
    for el in view.elements:
        if el in view.drop or el is view.root:
            continue
        prop = itemprop_of.get(el) or el.get("property")
        classed = class_of.get(el)
        if not ((prop is not None and prop in TITLE_PROPS) or (classed is not None and classed[1].title)):
            continue
        if view.inside(el, around_author) or any(_holds(el, d) for d in view.drop) or _hidden(el, view):
            continue
        if prop is None and any(_in_text_or_author(a) for a in view.ancestors(el)):
            continue  # a quote's "Anna said:" box, a name's own element
        text = _name_text(el)
        if (
            text
            and len(text) < 200
            and not _is_link_words(text)
            and not parse_date(text)
            and not _SCORE.fullmatch(text)
        ):
            return el, text
    return None, ""


#: A headline that is a number alone is a vote count or a counter, not what the comment is titled.
_SCORE = re.compile(r"[-+−]?\d[\d,.]*")


def _in_text_or_author(el: lxml.html.HtmlElement) -> bool:
    """Whether el is a quote in the text (its "Anna said:" title box) or the author's element."""
    if el.tag in {"blockquote", "aside"} or el.get("itemprop") in AUTHOR_PROPS:
        return True
    return "quote" in el.get("class", "").lower()


def _title(view: View, bodies: list[lxml.html.HtmlElement]) -> str:
    """A comment's own headline (<h3>–<h6> outside its text), which belongs to what it says.

    Not a heading that holds the comment's name or date (a header line), a hidden one, or a reply
    form's or link's heading ("Reply to comment").
    """
    chosen, class_of = set(bodies), view.class_of
    for el in view.elements:
        if el.tag not in HEADINGS:
            continue
        classed = class_of.get(el)  # an element without a class has no role
        if not view.inside(el, chosen) and not (classed is not None and classed[1].author) and not _hidden(el, view):
            text = inline_text(el)
            holds_role = any(d is el or _holds(el, d) for d in view.drop)
            if (
                text
                and not holds_role
                and not NOISE_LINE.match(text)
                and not _is_link_words(text)
                and not _SCORE.fullmatch(text)
            ):
                return text
    return ""


def _holds(el: lxml.html.HtmlElement, other: lxml.html.HtmlElement) -> bool:
    return any(a is el for a in other.iterancestors())


def _is_link_words(text: str) -> bool:
    """Whether text is only a link's or button's words ("Link to comment", "Reply to comment")."""
    whole = AFTER_NAME.match(" " + text)
    return whole is not None


def _hidden(el: lxml.html.HtmlElement, view: View) -> bool:
    """Whether the page hides el (a ``hidden`` attribute or class) within the comment."""
    for e in (el, *view.ancestors(el)):
        if e.get("hidden") is not None or HIDDEN_CLASS.search(CAMEL.sub("-", e.get("class", ""))):
            return True
    return False


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


_HASH_NUMBER = re.compile(r"\s*#\s?(\d{1,10})\s*")


def _number(view: View) -> int | None:
    """The number the page shows for the comment.

    By a class that says so, by microdata's ``position``, by an element that shows only "#12" or "12" after a "#" (a
    forum's post counter, a permalink), else by a leading "(12)", "#12" or "12." that is not a date.
    """
    class_of, itemprop_of = view.class_of, view.itemprop_of
    for el in view.elements:
        classed = class_of.get(el)
        if classed is not None and _shows_number(classed[0]) and not is_noise(el):  # not a like count
            m = re.fullmatch(r"\s*[#(]?\s*(\d{1,5})\s*[).:]?\s*", inline_text(el))
            if m:
                return int(m[1])
        if itemprop_of.get(el) in NUMBER_PROPS:
            m = re.fullmatch(r"\s*(\d{1,6})\s*", el.get("content") or inline_text(el))
            if m:
                return int(m[1])
        if el.tag in NUMBER_TAGS and el.text and "#" in el.text and not len(el):
            m = _HASH_NUMBER.fullmatch(el.text)
            if m:
                return int(m[1])
        if el.tag in NUMBER_TAGS and _text_before(el).endswith("#"):  # vBulletin 3: "#<a><strong>2</strong></a>"
            m = re.fullmatch(r"\s*(\d{1,5})\s*", inline_text(el))
            if m:
                return int(m[1])
    lines = view.text().split("\n")[:4]
    for line in lines:
        m = NUMBER.match(line)
        if m and (_says(line) or len(line) < 40 or line.lstrip().startswith(("(", "#"))):
            at_date = date_start(line)
            if at_date is not None and at_date <= m.end():  # "11. Dezember 2022" is a date, not comment 11
                continue
            return int(next(g for g in m.groups() if g))
    return None


def _shows_number(classes: str) -> bool:
    """Whether a class attribute says its element shows a number, a short one found once (``REMEMBERED_CLASS``)."""
    return _remember_number_class(classes) if len(classes) < REMEMBERED_CLASS else _number_class(classes)


def _number_class(classes: str) -> bool:
    return NUMBER_CLASS.search(classes) is not None


_remember_number_class = lru_cache(maxsize=4096)(_number_class)


def _text_before(el: lxml.html.HtmlElement) -> str:
    """The text just before el in its parent, without trailing space."""
    before = el.getprevious()
    if before is not None:
        return (before.tail or "").rstrip()
    parent = el.getparent()
    return (parent.text or "").rstrip() if parent is not None else ""


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
    """pingback or trackback by the class of the item or of the list item or ping list holding it."""
    e: lxml.html.HtmlElement | None = el
    for level in range(4):
        if e is None or (level and e.tag in {"body", "article"}):
            break
        classes = e.get("class")
        kind = _class_kind(classes) if classes is not None else None
        if kind is not None:
            return kind
        if e.tag == "li" or (level and e.tag in {"ol", "ul"}):
            break  # the item's own list entry, or the list of all comments: no further
        e = e.getparent()
    return "comment"


def _class_kind(classes: str) -> str | None:
    """pingback or trackback by a class attribute, else None; a short one found once (``REMEMBERED_CLASS``)."""
    return _remember_class_kind(classes) if len(classes) < REMEMBERED_CLASS else _read_class_kind(classes)


def _read_class_kind(classes: str) -> str | None:
    tokens = classes.lower().replace("_", "-").split()
    if "pingback" in tokens or "ping-list" in tokens or "pinglist" in tokens:
        return "pingback"
    return "trackback" if "trackback" in tokens else None


_remember_class_kind = lru_cache(maxsize=4096)(_read_class_kind)


def _is_ping_excerpt(body: str) -> bool:
    """A pingback's text as WordPress writes it: an excerpt of the linking post in "[…] ... […]"."""
    text = body.strip()
    return text.startswith(PING_ELLIPSES) and text.endswith(PING_ELLIPSES) and len(text) > 10


def _says(line: str) -> re.Match[str] | None:
    """SAYS.match(line), tried only on a line that ends as it requires (the match is slow on long lines)."""
    return SAYS.match(line) if line.rstrip().endswith((":", "...", "…")) else None


def _class_roles(el: lxml.html.HtmlElement) -> Roles:
    return roles_of(el.get("class", ""))
