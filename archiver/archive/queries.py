"""Read queries shared by the CLI (and later Datasette's canned queries)."""

from __future__ import annotations

import sqlite3
from typing import Any

ARTICLE_SEARCH = """
SELECT a.id, a.canonical_url AS url, a.title, a.published,
       snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?
"""
COMMENT_SEARCH = """
SELECT c.article_id AS id, a.canonical_url AS url, a.title, c.number, c.author, c.published,
       snippet(comments_fts, 1, '[', ']', '…', 12) AS snippet
FROM comments_fts JOIN comments c ON c.rowid = comments_fts.rowid JOIN articles a ON a.id = c.article_id
WHERE comments_fts MATCH ? ORDER BY rank LIMIT ?
"""


def fts_query(terms: str) -> str:
    """User words as an FTS5 query of quoted terms (all must match), so that punctuation is text."""
    words = [w.replace('"', '""') for w in terms.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words)


def search(conn: sqlite3.Connection, terms: str, comments: bool = False, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked full-text matches with highlighted snippets, in articles or in comments."""
    query = fts_query(terms)
    if not query:
        return []
    cursor = conn.execute(COMMENT_SEARCH if comments else ARTICLE_SEARCH, [query, limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
