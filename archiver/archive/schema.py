"""The archive's schema, in one place, as sqlite-utils migrations applied on open."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("archiver")

#: Bumped with every migration; recorded in the ``archive_info`` table.
SCHEMA_VERSION = 11


@migrations()
def m001_articles_and_comments(db: Database) -> None:
    """Articles keyed by canonical URL, and their comments as rows keyed by (article, number)."""
    db.table("articles").create(
        {
            "id": int,
            "canonical_url": str,
            "url": str,
            "title": str,
            "authors": str,
            "byline_raw": str,
            "published": str,
            "published_raw": str,
            "modified": str,
            "modified_raw": str,
            "body": str,
            "language": str,
            "comments_status": str,
            "comment_count": int,
            "provenance": str,
            "fetched_at": str,
            "first_seen": str,
            "last_seen": str,
            "content_hash": str,
        },
        pk="id",
        not_null={"canonical_url"},
    )
    db.table("articles").create_index(["canonical_url"], unique=True)
    db.table("comments").create(
        {
            "article_id": int,
            "number": int,
            "number_source": str,
            "author": str,
            "author_url": str,
            "published": str,
            "published_raw": str,
            "published_relative": bool,
            "body": str,
            "parent": int,
            "anchor": str,
            "kind": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("article_id", "number"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("archive_info").create({"key": str, "value": str}, pk="key")


#: Full-text search: diacritics removed, so "muller" finds "Müller".
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


@migrations()
def m002_history_urls_runs_and_search(db: Database) -> None:
    """Revisions, every URL of an article, deleted comments, crawl runs, fetches, full-text search."""
    db.table("articles").add_column("last_changed", str)
    db.table("articles").add_column("body_hash", str)
    db.table("articles").create_index(["body_hash"])
    db.table("comments").add_column("deleted", int, not_null_default=0)
    db.table("article_urls").create(
        {"url": str, "article_id": int, "first_seen": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_urls").create_index(["article_id"])
    db.table("revisions").create(
        {"id": int, "article_id": int, "replaced_at": str, "title": str, "authors": str, "published": str,
         "modified": str, "body": str, "content_hash": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )  # fmt: skip
    db.table("revisions").create_index(["article_id"])
    db.table("comment_revisions").create(
        {"id": int, "article_id": int, "number": int, "replaced_at": str, "author": str, "published": str,
         "body": str, "parent": int, "content_hash": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )  # fmt: skip
    db.table("comment_revisions").create_index(["article_id", "number"])
    db.table("crawls").create(
        {"id": str, "spider": str, "started": str, "finished": str, "finish_reason": str, "arguments": str,
         "settings": str, "stats": str},
        pk="id",
    )  # fmt: skip
    db.table("fetches").create(
        {"url": str, "status": int, "error": str, "etag": str, "last_modified": str, "fetched_at": str,
         "crawl_id": str},
        pk="url",
    )  # fmt: skip
    db.table("articles").enable_fts(["title", "body"], create_triggers=True, tokenize=FTS_TOKENIZE)
    db.table("comments").enable_fts(["author", "body"], create_triggers=True, tokenize=FTS_TOKENIZE)


@migrations()
def m003_runs(db: Database) -> None:
    """Scheduled runs: crawls grouped by run, with their source and an end-of-run report."""
    db.table("crawls").add_column("run_id", str)
    db.table("crawls").add_column("source", str)
    db.table("crawls").add_column("report", str)
    db.table("crawls").create_index(["run_id"])


@migrations()
def m004_search_index_follows_text_only(db: Database) -> None:
    """Re-index an article or comment only when its text changes, not on every ``last_seen``."""
    _search_index_update_triggers(db, only_when_changed=False)


#: The indexed columns of each table with a full-text index.
_SEARCHED = (("articles", ("title", "body")), ("comments", ("author", "body")))


def _search_index_update_triggers(db: Database, only_when_changed: bool) -> None:
    """(Re)create each searched table's update trigger: an UPDATE naming an indexed column takes the
    row's old text out of the index and puts its new text in (``only_when_changed``: only when that text
    differs)."""
    for table, columns in _SEARCHED:
        names = ", ".join(f'"{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        when = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in columns)
        condition = f" WHEN {when}" if only_when_changed else ""
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {names} ON "{table}"{condition} BEGIN\n'
            f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {names}) VALUES(\'delete\', old.rowid, {old});\n'
            f'  INSERT INTO "{table}_fts" (rowid, {names}) VALUES (new.rowid, {new});\n'
            "END"
        )


#: SQL true when a column's ISO 8601 value is a time with a UTC offset ("...T10:00:00+02:00", "...Z").
_HAS_OFFSET = (
    "(instr({c}, 'T') > 0 AND (substr({c}, -1) = 'Z'"
    " OR substr({c}, instr({c}, 'T')) GLOB '*[+-][0-9][0-9]:[0-9][0-9]'"
    " OR substr({c}, instr({c}, 'T')) GLOB '*[+-][0-9][0-9]:[0-9][0-9]:[0-9][0-9]'))"
)


@migrations()
def m005_local_times(db: Database) -> None:
    """Mark dates and times the page gave without a time zone (``archiver.items.local_time``).

    1: the value is the site's own wall-clock time or calendar day, not UTC; 0: it carries its
    UTC offset; NULL: no value. Rows already archived are marked from their values.
    """
    for table, columns in (("articles", ("published", "modified")), ("comments", ("published",))):
        for column in columns:
            db.table(table).add_column(f"{column}_local", int)
            db.execute(
                f"UPDATE {table} SET {column}_local = CASE WHEN {column} IS NULL OR {column} = '' THEN NULL"
                f" WHEN {_HAS_OFFSET.format(c=column)} THEN 0 ELSE 1 END"
            )


@migrations()
def m006_comment_page_urls(db: Database) -> None:
    """The URL of the page each comment was read from (the article's page or one of its comment
    pages): a comment is marked deleted only when that page is read again without it.

    Comments stored before are taken to come from the URL their article was last fetched from.
    """
    db.table("comments").add_column("page_url", str)
    db.execute("UPDATE comments SET page_url = (SELECT url FROM articles WHERE articles.id = comments.article_id)")


@migrations()
def m007_captures(db: Database) -> None:
    """The raw captures: where each HTTP response of a crawl is kept (a WARC record), and the capture
    each article and each revision was extracted from.

    ``captures``: one row per ``response`` or ``revisit`` record, keyed by its WARC-Record-ID;
    ``warc_file`` is relative to the archive's folder, ``offset`` and ``length`` those of the
    record's gzip member, ``refers_to`` the record a revisit names. ``articles.capture`` (and
    ``revisions.capture``: the version it replaced) names the response record whose payload the
    values were extracted from; ``comment_captures`` those of its further comment pages (JSON list,
    in the order read); ``extractor_version`` the extraction that produced them
    (``archiver.extract.EXTRACTOR_VERSION``). Articles archived before have none.
    """
    db.table("captures").create(
        {"record_id": str, "url": str, "status": int, "fetched_at": str, "warc_file": str, "offset": int,
         "length": int, "payload_digest": str, "type": str, "refers_to": str, "crawl_id": str},
        pk="record_id",
    )  # fmt: skip
    db.table("captures").create_index(["url"])
    db.table("captures").create_index(["payload_digest"])
    for table in ("articles", "revisions"):
        db.table(table).add_column("capture", str)
        db.table(table).add_column("comment_captures", str)
        db.table(table).add_column("extractor_version", str)


@migrations()
def m008_publisher(db: Database) -> None:
    """The organisation or site that publishes each article, kept apart from its authors.

    Articles archived before have none until they are extracted again.
    """
    db.table("articles").add_column("publisher", str)


@migrations()
def m009_comment_titles(db: Database) -> None:
    """A comment's own headline (``title``), kept apart from its text.

    Comments archived before have none: their headline, when they had one, is the first paragraph
    of their body.
    """
    db.table("comments").add_column("title", str)


#: SQL of a URL column without its fragment, as a page's rendering is found by (``archiver.warc.rendered.page_key``).
_PAGE_KEY = "(CASE WHEN instr({c}, '#') > 0 THEN substr({c}, 1, instr({c}, '#') - 1) ELSE {c} END)"


@migrations()
def m010_rendered_captures(db: Database) -> None:
    """Mark the captures of a page as a browser rendered it (``captures.rendered``: 1; else 0): the
    rendered document is no copy of what the server sent, so a later ``304`` or a payload fetched
    again is never written as a revisit of it (``archiver.archive.captures.latest_capture``).

    Captures written before are marked where the archive tells: a ``response`` or ``revisit`` an
    article or a revision names among its comment captures that has the URL of its page's own
    capture (a comment page never has it); the ``response`` such a revisit refers to, unless an
    article or a revision names it as its page's capture. Then every other ``response`` of a URL
    with a rendering that no article or revision names as its page's capture is read in its WARC
    file (relative to the archive's folder), whose record says whether it is a rendering
    (``WARC-Archiver-Rendered``): a crawl of several workers or an import writes the rendering
    and its fetch under different crawl ids, or none. Where the record cannot be read, a
    ``response`` is taken for a rendering when its crawl fetched the URL with status 200 before it
    and no capture of the URL in that crawl is a known rendering (a crawl renders a page at most
    once). Run again, it marks nothing twice; it holds one batch of rows at a time.
    """
    if "rendered" not in db.table("captures").columns_dict:
        db.table("captures").add_column("rendered", int, not_null_default=0)
    named = "json_each(CASE WHEN json_valid({t}.comment_captures) THEN {t}.comment_captures ELSE '[]' END)"
    for table in ("articles", "revisions"):
        db.execute(
            "UPDATE captures SET rendered = 1 WHERE type IN ('response', 'revisit') AND rendered = 0"
            f" AND record_id IN (SELECT c.record_id FROM {table} AS a JOIN captures AS p ON p.record_id = a.capture,"
            f" {named.format(t='a')} AS j JOIN captures AS c ON c.record_id = j.value"
            f" WHERE {_PAGE_KEY.format(c='c.url')} = {_PAGE_KEY.format(c='p.url')})"
        )
    db.execute(
        "UPDATE captures SET rendered = 1 WHERE type = 'response' AND rendered = 0 AND record_id IN ("
        "SELECT refers_to FROM captures WHERE type = 'revisit' AND rendered = 1 AND refers_to IS NOT NULL)"
        f" AND record_id NOT IN ({_PAGE_CAPTURES})"
    )
    _mark_by_records(db)


#: SQL: the captures an article or a revision names as its page's (never a rendering).
_PAGE_CAPTURES = (
    "SELECT capture FROM articles WHERE capture IS NOT NULL"
    " UNION SELECT capture FROM revisions WHERE capture IS NOT NULL"
)
#: The WARC field marking a rendered page's records (``archiver.warc.writer.RENDERED_HEADER``; the
#: archive imports no other part).
_RENDERED_HEADER = "WARC-Archiver-Rendered"
#: Captures read at a time by m010.
_BATCH = 500


def _mark_by_records(db: Database) -> None:
    """m010's last rules: each candidate ``response`` marked as its WARC record says; those whose
    record cannot be read by their crawl's order of fetches. The candidates wait in a temporary
    table (on disk when many), read a batch at a time in the order of their files."""
    db.execute("DROP TABLE IF EXISTS temp.m010_candidates")
    db.execute(
        "CREATE TEMP TABLE m010_candidates AS SELECT record_id, warc_file, offset, 0 AS unread FROM captures"
        " WHERE type = 'response' AND rendered = 0 AND url IN (SELECT url FROM captures WHERE rendered = 1)"
        f" AND record_id NOT IN ({_PAGE_CAPTURES}) ORDER BY warc_file, offset"
    )
    records = _Records(_archive_folder(db))
    try:
        after = 0
        while batch := db.execute(
            "SELECT rowid, record_id, warc_file, offset FROM temp.m010_candidates WHERE rowid > ?"
            f" ORDER BY rowid LIMIT {_BATCH}",
            [after],
        ).fetchall():
            after = batch[-1][0]
            found = [(row, records.rendered(*row[1:])) for row in batch]
            db.conn.executemany(
                "UPDATE captures SET rendered = 1 WHERE record_id = ?", [(row[1],) for row, mark in found if mark]
            )
            db.conn.executemany(
                "UPDATE temp.m010_candidates SET unread = 1 WHERE rowid = ?",
                [(row[0],) for row, mark in found if mark is None],
            )
    finally:
        records.close()
    db.execute(_BY_ORDER_OF_FETCHES)
    db.execute("DROP TABLE temp.m010_candidates")


#: SQL of m010's rule for a capture whose record cannot be read: a rendering follows its crawl's fetch
#: of the page (status 200), and a crawl renders a page at most once (none of its captures of the URL
#: a known rendering). One pass over the captures of URLs with a rendering, each (URL, crawl) a window.
_BY_ORDER_OF_FETCHES = (
    "UPDATE captures SET rendered = 1 WHERE record_id IN (SELECT record_id FROM ("
    " SELECT record_id, type, status, rendered, fetched_at,"
    " min(CASE WHEN type IN ('response', 'revisit') AND status = 200 THEN fetched_at END) OVER w AS first,"
    " max(rendered) OVER w AS known"
    " FROM captures WHERE url IN (SELECT url FROM captures WHERE rendered = 1) AND crawl_id IS NOT NULL"
    " WINDOW w AS (PARTITION BY url, crawl_id))"
    " WHERE type = 'response' AND rendered = 0 AND known = 0 AND status = 200 AND fetched_at > first"
    " AND record_id IN (SELECT record_id FROM temp.m010_candidates WHERE unread = 1))"
)


class _Records:
    """Reads whether WARC records are renderings, one file open at a time (the candidates come in
    the order of their files); a file that cannot be opened is not tried again."""

    def __init__(self, base: Path | None) -> None:
        self.base = base
        self.name: str | None = None
        self.stream: BinaryIO | None = None
        self.unreadable: set[str] = set()

    def rendered(self, record_id: str, warc_file: str | None, offset: int | None) -> bool | None:
        """Whether the capture's record is marked ``WARC-Archiver-Rendered``; None when it cannot
        be read (no file, no record with its id at its offset)."""
        stream = self._open(warc_file)
        if stream is None or offset is None:
            return None
        try:
            stream.seek(offset)
            found = ArchiveIterator(stream, parse_http=False, auto_decode="none", strict_mode=False)
            record = next(iter(found), None)
        except (OSError, ValueError):
            return None
        if record is None or record.stream_pos != offset:
            return None
        if (record.headers.get("WARC-Record-ID") or "").strip() != record_id:
            return None
        return (record.headers.get(_RENDERED_HEADER) or "").strip().lower() == "true"

    def _open(self, warc_file: str | None) -> BinaryIO | None:
        if warc_file == self.name:
            return self.stream
        self.close()
        self.name = warc_file
        if self.base is None or not warc_file or warc_file in self.unreadable:
            return None
        try:
            self.stream = (self.base / warc_file).open("rb")
        except OSError:
            self.unreadable.add(warc_file)
        return self.stream

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.name, self.stream = None, None


def _archive_folder(db: Database) -> Path | None:
    """The folder of the archive's file (its captures' ``warc_file`` are relative to it); None in memory."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file).resolve().parent if file else None
    return None


@migrations()
def m011_search_index_follows_changed_text(db: Database) -> None:
    """Re-index an article or comment only when its indexed text changed, not whenever an UPDATE names
    its columns: a changed article or comment is written with all its content, so one changed only in
    another field (a date, its authors) was taken out of the index and indexed again with the same text."""
    _search_index_update_triggers(db, only_when_changed=True)


def migrate(db: Database) -> None:
    """Bring an archive of any earlier version up to the current schema.

    Migrations run under the write lock, so two crawls opening a new archive at the same moment
    do not both create it: the second waits, then finds nothing left to do.
    """
    if not migrations.pending(db):
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if migrations.pending(db):
            migrations.apply(db)
            db.table("archive_info").upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
