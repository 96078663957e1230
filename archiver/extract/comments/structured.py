"""Structured comments: schema.org ``Comment`` items in microdata, and JSON-LD ``comment`` arrays."""

from __future__ import annotations

from datetime import datetime

from archiver.extract.comments.scan import Item, Scan
from archiver.extract.comments.vocabulary import COMMENT_TYPE
from archiver.extract.dates import parse_date
from archiver.extract.structured import StructuredData, node_types
from archiver.extract.text import clean
from archiver.items import Comment


def microdata_items(scan: Scan) -> list[Item]:
    """The page's elements typed as a schema.org Comment, each one item."""
    items = []
    for el, itemtype in scan.typed:
        if COMMENT_TYPE.search(itemtype.rstrip("/")):
            items.append(Item(el, [el]))
    return items


def jsonld_comments(data: StructuredData, now: datetime) -> list[Comment]:
    """The comments of the article's JSON-LD ``comment`` property, numbered in their order."""
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
