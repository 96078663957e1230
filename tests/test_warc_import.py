"""archiver import: WARC files written by other tools (and by a crawl) build or update an archive."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.archive import Archive
from archiver.demo import SITE_DIR, SiteServer
from archiver.extract import extract_article
from archiver.warc.importer import Importer
from archiver.warc.reader import Exchange, Location, read_exchange
from tests.conftest import FIXTURES, archiver_command, count, crawl_local, rows, run_archiver

# warcio's record builder leaves a spooled temporary file of each record's digests unclosed
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

SITE = "https://news.example.org"
DEMO_PAGES = ("news/2024/03/bridge-reopens.html", "blog/2023/05/slow-cooking.html")
PAGINATED = FIXTURES / "sites" / "paginated"
ARTICLE = "2024/05/freezing-greens/"
COMMENT_PAGES = ("2024/05/freezing-greens/comment-page-2/", "2024/05/freezing-greens/comment-page-3/")


def _chunked(data: bytes, size: int = 700) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def _pair(
    writer: WARCWriter,
    url: str,
    body: bytes,
    headers: list[tuple[str, str]],
    status: str = "200 OK",
    date: str | None = None,
) -> None:
    """A request record and its response record, as crawlers write them (at ``date``, a WARC-Date, or now)."""
    request = writer.create_warc_record(
        url, "request", payload=BytesIO(b""),
        http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example.org")], is_http_request=True),
    )  # fmt: skip
    response = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date} if date else None,
    )  # fmt: skip
    response.rec_headers.add_header("WARC-Concurrent-To", request.rec_headers.get_header("WARC-Record-ID"))
    writer.write_record(request)
    writer.write_record(response)


def write_other_tools_warcs(folder: Path) -> list[Path]:
    """Two files shaped as other tools write them: a .warc.gz (one member per record, chunked and
    gzip payloads, non-HTML records, a 404, a truncated tail) and an uncompressed .warc."""
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "crawl-00000.warc.gz", folder / "wget.warc"
    html = "text/html; charset=utf-8"
    with first.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl-00000.warc.gz", {"software": "Heritrix/3.4"}))
        page = (SITE_DIR / DEMO_PAGES[0]).read_bytes()
        _pair(writer, f"{SITE}/{DEMO_PAGES[0]}", _chunked(gzip.compress(page)),
              [("Content-Type", html), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])  # fmt: skip
        _pair(writer, f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, [("Content-Type", "image/png")])
        _pair(writer, f"{SITE}/missing.html", b"<html><body>Not found</body></html>", [("Content-Type", html)],
              status="404 Not Found")  # fmt: skip
        for path in COMMENT_PAGES:  # the comment pages before their article
            body = (PAGINATED / path / "index.html").read_bytes()
            _pair(writer, f"{SITE}/{path}", _chunked(body), [("Content-Type", html), ("Transfer-Encoding", "chunked")])
        writer.write_record(
            writer.create_warc_record(
                f"{SITE}/", "metadata", payload=BytesIO(b"outlink: x"), warc_content_type="text/anvl"
            )
        )
        _pair(writer, f"{SITE}/{DEMO_PAGES[1]}", b"<html><body><p>cut", [("Content-Type", html)])
    data = first.read_bytes()
    first.write_bytes(data[: len(data) - 40])  # a truncated tail: the last record cut short
    with second.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        body = (SITE_DIR / DEMO_PAGES[1]).read_bytes()
        _pair(
            writer,
            f"{SITE}/{DEMO_PAGES[1]}",
            gzip.compress(body),
            [("Content-Type", html), ("Content-Encoding", "gzip")],
        )
        _pair(writer, f"{SITE}/{ARTICLE}", (PAGINATED / ARTICLE / "index.html").read_bytes(), [("Content-Type", html)])
        _pair(writer, f"{SITE}/{DEMO_PAGES[0]}.css", b"body{}", [("Content-Type", "text/css")])
    return [first, second]


def dump(db: Path, migrations: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (full-text index aside; ``migrations``: with the times they were applied)."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")
            if migrations or r[0] != "_sqlite_migrations"
        ]
        return {t: sorted(map(repr, _rows(conn, t))) for t in tables}
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(f"SELECT * FROM [{table}]")]


def articles(db: Path) -> dict[str, dict[str, Any]]:
    """Each article by URL path: title, body, comments (author, body, number, parent), capture."""
    found = {}
    for article in rows(db, "SELECT * FROM articles"):
        comments = [
            (c["author"], c["body"], c["number"], c["parent"])
            for c in rows(db, "SELECT * FROM comments WHERE article_id = ? ORDER BY number", (article["id"],))
        ]
        path = article["url"].split("/", 3)[3]
        found[path] = {"title": article["title"], "body": article["body"], "comments": comments, "row": article}
    return found


def same_content(imported: dict[str, Any], crawled: dict[str, Any]) -> None:
    assert imported["title"] == crawled["title"]
    assert imported["body"] == crawled["body"]
    assert imported["comments"] == crawled["comments"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A crawl of the demo site (its WARC files beside it) and one of the paginated fixture."""
    workdir = tmp_path_factory.mktemp("crawled")
    for name, folder, flags in (("demo.db", SITE_DIR, ("--depth", "5")), ("paginated.db", PAGINATED, ())):
        with SiteServer(folder) as site:
            result = crawl_local(site.url, *flags, db=name, cwd=workdir)
            assert result.returncode == 0, result.stderr + result.stdout
    yield workdir / "demo.db", workdir / "paginated.db"


def test_other_tools_files_import_as_a_crawl_archives_them(tmp_path: Path, crawled: tuple[Path, Path]) -> None:
    demo, paginated = crawled
    files = write_other_tools_warcs(tmp_path / "elsewhere")
    db = tmp_path / "archive" / "imported.db"
    result = run_archiver("import", *map(str, files), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "3 articles" in result.stdout and "2 comment pages merged" in result.stdout
    assert "truncated" in result.stdout and "not HTML" in result.stdout
    got, from_demo, from_paginated = articles(db), articles(demo), articles(paginated)
    assert sorted(got) == sorted([*DEMO_PAGES, ARTICLE])
    for path in DEMO_PAGES:
        same_content(got[path], from_demo[path])
    same_content(got[ARTICLE], from_paginated[ARTICLE])
    assert len(got[ARTICLE]["comments"]) == 6  # the page's own and those of comment pages 2 and 3
    # every capture resolves to the record the page came from (absolute: the files are outside the archive's folder)
    for path, article in got.items():
        capture = rows(db, "SELECT * FROM captures WHERE record_id = ?", (article["row"]["capture"],))[0]
        assert Path(capture["warc_file"]).is_absolute()
        exchange = read_exchange(capture["warc_file"], capture["offset"])
        assert exchange.url == f"{SITE}/{path}" and exchange.record_id == capture["record_id"]
        assert extract_article(exchange.payload, exchange.url).title == article["title"]
    pages = json.loads(got[ARTICLE]["row"]["comment_captures"])
    urls = [rows(db, "SELECT url FROM captures WHERE record_id = ?", (r,))[0]["url"] for r in pages]
    assert urls == [f"{SITE}/{p}" for p in COMMENT_PAGES]


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    files = write_other_tools_warcs(tmp_path / "archive" / "warc")
    db = tmp_path / "archive" / "a.db"
    assert run_archiver("import", *map(str, files), "--db", str(db), cwd=tmp_path).returncode == 0
    before = dump(db)
    assert rows(db, "SELECT warc_file FROM captures")[0]["warc_file"].startswith("warc/")  # relative inside its folder
    again = run_archiver("import", *map(str, files), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert dump(db) == before
    assert "articles unchanged 3" in again.stdout and "inserted" not in again.stdout


def _capture_of(url: str, body: bytes, date: str, folder: Path) -> Path:
    """A WARC file holding one response for ``url``, fetched at ``date``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{date[:10]}.warc.gz"
    with path.open("wb") as stream:
        _pair(WARCWriter(stream, gzip=True), url, body, [("Content-Type", "text/html; charset=utf-8")], date=date)
    return path


def test_an_article_is_seen_when_its_capture_was_made(tmp_path: Path) -> None:
    url, page = f"{SITE}/{DEMO_PAGES[1]}", (SITE_DIR / DEMO_PAGES[1]).read_bytes()  # with comments
    changed = page.replace(b"do not rush them.</p>", b"do not rush them. (Updated.)</p>", 1)
    assert changed != page
    db = tmp_path / "a.db"
    march = _capture_of(url, page, "2025-03-01T08:00:00Z", tmp_path / "w")
    assert run_archiver("import", str(march), "--db", str(db), cwd=tmp_path).returncode == 0
    (article,) = rows(db, "SELECT * FROM articles")
    assert (article["first_seen"], article["last_seen"]) == ("2025-03-01T08:00:00+00:00",) * 2
    assert {(c["first_seen"], c["last_seen"]) for c in rows(db, "SELECT * FROM comments")} == {
        ("2025-03-01T08:00:00+00:00",) * 2
    }
    april = _capture_of(url, page, "2025-04-01T08:00:00Z", tmp_path / "w")  # the same page a month later
    assert run_archiver("import", str(april), "--db", str(db), cwd=tmp_path).returncode == 0
    (article,) = rows(db, "SELECT * FROM articles")
    assert (article["first_seen"], article["last_seen"]) == ("2025-03-01T08:00:00+00:00", "2025-04-01T08:00:00+00:00")
    assert count(db, "revisions") == 0
    may = _capture_of(url, changed, "2025-05-01T08:00:00Z", tmp_path / "w")  # changed in May
    assert run_archiver("import", str(may), "--db", str(db), cwd=tmp_path).returncode == 0
    (article,) = rows(db, "SELECT * FROM articles")
    assert "(Updated.)" in article["body"]
    assert (article["last_seen"], article["last_changed"]) == ("2025-05-01T08:00:00+00:00",) * 2
    (revision,) = rows(db, "SELECT * FROM revisions")
    assert revision["replaced_at"] == "2025-05-01T08:00:00+00:00" and "(Updated.)" not in revision["body"]
    before = dump(db)
    again = run_archiver("import", str(march), str(april), str(may), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert dump(db) == before  # older captures again: nothing moved back, no revision made twice
    at_once = tmp_path / "b.db"
    assert run_archiver("import", str(march), str(april), str(may), "--db", str(at_once), cwd=tmp_path).returncode == 0
    assert dump(at_once, migrations=False) == dump(db, migrations=False)  # one import of the three, or three


def test_a_crawls_own_warc_files_import_into_a_second_archive(tmp_path: Path, crawled: tuple[Path, Path]) -> None:
    demo, _ = crawled
    files = sorted((demo.parent / "demo.db.warc").glob("*.warc.gz"))
    assert files
    db = tmp_path / "second.db"
    result = run_archiver("import", *map(str, files), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got, expected = articles(db), articles(demo)
    assert sorted(got) == sorted(expected)
    for path in expected:
        same_content(got[path], expected[path])


def test_extraction_processes_give_the_same_archive(tmp_path: Path, crawled: tuple[Path, Path]) -> None:
    folder = crawled[0].parent
    own = sorted((folder / "demo.db.warc").glob("*.warc.gz")) + sorted((folder / "paginated.db.warc").glob("*.warc.gz"))
    files = [*write_other_tools_warcs(tmp_path / "w"), *own]
    archives = {}
    for processes in ("0", "2"):
        db = tmp_path / processes / "a.db"
        result = run_archiver("import", *map(str, files), "--db", str(db), "--processes", processes, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        archives[processes] = dump(db, migrations=False)
    # the demo site's and the paginated site's 1 (news.example.org's three pages are copies of them, merged)
    demo = count(crawled[0], "articles")
    assert len(archives["0"]["articles"]) == demo + 1 and len(archives["0"]["article_urls"]) == demo + 4
    assert archives["0"] == archives["2"]


def test_url_filter_and_bad_files(tmp_path: Path) -> None:
    files = write_other_tools_warcs(tmp_path / "w")
    db = tmp_path / "a.db"
    result = run_archiver("import", *map(str, files), "--db", str(db), "--url-filter", "/news/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [r["url"] for r in rows(db, "SELECT url FROM articles")] == [f"{SITE}/{DEMO_PAGES[0]}"]
    (tmp_path / "notes.txt").write_text("hello")
    bad = run_archiver(
        "import", str(tmp_path / "notes.txt"), str(tmp_path / "nope.warc"), "--db", str(db), cwd=tmp_path
    )
    assert bad.returncode != 0
    assert bad.stderr.splitlines() == [
        f"archiver: {tmp_path / 'notes.txt'}: not a WARC file (.warc or .warc.gz)",
        f"archiver: {tmp_path / 'nope.warc'}: no such file",
    ]
    assert "Error" in run_archiver("import", str(files[0]), "--url-filter", "(", cwd=tmp_path).stderr


def _many_articles(path: Path, count: int) -> Path:
    """A WARC file of ``count`` articles, each its own title and text (no copies of one another)."""
    page = (SITE_DIR / DEMO_PAGES[0]).read_text(encoding="utf-8")
    title = "Harbor Street Bridge Reopens to Traffic After 14 Months"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for n in range(count):
            body = page.replace(title, f"Bridge number {n} reopens").replace(DEMO_PAGES[0], f"news/bridge-{n}.html")
            body = body.replace("<p>", f"<p>Bridge {n} of the city. ", 1)
            _pair(writer, f"{SITE}/news/bridge-{n}.html", body.encode(), [("Content-Type", "text/html; charset=utf-8")])
    return path


def test_an_import_stopped_keeps_whole_batches_and_a_rerun_completes_it(tmp_path: Path) -> None:
    """An import saves its articles 200 a transaction: killed once its first batch is in the archive,
    it leaves whole batches, each article with the captures it names; importing the file again
    completes the archive, row for row as an import never stopped writes it."""
    warc = _many_articles(tmp_path / "bridges.warc.gz", 420)
    stopped, whole = tmp_path / "stopped.db", tmp_path / "whole.db"
    command = [*archiver_command(), "import", str(warc), "--db", str(stopped), "--processes", "0"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None and not _saved(stopped):
            time.sleep(0.02)
    finally:
        process.kill()
        process.wait(timeout=30)
    saved = count(stopped, "articles")
    assert saved in (200, 400)  # whole batches: not the whole file, nor part of a batch
    named = "SELECT count(*) FROM articles WHERE capture IS NULL OR capture NOT IN (SELECT record_id FROM captures)"
    assert rows(stopped, named)[0][0] == 0
    for db in (stopped, whole):
        result = run_archiver("import", str(warc), "--db", str(db), "--processes", "0", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert count(stopped, "articles") == 420
    assert dump(stopped, migrations=False) == dump(whole, migrations=False)


def _saved(db: Path) -> bool:
    """Whether the archive holds an article yet (read without writing; False while it is being made)."""
    try:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return bool(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def test_the_responses_revisits_refer_to_are_recorded_a_batch_at_a_time(tmp_path: Path) -> None:
    """Each revisit's capture names the response it repeats, whose row the import records too: a batch
    at a time, not held until an article is saved (a recrawl's file whose articles are all put off
    would hold one row per revisit in memory to the end)."""
    archive = Archive(tmp_path / "a.db")
    importer = Importer(archive, batch_size=3)
    first = Exchange(
        url=f"{SITE}/a.html", date=datetime(2026, 1, 2, tzinfo=UTC), status=200, headers=(), content_type=None,
        payload=b"", file=tmp_path / "x.warc.gz", offset=0, length=10, digest="sha1:AAAA", record_id="<urn:uuid:1>",
    )  # fmt: skip
    held = []
    for n in range(8):
        response = replace(first, record_id=f"<urn:uuid:r{n}>", offset=100 * n)
        revisit = replace(
            first, record_id=f"<urn:uuid:v{n}>", revisit_of=Location(response.file, 0, 10), original=response
        )
        assert importer._capture(revisit)["refers_to"] == f"<urn:uuid:r{n}>"
        held.append(len(importer._originals))
    assert max(held) < 3
    assert count(tmp_path / "a.db", "captures") == 6  # two batches recorded, two rows waiting for the next
    archive.close()
