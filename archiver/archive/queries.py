"""Read queries shared by the CLI (and later Datasette's canned queries)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from archiver.archive.captures import capture_rows
from archiver.archive.export import ExportFilters

ARTICLE_SEARCH = """
SELECT a.id, a.canonical_url AS url, a.title, a.published,
       snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {filters} ORDER BY rank LIMIT ?
"""
COMMENT_SEARCH = """
SELECT c.article_id AS id, a.canonical_url AS url, a.title, c.number, c.author, c.published,
       snippet(comments_fts, 1, '[', ']', '…', 12) AS snippet
FROM comments_fts JOIN comments c ON c.rowid = comments_fts.rowid JOIN articles a ON a.id = c.article_id
WHERE comments_fts MATCH ? {filters} ORDER BY rank LIMIT ?
"""


class QueryRefused(Exception):
    """A query that would do more than read the archive (open another file, load code, change a setting)."""


#: PRAGMAs a query may run, with an argument or without: they read the schema, nothing else.
SCHEMA_PRAGMAS = frozenset({
    "collation_list", "compile_options", "database_list", "foreign_key_check", "foreign_key_list",
    "function_list", "index_info", "index_list", "index_xinfo", "integrity_check", "module_list",
    "pragma_list", "quick_check", "table_info", "table_list", "table_xinfo",
})  # fmt: skip
#: PRAGMAs a query may read but not set (given a value, they would change the connection or the file).
SETTING_PRAGMAS = frozenset({
    "application_id", "auto_vacuum", "data_version", "encoding", "freelist_count", "journal_mode",
    "max_page_count", "page_count", "page_size", "schema_version", "user_version",
})  # fmt: skip
#: SQL functions that load code or reach outside the archive.
REFUSED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"})


class _Guard:
    """SQLite's authorizer for a user's query: refuses what could touch another file or load code.

    SQLite asks it while it prepares (and, for VACUUM, runs) a statement, before any file is opened;
    it also sees the statements FTS5 runs for a MATCH (reads, and ``PRAGMA data_version``).
    """

    def __init__(self) -> None:
        self.refused: str | None = None  # why the last statement was refused

    def __call__(self, action: int, arg1: str | None, arg2: str | None, db_name: str | None, source: str | None) -> int:
        reason = self.check(action, arg1, arg2)
        if reason is None:
            return sqlite3.SQLITE_OK
        self.refused = reason
        return sqlite3.SQLITE_DENY

    @staticmethod
    def check(action: int, arg1: str | None, arg2: str | None) -> str | None:
        if action == sqlite3.SQLITE_ATTACH:  # VACUUM and VACUUM INTO attach their target too
            target = f" ({arg1!r})" if arg1 else ""
            return f"ATTACH and VACUUM open another database file{target}; a query only reads the archive"
        if action == sqlite3.SQLITE_DETACH:
            return "DETACH is not allowed; a query only reads the archive"
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in SCHEMA_PRAGMAS or (name in SETTING_PRAGMAS and arg2 is None):
                return None
            shown = f"PRAGMA {name}" + (f" = {arg2}" if arg2 is not None else "")
            return f"{shown} is not allowed; a query may only read the schema and settings (PRAGMA table_info, ...)"
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in REFUSED_FUNCTIONS:
            return f"{arg2}() is not allowed; it loads code or reaches outside the archive"
        return None


def read_query(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Any]]:
    """Run a user's SQL on a read-only connection: column names and rows.

    Refused before SQLite runs it (QueryRefused): ATTACH, VACUUM (INTO), DETACH, PRAGMAs other
    than reads of the schema and settings, and functions that load code or reach files. Writes
    are refused by the connection itself (read-only file, ``query_only``): sqlite3.Error.
    """
    guard = _Guard()
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)  # a second lock: no file can be attached at all
    conn.set_authorizer(guard)
    try:
        cursor = conn.execute(sql, params)
        return [d[0] for d in cursor.description or []], cursor.fetchall()
    except sqlite3.DatabaseError as exc:
        if guard.refused:
            raise QueryRefused(guard.refused) from exc
        raise
    finally:
        conn.set_authorizer(None)


def fts_query(terms: str) -> str:
    """User words as an FTS5 query of quoted terms (all must match), so that punctuation is text."""
    words = [w.replace('"', '""') for w in terms.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words)


def search(
    conn: sqlite3.Connection, terms: str, comments: bool = False, limit: int = 20, filters: ExportFilters | None = None
) -> list[dict[str, Any]]:
    """Ranked full-text matches with highlighted snippets, in articles or in comments.

    ``filters`` (dates, domain) apply to the article.
    """
    query = fts_query(terms)
    if not query:
        return []
    where, params = (filters or ExportFilters()).where("a")
    sql = (COMMENT_SEARCH if comments else ARTICLE_SEARCH).format(filters=where.replace(" WHERE ", " AND ", 1))
    cursor = conn.execute(sql, [query, *params, limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


#: Columns of ``articles`` that hold JSON text (a list of names, a field -> source object).
JSON_COLUMNS = ("authors", "provenance")


def find_article(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """An article by id, canonical URL or any URL it was found under, with comments and revisions."""
    from archiver.urls import canonicalize

    if key.isdigit():
        found = _dicts(conn.execute("SELECT * FROM articles WHERE id = ?", [int(key)]))
    else:
        url = canonicalize(key)
        found = _dicts(
            conn.execute(
                "SELECT * FROM articles WHERE canonical_url = ?"
                " OR id = (SELECT article_id FROM article_urls WHERE url = ?)",
                [url, url],
            )
        )
    if not found:
        return None
    article = found[0]
    for name in JSON_COLUMNS:  # stored as JSON text: given back as the list or object they hold
        article[name] = json.loads(article[name]) if article[name] else None
    article["comments"] = _dicts(
        conn.execute("SELECT * FROM comments WHERE article_id = ? ORDER BY number", [article["id"]])
    )
    article["revisions"] = _dicts(
        conn.execute("SELECT * FROM revisions WHERE article_id = ? ORDER BY id", [article["id"]])
    )
    held = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'captures'").fetchone()
    pages = json.loads(article.get("comment_captures") or "[]")
    ids = [i for i in (article.get("capture"), *pages, *(r.get("capture") for r in article["revisions"])) if i]
    captures = capture_rows(conn, ids) if held else {}
    article["capture"] = captures.get(article.get("capture") or "")
    article["comment_captures"] = [captures[i] for i in pages if i in captures]
    for revision in article["revisions"]:
        revision["capture"] = captures.get(revision.get("capture") or "")
    article["urls"] = [
        r["url"] for r in _dicts(conn.execute("SELECT url FROM article_urls WHERE article_id = ?", [article["id"]]))
    ]
    return article


def thread(comments: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Comments in reading order with their depth in the reply tree (replies under their parent)."""
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    numbers = {c["number"] for c in comments}
    for comment in comments:
        parent = comment["parent"] if comment["parent"] in numbers else None
        by_parent.setdefault(parent, []).append(comment)
    ordered: list[tuple[int, dict[str, Any]]] = []

    def walk(parent: int | None, depth: int) -> None:
        for comment in by_parent.get(parent, []):
            ordered.append((depth, comment))
            if depth < 50:  # a malformed cycle cannot recurse forever
                walk(comment["number"], depth + 1)

    walk(None, 0)
    return ordered


#: SQLite expression for an article's host (with its port, if any), without scheme and "www.".
_HOST = (
    "replace(substr(substr(canonical_url, instr(canonical_url, '://') + 3), 1,"
    " instr(substr(canonical_url, instr(canonical_url, '://') + 3) || '/', '/') - 1), 'www.', '')"
)


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """The numbers a researcher checks first: volume by domain and month, discussion, coverage."""
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    coverage = conn.execute(
        "SELECT avg(authors IS NOT NULL AND authors != '[]'), avg(published IS NOT NULL), avg(comment_count > 0),"
        " avg(coalesce(comments_status, '') LIKE 'external:%') FROM articles"
    ).fetchone()
    per_article = conn.execute(
        "SELECT avg(comment_count), max(comment_count), sum(comment_count) FROM articles"
    ).fetchone()
    return {
        "articles": total,
        "comments": conn.execute("SELECT count(*) FROM comments WHERE deleted = 0").fetchone()[0],
        "deleted_comments": conn.execute("SELECT count(*) FROM comments WHERE deleted = 1").fetchone()[0],
        "by_domain": _dicts(conn.execute(
            f"SELECT {_HOST} AS domain, count(*) AS articles, sum(comment_count) AS comments FROM articles"
            " GROUP BY domain ORDER BY articles DESC, domain"
        )),
        "by_month": _dicts(conn.execute(
            "SELECT coalesce(substr(published, 1, 7), 'undated') AS month, count(*) AS articles FROM articles"
            " GROUP BY month ORDER BY month"
        )),
        "comments_per_article": {"mean": round(per_article[0] or 0, 2), "max": per_article[1] or 0},
        "coverage": {
            name: round(value or 0, 3)
            for name, value in zip(("authors", "published", "comments", "external_comments"), coverage, strict=True)
        },
    }  # fmt: skip
