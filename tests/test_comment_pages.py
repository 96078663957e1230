"""Comment pages (/comment-page-2/, "Newer Comments") are followed and merged into one article."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from archiver.demo import SiteServer
from archiver.extract.document import load_page
from archiver.extract.pagination import comment_page_links, comment_page_number, main_page_number, merge_comments
from archiver.items import Comment
from tests.conftest import FIXTURES, crawl_local, rows

AUTHORS = ["Ingrid Solberg", "Paolo Ricci", "Mei Tanaka", "Paolo Ricci", "Dana Whitfield", "Olu Adeyemi"]


def test_crawl_merges_comment_pages(tmp_path: Path) -> None:
    with SiteServer(FIXTURES / "sites" / "paginated") as site:
        result = crawl_local(site.url, db="a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (article,) = rows(tmp_path / "a.db", "SELECT * FROM articles")
    assert article["url"].endswith("/2024/05/freezing-greens/")
    comments = rows(tmp_path / "a.db", "SELECT * FROM comments ORDER BY number")
    assert [c["number"] for c in comments] == [1, 2, 3, 4, 5, 6]
    assert [c["author"] for c in comments] == AUTHORS
    assert [c["parent"] for c in comments] == [None, None, None, 3, None, None]
    assert comments[5]["anchor"] == "comment-106" and comments[0]["published"] == "2024-05-02T08:10:00+00:00"
    (export,) = (tmp_path / "exports").glob("*.jsonl")
    (item,) = [json.loads(line) for line in export.read_text().splitlines()]
    assert len(item["comments"]) == 6


def test_page_numbers() -> None:
    assert comment_page_number("https://b.example/post/comment-page-3/#comments") == 3
    assert comment_page_number("https://b.example/post/?cpage=2") == 2
    assert comment_page_number("https://b.example/post/") is None
    assert main_page_number([2, 3]) == 1
    assert main_page_number([1, 2]) == 3


_LINKS_PAGE = """<html><body><p>Text</p>
<a href="comment-pa
ge-2/">2</a> <a href="?CPAGE=4">4</a> <a href="/post/?x=1">Older&#160;comments</a>
<a href="/post/?y=1">Newer <script>x</script>Kom<b>mentare</b></a> <a href="/post/?z=1">Newer posts</a>
<a href="?replytocom=5">Reply</a> <a href="#top">Top</a></body></html>"""


def test_comment_page_links_by_url_and_by_text() -> None:
    links = comment_page_links(load_page(_LINKS_PAGE, "https://h.example/post/"))
    assert links == [
        "https://h.example/post/comment-page-2/",  # urljoin drops the line break
        "https://h.example/post/?CPAGE=4",
        "https://h.example/post/?x=1",
        "https://h.example/post/?y=1",  # the script's text is not part of the link's text
    ]


def test_comment_page_links_from_a_comment_page() -> None:
    """On a comment page, any link to the same page with a query is one of its pages."""
    links = comment_page_links(load_page(_LINKS_PAGE, "https://h.example/post/comment-page-2/"))
    assert "https://h.example/post/comment-page-2/?replytocom=5" in links
    assert "https://h.example/post/comment-page-2/" not in links


def test_merge_keeps_page_numbers_and_continues_order_numbers() -> None:
    first = [Comment(number=1, number_source="order", author="A", anchor="c1")]
    second = [
        Comment(number=1, number_source="order", author="B", anchor="c2"),
        Comment(number=2, number_source="order", author="C", anchor="c3", parent=1),
        Comment(number=1, number_source="order", author="A", anchor="c1"),
    ]
    merged = merge_comments([(2, second), (1, first)])
    assert [(c.number, c.author, c.parent) for c in merged] == [(1, "A", None), (2, "B", None), (3, "C", 2)]


def test_recrawl_keeps_comment_pages_and_records_a_deletion_on_one(tmp_path: Path) -> None:
    """Crawled again, the comments of every comment page stay; one taken down from page 3 is deleted."""
    site_dir = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "paginated", site_dir)
    post = site_dir / "2024" / "05" / "freezing-greens"
    db = tmp_path / "a.db"

    def crawl() -> None:
        result = crawl_local(site.url, db="a.db", cwd=tmp_path)
        assert result.returncode == 0, result.stderr

    def comments() -> dict[str, tuple[int, str]]:
        found = rows(db, "SELECT author, deleted, page_url FROM comments")
        return {r["author"]: (r["deleted"], r["page_url"].removeprefix(site.url)) for r in found}

    with SiteServer(site_dir) as site:
        crawl()
        crawl()
        first = comments()
        assert sorted(first) == sorted(set(AUTHORS)) and all(deleted == 0 for deleted, _ in first.values())
        assert first["Olu Adeyemi"] == (0, "2024/05/freezing-greens/comment-page-3/")
        assert first["Mei Tanaka"] == (0, "2024/05/freezing-greens/comment-page-2/")
        page = post / "comment-page-3" / "index.html"
        html = page.read_text(encoding="utf-8")
        start, end = html.index('<li id="comment-105"'), html.index('<li id="comment-106"')
        page.write_text(html[:start] + html[end:], encoding="utf-8")
        later = time.time() + 10  # the article page changed too (or it answers 304 and is not read)
        os.utime(post / "index.html", (later, later))
        crawl()
    assert comments() == first | {"Dana Whitfield": (1, "2024/05/freezing-greens/comment-page-3/")}
    assert len(rows(db, "SELECT * FROM comments")) == 6
