"""Hostile page content: stored verbatim, never interpreted; non-HTTP links never followed."""

from __future__ import annotations

import html
from pathlib import Path

from archiver.demo import SiteServer
from tests.conftest import crawl_local, rows

TITLE = "Robert'); DROP TABLE articles;-- $(rm -rf /) <b>bold</b>"
AUTHOR = "Eve `whoami` O'Brien"
COMMENT = "<script>alert('x')</script> '; DELETE FROM comments; -- && shutdown -h now"


def hostile_site(folder: Path) -> Path:
    folder.mkdir()
    text = "Injection strings must be archived exactly as the page shows them, and nothing else. " * 8
    (folder / "index.html").write_text(
        '<html><body><a href="/story.html">story</a> <a href="mailto:eve@example.org">mail</a>'
        ' <a href="javascript:alert(1)">js</a> <a href="data:text/html,hi">data</a>'
        ' <a href="file:///etc/passwd">file</a> <a href="ftp://127.0.0.1/x">ftp</a></body></html>'
    )
    (folder / "story.html").write_text(
        f"<html><head><title>{html.escape(TITLE)}</title></head><body><article><h1>{html.escape(TITLE)}</h1>"
        f'<p class="byline">By <span class="author">{html.escape(AUTHOR)}</span>,'
        f' <time datetime="2024-05-01">May 1</time></p><p>{text}</p></article>'
        f"<ol class='comment-list'><li class='comment' id='comment-1'><cite class='fn'>Mallory</cite>"
        f"<time datetime='2024-05-02T10:00:00'>May 2</time><div class='comment-content'><p>{html.escape(COMMENT)}"
        "</p></div></li></ol></body></html>"
    )
    return folder


def test_injection_strings_verbatim_and_only_http_followed(tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    with SiteServer(site) as server:
        result = crawl_local(server.url, db="a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "a.db"
    (article,) = rows(db, "SELECT title, authors FROM articles")
    assert article["title"] == TITLE
    assert AUTHOR in article["authors"]
    assert rows(db, "SELECT body FROM comments")[0][0] == COMMENT
    fetched = [r["url"] for r in rows(db, "SELECT url FROM fetches")]
    assert all(url.startswith("http://127.0.0.1:") for url in fetched)
    assert not any(word in url for url in fetched for word in ("mailto", "javascript", "data:", "file:", "ftp"))
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
