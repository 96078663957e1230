"""Element text: left-out subtrees read as if dropped, two texts from one walk, white space folding."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import lxml.html
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from archiver.extract.text import block_text, block_text_pair, clean, inline_text, normalize_paragraphs

TAGS = ["p", "div", "span", "a", "pre", "br", "input", "script", "li", "b", "h3", "textarea"]
TEXTS = ["", " ", "word", "two words", "\n", " line\nbreak ", "\u00a0", "\u200b", "\u3000", "\t tab", "é"]
SPACES = " \t\n\r\f\v\u00a0\u2009\u202f\u200b\u3000\u2028x"


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    """An element with text, a tail, perhaps children, and perhaps the class that marks it left out."""
    tag = draw(st.sampled_from(TAGS))
    mark = " class='out'" if draw(st.booleans()) else ""
    text, tail = draw(st.sampled_from(TEXTS)), draw(st.sampled_from(TEXTS))
    if tag in ("br", "input"):
        return f"<{tag}{mark}>{tail}"
    children = "".join(draw(st.lists(markup(depth + 1), max_size=3))) if depth < 3 else ""
    return f"<{tag}{mark}>{text}{children}</{tag}>{tail}"


def element(html: str) -> etree._Element:
    return lxml.html.document_fromstring(f"<html><body><div>{html}</div></body></html>").find(".//body/div")


def marked(el: etree._Element) -> bool:
    return el.get("class") == "out"


def dropped(el: etree._Element, skip: Callable[[etree._Element], bool]) -> etree._Element:
    """What skipping means: a copy of el with those subtrees dropped (their tails kept)."""
    clone = copy.deepcopy(el)
    clone.tail = None
    for d in [d for d in clone.iterdescendants() if skip(d)]:
        if d.getparent() is not None:
            d.drop_tree()
    return clone


@given(st.lists(markup(), min_size=1, max_size=4).map("".join))
def test_skipped_subtrees_read_as_if_dropped(html: str) -> None:
    el = element(html)
    assert block_text(el, marked) == block_text(dropped(el, marked))


@given(st.lists(markup(), min_size=1, max_size=4).map("".join), st.data())
def test_pair_is_both_texts(html: str, data: st.DataObject) -> None:
    el = element(html)
    descendants = list(el.iterdescendants())
    without = tuple(data.draw(st.lists(st.sampled_from(descendants), max_size=2))) if descendants else ()
    both = block_text_pair(el, marked, without)
    assert both == (block_text(el, marked), block_text(el, lambda d: marked(d) or d in without))


@given(st.lists(markup(), min_size=1, max_size=4).map("".join))
def test_inline_text_is_block_text_on_one_line(html: str) -> None:
    for el in element(html).iter():
        assert inline_text(el) == clean(block_text(el).replace("\n", " "))


def by_paragraph(text: str) -> str:
    """normalize_paragraphs as documented: clean each line, paragraphs split at blank lines."""
    kept = [
        "\n".join(c for c in (clean(line) for line in para.split("\n")) if c) for para in re.split(r"\n\s*\n", text)
    ]
    return "\n\n".join(k for k in kept if k)


#: Every character Python takes for white space, and the zero-width space, a letter, an accented one.
ALL_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200bxé"


def folded(text: str) -> str:
    """clean() as documented: runs of these characters folded to one space, the ends stripped."""
    runs = r"[ \t\r\f\v\u00a0\u2009\u202f\u200b]{2,}|[\t\r\f\v\u00a0\u2009\u202f\u200b]"
    return re.sub(runs, " ", text.replace("\n", " ")).strip()


@given(st.text(ALL_SPACES, max_size=30))
def test_clean_folds_its_white_space_only(text: str) -> None:
    """An em space or a file separator stays between words (str.split() would fold them too)."""
    assert clean(text) == folded(text)


@given(st.text(SPACES + ALL_SPACES, max_size=40))
def test_normalize_paragraphs(text: str) -> None:
    assert normalize_paragraphs(text) == by_paragraph(text)


def test_pre_keeps_its_line_breaks_and_a_dropped_tail_joins_it() -> None:
    el = element("<pre>a\nb<span class='out'>x</span>c\nd</pre>")
    assert block_text(el, marked) == "a\nbc\nd"
