"""Reader comments as records: number, author, date, text, parent, anchor and kind.

Rules, from the most specific to the most generic:
0. a site profile's comment selectors, or those of a comment widget's rendered markup (``widgets``);
1. schema.org ``Comment`` and ``Answer`` items in microdata (a Q&A page's answers, and the comments
   under them) and JSON-LD ``comment`` arrays (``structured``);
2. a forum thread: posts with ids by their software's convention (phpBB, vBulletin, XenForo,
   bbPress, MyBB, FluxBB, SMF), whose first post is the body and the others the comments, also
   where microdata types every post as a comment (vBulletin 4) (``thread``);
3. a container whose id or class speaks of comments (WordPress, Drupal, Blogger, news sites'
   own markup), split into repeated items by their shared markup signature, or into runs of
   siblings that each start with a repeated header (Blogger's ``<dt>``/``<dd>``, flat lists);
   items at its head dated to the second as the page's first ``<time>`` are the page's own post
   (Invision Community 4's topics) (``thread``, with the per-page cache in ``scan``);
4. inside each item, roles by markup convention (``fn``, ``author``, ``<time>``, ``content``)
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
from archiver.extract.comments.thread import find_items, regions_of, thread_posts
from archiver.extract.comments.vocabulary import COMMENT_ONLY_TYPE
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


def with_unmarked_comments(items: list[Item], scan: Scan) -> list[Item]:
    """Microdata items, with the comments found by markup where the microdata types only answers.

    A Q&A page may type its answers (schema.org ``Answer``) and leave the comments under the
    question and under each answer untyped: those are found as any comment list is.
    """
    if not items or any(COMMENT_ONLY_TYPE.search(i.root.get("itemtype", "")) for i in items):
        return items
    roots = {i.root for i in items}
    extra = [i for i in find_items(scan) if i.root not in roots]
    if not extra:
        return items
    position = {el: n for n, el in enumerate(scan.elements)}
    return sorted(items + extra, key=lambda i: position[i.root])


def _posts_are_items(replies: list[Item], items: list[Item], scan: Scan) -> bool:
    """Whether a thread's replies are the items found otherwise, with one more: its first post.

    vBulletin types every post of a thread as a schema.org ``Comment``, the opening one too (and
    their list as ``UserComments``, which holds the replies and is none of them).
    """
    posts = {r.root for r in replies}
    if not posts or not posts <= {i.root for i in items}:
        return False
    others = [i.root for i in items if i.root not in posts and not scan.is_within(replies[0].root, i.root)]
    return len(others) == 1


def extract_comments(
    page: Page, data: StructuredData, now: datetime, rules: dict[str, Rule] | None = None
) -> CommentsResult:
    """All reader comments of the page in reading order, with the page's comment status.

    ``rules`` are a site profile's comment selectors ("item", "author", "date", "body").
    """
    scan = Scan(page.tree, now, page.url)
    rules = rules if rules and "item" in rules else widget_rules(page.text, page.tree) or rules
    given = bool(rules and "item" in rules)  # a site profile (or a widget's markup) says what a comment is
    if rules and "item" in rules:
        items = [Item(el, [el]) for el in rules["item"].elements(page.tree)]
    else:
        items = with_unmarked_comments(microdata_items(scan), scan)
    replies = None if given and items else thread_posts(scan)  # the profile's items are the page's comments
    if items and replies is not None and not _posts_are_items(replies, items, scan):
        replies = None  # a forum thread's posts typed as comments are still its posts: the first is the body
    if replies is not None:
        items = replies
    items = items or ([] if replies is not None else find_items(scan))
    # a thread's replies leave its first post, the body, in the page: they are the regions themselves
    regions = [i.root for i in items] if replies is not None else regions_of(items)
    comments = [c for c in read_items(items, scan, rules) if c.body or c.author]
    if replies is not None:
        for comment in comments:
            comment.parent = None  # a forum thread's posts are flat: one nested in another is broken markup
    if not comments:
        comments = jsonld_comments(data, now)
    if not comments:
        return CommentsResult([], status_without_comments(page, scan.elements), regions)
    return CommentsResult(comments, "present", regions)
