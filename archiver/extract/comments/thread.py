"""Locating the thread: the elements named like a comment area, and the comments in each, found as
a group of descendants sharing one markup signature or as runs of siblings that start alike.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from urllib.parse import urldefrag

import lxml.html

from archiver.extract.comments.scan import Item, Scan
from archiver.extract.comments.view import REMEMBERED_CLASS, roles_of
from archiver.extract.comments.vocabulary import (
    AUTHOR_CLASS,
    COMMENT_ID,
    CONTAINER,
    COUNT_TEXT,
    INLINE_TAGS,
    ITEM_CLASS,
    ITEM_ID,
    LOAD_COMMENTS,
    MAYBE_CONTAINER,
    NO_COMMENTS,
    NOT_CONTAINER,
    NOT_CONTAINER_TAGS,
    NOT_POST_CLASS,
    OPENING_POST,
    POST_ID,
    STATE_TOKEN,
)
from archiver.urls import join_url


def find_items(scan: Scan) -> list[Item]:
    """The items of each candidate container that has some and is not inside one that has."""
    items: list[Item] = []
    done: set[lxml.html.HtmlElement] = set()
    # whether an element or an ancestor is done, remembered: containers come in document order,
    # so no container done later is an ancestor of an element asked about before
    inside_done: dict[lxml.html.HtmlElement, bool] = {}
    for container in _candidate_containers(scan):
        if _inside_done(container.getparent(), done, inside_done):
            continue
        if _heading_says_none(container):
            done.add(container)  # "Kommentare (0)": nothing in it is a comment (a form's notice, a login prompt)
            continue
        grouped, segmented = _group_items(container, scan), _segment_items(container, scan)
        same_roots = [i.root for i in segmented] == [i.root for i in grouped]
        found = segmented if len(segmented) > len(grouped) or (segmented and same_roots) else grouped
        if found:
            items += [i for i in _after_comments_heading(found) if not _is_opening_post(i.root)]
            done.add(container)
    return _without_page_post(items, scan)


def _without_page_post(items: list[Item], scan: Scan) -> list[Item]:
    """The items without those at the start that are the page's own post, repeated in the list.

    A forum's topic (Invision Community before version 5) lists its opening post first among the
    replies, marked up as they are; the page's header, before them, gives the topic's start as the
    page's first ``<time>``, with the same date and time to the second, and so does a sponsor's post
    placed after it. No reply is posted at the very second the page was.
    """
    if not items:
        return items
    times = (t for part in items[0].parts for t in part.iter("time"))
    stamp = next((t.get("datetime", "") for t in times if len(t.get("datetime", "")) > 10), "")
    if not stamp:
        return items
    first = items[0].root
    for el in scan.elements:  # the page's first dated <time>, before the items: the page's own date
        if el is first:
            return items
        if el.tag == "time" and len(el.get("datetime", "")) > 10:
            if el.get("datetime") != stamp:
                return items
            break
    else:
        return items
    rest = items[1:]
    while rest and any(t.get("datetime") == stamp for part in rest[0].parts for t in part.iter("time")):
        rest = rest[1:]
    return rest


def _heading_says_none(container: lxml.html.HtmlElement) -> bool:
    """Whether the first heading of a comment area counts no comment ("Kommentare (0)", "No comments")."""
    heading = next(container.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
    if heading is None:
        return False
    text = " ".join(heading.text_content().split())
    return len(text) <= 40 and shown_count(text) == 0


def shown_count(text: str) -> int | None:
    """The count of comments a short text shows ("2 Kommentare", "Comments (48)"; "No comments": 0),
    1 for a "load comments" control (there are some to load), None where it shows neither."""
    if text.lower().rstrip(":") in NO_COMMENTS:
        return 0
    count = COUNT_TEXT.match(text)
    if count and (count.group("n1") or count.group("n2")):  # a heading "Comments" alone counts nothing
        return int(count.group("n1") or count.group("n2"))
    if text.lower() in LOAD_COMMENTS:
        return 1
    return None


def _is_opening_post(el: lxml.html.HtmlElement) -> bool:
    """Whether the forum's software marks el as the thread's opening post (the page's body)."""
    return any(el.get(name) is not None for name in OPENING_POST)


def _after_comments_heading(items: list[Item]) -> list[Item]:
    """The items after an element among them that names the comment area ("<h2 id='comments'>",
    itself no item): the items before it are the page's own post (a forum thread's opening post,
    marked up as its replies are)."""
    parent = items[0].root.getparent()
    if len(items) < 2 or any(i.root.getparent() is not parent for i in items):
        return items
    roots = {i.root for i in items}
    first = items[0].root
    for sibling in first.itersiblings():
        if sibling is items[-1].root:
            break  # no item after it
        if sibling in roots:
            continue
        ident = sibling.get("id", "")
        if ident and _names_container(ident) and not ITEM_ID.match(ident) and sibling.text_content().strip():
            after = set(sibling.itersiblings())
            return [i for i in items if i.root in after]  # the last item is after it
    return items


def thread_posts(scan: Scan) -> list[Item] | None:
    """The replies of a forum thread, or None where the page is not one.

    A thread's posts carry ids by their software's convention (``POST_ID``) on elements of one tag,
    each dated and with text. The first post on the page is the thread's body, not a reply; where
    an element before the first of them looks like it (same tag, a class in common) without such
    an id, that element is the body and every post with an id is a reply, and so is every post of a
    discussion under an article (posts in an element named like a comment area).
    """
    groups: dict[str, list[lxml.html.HtmlElement]] = defaultdict(list)
    for el, ident in scan.ids:
        if (
            POST_ID.match(ident)
            and isinstance(el.tag, str)
            and el.tag not in INLINE_TAGS
            and not NOT_POST_CLASS.search(el.get("class", ""))
        ):
            groups[el.tag].append(el)
    best: list[lxml.html.HtmlElement] = []
    for members in groups.values():  # all of them: a page's broken markup may nest one post in another
        if len(members) > len(best) and _posts_look_like_posts(members, scan):
            best = members
    if not best:
        return None
    opening_apart = _opening_post_before(best[0]) or any(is_container(a) for a in best[0].iterancestors())
    replies = best if opening_apart else best[1:]
    return [Item(m, [m]) for m in replies]


def _posts_look_like_posts(members: list[lxml.html.HtmlElement], scan: Scan) -> bool:
    """Two posts or more, most of them dated and with text, and not teasers of other pages."""
    if len(members) < 2:
        return False
    sample = members[:50]
    if sum(1 for m in sample if _is_teaser(m, scan.url)) * 2 >= len(sample):
        return False
    return sum(1 for m in sample if scan.looks_like_comment(m)) * 2 >= len(sample)


def _is_teaser(el: lxml.html.HtmlElement, url: str) -> bool:
    """Whether el's first heading links to another page: an entry of a list of articles, not a post.

    A post's heading may link to the post itself, with a fragment ("#p123"), or name its author:
    neither is another article.
    """
    heading = next((h for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6")), None)
    if heading is None:
        return False
    link = next(heading.iter("a"), None)
    if link is None:
        link = next((a for a in heading.iterancestors("a")), None)
    if link is None or any(AUTHOR_CLASS.search(e.get("class", "")) for e in (heading, link)):
        return False  # a heading that names the post's author (XenForo's "message-name")
    href = (link.get("href") or "").strip()
    target = join_url(url, href) if href and "#" not in href else None
    return target is not None and urldefrag(target)[0] != urldefrag(url)[0]


def _mostly_elsewhere(items: list[Item], url: str) -> bool:
    """Whether most items are entries pointing to another page: a list of recent comments on other
    articles ("Anna on <a>Another post</a>", "06.11.23 von Anna zu <a>Another post</a>"), of
    articles or of threads, whose text is mostly a link's away from this page.

    A pingback (by its class) is a link to another page too, and a comment all the same.
    """
    elsewhere, left = 0, len(items)
    for item in items:  # counted until the answer is known
        left -= 1
        if not _is_ping(item.root) and _points_elsewhere(item, url):
            elsewhere += 1
            if elsewhere * 2 > len(items):
                return True
        elif (elsewhere + left) * 2 <= len(items):
            return False
    return False


def _points_elsewhere(item: Item, url: str) -> bool:
    """Whether at least half of the item's text is the text of links to other pages than ``url``.

    The links are read first: where none points away (a comment's permalink, its reply link), the
    answer is no whatever the item's text, which is then not read (a comment's text holds its replies').
    """
    away = 0
    here = urldefrag(url)[0]
    for part in item.parts:
        for link in part.iter("a"):
            href = (link.get("href") or "").strip()
            if href.startswith(("#", "javascript:", "mailto:")) or not href:
                continue
            target = join_url(url, href)
            if target is not None and urldefrag(target)[0] != here:
                away += len("".join(link.text_content().split()))
    if not away:
        return False
    total = sum(len("".join(part.text_content().split())) for part in item.parts)
    return total > 0 and away * 2 >= total


def _opening_post_before(first: lxml.html.HtmlElement) -> bool:
    """Whether a sibling before the first post with an id looks like a post: the same tag, a class in common."""
    classes = set(_stable_classes(first.get("class", "")).split())
    if not classes:
        return False
    for sibling in first.itersiblings(preceding=True):
        if sibling.tag == first.tag and classes & set(_stable_classes(sibling.get("class", "")).split()):
            return True
    return False


def _inside_done(
    el: lxml.html.HtmlElement | None, done: set[lxml.html.HtmlElement], known: dict[lxml.html.HtmlElement, bool]
) -> bool:
    walked, answer = [], False
    while el is not None:
        if el in done or known.get(el):
            answer = True
            break
        if el in known:
            break
        walked.append(el)
        el = el.getparent()
    known.update(dict.fromkeys(walked, answer))
    return answer


def regions_of(items: list[Item]) -> list[lxml.html.HtmlElement]:
    """The smallest element holding every item (what the body must not contain)."""
    if not items:
        return []
    common = [items[0].root, *items[0].root.iterancestors()]
    # For each element walked, the position in common of its nearest ancestor-or-self there:
    # each walk up stops at an element already known, so the walks are linear in the page.
    known = {el: position for position, el in enumerate(common)}
    lowest = 0
    for item in items[1:]:
        walked, el = [], item.root
        while el is not None and el not in known:
            walked.append(el)
            el = el.getparent()
        if el is None:
            return [part for item in items for part in item.parts]  # in another tree: no common ancestor
        position = known[el]
        known.update(dict.fromkeys(walked, position))
        lowest = max(lowest, position)
    region = common[lowest]
    if region.tag in {"body", "html"} or (not is_container(region) and _holds_more_than(region, items)):
        return [part for item in items for part in item.parts]
    return [region]


def _holds_more_than(region: lxml.html.HtmlElement, items: list[Item]) -> bool:
    """Whether an element that is no comment area holds text of its own beside the items (a forum
    thread's opening post beside its replies): then the items alone are the comments' region."""
    inside = sum(len("".join(part.text_content().split())) for item in items for part in item.parts)
    return len("".join(region.text_content().split())) - inside > 100


def _candidate_containers(scan: Scan) -> list[lxml.html.HtmlElement]:
    """Elements named like a comment area, and parents of elements with comment ids, in document order."""
    found = set()
    for el, classes, ident in scan.named:  # an element with neither is no candidate
        maybe = (classes and _may_name_container_class(classes)) or (ident and MAYBE_CONTAINER.search(ident))
        if maybe and is_container(el):
            found.add(el)
            if classes and _repeated_sibling(el):  # "MtnComment" after "MtnComment": each one comment
                found.add(el.getparent())
        elif ident and COMMENT_ID.match(ident) and el.getparent() is not None:
            found.add(el.getparent())
    return [el for el in scan.elements if el in found] if found else []


def _repeated_sibling(el: lxml.html.HtmlElement) -> bool:
    """Whether the next element of el's tag among its siblings has el's class: a class that names a
    comment area on elements repeated side by side names one comment each, and their parent holds them."""
    parent = el.getparent()
    if parent is None or parent.tag in {"body", "html"}:
        return False
    following = next(el.itersiblings(el.tag), None)
    return following is not None and following.get("class") == el.get("class")


def is_container(el: lxml.html.HtmlElement) -> bool:
    """Whether the element's id or class names a comment area (not a part of one, not its form)."""
    if not isinstance(el.tag, str) or el.tag in NOT_CONTAINER_TAGS:
        return False
    ident = el.get("id", "")
    classes = el.get("class", "")
    if bool(ident) and _id_names_container(ident):
        return True
    return _remember_names_container(classes) if len(classes) < REMEMBERED_CLASS else _class_names_container(classes)


def _class_names_container(classes: str) -> bool:
    """Whether a class token names a comment area (a short attribute found once: ``REMEMBERED_CLASS``)."""
    return any(_names_container(t) for t in classes.split())


_remember_names_container = lru_cache(maxsize=4096)(_class_names_container)


def _names_container(token: str) -> bool:
    return CONTAINER.search(token) is not None and NOT_CONTAINER.search(token) is None


#: A run of digits in an id: "comment-45" and "comment-46" are one shape of id, "comment-0".
_DIGITS = re.compile(r"\d+")


def _id_names_container(ident: str) -> bool:
    """``_names_container(ident)``, found once for each shape of id (its runs of digits as one "0").

    Neither CONTAINER nor NOT_CONTAINER matches a digit, so no match of either holds one and ids of
    one shape get one answer; a page numbers its comments' ids, each asked once, where the shape
    repeats. A long id is worked out each time (``REMEMBERED_CLASS``).
    """
    if len(ident) >= REMEMBERED_CLASS:
        return _names_container(ident)
    return _remember_id_names_container(_DIGITS.sub("0", ident))


_remember_id_names_container = lru_cache(maxsize=4096)(_names_container)


def _may_name_container_class(classes: str) -> bool:
    """Whether a class attribute may name a comment area, a short one found once (``REMEMBERED_CLASS``)."""
    return _remember_may_name(classes) if len(classes) < REMEMBERED_CLASS else _may_name_container(classes)


def _may_name_container(classes: str) -> bool:
    return MAYBE_CONTAINER.search(classes) is not None


_remember_may_name = lru_cache(maxsize=4096)(_may_name_container)


def _group_items(container: lxml.html.HtmlElement, scan: Scan) -> list[Item]:
    """Descendants sharing a markup signature, each dated and with text: the comments.

    Groups whose class names a comment win over anonymous ones, and an anonymous element
    that wraps named comments is a wrapper, not a comment.
    """
    groups: dict[tuple[str, str], list[lxml.html.HtmlElement]] = defaultdict(list)
    for el in container.iterdescendants():
        if isinstance(el.tag, str) and el.tag not in INLINE_TAGS and not scan.holds_form(el):
            groups[_signature(el)].append(el)
    named = {sig: _is_named(sig[1], members) for sig, members in groups.items()}
    wrappers: set[lxml.html.HtmlElement] | None = None  # what holds a named comment, found when first needed
    best: list[lxml.html.HtmlElement] = []
    best_score = 0.0
    for sig, members in groups.items():
        if not named[sig]:
            if _most_siblings(members) < 2:
                continue  # a repeated item has siblings like itself; a chain of wrappers does not
            if wrappers is None:
                named_members = [m for s, ms in groups.items() if named[s] for m in ms if scan.looks_like_comment(m)]
                wrappers = _ancestors_below(named_members, container)
            members = [m for m in members if m not in wrappers]
            if not members or _most_siblings(members) < 2:
                continue
        dated = sum(1 for m in members[:50] if scan.looks_like_comment(m) or _is_ping(m)) / min(len(members), 50)
        if dated < 0.5 and named[sig]:  # some dated, others collapsed to name and text ("oneline")
            dated = sum(
                1 for m in members[:50] if scan.looks_like_comment(m) or _is_ping(m) or _names_author_and_text(m)
            ) / min(len(members), 50)
        if dated < 0.5:
            continue
        depth = min(scan.depth(m) for m in members)
        score = len(members) * dated * (2 if named[sig] else 1) - depth * 0.01
        # whether the items are links to other pages is asked only of a group that would win
        if score > best_score and not _mostly_elsewhere([Item(m, [m]) for m in members[:50]], scan.url):
            best, best_score = members, score
    return [Item(m, [m]) for m in best]


def _is_ping(el: lxml.html.HtmlElement) -> bool:
    """A pingback or trackback by its class: WordPress shows it with a link and often no date."""
    return not {"pingback", "trackback"}.isdisjoint(el.get("class", "").lower().split())


def _names_author_and_text(el: lxml.html.HtmlElement) -> bool:
    """Whether el holds an element classed as its author and one classed as its text: a comment
    without a date (Disqus's fallback list for readers without script: "comment-author", "comment-body")."""
    author = text = False
    for d in el.iterdescendants():
        classes = d.get("class") if isinstance(d.tag, str) else None
        if not classes:
            continue
        roles = roles_of(classes)  # as a comment's roles are read: "commentBody", "comment_author" too
        author, text = author or roles.author, text or roles.body
        if author and text:
            return True
    return False


def _is_named(classes: str, members: list[lxml.html.HtmlElement]) -> bool:
    """Whether the group's class (or its members' ids) names a comment."""
    if any(ITEM_CLASS.match(c) for c in classes.split()):
        return True
    return any(ITEM_ID.match(m.get("id", "")) for m in members[:3])


def _most_siblings(elements: list[lxml.html.HtmlElement]) -> int:
    """How many of elements share the parent most of them share."""
    return max(Counter(el.getparent() for el in elements).values())


def _ancestors_below(elements: list[lxml.html.HtmlElement], top: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """The ancestors of elements that are below top, each walked to once."""
    found: set[lxml.html.HtmlElement] = set()
    for el in elements:
        for ancestor in el.iterancestors():
            if ancestor is top or ancestor in found:
                break
            found.add(ancestor)
    return found


def _segment_items(container: lxml.html.HtmlElement, scan: Scan) -> list[Item]:
    """Flat layouts: split a parent's children into runs that start like its first child."""
    best: list[Item] = []
    for parent in container.iter():
        if len(parent) < 4:
            continue
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(children) < 4 or len(children) <= len(best):
            continue  # too few to split, or fewer runs than the best split so far
        header = _signature(children[0])
        items: list[Item] = []
        for child in children:
            if _signature(child) == header:
                items.append(Item(child, [child]))
            else:
                items[-1].parts.append(child)
        if len(items) <= len(best) or len(items) < 2 or any(len(i.parts) < 2 for i in items):
            continue
        dated = sum(1 for i in items if any(scan.has_date(p) for p in i.parts))
        if dated >= len(items) * 0.5 and not _mostly_elsewhere(items[:50], scan.url):
            best = items
    return best


def _signature(el: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and classes, without the ones that vary between comments (ids, depth, parity, kind).

    Where a class names a comment ("comment full", "comment oneline"), that class alone: the others
    tell how the comment is shown (whole or collapsed to one line), and it is a comment either way.
    """
    return el.tag if isinstance(el.tag, str) else "", _group_classes(el.get("class", ""))


@lru_cache(maxsize=4096)
def _group_classes(classes: str) -> str:
    stable = _stable_classes(classes)
    naming = [c for c in stable.split() if ITEM_CLASS.match(c)]
    return " ".join(naming) if naming else stable


@lru_cache(maxsize=4096)
def _stable_classes(classes: str) -> str:
    """The class tokens of a signature: a page repeats the same few class attributes many times."""
    tokens = {t for t in classes.split() if not STATE_TOKEN.search(t)}
    if {"pingback", "trackback"} & {c.lower() for c in classes.split()}:
        tokens.add("comment")
    return " ".join(sorted(tokens))
