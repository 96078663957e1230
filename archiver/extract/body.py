"""Main text by trafilatura, on a tree from which the comments were already taken out."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import lxml.html
import trafilatura

from archiver.extract.text import normalize_paragraphs

# trafilatura logs ordinary extraction failures at ERROR; for archiver they are expected.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class GenericResult:
    """What the generic layer found: body text and, when asked, its metadata guesses."""

    body: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None


def _paragraphs(text: str | None) -> str | None:
    if not text:
        return None
    return normalize_paragraphs(text.replace("\n", "\n\n")) or None


def extract_generic(tree: lxml.html.HtmlElement, url: str, with_metadata: bool) -> GenericResult:
    """Body text (paragraphs as blank lines) and, optionally, trafilatura's metadata."""
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=with_metadata,
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except ValueError:
        return GenericResult()
    if doc is None or isinstance(doc, dict):
        return GenericResult()
    return GenericResult(
        body=_paragraphs(doc.text),
        title=doc.title,
        author=doc.author,
        date=doc.date,
    )
