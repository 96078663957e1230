"""The archive across crawls: revisions, URL variants and copies, comments' history, search."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from archiver.archive import Archive
from archiver.archive.schema import SCHEMA_VERSION, migrations
from tests.conftest import BODY, article, rows, save


def test_unchanged_recrawl_only_touches_last_seen(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    first = rows(db, "SELECT * FROM articles")[0]
    counts = save(db, article())
    assert counts["articles_unchanged"] == 1 and counts["revisions"] == 0
    again = rows(db, "SELECT * FROM articles")[0]
    assert again["first_seen"] == first["first_seen"] and again["last_changed"] == first["last_changed"]
    assert rows(db, "SELECT count(*) FROM revisions")[0][0] == 0


def test_changed_article_keeps_a_revision(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    counts = save(db, article(title="Lock gates open at last", authors=["Ana Lima", "John Park"]))
    assert counts["articles_changed"] == 1
    (current,) = rows(db, "SELECT title, authors FROM articles")
    assert current["title"] == "Lock gates open at last" and json.loads(current["authors"]) == ["Ana Lima", "John Park"]
    (old,) = rows(db, "SELECT title, authors FROM revisions")
    assert old["title"] == "Lock gates open" and json.loads(old["authors"]) == ["Ana Lima"]


def test_url_variants_and_copies_are_one_article(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article(url="https://example.org/a?utm_source=x", canonical_url="https://EXAMPLE.org:443/a#top"))
    counts = save(db, article(url="https://example.org/amp/a", canonical_url="https://example.org/amp/a"))
    assert counts["articles_merged"] == 1
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 1
    urls = {r["url"] for r in rows(db, "SELECT url FROM article_urls")}
    assert urls == {"https://example.org/a", "https://example.org/amp/a"}


def test_comments_appended_edited_and_deleted_never_removed(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    comments = [
        {"number": 1, "author": "Jörg Müller", "body": "Finally! (edited)", "kind": "comment"},
        {"number": 3, "author": "Lee", "body": "New here.", "kind": "comment"},
    ]
    counts = save(db, article(comments=comments))
    assert (counts["comments_inserted"], counts["comments_changed"], counts["comments_deleted"]) == (1, 1, 1)
    now = {r["number"]: (r["body"], r["deleted"]) for r in rows(db, "SELECT * FROM comments")}
    assert now == {1: ("Finally! (edited)", 0), 2: ("About time.", 1), 3: ("New here.", 0)}
    (old,) = rows(db, "SELECT number, body FROM comment_revisions")
    assert tuple(old) == (1, "Finally!")
    again = save(db, article(comments=comments))  # the same page read again: nothing newly deleted
    assert (again["comments_inserted"], again["comments_changed"], again["comments_deleted"]) == (0, 0, 0)


def test_comments_read_again_update_what_an_unchanged_article_says_of_them(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article(comments_status="script", comments=[]))  # the page as fetched: its comments load by script
    rendered = article(provenance={"title": "json-ld", "comments": "rendered"})
    counts = save(db, rendered)  # the same article, its comments read from the rendered page
    assert counts["articles_unchanged"] == 1 and counts["comments_inserted"] == 2
    (now,) = rows(db, "SELECT comments_status, comment_count, provenance FROM articles")
    assert (now["comments_status"], now["comment_count"]) == ("present", 2)
    assert json.loads(now["provenance"])["comments"] == "rendered"
    save(db, article(comments_status="script", comments=[]))  # a reading that did not reach them
    (after,) = rows(db, "SELECT comments_status, comment_count, provenance FROM articles")
    assert tuple(after) == tuple(now)
    assert rows(db, "SELECT count(*) FROM comments WHERE deleted = 0")[0][0] == 2


def test_full_text_search_ignores_diacritics(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    hits = rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ("harbour",))
    assert len(hits) == 1
    found = rows(
        db,
        "SELECT author FROM comments WHERE rowid IN (SELECT rowid FROM comments_fts WHERE comments_fts MATCH ?)",
        ("muller",),
    )
    assert [r["author"] for r in found] == ["Jörg Müller"]
    save(db, article(title="Lock gates open", body=BODY.replace("harbour", "marina")))
    assert rows(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'")[0][0] == 0


def test_old_archive_is_upgraded(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    db = Database(sqlite3.connect(db_path))
    migrations.apply(db, stop_before="m002_history_urls_runs_and_search")
    db.table("articles").insert({"canonical_url": "https://example.org/old", "title": "Kept", "body": "x"})
    db.close()
    save(db_path, article())
    titles = {r["title"] for r in rows(db_path, "SELECT title FROM articles")}
    assert titles == {"Kept", "Lock gates open"}
    assert rows(db_path, "SELECT value FROM archive_info WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION)
    assert rows(db_path, "PRAGMA integrity_check")[0][0] == "ok"


def _index_rows(db: Path) -> tuple[int, int]:
    return (
        rows(db, "SELECT count(*) FROM articles_fts_data")[0][0],
        rows(db, "SELECT count(*) FROM comments_fts_data")[0][0],
    )


def _check_search_index(db: Path) -> None:
    """Raises when a full-text index does not hold what its table holds: with a rank of 1, FTS5's
    ``integrity-check`` compares the index with the content table (plain, it checks the index only
    against itself)."""
    conn = sqlite3.connect(db)
    try:
        for table in ("articles", "comments"):
            conn.execute(f"INSERT INTO {table}_fts ({table}_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def _matches(db: Path, table: str, query: str) -> int:
    return rows(db, f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?", (query,))[0][0]


@pytest.mark.parametrize("before", [None, "m011_search_index_follows_changed_text"], ids=["new", "old-archive"])
def test_a_change_that_keeps_the_text_does_not_rewrite_the_search_index(tmp_path: Path, before: str | None) -> None:
    """An article changed only in its date, a comment only in its date: both saved as changed, the
    index left as it was (it holds the same text); a changed text is indexed again."""
    db = tmp_path / "a.db"
    if before:  # an archive of the schema before m011 holding the article, then opened by this archiver
        old = Database(sqlite3.connect(db))
        migrations.apply(old, stop_before=before)
        old.table("articles").insert(
            {"id": 1, "url": "https://example.org/a", "canonical_url": "https://example.org/a",
             "title": "Lock gates open", "body": BODY, "published": "2024-01-02", "content_hash": "schema 10"}
        )  # fmt: skip
        for c in article()["comments"]:
            old.table("comments").insert({"article_id": 1, "number": c["number"], "author": c["author"],
                                          "body": c["body"], "content_hash": "schema 10"})  # fmt: skip
        old.conn.commit()
        old.close()
    else:
        save(db, article())
    segments = _index_rows(db)
    redated = [{**c, "published": "2024-01-03"} for c in article()["comments"]]
    counts = save(db, article(published="2024-01-05", comments=redated))
    assert (counts["articles_changed"], counts["comments_changed"]) == (1, 2)
    assert _index_rows(db) == segments
    assert _matches(db, "articles", "harbour") == 1 and _matches(db, "comments", "muller") == 1
    _check_search_index(db)
    save(db, article(published="2024-01-05", comments=redated, title="Swallows nest under the bridge"))
    assert _matches(db, "articles", "title:swallows") == 1 and _matches(db, "articles", "title:gates") == 0
    save(db, article(published="2024-01-05", comments=redated, body=BODY.replace("harbour", "marina")))
    assert _matches(db, "articles", "harbour") == 0 and _matches(db, "articles", "marina") == 1
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 1
    _check_search_index(db)


def _with_comment(**fields: object) -> dict[str, object]:
    """The article with its first comment's ``fields`` changed."""
    first, *others = article()["comments"]
    return article(comments=[{**first, **fields}, *others])


#: A change of one indexed text: the article first saved, then saved again as ``after``; in the index
#: of ``table`` the ``old`` query no longer matches, the ``new`` one does (None: nothing to ask).
TEXT_CHANGES = {
    "title": (article(), article(title="Swallows nest under the bridge"), "articles", "title:gates", "title:swallows"),
    "body": (article(), article(body=BODY.replace("harbour", "marina")), "articles", "body:harbour", "body:marina"),
    "comment-author": (article(), _with_comment(author="Priya Nair"), "comments", "author:muller", "author:priya"),
    "comment-body": (article(), _with_comment(body="Splendid news"), "comments", "body:finally", "body:splendid"),
    "null-to-text": (article(title=None), article(title="Swallows nest"), "articles", None, "title:swallows"),
    "text-to-null": (_with_comment(author="Priya Nair"), _with_comment(author=None), "comments", "author:priya", None),
}


@pytest.mark.parametrize("change", TEXT_CHANGES.values(), ids=TEXT_CHANGES.keys())
def test_a_changed_text_is_indexed_again(tmp_path: Path, change: tuple[Any, ...]) -> None:
    """Each indexed text (an article's title and body, a comment's author and body), from text to
    other text, from none to text and back: searched as it is now, never as it was."""
    first, after, table, old, new = change
    db = tmp_path / "a.db"
    save(db, first)
    if old is not None:
        assert _matches(db, table, old) == 1
    counts = save(db, after)
    assert counts["articles_changed"] + counts["comments_changed"] == 1
    if old is not None:
        assert _matches(db, table, old) == 0
    if new is not None:
        assert _matches(db, table, new) == 1
    _check_search_index(db)


def _open_and_close(path: str) -> None:
    Archive(path).close()


def test_many_processes_create_one_archive_at_once(tmp_path: Path) -> None:
    """Crawls started together on a new archive: one creates it, the others wait and use it."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for attempt in range(3):
        path = str(tmp_path / f"new-{attempt}.db")
        with context.Pool(4) as pool:
            pool.map(_open_and_close, [path] * 4)  # raises here if any opener failed
        database = Database(path)
        assert migrations.pending(database) == [] and database.table("articles").count == 0
        database.close()


def test_seeing_an_article_again_does_not_rewrite_the_search_index(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    segments = (
        rows(db, "SELECT count(*) FROM articles_fts_data")[0][0],
        rows(db, "SELECT count(*) FROM comments_fts_data")[0][0],
    )
    counts = save(db, article())  # unchanged: only last_seen moves
    assert counts["articles_unchanged"] == 1
    after = (
        rows(db, "SELECT count(*) FROM articles_fts_data")[0][0],
        rows(db, "SELECT count(*) FROM comments_fts_data")[0][0],
    )
    assert after == segments
    save(db, article(title="Swallows nest under the bridge"))  # a changed title is indexed again
    assert _matches(db, "articles", "title:swallows") == 1 and _matches(db, "articles", "title:gates") == 0
