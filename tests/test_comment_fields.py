"""How one comment is read once found: its author, author URL, date, number, kind and title.

The pages here are synthetic: small hand-written snippets, each in the markup convention of a
layout family met on real pages (the gold set in benchmarks/gold/comments/ measures the same
rules on real pages).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from archiver.archive.schema import migrations
from archiver.extract import comments_from_page, load_page
from archiver.extract.dates import parse_date
from archiver.items import Comment
from tests.conftest import article, rows, run_archiver, save

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def read(items: str, lang: str = "en") -> list[Comment]:
    """The comments of a synthetic page whose comment list holds ``items``."""
    html = (
        f"<html lang='{lang}'><head><title>A post</title></head><body><article><h1>A post</h1>"
        "<p>The story itself, long enough to be an article body.</p></article>"
        f"<section id='comments'><ol class='comment-list'>{items}</ol></section></body></html>"
    )
    return comments_from_page(load_page(html, "https://x.org/post"), NOW)


DATE = "<div class='comment-metadata'><time datetime='2024-05-01T10:00'>May 1, 2024</time></div>"


def wp_item(n: int, author_html: str, text: str = "A thought on the post.", meta: str = DATE, end: str = "") -> str:
    """A WordPress-like comment whose author element is ``author_html`` (``end``: markup after its text)."""
    return (
        f"<li class='comment' id='comment-{n}'><article class='comment-body'>"
        f"<footer class='comment-meta'>{author_html}{meta}</footer>"
        f"<div class='comment-content'><p>{text}</p></div>{end}</article></li>"
    )


@pytest.mark.parametrize(
    ("author_html", "name"),
    [
        # Genesis-like themes: the name and a "says" label in one author paragraph
        ("<p class='comment-author'><span class='comment-author-name'>Sheri</span> <span class='says'>says</span></p>",
         "Sheri"),
        ("<div class='comment-author'>Sheri says</div>", "Sheri"),
        # the date inside the author element, after the name
        ("<div class='comment-author'>Rolf Buck <span><time>29.07.2020 // 12:56</time></span></div>", "Rolf Buck"),
        ("<div class='comment-author'>Ben 19. Juni 2018 um 15:28 Uhr - Antworten</div>", "Ben"),
        ("<div class='comment-author'>Kommentar von Margit H. — 2019-01-01 @ 00:39</div>", "Margit H."),
        ("<div class='comment-author'>jamesw 1 year ago</div>", "jamesw"),
        ("<div class='comment-author'>Chuck P Reply to TMS 6 months ago</div>", "Chuck P"),
        # a forum's post count and "Posted"
        ("<div class='comment-author'>Soapm 22 Posted March 5, 2024</div>", "Soapm"),
        ("<div class='comment-author'>Dave-in-Decatur 4,522 Posted March 5, 2024</div>", "Dave-in-Decatur"),
        # a role badge after the name
        ("<div class='comment-author'>Martina Berg <span class='badge'>Autor</span></div>", "Martina Berg"),
        # markup shown as text (an escaped template): read as text
        ("<div class='comment-author'>&lt;span&gt;Donald Elam&lt;/span&gt;</div>", "Donald Elam"),
        # a name that ends like a verb stays whole
        ("<div class='comment-author'>Omar Said</div>", "Omar Said"),
        # a name with digits stays whole when nothing follows it
        ("<div class='comment-author'>Yves Leclercq 214</div>", "Yves Leclercq 214"),
        # the author box's own name element before the box; a badge beside the name is not part of it
        ("<div class='mtbnewsCommentAuthorInfoContainer'><p class='mtbnewsCommentAuthorName'><a href='/m/80773/'>"
         "RockyRider66</a></p><p>dabei seit 12/2006</p></div>", "RockyRider66"),
        ("<h3 class='cAuthorPane_author'><a href='/profile/4-soapm/'>Soapm</a> <span class='ipsRepBadge'>22</span>"
         "</h3>", "Soapm"),
        ("<div class='comment-author'><span class='fn'>Martina Berg</span> <span class='author-badge'>Autor</span>"
         "</div>", "Martina Berg"),
        # a list item or an underscore class naming the author
        ("<ul><li class='comment-author'><a href='http://www.lobin.de' class='url'>Henning Lobin</a></li></ul>",
         "Henning Lobin"),
        ("<span class='comment_author'>Armanox</span>", "Armanox"),
        # a weekday between the name and the date
        ("<h6 class='comment-author'>Heidemarie Heim | Di, 21. April 2020 - 16:40</h6>", "Heidemarie Heim"),
        ("<div class='comment-author'>Par Bruno Gobin, le mercredi 15 mai 2019 à 08h07</div>", "Bruno Gobin"),
        # an author heading (forums' author panes)
        ("<h3 class='cAuthorPane_author'><strong><a href='/profile/7-anna/'>Anna</a></strong></h3>", "Anna"),
        # a badge alone in an element classed as the author's (wpDiscuz's "post_author" label): the name is next
        ("<div class='wc-blog-post_author wc-comment-label'><span>Autor</span></div>"
         "<div class='wc-comment-author'><a href='/author/robert/'>Robert</a></div>", "Robert"),
        # a badge word that is the only name shown is the name (Disqus's "Guest")
        ("<span class='author'>Guest</span>", "Guest"),
        # Slash's "by name ( user number )"
        ("<span class='by'>by <a href='/~ruth.k'>ruth.k</a> <span class='uid'><a href='/~ruth.k'>( 5521 )</a></span>"
         "</span>", "ruth.k"),
    ],
)  # fmt: skip
def test_author_is_the_name_alone(author_html: str, name: str) -> None:
    comment, other = read(wp_item(1, author_html) + wp_item(2, "<cite class='fn'>Other</cite>", "Another thought."))
    assert (comment.author, other.author) == (name, "Other")
    assert "thought on the post" in (comment.body or "")


def test_a_hidden_heading_is_not_read_as_a_name_or_headline() -> None:
    menu = "<div class='ipsHide share-menu'><h5>Link to comment</h5></div>"
    item = (
        "<li class='comment' id='comment-1'><div class='comment-content'>"
        f"<p>Kichae</p><p>A thought on the post.</p></div>{DATE}{menu}</li>"
    )
    comment, _ = read(item + item.replace("comment-1", "comment-2"))
    assert comment.author != "Link to comment"
    assert "Link to comment" not in (comment.body or "")


@pytest.mark.parametrize(
    ("meta", "end", "number"),
    [
        # a forum's post counter, a permalink that shows the number, after the post's text
        (DATE, "<ul class='actions'><li><a href='#post{n}'>#{n}</a></li></ul>", 2),
        (DATE, "(<a href='/comments.pl?cid=6415316{n}'>#6415316{n}</a>)", 64153162),
        # microdata's place in the thread
        (DATE + "<span itemprop='position'>{n}</span>", "", 2),
        # a German date's day is no number
        ("<div class='comment-metadata'><time datetime='2022-12-1{n}'>1{n}. Dezember 2022 um 09:35 Uhr</time></div>",
         "", None),
    ],
)  # fmt: skip
def test_number_is_the_one_the_page_shows(meta: str, end: str, number: int | None) -> None:
    items = "".join(
        wp_item(n, f"<cite class='fn'>Reader {n}</cite>", meta=meta.format(n=n), end=end.format(n=n)) for n in (2, 3)
    )
    first, second = read(items)
    assert (first.number, first.number_source) == ((number, "page") if number else (1, "order"))
    assert second.number == (number + 1 if number else 2)


@pytest.mark.parametrize(
    ("headline", "text"),
    [
        ("<div class='jdgm-rev__title'>Headline {n}</div>",
         "<div class='jdgm-rev__body'><p>What reader {n} says.</p></div>"),
        ("<div class='titre'>Headline {n}</div>", "<div class='content'><p>What reader {n} says.</p></div>"),
        # Drupal: the headline by RDFa in a field named "comment-body" (not an author for its "name")
        ("<div class='field--name-comment-body'><p property='schema:name'><a href='/comment/{n}'>Headline {n}</a>"
         "</p></div>", "<div class='field--name-comment-body field--item'><p>What reader {n} says.</p></div>"),
        # a score inside the headline is not part of it
        ("<h4 class='title'>Headline {n}<span class='score'> (Score:5, Insightful)</span></h4>",
         "<div class='comment-text'><p>What reader {n} says.</p></div>"),
    ],
)  # fmt: skip
def test_a_headline_by_class_or_property_is_the_title(headline: str, text: str) -> None:
    items = "".join(
        f"<li class='comment' id='comment-{n}'><span class='comment-author'>Reader {n}</span>{DATE}"
        f"{headline.format(n=n)}{text.format(n=n)}</li>"
        for n in (1, 2)
    )
    first, second = read(items)
    assert (first.title, first.author, first.body) == ("Headline 1", "Reader 1", "What reader 1 says.")
    assert second.title == "Headline 2"


def test_a_weekday_between_the_name_and_the_date_line_is_not_part_of_the_name() -> None:
    """Drupal's header line "Name | Di, 21. April 2020 - 16:40" with the machine date inside it."""
    items = "".join(
        f"<li class='comment' id='comment-{n}'><footer><h6>Reader {name} | Di, 21. April 2020 - 16:40 "
        "<span property='schema:dateCreated' content='2020-04-21T14:40:07+00:00'></span></h6></footer>"
        f"<div class='field--name-comment-body'><p>What {name} says.</p></div></li>"
        for n, name in ((1, "Anna"), (2, "Ben"))
    )
    assert [c.author for c in read(items, "de")] == ["Reader Anna", "Reader Ben"]


def test_a_number_alone_is_no_headline() -> None:
    """A vote count in a large type (Stack Exchange's "js-vote-count fs-title", "-1") is no headline."""
    items = "".join(
        f"<li class='comment' id='comment-{n}'><div class='js-vote-count fs-title'>{votes}</div>"
        f"<span class='comment-author'>Reader {n}</span>{DATE}<div class='comment-text'><p>Reader {n}.</p></div></li>"
        for n, votes in ((1, "22"), (2, "-1"))
    )
    assert [c.title for c in read(items)] == [None, None]


def test_a_quote_title_in_the_text_is_no_headline() -> None:
    items = "".join(
        f"<li class='comment' id='comment-{n}'><span class='comment-author'>Reader {n}</span>{DATE}"
        "<div class='message-body'><blockquote class='bbCodeBlock--quote'><div class='bbCodeBlock-title'>Ann said:"
        f"</div><div>Quoted.</div></blockquote><p>What reader {n} says.</p></div></li>"
        for n in (1, 2)
    )
    first, _ = read(items)
    assert first.title is None
    assert "Ann said:" in (first.body or "") and "What reader 1 says." in (first.body or "")


def test_a_comment_headline_is_its_title_not_its_text() -> None:
    items = "".join(
        f"<li class='comment' id='comment-{n}'><h4>Headline {n}</h4><cite class='fn'>Reader {n}</cite>{DATE}"
        f"<div class='comment-content'><p>What reader {n} says.</p></div></li>"
        for n in (1, 2)
    )
    first, second = read(items)
    assert (first.title, first.author, first.body) == ("Headline 1", "Reader 1", "What reader 1 says.")
    assert second.title == "Headline 2"


def test_an_older_archive_keeps_comment_titles_after_the_upgrade(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    db = Database(sqlite3.connect(db_path))
    migrations.apply(db, stop_before="m009_comment_titles")
    db.close()
    titled = article()
    titled["comments"][0] = {**titled["comments"][0], "title": "Ein Argument"}
    save(db_path, titled)
    assert [r["title"] for r in rows(db_path, "SELECT title FROM comments ORDER BY number")] == ["Ein Argument", None]
    result = run_archiver("export", "--db", str(db_path), "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["title"] for c in record["comments"]] == ["Ein Argument", None]
    shown = run_archiver("show", "--db", str(db_path), "https://example.org/a", cwd=tmp_path)
    assert "Ein Argument" in shown.stdout, shown.stderr


def dated_items(date_html: str, lang: str = "en") -> list[Comment]:
    items = "".join(
        f"<li class='comment' id='comment-{n}'><cite class='fn'>Reader {n}</cite>{date_html}"
        f"<div class='comment-content'><p>What reader {n} says.</p></div></li>"
        for n in (1, 2)
    )
    return read(items, lang)


@pytest.mark.parametrize(
    ("date_html", "lang", "published", "relative"),
    [
        # a machine date of the day alone, the time shown beside it
        ("<a href='#c'><time datetime='2020-07-29'>29.07.2020 // 12:56</time></a>", "de", "2020-07-29T12:56:00", False),
        # a relative date whose tooltip holds the absolute one (wpDiscuz, Tippy.js, Stack Exchange)
        ("<div class='wpd-comment-date' title='November 1, 2024 5:04 am'>1 year ago</div>", "en",
         "2024-11-01T05:04:00", False),
        ("<span class='moment-time' data-tippy-content='Friday, October 4th, 2024 at 3:43:10 PM GMT+03:00'>"
         "5 months ago</span>", "en", "2024-10-04T15:43:10+03:00", False),
        # a relative date without one stays relative
        ("<div class='comment-date'>1 year ago</div>", "en", "2024-03-01T12:00:00+00:00", True),
        # numeric dates in the page's language: day first in British English, month first in American
        ("<div class='comment-date'>09/06/2020 at 1:53 pm</div>", "en-GB", "2020-06-09T13:53:00", False),
        ("<div class='comment-date'>09/06/2020 at 1:53 pm</div>", "en-US", "2020-09-06T13:53:00", False),
        # else the page's own dates: one with a day above 12 first says day first, whatever the language
        # (here split by an HTML comment, as the page shows it), a number run into more digits says nothing
        ("<div class='comment-date'>09/06/2020 at 1:53 pm</div><p>Posted 19<!-- cut -->/05/2020</p>", "en-US",
         "2020-06-09T13:53:00", False),
        ("<div class='comment-date'>09/06/2020 at 1:53 pm</div><p>Order 119/05/2020</p>", "en-US",
         "2020-09-06T13:53:00", False),
        # vBulletin's default numeric date, with dashes
        ("<span class='date'>11-29-2024,&nbsp;<span class='time'>01:50 PM</span></span>", "en", "2024-11-29T13:50:00",
         False),
        # the day in one date element, the time in the next (a WordPress theme's two "comment-date" spans)
        ("<span class='comment-date'>11. Februar 2020</span><span class='comment-date'> at 9:41</span>", "de",
         "2020-02-11T09:41:00", False),
        # a header line of more than 80 characters that holds the date (Slash's "writes: on ... (#cid)")
        ("<div>( 127135 ) writes: on Friday January 12, 2024 @11:51AM (<a href='/c?cid=64153115'>#64153115</a>) "
         "Journal Homepage</div>", "en", "2024-01-12T11:51:00", False),
    ],
)  # fmt: skip
def test_comment_date_as_the_page_gives_it(date_html: str, lang: str, published: str, relative: bool) -> None:
    first, _ = dated_items(date_html, lang)
    assert (first.published, bool(first.published_relative)) == (published, relative)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-01-01 @ 00:39", "2019-01-01T00:39:00"),
        ("Kommentar von Anna — 2019-01-01 @ 00:39", "2019-01-01T00:39:00"),
        ("2019-01-01 at 9:41 pm", "2019-01-01T21:41:00"),
        ("2019-01-01 | 3 Kommentare 12:30", "2019-01-01"),
    ],
)
def test_an_iso_day_takes_the_time_shown_just_after_it(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == expected


def test_numeric_dates_follow_the_page_own_evidence() -> None:
    """On a German page, a software's m/d/y date is read month first, shown by another of its dates."""
    items = "".join(
        f"<li class='comment' id='comment-{n}'><span class='username'>Reader {n}</span>"
        f"<span class='comment-time'>{shown}</span><div class='comment-content'><p>Text {n}.</p></div></li>"
        for n, shown in ((1, "Mon, 03/04/2024 - 12:00"), (2, "Wed, 09/18/2019 - 08:30"))
    )
    first, second = read(items, "fr")
    assert (first.published, second.published) == ("2024-03-04T12:00:00", "2019-09-18T08:30:00")


@pytest.mark.parametrize(
    ("item_class", "text", "kind"),
    [
        ("pingback even depth-1", "A post linking here", "pingback"),  # the item is the article in it
        ("comment", "[…] have been trying different techniques, it somewhat […]", "pingback"),
        ("comment", "[…] I quote the post myself, then say what I think.", "comment"),
    ],
)
def test_pingbacks_are_marked(item_class: str, text: str, kind: str) -> None:
    items = (
        f"<li class='{item_class}' id='comment-1'><article class='comment-body'><b class='fn'>"
        f"<a href='https://other.example/post'>Other blog</a></b>{DATE}<div class='comment-content'><p>{text}</p>"
        f"</div></article></li>" + wp_item(2, "<cite class='fn'>Reader</cite>")
    )
    first, second = read(items)
    assert (first.kind, second.kind) == (kind, "comment")


@pytest.mark.parametrize("wrapper", ["plain", "blockquote-theme"])
def test_a_cite_is_the_author_in_a_comment_area_a_quote_wrapper_holds(wrapper: str) -> None:
    """A theme's wrapper classed "quote" around the comment area does not make each comment's
    ``<cite>`` a quote's: only a quote inside the comment does ("<blockquote><cite>Bob wrote:")."""

    def item(n: int, name: str, text: str) -> str:
        return (
            f"<li class='comment' id='comment-{n}'><div class='comment-body'><p><cite>{name}</cite> on May {n}, 2024:"
            f"</p><p>{text}</p></div></li>"
        )

    items = item(1, "Anna Berg", "<blockquote><cite>Bob wrote:</cite> It rains.</blockquote> It does not.")
    items += item(2, "Carl Dorn", "A thought on the post.")
    html = (
        f"<html><head><title>A post</title></head><body><div class='{wrapper}'><article><h1>A post</h1>"
        "<p>The story itself, long enough to be an article body.</p></article>"
        f"<section id='comments'><ol class='comment-list'>{items}</ol></section></div></body></html>"
    )
    comments = comments_from_page(load_page(html, "https://x.org/post"), NOW)
    assert [(c.author, c.body) for c in comments] == [
        ("Anna Berg", "Bob wrote: It rains.\n\nIt does not."),
        ("Carl Dorn", "A thought on the post."),
    ]
