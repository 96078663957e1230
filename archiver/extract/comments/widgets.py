"""Comment widgets whose rendered markup the generic rules do not read: their selectors, as data.

A widget's comments are in a page only once a browser has rendered it (``archiver.crawl.render``).
Each entry holds the text its markup always contains (a cheap test before any selector runs) and
the roles of a comment as a site profile's comment selectors name them: "item" (one comment, its
replies nested inside it), "author", "date" and "body" (of that comment alone, not its replies).
Each is written from the widget's published template and backed by a page reproducing it
(tests/test_render_widgets.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from archiver.extract.profiles import Rule


@dataclass(frozen=True)
class Widget:
    """One comment widget's rendered markup."""

    name: str
    marker: str  # a text its rendered markup always holds
    selectors: tuple[tuple[str, str], ...]  # (role, CSS or XPath)

    def rules(self) -> dict[str, Rule]:
        return {role: Rule.parse(selector, f"widget {self.name}") for role, selector in self.selectors}


WIDGETS = (
    # Isso (isso/js/app/templates/comment.js): div.isso-comment#isso-<id> > div.isso-text-wrapper >
    # (div.isso-comment-header: .isso-author, a.isso-permalink > time[datetime]; div.isso-text);
    # replies in its div.isso-follow-up
    Widget(
        "isso",
        "isso-comment",
        (
            ("item", "div.isso-comment"),
            ("author", "(./div[contains(@class, 'isso-text-wrapper')]/div[contains(@class, 'isso-comment-header')]"
                       "/*[contains(@class, 'isso-author')])"),
            ("date", "(./div[contains(@class, 'isso-text-wrapper')]/div[contains(@class, 'isso-comment-header')]"
                     "//time/@datetime)"),
            ("body", "(./div[contains(@class, 'isso-text-wrapper')]"
                     "/div[contains(concat(' ', @class, ' '), ' isso-text ')])"),
        ),
    ),
    # utterances (src/comment-component.ts), in its frame: article.timeline-comment > a.avatar,
    # div.comment > (header.comment-header > span.comment-meta: the login's link, "commented", the time
    # ago's link; div.markdown-body); the new-comment form is an article.timeline-comment too
    Widget(
        "utterances",
        "timeline-comment",
        (
            ("item", "//article[contains(concat(' ', normalize-space(@class), ' '), ' timeline-comment ')]"
                     "[div/div[contains(@class, 'markdown-body')]]"),
            ("author", "(./div/header/span[contains(@class, 'comment-meta')]/a[1])"),
            ("date", "(./div/header/span[contains(@class, 'comment-meta')]/a[2])"),
            ("body", "(./div/div[contains(@class, 'markdown-body')])"),
        ),
    ),
    # Commento (frontend/js/commento.js, commentsRecurse): div.commento-card#commento-card-HEX >
    # (div.commento-header: .commento-name, .commento-subtitle > .commento-timeago[title = the date];
    # div#commento-contents-HEX > div#commento-body-HEX.commento-body, then the replies'
    # div#commento-children-HEX, also of class commento-body)
    Widget(
        "commento",
        "commento-card",
        (
            ("item", "div.commento-card"),
            ("author", "(./div[contains(@class, 'commento-header')]/*[contains(@class, 'commento-name')])"),
            ("date", "(./div[contains(@class, 'commento-header')]//*[contains(@class, 'commento-timeago')]/@title)"),
            ("body", "(./div[starts-with(@id, 'commento-contents-')]/div[starts-with(@id, 'commento-body-')])"),
        ),
    ),
)  # fmt: skip

_COMPILED = tuple((widget.marker, widget.rules()) for widget in WIDGETS)


def widget_rules(text: str, tree: lxml.html.HtmlElement) -> dict[str, Rule] | None:
    """The comment selectors of the first widget whose rendered comments are in the page, or None."""
    for marker, rules in _COMPILED:
        if marker in text and rules["item"].elements(tree):
            return rules
    return None
