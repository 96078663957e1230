"""Two URLs, one text: merged only when the titles agree too, and never at the cost of comments.

End to end: real pages on a 127.0.0.1 server, crawled by the installed ``archiver crawl`` into a
real SQLite file. Then on ``Archive.save`` directly, with real temporary archives.
"""

from __future__ import annotations

import html
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archiver.archive.schema import migrations
from archiver.archive.store import _COMMENT_CONTENT, body_hash, content_hash
from archiver.demo import SiteServer
from tests.conftest import article, crawl_local, rows, save
from tests.hostile_site import MANY_COMMENTS, PROSE


def crawl(site: SiteServer, folder: Path, page: str = "") -> None:
    result = crawl_local(site.url + page, "-s", "ROBOTSTXT_OBEY=False", db="a.db", cwd=folder, timeout=300)
    assert result.returncode == 0, result.stderr


def index(folder: Path, *pages: str) -> None:
    links = "".join(f'<li><a href="/{page}">{page}</a></li>' for page in pages)
    (folder / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")


def thread(title: str, comments: list[int] | range, who: str = "Reader") -> str:
    """An article page showing the comments given; the title (in a header above the article) is not
    part of the body, so pages of other titles can hold one body."""
    items = "".join(
        f"<li class='comment' id='comment-{n}'><article><footer><cite class='fn'>{who} {n}</cite> "
        f"<time datetime='2024-06-{n % 28 + 1:02d}T10:00:00'>June</time></footer>"
        f"<div class='comment-content'><p>Remark number {n} about the harbour.</p></div></article></li>"
        for n in comments
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><header><h1>{html.escape(title)}</h1></header><article>"
        "<p class='byline'>By <span class='author'>Kim Ode</span>, <time datetime='2024-05-01'>May 1, 2024</time></p>"
        f"<p>{PROSE * 6}</p></article>"
        f"<section id='comments'><ol class='comment-list'>{items}</ol></section></body></html>"
    )


def test_same_body_different_titles_are_two_articles_with_all_their_comments(tmp_path: Path) -> None:
    """The reported case: a 5,000-comment page and a 3-comment page with one body, titles differing."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "long.html").write_text(thread("A very long thread", range(1, MANY_COMMENTS + 1)), encoding="utf-8")
    (site_dir / "short.html").write_text(thread("A short note", [1, 2, 3], who="Visitor"), encoding="utf-8")
    index(site_dir, "long.html", "short.html")
    with SiteServer(site_dir) as site:
        crawl(site, tmp_path, "long.html")
        crawl(site, tmp_path, "short.html")  # the crawl that marked 4,997 comments deleted
        crawl(site, tmp_path)  # both again, in one crawl: nothing deleted either
    db = tmp_path / "a.db"
    hashes = {r[0] for r in rows(db, "SELECT body_hash FROM articles")}
    assert len(hashes) == 1 and None not in hashes  # one body, as reported
    found = rows(
        db,
        "SELECT a.title, count(c.number) AS comments, coalesce(sum(c.deleted), 0) AS deleted"
        " FROM articles a LEFT JOIN comments c ON c.article_id = a.id GROUP BY a.id ORDER BY a.title",
    )
    assert [tuple(r) for r in found] == [("A short note", 3, 0), ("A very long thread", MANY_COMMENTS, 0)]
    short = rows(db, "SELECT c.author FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.title = ?",
                 ("A short note",))  # fmt: skip
    assert sorted(r[0] for r in short) == ["Visitor 1", "Visitor 2", "Visitor 3"]


def article_comments(db: Path) -> dict[str, tuple[int, str]]:
    """Each comment's author -> (deleted, the page it was read from); numbered by position, the
    comments' numbers depend on the page read first."""
    return {
        r["author"]: (r["deleted"], r["page_url"].rpartition("/")[2])
        for r in rows(db, "SELECT author, deleted, page_url FROM comments")
    }


def test_two_urls_of_one_article_unite_their_comments_and_a_real_deletion_is_kept(tmp_path: Path) -> None:
    """A copy of the article (same title and text) shows other comments: one article, every comment.

    Then a comment really deleted from the page it was read from is marked deleted; the copy,
    which never showed it, deletes nothing.
    """
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "post.html").write_text(thread("The harbour book", [1, 2, 3, 4, 5]), encoding="utf-8")
    (site_dir / "copy.html").write_text(thread("The harbour book", [4, 5, 6, 7]), encoding="utf-8")
    index(site_dir, "post.html", "copy.html")
    db = tmp_path / "a.db"
    with SiteServer(site_dir) as site:
        crawl(site, tmp_path)
        assert len(rows(db, "SELECT id FROM articles")) == 1
        assert len(rows(db, "SELECT url FROM article_urls")) == 2
        found = article_comments(db)
        assert sorted(found) == [f"Reader {n}" for n in range(1, 8)]
        assert {who: found[who] for who in ("Reader 1", "Reader 2", "Reader 3", "Reader 6", "Reader 7")} == {
            "Reader 1": (0, "post.html"),
            "Reader 2": (0, "post.html"),
            "Reader 3": (0, "post.html"),
            "Reader 6": (0, "copy.html"),
            "Reader 7": (0, "copy.html"),
        }
        assert found["Reader 4"][0] == found["Reader 5"][0] == 0  # on both pages
        assert len({r[0] for r in rows(db, "SELECT number FROM comments")}) == 7
        # comment 2 is taken down on the page it was read from (the copy never showed it)
        (site_dir / "post.html").write_text(thread("The harbour book", [1, 3, 4, 5]), encoding="utf-8")
        crawl(site, tmp_path)
    assert {who: deleted for who, (deleted, _) in article_comments(db).items()} == {
        f"Reader {n}": int(n == 2) for n in range(1, 8)
    }


# On Archive.save directly

COPY_URL = "https://example.org/print/a"


def item(**fields: Any) -> dict[str, Any]:
    """conftest's article item without comments, with ``fields`` changed."""
    return article(**{"comments": [], **fields})


def remarks(*numbers: int, source: str = "page", anchors: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "number_source": source,
            "author": f"Reader {n}",
            "published": f"2024-06-{n:02d}",
            "body": f"Remark {n}.",
            "anchor": f"comment-{n}" if anchors else None,
            "kind": "comment",
        }
        for n in numbers
    ]


def stored(db: Path) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in rows(db, "SELECT article_id, number, author, deleted FROM comments ORDER BY article_id, number")
    ]


def test_a_body_alone_never_merges_articles_with_other_titles(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(*range(1, 51))))
    counts = save(db, item(url=COPY_URL, canonical_url=None, title="Another title", comments=remarks(1, 2, 3)))
    assert (counts["articles_inserted"], counts["articles_merged"], counts["comments_deleted"]) == (1, 0, 0)
    assert [r[0] for r in rows(db, "SELECT count(*) FROM comments GROUP BY article_id ORDER BY article_id")] == [50, 3]
    assert rows(db, "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0


def test_a_shared_short_or_empty_body_never_merges(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    for n, body in enumerate(["Page not found", "", None, "Page not found"]):
        save(db, item(url=f"https://example.org/{n}", canonical_url=None, title="Not found", body=body))
    assert body_hash("Page not found") is None and body_hash("") is None
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 4


def test_a_body_without_a_title_never_merges(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item(title=None))
    save(db, item(url=COPY_URL, canonical_url=None, title=None))
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2


def test_title_case_and_spacing_do_not_keep_a_copy_apart(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item())
    counts = save(db, item(url=COPY_URL, canonical_url=None, title="  LOCK gates\n open "))
    assert counts["articles_merged"] == 1 and rows(db, "SELECT count(*) FROM articles")[0][0] == 1


def test_a_copy_with_other_comments_adds_them_and_deletes_none(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(1, 2, 3, 4, 5)))
    counts = save(db, item(url=COPY_URL, canonical_url=None, comments=remarks(4, 5, 6)))
    assert counts["articles_merged"] == 1
    assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (1, 0, 0)
    assert stored(db) == [(1, n, f"Reader {n}", 0) for n in range(1, 7)]
    pages = {r["number"]: r["page_url"] for r in rows(db, "SELECT number, page_url FROM comments")}
    assert pages[1] == "https://example.org/a" and pages[6] == COPY_URL
    # each page read again as it was: nothing deleted, nothing changed
    for again in (
        item(comments=remarks(1, 2, 3, 4, 5)),
        item(url=COPY_URL, canonical_url=None, comments=remarks(4, 5, 6)),
    ):
        counts = save(db, again)
        assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (0, 0, 0)
    assert stored(db) == [(1, n, f"Reader {n}", 0) for n in range(1, 7)]


def test_a_deletion_counts_on_the_page_the_comment_was_read_from_only(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(1, 2, 3)), item(url=COPY_URL, canonical_url=None, comments=remarks(3, 7, 8)))
    # the copy no longer shows 8 (read from it) nor 1 and 2 (read from the article's own page)
    counts = save(db, item(url=COPY_URL, canonical_url=None, comments=remarks(3, 7)))
    assert counts["comments_deleted"] == 1
    assert [r[1] for r in stored(db) if r[3]] == [8]
    # the article's page no longer shows 2: deleted, and the copy's comments stay
    counts = save(db, item(comments=remarks(1, 3)))
    assert counts["comments_deleted"] == 1
    assert [r[1] for r in stored(db) if r[3]] == [2, 8]


def test_a_recrawl_with_fewer_comments_still_marks_them_deleted(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(*range(1, 101))))
    counts = save(db, item(comments=remarks(*range(1, 98))))
    assert counts["comments_deleted"] == 3
    assert [r[1] for r in stored(db) if r[3]] == [98, 99, 100]


def test_numbers_the_copy_shows_for_other_comments_are_not_taken_over(tmp_path: Path) -> None:
    """The copy numbers its comments by position: its 1 and 2 are the article's 3 and a new one."""
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(1, 2, 3, source="order", anchors=False)))
    copy = remarks(3, 9, source="order", anchors=False)
    copy[0]["number"], copy[1]["number"], copy[1]["parent"] = 1, 2, 1  # the second replies to the first
    counts = save(db, item(url=COPY_URL, canonical_url=None, comments=copy))
    assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (1, 0, 0)
    found = [tuple(r) for r in rows(db, "SELECT number, author, parent, number_source, deleted FROM comments")]
    assert found == [
        (1, "Reader 1", None, "order", 0),
        (2, "Reader 2", None, "order", 0),
        (3, "Reader 3", None, "order", 0),
        (4, "Reader 9", 3, "archive", 0),  # its own number was another comment's; its parent is the article's 3
    ]
    assert save(db, item(url=COPY_URL, canonical_url=None, comments=copy))["comments_inserted"] == 0


def test_ids_a_copy_numbers_on_its_own_are_not_taken_for_other_comments(tmp_path: Path) -> None:
    """The copy's ``comment-1`` is another reader's comment than the article page's ``comment-1``."""
    db = tmp_path / "a.db"
    save(db, item(comments=remarks(1, 2, 3)))
    copy = remarks(8, 9)
    for position, c in enumerate(copy, start=1):
        c["number"], c["anchor"] = position, f"comment-{position}"
    counts = save(db, item(url=COPY_URL, canonical_url=None, comments=copy))
    assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (2, 0, 0)
    assert [r[2] for r in stored(db)] == ["Reader 1", "Reader 2", "Reader 3", "Reader 8", "Reader 9"]
    assert rows(db, "SELECT count(*) FROM comment_revisions")[0][0] == 0


def test_comment_page_urls_are_pages_of_the_article(tmp_path: Path) -> None:
    """Comments read from /comment-page-2/ belong to the article page: gone from there, deleted."""
    db = tmp_path / "a.db"
    first, second = remarks(1, 2), remarks(3, 4)
    for c in second:
        c["page_url"] = "https://example.org/a/comment-page-2/"
    save(db, item(url="https://example.org/a/", canonical_url=None, comments=first + second))
    assert {r[0] for r in rows(db, "SELECT page_url FROM comments WHERE number > 2")} == {
        "https://example.org/a/comment-page-2/"
    }
    # the second comment page now shows 3 only; 4 was deleted
    second[1:] = []
    counts = save(db, item(url="https://example.org/a/", canonical_url=None, comments=first + second))
    assert counts["comments_deleted"] == 1 and [r[1] for r in stored(db) if r[3]] == [4]


def test_a_comment_edited_on_another_page_of_the_read_is_an_edit_whatever_the_pages_order(tmp_path: Path) -> None:
    """Comment 3, read from a comment page, is shown edited on the article's page (the comments
    moved between pages) while that comment page is read too: an edit, not a new comment with
    the old one deleted, though the article's page comes before its comment page in the item."""
    db = tmp_path / "a.db"
    page2 = "https://example.org/a/comment-page-2/"  # not of the article page "a" as URLs go ("a/")
    first = remarks(3, anchors=False)
    first[0]["page_url"] = page2
    save(db, item(comments=first))
    again = remarks(3, 4, anchors=False)
    again[0]["body"], again[1]["page_url"] = "Remark 3, edited.", page2
    counts = save(db, item(comments=again))
    assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (1, 1, 0)
    assert stored(db) == [(1, 3, "Reader 3", 0), (1, 4, "Reader 4", 0)]
    assert [tuple(r) for r in rows(db, "SELECT number, body FROM comment_revisions")] == [(3, "Remark 3.")]


def test_an_older_archive_gives_its_comments_the_articles_url(tmp_path: Path) -> None:
    """Upgraded, an archive's comments are taken as read from their article's URL: read again
    there without one, it is deleted; a copy under another URL deletes none."""
    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m006_comment_page_urls")
    db.table("articles").insert({"id": 1, "canonical_url": "https://example.org/a", "url": "https://example.org/a"})
    db.table("comments").insert_all(
        [{"article_id": 1, **c, "content_hash": content_hash(c, _COMMENT_CONTENT)} for c in remarks(1, 2, 3)]
    )
    db.close()
    save(path, item(url=COPY_URL, comments=remarks(1)))  # the same canonical URL, another page
    assert {r[0] for r in rows(path, "SELECT page_url FROM comments WHERE number IN (2, 3)")} == {
        "https://example.org/a"
    }
    assert rows(path, "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0
    counts = save(path, item(comments=remarks(1, 2)))
    assert counts["comments_deleted"] == 1 and [r[1] for r in stored(path) if r[3]] == [3]
