"""archiver reextract: the current extractor run over a crawl's own WARC captures.

An older extractor is simulated by editing the archive: a field (or a comment) stored as the
capture does not give it, its content hash made to match, under an older extractor version.
Re-extraction must restore exactly those values, keep the old ones as revisions, say so in counts,
and change nothing when run again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.archive.store import content_hash
from archiver.demo import SITE_DIR, SiteServer
from archiver.extract import EXTRACTOR_VERSION
from tests.conftest import FIXTURES, crawl_local, rows, run_archiver
from tests.conftest import count as count_of

ARTICLE_CONTENT = ("title", "authors", "published", "modified", "body")
COMMENT_CONTENT = ("author", "published", "body", "parent", "kind")
TRIGGER = "health/trigger-point-therapy.html"
ROAD = "blog/notes-from-the-road.html"
WALK = "opinion/why-we-walk.html"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A crawl of the demo site and one of the paginated fixture (comment pages), WARC files beside them."""
    workdir = tmp_path_factory.mktemp("crawled")
    for name, folder, flags in (
        ("demo.db", SITE_DIR, ("--depth", "5")),
        ("paginated.db", FIXTURES / "sites" / "paginated", ()),
    ):
        with SiteServer(folder) as site:
            result = crawl_local(site.url, *flags, db=name, cwd=workdir)
            assert result.returncode == 0, result.stderr + result.stdout
    yield {"demo": workdir / "demo.db", "paginated": workdir / "paginated.db"}


def copy_of(db: Path, tmp_path: Path) -> Path:
    """The archive and its WARC folder copied (the captures name their files relative to the archive)."""
    shutil.copytree(db.parent / f"{db.name}.warc", tmp_path / f"{db.name}.warc")
    shutil.copy(db, tmp_path / db.name)
    return tmp_path / db.name


def dump(db: Path) -> dict[str, list[str]]:
    """Every row of every table (full-text index aside), sorted."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if "fts" not in r[0]]  # fmt: skip
        return {t: sorted(repr(tuple(row)) for row in conn.execute(f"SELECT * FROM [{t}]")) for t in tables}
    finally:
        conn.close()


def article_id(db: Path, path: str) -> int:
    return int(rows(db, "SELECT id FROM articles WHERE url LIKE ?", (f"%/{path}",))[0]["id"])


def store_as_older_extractor(db: Path, path: str, **values: Any) -> None:
    """An article's fields as an older extractor would have stored them (its content hash to match)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        row = dict(conn.execute("SELECT * FROM articles WHERE url LIKE ?", (f"%/{path}",)).fetchone())
        stored = {name: json.dumps(v) if name == "authors" else v for name, v in values.items()}
        row.update(stored)
        item = {name: json.loads(row[name]) if name == "authors" else row[name] for name in ARTICLE_CONTENT}
        assignments = ", ".join(f"{name} = ?" for name in stored)
        conn.execute(
            f"UPDATE articles SET {assignments}, content_hash = ?, extractor_version = '0' WHERE id = ?",
            [*stored.values(), content_hash(item, ARTICLE_CONTENT), row["id"]],
        )
        conn.commit()
    finally:
        conn.close()


def misread_comments(db: Path, article: int) -> tuple[str, int]:
    """One comment stored with another body, the article's last comment not stored at all:
    (the body the page gives the first, the number of the one left out)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        first = dict(conn.execute("SELECT * FROM comments WHERE article_id = ? ORDER BY number", (article,)).fetchone())
        last = conn.execute("SELECT max(number) FROM comments WHERE article_id = ?", (article,)).fetchone()[0]
        misread = {**first, "body": "an old extractor's misreading"}
        conn.execute(
            "UPDATE comments SET body = ?, content_hash = ? WHERE article_id = ? AND number = ?",
            (misread["body"], content_hash(misread, COMMENT_CONTENT), article, first["number"]),
        )
        conn.execute("DELETE FROM comments WHERE article_id = ? AND number = ?", (article, last))
        conn.commit()
    finally:
        conn.close()
    return first["body"], last


def content(db: Path) -> dict[str, list[str]]:
    """Articles and comments as a reader compares them (no times, no bookkeeping)."""
    return {
        "articles": sorted(
            repr(tuple(r)) for r in rows(db, "SELECT url, title, authors, published, modified, body FROM articles")
        ),
        "comments": sorted(
            repr(tuple(r))
            for r in rows(db, "SELECT article_id, number, author, published, body, parent, deleted FROM comments")
        ),
    }


def articles(db: Path) -> int:
    """How many articles the archive holds (the demo's count, whatever pages it gains)."""
    return count_of(db, "articles")


def test_reextract_restores_what_an_older_extractor_stored(tmp_path: Path, crawled: dict[str, Path]) -> None:
    db = copy_of(crawled["demo"], tmp_path)
    original = content(db)
    trigger = article_id(db, TRIGGER)
    store_as_older_extractor(db, TRIGGER, title="Trigger Point Therapy")
    store_as_older_extractor(db, ROAD, body="Notes from the road. " * 20)
    store_as_older_extractor(db, WALK, authors=["Staff"])
    body, left_out = misread_comments(db, trigger)
    edited = dump(db)
    seen = rows(db, "SELECT id, first_seen, last_seen FROM articles ORDER BY id")

    dry = run_archiver("reextract", "--db", str(db), "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert dump(db) == edited
    n = articles(db)
    expected = f"{n} articles read, 3 would change, 0 captures missing; title 1, authors 1, body 1, comments 1;" \
               " comments +1 -0 ~1; 3 revisions"  # fmt: skip
    assert expected in dry.stdout

    done = run_archiver("reextract", "--db", str(db), "--processes", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert expected.replace("would change", "changed") in done.stdout
    assert content(db) == original
    assert rows(db, "SELECT id, first_seen, last_seen FROM articles ORDER BY id") == seen  # nothing was seen anew
    revisions = {r["article_id"]: dict(r) for r in rows(db, "SELECT * FROM revisions")}
    assert sorted(revisions) == sorted([trigger, article_id(db, ROAD), article_id(db, WALK)])
    assert revisions[trigger]["title"] == "Trigger Point Therapy"
    assert revisions[article_id(db, ROAD)]["body"] == "Notes from the road. " * 20
    assert json.loads(revisions[article_id(db, WALK)]["authors"]) == ["Staff"]
    assert {r["extractor_version"] for r in revisions.values()} == {"0"}
    assert {r["extractor_version"] for r in rows(db, "SELECT extractor_version FROM articles")} == {EXTRACTOR_VERSION}
    (comment_revision,) = rows(db, "SELECT * FROM comment_revisions")
    assert comment_revision["body"] == "an old extractor's misreading" and comment_revision["article_id"] == trigger
    restored = rows(db, "SELECT number FROM comments WHERE article_id = ? AND body = ?", (trigger, body))
    assert restored and rows(db, "SELECT 1 FROM comments WHERE article_id = ? AND number = ?", (trigger, left_out))

    after = dump(db)
    again = run_archiver("reextract", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"{n} articles read, 0 changed, 0 captures missing; comments +0 -0 ~0; 0 revisions" in again.stdout
    assert dump(db) == after


def test_in_this_process_and_in_workers_the_same_archive(tmp_path: Path, crawled: dict[str, Path]) -> None:
    archives = []
    for processes in ("0", "2"):
        db = copy_of(crawled["demo"], tmp_path / processes)
        store_as_older_extractor(db, TRIGGER, title="Trigger Point Therapy", body="An old body. " * 30)
        misread_comments(db, article_id(db, ROAD))
        result = run_archiver("reextract", "--db", str(db), "--processes", processes, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "2 changed" in result.stdout
        archives.append(dump(db))
    assert archives[0] == archives[1]


def test_comment_pages_are_read_from_their_captures(tmp_path: Path, crawled: dict[str, Path]) -> None:
    db = copy_of(crawled["paginated"], tmp_path)
    original = content(db)
    (article,) = rows(db, "SELECT id, url FROM articles")
    pages = rows(db, "SELECT DISTINCT page_url FROM comments WHERE page_url != ?", (article["url"],))
    assert pages  # comments read from the comment pages
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM comments WHERE page_url = ?", (pages[0]["page_url"],))
    conn.close()
    result = run_archiver("reextract", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout and "comments 1" in result.stdout
    assert content(db) == original


def test_a_missing_or_unreadable_capture_is_counted_not_fatal(tmp_path: Path, crawled: dict[str, Path]) -> None:
    db = copy_of(crawled["demo"], tmp_path)
    store_as_older_extractor(db, TRIGGER, title="Trigger Point Therapy")
    store_as_older_extractor(db, ROAD, title="Notes")
    with sqlite3.connect(db) as conn:  # the road article's capture names a place where no record starts
        conn.execute(
            "UPDATE captures SET offset = offset + 7 WHERE record_id = (SELECT capture FROM articles WHERE id = ?)",
            (article_id(db, ROAD),),
        )
    conn.close()
    result = run_archiver("reextract", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{articles(db)} articles read, 1 changed, 1 captures missing; title 1;" in result.stdout
    assert "missing:" in result.stdout and "Traceback" not in result.stderr
    assert rows(db, "SELECT title FROM articles WHERE id = ?", (article_id(db, ROAD),))[0]["title"] == "Notes"

    before = dump(db)
    for folder in (db.parent / f"{db.name}.warc").iterdir():
        folder.rename(tmp_path / folder.name)  # the WARC files moved away
    gone = run_archiver("reextract", "--db", str(db), cwd=tmp_path)
    assert gone.returncode == 0, gone.stderr
    assert f"{articles(db)} articles read, 0 changed, {articles(db)} captures missing" in gone.stdout
    assert dump(db) == before


def test_domain_since_and_until_select_the_articles(tmp_path: Path, crawled: dict[str, Path]) -> None:
    db = copy_of(crawled["demo"], tmp_path)
    store_as_older_extractor(db, TRIGGER, title="Trigger Point Therapy")  # published 2012-04-25
    store_as_older_extractor(db, WALK, title="Walking")  # published 2019-09-17
    before = dump(db)
    other = run_archiver("reextract", "--db", str(db), "--domain", "example.org", cwd=tmp_path)
    assert "0 articles read, 0 changed" in other.stdout and dump(db) == before
    late = run_archiver("reextract", "--db", str(db), "--since", "2019-01-01", "--dry-run", cwd=tmp_path)
    in_2019_on = len(rows(db, "SELECT id FROM articles WHERE substr(published, 1, 10) >= '2019-01-01'"))
    assert f"{in_2019_on} articles read, 1 would change" in late.stdout and "title 1" in late.stdout
    early = run_archiver("reextract", "--db", str(db), "--until", "2013-12-31", "--domain", "127.0.0.1", cwd=tmp_path)
    assert "2 articles read, 1 changed" in early.stdout
    assert rows(db, "SELECT title FROM articles WHERE id = ?", (article_id(db, WALK),))[0]["title"] == "Walking"
    assert rows(db, "SELECT title FROM articles WHERE id = ?", (article_id(db, TRIGGER),))[0]["title"] != (
        "Trigger Point Therapy"
    )


def test_a_page_without_comment_pages_is_read_as_the_crawl_read_it(tmp_path: Path) -> None:
    """Two comments alike (the same author, time and text, no id) on a page linking to no comment
    page are two comments, as the spider keeps them: only comment pages are merged (and deduplicated)."""
    site = tmp_path / "site"
    site.mkdir()
    comment = "<li class='comment'><cite class='fn'>Ann</cite> <time datetime='2024-06-01T10:00:00'>June 1</time>" \
              "<div class='comment-content'><p>Same words again.</p></div></li>"  # fmt: skip
    text = "The ferry ran twice this week across the river, and the crossing took an hour each way. " * 12
    (site / "a.html").write_text(
        f"<html><head><title>Ferry report</title></head><body><article><h1>Ferry report</h1>"
        f'<p class="byline">By Kim Ode, <time datetime="2024-05-02">May 2024</time></p><p>{text}</p></article>'
        f"<ol class='comment-list'>{comment}{comment}</ol></body></html>",
        encoding="utf-8",
    )
    with SiteServer(site) as server:
        assert crawl_local(f"{server.url}/a.html", db="a.db", cwd=tmp_path).returncode == 0
    db = tmp_path / "a.db"
    assert count_of(db, "comments") == 2
    before = dump(db)
    result = run_archiver("reextract", "--db", str(db), cwd=tmp_path)
    assert "1 articles read, 0 changed" in result.stdout, result.stdout + result.stderr
    assert dump(db) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "last week"), "Invalid value for '--since'"),
        (("--processes", "many"), "Invalid value for '--processes'"),
        (("--db", "nowhere.db"), "no archive at nowhere.db"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_archiver("reextract", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nowhere.db").exists() and not (tmp_path / "archive.db").exists()
