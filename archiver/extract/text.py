"""Text out of markup: whitespace folding and paragraph-preserving element text."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f\u200b]+")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ol",
        "ul",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "table",
        "tr",
        "figure",
        "figcaption",
        "aside",
        "address",
        "hr",
        "main",
        "nav",
        "form",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "button", "input", "textarea", "select"])


def clean(text: str | None) -> str:
    """Fold runs of white space to one space and strip the ends."""
    if not text:
        return ""
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


def _walk(el: etree._Element, out: list[str], skip: Callable[[etree._Element], bool] | None) -> None:
    """Append the text of el and its descendants (not el's tail) to out."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n\n")
    if tag == "br":
        out.append("\n")
    raw = tag == "pre"
    if el.text and tag:
        out.append(el.text if raw else el.text.replace("\n", " "))
    for child in el:
        # A skipped child's tail reads as lxml's drop_tree would join it: to the text of the
        # parent (kept as is in <pre>) or to the tail of the last child kept (as is after a skipped tag).
        if skip is None or not skip(child):
            _walk(child, out, skip)
            raw = isinstance(child.tag, str) and child.tag in _SKIP_TAGS
        if child.tail:
            out.append(child.tail if raw else child.tail.replace("\n", " "))
    if block:
        out.append("\n\n")


def block_text(el: etree._Element, skip: Callable[[etree._Element], bool] | None = None) -> str:
    """The element's visible text with paragraphs as blank lines and <br> as line breaks.

    Descendants for which ``skip`` is true are left out with their subtree, as if dropped with
    ``drop_tree()``, without copying the element.
    """
    out: list[str] = []
    _walk(el, out, skip)
    return normalize_paragraphs("".join(out))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalize_paragraphs(text: str) -> str:
    """Clean each line, keep single line breaks and collapse blank runs to one blank line."""
    kept = []
    for para in _PARAGRAPH_BREAK.split(text):
        # as clean() on each line: runs of white space never span a line break
        lines = [line.strip() for line in _SPACE.sub(" ", para).split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            kept.append(joined)
    return "\n\n".join(kept)


def inline_text(el: etree._Element) -> str:
    """The element's text on one line."""
    return clean(block_text(el).replace("\n", " "))
