"""Reader comments as records: number, author, date, text, parent, anchor and kind.

Rules, from the most specific to the most generic:
0. a site profile's comment selectors, or those of a comment widget's rendered markup (``widgets``);
1. schema.org ``Comment`` items in microdata and JSON-LD ``comment`` arrays (``structured``);
2. a container whose id or class speaks of comments (WordPress, Drupal, Blogger, news sites'
   own markup), split into repeated items by their shared markup signature, or into runs of
   siblings that each start with a repeated header (Blogger's ``<dt>``/``<dd>``, flat lists)
   (``thread``, with the per-page cache in ``scan``);
3. inside each item, roles by markup convention (``fn``, ``author``, ``<time>``, ``content``)
   and by text convention ("(3) Name says:", "Name said...", a date line) (``reading``, ``view``).

Where no comment is read, ``status`` says whether they load from a third party or are closed.
The words all of these look for are data, in ``vocabulary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import lxml.html

from archiver.extract.comments.order import read_items
from archiver.extract.comments.scan import Item, Scan
from archiver.extract.comments.status import status_without_comments
from archiver.extract.comments.structured import jsonld_comments, microdata_items
from archiver.extract.comments.thread import find_items, regions_of
from archiver.extract.comments.widgets import widget_rules
from archiver.extract.document import Page
from archiver.extract.profiles import Rule
from archiver.extract.structured import StructuredData
from archiver.items import Comment

__all__ = ["CommentsResult", "extract_comments"]


@dataclass
class CommentsResult:
    """Comments found on a page, the page's comment status, and the elements they occupy."""

    comments: list[Comment] = field(default_factory=list)
    status: str = "none"
    regions: list[lxml.html.HtmlElement] = field(default_factory=list)


def extract_comments(
    page: Page, data: StructuredData, now: datetime, rules: dict[str, Rule] | None = None
) -> CommentsResult:
    """All reader comments of the page in reading order, with the page's comment status.

    ``rules`` are a site profile's comment selectors ("item", "author", "date", "body").
    """
    scan = Scan(page.tree, now, page.url)
    rules = rules if rules and "item" in rules else widget_rules(page.text, page.tree) or rules
    if rules and "item" in rules:
        items = [Item(el, [el]) for el in rules["item"].elements(page.tree)]
    else:
        items = microdata_items(scan)
    items = items or find_items(scan)
    regions = regions_of(items)
    comments = [c for c in read_items(items, scan, rules) if c.body or c.author]
    if not comments:
        comments = jsonld_comments(data, now)
    if not comments:
        return CommentsResult([], status_without_comments(page), regions)
    return CommentsResult(comments, "present", regions)
