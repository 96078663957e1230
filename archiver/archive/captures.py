"""Looking up the raw captures the archive holds (the ``captures`` table, see ``schema.m007_captures``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from archiver.archive.store import CAPTURE_COLUMNS


def holds_captures(conn: sqlite3.Connection) -> bool:
    """Whether the archive holds any capture at all (a first crawl into it: none)."""
    return conn.execute("SELECT 1 FROM captures LIMIT 1").fetchone() is not None


def latest_capture(
    conn: sqlite3.Connection, url: str, digest: str | None = None, renderings: bool = False
) -> dict[str, Any] | None:
    """The latest ``response`` record held for ``url`` (with payload ``digest``, when given), as a row, or None.

    A page as a browser rendered it (``rendered``) is left out unless ``renderings``: it is not what the
    server sent, so a ``304`` or a payload fetched again never repeats it; a rendering may repeat one."""
    sql = f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures WHERE url = ? AND type = 'response'"
    if not renderings:
        sql += " AND rendered = 0"
    params = [url]
    if digest is not None:
        sql += " AND payload_digest = ?"
        params.append(digest)
    found = conn.execute(f"{sql} ORDER BY fetched_at DESC LIMIT 1", params).fetchone()
    return dict(zip(CAPTURE_COLUMNS, found, strict=True)) if found else None


def capture_rows(conn: sqlite3.Connection, record_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The captures of these record ids, by id (those the archive does not hold left out)."""
    found: dict[str, dict[str, Any]] = {}
    if not record_ids:
        return found
    columns = ", ".join(_held(conn))
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        sql = f"SELECT {columns} FROM captures WHERE record_id IN ({', '.join('?' * len(chunk))})"
        for row in conn.execute(sql, chunk):
            found[row[0]] = dict(zip(CAPTURE_COLUMNS, row, strict=True))
    return found


def _held(conn: sqlite3.Connection) -> list[str]:
    """``CAPTURE_COLUMNS`` as this archive holds them: one of an older schema, read without migrating
    it (``export``, ``show``), lacks ``rendered`` (m010), which reads as 0 there."""
    held = {row[1] for row in conn.execute("PRAGMA table_info(captures)")}
    return [name if name in held else f"0 AS {name}" for name in CAPTURE_COLUMNS]
