"""The generic layer: trafilatura for the main text and, where the other layers found
nothing, its author and title heuristics and htmldate for the date."""

from __future__ import annotations

import copy
import functools
import logging
import re
import weakref
from bisect import bisect_right
from datetime import datetime
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from archiver.extract.container import plain_text
from archiver.extract.dates import htmldate_day, parse_date
from archiver.extract.document import html_parser, iter_document, shown_texts
from archiver.extract.metadata import _AUTHOR_BOX, outside_boilerplate
from archiver.extract.text import clean, normalize_paragraphs

if TYPE_CHECKING:
    from trafilatura.settings import Extractor

# trafilatura logs ordinary extraction failures at ERROR; for archiver they are expected.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
#: trafilatura and htmldate are imported where they are used: the crawl's process imports this
#: package for its names but extracts nothing (0.15 CPU s); its extraction workers import them
#: once, before they are forked (``archiver.crawl.pool.PRELOAD``).


#: Class words that markup conventions reserve for an article's container, most specific first
#: (after itemprop=articleBody; <article> comes last).
_MAIN_CLASSES = ("entry-content", "post-content", "article-body", "post-body")
#: Any of them, as a substring of a class attribute.
_MAIN_CLASS = re.compile("|".join(map(re.escape, _MAIN_CLASSES)))


def _main_candidates(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Every element that may be a main container, in document order: itemprop=articleBody, an
    ``<article>``, a class holding one of ``_MAIN_CLASSES`` (as a substring; each is then tested
    exactly). Searched in the whole document, as XPath's ``//`` does: the top-level elements beside
    the root too (the second ``<html>`` of a page sent twice, which ``load_page`` leaves there). One
    walk of the page in Python: the XPath union that did it walked the page three times, in about
    15% more time."""
    root = tree.getroottree().getroot()
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    return [
        el
        for top in tops
        for el in top.iter(etree.Element)
        if el.tag == "article"
        or el.get("itemprop") == "articleBody"
        or ((names := el.get("class")) is not None and _MAIN_CLASS.search(names) is not None)
    ]


#: XPath's normalize-space() folds these characters only (str.split() would fold more).
_XML_SPACE = re.compile(r"[ \t\r\n]+")


_PARAGRAPH_TEXT = etree.XPath(".//p//text()", smart_strings=False)  # plain strings: cheaper


def _paragraph_words(el: lxml.html.HtmlElement) -> int:
    return len(" ".join(_PARAGRAPH_TEXT(el)).split())


#: The paragraph words of each region ``main_region`` returned, counted there on the container it
#: copies: ``generic_body`` asks them again of the copy (the same count, but for a container that is
#: itself a ``<p>``, which the copy's count includes: not remembered). Held as long as the region is.
_REGION_WORDS: weakref.WeakKeyDictionary[lxml.html.HtmlElement, int] = weakref.WeakKeyDictionary()
#: The paragraph words of each page ``main_region`` counted them on, asked again by ``_with_discarded_prose``.
_PAGE_WORDS: weakref.WeakKeyDictionary[lxml.html.HtmlElement, int] = weakref.WeakKeyDictionary()


def main_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The page cut down to its article container, when one holds most of the page's paragraphs.

    trafilatura then works on a small tree: the same text for a fraction of the time.
    """
    candidates = _main_candidates(tree)
    if not candidates:
        return None
    class_words = [set(_XML_SPACE.split(el.get("class", ""))) for el in candidates]
    places = [[el for el in candidates if el.get("itemprop") == "articleBody"]]
    places += [[el for el, w in zip(candidates, class_words, strict=True) if word in w] for word in _MAIN_CLASSES]
    places.append([el for el in candidates if el.tag == "article"])
    total = None
    for found in places:
        if len(found) == 1:
            if total is None:
                total = _PAGE_WORDS[tree] = _paragraph_words(tree)
            words = _paragraph_words(found[0]) if total else 0
            if total and words >= 0.6 * total:
                page = html_parser().makeelement("html")  # C class lookup, as for the page itself
                if tree.get("lang"):  # the page's language, which _discarded_prose reads
                    page.set("lang", tree.get("lang"))
                body = etree.SubElement(page, "body")
                body.append(copy.deepcopy(found[0]))
                if found[0].tag != "p":
                    _REGION_WORDS[page] = words
                return page
    return None


def generic_body(tree: lxml.html.HtmlElement, url: str, region: lxml.html.HtmlElement | None) -> str | None:
    """Main text by trafilatura (comments excluded), paragraphs as blank lines.

    ``region`` is the page's article container from ``main_region``, or None; a plain container
    is read by archiver's own reader (``container.plain_text``: trafilatura's text of it, without
    trafilatura), any other by trafilatura's fast mode. When the text
    read from the container holds less than ``_REGION_KEPT`` of the words of the container's
    paragraphs, trafilatura has cut part of the article out of it (it reads only the first of
    several blocks classed as the article's content): the whole page is read instead, where
    trafilatura's fallback extractors see the article as a whole. With no container, when the
    long items of lists inside the text are missing from it (``_missed_list_words``,
    ``_LIST_MISSED`` of its words or more), the page is read again in trafilatura's recall mode,
    kept when it adds the rest of the article (``recall_adds``). When the text holds under
    ``_DISCARD_KEPT`` of the page's paragraph words, the prose trafilatura's discard rules dropped is
    put back and the page read again (``_with_discarded_prose``); when the text, read from the
    container, lacks such prose inside it (``_DISCARD_MISSED`` of its words), the container is
    read again so. Lines that are the server's
    error messages are never text, and the article given twice is kept once.
    """
    text = _trafilatura_text(tree, url, fast=False) if region is None else _container_text(region, url)
    words = len(text.split()) if text else 0  # (counted once for the rules below, until the text changes)
    read = region  # the tree the text was read from, when it is the container
    region_words = None if region is None else _REGION_WORDS.get(region) or _paragraph_words(region)
    if region is not None and words < _REGION_KEPT * (region_words or 0):
        whole = _trafilatura_text(tree, url, fast=False)
        if whole and (whole_words := len(whole.split())) > words:  # never less than the container gave
            text, read, words = whole, None, whole_words
    if (
        region is None
        and text
        and _missed_list_words(tree, text, limit := _LIST_MISSED * words) >= limit
        and (more := _with_recall(tree, url, text)) is not text
    ):
        text, words = more, len(more.split())
    text = _with_discarded_prose(tree, url, text, read, words)
    body = normalize_paragraphs(text.replace("\n", "\n\n")) if text else ""
    body = without_repeated_runs(body)
    return without_closing_calls(without_related_tail(without_see_also_lines(body))) or None


#: Words of a line that may be a repeat of the article's text (shorter lines repeat in any article)...
_REPEAT_WORDS = 5
#: ...and lines in a row from which repeated lines are the page's text given twice...
_REPEAT_RUN = 5
#: ...when they hold this share of the body's words at least (a song's chorus, a litany's response
#: or a poem's refrain repeats a smaller part of its text).
_REPEAT_SHARE = 0.3


def without_repeated_runs(body: str) -> str:
    """The body without the runs of ``_REPEAT_RUN`` lines or more that each repeat an earlier line
    of it (of ``_REPEAT_WORDS`` words or more) in that line's order and hold ``_REPEAT_SHARE`` of its
    words: the article given twice or three times (a page's mobile and desktop copies, a print
    version, an "Article" tab and a "Full text" tab), not a chorus or a refrain, whose lines jump
    back to earlier ones. A run is cut where its long lines jump back (a line seen before the run only
    before the previous one's place: a line repeated within the article, a pull quote, is read at its
    next place), and each part of ``_REPEAT_RUN`` long lines or more is a copy: copies given one
    after the other are read apart, a chorus sung again is parts too short to be a copy. A shorter
    line that repeats an earlier one (a heading, a button's label, a date given twice) does not end
    a run nor count in its length: the second copy of an article repeats its short headings too, and
    they go with it."""
    lines = body.split("\n")
    seen: dict[str, list[int]] = {}  # each line's text, and the indexes of all its appearances in order
    repeats = []  # indexes of the non-empty lines, and whether each repeats an earlier one
    for n, line in enumerate(lines):
        key = line.strip()
        if key:
            repeats.append((n, key in seen))
            seen.setdefault(key, []).append(n)
    if len(seen) == len(repeats):
        return body  # no line repeats another
    dropped: set[int] = set()
    run: list[list[int]] = [[]]  # the run's parts in order, short repeats included
    long_lines = [0]  # each part's long lines
    last = -1  # where the run's last long line was first seen
    least = None  # the share of the body's words a copy holds at least, counted once asked
    for n, repeat in [*repeats, (len(lines), False)]:
        if repeat:
            if len(lines[n].split()) >= _REPEAT_WORDS:
                at = seen[lines[n].strip()]
                after = bisect_right(at, last)  # its first place after the previous line's, before the run
                if at[after] < (run[0][0] if run[0] else n):
                    last = at[after]
                else:  # jumps back: a new part
                    run.append([])
                    long_lines.append(0)
                    last = at[0]
                long_lines[-1] += 1
            run[-1].append(n)
            continue
        copies = [part for part, long in zip(run, long_lines, strict=True) if long >= _REPEAT_RUN]
        if copies:
            least = _REPEAT_SHARE * len(body.split()) if least is None else least
            if sum(len(lines[i].split()) for part in copies for i in part) >= least:
                dropped.update(i for part in copies for i in part)
        run, long_lines, last = [[]], [0], -1
    if not dropped:
        return body
    return normalize_paragraphs("\n".join(line for n, line in enumerate(lines) if n not in dropped))


#: A line pointing to another article: "Mire: ...", "Lee también: ...", "Lesen Sie auch: ...", "Related: ...".
_SEE_ALSO = re.compile(
    r"^\W*(?:mire|mira|puedes ver|lee también|lea también|te puede interesar|ver también|lesen sie auch|"
    r"lies auch|siehe auch|read also|also read|see also|read more|related|à lire aussi|lire aussi|leggi anche)"
    r"\s*[:»>]",
    re.IGNORECASE,
)


def without_see_also_lines(body: str) -> str:
    """The body without the lines that point to another article, wherever they are ("Mire: <a
    headline>", "À lire aussi » <a headline>", "Lesen Sie auch: ..."; at most ``_TEASER_WORDS``
    + 5 words), and without a heading of such a list left as its last line."""
    lines = body.split("\n")
    kept = [line for line in lines if not (_SEE_ALSO.match(line) and len(line.split()) <= _TEASER_WORDS + 5)]
    while len(kept) > 1 and (not kept[-1] or _related_heading(kept[-1])):
        kept.pop()
    return normalize_paragraphs("\n".join(kept)) if len(kept) < len(lines) else body


def _related_heading(line: str) -> bool:
    """A short heading of a list of other articles ("Related articles"), not a sentence ("More on this later.")."""
    return len(line.split()) <= _RELATED_WORDS and not line.rstrip().endswith(".") and bool(_RELATED.match(line))


#: A heading of links to other articles: "Related articles", "Auch interessant", "Notas relacionadas"...,
#: or of the article's tags ("Tags", "Themen", "Temas").
_RELATED = re.compile(
    r"^\W*(?:related(?: (?:articles?|posts?|stories|content|news|reading))?|"
    r"(?:notas|contenido|art[ií]culos|noticias) relacionad[oa]s|relacionad[oa]s|"
    r"auch interessant|schon gelesen|empfohlene (?:beiträge|artikel)|"
    r"weitere (?:aktuelle |interessante )?(?:artikel|beiträge|nachrichten|themen|tourentipps|meldungen)\b.*|"
    r"zum weiterlesen|mehr zum thema|lesen sie auch|temas|themen|tags|topics|"
    r"das könnte sie auch interessieren|read (?:more|next|also)|more (?:from|on|stories|news)\b.*|"
    r"you (?:may|might) also like|recommended(?: for you| reading| articles)?|à lire aussi|lire aussi|"
    r"sur le même sujet|articles similaires|(?:también )?te puede interesar|leggi anche|potrebbe interessarti|"
    r"zobacz też|czytaj także)\W*$",
    re.IGNORECASE,
)
#: The share of a body's words from which its end is not a list of links to other articles.
_TAIL_SHARE = 0.3
#: Words of a teaser line (a linked headline) at most, and of the list's heading.
_TEASER_WORDS = 20
_RELATED_WORDS = 6


#: A line asking the reader to subscribe, follow or join, or the site's copyright: the site's, not the article's.
#: Calls only: an imperative at a sentence's start ("Subscribe now", "¿...? Únete"), a phrase that
#: is nothing but a call ("follow us", "download our app", "our newsletter"), a line asking to follow
#: on a social network; words a report uses ("two million subscribers", "follow the money", "their
#: newsletter", "followers on Twitter") are not calls.
_SOCIAL = r"(?:facebook|twitter|instagram|tiktok|linkedin|youtube|threads|bluesky|mastodon|telegram|whatsapp)"
_CALL = re.compile(
    r"(?:^|[.!?:]\s+|\s[-–—|]\s+)[\W_]*(?:subscribe|sign up|únete|abonnez-vous|hazte miembro)\b|"
    r"\b(?:download (?:the|our) [\w ]{1,30}apps?|newsletter abonnieren|abonnieren sie|jetzt abonnieren|"
    r"suscr[ií]b(?:ete|ase|irse)|folgen sie uns|follow us|follow @\w+|join us (?:on|at)|already a subscriber|"
    r"subscribe to (?:our|my)|join our (?:newsletter|mailing list|community|channel)|"
    r"(?:our|my|unseren?|meinen?|nuestr[ao]|notre)\s+(?:[\w-]+\s+){0,2}(?:newsletter|channel|podcast)|"
    r"all rights reserved|alle rechte vorbehalten|todos los derechos reservados|tous droits réservés)\b|"
    rf"^(?=.*\b(?:follow|folgen|seguir|suivez|seguici)\b)(?=.*\b{_SOCIAL}\b)",
    re.IGNORECASE,
)
#: Words of such a line at most.
_CALL_WORDS = 40


def without_closing_calls(body: str) -> str:
    """The body without the lines at its end that ask the reader to subscribe, follow or join
    ("Subscribe now to our e-edition", "Follow us on Twitter", "Newsletter abonnieren") or give
    the site's copyright ("© 2020 ... All Rights Reserved"): each
    at most ``_CALL_WORDS`` words; the body's first line always stays."""
    lines = body.split("\n")
    end = len(lines)
    while end > 1 and (
        not lines[end - 1].strip() or (len(lines[end - 1].split()) <= _CALL_WORDS and _CALL.search(lines[end - 1]))
    ):
        end -= 1
    return "\n".join(lines[:end]).rstrip() if end < len(lines) else body


def without_related_tail(body: str) -> str:
    """The body without a list of other articles at its end.

    A short line naming such a list ("Related articles", "Auch interessant", "Notas
    relacionadas"...), followed by a teaser line (a headline: short, not ending in "." or ":"),
    ends the article when what follows holds less than ``_TAIL_SHARE`` of the body's words;
    a heading followed by a paragraph of text (a box of links the extraction dropped) stays.
    """
    lines = body.split("\n")
    if not any(_RELATED.match(line) for line in lines[1:]):
        return body  # no line names such a list (the test below, first the cheap part alone)
    most = _TAIL_SHARE * len(body.split())
    tail = 0  # words of lines[n:], read from the end until they are too many
    for n in range(len(lines) - 1, 0, -1):
        words = len(lines[n].split())
        tail += words
        if tail > most:
            break
        if words > _RELATED_WORDS or not _RELATED.match(lines[n]):
            continue
        after = [line for line in lines[n + 1 :] if line.strip()]
        if after and len(after[0].split()) <= _TEASER_WORDS and not after[0].endswith((".", ":")):
            return "\n".join(lines[:n]).rstrip()
    return body


#: The share of a main container's paragraph words below which its text is read again from the whole page.
_REGION_KEPT = 0.7


#: Words of a list item that make it a part of the article's text (shorter: links, labels, menus).
_ITEM_WORDS = 10
#: The share of the text's words, in long list items missing from it, from which the page is read again.
_LIST_MISSED = 0.1
#: The recall reading replaces the first when it holds this many times its words, or more...
_RECALL_GAIN = 1.2
#: ...and no more than this many times (more is the whole page read as the article)...
_RECALL_MOST = 3.0
#: ...and when this share of the words it adds are in lines of ``_PROSE_LINE`` words or more
#: (sentences, not labels, menus or buttons).
_RECALL_PROSE = 0.35
_PROSE_LINE = 10
#: ...and when it keeps this share of the first reading's lines as they were.
_RECALL_KEPT = 0.5


def _flat(el: lxml.html.HtmlElement) -> str:
    """An element's text without white space (inline tags split it where trafilatura's text does not)."""
    return "".join("".join(el.itertext()).split())


def _missed_list_words(tree: lxml.html.HtmlElement, text: str, limit: float) -> int:
    """Words of the long items (``_ITEM_WORDS`` words or more) missing from the text, of the lists
    that follow a block the text holds, or that a paragraph of the text follows in the same block
    (``_last_text_paragraph``: Webflow's rich text puts an empty paragraph before each list): the
    article's own lists of points, which trafilatura's default mode leaves out of some pages. Only
    lists inside the text are read (cheap; menus, and the related links, comments and author's box
    after the article's last paragraph, are elsewhere). Counting stops once past ``limit``."""
    flat = "".join(text.split())
    missed = 0
    last: dict[lxml.html.HtmlElement, int] = {}  # each parent's answer, asked once
    places: dict[lxml.html.HtmlElement, int] = {}  # the index of each child of those parents
    for points in tree.iter("ul", "ol"):
        lead = points.getprevious()
        while lead is not None and not isinstance(lead.tag, str):  # comments, processing instructions
            lead = lead.getprevious()
        if lead is None:
            continue
        before = _flat(lead)
        if len(before) <= 20 or before not in flat:
            parent = points.getparent()
            if parent not in last:
                last[parent] = _last_text_paragraph(parent, flat)
                places.update((child, index) for index, child in enumerate(parent))
            if places[points] > last[parent]:
                continue
        for item in points.iterchildren("li"):
            words = len("".join(item.itertext()).split())
            if words >= _ITEM_WORDS and _flat(item) not in flat:
                missed += words
                if missed >= limit:
                    return missed
    return missed


def _last_text_paragraph(parent: lxml.html.HtmlElement, flat: str) -> int:
    """The index among a block's children of its last paragraph of the text (``flat``: the text
    without white space), one of more than 20 characters that the text holds; -1 when none."""
    for index in range(len(parent) - 1, -1, -1):
        block = parent[index]
        if block.tag == "p" and len(text := _flat(block)) > 20 and text in flat:
            return index
    return -1


def _with_recall(tree: lxml.html.HtmlElement, url: str, text: str) -> str:
    """The text, or trafilatura's reading of the page in recall mode when that adds the rest of
    the article (``recall_adds``)."""
    more = _trafilatura_text(tree, url, fast=True, recall=True)
    return more if more and recall_adds(text, more) else text


def recall_adds(text: str, more: str) -> bool:
    """Whether ``more`` (the recall reading) is ``text`` (the first) with the rest of the article:
    between ``_RECALL_GAIN`` and ``_RECALL_MOST`` times its words, keeping ``_RECALL_KEPT`` of
    its lines as they were (not the page's text run together), and adding lines of prose
    (``_RECALL_PROSE`` of the added words in lines of ``_PROSE_LINE`` words or more), not
    labels, menus and buttons."""
    words, more_words = len(text.split()), len(more.split())
    if not _RECALL_GAIN * words <= more_words <= _RECALL_MOST * words:
        return False
    had, lines = {line for line in text.split("\n") if line.strip()}, more.split("\n")
    if len(had.intersection(lines)) < _RECALL_KEPT * len(had):
        return False
    added = [len(line.split()) for line in lines if line.strip() and line not in had]
    return sum(n for n in added if n >= _PROSE_LINE) >= _RECALL_PROSE * sum(added)


#: The share of the page's paragraph words under which the text may have lost the article to
#: trafilatura's discard rules (a class naming a part of the layout by a word it holds).
_DISCARD_KEPT = 0.5
#: The share of the text's words, in paragraphs of the article's container that those rules dropped and
#: the text lacks, from which the container is read again with them put back.
_DISCARD_MISSED = 0.1
#: Paragraph words of an element those rules drop that make it prose to restore, and its links' share of them at most.
_PROSE_WORDS = 40
_PROSE_LINKS = 0.25
#: Class or id words of a part that is not the article's, whatever it holds (besides the site's
#: navigation, sidebars, header, footer and comments, ``_BOILERPLATE_MARKER``, and an author's box, ``_AUTHOR_BOX``).
_NOT_ARTICLE = re.compile(
    r"related|newsletter|subscri|share|social|cookie|consent|promo|sponsor|popup|modal|dialog|signup|paywall|bio\b",
    re.IGNORECASE,
)
#: Elements restored on a page, at most (the outermost ones: what they hold is restored with them).
_RESTORED_MOST = 20
#: The share of the words the reading adds that must be the restored elements' own.
_RESTORED_SHARE = 0.8
#: Look-alike children (same tag and class, each with a picture or a heading's link to another page)
#: that make a box of teaser cards or a gallery, not an article.
_CARDS = 3
_HIDDEN_STYLE = re.compile(r"display:\s*none|visibility:\s*hidden", re.IGNORECASE)


def _with_discarded_prose(
    tree: lxml.html.HtmlElement,
    url: str,
    text: str | None,
    region: lxml.html.HtmlElement | None = None,
    words: int | None = None,
) -> str | None:
    """The text, or the page read again with the prose that trafilatura's discard rules dropped
    put back (``_discarded_prose``), when the text holds under ``_DISCARD_KEPT`` of the page's
    paragraph words, or the text was read from the article's container (``region``) and the
    paragraphs those rules dropped in it, inside the text (``_inside_text``), that are missing from
    the text hold ``_DISCARD_MISSED`` of its words or more (the container is then read again); and
    the reading is the text with the rest of the article: ``_RECALL_GAIN`` times its words at least,
    ``_RECALL_KEPT`` of its lines kept as they were, and ``_RESTORED_SHARE`` of the words it adds in
    lines of the restored elements. ``words``: the text's words, when counted already."""
    words = len(text.split()) if text and words is None else words or 0
    total = _PAGE_WORDS.get(tree)
    if words < _DISCARD_KEPT * (_paragraph_words(tree) if total is None else total):
        found = _discarded_prose(tree)
    elif region is not None and text:
        tree, found = region, _inside_text(_discarded_prose(region), region, text)
        if not found or _missing_words(found, text, limit := _DISCARD_MISSED * words) < limit:
            return text
    else:
        return text
    restored = [(el, dict(el.attrib)) for el in found]
    if not restored:
        return text
    for el, _ in restored:  # trafilatura reads a copy of the tree: the attributes are put back below
        for name in _DISCARD_ATTRIBUTES:
            el.attrib.pop(name, None)
    try:
        more = _trafilatura_text(tree, url, fast=True)
    finally:
        for el, attributes in restored:
            el.attrib.clear()
            el.attrib.update(attributes)
    if not more or len(more.split()) < _RECALL_GAIN * words:
        return text
    had, lines = {line for line in (text or "").split("\n") if line.strip()}, more.split("\n")
    if len(had.intersection(lines)) < _RECALL_KEPT * len(had):
        return text
    own: set[str] = (
        set()
    )  # the restored elements' words, their text nodes read apart and run together (a cell, "<b>Tip</b>:")
    for el, _ in restored:
        own.update(" ".join(el.itertext()).split(), "".join(el.itertext()).split())
    added = [
        word for line in lines if line.strip() and line not in had for word in line.split() if _WORD.search(word)
    ]  # ("|", "---": a table's)
    return more if sum(word in own for word in added) >= _RESTORED_SHARE * len(added) else text


#: Class or id words of an accordion's or tabs' panels (what a reader opens one at a time).
_PANELS = re.compile(r"accordion|collaps|tab-?pane|tabs?\b", re.IGNORECASE)


def _inside_text(
    found: list[lxml.html.HtmlElement], region: lxml.html.HtmlElement, text: str
) -> list[lxml.html.HtmlElement]:
    """Of the elements the discard rules dropped in the article's container, those inside the
    text: followed in the container by a paragraph the text holds (more than 20 characters), or
    a box of panels (``_panels``). A box after the text's last paragraph is the page's (an author's
    bio, a call to action, a disclaimer, a rating, another story's teaser), whatever its name."""
    if not found:
        return found
    flat = "".join(text.split())
    paragraphs = list(region.iter("p"))
    last = -1  # the index of the text's last paragraph in the container
    for index in range(len(paragraphs) - 1, -1, -1):
        if len(words := _flat(paragraphs[index])) > 20 and words in flat:
            last = index
            break
    place = {p: index for index, p in enumerate(paragraphs)}
    return [el for el in found if max((place[p] for p in el.iter("p")), default=len(paragraphs)) < last or _panels(el)]


def _panels(el: lxml.html.HtmlElement) -> bool:
    """Whether an element is, holds or sits in an accordion's or tabs' panels: named so (``_PANELS``), a
    ``<details>``, a panel of tabs (``role="tabpanel"``) or a region a control labels."""
    for part in (*el.iterancestors(), *el.iter()):
        if not isinstance(part.tag, str):
            continue
        if (
            part.tag == "details"
            or part.get("role") == "tabpanel"
            or _PANELS.search(f"{part.get('id', '')} {part.get('class', '')}")
        ):
            return True
        if part.get("role") == "region" and part.get("aria-labelledby"):
            return True
    return False


def _missing_words(elements: list[lxml.html.HtmlElement], text: str, limit: float) -> int:
    """Words of the elements' paragraphs that the text does not hold, counted until past ``limit``."""
    flat = "".join(text.split())
    missing = 0
    for el in elements:
        for p in el.iter("p"):
            if (words := " ".join(p.itertext()).split()) and "".join(words) not in flat:
                missing += len(words)
                if missing >= limit:
                    return missing
    return missing


#: The attributes trafilatura's discard rules read.
_DISCARD_ATTRIBUTES = ("class", "id", "style", "aria-hidden", "hidden", "role", "data-component")
_LAYOUT_TAGS = frozenset(["nav", "aside", "footer", "header", "form"])
_HEADINGS = frozenset(["h2", "h3", "h4", "h5", "h6"])


@functools.cache
def _discard_tests() -> list[etree.XPath]:
    """trafilatura's discard rules (``OVERALL_DISCARD_XPATH``) as tests of one element."""
    return [etree.XPath(path, namespaces={"re": "http://exslt.org/regular-expressions"}) for path in _discard_paths()]


def _discard_paths() -> list[str]:
    """trafilatura's discard rules' paths, each made a test of the element itself (``self::*[...]``)."""
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    return [x.path.strip().replace(".//*[", "self::*[", 1) for x in OVERALL_DISCARD_XPATH]


def _discarded_prose(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The outermost elements holding paragraphs that trafilatura's discard rules drop for a word
    their class, id or style holds ("page1-footer", "bard", "w-embed", a collapsed accordion panel)
    and that are prose (``_is_prose``), ``_RESTORED_MOST`` at most. Menus, sidebars, header,
    footer and forms are passed over with all they hold, and so are the elements those rules drop
    that are not prose (what they hold is dropped with them). One walk of the tree, words counted
    once an element."""
    prose, linked = _prose_words(tree)
    tests, lang = _discard_tests(), _language(tree.get("lang"))
    found: list[lxml.html.HtmlElement] = []
    stack = [tree]
    while stack and len(found) < _RESTORED_MOST:
        el = stack.pop()
        if el.tag in _LAYOUT_TAGS or el.get("role") == "navigation" or prose.get(el, 0) < _PROSE_WORDS:
            continue  # (what a menu or sidebar holds is theirs; an element of fewer words holds no prose)
        if any(test(el) for test in tests):
            if _is_prose(el, prose[el], linked.get(el, 0), lang):
                found.append(el)
            continue
        stack.extend(reversed([child for child in el if isinstance(child.tag, str)]))
    return found


def _prose_words(
    tree: lxml.html.HtmlElement,
) -> tuple[dict[lxml.html.HtmlElement, int], dict[lxml.html.HtmlElement, int]]:
    """The paragraph words under each element of ``tree`` that holds some, and those of them in links.

    A paragraph's words count in each of its ancestors up to the first menu, sidebar, header, footer
    or form (``_LAYOUT_TAGS``: what they hold is not the prose around them), which counts them, or
    the first paragraph (which counts its own words instead). Found from the paragraphs, not over
    every element of the page: each paragraph's words go to its parent, the elements above it are
    noted once (up to one already noted), and their sums are passed up once, children first: work
    as long as the page, however deep its paragraphs are nested. (lxml, freeing an element's Python
    object, walks up to the nearest element that has one: the objects made here are freed children
    first, each beside its parent's, or a deep page would cost that walk for each of its elements.)
    """
    words_at: dict[lxml.html.HtmlElement, int] = {}  # the noted elements' words, then passed up
    links_at: dict[lxml.html.HtmlElement, int] = {}
    order: list[lxml.html.HtmlElement] = []  # the noted elements, each before those that pass it their sums
    above: list[lxml.html.HtmlElement] = []  # the elements first noted for a paragraph, from its parent up
    for p in tree.iter("p"):
        if p is tree or (parent := p.getparent()) is None:
            continue
        above.clear()
        el: lxml.html.HtmlElement | None = parent
        while el is not None and el not in words_at:
            words_at[el] = links_at[el] = 0
            above.append(el)
            el = None if _keeps_its_words(el, tree) else el.getparent()
        order += reversed(above)  # (an element noted later is never above one noted earlier)
        if len(p):
            words = len(" ".join(p.itertext()).split())
            links = sum(len(" ".join(a.itertext()).split()) for a in p.iter("a")) if words else 0
        else:  # (its text alone, and no links: the same count for less)
            words, links = len(p.text.split()) if p.text else 0, 0
        words_at[parent] += words
        links_at[parent] += links
    prose: dict[lxml.html.HtmlElement, int] = {}  # (filled children first: freed so)
    linked: dict[lxml.html.HtmlElement, int] = {}
    for el in reversed(order):
        if words := words_at[el]:
            prose[el], linked[el] = words, links_at[el]
            if not _keeps_its_words(el, tree) and (parent := el.getparent()) is not None:
                words_at[parent] += words
                links_at[parent] += links_at[el]
    words_at.clear()  # (what is noted and holds no words is then freed with ``order``: children first)
    links_at.clear()
    above.clear()
    return prose, linked


def _keeps_its_words(el: lxml.html.HtmlElement, tree: lxml.html.HtmlElement) -> bool:
    """Whether the paragraph words counted in ``el`` stop there (``_prose_words``)."""
    return el is tree or el.tag in _LAYOUT_TAGS or el.tag == "p"


def _language(code: str | None) -> str:
    return (code or "").strip().lower().split("-")[0]


def _is_prose(el: lxml.html.HtmlElement, words: int, links: int, lang: str) -> bool:
    """Whether an element trafilatura's discard rules drop is the article's prose: ``_PROSE_WORDS``
    paragraph words or more, under ``_PROSE_LINKS`` of them in links; not in the site's navigation,
    sidebars, header, footer or comments (``outside_boilerplate``), not named as an author's box or
    another part that is not the article's (``_NOT_ARTICLE``); not a run of teaser cards or pictures
    (``_cards``); not in another language than the page's; and, when hidden, a panel a control of
    the page opens (an accordion's)."""
    if words < _PROSE_WORDS or links > _PROSE_LINKS * words:
        return False
    for part in (el, *el.iterancestors()):
        names = f"{part.get('id', '')} {part.get('class', '')}"
        if _NOT_ARTICLE.search(names) or _AUTHOR_BOX.search(names):
            return False
    if not outside_boilerplate(el) or _cards(el):
        return False
    if lang and _language(el.get("lang")) not in {"", lang}:
        return False
    return not _hidden(el) or _toggled_panel(el)


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(el.get("style", "")))
    )


def _toggled_panel(el: lxml.html.HtmlElement) -> bool:
    """Whether a hidden element is a panel the page's controls open: a region labelled by its
    control, the target of a control's ``aria-controls``, or what a ``<details>`` holds."""
    if el.get("role") == "region" and el.get("aria-labelledby"):
        return True
    if any(a.tag == "details" for a in el.iterancestors()):
        return True
    ident = el.get("id")
    return bool(ident) and any(
        ident in c.get("aria-controls", "").split()
        for c in el.getroottree().iter()
        if isinstance(c.tag, str) and c.get("aria-controls")
    )


def _cards(el: lxml.html.HtmlElement) -> bool:
    """Whether an element is a run of look-alike boxes: ``_CARDS`` children or more, and half of its
    children holding paragraphs, of the same tag and class, each of fewer than ``_PROSE_WORDS``
    paragraph words, with a picture or a heading's link to another page (teaser cards, a gallery's
    captions; not a listicle's entries, each its paragraphs of prose)."""
    while len(children := [c for c in el if isinstance(c.tag, str)]) == 1:
        el = children[0]
    kinds: dict[tuple[str, str], int] = {}
    holding = 0
    for child in children:
        words = _paragraph_words(child)
        holding += words > 0
        if 0 < words < _PROSE_WORDS and (
            next(child.iter("img", "picture"), None) is not None
            or any(
                h.tag in _HEADINGS and any(not a.get("href", "#").startswith("#") for a in h.iter("a"))
                for h in child.iter()
            )
        ):
            key = (child.tag, child.get("class", ""))
            kinds[key] = kinds.get(key, 0) + 1
    most = max(kinds.values(), default=0)
    return most >= _CARDS and most >= holding / 2


def _container_text(region: lxml.html.HtmlElement, url: str) -> str | None:
    """The text of ``main_region``'s copy of the article container: archiver's own reading of a plain
    container (``plain_text``, the text trafilatura gives of it in a fifth of the time), else
    trafilatura's fast mode."""
    own = plain_text(region)
    if own is None:
        return _trafilatura_text(region, url, fast=True)
    return without_server_errors(own).strip() or None


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str, fast: bool, recall: bool = False) -> str | None:
    """trafilatura's main text of a tree (``fast``: without its fallback extractors; ``recall``:
    its recall mode), or None."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(tree, options=trafilatura_options(url, fast, recall))
    except ValueError:
        return None
    if doc is None or isinstance(doc, dict) or not doc.text:
        return None
    return without_server_errors(str(doc.text)).strip() or None


def trafilatura_options(url: str, fast: bool, recall: bool) -> Extractor:
    """The options ``bare_extraction(tree, url=url, include_comments=False, include_tables=True,
    fast=fast, favor_recall=recall)`` builds for itself, from a copy of the ones built once.

    Building them reads trafilatura's configuration (a ``ConfigParser``) anew on every call, about
    0.1 ms; trafilatura copies the options it changes (its recall retry), so a copy is enough.
    """
    options = copy.copy(_base_options(fast, recall))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")  # as ``Extractor`` sets it
    return options


@functools.cache
def _base_options(fast: bool, recall: bool) -> Extractor:
    from trafilatura.settings import DEFAULT_CONFIG, Extractor

    return Extractor(
        config=DEFAULT_CONFIG,
        output_format="python",
        fast=fast,
        recall=recall,
        comments=False,
        tables=True,
    )


#: A PHP error message the server printed into the page: "Warning: ... in /www/.../file.php on line 12".
_SERVER_ERROR = re.compile(
    r"^\s*(?:PHP )?(?:Warning|Deprecated|Notice|Strict Standards|(?:Catchable )?Fatal error|Parse error)\s*:"
    r".*\bin (?:[A-Za-z]:)?[\\/]\S*\.(?:php\d?|inc|phtml)\S*? on line \d+\s*$"
)


def without_server_errors(text: str) -> str:
    """The text without the error messages the site's server printed into the page: lines naming a
    PHP file and a line, at the start or the end of the text (where the server writes them; one in
    the middle is more likely a tutorial showing such an output)."""
    if " on line " not in text:
        return text
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and (not lines[start].strip() or _SERVER_ERROR.match(lines[start])):
        start += 1
    while end > start and (not lines[end - 1].strip() or _SERVER_ERROR.match(lines[end - 1])):
        end -= 1
    return "\n".join(lines[start:end])


# trafilatura's byline rules (trafilatura.xpaths.AUTHOR_XPATHS), most specific first, as tests of
# an element's tag and attributes: all three run in one walk of the page, in a fifth of the time
# of their XPaths (which libxml2 evaluates attribute by attribute on every element, three times).


def _byline_rule_1(el: lxml.html.HtmlElement, tag: str, cls: str) -> bool:
    if tag == "author":
        return True
    return tag in {"a", "address", "div", "link", "p", "span", "strong"} and (
        el.get("rel") == "author"
        or el.get("id") == "author"
        or cls == "author"
        or el.get("itemprop") == "author name"
        or el.get("data-testid") in {"AuthorCard", "AuthorURL"}
        or any(word in cls for word in ("author-name", "authorname", "AuthorName", "authorName"))
    )


def _byline_rule_2(el: lxml.html.HtmlElement, tag: str, cls: str) -> bool:
    return tag in {"a", "div", "h3", "h4", "p", "span"} and (
        cls in {"byline", "username", "byl", "BBL"}
        or "author" in el.get("itemprop", "")
        or "author" in el.get("id", "")
        or any(word in cls for word in ("author", "channel-name", "submitted-by", "posted-by", "journalist-name"))
    )


def _byline_rule_3(el: lxml.html.HtmlElement, tag: str, cls: str) -> bool:
    return (
        "Byline" in el.get("data-component", "")
        or "author" in el.get("itemprop", "")
        or "uthor" in el.get("id", "")
        or any(word in cls for word in ("uthor", "screenname", "writer", "yline"))
    )


_BYLINE_RULES = (_byline_rule_1, _byline_rule_2, _byline_rule_3)
#: Every value the rules look for holds one of these: an element whose attributes hold none is skipped.
_BYLINE_MARK = re.compile(
    "uthor|byl|yline|BBL|username|screenname|writer|channel-name|submitted-by|posted-by|journalist-name"
)
_BYLINE_TEXT = etree.XPath(".//text()[not(ancestor::time or ancestor::figure)]", smart_strings=False)


def _byline_candidates(tree: lxml.html.HtmlElement) -> list[list[lxml.html.HtmlElement]]:
    """The elements each byline rule selects on the page of ``tree``, in document order."""
    found: list[list[lxml.html.HtmlElement]] = [[] for _ in _BYLINE_RULES]
    for el in tree.getroottree().iter(etree.Element):
        if el.tag == "author" or _BYLINE_MARK.search(" ".join(el.values())):
            tag, cls = el.tag, el.get("class", "")
            for rule, elements in zip(_BYLINE_RULES, found, strict=True):
                if rule(el, tag, cls):
                    elements.append(el)
    return found


def generic_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's byline rules, run on the page in place (no copy): comment areas,
    sidebars and footers are skipped by their ancestors instead of being cut from a copy."""
    for elements in _byline_candidates(tree):
        for el in elements:
            if not outside_boilerplate(el):
                continue
            text = clean(" ".join(_BYLINE_TEXT(el)))
            if 2 < len(text) < 120:
                return text
    return None


def generic_title(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's title heuristics."""
    from trafilatura import metadata as trafilatura_metadata

    return trafilatura_metadata.extract_title(tree)


def generic_date(tree: lxml.html.HtmlElement, now: datetime, region: lxml.html.HtmlElement | None) -> str | None:
    """htmldate's publication date from markup and URL rules, never later than now.

    htmldate's "extensive search" is not used: it runs dateparser's language detection,
    which costs about 0.2 s a page; the first date in the article's own text serves instead. Those
    texts (``_date_texts``) are the XPath's only while each text of the tree is one text node: the
    tree reaches here changed by ``drop_tree`` (a profile's ``remove``, the comment area) and by
    setting ``text`` and ``tail`` alone; an ``etree.strip_tags`` before this may break that.
    """
    return htmldate_day(tree, now) or _first_text_date(tree if region is None else region, now)


#: What ``_first_text_date`` passes over: ``//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]``.
_NO_DATE_TEXT = ("script", "style", "a")


def _date_texts(tree: lxml.html.HtmlElement) -> list[str]:
    """The texts of the document's ``<body>`` elements outside scripts, styles and links, in document
    order: ``//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]`` by
    ``shown_texts`` (about half the time on average, realpages 634 -> 265 ms in all: libxml2 walks
    every text's ancestors for the XPath's tests; link-heavy pages with little text up to 2x
    slower), each ``<body>`` inside another left to the outer one, as the XPath gives each text once.

    The XPath's texts only while every text of the tree is one text node, as ``shown_texts`` needs:
    true of the tree ``generic_date`` is given (changed only by ``drop_tree`` and by setting ``text``
    and ``tail``, no ``strip_tags``; ``test_speedups`` checks it on the real path)."""
    texts: list[str] = []
    for body in iter_document(tree, "body"):
        if next(body.iterancestors("body"), None) is None:
            texts.extend(shown_texts(body, _NO_DATE_TEXT))
    return texts


def _first_text_date(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
    """The first short text in the page's main region that is a date."""
    for text in _date_texts(tree)[:4000]:
        text = text.strip()[:60]  # a date stands alone or opens a paragraph ("29.11.2022 – ...")
        if len(text) >= 6 and any(c.isdigit() for c in text[:30]):
            iso = parse_date(text if len(text) < 60 else text[:30], now)
            if iso:
                return iso
    return None


#: A heading line at most this long (words) may be a byline or a date line; longer is the text.
_BYLINE_WORDS = 16
#: Words of a byline or date line besides the names: "Posted by ... on November 3, 2019".
_BYLINE_OTHER_WORDS = 6
_LEADING_LINES = 4
#: A line of at most this many words that holds a whole date, or that is a byline word and a
#: name, is a date line or a byline even when the date or the name is not the article's own as read.
_DATE_LINE_WORDS = 6
#: A reading time: "6 min read", "4 minute read", "Lesezeit: 3 Minuten", "5 min de lecture".
_READING_TIME = re.compile(
    r"^\W*(?:\d+\s*(?:min|mins|minutes?|minuten)\.?\s+(?:read|reading|de lecture|de lectura|lesezeit)"
    r"|(?:lesezeit|reading time|temps de lecture|tiempo de lectura)\W*\d+\s*(?:min|mins|minutes?|minuten)\.?)\W*$",
    re.IGNORECASE,
)
#: A byline: a byline word ("By", "Von", "Par", "Por", "Door", "Av", "Written by"...) and a name
#: of one to four capitalised words, nothing else.
_BYLINE_START = re.compile(
    r"^\s*(?i:(?:written|posted|reviewed|edited|published|words|photos?|text|story)\s+by|by|von|par|por|door|av|af|di)"
    r":?\s+(?:[A-Z\u00c0-\u00de][\w'’.-]*\s*){1,4}$"
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_heading_line(line: str, title: str | None, names: list[list[str]], dates: set[str], now: datetime) -> bool:
    """Whether a line at the top of a body repeats the title, or is a byline or date line of the article."""
    words = _words(line)
    if not words:
        return True  # a lone mark ("|", "·") between the heading lines
    if title and words == _words(title):
        return True
    if len(words) > _BYLINE_WORDS or line.rstrip().endswith((".", "!", "?", ":")):
        return False  # a sentence: the article's own text
    named = [name for name in names if _contains(words, name)]
    rest = [w for w in words if not any(w in name for name in named)]
    if named and len(rest) <= _BYLINE_OTHER_WORDS:
        return True
    if len(words) <= _DATE_LINE_WORDS and (_BYLINE_START.match(line) or _READING_TIME.match(line)):
        return True  # "By Rick Steves", "Von Gregory Lipinski": a byline, whoever it names; "6 min read"
    if not any(c.isdigit() for c in line):
        return False
    found = parse_date(line, now)
    if found and len(words) <= _DATE_LINE_WORDS:
        return True  # "January 31, 2024", "Last updated: December 15th 2025": a date line, whatever its date
    return bool(found and found[:10] in dates and len(rest) <= _BYLINE_OTHER_WORDS + 2)


def _contains(words: list[str], name: list[str]) -> bool:
    n = len(name)
    return any(words[i : i + n] == name for i in range(len(words) - n + 1))


def without_heading_lines(
    body: str, title: str | None, authors: list[str], dates: list[str | None], now: datetime
) -> str:
    """The body without the title, byline and date lines that open it (the page's heading block).

    Only lines at the very top go, each equal to the article's title, or short and naming its
    authors or one of its dates (``dates``: ISO, published and modified) with few other words,
    or of at most ``_DATE_LINE_WORDS`` words and a whole date (an update's date too), a byline
    word and a name ("By Rick Steves", whoever the page's author is as read) or a reading time;
    a line that ends a sentence, and everything after the first text line, stays.
    """
    names = [w for w in (_words(a) for a in authors) if w]
    days = {d[:10] for d in dates if d}
    lines = body.split("\n")
    start = heading = 0
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        if heading == _LEADING_LINES or not _is_heading_line(line, title, names, days, now):
            start = n
            break
        heading += 1
    else:
        return body  # nothing but heading lines: keep them rather than nothing
    return "\n".join(lines[start:]) if start else body
