"""Reader comments as records: number, author, date, text, parent, anchor and kind.

Rules, from the most specific to the most generic:
1. schema.org ``Comment`` items in microdata and JSON-LD ``comment`` arrays;
2. a container whose id or class speaks of comments (WordPress, Drupal, Blogger, news sites'
   own markup), split into repeated items by their shared markup signature, or into runs of
   siblings that each start with a repeated header (Blogger's ``<dt>``/``<dd>``, flat lists);
3. inside each item, roles by markup convention (``fn``, ``author``, ``<time>``, ``content``)
   and by text convention ("(3) Name says:", "Name said...", a date line).
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import lxml.html
from lxml import etree

from archiver.extract.dates import ParsedDate, parse_date, parse_date_full
from archiver.extract.document import Page
from archiver.extract.profiles import Rule
from archiver.extract.structured import StructuredData, node_types
from archiver.extract.text import block_text, clean, inline_text
from archiver.items import Comment

#: A class token or id that names a comment area (matched token by token).
_CONTAINER = re.compile(
    r"comment|kommentar|commentaire|komentarz|comentario|commenti|reactions?$|responses$|discussion|"
    r"disqus|^cmts?$|leserbrief|reader-?resp|^replies$|^talkback|reviews",
    re.IGNORECASE,
)
_NOT_CONTAINER = re.compile(
    r"respond|form$|comment-?form|commentform|reply|-?(?:link|count|number|num|icon|title|header|closed|"
    r"rss|feed|nav|navigation|pagination|policy|rules|button|btn|author|meta|date|avatar|content|text|"
    r"body)s?$|no-?comments|add-?comment|write-?comment|post-?comment|leave|share|social|related|teaser|"
    r"newsletter|open$|commentary|commentaries",
    re.IGNORECASE,
)
_NOT_CONTAINER_TAGS = frozenset(
    ["html", "body", "a", "span", "form", "button", "textarea", "input", "h1", "h2", "h3", "h4", "h5", "h6",
     "p", "img", "time", "cite", "b", "strong", "em", "i", "label", "script", "style", "noscript"]
)  # fmt: skip
_ITEM_CLASS = re.compile(
    r"^(?:c-|single-|user-|reader-|js-)?(?:comment|comments-item|kommentar|cmt|comentario|commento|komentarz|commentaire|"
    r"pingback|trackback|reply|response|post|review)"
    r"(?:[-_]?(?:item|entry|wrap|wrapper|box|container|block|card|node|row|single))?$",
    re.IGNORECASE,
)
#: An id that numbers a comment: "comment-45", "c5689936", "li-comment-7", "k-3301".
_ITEM_ID = re.compile(r"^(?:li-|div-)?(?:comment|c|cmt|k|kommentar|reply|msg|message|bb_message)[-_]?\d+$", re.I)
#: Ids that say "comment" on their own, enough to find a comment list no class names.
_COMMENT_ID = re.compile(
    r"^(?:li-|div-)?(?:comment|kommentar|komentarz|commentaire|comentario)[-_]?\d+$|^bb_message_\d+$", re.I
)
_STATE_TOKEN = re.compile(
    r"\d|^(?:odd|even|alt|first|last|parent|byuser|bypostauthor|clearfix|thread-\w+|depth-\w+|"
    r"comment-author-.*|has-\w+|is-\w+|highlighted|new|unread|author|hentry|reply|pingback|trackback)$",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(
    r"\b(?:fn|author|comment-author|comment-author-name|username|user-?name|user|name|nick(?:name)?|"
    r"commenter|poster|byline|benutzer|nutzer|autor|verfasser|pseudo|usuario|autore)\b",
    re.IGNORECASE,
)
_DATE_CLASS = re.compile(r"date|time|stamp|posted|when|meta|ago|published|datum|zeit|fecha|data", re.IGNORECASE)
#: Attributes where pages put a machine-readable date.
_DATE_ATTRIBUTES = ("datetime", "content", "title", "data-content", "data-date", "data-timestamp", "data-time")
_DATE_ATTRIBUTE_XPATH = " or ".join(f"@{a}" for a in _DATE_ATTRIBUTES)
_DATED_ELEMENTS = etree.XPath(f"descendant-or-self::*[{_DATE_ATTRIBUTE_XPATH}]")
#: A class token naming a comment's text ("comment-content", "kommentar-text", "field-item").
_BODY_CLASS = re.compile(
    r"(?:^|[-_])(?:content|text|body|message|entry|field-item|commenttext|cmtbody|story|description)$",
    re.IGNORECASE,
)
_SAYS = re.compile(
    r"^\s*(?:\(\s*(?P<n1>\d+)\s*\)|#\s?(?P<n2>\d+)|(?P<n3>\d+)\.)?\s*(?P<name>.+?)\s*"
    r"(?:says|said(?:\.\.\.|…)?|wrote|schreibt|schrieb|sagt|meint|écrit|dit|dice|escribió|napisał\(a\)|napisał)"
    r"\s*(?::|\.\.\.|…)\s*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^\s*(?:\(\s*(\d{1,5})\s*\)|#\s?(\d{1,5})\b|(\d{1,5})\.(?!\d)|"
    r"(?:kommentar|comment|commentaire|komentarz|comentario)\s*(?:nr\.?|no\.?)?\s*#?\s*(\d{1,5})\b)",
    re.IGNORECASE,
)
_NOISE_LINE = re.compile(
    r"^(?:reply|antworten|répondre|responder|odpowiedz|report|melden|like|share|permalink|link|"
    r"quote|zitieren|flag|edit|delete|\d+\s+likes?|log in to reply|reply ↓|↓|↑)$",
    re.IGNORECASE,
)
_NOISE_XPATH = (
    ".//*[contains(@class, 'reply') or contains(@class, 'avatar') or contains(@class, 'vote')"
    " or contains(@class, 'report') or contains(@class, 'like') or self::form or self::button"
    " or self::script or self::style or self::noscript or self::img or contains(@class, 'says')"
    " or contains(@class, 'edit-link') or contains(@class, 'screen-reader')]"
)
_NOISE = etree.XPath(_NOISE_XPATH)
_MARKED = etree.XPath(".//*[@data-archiver-drop]")
#: Third-party comment services, by a marker their embed code leaves in the page.
_EXTERNAL = (
    ("disqus", ("disqus_thread", "disqus.com/embed", "disqus_shortname", "disqus_config")),
    ("facebook", ("fb-comments", "facebook.com/plugins/comments")),
    ("commento", ("commento",)),
    ("giscus", ("giscus.app",)),
    ("utterances", ("utteranc.es",)),
    ("coral", ("coral-talk", "coraltalk", "coralproject", "coral_thread")),
    ("viafoura", ("viafoura",)),
    ("openweb", ("spot.im", "openweb")),
    ("hyvor", ("hyvor",)),
    ("isso", ("isso-thread",)),
)
#: Phrases pages use to say their comments are closed (compared in lower case).
_CLOSED = (
    "comments are closed",
    "comments closed",
    "kommentare sind geschlossen",
    "kommentarfunktion ist deaktiviert",
    "kommentarfunktion deaktiviert",
    "kommentarfunktion geschlossen",
    "les commentaires sont fermés",
)
_MAX_COMMENTS = 20_000


@dataclass
class CommentsResult:
    """Comments found on a page, the page's comment status, and the elements they occupy."""

    comments: list[Comment] = field(default_factory=list)
    status: str = "none"
    regions: list[lxml.html.HtmlElement] = field(default_factory=list)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _classes(el: lxml.html.HtmlElement) -> str:
    """The class attribute with camelCase split ("commentAuthor" -> "comment-Author")."""
    return _CAMEL.sub("-", el.get("class", ""))


def _marker(el: lxml.html.HtmlElement) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}".strip()


def _signature(el: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and classes, without the ones that vary between comments (ids, depth, parity, kind)."""
    classes = el.get("class", "").split()
    tokens = {t for t in classes if not _STATE_TOKEN.search(t)}
    if {"pingback", "trackback"} & {c.lower() for c in classes}:
        tokens.add("comment")
    return el.tag if isinstance(el.tag, str) else "", " ".join(sorted(tokens))


def _kind(el: lxml.html.HtmlElement) -> str:
    classes = el.get("class", "").lower().split()
    return "pingback" if "pingback" in classes else "trackback" if "trackback" in classes else "comment"


# --- finding containers and items ----------------------------------------------------------


def _is_container(el: lxml.html.HtmlElement) -> bool:
    if not isinstance(el.tag, str) or el.tag in _NOT_CONTAINER_TAGS:
        return False
    tokens = [el.get("id", ""), *el.get("class", "").split()]
    return any(t and _CONTAINER.search(t) and not _NOT_CONTAINER.search(t) for t in tokens)


#: A cheap first filter for ids and classes that may name a comment area.
_MAYBE_CONTAINER = re.compile(
    r"omment|oment|eaction|esponse|iscussion|isqus|cmt|eplies|eserbrief|eader|alkback|eview|ommenti"
)


def _candidate_containers(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements named like a comment area, and parents of elements with comment ids, in document order."""
    found = []
    for el in tree.iter():
        marker = el.get("class"), el.get("id")
        if (marker[0] or marker[1]) and _MAYBE_CONTAINER.search(f"{marker[0]} {marker[1]}") and _is_container(el):
            found.append(el)
        elif marker[1] and _COMMENT_ID.match(marker[1]) and el.getparent() is not None:
            found.append(el.getparent())
    unique = set(found)
    return [el for el in tree.iter() if el in unique]


def _attribute_date(el: lxml.html.HtmlElement, now: datetime) -> tuple[ParsedDate, lxml.html.HtmlElement] | None:
    """A machine-readable date in an attribute of el or a descendant (datetime, content, title...)."""
    for candidate in _DATED_ELEMENTS(el):
        if candidate.tag in {"a", "img", "abbr"} and not candidate.get("datetime") and candidate.tag != "abbr":
            continue
        for name in _DATE_ATTRIBUTES:
            value = candidate.get(name)
            if value and value[:1].isdigit() and len(value) < 40:
                parsed = parse_date_full(value, now)
                if parsed:
                    return parsed, candidate
    return None


def _has_date(el: lxml.html.HtmlElement, now: datetime) -> bool:
    if el.find(".//time") is not None or el.tag == "time" or _attribute_date(el, now):
        return True
    return any(5 < len(text.strip()) < 80 and parse_date(text, now) for text in el.itertext())


def _looks_like_comment(el: lxml.html.HtmlElement, now: datetime) -> bool:
    """A date and some other text (a name, a body): not a bare timestamp or a heading."""
    texts = [t.strip() for t in el.itertext() if t.strip()]
    dates = [t for t in texts if len(t) < 80 and parse_date(t, now)]
    dated = bool(dates) or el.find(".//time") is not None or _attribute_date(el, now) is not None
    return dated and sum(len(t) for t in texts) - sum(len(t) for t in dates) > 3


@dataclass
class _Item:
    """One comment's elements: its root, or a header and the siblings up to the next header."""

    root: lxml.html.HtmlElement
    parts: list[lxml.html.HtmlElement]


#: Tags that are never a whole comment: inline markup, form controls, media, code.
_INLINE_TAGS = frozenset(
    ["a", "span", "b", "i", "em", "strong", "br", "p", "img", "time", "cite", "abbr", "textarea", "input",
     "button", "select", "option", "label", "form", "script", "style", "noscript", "svg", "iframe", "meta",
     "link", "template", "small", "sup", "sub", "u", "font", "h1", "h2", "h3", "h4", "h5", "h6"]
)  # fmt: skip


def _is_named(classes: str, members: list[lxml.html.HtmlElement]) -> bool:
    """Whether the group's class (or its members' ids) names a comment."""
    if any(_ITEM_CLASS.match(c) for c in classes.split()):
        return True
    return any(_ITEM_ID.match(m.get("id", "")) for m in members[:3])


def _group_items(container: lxml.html.HtmlElement, now: datetime) -> list[_Item]:
    """Descendants sharing a markup signature, each dated and with text: the comments.

    Groups whose class names a comment win over anonymous ones, and an anonymous element
    that wraps named comments is a wrapper, not a comment.
    """
    groups: dict[tuple[str, str], list[lxml.html.HtmlElement]] = defaultdict(list)
    for el in container.iterdescendants():
        if isinstance(el.tag, str) and el.tag not in _INLINE_TAGS and el.find(".//form") is None:
            groups[_signature(el)].append(el)
    named = {sig: _is_named(sig[1], members) for sig, members in groups.items()}
    named_members = {m for sig, members in groups.items() if named[sig] for m in members if _looks_like_comment(m, now)}
    best: list[lxml.html.HtmlElement] = []
    best_score = 0.0
    for sig, members in groups.items():
        if not named[sig]:
            members = [m for m in members if not any(d in named_members for d in m.iterdescendants())]
            if not members or max(Counter(id(m.getparent()) for m in members).values()) < 2:
                continue  # a repeated item has siblings like itself; a chain of wrappers does not
        dated = sum(1 for m in members[:50] if _looks_like_comment(m, now)) / min(len(members), 50)
        if dated < 0.5:
            continue
        depth = min(len(list(m.iterancestors())) for m in members)
        score = len(members) * dated * (2 if named[sig] else 1) - depth * 0.01
        if score > best_score:
            best, best_score = members, score
    return [_Item(m, [m]) for m in best]


def _segment_items(container: lxml.html.HtmlElement, now: datetime) -> list[_Item]:
    """Flat layouts: split a parent's children into runs that start like its first child."""
    best: list[_Item] = []
    for parent in [container, *container.iterdescendants()]:
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(children) < 4:
            continue
        header = _signature(children[0])
        items: list[_Item] = []
        for child in children:
            if _signature(child) == header:
                items.append(_Item(child, [child]))
            else:
                items[-1].parts.append(child)
        dated = sum(1 for i in items if any(_has_date(p, now) for p in i.parts))
        if len(items) >= 2 and all(len(i.parts) > 1 for i in items) and dated >= len(items) * 0.5:
            best = items if len(items) > len(best) else best
    return best


# --- reading one item ----------------------------------------------------------------------


def _nested(el: lxml.html.HtmlElement, roots: set[lxml.html.HtmlElement], item_root: lxml.html.HtmlElement) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is item_root:
            return False
        if ancestor in roots:
            return True
    return False


@lru_cache(maxsize=64)
def _compiled(xpath: str) -> etree.XPath:
    """An XPath compiled once: each comment of each page is searched with the same expressions."""
    return etree.XPath(xpath)


def _own(item: _Item, xpath: str, roots: set[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    found = []
    itself, below = _compiled("self::*" + xpath[4:]), _compiled(xpath)
    for part in item.parts:
        candidates = [part] if itself(part) else []
        candidates += below(part)
        found += [c for c in candidates if c is part or not _nested(c, roots, item.root)]
    return found


def _item_text(item: _Item, roots: set[lxml.html.HtmlElement], drop: tuple[lxml.html.HtmlElement, ...] = ()) -> str:
    """The item's own text: no nested comments, no reply links or avatars, nothing in drop."""
    chunks = [block_text(_strip(part, roots, item.root, drop)) for part in item.parts if part not in drop]
    return "\n\n".join(c for c in chunks if c)


def _strip(
    el: lxml.html.HtmlElement,
    roots: set[lxml.html.HtmlElement],
    root: lxml.html.HtmlElement,
    drop: tuple[lxml.html.HtmlElement, ...] = (),
) -> lxml.html.HtmlElement:
    """A copy of el without nested comments, the elements in drop, reply links, avatars and forms."""
    marks = [d for d in el.iterdescendants() if (d in roots and d is not root) or d in drop]
    for d in marks:
        d.set("data-archiver-drop", "")
    clone = copy.deepcopy(el)  # the subtree only (and its tail, which block_text does not read)
    clone.tail = None
    for d in marks:
        d.attrib.pop("data-archiver-drop", None)
    for unwanted in [*_MARKED(clone), *_NOISE(clone)]:
        if unwanted.getparent() is not None:
            unwanted.drop_tree()
    return clone


def _author(
    item: _Item, roots: set[lxml.html.HtmlElement]
) -> tuple[str | None, str | None, lxml.html.HtmlElement | None]:
    for el in _own(item, ".//*[@itemprop='author' or @itemprop='creator']", roots) + _own(
        item,
        ".//*[self::cite or self::b or self::strong or self::span or self::a or self::div or self::dt or self::p]",
        roots,
    ):
        if el is item.root or (
            el.get("itemprop") is None and not (_AUTHOR_CLASS.search(_classes(el)) or el.tag == "cite")
        ):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        name = _clean_author(inline_text(name_el if name_el is not None else el))
        if name and len(name) < 80:
            link = el if el.tag == "a" else el.find(".//a[@href]")
            url = link.get("href") if link is not None and (link.get("href") or "").startswith("http") else None
            return name, url, el
    return None, None, None


def _clean_author(text: str) -> str:
    m = _SAYS.match(text)
    if m:
        text = m["name"]
    text = _NUMBER.sub("", text).strip()
    return re.sub(r"^(?:by|von|par)\s+", "", text, flags=re.IGNORECASE).strip(" :|-–")


_NoDate: tuple[None, None, None] = (None, None, None)


def _date(
    item: _Item, roots: set[lxml.html.HtmlElement], now: datetime
) -> tuple[ParsedDate | None, str | None, lxml.html.HtmlElement | None]:
    """(parsed date, raw text, the element it came from) of the comment."""
    for el in _own(
        item,
        ".//*[@datetime or @itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']",
        roots,
    ):
        raw = el.get("datetime") or el.get("content") or inline_text(el)
        parsed = parse_date_full(raw, now)
        if parsed:
            return parsed, inline_text(el) or raw, el
    for el in _own(item, ".//*[@class]", roots):
        if _DATE_CLASS.search(_classes(el)) and not _AUTHOR_CLASS.search(_classes(el)):
            raw = inline_text(el)
            parsed = parse_date_full(raw, now) if len(raw) < 120 else None
            if parsed:
                return parsed, raw, el
    for el in _own(item, f".//*[{_DATE_ATTRIBUTE_XPATH}]", roots):
        found = _attribute_date(el, now) if el.tag not in {"a", "img"} else None
        if found:
            return found[0], next(el.get(a) for a in _DATE_ATTRIBUTES if el.get(a)), found[1]
    for line in _item_text(item, roots).split("\n")[:6]:
        parsed = parse_date_full(line, now) if len(line) < 80 else None
        if parsed:
            return parsed, clean(line), None
    return _NoDate


def _is_body_element(el: lxml.html.HtmlElement, item: _Item, author_el: lxml.html.HtmlElement | None) -> bool:
    classes = _classes(el).split()
    return (
        el is not item.root
        and any(_BODY_CLASS.search(c) for c in classes)
        and not any(_AUTHOR_CLASS.search(c) for c in classes)
        and not (author_el is not None and any(a is el for a in author_el.iterancestors()))
    )


def _title(item: _Item, roots: set[lxml.html.HtmlElement], bodies: list[lxml.html.HtmlElement]) -> str:
    """A comment's own headline (<h3>–<h6> outside its text), which belongs to what it says."""
    for el in _own(item, ".//*[self::h3 or self::h4 or self::h5 or self::h6]", roots):
        if not any(b in bodies for b in el.iterancestors()) and not _AUTHOR_CLASS.search(_classes(el)):
            return inline_text(el)
    return ""


def _body(item: _Item, roots: set[lxml.html.HtmlElement], drop: tuple[lxml.html.HtmlElement, ...]) -> str:
    """The comment's text: its text element by convention, else its text without name and date."""
    author_el = drop[0] if drop else None
    bodies = _own(item, ".//*[@itemprop='text' or @itemprop='commentText' or @itemprop='reviewBody']", roots)
    if not bodies:
        bodies = [
            el for el in _own(item, ".//*[@class]", roots) if el not in drop and _is_body_element(el, item, author_el)
        ]
        bodies = [b for b in bodies if not any(a in bodies for a in b.iterancestors())]
    text = "\n\n".join(t for t in (block_text(_strip(b, roots, item.root, drop)) for b in bodies) if t)
    if not text:
        return _body_from_lines(_item_text(item, roots, drop))
    title = _title(item, roots, bodies)
    return f"{title}\n\n{text}" if title and title not in text else text


def _body_from_lines(text: str) -> str:
    """The item's text without its header lines (number, name, "says:", date) and links."""
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    header_done = False
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            is_header = not header_done and (
                _SAYS.match(line) or (len(line) < 80 and parse_date(line)) or _NUMBER.fullmatch(line.strip())
            )
            if is_header or _NOISE_LINE.match(line.strip()):
                continue
            lines.append(line)
        if lines:
            header_done = True
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


def _number(item: _Item, roots: set[lxml.html.HtmlElement]) -> int | None:
    for el in _own(
        item, ".//*[contains(@class, 'number') or contains(@class, 'count') or contains(@class, 'num')]", roots
    ):
        m = re.fullmatch(r"\s*[#(]?\s*(\d{1,5})\s*[).:]?\s*", inline_text(el))
        if m:
            return int(m[1])
    lines = _item_text(item, roots).split("\n")[:4]
    for line in lines:
        m = _NUMBER.match(line)
        if m and (_SAYS.match(line) or len(line) < 40 or line.lstrip().startswith(("(", "#"))):
            return int(next(g for g in m.groups() if g))
    return None


def _anchor(item: _Item) -> str | None:
    """The page's own id for the comment: its permalink's target, else the item's id."""
    root = item.root
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for link in root.iterfind(".//a[@href]"):
        fragment = link.get("href", "").partition("#")[2]
        if fragment in ids and fragment != "respond":
            return fragment
    if root.get("id"):
        return root.get("id")
    for el in root.iterfind(".//*[@id]"):
        if re.search(r"\d", el.get("id", "")):
            return el.get("id")
    prev = root.getprevious()
    if prev is not None and prev.tag == "a" and (prev.get("id") or prev.get("name")):
        return prev.get("id") or prev.get("name")
    return None


_LABEL = re.compile(r"^(?:pingback|trackback)\s*:\s*", re.IGNORECASE)


def _profile_roles(
    item: _Item, rules: dict[str, Rule], now: datetime
) -> tuple[str | None, ParsedDate | None, str | None, str | None]:
    """(author, date, raw date, body) by a site profile's comment selectors, where it has them."""
    author = next(iter(rules["author"].values(item.root)), None) if "author" in rules else None
    raw = next(iter(rules["date"].values(item.root)), None) if "date" in rules else None
    body = "\n\n".join(rules["body"].values(item.root)) if "body" in rules else None
    return author, parse_date_full(raw, now), raw, body


def _read_item(
    item: _Item, roots: set[lxml.html.HtmlElement], now: datetime, rules: dict[str, Rule] | None = None
) -> Comment:
    author, author_url, author_el = _author(item, roots)
    parsed, raw, date_el = _date(item, roots, now)
    if rules:
        p_author, p_parsed, p_raw, p_body = _profile_roles(item, rules, now)
        author, (parsed, raw) = p_author or author, (p_parsed, p_raw) if p_parsed else (parsed, raw)
    number = _number(item, roots)
    kind = _kind(item.root)
    drop = tuple(e for e in (author_el, date_el) if e is not None)
    body = p_body if rules and p_body is not None else _body(item, roots, drop)
    if kind != "comment":
        body = _LABEL.sub("", body)
        author = author or _pingback_source(item)
    author = (
        author or _author_from_text(_item_text(item, roots)) or (_name_before_date(raw) if date_el is None else None)
    )
    if author is None:
        author, body = _leading_name(body)
    return Comment(
        number=number,
        number_source="page" if number is not None else "order",
        author=author,
        author_url=author_url,
        published=parsed.iso if parsed else None,
        published_raw=raw,
        published_relative=parsed.relative if parsed else None,
        body=body,
        anchor=_anchor(item),
        kind=kind,
    )


def _read_items(items: list[_Item], now: datetime, rules: dict[str, Rule] | None = None) -> list[Comment]:
    """Comments in reading order; numbers as the page shows them, else by position."""
    roots = {i.root for i in items}
    index_of: dict[lxml.html.HtmlElement, int] = {}
    comments: list[Comment] = []
    parents: list[int | None] = []  # the index of each comment's parent: numbers may repeat
    for position, item in enumerate(items[:_MAX_COMMENTS], start=1):
        comment = _read_item(item, roots, now, rules)
        if comment.number is None:
            comment.number = position
        parent_item = _parent_item(item.root, roots)
        parents.append(index_of.get(parent_item) if parent_item is not None else None)
        index_of[item.root] = len(comments)
        comments.append(comment)
    comments = _renumber_if_inconsistent(comments)
    for comment, parent in zip(comments, parents, strict=True):
        comment.parent = comments[parent].number if parent is not None else None
    return comments


def _parent_item(root: lxml.html.HtmlElement, roots: set[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The comment this one is nested in, or that precedes the reply block it sits in."""
    nested = next((a for a in root.iterancestors() if a in roots), None)
    if nested is not None:
        return nested
    for level, ancestor in enumerate(root.iterancestors()):
        if level > 2:
            break
        previous = ancestor.getprevious()
        while previous is not None and previous.tag == "a" and not len(previous):
            previous = previous.getprevious()
        if previous is not None and previous in roots:
            return previous
    return None


def _name_before_date(line: str | None) -> str | None:
    """ "Ellie Watts 10 April 2022, 15:30": the name on a comment's date line."""
    name = re.split(r"\d", line or "", maxsplit=1)[0].strip(" ,;:|-–—·")
    words = name.split()
    return name if 1 <= len(words) <= 4 and not _MONTH_OR_DAY.search(name) else None


_MONTH_OR_DAY = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|januar|februar|märz|mai|juni|juli|oktober|dezember|mon|tue|wed|thu|"
    r"fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|am|um|on|le|el|il|posted|written)\b",
    re.IGNORECASE,
)


def _leading_name(body: str) -> tuple[str | None, str]:
    """A short first line that is a name (a few words, no digits) before the text: the author."""
    first_line, _, rest = body.partition("\n")
    words = first_line.split()
    if rest.strip() and 1 <= len(words) <= 4 and len(first_line) <= 40 and not re.search(r"\d|[.!?:;]$", first_line):
        return first_line.strip(), rest.strip()
    return None, body


def _author_from_text(text: str) -> str | None:
    for line in text.split("\n")[:4]:
        m = _SAYS.match(line)
        if m and len(m["name"]) < 80:
            return clean(m["name"])
    return None


def _pingback_source(item: _Item) -> str | None:
    link = item.root.find(".//a[@href]")
    return inline_text(link) if link is not None else None


def _renumber_if_inconsistent(comments: list[Comment]) -> list[Comment]:
    """Page numbers must be unique; where they are not, fall back to reading order (parents set after)."""
    numbers = [c.number for c in comments if c.number_source == "page"]
    if numbers and len(set(numbers)) == len(numbers) and len(numbers) == len(comments):
        return comments
    for position, comment in enumerate(comments, start=1):
        comment.number, comment.number_source = position, "order"
    return comments


# --- structured comments -------------------------------------------------------------------


def _microdata_items(tree: lxml.html.HtmlElement) -> list[_Item]:
    scopes = [
        el
        for el in tree.iterfind(".//*[@itemtype]")
        if re.search(r"schema\.org/(?:Comment|UserComments)$", el.get("itemtype", "").rstrip("/"))
    ]
    return [_Item(el, [el]) for el in scopes]


def _jsonld_comments(data: StructuredData, now: datetime) -> list[Comment]:
    raw = data.article.get("comment") if data.article else None
    entries = [data.resolve(e) for e in (raw if isinstance(raw, list) else [raw] if raw else [])]
    comments = []
    for position, entry in enumerate(e for e in entries if isinstance(e, dict) and "Comment" in node_types(e)):
        author = data.resolve(entry.get("author"))
        name = author.get("name") if isinstance(author, dict) else author
        date_raw = entry.get("dateCreated") or entry.get("datePublished")
        comments.append(
            Comment(
                number=position + 1,
                number_source="order",
                author=clean(str(name)) if name else None,
                published=parse_date(str(date_raw), now) if date_raw else None,
                published_raw=str(date_raw) if date_raw else None,
                body=clean(str(entry.get("text") or "")) or None,
            )
        )
    return comments


def _status_without_comments(page: Page) -> str:
    text = page.text.lower()
    for name, markers in _EXTERNAL:
        if any(marker in text for marker in markers):
            return f"external:{name}"
    return "closed" if any(phrase in text for phrase in _CLOSED) else "none"


def extract_comments(
    page: Page, data: StructuredData, now: datetime, rules: dict[str, Rule] | None = None
) -> CommentsResult:
    """All reader comments of the page in reading order, with the page's comment status.

    ``rules`` are a site profile's comment selectors ("item", "author", "date", "body").
    """
    if rules and "item" in rules:
        items = [_Item(el, [el]) for el in rules["item"].elements(page.tree)]
    else:
        items = _microdata_items(page.tree)
    if not items:
        done: list[lxml.html.HtmlElement] = []
        for container in _candidate_containers(page.tree):
            if any(a in done for a in container.iterancestors()):
                continue
            grouped, segmented = _group_items(container, now), _segment_items(container, now)
            same_roots = [i.root for i in segmented] == [i.root for i in grouped]
            found = segmented if len(segmented) > len(grouped) or (segmented and same_roots) else grouped
            if found:
                items += found
                done.append(container)
    regions = _regions(items)
    comments = [c for c in _read_items(items, now, rules) if c.body or c.author]
    if not comments:
        comments = _jsonld_comments(data, now)
    if not comments:
        return CommentsResult([], _status_without_comments(page), regions)
    return CommentsResult(comments, "present", regions)


def _regions(items: list[_Item]) -> list[lxml.html.HtmlElement]:
    """The smallest element holding every item (what the body must not contain)."""
    if not items:
        return []
    common = [items[0].root, *items[0].root.iterancestors()]
    for item in items[1:]:
        ancestors = {id(a) for a in (item.root, *item.root.iterancestors())}
        common = [c for c in common if id(c) in ancestors]
    if not common or common[0].tag in {"body", "html"}:
        return [part for item in items for part in item.parts]
    return [common[0]]
