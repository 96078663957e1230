"""Text out of markup: whitespace folding and paragraph-preserving element text."""

from __future__ import annotations

import re

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


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        if el.tail:
            out.append(el.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n\n")
    if tag == "br":
        out.append("\n")
    if el.text and tag:
        out.append(el.text if tag == "pre" else el.text.replace("\n", " "))
    for child in el:
        _walk(child, out)
    if block:
        out.append("\n\n")
    if el.tail:
        out.append(el.tail.replace("\n", " "))


def block_text(el: etree._Element) -> str:
    """The element's visible text with paragraphs as blank lines and <br> as line breaks."""
    out: list[str] = []
    saved_tail, el.tail = el.tail, None
    try:
        _walk(el, out)
    finally:
        el.tail = saved_tail
    return normalize_paragraphs("".join(out))


def normalize_paragraphs(text: str) -> str:
    """Clean each line, keep single line breaks and collapse blank runs to one blank line."""
    paragraphs = re.split(r"\n\s*\n", text)
    kept = []
    for para in paragraphs:
        lines = [clean(line) for line in para.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            kept.append(joined)
    return "\n\n".join(kept)


def inline_text(el: etree._Element) -> str:
    """The element's text on one line."""
    return clean(block_text(el).replace("\n", " "))
