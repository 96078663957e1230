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
  generic rule of ``order``: the comment that precedes the reply block a comment sits in);
- Viafoura (its classic widget, as news sites' scrapers address it): div.vf-comment-thread holds a
  comment's div.vf-comment-container (.vf-comment-username, .vf-date, .vf-comment-html-content) and its
  replies' containers in div.vf-child-comments, more behind .vf-replies-button and .vf-load-more
  (Viafoura publishes no template: public scrapers of CBC's comments, named by their functions and
  selectors in the reader's comment: __getComments_CBC; a Scrapy spider's "p[contains(@class,
  'vf-comment-html')]" and "span[contains(@class, 'vf-username')]"; a puppeteer scraper's
  ".vf-comment-html" and ".vf-load-more");
- OpenWeb (Spot.IM): the conversation a script renders into an open shadow root under
  [data-spotim-module="conversation"] (the vendor's own userscripts, github.com/SpotIM/userscripts,
  ninja-tools/src/utils.ts findConversation): ul.spcv_messages-list > li > article.spcv_root-message
  > div > div.spcv_message-stack, its own parts marked by data-spot-im-class (message-username,
  message-timestamp whose title is the date "9 Jan, 2024 7:41 AM", message-text), its replies'
  stacks in its ul.spcv_children-list > li > div (Fox News and Yahoo comment scrapers that walk that
  shadow root); the renderer hands such a root to the extractor as declarative shadow DOM
  (``archiver.crawl.render``);
- the Facebook comments plugin, in its frame (facebook.com/plugins/comments.php): div._3-8y
  (div.UFIImageBlockContent > ... > (span > a.UFICommentActorName; div._3-8m span._5mdd: the text;
  div._2vq9: abbr.UFISutroCommentTimestamp.livetimestamp[data-utime = the Unix time]; div._44ri: the
  replies, each a div._3-8y)), as a saved copy of the rendered frame and the public scrapers of it
  show it (Facebook publishes no template for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html

from archiver.extract.profiles import Rule


@dataclass(frozen=True)
class Widget:
    """One comment widget's rendered markup."""

    name: str
    marker: str  # a text its rendered markup always holds
    selectors: tuple[tuple[str, str], ...]  # (role, CSS or XPath)
    unix_dates: bool = False  # its "date" selects a Unix time in seconds (Facebook's data-utime)

    def rules(self) -> dict[str, Rule]:
        rules = {role: Rule.parse(selector, f"widget {self.name}") for role, selector in self.selectors}
        if self.unix_dates:
            rules["date"] = UnixTimeRule(rules["date"].xpath, rules["date"].attribute)
        return rules


#: The longest Unix time read (seconds, 11 digits: up to the year 5138): no overflow from a hostile page.
_UNIX_DIGITS = 11


class UnixTimeRule(Rule):
    """A rule selecting Unix times in seconds, read as ISO 8601 instants in UTC."""

    def values(self, root: lxml.html.HtmlElement) -> list[str]:
        found = (v.strip() for v in super().values(root))
        seconds = [int(v) for v in found if v.isdigit() and len(v) <= _UNIX_DIGITS]
        return [datetime.fromtimestamp(s, UTC).isoformat() for s in seconds]


def _has_class(name: str) -> str:
    """XPath: the element's class attribute holds this class name (a whole word of it)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


#: The parts of a Facebook plugin comment that are its own, not its replies' (div._44ri holds those).
_FB_OWN = f"(.//div[{_has_class('UFIImageBlockContent')}])[1]/div/div/*[not({_has_class('_44ri')})]"
#: A Viafoura comment's own container: the thread's first one (its replies' come after), or the reply itself.
_VF_OWN = f"./descendant-or-self::div[{_has_class('vf-comment-container')}][1]"
#: The own parts of an OpenWeb comment's div.spcv_message-stack (its replies are in a ul beside them).
_OW_OWN = "./div[not(contains(@class, 'spcv_show-more-replies'))]"


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
    # Viafoura, classic: div.vf-comment-thread > (div.vf-comment-container[data-id] (.vf-comment-username or
    # .vf-username; .vf-date, its relative time; .vf-comment-html-content or .vf-comment-html: the text;
    # .vf-count-likes); div.vf-comment-replies > .vf-replies-button; div.vf-child-comments > its replies'
    # div.vf-comment-container) -- a CBC scraper (newspaper/.../cbc: __getComments_CBC, __get_username,
    # __get_text, __get_time, __get_comment_id), a Scrapy spider of the same site and a puppeteer
    # scraper's selectors. A thread is the item (its replies nested in it); each reply its container.
    Widget(
        "viafoura",
        "vf-comment-container",
        (
            ("item", f"//div[{_has_class('vf-comment-thread')}]"
                     f" | //div[{_has_class('vf-child-comments')}]//div[{_has_class('vf-comment-container')}]"),
            ("author", f"({_VF_OWN}//*[contains(@class, 'vf-comment-username') or {_has_class('vf-username')}])"),
            ("date", f"({_VF_OWN}//*[{_has_class('vf-date')}])"),
            ("number", "(./self::*[false()])"),  # no numbers: its likes' .vf-count-likes is none
            ("body", f"({_VF_OWN}//*[contains(@class, 'vf-comment-html')]"
                     "[not(ancestor::*[contains(@class, 'vf-comment-html')])])"),
        ),
    ),
    # OpenWeb (Spot.IM), from its open shadow root as the renderer serialises it: div.spcv_message-stack >
    # (div: span[data-spot-im-class=message-username], time[data-spot-im-class=message-timestamp][title],
    # div[data-spot-im-class=message-text]; div.spcv_show-more-replies; ul.spcv_children-list > li > div >
    # its replies' div.spcv_message-stack) -- Fox News scrapers (FoxNewsScraper.recursive_function;
    # Fox.extract_comment_json: ":scope > div span[data-spot-im-class=\"message-username\"]", ":scope >
    # ul.spcv_children-list > li > div > div.spcv_message-stack"), Yahoo ones (the timestamp's title,
    # parsed as "%d %b, %Y %I:%M %p")
    Widget(
        "openweb",
        "spcv_message-stack",
        (
            ("item", f"//div[{_has_class('spcv_message-stack')}]"),
            ("author", f"({_OW_OWN}//*[@data-spot-im-class='message-username'])"),
            # the title's calendar date, else the time shown ("3 days ago")
            ("date", f"({_OW_OWN}//*[@data-spot-im-class='message-timestamp']/@title"
                     f" | {_OW_OWN}//*[@data-spot-im-class='message-timestamp'][not(@title)])"),
            ("number", "(./self::*[false()])"),  # no numbers: its votes' counters are none
            ("body", f"({_OW_OWN}//*[@data-spot-im-class='message-text'])"),
        ),
    ),
    # the Facebook comments plugin, in its frame: div._3-8y._5nz1 (a reply: div._3-8y) > ... >
    # div.UFIImageBlockContent > div > div > (span > .UFICommentActorName; div._3-8m ... span._5mdd;
    # div._2vq9 ... abbr.UFISutroCommentTimestamp[data-utime]; div._44ri._2pis: the replies) -- a saved
    # copy of the rendered frame and the scrapers of it (an Apple Daily comment crawler's
    # parseComments: "_3-8y _5nz1 clearfix", "_44ri _2pis", "_3-8y clearfix", UFICommentActorName,
    # "_5mdd", abbr.UFISutroCommentTimestamp's data-utime; an rvest one's html_attr("data-utime"))
    Widget(
        "facebook",
        "UFICommentActorName",
        (
            ("item", f"//div[{_has_class('_3-8y')}][.//*[{_has_class('UFICommentActorName')}]]"),
            ("author", f"({_FB_OWN}/descendant-or-self::*[{_has_class('UFICommentActorName')}])"),
            ("date", f"({_FB_OWN}//abbr[{_has_class('livetimestamp')}]/@data-utime)"),
            ("number", "(./self::*[false()])"),  # no numbers: its likes' counts are none
            ("body", f"({_FB_OWN}//span[{_has_class('_5mdd')}])"),
        ),
        unix_dates=True,
    ),
)  # fmt: skip

_COMPILED = tuple((widget.marker, widget.rules()) for widget in WIDGETS)


def widget_rules(text: str, tree: lxml.html.HtmlElement) -> dict[str, Rule] | None:
    """The comment selectors of the first widget whose rendered comments are in the page, or None."""
    for marker, rules in _COMPILED:
        if marker in text and rules["item"].elements(tree):
            return rules
    return None
