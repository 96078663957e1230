"""A page as the browser rendered it is never the copy a later fetch of its URL repeats (issue #18).

A page whose comments load by script is rendered in Chromium, and its rendered document is written
as a ``response`` record of the page's own URL (marked ``WARC-Archiver-Rendered``). A ``304 Not
Modified`` of that URL, or its payload fetched again, is a ``revisit`` that replay tools follow to
the record it names: that must be the server's response, never the browser's document. Real
crawls of a real 127.0.0.1 server (Python's file server: it answers ``If-Modified-Since`` with a
304) with the demo's comment service beside it, real Chromium; the crawl's capture middleware with
real Scrapy objects, WARC files and archive; the drain's mirror in a real redis-server; an archive
written by the previous schema, migrated.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from archiver.archive import Archive
from archiver.archive.captures import latest_capture
from archiver.archive.schema import _BY_ORDER_OF_FETCHES, m010_rendered_captures, migrations
from archiver.crawl.meta import RENDER, RENDERED_FROM
from archiver.crawl.middlewares.capture import CaptureMiddleware
from archiver.demo import SITE_DIR, SiteServer
from archiver.demo.widgets import PLACEHOLDER, WidgetServer
from archiver.distributed.mirror import Mirror
from archiver.distributed.state import Keys
from archiver.warc.writer import SERVER_NOT_MODIFIED, payload_digest, warc_date
from tests.conftest import LOCAL_CRAWL_FLAGS, crawl_local, require, rows, run_archiver

CHROMIUM = Path("/usr/bin/chromium")
#: A crawl of this machine's servers with rendering on, each page within 10 seconds, the one page given.
RENDER_ONE = (*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_RENDER_COMMENTS=auto", "-s", "ARCHIVER_RENDER_TIMEOUT=10",
              "--depth", "0")  # fmt: skip
PAGE = "live/harbour-pier.html"


def needs_chromium() -> None:
    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    require(importlib.util.find_spec("scrapy_playwright") is not None, "scrapy-playwright")


def record(folder: Path, capture: sqlite3.Row) -> Any:
    """The WARC record a ``captures`` row names (its headers)."""
    with (folder / str(capture["warc_file"])).open("rb") as stream:
        stream.seek(int(capture["offset"]))
        return next(iter(ArchiveIterator(stream)))


def test_a_304_after_a_rendered_crawl_is_a_revisit_of_the_servers_response(tmp_path: Path) -> None:
    """Crawl 1 fetches the article, then renders it (comments injected by the comment service's
    script); crawl 2 asks again with If-Modified-Since and gets a 304: its revisit names the page as
    the server sent it, not the later record of the page as Chromium rendered it."""
    needs_chromium()
    site = tmp_path / "site"
    (site / "live").mkdir(parents=True)
    with WidgetServer() as widgets:
        text = (SITE_DIR / PAGE).read_text(encoding="utf-8").replace(PLACEHOLDER, widgets.origin)
        (site / PAGE).write_text(text, encoding="utf-8")  # served as a file: with Last-Modified, and 304s
        with SiteServer(site) as server:
            url = f"{server.url}{PAGE}"
            for _ in range(2):
                done = run_archiver("crawl", url, "--db", "archive.db", *RENDER_ONE, cwd=tmp_path, timeout=240)
                assert done.returncode == 0, done.stderr
    db = tmp_path / "archive.db"
    first, rendered, not_modified = rows(db, "SELECT * FROM captures WHERE url = ? ORDER BY fetched_at", (url,))
    assert (first["type"], first["rendered"], rendered["type"], rendered["rendered"]) == ("response", 0, "response", 1)
    assert record(tmp_path, rendered).rec_headers.get_header("WARC-Archiver-Rendered-From") == first["record_id"]
    assert "Ana Lindqvist" in record(tmp_path, rendered).content_stream().read().decode("utf-8")
    assert (not_modified["type"], not_modified["status"]) == ("revisit", 304)
    assert not_modified["refers_to"] == first["record_id"]
    headers = record(tmp_path, not_modified).rec_headers
    assert headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
    assert headers.get_header("WARC-Refers-To") == first["record_id"]
    assert headers.get_header("WARC-Payload-Digest") == first["payload_digest"]


class Articles(Spider):
    name = "articles"


BODY = b"<html><body><div id='comments'></div><script src='/embed.js'></script></body></html>"
SHOWN = (
    b"<html><head></head><body><div id='comments'><p>First!</p></div><script src='/embed.js'></script></body></html>"
)


def captured(middleware: CaptureMiddleware, request: Request, response: Response) -> dict[str, Any]:
    """The row of the record the middleware wrote for a response."""
    middleware.process_response(request, response)
    return middleware.pending[-1]


def test_within_a_crawl_a_304_or_the_same_bytes_never_repeat_the_rendering(tmp_path: Path) -> None:
    """The capture middleware (real Scrapy objects, WARC files, archive): the page, then its rendering,
    then a 304 and a fetch with the same bytes as the rendering before any row is in the archive: both
    revisits name the page as fetched (the 304) or are responses of their own (the bytes were never
    sent by the server); a rendering with the bytes of the one before is a revisit of it."""
    url = "http://127.0.0.1:9/2026/05/01/story.html"
    crawler = get_crawler(Articles, {"ARCHIVER_ARCHIVE_PATH": str(tmp_path / "archive.db")})
    middleware = CaptureMiddleware.from_crawler(crawler)
    middleware.spider_opened(Articles())
    try:
        html = {"Content-Type": "text/html; charset=utf-8", "Last-Modified": "Fri, 01 May 2026 10:00:00 GMT"}
        fetched = captured(middleware, Request(url), HtmlResponse(url, body=BODY, headers=html))
        render = Request(url, meta={RENDER: True, RENDERED_FROM: fetched["record_id"]})
        rendered = captured(middleware, render, HtmlResponse(url, body=SHOWN, headers=html))
        assert (fetched["rendered"], rendered["rendered"], rendered["type"]) == (False, True, "response")
        not_modified = captured(middleware, Request(url), Response(url, status=304, headers=html))
        assert (not_modified["type"], not_modified["refers_to"]) == ("revisit", fetched["record_id"])
        same_bytes = captured(middleware, Request(url), HtmlResponse(url, body=SHOWN, headers=html))
        assert (same_bytes["type"], same_bytes["refers_to"], same_bytes["rendered"]) == ("response", None, False)
        again = captured(middleware, Request(url, meta={RENDER: True}), HtmlResponse(url, body=SHOWN, headers=html))
        assert (again["type"], again["refers_to"]) == ("revisit", rendered["record_id"])
        middleware.flush()  # in the archive now: the same answers from it
        later = captured(middleware, Request(url), Response(url, status=304, headers=html))
        assert later["refers_to"] == same_bytes["record_id"]  # the latest the server sent
    finally:
        middleware.spider_closed(Articles())
    db = tmp_path / "archive.db"
    assert [r[0] for r in rows(db, "SELECT rendered FROM captures ORDER BY fetched_at")] == [0, 1, 0, 0, 1, 0]


DAY = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
URL = "https://example.org/2026/05/01/story.html"


def row(kind: str, minutes: int, rendered: bool = False, crawl: str = "day0", **fields: Any) -> dict[str, Any]:
    """A ``captures`` row of URL as a crawl (``day<n>``: n days after DAY) writes it."""
    return {
        "record_id": f"<urn:uuid:{crawl}-{minutes}-{kind}>", "url": URL, "status": 200,
        "fetched_at": warc_date(DAY + timedelta(days=int(crawl[3:]), minutes=minutes)),
        "warc_file": f"warc/{crawl}.warc.gz",
        "offset": minutes, "length": 100, "payload_digest": payload_digest(f"{kind}{minutes}".encode()),
        "type": kind, "refers_to": None, "crawl_id": crawl, "rendered": rendered, **fields,
    }  # fmt: skip


def test_the_mirror_sends_workers_the_servers_response_not_the_rendering(tmp_path: Path, redis_url: str) -> None:
    """The drain's mirror (seeded from the archive, and kept up to date with the rows it writes) holds,
    for a URL whose latest response is its rendering, the server's response before it."""
    fetched, rendered = row("response", 0), row("response", 1, rendered=True)
    archive = Archive(str(tmp_path / "archive.db"))
    server = redis.Redis.from_url(redis_url)
    try:
        archive.record_captures([fetched, rendered])
        mirror = Mirror(server, Keys())
        mirror.seed(archive.db.conn, str(tmp_path / "archive.db"))
        assert json.loads(server.hget(Keys().captured, URL) or "")["record_id"] == fetched["record_id"]
        server.delete(Keys().captured)
        mirror.captures([fetched, rendered])  # a worker's rows, as the drain writes them
        mirrored = json.loads(server.hget(Keys().captured, URL) or "")
        assert mirrored["record_id"] == fetched["record_id"]
        assert "rendered" not in mirrored  # none there is a rendering; a worker before the field reads it
        assert latest_capture(archive.db.conn, URL)["record_id"] == fetched["record_id"]  # type: ignore[index]
        assert latest_capture(archive.db.conn, URL, renderings=True)["record_id"] == rendered["record_id"]  # type: ignore[index]
    finally:
        archive.close()
        server.close()


def old_archive(path: Path) -> Database:
    """An archive of the schema before ``captures.rendered`` (migration m010)."""
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m010_rendered_captures")
    return db


def test_the_migration_marks_the_renderings_of_an_archive_written_before(tmp_path: Path) -> None:
    """An archive the previous code wrote: four crawls of an article whose comments load by script,
    the page unchanged (each later fetch a revisit of day 0's). Day 0's rendering is named by the
    revision's comment captures, day 3's (a revisit of day 2's) by the article's; day 1's is named by
    none (found as the second 200 of the URL in its crawl); day 2's, imported from files (no crawl id,
    its URL with a fragment), by the revisit of day 3. Each is marked; the page fetched twice in one
    crawl, a comment page and a frame are not; the latest response of the URL is day 0's page."""
    path = tmp_path / "archive.db"
    db = old_archive(path)
    page0, r0 = row("response", 0), row("response", 1)
    frame = row("resource", 2, url="https://comments.example/thread", status=None, refers_to=r0["record_id"])
    same = {"type": "revisit", "refers_to": page0["record_id"], "payload_digest": page0["payload_digest"]}
    twice = row("revisit", 3, **same)  # the start page, reached again by a link
    page1, r1 = row("revisit", 0, crawl="day1", **same), row("response", 1, crawl="day1")
    page2 = row("revisit", 0, crawl="day2", crawl_id=None, **same)
    r2 = row("response", 1, crawl="day2", crawl_id=None, url=URL + "#comments")
    page3 = row("revisit", 0, crawl="day3", **same)
    r3 = row("revisit", 1, crawl="day3", refers_to=r2["record_id"], payload_digest=r2["payload_digest"])
    comment_page = row("response", 2, crawl="day3", url=URL + "?cpage=2")
    for capture in (page0, r0, frame, twice, page1, r1, page2, r2, page3, r3, comment_page):
        db.table("captures").insert({k: v for k, v in capture.items() if k != "rendered"})
    db.table("articles").insert({
        "canonical_url": URL, "url": URL, "title": "Story", "capture": page0["record_id"],
        "comment_captures": json.dumps([r3["record_id"], comment_page["record_id"]]),
    })  # fmt: skip
    db.table("revisions").insert({"article_id": 1, "capture": page0["record_id"],
                                  "comment_captures": json.dumps([r0["record_id"]])})  # fmt: skip
    with db.conn:
        before = latest_capture_before(db.conn)
    db.close()
    assert before == r1["record_id"]  # what a 304 named before: the URL's latest response, day 1's rendering
    archive = Archive(str(path))  # migrated on opening
    try:
        marked = {r[0] for r in archive.db.conn.execute("SELECT record_id FROM captures WHERE rendered = 1")}
        assert marked == {r0["record_id"], r1["record_id"], r2["record_id"], r3["record_id"]}
        assert latest_capture(archive.db.conn, URL)["record_id"] == page0["record_id"]  # type: ignore[index]
    finally:
        archive.close()


def latest_capture_before(conn: sqlite3.Connection) -> str:
    """The record the previous code's lookup gave for a 304 of URL: its latest ``response`` row."""
    sql = "SELECT record_id FROM captures WHERE url = ? AND type = 'response' ORDER BY fetched_at DESC LIMIT 1"
    return str(conn.execute(sql, [URL]).fetchone()[0])


def test_import_marks_the_renderings_of_a_crawls_files(tmp_path: Path) -> None:
    """``archiver import`` of a crawl's own files: the record of the page as rendered (its
    ``WARC-Archiver-Rendered`` field) is marked in ``captures``, the page as fetched is not."""
    from archiver.warc.writer import Exchange, WarcWriter

    url = f"http://127.0.0.1:9/{PAGE}"
    fetched_page = (SITE_DIR / PAGE).read_bytes()
    shown = fetched_page.replace(
        b'<div id="live-comments" data-thread="harbour"></div>',
        b'<div id="live-comments"><ol class="comment-list"><li class="comment" id="comment-1"><cite class="fn">'
        b"Ana Lindqvist</cite><div class='comment-content'><p>The old stairs will not be missed.</p></div></li></ol>"
        b"</div>",
    )
    writer = WarcWriter(
        tmp_path / "warc", "day0", 1 << 30, tmp_path, "day0", {"setting-ARCHIVER_RENDER_COMMENTS": "auto"}
    )
    writer.open()
    headers = [("Content-Type", "text/html; charset=utf-8")]
    fetched = writer.write(Exchange(url, "GET", [], 200, headers, fetched_page, DAY))
    rendered = writer.write(
        Exchange(url, "GET", [], 200, headers, shown, DAY + timedelta(seconds=5), rendered=True,
                 rendered_from=fetched.record_id)
    )  # fmt: skip
    writer.close()
    done = run_archiver("import", *map(str, (tmp_path / "warc").glob("*.warc.gz")), "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 rendered page" in done.stdout
    marked = {r[0]: r[1] for r in rows(tmp_path / "a.db", "SELECT record_id, rendered FROM captures")}
    assert marked == {fetched.record_id: 0, rendered.record_id: 1}
    with sqlite3.connect(tmp_path / "a.db") as conn:  # as an archive migrated without its files left it
        conn.execute("UPDATE captures SET rendered = 0")
    conn.close()
    again = run_archiver("import", *map(str, (tmp_path / "warc").glob("*.warc.gz")), "--db", "a.db", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    marked = {r[0]: r[1] for r in rows(tmp_path / "a.db", "SELECT record_id, rendered FROM captures")}
    assert marked == {fetched.record_id: 0, rendered.record_id: 1}  # importing the files again repairs the mark


def test_a_record_written_again_as_a_rendering_is_marked(tmp_path: Path) -> None:
    """A record the archive holds unmarked (an archive migrated without its WARC files) is marked when
    a row saying it is a rendering is written again (an import of the files); nothing else of the row
    changes, and a row without the mark never clears one."""
    rendering = row("response", 1, rendered=True)
    archive = Archive(str(tmp_path / "archive.db"))
    try:
        archive.record_captures([{**rendering, "rendered": False}])
        archive.record_captures([{**rendering, "rendered": True, "crawl_id": "another", "status": 404}])
        held = archive.db.conn.execute("SELECT rendered, crawl_id, status FROM captures").fetchall()
        assert [tuple(r) for r in held] == [(1, "day0", 200)]
        archive.record_captures([{**rendering, "rendered": False}])
        assert archive.db.conn.execute("SELECT rendered FROM captures").fetchone()[0] == 1
    finally:
        archive.close()


def written(folder: Path, crawl_ids: tuple[str | None, ...], *pages: tuple[int, bool, bytes]) -> list[dict[str, Any]]:
    """The capture rows of URL's pages (minutes after DAY, whether rendered, the body) written to a
    real WARC file in ``folder/warc`` (names relative to ``folder``), each with its crawl id."""
    from archiver.warc.writer import Exchange, WarcWriter

    writer = WarcWriter(folder / "warc", "crawl", 1 << 30, folder, None, {})
    writer.open()
    headers = [("Content-Type", "text/html; charset=utf-8")]
    try:
        found = [
            writer.write(Exchange(URL, "GET", [], 200, headers, body, DAY + timedelta(minutes=minutes), rendered=shown))
            for minutes, shown, body in pages
        ]
    finally:
        writer.close()
    return [{**c.row(), "crawl_id": crawl} for c, crawl in zip(found, crawl_ids, strict=True)]


def migrated_marks(path: Path, captures: list[dict[str, Any]], page: str, comments: list[str]) -> dict[str, int]:
    """The ``rendered`` mark of each capture once an archive of the schema before m010 holding them (an
    article naming ``page`` and its ``comments`` captures) is opened."""
    db = old_archive(path)
    for capture in captures:
        db.table("captures").insert({k: v for k, v in capture.items() if k != "rendered"})
    db.table("articles").insert(
        {"canonical_url": URL, "url": URL, "title": "Story", "capture": page, "comment_captures": json.dumps(comments)}
    )
    db.conn.commit()
    db.close()
    archive = Archive(str(path))  # migrated on opening
    try:
        return {r[0]: r[1] for r in archive.db.conn.execute("SELECT record_id, rendered FROM captures")}
    finally:
        archive.close()


@pytest.mark.parametrize(
    "crawls",
    [("workerA-day0", "workerB-day0", "workerA-day1", "workerB-day1"), (None, None, None, None)],
    ids=["distributed", "imported"],
)
def test_the_migration_reads_the_records_of_renderings_no_article_names(
    tmp_path: Path, crawls: tuple[str | None, ...]
) -> None:
    """A distributed crawl (each worker its own crawl id: another worker rendered the page) or an
    import (no crawl id): day 0's rendering, named by nothing, is marked by its WARC record, so a 304
    names the server's response of day 0 (not the rendering, as the archive's rows alone would have it)."""
    page, shown = b"<html><body><p>The page.</p></body></html>", b"<html><body><p>Rendered.</p></body></html>"
    r0, x0, r1, y1 = written(tmp_path, crawls, (0, False, page), (1, True, shown), (60 * 24, False, page + b" "),
                             (60 * 24 + 1, True, shown + b" "))  # fmt: skip
    marks = migrated_marks(tmp_path / "archive.db", [r0, x0, r1, y1], r1["record_id"], [y1["record_id"]])
    assert marks == {r0["record_id"]: 0, x0["record_id"]: 1, r1["record_id"]: 0, y1["record_id"]: 1}
    db = Database(sqlite3.connect(tmp_path / "archive.db"))
    try:
        with db.conn:
            m010_rendered_captures(db)  # run again: the same marks
        assert {r[0]: r[1] for r in db.execute("SELECT record_id, rendered FROM captures")} == marks
    finally:
        db.close()


def test_the_migration_does_not_take_a_second_fetch_for_a_rendering(tmp_path: Path) -> None:
    """One crawl fetched the page, rendered it, then fetched it again with another body (a start page
    reached again by a link); a later crawl fetched it twice and did not render it. Each second fetch
    is the server's response, as its record says (the order of fetches alone would take the later
    crawl's for a rendering), and a 304 of the URL names the last."""
    page, shown = b"<html><body><p>nonce 1</p></body></html>", b"<html><body><p>Rendered.</p></body></html>"
    pages = [(0, False, page), (1, True, shown), (2, False, page + b"2"), (60, False, page + b"3"),
             (61, False, page + b"4")]  # fmt: skip
    f1, x1, f2, g1, g2 = captures = written(tmp_path, ("c1", "c1", "c1", "c2", "c2"), *pages)
    marks = migrated_marks(tmp_path / "archive.db", captures, f1["record_id"], [x1["record_id"]])
    assert marks == {f1["record_id"]: 0, x1["record_id"]: 1, f2["record_id"]: 0, g1["record_id"]: 0,
                     g2["record_id"]: 0}  # fmt: skip
    archive = Archive(str(tmp_path / "archive.db"))
    try:
        assert latest_capture(archive.db.conn, URL)["record_id"] == g2["record_id"]  # type: ignore[index]
    finally:
        archive.close()


def test_without_its_files_the_migration_marks_no_second_rendering_in_a_crawl(tmp_path: Path) -> None:
    """The same crawl, its WARC files gone: its rendering known (the article names it), the second
    fetch is not taken for another (a crawl renders a page at most once)."""
    f1, x1, f2 = row("response", 0, crawl="day0"), row("response", 1), row("response", 2)
    marks = migrated_marks(tmp_path / "archive.db", [f1, x1, f2], f1["record_id"], [x1["record_id"]])
    assert marks == {f1["record_id"]: 0, x1["record_id"]: 1, f2["record_id"]: 0}


def test_the_migrations_rule_of_fetches_compares_no_capture_with_every_other(tmp_path: Path) -> None:
    """m010's rule for the captures whose records cannot be read takes each (URL, crawl) as a window
    over one pass of the captures, not a correlated subquery per capture (quadratic in a URL's
    captures, under the archive's write lock)."""
    archive = Archive(str(tmp_path / "archive.db"))
    try:
        conn = archive.db.conn
        conn.execute("CREATE TEMP TABLE m010_candidates (record_id TEXT, warc_file TEXT, offset INT, unread INT)")
        plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {_BY_ORDER_OF_FETCHES}")]
        assert plan and not [step for step in plan if "CORRELATED" in step], plan
    finally:
        archive.close()


def test_an_archive_written_before_the_mark_is_read_without_migrating(tmp_path: Path, demo_site: SiteServer) -> None:
    """``export`` and ``show`` read an archive without migrating it: one of the schema before m010 (no
    ``captures.rendered``) still gives each article's capture (before: sqlite3.OperationalError)."""
    assert crawl_local(demo_site.url, cwd=tmp_path).returncode == 0
    path = tmp_path / "archive.db"
    with sqlite3.connect(path) as conn:  # the file as the previous archiver left it
        conn.execute("ALTER TABLE captures DROP COLUMN rendered")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_rendered_captures'")
        conn.execute("UPDATE archive_info SET value = '9' WHERE key = 'schema_version'")
    conn.close()
    exported = run_archiver("export", "--db", str(path), "-o", "-", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert records and all(r["capture"] and r["capture"]["offset"] is not None for r in records)
    shown = run_archiver("show", "--db", str(path), records[0]["url"], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert records[0]["capture"]["file"] in shown.stdout
    with sqlite3.connect(path) as conn:  # left as it was: no column added by reading
        assert "rendered" not in {r[1] for r in conn.execute("PRAGMA table_info(captures)")}
    conn.close()
