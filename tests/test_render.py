"""Comments that load by script, read from the page as headless Chromium rendered it.

The demo site's pages under /live/ take their comments from a second 127.0.0.1 origin (the demo's
comment service, archiver.demo.widgets): injected into the page, inside a cross-origin frame, behind
"Show comments" and then "Load more comments" buttons (three pages of them), and one whose script
never loads. Real `archiver crawl` processes, real Chromium (Debian's, via scrapy-playwright), real
servers and archives. The expected comments were written from the service's thread files
(archiver/demo/widget_site/threads/), which are what a reader of the pages sees.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archiver.archive.store import content_hash
from archiver.demo import SITE_DIR, SiteServer
from archiver.demo.widgets import live_site
from tests.conftest import (
    LOCAL_CRAWL_FLAGS,
    REDIS_DRAIN_ARGS,
    REDIS_WORKER_ARGS,
    archiver_command,
    finish,
    require,
    rows,
    run_archiver,
    start_archiver,
    wait_for,
)

CHROMIUM = Path("/usr/bin/chromium")
#: A crawl of this machine's servers with rendering on, each page within 10 seconds.
RENDER = (*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_RENDER_COMMENTS=auto", "-s", "ARCHIVER_RENDER_TIMEOUT=10")

#: What a comment's content hash covers (archiver.archive.store).
COMMENT_CONTENT = ("author", "published", "body", "parent", "kind")
# (number, author, published, parent), as the comment service's thread files give them
HARBOUR = [
    (1, "Ana Lindqvist", "2024-05-02T10:15:00+00:00", None),
    (2, "Ben Okafor", "2024-05-02T11:40:00+00:00", 1),
    (3, "Chloé Marchand", "2024-05-03T08:05:00+00:00", None),
]
ORCHARD = [
    (1, "Dev Raman", "2024-06-11T19:02:00+00:00", None),
    (2, "Elena Costa", "2024-06-12T07:30:00+00:00", None),
    (3, "Dev Raman", "2024-06-12T09:12:00+00:00", 2),
]
FERRY = [
    (1, "Farah Haddad", "2024-07-01T06:55:00+00:00", None),
    (2, "Gus Whitlock", "2024-07-01T07:20:00+00:00", 1),
    (3, "Hana Sato", "2024-07-01T12:00:00+00:00", None),
    (4, "Ivan Petrov", "2024-07-02T09:45:00+00:00", None),
    (5, "Jade Nguyen", "2024-07-02T18:10:00+00:00", None),
    (6, "Kofi Mensah", "2024-07-03T08:30:00+00:00", None),
    (7, "Lena Vogel", "2024-07-03T10:05:00+00:00", 6),
]


def needs_chromium() -> None:
    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    require(importlib.util.find_spec("scrapy_playwright") is not None, "scrapy-playwright")


@pytest.fixture
def live() -> Iterator[SiteServer]:
    """The demo site with its comment service on a second 127.0.0.1 origin, both stopped after the test."""
    with live_site(SITE_DIR) as (site, _widgets):
        yield site


def comments_of(db: Path, page: str) -> list[tuple[object, ...]]:
    found = rows(
        db,
        "SELECT c.number, c.author, c.published, c.parent FROM comments c JOIN articles a ON a.id = c.article_id"
        " WHERE a.url LIKE ? ORDER BY c.number",
        (f"%/live/{page}.html",),
    )
    return [tuple(row) for row in found]


def article(db: Path, page: str) -> dict[str, object]:
    (row,) = rows(db, "SELECT * FROM articles WHERE url LIKE ?", (f"%/live/{page}.html",))
    return dict(row)


def chromium_under(pid: int) -> set[int]:
    """The Chromium processes (browser, renderers, helpers) among a process's descendants."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name_end = stat.rindex(")")
        names[int(entry.name)] = stat[stat.index("(") + 1 : name_end]
        parents[int(entry.name)] = int(stat[name_end + 2 :].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return {p for p in found if "chrom" in names.get(p, "")}


def alive(pids: set[int]) -> set[int]:
    """Those still running (a zombie is not)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.add(pid)
    return running


def start_crawl(url: str, cwd: Path, *settings: str, base: tuple[str, ...] = RENDER) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*archiver_command(), "crawl", url, "--db", "archive.db", *base, *settings],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def watch_chromium(crawl: subprocess.Popen[str], seconds: float) -> set[int]:
    """Every Chromium process the crawl started while it ran (for ``seconds`` at most)."""
    seen: set[int] = set()

    def ended() -> bool:
        seen.update(chromium_under(crawl.pid))
        return crawl.poll() is not None

    wait_for(ended, seconds)
    return seen


def test_script_loaded_comments_archived_from_the_rendered_page(tmp_path: Path, live: SiteServer) -> None:
    needs_chromium()
    # from an article: reached again from the index, it is rendered once, and archived with its comments
    crawl = start_crawl(f"{live.url}live/harbour-pier.html", tmp_path)
    seen = watch_chromium(crawl, 240)
    _out, err = finish(crawl, 30)
    assert crawl.returncode == 0, err
    db = tmp_path / "archive.db"
    assert comments_of(db, "harbour-pier") == HARBOUR  # injected into the page
    assert comments_of(db, "orchard-frost") == ORCHARD  # inside a frame of another origin
    assert comments_of(db, "ferry-timetable") == FERRY  # "Show comments", then "Load more comments" twice
    assert comments_of(db, "lighthouse-lamp") == []  # its script never loads: ended at its limit
    provenance = {page: json.loads(str(article(db, page)["provenance"])).get("comments") for page in
                  ("harbour-pier", "orchard-frost", "ferry-timetable", "lighthouse-lamp")}  # fmt: skip
    frame = provenance["orchard-frost"]
    assert provenance == {"harbour-pier": "rendered", "orchard-frost": frame, "ferry-timetable": "rendered",
                          "lighthouse-lamp": None}  # fmt: skip
    assert frame is not None and frame.startswith("rendered:frame:http://127.0.0.1:")
    assert frame.endswith("/frame.html?thread=orchard") and f"{live.url}" not in frame
    statuses = {page: article(db, page)["comments_status"] for page in ("harbour-pier", "lighthouse-lamp")}
    assert statuses == {"harbour-pier": "present", "lighthouse-lamp": "script"}
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 4  # the index, a listing, is not an article
    # the rendered document is captured: the article names its record, beside the page as fetched
    record = json.loads(str(article(db, "ferry-timetable")["comment_captures"]))
    (rendered,) = rows(db, "SELECT * FROM captures WHERE record_id = ?", (record[0],))
    assert "Lena Vogel" in _payload(tmp_path, dict(rendered))
    _frame_capture_resolves(tmp_path, frame.removeprefix("rendered:frame:"))
    assert seen, "no Chromium process was seen"
    assert wait_for(lambda: not alive(seen), 15), f"Chromium processes left running: {alive(seen)}"


def _frame_capture_resolves(folder: Path, frame_url: str) -> None:
    """The frame a provenance names has its capture (a ``resource`` row, no status) among the article's
    comment captures, after the page as rendered; `archiver show` says where it is, and it is there."""
    from warcio.archiveiterator import ArchiveIterator

    db = folder / "archive.db"
    page, frame_record = json.loads(str(article(db, "orchard-frost")["comment_captures"]))
    (capture,) = rows(db, "SELECT * FROM captures WHERE record_id = ?", (frame_record,))
    assert (capture["url"], capture["type"], capture["status"]) == (frame_url, "resource", None)
    (url,) = [r[0] for r in rows(db, "SELECT url FROM articles WHERE url LIKE '%/live/orchard-frost.html'")]
    shown = run_archiver("show", url, "--db", str(db), cwd=folder)
    assert shown.returncode == 0, shown.stderr
    where = f"{capture['warc_file']} at offset {capture['offset']} ({capture['length']} bytes), resource of"
    assert f"  comment page {frame_url}: {where}" in shown.stdout
    with (folder / str(capture["warc_file"])).open("rb") as stream:
        stream.seek(int(capture["offset"]))
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Record-ID") == frame_record
        assert record.rec_headers.get_header("WARC-Concurrent-To") == page
        assert "Elena Costa" in record.content_stream().read().decode("utf-8")
    packed = run_archiver("export", "--db", str(db), "--format", "wacz", "-o", "live.wacz", cwd=folder)
    assert packed.returncode == 0, packed.stderr
    with zipfile.ZipFile(folder / "live.wacz") as wacz:
        index = wacz.read("indexes/index.cdxj").decode("utf-8")
    assert any(json.loads(line.split(" ", 2)[2])["url"] == frame_url for line in index.splitlines())


def _payload(folder: Path, capture: dict[str, object]) -> str:
    from archiver.warc.reader import read_exchange

    exchange = read_exchange(folder / str(capture["warc_file"]), int(str(capture["offset"])))
    return exchange.payload.decode("utf-8", "replace")


def test_render_off_keeps_the_status_and_starts_no_browser(tmp_path: Path, live: SiteServer) -> None:
    crawl = start_crawl(f"{live.url}live/index.html", tmp_path, base=LOCAL_CRAWL_FLAGS)  # rendering off
    seen = watch_chromium(crawl, 120)
    _, err = finish(crawl, 30)
    assert crawl.returncode == 0, err
    db = tmp_path / "archive.db"
    statuses = [r[0] for r in rows(db, "SELECT comments_status FROM articles ORDER BY url")]
    assert statuses == ["script"] * 4 and rows(db, "SELECT count(*) FROM comments")[0][0] == 0
    assert seen == set()


def test_without_chromium_one_warning_and_the_crawl_goes_on(tmp_path: Path, live: SiteServer) -> None:
    missing = str(tmp_path / "no-chromium")
    result = run_archiver("crawl", f"{live.url}live/index.html", "--db", "archive.db", *RENDER,
                          "-s", f"ARCHIVER_RENDER_CHROMIUM={missing}", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert warnings == [
        f"archiver: warning: no Chromium at {missing!r}: comments that load by script are not read"
        " (their comments_status stays script or external:<service>)"
    ]
    db = tmp_path / "archive.db"
    assert [r[0] for r in rows(db, "SELECT comments_status FROM articles")] == ["script"] * 4


def test_always_without_chromium_is_refused_in_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-chromium")
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", "archive.db", "-s", "ARCHIVER_RENDER_COMMENTS=always",
                          "-s", f"ARCHIVER_RENDER_CHROMIUM={missing}", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert f"ARCHIVER_RENDER_COMMENTS=always: no Chromium at {missing!r}" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "archive.db").exists()


def test_sigterm_while_rendering_leaves_no_chromium(tmp_path: Path, live: SiteServer) -> None:
    needs_chromium()
    # the page whose script never loads keeps its browser page open for its whole limit
    crawl = start_crawl(f"{live.url}live/lighthouse-lamp.html", tmp_path, "-s", "ARCHIVER_RENDER_TIMEOUT=120")
    seen: set[int] = set()

    def rendering() -> bool:
        seen.update(chromium_under(crawl.pid))
        return len(seen) >= 3 or crawl.poll() is not None  # the browser and its helpers have started

    try:
        assert wait_for(rendering, 120) and crawl.poll() is None, "the crawl did not start Chromium"
        wait_for(lambda: bool(seen.update(chromium_under(crawl.pid))), 2)  # those starting now too
        crawl.send_signal(signal.SIGTERM)
        _, err = finish(crawl, 60)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(timeout=30)
    assert wait_for(lambda: not alive(seen), 15), f"Chromium processes left running: {alive(seen)}\n{err[-2000:]}"
    (crawl_row,) = rows(tmp_path / "archive.db", "SELECT finish_reason FROM crawls")
    assert crawl_row["finish_reason"] == "shutdown"


def test_a_browser_crash_is_survived_and_leaves_no_chromium(tmp_path: Path, live: SiteServer) -> None:
    needs_chromium()
    crawl = start_crawl(f"{live.url}live/index.html", tmp_path, "-s", "ARCHIVER_RENDER_PAGES_AT_ONCE=1")
    seen: set[int] = set()

    def browser() -> int | None:
        for pid in chromium_under(crawl.pid):
            seen.add(pid)
            try:
                if "--type=" not in Path(f"/proc/{pid}/cmdline").read_text():
                    return pid
            except OSError:
                continue
        return None

    try:
        assert wait_for(lambda: browser() is not None or crawl.poll() is not None, 120)
        first = browser()
        assert first is not None, "the crawl did not start Chromium"
        os.kill(first, signal.SIGKILL)  # the browser process crashes
        seen.update(watch_chromium(crawl, 240))
        _, err = finish(crawl, 30)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(timeout=30)
    assert crawl.returncode == 0, err
    db = tmp_path / "archive.db"
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 4  # no article lost to the crash
    assert wait_for(lambda: not alive(seen), 15), f"Chromium processes left running: {alive(seen)}"


def test_a_distributed_worker_renders_too(tmp_path: Path, live: SiteServer, redis_url: str) -> None:
    needs_chromium()
    db = tmp_path / "archive.db"
    queued = run_archiver("enqueue", "--redis", redis_url, f"{live.url}live/index.html", cwd=tmp_path)
    assert queued.returncode == 0, queued.stderr
    rendering = ("-s", "ARCHIVER_RENDER_COMMENTS=auto", "-s", "ARCHIVER_RENDER_TIMEOUT=10")
    worker = start_archiver("crawl", "--redis", redis_url, *REDIS_WORKER_ARGS, *rendering, cwd=tmp_path)
    seen = watch_chromium(worker, 240)
    _, err = finish(worker, 30)
    assert worker.returncode == 0, err
    drained = run_archiver("drain", "--redis", redis_url, "--db", str(db), *REDIS_DRAIN_ARGS, cwd=tmp_path)
    assert drained.returncode == 0, drained.stderr
    assert comments_of(db, "ferry-timetable") == FERRY
    assert comments_of(db, "orchard-frost") == ORCHARD
    assert article(db, "lighthouse-lamp")["comments_status"] == "script"
    assert seen and wait_for(lambda: not alive(seen), 15), f"Chromium processes left running: {alive(seen)}"


def test_a_recrawl_renders_again_only_when_the_article_is_due(tmp_path: Path, live: SiteServer) -> None:
    needs_chromium()
    url = f"{live.url}live/harbour-pier.html"
    policy = ("--depth", "1", "-s", "ARCHIVER_RECRAWL_ENABLED=True", "-s", "ARCHIVER_RECRAWL_INTERVAL_DAYS=7")
    started, codes = [], []
    for fresh_days in ("14", "14", "100000"):  # archived just now, published in 2024: due only when "fresh"
        crawl = start_crawl(url, tmp_path, *policy, "-s", f"ARCHIVER_RECRAWL_FRESH_DAYS={fresh_days}")
        seen = watch_chromium(crawl, 120)
        _, err = finish(crawl, 30)
        codes.append(crawl.returncode)
        started.append(bool(seen))
        assert comments_of(tmp_path / "archive.db", "harbour-pier") == HARBOUR, err
    assert codes == [0, 1, 0]  # 1: "nothing fetched", the one page was not due
    assert started == [True, False, True]  # the run where it is not due starts no browser


def test_reextract_reads_the_rendered_documents_again(tmp_path: Path, live: SiteServer) -> None:
    """`archiver reextract` reads a rendered article's comments from its rendered document and the frames
    captured with it, as the crawl read them: after the crawl it changes nothing (run twice) and keeps
    the captures the article names; a comment altered in the archive is put back from them."""
    needs_chromium()
    crawl = start_crawl(f"{live.url}live/index.html", tmp_path)
    _, err = finish(crawl, 240)
    assert crawl.returncode == 0, err
    db = tmp_path / "archive.db"
    pages = ("harbour-pier", "orchard-frost", "ferry-timetable", "lighthouse-lamp")
    crawled, content = snapshot(db), read_content(db)
    assert [len(json.loads(str(article(db, page)["comment_captures"]))) for page in pages] == [1, 2, 1, 1]
    for processes in ("2", "0"):  # in worker processes, and in this one
        same = run_archiver("reextract", "--db", "archive.db", "--processes", processes, cwd=tmp_path)
        assert same.returncode == 0, same.stderr
        assert "4 articles read, 0 changed, 0 captures missing; comments +0 -0 ~0; 0 revisions" in same.stdout
        assert snapshot(db) == crawled
    # an older extractor's reading: a comment of the page's own document, and one of a frame's
    misread = {page: misread_comment(db, page, 2) for page in ("harbour-pier", "orchard-frost")}
    assert misread == {"harbour-pier": "Ben Okafor", "orchard-frost": "Elena Costa"}
    done = run_archiver("reextract", "--db", "archive.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "4 articles read, 2 changed, 0 captures missing; comments 2; comments +0 -0 ~2; 0 revisions" in done.stdout
    assert read_content(db) == content
    assert rows(db, "SELECT count(*) FROM comment_revisions")[0][0] == 2  # the misreadings, kept
    assert comments_of(db, "harbour-pier") == HARBOUR and comments_of(db, "orchard-frost") == ORCHARD
    again = run_archiver("reextract", "--db", "archive.db", cwd=tmp_path)
    assert "4 articles read, 0 changed, 0 captures missing; comments +0 -0 ~0; 0 revisions" in again.stdout
    # an older extractor that read no comment in the frame: the archive names no frame; the frames
    # captured with the rendered page are read all the same, and the one holding comments named again
    orchard = article(db, "orchard-frost")
    rendered, _frame = json.loads(str(orchard["comment_captures"]))
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM comments WHERE article_id = ?", (orchard["id"],))
        conn.execute("UPDATE articles SET comment_captures = ?, comments_status = 'script', provenance = ?"
                     " WHERE id = ?", (json.dumps([rendered]), json.dumps({}), orchard["id"]))  # fmt: skip
    conn.close()
    found = run_archiver("reextract", "--db", "archive.db", cwd=tmp_path)
    assert "4 articles read, 1 changed, 0 captures missing; comments 1; comments +3 -0 ~0; 0 revisions" in found.stdout
    assert read_content(db)["comments"] == content["comments"]
    assert article(db, "orchard-frost")["comment_captures"] == orchard["comment_captures"]


def test_import_of_a_rendering_crawls_warc_files_reads_them_as_the_crawl_did(tmp_path: Path, live: SiteServer) -> None:
    """A crawl's own WARC files imported into a new archive: each rendered page's document is not another
    fetch of its page but where its comments are (its own or a frame's), as the crawl read them."""
    needs_chromium()
    crawl = start_crawl(f"{live.url}live/index.html", tmp_path)
    _, err = finish(crawl, 240)
    assert crawl.returncode == 0, err
    files = sorted(str(p) for p in (tmp_path / "archive.db.warc").glob("*.warc.gz"))
    imported = tmp_path / "imported.db"
    result = run_archiver("import", *files, "--db", str(imported), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert read_content(imported) == read_content(tmp_path / "archive.db")
    assert "4 articles (0 comment pages merged, 4 rendered pages read)" in result.stdout
    assert comments_of(imported, "orchard-frost") == ORCHARD and comments_of(imported, "ferry-timetable") == FERRY
    (frame,) = [c for c in json.loads(str(article(imported, "orchard-frost")["comment_captures"]))[1:]]
    assert rows(imported, "SELECT type FROM captures WHERE record_id = ?", (frame,))[0][0] == "resource"
    # each rendered record names the record of the page as fetched it was rendered from
    from warcio.archiveiterator import ArchiveIterator

    fetched: dict[str, str] = {}
    named: list[bool] = []
    for path in files:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "revisit"):
                    continue
                uri, own = (
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.rec_headers.get_header("WARC-Record-ID"),
                )
                if record.rec_headers.get_header("WARC-Archiver-Rendered") == "true":
                    named.append(record.rec_headers.get_header("WARC-Archiver-Rendered-From") == fetched.get(uri))
                else:
                    fetched[uri] = own
    assert named == [True] * 4
    again = snapshot(imported)
    assert run_archiver("import", *files, "--db", str(imported), cwd=tmp_path).returncode == 0
    assert snapshot(imported) == again


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the archive's articles and comments, in order."""
    return {
        "articles": [tuple(r) for r in rows(db, "SELECT * FROM articles ORDER BY url")],
        "comments": [tuple(r) for r in rows(db, "SELECT * FROM comments ORDER BY article_id, number")],
    }


def read_content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The articles as read (fields, comment status and provenance, the captures named) and their comments."""
    return {
        "articles": [tuple(r) for r in rows(db, "SELECT url, title, body, comments_status, provenance, capture,"
                                                " comment_captures FROM articles ORDER BY url")],
        "comments": [tuple(r) for r in rows(db, "SELECT a.url, c.number, c.author, c.published, c.body, c.parent,"
                                                " c.kind, c.page_url, c.deleted FROM comments c JOIN articles a"
                                                " ON a.id = c.article_id ORDER BY a.url, c.number")],
    }  # fmt: skip


def misread_comment(db: Path, page: str, number: int) -> str:
    """A comment of an article stored with another body, as an older extractor might have read it; its author."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        (row,) = conn.execute(
            "SELECT c.* FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.url LIKE ? AND c.number = ?",
            (f"%/live/{page}.html", number),
        ).fetchall()
        misread = {**dict(row), "body": "an older extractor's misreading"}
        conn.execute(
            "UPDATE comments SET body = ?, content_hash = ? WHERE article_id = ? AND number = ?",
            (misread["body"], content_hash(misread, COMMENT_CONTENT), row["article_id"], number),
        )
    conn.close()
    return str(row["author"])
