"""archiver's own reader of a plain article container: the text trafilatura gives of it, and
trafilatura itself for every container that is not plain."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from archiver.extract import extract_article
from archiver.extract.body import _trafilatura_text, generic_body, main_region
from archiver.extract.container import plain_text
from archiver.extract.document import parse_html
from tests.conftest import body_paragraphs

SENTENCES = [
    "The ferry to the island ran late on Sunday, and the queue on the quay reached the fish market.",
    "Passengers said the crossing took twice as long as usual because of the wind from the north.",
    "The harbour master promised a second boat for the summer, when the island festival draws crowds.",
    "Shopkeepers on the island say a late ferry costs them the morning trade of the day visitors.",
    "The council will discuss the timetable at its next meeting, which is open to the public.",
    "A petition asking for an earlier first crossing has gathered four hundred names in a week.",
]
#: Each sentence a second one longer: a plain container holds 750 characters of paragraphs or more.
PARAGRAPHS = [f"{s} Nobody on the quay could remember a worse week for the crossing." for s in SENTENCES]


def _page(container: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Ferry late again</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Ferry late again</h1>{container}</article>"
        "<footer><p>The Island Courier</p></footer></body></html>"
    )


def _region(container: str):
    region = main_region(parse_html(_page(container)))
    assert region is not None
    return region


#: Paragraphs as a page's source may break them across lines.
SOURCE_BROKEN = [p.replace(" the ", " the\n  ", 1) for p in PARAGRAPHS]
PLAIN = (
    "<div class='entry-content'>"
    f"<p>{SOURCE_BROKEN[0]}<img src='/quay.jpg' alt='The quay'></p>"
    "<script>var slot = 'ad-1';</script>"
    "<figure><img src='/ferry.jpg' alt=''><figcaption>The ferry at the quay</figcaption></figure>"
    "<p><a href='/subscribe'>Subscribe</a></p>"
    f"<p>{PARAGRAPHS[1][:40]}<em>{PARAGRAPHS[1][40:60]}</em><a href='/wind'><strong>{PARAGRAPHS[1][60:80]}</strong></a>"
    f"{PARAGRAPHS[1][80:]}</p>"
    "<h2>What the harbour says</h2>"
    f"<p>{SOURCE_BROKEN[2]}<br>{PARAGRAPHS[3]}</p>"
    "<ul><li>Monday: <b>first boat</b> at seven</li><li>Tuesday: no change</li></ul>"
    f"<div><blockquote><p>{PARAGRAPHS[4]}</p></blockquote></div>"
    f"<p>\n  {PARAGRAPHS[5]}\n</p>"
    "<h3>Read more</h3>"
    "</div>"
)
#: Written by reading PLAIN: one line a block, a <br> ends a line (so does a line break of the
#: source in a paragraph with a <br>, where trafilatura keeps the source's white space; not
#: elsewhere), list items marked "- ", the script, the figure with its caption, the lone short link
#: and the heading that ends the container left out (trafilatura deletes them all).
PLAIN_TEXT = "\n".join(
    [
        PARAGRAPHS[0],
        PARAGRAPHS[1],
        "What the harbour says",
        "The harbour master promised a second boat for the",
        "summer, when the island festival draws crowds."
        " Nobody on the quay could remember a worse week for the crossing.",
        PARAGRAPHS[3],
        "- Monday: first boat at seven",
        "- Tuesday: no change",
        PARAGRAPHS[4],
        PARAGRAPHS[5],
    ]
)


def test_a_plain_container_is_read_block_by_block() -> None:
    assert plain_text(_region(PLAIN)) == PLAIN_TEXT


def _folded(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").split("\n")]


def test_a_plain_container_reads_as_trafilatura_reads_it() -> None:
    # the same lines; trafilatura keeps the source's spaces inside a paragraph with a <br>, which the body folds
    region = _region(PLAIN)
    assert _folded(_trafilatura_text(region, "https://news.example.org/ferry", fast=True)) == _folded(
        plain_text(region)
    )


def test_the_body_of_a_plain_container_has_a_paragraph_a_line() -> None:
    article = extract_article(_page(PLAIN).encode(), "https://news.example.org/ferry")
    assert article.body == PLAIN_TEXT.replace("\n", "\n\n")


FALLBACKS = {
    "share block": "<div class='share-buttons'><a href='#fb'>Share</a> <a href='#tw'>Post</a></div>",
    "figure holding a table": "<figure><table><tr><td>Monday</td><td>7:00</td></tr></table></figure>",
    "table": "<table><tr><td>Monday</td><td>7:00</td></tr></table>",
    "paragraph of a boilerplate class": f"<p class='social-links'>{PARAGRAPHS[0]}</p>",
    "an inner block trafilatura takes for the container": f"<div class='article-content'><p>{PARAGRAPHS[0]}</p></div>",
    "paragraph of links that what follows it decides": "<p><a href='/a'>The timetable for the summer</a> here</p>",
    "nested list": "<ul><li>Monday<ul><li>first boat</li></ul></li></ul>",
    "text between blocks": "Loose text",
}


@pytest.mark.parametrize("extra", FALLBACKS.values(), ids=FALLBACKS.keys())
def test_a_container_that_is_not_plain_is_left_to_trafilatura(extra: str) -> None:
    container = PLAIN.replace("<h2>", f"{extra}<h2>")
    assert plain_text(_region(container)) is None


def test_a_container_of_a_boilerplate_class_is_left_to_trafilatura() -> None:
    # trafilatura prunes an element classed "sidebar" whatever it holds
    assert plain_text(_region(PLAIN.replace("'entry-content'", "'entry-content sidebar'"))) is None


def test_a_short_container_is_left_to_trafilatura() -> None:
    # under 750 characters of paragraph text, trafilatura reads <div> text too and may rescue a short text
    container = f"<div class='entry-content'><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>"
    assert plain_text(_region(container)) is None


URL = "https://news.example.org/ferry"


def _own_and_trafilatura(container: str) -> tuple[str | None, str]:
    """plain_text's reading of a container and trafilatura's fast mode's, as the body normalizes them."""
    region = _region(container)
    own = plain_text(region)
    return (None if own is None else body_paragraphs(own)), body_paragraphs(_trafilatura_text(region, URL, fast=True))


BASE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:5])


@pytest.mark.parametrize(
    "deleted", ["<noscript>Please enable JavaScript to view</noscript>", "<style>.a{color:red;font-size:12px}</style>"]
)
def test_link_text_leaves_out_what_trafilatura_deletes(deleted: str) -> None:
    # "here" is a link of 4 characters in 24: trafilatura deletes the noscript / style before its link-density test
    own, trafilatura = _own_and_trafilatura(f"<p>Read the report <a href='/r'>here{deleted}</a> now</p>{BASE}")
    assert own == trafilatura
    assert own is not None and "Read the report here now" in own.split("\n")


@pytest.mark.parametrize("blank", ["<p>&nbsp;</p>", "<p> </p>"])
def test_a_heading_before_a_blank_paragraph_at_the_end_is_not_dropped(blank: str) -> None:
    # trafilatura drops the headings that end its text, up to a block it keeps: a paragraph of white space is one
    own, trafilatura = _own_and_trafilatura(f"{BASE}<h2>End</h2>{blank}")
    assert trafilatura.endswith("\nEnd")
    assert own is None or own == trafilatura


def test_a_list_item_broken_in_the_source_before_its_text_reads_as_trafilatura_reads_it() -> None:
    # with a <br> in the item, trafilatura keeps the source's line break: "- " alone on a line, then the text
    own, trafilatura = _own_and_trafilatura(f"<ul><li>\n  Item one<br></li><li>Item two</li></ul>{BASE}")
    assert own is None or own == trafilatura


@pytest.mark.parametrize(
    "char", ["\x07", "\x0b", "\x1f", "\ufffe"], ids=["bell", "vertical tab", "unit separator", "U+FFFE"]
)
def test_a_container_with_a_character_xml_cannot_hold_is_left_to_trafilatura(char: str) -> None:
    # trafilatura gives no text of it (lxml refuses the character where it sets a text): the body stays as it was
    region = _region(f"<p>The bell{char} rang twice</p>{BASE}")
    assert plain_text(region) is None
    assert _trafilatura_text(region, URL, fast=True) is None


#: Containers that look plain, tried against trafilatura by a review of the reader (1-4: the four
#: differences it found, fixed since): the reader gives trafilatura's text or leaves them to it.
ADVERSARIAL = {
    "noscript in a link": "<p>Read the report <a href='/r'>here<noscript>Enable JavaScript</noscript></a> now</p>",
    "svg title in a link": "<p>See the map <a href='/t'><svg><title>Open the map in a window</title></svg>here</a></p>",
    "heading before a blank paragraph at the end": f"{BASE}<h2>End</h2><p>&nbsp;</p>",
    "list item broken in the source": "<ul><li>\n  Item one<br>\n</li><li>Item two</li></ul>",
    "control character": "<p>The bell\x07 rang and the \x0b tab</p>",
    "entities": "<p>Caf&eacute; &amp; bar &lt;b&gt; &quot;q&quot; &#8217; &amp;amp; &amp;lt;x&amp;gt;</p>",
    "no-break and zero-width spaces": "<p>One&nbsp;two&nbsp;&nbsp;three &nbsp; four&#8203;five&#x200d;six</p>",
    "nested inline markup": "<p>A <span><em><b><a href='/x'>deep <i>link</i></a></b> text</em> tail</span> end.</p>",
    "runs of line breaks": "<p>Line one<br><br><br>Line two<br/>  <br>Line three</p>",
    "line breaks at the edges": "<p><br>Start<br></p>",
    "empty paragraphs": "<p></p><p> </p>",
    "headings between and at the end": f"<h2>One</h2><h3>Two</h3>{BASE}<h2>End</h2><h3>End too</h3>",
    "short paragraph mostly a link": "<p><a href='/a'>aaaaaaaaaaaaaaaaaaaaaa</a> bbbbb</p>",
    "two short links in a paragraph": f"<p><a href='/a'>ab</a> {'c' * 30} <a href='/b'>de</a> {'f' * 28}</p>",
    "list of links": "<ul><li><a href='/1'>One link</a></li><li><a href='/2'>Two link</a></li><li>plain</li></ul>",
    "quotation of paragraphs": "<blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>",
    "footnote link": "<p>E = mc<sup>2</sup> and H<sub>2</sub>O<sup><a href='#fn1'>1</a></sup> here.</p>",
    "comment and processing instruction": "<p>Before<!-- c -->after</p><!-- between --><p>x<?php echo 1 ?>y</p>",
    "source line breaks and emphasis": "<p>line\none <em>x</em>\ntwo</p>",
    "a line break of the source in a span, a <br> after": "<p>a<span>b\nc</span><br>d</p>",
    "unicode spaces": "<p>a\u2009b\u3000c\u2028d\u2029e\u0085f</p>",
    "heading then a rule at the end": f"{BASE}<h2>End</h2><hr>",
}


@pytest.mark.parametrize("extra", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_a_plain_looking_container_reads_as_trafilatura_reads_it(extra: str) -> None:
    own, trafilatura = _own_and_trafilatura(extra if BASE in extra else f"{extra}{BASE}")
    assert own is None or own == trafilatura


def _with_trafilatura_calls(action: Callable[[], str | None]) -> tuple[str | None, int]:
    """``action``'s result and how many times it ran trafilatura's ``bare_extraction`` (counted by a
    profile hook on the interpreter's calls, trafilatura itself untouched)."""
    calls = 0

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        code = frame.f_code
        if event == "call" and code.co_name == "bare_extraction" and "trafilatura" in code.co_filename:
            calls += 1

    before = sys.getprofile()
    sys.setprofile(hook)
    try:
        result = action()
    finally:
        sys.setprofile(before)
    return result, calls


def test_generic_body_reads_a_plain_container_without_trafilatura() -> None:
    tree = parse_html(_page(PLAIN))
    region = main_region(tree)
    assert region is not None and plain_text(region) is not None
    body, calls = _with_trafilatura_calls(lambda: generic_body(tree, URL, region))
    assert calls == 0
    assert body == PLAIN_TEXT.replace("\n", "\n\n")


def test_generic_body_reads_a_container_that_is_not_plain_with_trafilatura() -> None:
    # the counter's check: a table makes the container not plain
    tree = parse_html(_page(PLAIN.replace("<h2>", f"{FALLBACKS['table']}<h2>")))
    region = main_region(tree)
    assert region is not None and plain_text(region) is None
    body, calls = _with_trafilatura_calls(lambda: generic_body(tree, URL, region))
    assert calls >= 1 and body
