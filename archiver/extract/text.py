"""Text out of markup: whitespace folding and paragraph-preserving element text."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

#: Runs of white space that fold to one space: a lone plain space (most are) is left as it is.
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f\u200b]{2,}|[\t\r\f\v\u00a0\u2009\u202f\u200b]")
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


#: The characters that ``str.split()`` and ``str.strip()`` take for white space and ``_SPACE`` does
#: not (the line breaks aside), and the zero-width space, which only ``_SPACE`` folds: in a text
#: without them, ``" ".join(line.split())`` is ``_SPACE.sub(" ", line).strip()``, a C loop where
#: the regex stops at every space.
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u2008\u200a\u200b\u2028\u2029\u205f\u3000]")


def clean(text: str | None) -> str:
    """Fold runs of white space to one space and strip the ends."""
    if not text:
        return ""
    if _OTHER_SPACE.search(text) is None:
        return " ".join(text.split())  # the same, faster (see _OTHER_SPACE); "\n" is white space to both
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


def _walk(el: etree._Element, out: list[str], skip: Callable[[etree._Element], bool] | None) -> None:
    """Append the text of el and its descendants (not el's tail) to out."""
    tag = el.tag
    if tag in _SKIP_TAGS or not isinstance(tag, str):
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n\n")
    elif tag == "br":
        out.append("\n")
    raw = tag == "pre"
    if el.text:
        out.append(el.text if raw else el.text.replace("\n", " "))
    for child in el:
        # A skipped child's tail reads as lxml's drop_tree would join it: to the text of the
        # parent (kept as is in <pre>) or to the tail of the last child kept (as is after a skipped tag).
        if skip is None or not skip(child):  # a skipped child: only its tail is read, below
            if len(child):
                _walk(child, out, skip)
                raw = child.tag in _SKIP_TAGS
            else:
                raw = _leaf(child, out)
        if child.tail:
            out.append(child.tail if raw else child.tail.replace("\n", " "))
    if block:
        out.append("\n\n")


def _leaf(el: etree._Element, out: list[str]) -> bool:
    """_walk() for an element without children, the most common kind; whether its tail is kept as is."""
    tag = el.tag
    if tag in _SKIP_TAGS:
        return True
    if isinstance(tag, str):
        block = tag in _BLOCK_TAGS
        if block:
            out.append("\n\n")
        elif tag == "br":
            out.append("\n")
        if el.text:
            out.append(el.text if tag == "pre" else el.text.replace("\n", " "))
        if block:
            out.append("\n\n")
    return False


def block_text(el: etree._Element, skip: Callable[[etree._Element], bool] | None = None) -> str:
    """The element's visible text with paragraphs as blank lines and <br> as line breaks.

    Descendants for which ``skip`` is true are left out with their subtree, as if dropped with
    ``drop_tree()``, without copying the element.
    """
    out: list[str] = []
    _walk(el, out, skip)
    return normalize_paragraphs("".join(out))


def _walk_pair(
    el: etree._Element,
    out: list[str],
    out_without: list[str],
    skip: Callable[[etree._Element], bool],
    without: tuple[etree._Element, ...],
) -> None:
    """_walk() into out, and at once into out_without as if the elements in without were skipped too."""
    tag = el.tag
    if tag in _SKIP_TAGS or not isinstance(tag, str):
        return
    start = len(out)
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n\n")
    elif tag == "br":
        out.append("\n")
    raw = raw_without = tag == "pre"
    if el.text:
        out.append(el.text if raw else el.text.replace("\n", " "))
    out_without.extend(out[start:])  # both start alike
    for child in el:
        if not skip(child):  # a skipped child: only its tail is read, below
            if child in without:
                _walk(child, out, skip)
                raw = child.tag in _SKIP_TAGS
            elif len(child):
                _walk_pair(child, out, out_without, skip, without)
                raw = raw_without = child.tag in _SKIP_TAGS
            else:
                start = len(out)
                raw = raw_without = _leaf(child, out)
                out_without.extend(out[start:])
        if child.tail:
            out.append(child.tail if raw else child.tail.replace("\n", " "))
            out_without.append(child.tail if raw_without else child.tail.replace("\n", " "))
    if block:
        out.append("\n\n")
        out_without.append("\n\n")


def block_text_pair(
    el: etree._Element, skip: Callable[[etree._Element], bool], without: tuple[etree._Element, ...]
) -> tuple[str, str]:
    """block_text(el, skip), and the same with the elements in without skipped too, in one walk."""
    out: list[str] = []
    out_without: list[str] = []
    _walk_pair(el, out, out_without, skip, without)
    return normalize_paragraphs("".join(out)), normalize_paragraphs("".join(out_without))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalize_paragraphs(text: str) -> str:
    """Clean each line, keep single line breaks and collapse blank runs to one blank line."""
    if "\u200b" in text:
        return _normalize_by_paragraph(text)
    # Line by line: a blank line between two kept lines makes them two paragraphs. Folding the
    # spaces of the whole text first is the same as folding each line's, since every character
    # folded (but the zero-width space, handled above) is white space to the paragraph split too.
    out: list[str] = []
    blank = False
    fold = _OTHER_SPACE.search(text) is None  # each line folded in C (see _OTHER_SPACE)
    lines = text.split("\n") if fold else [line.strip() for line in _SPACE.sub(" ", text).split("\n")]
    for line in lines:
        if fold and line:  # an empty line (most: a block's text starts and ends with "\n\n") needs none
            line = " ".join(line.split())
        if line:
            if out:
                out.append("\n\n" if blank else "\n")
            out.append(line)
            blank = False
        else:
            blank = True
    return "".join(out)


def _normalize_by_paragraph(text: str) -> str:
    kept = []
    for para in _PARAGRAPH_BREAK.split(text):
        lines = [clean(line) for line in para.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            kept.append(joined)
    return "\n\n".join(kept)


def inline_text(el: etree._Element) -> str:
    """The element's text on one line."""
    if not len(el) and el.tag != "pre" and el.tag not in _SKIP_TAGS and isinstance(el.tag, str):
        return clean(el.text)  # what the walk below gives for an element without children
    out: list[str] = []
    _walk(el, out, None)
    text = "".join(out)
    if "\n" not in text:
        return clean(text)  # one line: normalize_paragraphs() would clean it, no more
    return _on_one_line(text)


def block_text_on_one_line(el: etree._Element, skip: Callable[[etree._Element], bool] | None = None) -> str:
    """``clean(block_text(el, skip).replace("\\n", " "))``: the element's text, without what skip
    leaves out, on one line."""
    out: list[str] = []
    _walk(el, out, skip)
    return _on_one_line("".join(out))


def _on_one_line(text: str) -> str:
    """``clean(normalize_paragraphs(text).replace("\\n", " "))``, the paragraphs not worked out where
    that is the same.

    Without the characters of ``_OTHER_SPACE``, both are the text's words (``str.split()``) joined
    by single spaces: normalize_paragraphs() folds each line to its words and drops none, and the
    line breaks it keeps become spaces that ``clean`` folds.
    """
    if _OTHER_SPACE.search(text) is None:
        return " ".join(text.split())
    return clean(normalize_paragraphs(text).replace("\n", " "))
