"""Finding the comments of threads: Q&A answers and the comments under them, forum threads whose
first post is the body, single-comment lists, and the status of pages whose comments come by script.

Every page here is a synthetic snippet written for the test, after the markup conventions of the
software named (schema.org, phpBB, vBulletin, XenForo, bbPress...); none is a copy of a real page.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from archiver.extract.comments import CommentsResult, extract_comments
from archiver.extract.document import load_page
from archiver.extract.profiles import Rule
from archiver.extract.structured import read_structured

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def comments_of(html: str) -> CommentsResult:
    page = load_page(f"<html><body>{html}</body></html>", "https://forum.example/t/1")
    return extract_comments(page, read_structured(page.tree), NOW)


QA = """
<div itemscope itemtype="https://schema.org/QAPage"><div itemprop="mainEntity" itemscope
 itemtype="https://schema.org/Question"><h1 itemprop="name">How do I boil an egg?</h1>
<div itemprop="text"><p>I never managed to boil an egg the way I like it. What should I do?</p></div>
<ul><li itemprop="comment" itemscope itemtype="https://schema.org/Comment"><span itemprop="text">Soft or hard?</span>
 <a class="comment-user" href="/u/7">Ann</a>
 <time itemprop="dateCreated" datetime="2024-02-01T10:00:00Z">Feb 1</time></li></ul>
</div>
<div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">
 <div class="votes" itemprop="upvoteCount">42</div>
 <div itemprop="text"><p>Seven minutes in boiling water, then cold water.</p></div>
 <time itemprop="dateCreated" datetime="2024-02-01T11:00:00Z"></time>
 <div itemprop="author" itemscope itemtype="https://schema.org/Person"><a href="/u/8">Bob</a>
  <meta itemprop="name" content="Bob"></div>
 <ul><li itemprop="comment" itemscope itemtype="https://schema.org/Comment"><span itemprop="text">Worked for me.</span>
  <a class="comment-user" href="/u/9">Cid</a> <time itemprop="dateCreated" datetime="2024-02-02T09:00:00Z">Feb 2</time>
 </li></ul>
</div>
<div itemprop="suggestedAnswer" itemscope itemtype="https://schema.org/Answer">
 <div class="votes" itemprop="upvoteCount">3</div>
 <div itemprop="text"><p>Use an egg timer and trust it.</p></div>
 <time itemprop="dateCreated" datetime="2024-02-03T08:00:00Z"></time>
 <div itemprop="author" itemscope itemtype="https://schema.org/Person"><a href="/u/10">Dee</a>
  <meta itemprop="name" content="Dee"></div>
</div></div>
"""


def test_qa_answers_are_comments_and_the_comments_under_them_reply_to_them() -> None:
    found = comments_of(QA)
    assert [(c.author, c.body) for c in found.comments] == [
        ("Ann", "Soft or hard?"),
        ("Bob", "Seven minutes in boiling water, then cold water."),
        ("Cid", "Worked for me."),
        ("Dee", "Use an egg timer and trust it."),
    ]
    assert [c.parent for c in found.comments] == [None, None, 2, None]


UNTYPED_COMMENTS = """
<div itemscope itemtype="https://schema.org/Question"><h1>Wurde or war?</h1><p>Which one, and why is it so?</p>
<div class="comments"><ul class="comment-list">
<li id="comment-1" class="comment"><span class="comment-copy">Depends on the tense.</span>
 <a class="comment-user" href="/u/1">Ann</a> <span class="comment-date">May 5, 2022 at 14:04</span></li>
</ul></div></div>
<div id="answer-5" class="answer" itemscope itemtype="https://schema.org/Answer">
 <div itemprop="text"><p>Wurde forms the passive; war describes a state.</p></div>
 <a href="/u/2">Bob</a> <time itemprop="dateCreated" datetime="2022-05-06T10:00:00Z">May 6, 2022</time>
 <div class="comments"><ul class="comment-list">
 <li id="comment-2" class="comment"><span class="comment-copy">Clear, thanks.</span>
  <a class="comment-user" href="/u/3">Cid</a> <span class="comment-date">May 7, 2022 at 09:00</span></li>
 </ul></div>
</div>
"""


def test_untyped_comments_beside_typed_answers_are_found_too() -> None:
    found = comments_of(UNTYPED_COMMENTS)
    assert [(c.body or "").split("\n")[0][:12] for c in found.comments] == [
        "Depends on t",
        "Wurde forms ",
        "Clear, thank",
    ]
    assert [c.parent for c in found.comments] == [None, None, 2]


def forum_post(ident: str, name: str, day: int, text: str, classes: str = "post bg1") -> str:
    return (
        f"<div id='{ident}' class='{classes}'><dl class='postprofile'><dt><a class='username' href='/u/{name}'>"
        f"{name}</a></dt></dl><div class='postbody'><h3><a href='#{ident}'>Re: Ferry times</a></h3>"
        f"<p class='author'>Mon Mar {day}, 2024 10:0{day} am</p><div class='content'>{text}</div></div></div>"
    )


PHPBB = "<div id='page-body'>{}</div>".format(
    "".join(
        forum_post(f"p{100 + n}", name, n, text)
        for n, (name, text) in enumerate(
            [
                ("opener", "The winter timetable moved the early ferry. Does anyone know why this happened?"),
                ("skipper", "Tides at the harbour entrance, they say."),
                ("nurse", "I was late for my shift twice this week."),
            ],
            start=1,
        )
    )
)


def test_a_forum_threads_first_post_is_the_body_and_its_replies_are_the_comments() -> None:
    found = comments_of(PHPBB)
    assert [c.author for c in found.comments] == ["skipper", "nurse"]
    assert (found.comments[1].body or "").endswith("I was late for my shift twice this week.")
    article = extract_article(f"<html><body>{PHPBB}</body></html>".encode(), "https://forum.example/t/1")
    assert "Does anyone know why" in (article.body or "")
    assert "late for my shift" not in (article.body or "")


def test_a_site_profiles_comment_items_are_not_taken_for_a_threads_posts() -> None:
    """Where a site profile says what a comment is, its items are the comments, the first one too:
    the forum rule (the first post is the body) is not run over them."""
    page = load_page(f"<html><body>{PHPBB}</body></html>", "https://forum.example/t/1")
    rules = {"item": Rule.parse("div.post", "test"), "author": Rule.parse("a.username", "test")}
    found = extract_comments(page, read_structured(page.tree), NOW, rules)
    assert [c.author for c in found.comments] == ["opener", "skipper", "nurse"]


def test_a_thread_with_a_single_reply_gives_one_comment() -> None:
    html = forum_post("post1", "opener", 1, "Is the ferry running on Sunday at all this winter?") + forum_post(
        "post2", "skipper", 2, "Only at noon."
    )
    assert [c.author for c in comments_of(html).comments] == ["skipper"]


def test_an_opening_post_without_an_id_leaves_every_post_with_one_a_reply() -> None:
    opening = forum_post("", "opener", 1, "Which saw should a beginner buy first?", "forum-post forum-post-original")
    replies = forum_post("post-7", "ann", 2, "A Japanese pull saw.", "forum-post forum-post-reply") + forum_post(
        "post-8", "bob", 3, "A cheap back saw.", "forum-post forum-post-reply"
    )
    assert [c.author for c in comments_of(f"<div>{opening}{replies}</div>").comments] == ["ann", "bob"]


def test_posts_in_a_comment_area_under_an_article_are_all_comments() -> None:
    html = "<article><h1>Ferry</h1><p>The ferry moved.</p></article><section class='reader-discussion'>{}</section>"
    posts = forum_post("p1", "ann", 1, "First!") + forum_post("p2", "bob", 2, "Second.")
    assert [c.author for c in comments_of(html.format(posts)).comments] == ["ann", "bob"]


def test_a_list_of_article_teasers_is_not_a_thread() -> None:
    teaser = (
        "<div id='post-{n}' class='blog-entry'><h2><a href='https://blog.example/{n}/'>Story {n} of the week</a></h2>"
        "<p class='meta'>March {n}, 2024</p><p>The first lines of story {n}, as a teaser for the whole story.</p></div>"
    )
    found = comments_of("".join(teaser.format(n=n) for n in range(1, 5)))
    assert found.comments == [] and found.status == "none"


def test_a_disqus_fallback_list_without_dates_is_read() -> None:
    item = "<div class='comment'><div class='comment-author'>{0}</div><div class='comment-body'>{1}</div></div>"
    html = "<article><p>Story.</p></article><div id='disqus_thread'><h2>Comments</h2>{}</div>".format(
        "".join(item.format(*pair) for pair in [("ann", "Great read."), ("bob", "May I translate it?")])
    )
    found = comments_of(html)
    assert [(c.author, c.body) for c in found.comments] == [("ann", "Great read."), ("bob", "May I translate it?")]
    assert found.status == "present"


def wpdiscuz_comment(n: int, name: str, text: str, replies: str = "", level: int = 1) -> str:
    return (
        f"<div id='wc-comm-{n}_0' class='wc-comment wc_comment_level-{level}'><div id='comment-{n}'"
        f" class='wc-comment-right'><div class='wc-comment-author'>{name}</div>"
        f"<div class='wpd-comment-date' title='August {n}, 2024 5:3{n} am'>6 months ago</div>"
        f"<div class='wc-comment-text'>{text}</div></div><div id='wpdiscuz_form_anchor-{n}_0'></div>{replies}</div>"
    )


def test_wpdiscuz_replies_after_the_comment_they_answer_and_its_tooltip_dates() -> None:
    replies = wpdiscuz_comment(2, "bob", "I agree.", level=2) + wpdiscuz_comment(3, "cid", "So do I.", level=2)
    html = "<div id='wcThreadWrapper' class='wc-thread-wrapper'>{}</div>".format(
        wpdiscuz_comment(1, "ann", "A fine piece.", replies) + wpdiscuz_comment(4, "dee", "Not convinced.")
    )
    found = comments_of(html).comments
    assert [c.author for c in found] == ["ann", "bob", "cid", "dee"]
    assert [c.parent for c in found] == [None, 1, 1, None]
    assert [c.published for c in found][:2] == ["2024-08-01T05:31:00", "2024-08-02T05:32:00"]


def test_a_forum_members_joined_date_is_not_the_posts_date() -> None:
    post = (
        "<div id='p{n}' class='post'><dl class='postprofile'><dt><a class='username' href='/u/{n}'>user{n}</a></dt>"
        "<dd class='profile-joined'><strong>Joined:</strong> Wed Feb 04, 2015 6:38 pm</dd></dl>"
        "<div class='postbody'><p class='author'>Wed Dec 2{n}, 2023 10:00 am</p><div class='content'>Post {n}.</div>"
        "</div></div>"
    )
    found = comments_of("".join(post.format(n=n) for n in range(1, 4))).comments
    assert [c.published for c in found] == ["2023-12-22T10:00:00", "2023-12-23T10:00:00"]


@pytest.mark.parametrize(
    ("area", "status"),
    [
        ("<div id='wpdcom' data-comments-count='5'><form><textarea></textarea></form></div>", "script"),
        (
            "<section id='comments'><h2><span>2</span> Kommentare</h2><form><textarea></textarea></form></section>",
            "script",
        ),
        ("<div class='comments-container'><h3>Comments (48)</h3><button>Load Comments</button></div>", "script"),
        ("<div class='comments-container'><button>Load comments</button></div>", "script"),
        ("<section id='comments' class='comments-area'></section>", "none"),  # themes print one where comments are off
        ("<section id='comments'><h2>0 Comments</h2></section>", "none"),
        ("<div class='popular-comments'><a href='/b'>Other story</a> <span>12 Comments</span></div>", "none"),
        ("<script>$('.commentOhnelogin').hide();</script>", "none"),  # not Commento's embed
        ("<section id='coral_talk_stream' data-talk-url='https://talk.example/'></section>", "external:coral"),
        ("<div data-spotim-module='conversation' data-post-id='a1'></div>", "external:openweb"),
    ],
)
def test_the_status_where_the_comments_are_not_in_the_html(area: str, status: str) -> None:
    assert comments_of(f"<article><h1>Story</h1><p>The story.</p></article>{area}").status == status


def test_a_single_undated_pingback_is_the_pages_one_comment() -> None:
    html = (
        "<article><h1>Story</h1><p>The story.</p></article><div id='comments' class='comments-area'>"
        "<h2 class='comments-title'>One comment</h2><ol class='comment-list'>"
        "<li id='comment-133' class='pingback even thread-even depth-1'><div class='comment-body'>Pingback: "
        "<a href='https://other.example/a/' class='url'>A page that links here</a></div></li></ol></div>"
    )
    found = comments_of(html)
    assert [(c.kind, c.author) for c in found.comments] == [("pingback", "A page that links here")]


def test_forum_posts_nested_by_broken_markup_are_flat_replies() -> None:
    post = (
        "<article id='js-post-{n}' class='message message--post'><h4 class='message-name'>"
        "<a class='username' href='/members/u{n}/'>user{n}</a></h4>"
        "<time datetime='2024-03-0{n}T10:00:00'>Mar {n}</time>"
        "<div class='message-content'>Post number {n} of the thread.</div>{inner}"
    )
    html = post.format(n=1, inner=post.format(n=2, inner=post.format(n=3, inner="")))  # never closed
    found = comments_of(html).comments
    assert [(c.author, c.parent) for c in found] == [("user2", None), ("user3", None)]


def test_a_comment_area_whose_heading_counts_none_holds_no_comment() -> None:
    """ "Kommentare (0)" above a reply form whose notice says to log in: the notice is no comment."""
    html = (
        "<article><h1>Interview</h1><p>The interview itself, long enough to be an article body.</p></article>"
        "<section id='comments'><div class='container'><div class='row'>"
        "<div class='col-md-8 mx-auto'><h2>Kommentare (0)</h2></div>"
        "<div class='col-md-8 mx-auto'><div id='comments' class='comments-area'>"
        "<div id='respond' class='comment-respond'>"
        "<h3 id='reply-title' class='comment-reply-title'>Hinterlassen Sie eine Antwort</h3><p class='must-log-in'>"
        "Sie müssen Mitglied sein, um hier kommentieren zu können. Registrieren Sie sich "
        "<a href='/registrieren/'>hier</a> oder loggen Sie sich <a href='/anmelden/'>hier</a> ein.</p>"
        "</div></div></div></div></div></section>"
    )
    assert comments_of(html).comments == []
