"""A batch written in one go ends like its articles saved one by one: repeats, copies, edits in one batch."""

from __future__ import annotations

import _sqlite3
import ctypes
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from archiver.archive import Archive, ArchiveError
from tests.conftest import BODY, article, rows, save

OTHER_BODY = "The council approved the budget for the river bridge and the market hall after a long night. " * 4
THIRD_BODY = "Zürich café owners said the façade of the old museum had been restored with great care. " * 4
#: Columns holding the time of a save, which differs between saves one by one.
TIMES = {"first_seen", "last_seen", "last_changed", "replaced_at"}
TABLES = ("articles", "article_urls", "revisions", "comments", "comment_revisions")


def comment(number: int, body: str, author: str = "Sam") -> dict[str, Any]:
    return {"number": number, "author": author, "body": body, "kind": "comment"}


#: The article's second version, as a later page of the batch gives it.
SECOND = {
    "title": "Second title",
    "body": OTHER_BODY,
    "comments": [comment(1, "One, edited"), comment(3, "Three"), comment(4, "Four")],
}
#: The article's first text at another URL.
PRINT = {"url": "https://example.org/print/a", "canonical_url": "https://example.org/print/a", "comments": []}
#: Another article, with one comment.
C = {"url": "https://example.org/c", "canonical_url": None, "comments": [comment(1, "Hi", "Lee")]}
#: Articles that depend on the ones before them in the same batch.
MIXED = [
    article(title="First title", comments=[comment(1, "One"), comment(2, "Two")]),
    # the same article again, changed: text, title, one comment edited, one gone, one new
    article(
        title="Second title",
        body=OTHER_BODY,
        comments=[comment(1, "One, edited"), comment(3, "Three")],
        fetched_at="2024-05-02T10:00:00",
    ),
    # the text it had at first, under another URL: no article holds that text any more
    article(**PRINT),
    # its new text under an AMP URL: one article, one more URL, its comments compared with the article's
    article(url="https://example.org/amp/a", canonical_url="https://example.org/amp/a", **SECOND),
    # a new article seen again in the same batch, with a fetch time
    article(**C, body="Short."),
    article(**C, body="Short.", fetched_at="2024-05-05T10:00:00"),
    # seen again unchanged (a tracking variant of its URL too), with and without a fetch time, then changed
    article(url="https://EXAMPLE.org/a?utm_source=feed", fetched_at="2024-05-03T09:00:00", **SECOND),
    article(**SECOND),
    article(fetched_at="2024-05-03T10:00:00", **SECOND),
    article(**(SECOND | {"title": "Third title"})),
    # a short text is never used to merge, and comments not read leave the others as they are
    article(url="https://example.org/b", canonical_url=None, body="Short.", comments_status="external:disqus"),
    # two articles come to hold one text (a change never merges); a copy of it goes to the older one
    article(url="https://example.org/d", canonical_url=None, body=THIRD_BODY),
    article(url="https://example.org/b", canonical_url=None, body=THIRD_BODY, comments=[comment(7, "x")]),
    article(url="https://example.org/e", canonical_url=None, body=THIRD_BODY, comments=[comment(7, "x")]),
    # seen again with a fetch time, then changed with a later one
    article(**PRINT, fetched_at="2024-05-06T10:00:00"),
    article(**PRINT, title="Printed", fetched_at="2024-05-07T10:00:00"),
]


def contents(db: Path) -> dict[str, Any]:
    """Every row of the archive's tables with save times replaced by a mark, and full-text hits."""
    found: dict[str, Any] = {}
    for table in TABLES:
        found[table] = [
            {k: ("time" if k in TIMES and v is not None else v) for k, v in dict(row).items()}
            for row in rows(db, f"SELECT rowid AS row, * FROM {table} ORDER BY rowid")
        ]
    for term in ("harbour", "council", "edited", "three", "muller", "short"):
        found[f"search {term}"] = [
            tuple(r)
            for table in ("articles_fts", "comments_fts")
            for r in rows(db, f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid", (term,))
        ]
    conn = sqlite3.connect(db)
    try:  # raise when an index does not match its table
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO comments_fts (comments_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    return found


@pytest.mark.parametrize("existing", [False, True], ids=["new-archive", "archive-holding-them"])
def test_a_batch_ends_as_its_articles_saved_one_by_one(tmp_path: Path, existing: bool) -> None:
    one_go, one_by_one = tmp_path / "one-go.db", tmp_path / "one-by-one.db"
    if existing:  # the archive already holds every article of the batch, as first saved
        save(one_go, *MIXED)
        shutil.copy(one_go, one_by_one)
    batch = save(one_go, *MIXED)
    single: Counter[str] = Counter()
    for item in MIXED:
        single.update(save(one_by_one, item))
    assert batch == dict(single)
    assert contents(one_go) == contents(one_by_one)


def test_an_article_changed_in_a_batch_holds_the_content_its_hash_says(tmp_path: Path) -> None:
    """An item without a title is an article without one: its row does not keep the old title,
    so a copy of its old title and text under another URL, later in the batch, is a new article,
    as when the three are saved one by one."""
    untitled = article(comments=[])
    del untitled["title"]
    items = [article(comments=[]), untitled, article(url="https://example.org/b", canonical_url=None, comments=[])]
    one_go, one_by_one = tmp_path / "one-go.db", tmp_path / "one-by-one.db"
    batch = save(one_go, *items)
    single: Counter[str] = Counter()
    for item in items:
        single.update(save(one_by_one, item))
    assert batch == dict(single)
    assert (batch["articles_inserted"], batch["articles_changed"], batch["articles_merged"]) == (2, 1, 0)
    assert [tuple(r) for r in rows(one_go, "SELECT id, title FROM articles")] == [(1, None), (2, "Lock gates open")]
    assert contents(one_go) == contents(one_by_one)


PAGE = "https://example.org/a"


def read(*comments: dict[str, Any]) -> dict[str, Any]:
    """The article's page showing ``comments`` (number, body and what else each gives)."""
    return article(comments=[{"author": "Sam", "kind": "comment", **c} for c in comments])


#: Comments saved before, then pages of one batch where what a page did to them must count for the
#: pages after it as it does when each is saved alone.
SEEN_AGAIN = {
    # read again unchanged from a comment page that gives it an id: the archive keeps none, so
    # the next page's other id for it does not make it another comment
    "its id kept": (
        [read({"number": 1, "body": "Hi"})],
        [read({"number": 1, "body": "Hi", "anchor": "x", "page_url": PAGE + "?cpage=2"}),
         read({"number": 1, "body": "Hi", "anchor": "y"})],
    ),
    # read again unchanged numbered otherwise: the archive keeps "page", so an edit found by its
    # id under another number keeps "page" too
    "its number source kept": (
        [read({"number": 1, "body": "Hi", "anchor": "c1", "number_source": "page"})],
        [read({"number": 1, "body": "Hi", "anchor": "c1", "number_source": "order", "page_url": PAGE + "?cpage=2"}),
         read({"number": 3, "body": "Hi, edited", "anchor": "c1", "number_source": "order"})],
    ),
    # two comments of one text, one stored in the batch under a lower number: the lower is found
    "the lower number first": (
        [read({"number": 5, "body": "Hi"})],
        [read({"number": 5, "body": "Hi"}, {"number": 2, "body": "Hi"}), read({"number": 4, "body": "Hi"})],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("before", "batch"), list(SEEN_AGAIN.values()), ids=list(SEEN_AGAIN))
def test_comments_seen_again_in_one_batch_end_as_saved_one_by_one(
    tmp_path: Path, before: list[dict[str, Any]], batch: list[dict[str, Any]]
) -> None:
    one_go, one_by_one = tmp_path / "one-go.db", tmp_path / "one-by-one.db"
    save(one_go, *before)
    save(one_by_one, *before)
    counts = save(one_go, *batch)
    single: Counter[str] = Counter()
    for item in batch:
        single.update(save(one_by_one, item))
    assert counts == dict(single)
    assert contents(one_go) == contents(one_by_one)


def test_repeats_and_copies_in_one_batch(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    counts = save(db, *MIXED)
    del counts["comments_deleted"]  # a comment is counted each time a page is read without it
    assert counts == {
        "articles_inserted": 5,  # the article, its first text at the print URL, c, b, d
        "articles_changed": 4,  # the article's second and third versions, b's new text, the print title
        "articles_unchanged": 5,
        "articles_merged": 2,  # the AMP URL, e
        "comments_inserted": 10,  # the article's 1, 2, 3, 4; c's 1; b's two, then its 7; d's two
        "comments_changed": 1,
        "revisions": 4,
    }
    articles = rows(db, "SELECT id, canonical_url, title, fetched_at FROM articles ORDER BY id")
    assert [(r["canonical_url"], r["title"], r["fetched_at"]) for r in articles] == [
        ("https://example.org/a", "Third title", "2024-05-03T10:00:00"),
        ("https://example.org/print/a", "Printed", "2024-05-07T10:00:00"),
        ("https://example.org/c", "Lock gates open", "2024-05-05T10:00:00"),
        ("https://example.org/b", "Lock gates open", None),
        ("https://example.org/d", "Lock gates open", None),
    ]
    old = rows(db, "SELECT title, body, content_hash FROM revisions WHERE article_id = 1 ORDER BY id")
    assert [(r["title"], r["body"]) for r in old] == [("First title", BODY), ("Second title", OTHER_BODY)]
    urls = {r["url"]: r["article_id"] for r in rows(db, "SELECT url, article_id FROM article_urls")}
    assert urls["https://example.org/amp/a"] == urls["https://example.org/a"] == 1
    assert urls["https://example.org/e"] == urls["https://example.org/b"] == 4
    first = {r["number"]: (r["body"], r["deleted"]) for r in rows(db, "SELECT * FROM comments WHERE article_id = 1")}
    assert first == {1: ("One, edited", 0), 2: ("Two", 1), 3: ("Three", 0), 4: ("Four", 0)}
    assert [tuple(r) for r in rows(db, "SELECT article_id, number, body FROM comment_revisions")] == [(1, 1, "One")]


def test_fetch_times_of_articles_seen_again(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    urls = [f"https://example.org/{n}" for n in range(3)]
    save(db, *(article(url=u, canonical_url=u, body=f"Text {n}.", fetched_at="2024-01-01") for n, u in enumerate(urls)))
    again = [None, "2024-02-01", "2024-03-01"]
    counts = save(
        db, *(article(url=u, canonical_url=u, body=f"Text {n}.", fetched_at=again[n]) for n, u in enumerate(urls))
    )
    assert counts["articles_unchanged"] == 3
    fetched = [r[0] for r in rows(db, "SELECT fetched_at FROM articles ORDER BY id")]
    assert fetched == ["2024-01-01", "2024-02-01", "2024-03-01"]


def test_more_rows_than_one_statement_takes(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    many = [comment(n, f"Comment {n}") for n in range(1, 2501)]
    urls = [f"https://example.org/{n}" for n in range(700)]
    items = [article(url=u, canonical_url=u, body=f"Text {n}.", comments=[]) for n, u in enumerate(urls)]
    assert save(db, article(comments=many), *items)["comments_inserted"] == 2500
    counts = save(db, article(comments=many[:-1]), *items)
    assert (counts["articles_unchanged"], counts["comments_deleted"]) == (701, 1)
    assert rows(db, "SELECT count(*) FROM comments WHERE deleted = 0")[0][0] == 2499
    assert len(rows(db, "SELECT rowid FROM comments_fts WHERE comments_fts MATCH '2499'")) == 1
    assert len({r[0] for r in rows(db, "SELECT last_seen FROM articles")}) == 1


def test_a_failing_batch_leaves_the_archive_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    save(db, article())
    before = contents(db)
    unwritable = {**comment(2, "y"), "body": {"not": "text"}}  # SQLite takes no dict
    broken = article(
        url="https://example.org/b", canonical_url=None, body="Short.", comments=[comment(1, "x"), unwritable]
    )
    archive = Archive(db)
    try:
        with pytest.raises(ArchiveError, match=re.escape("type 'dict' is not supported")):
            archive.save([article(title="Changed"), broken])
    finally:
        archive.close()
    assert contents(db) == before


def _sqlite_memory_used() -> int:
    """Bytes SQLite has allocated in this process (its own counter, whether linked in or shared)."""
    library = ctypes.CDLL(_sqlite3.__file__)  # dlsym also searches the libsqlite3 it links to
    library.sqlite3_memory_used.restype = ctypes.c_int64
    return int(library.sqlite3_memory_used())


def test_memory_does_not_grow_with_the_batches_written(tmp_path: Path) -> None:
    """Batches of different sizes make statements of different lengths; none may keep its values.

    SQLite keeps the values last bound to a prepared statement, and Python's sqlite3 keeps up to 128
    prepared statements per connection: with a statement per batch size, a long crawl held the text
    of up to 128 batches of comments (~1 MiB each) in memory.
    """
    archive = Archive(tmp_path / "a.db")
    try:
        used = []
        for batch in range(40):
            text = f"Comment of batch {batch}, " + "x" * 20_000  # 40 comments: 800 KB of text per batch
            url = f"https://example.org/{batch}"
            comments = [comment(n, text) for n in range(1, 41 + batch)]  # a different count in each batch
            archive.save([article(url=url, canonical_url=url, body=f"Text {batch}. " * 30, comments=comments)])
            used.append(_sqlite_memory_used())
    finally:
        archive.close()
    assert used[-1] - used[9] < 4 * 2**20, f"SQLite memory grew from {used[9]:,} to {used[-1]:,} bytes"


def test_no_insert_of_a_save_grows_with_the_batch(tmp_path: Path) -> None:
    """Each row is bound to a statement compiled once, not compiled into one long statement per batch.

    A multi-row ``VALUES`` statement is compiled row by row (about 6 µs a row of 21 columns), which
    cost more than the rows' writing; the rows reach the tables in order, through one INSERT per
    table, so the full-text index still writes one segment per batch.
    """
    statements: list[str] = []
    archive = Archive(tmp_path / "a.db")
    try:
        archive.db.conn.set_trace_callback(statements.append)  # each statement, its values in the text
        many = [comment(n, f"Comment {n} said nothing more") for n in range(1, 301)]
        items = [article(url=f"https://example.org/{n}", canonical_url=None, comments=many) for n in range(3)]
        archive.save([{**item, "body": f"{BODY} {n}"} for n, item in enumerate(items)])
    finally:
        archive.close()
    inserts = [s for s in statements if s.startswith("INSERT") and " VALUES " in s]
    assert inserts, statements
    for statement in inserts:  # the values hold no parentheses: "), (" would be a second row
        assert not re.search(r"\)\s*,\s*\(", statement.split(" VALUES ", 1)[1]), statement[:300]
    db = tmp_path / "a.db"
    numbers = [(r[0], r[1]) for r in rows(db, "SELECT article_id, number FROM comments ORDER BY rowid")]
    assert numbers == [(a, n) for a in (1, 2, 3) for n in range(1, 301)]
    assert len(rows(db, "SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'said'")) == 900
    assert len(rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour'")) == 3


def test_a_batch_writes_one_search_index_segment_a_table(tmp_path: Path) -> None:
    """The full-text index writes a segment for each statement that adds to it: a batch's new articles
    and comments reach their tables in one INSERT each, so the index holds what the same rows put
    into an empty archive with one statement a table hold (a statement a row wrote a segment a row)."""
    db, fresh = tmp_path / "a.db", tmp_path / "fresh.db"
    items = [
        article(url=f"https://example.org/{n}", canonical_url=None, body=f"{BODY} {n}",
                comments=[comment(c, f"Comment {c} on {n}") for c in range(1, 21)])
        for n in range(30)
    ]  # fmt: skip
    save(db, *items)
    Archive(fresh).close()  # the same schema, empty
    conn = sqlite3.connect(fresh)
    try:
        conn.execute("ATTACH DATABASE ? AS saved", (str(db),))
        with conn:
            for table in ("articles", "comments"):  # one statement a table
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM saved.{table} ORDER BY rowid")
        conn.execute("DETACH DATABASE saved")
    finally:
        conn.close()
    for table in ("articles", "comments"):
        query = f"SELECT count(*) FROM {table}_fts_data"
        assert rows(db, query)[0][0] == rows(fresh, query)[0][0], table
    assert len(rows(db, "SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'comment'")) == 600


def _temp_files_open() -> list[str]:
    """SQLite's temporary files this process has open (unlinked when opened: ``etilqs_...``)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = fd.readlink()
        except OSError:  # closed since listed
            continue
        if "etilqs" in target.name:
            found.append(str(target))
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")
def test_a_large_batch_is_staged_in_memory_not_in_a_temp_file(tmp_path: Path) -> None:
    """A batch's rows pass through the staging tables in memory: SQLite opened a file in the temp
    folder (``etilqs_...``) once they outgrew its cache (a temp folder that is full or not writable
    then failed the save)."""
    text = "Reader comment on the river crossing and the ferry timetable, at some length. " * 20
    items = [
        article(url=f"https://example.org/{n}", canonical_url=None, body=f"{BODY * 8} {n}",
                comments=[comment(c, f"{text} {c}") for c in range(1, 21)])
        for n in range(120)
    ]  # fmt: skip
    archive = Archive(tmp_path / "a.db")
    try:
        assert _temp_files_open() == []
        archive.save(items)
        assert _temp_files_open() == []
    finally:
        archive.close()
    assert rows(tmp_path / "a.db", "SELECT count(*) FROM comments")[0][0] == 2400


def test_a_save_after_a_failed_or_dry_one_writes_only_its_own_rows(tmp_path: Path) -> None:
    """The rows of a batch rolled back (an error, a dry run) are not written by the next batch."""
    db = tmp_path / "a.db"
    unwritable = {**comment(2, "y"), "body": {"not": "text"}}
    archive = Archive(db)
    try:
        with pytest.raises(ArchiveError):
            archive.save([article(comments=[comment(1, "x"), comment(3, "z")]),
                          article(url="https://example.org/b", canonical_url=None, comments=[unwritable])])  # fmt: skip
        archive.save([article(url="https://example.org/c", canonical_url=None)], dry_run=True)
        archive.save([article(url="https://example.org/d", canonical_url=None, comments=[comment(5, "Five")])])
    finally:
        archive.close()
    assert [tuple(r) for r in rows(db, "SELECT id, url FROM articles")] == [(1, "https://example.org/d")]
    assert [tuple(r) for r in rows(db, "SELECT article_id, number, body FROM comments")] == [(1, 5, "Five")]
    assert contents(db)["search short"] == []
    names = {r[0] for r in rows(db, "SELECT name FROM sqlite_master")}
    assert not any(name.startswith("staged") for name in names), names  # the staging tables are not in the file


def test_a_save_after_the_connection_lost_its_temporary_tables(tmp_path: Path) -> None:
    """A change of ``temp_store`` drops a connection's temporary tables: the next save still writes."""
    db = tmp_path / "a.db"
    archive = Archive(db)
    try:
        archive.save([article()])
        archive.db.execute("PRAGMA temp_store = FILE")  # other than the archive's (MEMORY)
        other = article(url="https://example.org/b", canonical_url=None, body=OTHER_BODY, comments=[comment(9, "Nine")])
        archive.save([other])
    finally:
        archive.close()
    assert [r[0] for r in rows(db, "SELECT url FROM articles ORDER BY id")] == [
        "https://example.org/a",
        "https://example.org/b",
    ]
    assert [r[0] for r in rows(db, "SELECT number FROM comments WHERE article_id = 2")] == [9]
