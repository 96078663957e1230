"""A crawl's rendered pages in its WARC files, read back by ``archiver import`` and ``archiver reextract``.

The files are written with archiver's own WarcWriter, record by record as the crawl writes them
(``archiver.crawl.middlewares.capture``): the page as fetched, then its rendered document (a
``response`` marked ``WARC-Archiver-Rendered``, or a ``revisit`` when the browser made the same
bytes as the crawl before), then a ``resource`` record per frame concurrent to that record. No
browser is needed. The pages are synthetic (written for these tests); the comments expected are
read off the frame documents written here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy_playwright._utils import _encode_body

from archiver.archive import Archive
from archiver.extract.rendered import rendered_text, renders
from archiver.warc import importer
from archiver.warc.importer import import_warc
from archiver.warc.rendered import Renderings
from archiver.warc.writer import Capture, Exchange, WarcWriter
from tests.conftest import rows, run_archiver

URL = "https://news.example/2025/03/01/pier-rebuilt.html"
FRAME = "https://comments.example/thread/pier"
DAY1 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY2 = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
WORDS = " ".join(["The harbour pier was rebuilt after the winter storm and the town gathered to watch."] * 30)


def page(comment_area: str) -> bytes:
    return (
        "<html><head><title>Pier rebuilt</title><meta property='og:type' content='article'></head><body>"
        f"<article><h1>Pier rebuilt</h1><p class='byline'>By Ann Lee</p><time datetime='2025-03-01'>1 March 2025"
        f"</time><p>{WORDS}</p></article>{comment_area}</body></html>"
    ).encode()


#: The page as fetched: its comments in a frame (comment status ``script``).
SCRIPT_PAGE = page(f"<section id='comments'><h2>Comments</h2><iframe src='{FRAME}'></iframe></section>")
#: The document the browser made of it (the same for both crawls: the second is a revisit of the first).
RENDERED = SCRIPT_PAGE.replace(b"</body>", b"<div id='cookie-banner'></div></body>")


def frame(*names: str) -> bytes:
    items = "".join(
        f"<li class='comment' id='comment-{i}'><div class='comment-author vcard'><cite class='fn'>{name}</cite></div>"
        f"<div class='comment-metadata'><time datetime='2025-03-01T1{i}:00:00Z'>March 1</time></div>"
        f"<div class='comment-content'><p>I remember the old pier well, wrote {name}.</p></div></li>"
        for i, name in enumerate(names)
    )
    return f"<html><body><div id='comments'><ol class='comment-list'>{items}</ol></div></body></html>".encode()


def exchange(body: bytes, date: datetime, rendered: bool = False) -> Exchange:
    return Exchange(
        url=URL, method="GET", request_headers=[("Accept", "text/html")], status=200,
        response_headers=[("Content-Type", "text/html; charset=utf-8")], body=body, date=date, rendered=rendered,
    )  # fmt: skip


def crawl(
    folder: Path,
    name: str,
    day: datetime,
    frame_body: bytes,
    before: dict[str, Capture] | None = None,
    mode: str = "auto",
    body: bytes = SCRIPT_PAGE,
) -> dict[str, Capture]:
    """One crawl's records of the article, as the crawl writes them: a body the crawl ``before`` captured
    becomes a revisit of it; the frame's record is concurrent to the rendered page's own (revisit) record."""
    info = {"isPartOf": name, "setting-ARCHIVER_RENDER_COMMENTS": mode}
    writer = WarcWriter(folder, name, 1 << 30, folder.parent, name, info)
    writer.open()
    captures = {}
    for kind, record in (("page", exchange(body, day)), ("rendered", exchange(RENDERED, day + RENDER_DELAY, True))):
        held = (before or {}).get(kind)
        captures[kind] = writer.write(
            record, held if held is not None and held.payload_digest == record.digest else None
        )
    rendered = captures["rendered"]
    captures["frame"] = writer.write_resource(
        FRAME, frame_body, "text/html; charset=utf-8", day + RENDER_DELAY, rendered.record_id
    )
    writer.close()
    return captures


RENDER_DELAY = timedelta(seconds=5)


def two_crawls(folder: Path) -> tuple[dict[str, Capture], dict[str, Capture]]:
    """The article crawled on two days: unchanged, rendered alike (a revisit), a comment more in its frame."""
    first = crawl(folder, "day1", DAY1, frame("Ann", "Bo"))
    second = crawl(folder, "day2", DAY2, frame("Ann", "Bo", "Cy"), first)
    assert (second["page"].type, second["rendered"].type) == ("revisit", "revisit")
    return first, second


def comments(db: Path) -> list[str]:
    return [r[0] for r in rows(db, "SELECT author FROM comments WHERE deleted = 0 ORDER BY author")]


def named(db: Path) -> list[str]:
    (row,) = rows(db, "SELECT comment_captures FROM articles")
    return list(json.loads(row[0]))


@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_each_capture_of_a_page_gets_the_rendering_made_from_it(tmp_path: Path, order: str) -> None:
    """Two crawls of one article in the files: each capture's comments are those of its own rendering
    (the rendered record after it, and the frame captured with that record), whatever the files' order."""
    warc = tmp_path / "warc"
    _, second = two_crawls(warc)
    files = sorted(str(p) for p in warc.glob("*.warc.gz"))
    result = run_archiver("import", *(files if order == "as written" else files[::-1]), "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 rendered pages read" in result.stdout
    assert comments(tmp_path / "a.db") == ["Ann", "Bo", "Cy"]
    # the latest capture names its own rendered record (the revisit) and the frame captured with it
    assert named(tmp_path / "a.db") == [second["rendered"].record_id, second["frame"].record_id]
    (frame_row,) = rows(tmp_path / "a.db", "SELECT refers_to, type FROM captures WHERE record_id = ?",
                        (second["frame"].record_id,))  # fmt: skip
    assert tuple(frame_row) == (second["rendered"].record_id, "resource")
    (cy,) = rows(tmp_path / "a.db", "SELECT first_seen FROM comments WHERE author = 'Cy'")
    assert cy[0].startswith("2025-03-02")  # found in the second crawl's frame


def test_reextract_reads_the_frames_of_a_rendered_revisit(tmp_path: Path) -> None:
    """An article whose rendered capture is a revisit: its comments are read again from the frames
    captured with the revisit, not with the earlier response it repeats (which had a comment fewer)."""
    two_crawls(tmp_path / "warc")
    files = sorted(str(p) for p in (tmp_path / "warc").glob("*.warc.gz"))
    assert run_archiver("import", *files, "--db", "a.db", cwd=tmp_path).returncode == 0
    before = named(tmp_path / "a.db")
    done = run_archiver("reextract", "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert comments(tmp_path / "a.db") == ["Ann", "Bo", "Cy"]
    assert named(tmp_path / "a.db") == before
    assert rows(tmp_path / "a.db", "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0


def test_reextract_finds_a_revisits_frames_through_the_frame_the_article_names(tmp_path: Path) -> None:
    """An archive whose article names the response a rendered revisit repeats (as crawls named it) and
    the frame captured with the revisit: the frames read are the revisit's, found through that frame's
    ``refers_to``; the article then names the revisit."""
    first, second = two_crawls(tmp_path / "warc")
    files = sorted(str(p) for p in (tmp_path / "warc").glob("*.warc.gz"))
    assert run_archiver("import", *files, "--db", "a.db", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "a.db") as conn:
        old = json.dumps([first["rendered"].record_id, second["frame"].record_id])
        conn.execute("UPDATE articles SET comment_captures = ?", [old])
    conn.close()
    done = run_archiver("reextract", "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert comments(tmp_path / "a.db") == ["Ann", "Bo", "Cy"]
    assert rows(tmp_path / "a.db", "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0
    assert named(tmp_path / "a.db") == [second["rendered"].record_id, second["frame"].record_id]


def test_import_reads_the_rendering_of_a_crawl_that_rendered_every_article(tmp_path: Path) -> None:
    """``ARCHIVER_RENDER_COMMENTS=always`` (as the file's warcinfo says): an article whose page shows no
    comment area was rendered too, and its frame's comments are read as the crawl read them."""
    plain = page("<p>Share this story.</p>")
    crawl(tmp_path / "warc", "day1", DAY1, frame("Ann", "Bo"), mode="always", body=plain)
    files = [str(p) for p in (tmp_path / "warc").glob("*.warc.gz")]
    result = run_archiver("import", *files, "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert comments(tmp_path / "a.db") == ["Ann", "Bo"]
    (provenance,) = rows(tmp_path / "a.db", "SELECT provenance FROM articles")
    assert json.loads(provenance[0])["comments"] == f"rendered:frame:{FRAME}"


def test_an_article_put_off_for_its_rendering_is_extracted_once(tmp_path: Path, monkeypatch: Any) -> None:
    """Each page of the files is read by the extractor once, also one kept until its rendering is known."""
    two_crawls(tmp_path / "warc")
    read: list[str] = []
    original = importer.read_page

    def counted(payload: bytes, url: str, *args: Any) -> Any:
        read.append(url)
        return original(payload, url, *args)

    monkeypatch.setattr(importer, "read_page", counted)
    archive = Archive(str(tmp_path / "a.db"))
    try:
        stats = import_warc(archive, sorted((tmp_path / "warc").glob("*.warc.gz")), processes=0)
    finally:
        archive.close()
    assert (stats.articles, stats.rendered) == (2, 2)
    assert read == [URL, URL]  # the two captures of the page, once each


def test_a_rendering_belongs_to_the_last_fetch_before_it() -> None:
    renderings: Renderings[str] = Renderings()
    for day in (DAY1, DAY2, DAY2 + timedelta(days=1)):
        renderings.fetched(URL, day)
    renderings.rendered(URL + "#comments", DAY1 + RENDER_DELAY, "first")
    renderings.rendered(URL, DAY2 + timedelta(days=1, seconds=5), "third")
    assert renderings.of(URL, DAY1) == "first"
    assert renderings.of(URL, DAY2) is None  # its rendering failed: the next one is the next fetch's
    assert renderings.of(URL, DAY2 + timedelta(days=1)) == "third"
    assert renderings.of("https://news.example/other.html", DAY1) is None


@pytest.mark.parametrize("mode", ["auto", "off", "always"])
@pytest.mark.parametrize("status", ["script", "external:disqus", "present", "none", None])
def test_the_crawl_and_import_take_one_decision(mode: str, status: str | None) -> None:
    from archiver.crawl.render import RenderPolicy

    assert RenderPolicy(mode=mode, chromium="/usr/bin/chromium").wants(status) == renders(mode, status)
    assert RenderPolicy(mode=mode, chromium=None).wants(status) is False
    assert renders(mode, status) == (mode == "always" or (mode == "auto" and status in ("script", "external:disqus")))


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        # a byte order mark says UTF-8, the header Latin-1: Scrapy follows the mark
        ("\ufeff<html><p>café “pier”</p></html>".encode(), "text/html; charset=iso-8859-1"),
        # the header says UTF-8, a byte is not: Scrapy replaces it, and never falls back to the markup's charset
        (b"<html><head><meta charset='iso-8859-1'></head><p>caf\xe9</p></html>", "text/html; charset=utf-8"),
        (b"<html><head><meta charset='windows-1252'></head><p>\x93pier\x94</p></html>", "text/html"),  # markup
        ("<html><p>café</p></html>".encode(), None),  # nothing declared: UTF-8
        (b"<html><p>caf\xe9</p></html>", "text/html; charset=ISO-8859-1"),  # Latin-1 read as windows-1252
    ],
)
def test_a_rendered_document_is_decoded_as_scrapy_decodes_it(payload: bytes, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    assert rendered_text(payload, content_type) == HtmlResponse(URL, body=payload, headers=headers).text


@pytest.mark.parametrize("content_type", ["text/html; charset=iso-8859-1", "text/html", "text/html; charset=utf-8"])
def test_a_rendered_page_reads_as_the_crawl_read_it(content_type: str) -> None:
    """The crawl's rendered response (scrapy-playwright encodes the browser's text, Scrapy decodes it)
    and its capture's bytes give the same text."""
    from scrapy.http import Headers

    text = "<html><head><meta charset='windows-1252'></head><p>café “pier”</p></html>"
    body, encoding = _encode_body(Headers({"Content-Type": content_type}), text)
    crawl_text = HtmlResponse(URL, body=body, headers={"Content-Type": content_type}, encoding=encoding).text
    assert rendered_text(body, content_type) == crawl_text == text


def test_a_rendered_page_the_header_charset_cannot_encode_is_read_as_the_crawl_read_it(tmp_path: Path) -> None:
    """The server says Latin-1, the browser's text holds an ő and an emoji: scrapy-playwright encodes it
    in UTF-8 (the first charset that can), and the capture's Content-Type says so, so the comments read
    back are the crawl's, not UTF-8 bytes read as windows-1252."""
    from scrapy import Request
    from scrapy.http import Headers

    from archiver.crawl.meta import RENDER
    from archiver.crawl.middlewares.capture import exchange_of

    latin = "text/html; charset=iso-8859-1"
    fetched = page("<section id='comments'><h2>Comments</h2><div id='disqus_thread'></div></section>")
    shown = fetched.decode().replace("<div id='disqus_thread'></div>", frame("Gábor", "Zoë").decode())
    shown = shown.replace("wrote Gábor", "wrote Gábor: szőlő 😀")
    body, encoding = _encode_body(Headers({"Content-Type": latin}), shown)
    assert encoding == "utf-8"  # what scrapy-playwright does: Latin-1 cannot encode it
    response = HtmlResponse(URL, body=body, headers={"Content-Type": latin}, encoding=encoding)
    rendered = exchange_of(Request(URL, meta={RENDER: True}), response)
    assert rendered.rendered
    as_fetched = Exchange(
        url=URL, method="GET", request_headers=[], status=200, response_headers=[("Content-Type", latin)],
        body=fetched, date=DAY1,
    )  # fmt: skip
    writer = WarcWriter(
        tmp_path / "warc", "day1", 1 << 30, tmp_path, "day1", {"setting-ARCHIVER_RENDER_COMMENTS": "auto"}
    )
    writer.open()
    writer.write(as_fetched)
    writer.write(replace(rendered, date=DAY1 + RENDER_DELAY))
    writer.close()
    files = [str(p) for p in (tmp_path / "warc").glob("*.warc.gz")]
    assert run_archiver("import", *files, "--db", "a.db", cwd=tmp_path).returncode == 0
    expected = {
        "Gábor": "I remember the old pier well, wrote Gábor: szőlő 😀.",
        "Zoë": "I remember the old pier well, wrote Zoë.",
    }
    assert dict(rows(tmp_path / "a.db", "SELECT author, body FROM comments")) == expected
    done = run_archiver("reextract", "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert dict(rows(tmp_path / "a.db", "SELECT author, body FROM comments WHERE deleted = 0")) == expected
    # the record says what its bytes are in, for replay tools too
    assert ("Content-Type", "text/html; charset=utf-8") in rendered.response_headers


def test_reextract_finds_a_revisits_frames_in_an_archive_whose_frame_rows_name_no_record(tmp_path: Path) -> None:
    """An archive as crawls wrote it before frames' rows named their record: every frame's ``refers_to``
    NULL, and the article naming the response its rendered revisit repeats with the frame captured with
    the revisit. The frames read are the revisit's, found through the frame record's WARC-Concurrent-To."""
    from archiver.extract import read_page
    from archiver.extract.rendered import Document, read_rendered
    from archiver.items import item_asdict

    first, second = two_crawls(tmp_path / "warc")
    old = [replace(c, refers_to=None) if c.type == "resource" else c for c in [*first.values(), *second.values()]]
    # the article as that crawl saved it: its page's payload the first response, its comments the frame's
    article = read_page(SCRIPT_PAGE, URL, DAY2, importer.MIN_WORDS, None, "text/html; charset=utf-8").article
    assert article is not None
    documents = [Document(URL, RENDERED.decode(), False), Document(FRAME, frame("Ann", "Bo", "Cy").decode(), True)]
    article, _ = read_rendered(article, documents, DAY2 + RENDER_DELAY)
    article.capture = first["page"].row()
    article.comment_captures = [first["rendered"].row(), replace(second["frame"], refers_to=None).row()]
    archive = Archive(str(tmp_path / "a.db"))
    try:
        archive.record_captures([c.row() for c in old])
        archive.save([item_asdict(article)])
    finally:
        archive.close()
    assert (
        rows(tmp_path / "a.db", "SELECT count(*) FROM captures WHERE type = 'resource' AND refers_to IS NULL")[0][0]
        == 2
    )
    assert comments(tmp_path / "a.db") == ["Ann", "Bo", "Cy"]
    done = run_archiver("reextract", "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert comments(tmp_path / "a.db") == ["Ann", "Bo", "Cy"]
    assert rows(tmp_path / "a.db", "SELECT count(*) FROM comments WHERE deleted = 1")[0][0] == 0
    assert named(tmp_path / "a.db") == [second["rendered"].record_id, second["frame"].record_id]


def test_a_failed_fetch_between_a_capture_and_its_rendering_does_not_take_the_rendering(tmp_path: Path) -> None:
    """A fetch of the page that got no 200 (a retried 503) between the capture and its rendering is no
    capture a rendering could belong to: the rendering stays the capture's."""
    warc = tmp_path / "warc"
    writer = WarcWriter(warc, "day1", 1 << 30, tmp_path, "day1", {"setting-ARCHIVER_RENDER_COMMENTS": "auto"})
    writer.open()
    writer.write(exchange(SCRIPT_PAGE, DAY1))
    writer.write(replace(exchange(b"<html><p>Busy</p></html>", DAY1 + timedelta(seconds=2)), status=503))
    rendered = writer.write(exchange(RENDERED, DAY1 + RENDER_DELAY, True))
    writer.write_resource(
        FRAME, frame("Ann", "Bo"), "text/html; charset=utf-8", DAY1 + RENDER_DELAY, rendered.record_id
    )
    writer.close()
    files = [str(p) for p in warc.glob("*.warc.gz")]
    result = run_archiver("import", *files, "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 rendered page" in result.stdout
    assert comments(tmp_path / "a.db") == ["Ann", "Bo"]


def test_a_full_disk_while_putting_articles_off_is_one_line(tmp_path: Path) -> None:
    """The import's temporary file of articles put off cannot grow (a file size limit stands in for a
    full disk: the same OSError): one line naming it, exit code 1, no traceback."""
    import resource
    import subprocess

    from tests.conftest import archiver_command

    writer = WarcWriter(tmp_path / "warc", "old", 1 << 30, tmp_path, "old", {})  # names no mode: every article put off
    writer.open()
    for number in range(300):
        writer.write(replace(exchange(SCRIPT_PAGE, DAY1), url=f"https://news.example/2025/03/01/story-{number}.html"))
    writer.close()
    (warc,) = (tmp_path / "warc").glob("*.warc.gz")
    assert run_archiver("import", str(warc), "--db", "empty.db", "--url-filter", "^none$", cwd=tmp_path).returncode == 0
    limit = (tmp_path / "empty.db").stat().st_size + 200_000  # the archive fits, 300 articles put off do not

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [*archiver_command(), "import", str(warc), "--db", "a.db", "--processes", "0"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False, preexec_fn=small_files,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("archiver:")]
    assert line.startswith(f"archiver: a.db: the import's temporary file in {tmp_path}: "), line


def test_a_rendering_naming_its_capture_belongs_to_it_whatever_the_clocks(tmp_path: Path) -> None:
    """A distributed crawl: the machine that rendered the page has a clock 30 seconds behind the one
    that fetched it, so the rendered record is dated before the capture. It names the capture's record
    (``WARC-Archiver-Rendered-From``): the comments are that rendering's."""
    warc = tmp_path / "warc"
    writer = WarcWriter(warc, "day1", 1 << 30, tmp_path, "day1", {"setting-ARCHIVER_RENDER_COMMENTS": "auto"})
    writer.open()
    fetched = writer.write(exchange(SCRIPT_PAGE, DAY1))
    late_clock = replace(exchange(RENDERED, DAY1 - timedelta(seconds=30), True), rendered_from=fetched.record_id)
    rendered = writer.write(late_clock)
    writer.write_resource(FRAME, frame("Ann", "Bo"), "text/html; charset=utf-8", late_clock.date, rendered.record_id)
    writer.close()
    result = run_archiver("import", *[str(p) for p in warc.glob("*.warc.gz")], "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 rendered page" in result.stdout
    assert comments(tmp_path / "a.db") == ["Ann", "Bo"]
