"""Comment widgets whose rendered markup the generic rules do not read: their selectors, as data.

A widget's comments are in a page only once a browser has rendered it (``archiver.crawl.render``).
Each entry holds the text its markup always contains (a cheap test before any selector runs) and
the roles of a comment as a site profile's comment selectors name them: "item" (one comment, its
replies nested inside it), "author", "date" and "body" (of that comment alone, not its replies), and
"number" where the widget's own markup says what a comment's number is (or, selecting nothing, that
it shows none, so that no count in it is read as one).
Each is written from the widget's published template and backed by a page reproducing it
(tests/test_render_widgets.py). Where each description came from:

- Isso: its comment template, isso/js/app/templates/comment.js (github.com/isso-comments/isso);
- utterances: src/comment-component.ts (github.com/utterance/utterances);
- Commento: frontend/js/commento.js, its commentsRecurse (gitlab.com/commento/commento);
- Disqus: the rendered post list of its comment frame (disqus.com/embed/comments/), as Disqus's
  own theme writes it and sites' style sheets and scrapers address it: ul#post-list, li.post#post-ID
  > div.post-content (span.post-byline > span.author, a.time-ago whose title is the date,
  div.post-message), replies in the post's ul.children;
- giscus: components/Comment.tsx and components/Reply.tsx (github.com/giscus/giscus);
- Remark42: frontend/apps/remark42/app/components/thread/thread.tsx and comment/comment.tsx
  (github.com/umputun/remark42);
- Coral: the class names it publishes for sites' styling, src/core/client/stream/classes.ts, and
  the comment container that carries them (github.com/coralproject/talk). A reply is not inside its
  parent's element there but in the reply list after it, which is how its parent is known (the
  generic rule of ``order``: the comment that precedes the reply block a comment sits in).
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
    # Disqus, in its frame: li.post#post-ID > (div.post-content > ... (span.post-byline >
    # span.author [> a]; a.time-ago[title = the date]; div.post-message); ul.children: the replies)
    Widget(
        "disqus",
        "post-message",
        (
            ("item", "//li[contains(concat(' ', normalize-space(@class), ' '), ' post ')]"
                     "[div[contains(@class, 'post-content')]]"),
            ("author", "(./div[contains(@class, 'post-content')]//*[contains(@class, 'post-byline')]"
                       "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')])"),
            ("date", "(./div[contains(@class, 'post-content')]//a[contains(@class, 'time-ago')]/@title)"),
            # no numbers: its likes' span.count is none
            ("number", "(./self::*[false()])"),
            ("body", "(./div[contains(@class, 'post-content')]"
                     "//div[contains(concat(' ', normalize-space(@class), ' '), ' post-message ')])"),
        ),
    ),
    # giscus, in its frame: div.gsc-comment > div > (div.gsc-comment-header > div.gsc-comment-author >
    # (a > span: the login; a > time[datetime]); div.gsc-comment-content; div.gsc-replies > div.gsc-reply
    # > div > div > (div.gsc-reply-header > div.gsc-reply-author > ...; div.gsc-reply-content))
    Widget(
        "giscus",
        "gsc-comment",
        (
            ("item", "//div[contains(concat(' ', normalize-space(@class), ' '), ' gsc-comment ')"
                     " or contains(concat(' ', normalize-space(@class), ' '), ' gsc-reply ')]"),
            ("author", "(./div/div[contains(@class, 'gsc-comment-header')]/div[contains(@class, 'gsc-comment-author')]"
                       "/a[1]/span | ./div/div/div[contains(@class, 'gsc-reply-header')]"
                       "/div[contains(@class, 'gsc-reply-author')]/a[1]/span)"),
            ("date", "(./div/div[contains(@class, 'gsc-comment-header')]//time/@datetime"
                     " | ./div/div/div[contains(@class, 'gsc-reply-header')]//time/@datetime)"),
            ("number", "(./self::*[false()])"),  # no numbers: its upvotes' span.gsc-...-item-count is none
            ("body", "(./div/div[contains(@class, 'gsc-comment-content')]"
                     " | ./div/div/div[contains(@class, 'gsc-reply-content')])"),
        ),
    ),
    # Remark42, in its frame: a thread, div[role=listitem], holds its comment, article.comment#remark42__comment-ID
    # > (div.comment__info: .comment__username, a.comment__time "{day} at {time}"; div.comment__body >
    # div.comment__text), then its replies' threads
    Widget(
        "remark42",
        "remark42__comment-",
        (
            ("item", "//div[starts-with(@role, 'listitem')][article[starts-with(@id, 'remark42__comment-')]]"),
            # the name is a button's text (it opens the user's profile): its text nodes, as buttons' text is not read
            ("author", "(./article/div[contains(@class, 'comment__info')]//*[contains(@class, 'comment__username')]"
                       "/text())"),
            ("date", "(./article/div[contains(@class, 'comment__info')]/a[contains(@class, 'comment__time')])"),
            ("body", "(./article/div[contains(@class, 'comment__body')]/div[contains(@class, 'comment__text')])"),
        ),
    ),
    # Coral, in its frame: div.coral-comment > div.coral-indent > (div.coral-comment-topBar:
    # .coral-comment-username, time.coral-comment-timestamp[datetime]; div.coral-comment-content)
    Widget(
        "coral",
        "coral-comment",
        (
            ("item", "//div[contains(concat(' ', normalize-space(@class), ' '), ' coral-comment ')]"),
            ("author", "(.//*[contains(concat(' ', normalize-space(@class), ' '), ' coral-comment-username ')]"
                       "/text())"),  # a button's text (it opens the user's popover)
            ("date", "(.//time[contains(@class, 'coral-comment-timestamp')]/@datetime)"),
            ("body", "(.//div[contains(concat(' ', normalize-space(@class), ' '), ' coral-comment-content ')])"),
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
