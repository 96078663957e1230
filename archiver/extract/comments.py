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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html

from archiver.extract.dates import ParsedDate, parse_date, parse_date_full
from archiver.extract.document import Page
from archiver.extract.structured import StructuredData, _types
from archiver.extract.text import block_text, clean, inline_text
from archiver.items import Comment

#: A class token or id that names a comment area (matched token by token).
_CONTAINER = re.compile(
    r"comment|kommentar|commentaire|komentarz|comentario|commenti|reactions?$|responses$|discussion|"
    r"disqus|^cmts?$|leserbrief|reader-?resp|^replies$|^talkback",
    re.IGNORECASE,
)
_NOT_CONTAINER = re.compile(
    r"respond|form$|comment-?form|commentform|reply|-?(?:link|count|number|num|icon|title|header|closed|"
    r"rss|feed|nav|navigation|pagination|policy|rules|button|btn|author|meta|date|avatar|content|text|"
    r"body)s?$|no-?comments|add-?comment|write-?comment|post-?comment|leave|share|social|related|teaser|"
    r"newsletter|open$",
    re.IGNORECASE,
)
_NOT_CONTAINER_TAGS = frozenset(
    ["html", "body", "a", "span", "form", "button", "textarea", "input", "h1", "h2", "h3", "h4", "h5", "h6",
     "p", "img", "time", "cite", "b", "strong", "em", "i", "label", "script", "style", "noscript"]
)  # fmt: skip
_ITEM_CLASS = re.compile(
    r"^(?:comment|comments-item|comment-item|cmt|kommentar|comentario|commento|user-comment|"
    r"reader-comment|single-comment|pingback|trackback|reply|response|post|c-comment|"
    r"comment-wrapper|comment-entry|commentary)$",
    re.IGNORECASE,
)
_STATE_TOKEN = re.compile(
    r"\d|^(?:odd|even|alt|first|last|parent|byuser|bypostauthor|clearfix|thread-\w+|depth-\w+|"
    r"comment-author-.*|has-\w+|is-\w+|highlighted|new|unread|author|hentry|reply|pingback|trackback)$",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(
    r"\b(?:fn|author|comment-author|comment-author-name|username|user-?name|user|name|nick(?:name)?|"
    r"commenter|poster|by)\b",
    re.IGNORECASE,
)
_DATE_CLASS = re.compile(r"date|time|stamp|posted|when|meta|ago|published", re.IGNORECASE)
_BODY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:content|text|body|message|entry|comment-?text|comment-?content|comment-?body|"
    r"commenttext|field-item|cmtbody|cmt-?text)(?:$|[\s_-])",
    re.IGNORECASE,
)
_SAYS = re.compile(
    r"^\s*(?:\(\s*(?P<n1>\d+)\s*\)|#\s?(?P<n2>\d+)|(?P<n3>\d+)\.)?\s*(?P<name>.+?)\s*"
    r"(?:says|said(?:\.\.\.|…)?|wrote|schreibt|schrieb|sagt|meint|écrit|dit|dice|escribió|napisał\(a\)|napisał)"
    r"\s*[:.…]*\s*$",
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
_CLOSED = re.compile(
    r"comments are closed|comments closed|kommentare sind geschlossen|kommentarfunktion (?:ist )?"
    r"(?:deaktiviert|geschlossen)|les commentaires sont fermés",
    re.IGNORECASE,
)
_MAX_COMMENTS = 20_000


@dataclass
class CommentsResult:
    """Comments found on a page, the page's comment status, and the elements they occupy."""

    comments: list[Comment] = field(default_factory=list)
    status: str = "none"
    regions: list[lxml.html.HtmlElement] = field(default_factory=list)


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


def _candidate_containers(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements named like a comment area, in document order (outer before inner)."""
    return [el for el in tree.iter() if _is_container(el)]


def _has_date(el: lxml.html.HtmlElement, now: datetime) -> bool:
    if el.find(".//time") is not None or el.tag == "time":
        return True
    return any(5 < len(text.strip()) < 80 and parse_date(text, now) for text in el.itertext())


def _looks_like_comment(el: lxml.html.HtmlElement, now: datetime) -> bool:
    """A date and some other text (a name, a body): not a bare timestamp or a heading."""
    texts = [t.strip() for t in el.itertext() if t.strip()]
    dates = [t for t in texts if len(t) < 80 and parse_date(t, now)]
    dated = bool(dates) or el.find(".//time") is not None
    return dated and sum(len(t) for t in texts) - sum(len(t) for t in dates) > 3


@dataclass
class _Item:
    """One comment's elements: its root, or a header and the siblings up to the next header."""

    root: lxml.html.HtmlElement
    parts: list[lxml.html.HtmlElement]


_INLINE_TAGS = frozenset(["a", "span", "b", "i", "em", "strong", "br", "p", "img", "time", "cite", "abbr"])


def _group_items(container: lxml.html.HtmlElement, now: datetime) -> list[_Item]:
    """Descendants sharing a markup signature, each dated and with text: the comments."""
    groups: dict[tuple[str, str], list[lxml.html.HtmlElement]] = defaultdict(list)
    for el in container.iterdescendants():
        if isinstance(el.tag, str) and el.tag not in _INLINE_TAGS and el.find(".//textarea") is None:
            groups[_signature(el)].append(el)
    best: list[lxml.html.HtmlElement] = []
    best_score = 0.0
    for (_tag, classes), members in groups.items():
        named = any(_ITEM_CLASS.match(c) for c in classes.split()) or any(
            _ITEM_CLASS.match(t) for m in members[:3] for t in re.split(r"[-_\d]+", m.get("id", "")) if t
        )
        if len(members) < 2 and not named:
            continue
        dated = sum(1 for m in members[:50] if _looks_like_comment(m, now)) / min(len(members), 50)
        if dated < 0.5:
            continue
        depth = min(len(list(m.iterancestors())) for m in members)
        score = len(members) * dated * (2 if named else 1) - depth * 0.01
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


def _own(item: _Item, xpath: str, roots: set[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    found = []
    for part in item.parts:
        candidates = [part] if part.xpath("self::*" + xpath[4:]) else []
        candidates += part.xpath(xpath)
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
    clone = lxml.html.fromstring(lxml.html.tostring(el))
    for d in marks:
        d.attrib.pop("data-archiver-drop", None)
    for unwanted in [*clone.xpath(".//*[@data-archiver-drop]"), *clone.xpath(_NOISE_XPATH)]:
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
        if el.get("itemprop") is None and not (_AUTHOR_CLASS.search(el.get("class", "")) or el.tag == "cite"):
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
        if _DATE_CLASS.search(el.get("class", "")) and not _AUTHOR_CLASS.search(el.get("class", "")):
            raw = inline_text(el)
            parsed = parse_date_full(raw, now) if len(raw) < 120 else None
            if parsed:
                return parsed, raw, el
    for line in _item_text(item, roots).split("\n")[:6]:
        parsed = parse_date_full(line, now) if len(line) < 80 else None
        if parsed:
            return parsed, clean(line), None
    return _NoDate


def _body(item: _Item, roots: set[lxml.html.HtmlElement], drop: tuple[lxml.html.HtmlElement, ...]) -> str:
    """The comment's text: its text element by convention, else its text without name and date."""
    author_el = drop[0] if drop else None
    bodies = _own(item, ".//*[@itemprop='text' or @itemprop='commentText']", roots)
    if not bodies:
        bodies = [
            el
            for el in _own(item, ".//*[@class]", roots)
            if _BODY_CLASS.search(el.get("class", ""))
            and el is not item.root
            and not _AUTHOR_CLASS.search(el.get("class", ""))
            and not (author_el is not None and any(a is el for a in author_el.iterancestors()))
        ]
        bodies = [b for b in bodies if not any(a in bodies for a in b.iterancestors())]
    if bodies:
        return "\n\n".join(t for t in (block_text(_strip(b, roots, item.root)) for b in bodies) if t)
    return _body_from_lines(_item_text(item, roots, drop))


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
    root = item.root
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


def _read_item(item: _Item, roots: set[lxml.html.HtmlElement], now: datetime) -> Comment:
    author, author_url, author_el = _author(item, roots)
    parsed, raw, date_el = _date(item, roots, now)
    number = _number(item, roots)
    kind = _kind(item.root)
    drop = tuple(e for e in (author_el, date_el) if e is not None)
    body = _body(item, roots, drop)
    if kind != "comment":
        body = _LABEL.sub("", body)
        author = author or _pingback_source(item)
    return Comment(
        number=number,
        number_source="page" if number is not None else "order",
        author=author or _author_from_text(_item_text(item, roots)),
        author_url=author_url,
        published=parsed.iso if parsed else None,
        published_raw=raw,
        published_relative=parsed.relative if parsed else None,
        body=body,
        anchor=_anchor(item),
        kind=kind,
    )


def _read_items(items: list[_Item], now: datetime) -> list[Comment]:
    """Comments in reading order; numbers as the page shows them, else by position."""
    roots = {i.root for i in items}
    number_of: dict[lxml.html.HtmlElement, int] = {}
    comments: list[Comment] = []
    for position, item in enumerate(items[:_MAX_COMMENTS], start=1):
        comment = _read_item(item, roots, now)
        if comment.number is None:
            comment.number = position
        parent_item = _parent_item(item.root, roots)
        comment.parent = number_of.get(parent_item) if parent_item is not None else None
        number_of[item.root] = comment.number
        comments.append(comment)
    return _renumber_if_inconsistent(comments)


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
    """Page numbers must be unique; where they are not, fall back to reading order."""
    numbers = [c.number for c in comments if c.number_source == "page"]
    if numbers and len(set(numbers)) == len(numbers) and len(numbers) == len(comments):
        return comments
    old_to_new = {}
    for position, comment in enumerate(comments, start=1):
        old_to_new[id(comment)] = position
    by_old = {c.number: i + 1 for i, c in enumerate(comments)}
    for position, comment in enumerate(comments, start=1):
        if comment.parent is not None:
            comment.parent = by_old.get(comment.parent)
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
    for position, entry in enumerate(e for e in entries if isinstance(e, dict) and "Comment" in _types(e)):
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
    return "closed" if _CLOSED.search(text) else "none"


def extract_comments(page: Page, data: StructuredData, now: datetime) -> CommentsResult:
    """All reader comments of the page in reading order, with the page's comment status."""
    items = _microdata_items(page.tree)
    if not items:
        done: list[lxml.html.HtmlElement] = []
        for container in _candidate_containers(page.tree):
            if any(a in done for a in container.iterancestors()):
                continue
            grouped, segmented = _group_items(container, now), _segment_items(container, now)
            found = segmented if len(segmented) > len(grouped) else grouped
            if found:
                items += found
                done.append(container)
    regions = _regions(items)
    comments = [c for c in _read_items(items, now) if c.body or c.author]
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
