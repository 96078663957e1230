"""Streaming dataset export: JSON Lines or JSON, with a manifest beside the data file."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archiver import __version__
from archiver.archive.schema import SCHEMA_VERSION

_JSON_COLUMNS = ("authors", "provenance")
_HIDDEN = ("body_hash", "content_hash")


@dataclass
class ExportFilters:
    """Which articles go into a dataset."""

    since: str | None = None  # published on or after (YYYY-MM-DD)
    until: str | None = None  # published on or before (YYYY-MM-DD)
    domain: str | None = None  # the host or any subdomain of it
    comments: bool = True
    revisions: bool = False

    def where(self, table: str = "articles") -> tuple[str, list[str]]:
        """SQL conditions (" WHERE ...", or "") and parameters on the articles table (or its alias)."""
        clauses, params = [], []
        if self.since:
            clauses.append(f"substr({table}.published, 1, 10) >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"substr({table}.published, 1, 10) <= ?")
            params.append(self.until)
        if self.domain:
            host = self.domain.lower().removeprefix("www.")
            clauses.append("(" + " OR ".join([f"{table}.canonical_url LIKE ?"] * 4) + ")")
            params += [f"%://{host}/%", f"%://{host}:%", f"%.{host}/%", f"%.{host}:%"]  # any port, subdomains
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class ExportResult:
    """What was written."""

    path: Path
    manifest: Path
    counts: dict[str, int] = field(default_factory=dict)


def _records(conn: sqlite3.Connection, filters: ExportFilters, counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    where, params = filters.where()
    cursor = conn.execute(f"SELECT * FROM articles{where} ORDER BY id", params)
    names = [d[0] for d in cursor.description]
    for row in cursor:  # one article at a time: memory stays flat however large the archive
        record = {n: v for n, v in zip(names, row, strict=True) if n not in _HIDDEN}
        for name in _JSON_COLUMNS:
            record[name] = json.loads(record[name]) if record.get(name) else None
        counts["articles"] += 1
        if filters.comments:
            record["comments"] = _rows(
                conn, "SELECT * FROM comments WHERE article_id = ? ORDER BY number", record["id"]
            )
            counts["comments"] += len(record["comments"])
        if filters.revisions:
            record["revisions"] = _rows(conn, "SELECT * FROM revisions WHERE article_id = ? ORDER BY id", record["id"])
            counts["revisions"] += len(record["revisions"])
        yield record


def _rows(conn: sqlite3.Connection, sql: str, article_id: int) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, [article_id])
    names = [d[0] for d in cursor.description]
    return [{n: v for n, v in zip(names, row, strict=True) if n not in _HIDDEN} for row in cursor]


def _write(out: IO[str], records: Iterator[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    out.write("[")
    for n, record in enumerate(records):
        out.write(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")


def count_articles(conn: sqlite3.Connection, filters: ExportFilters) -> int:
    """How many articles a dataset with these filters holds."""
    where, params = filters.where()
    return int(conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])


def _advancing(records: Iterator[dict[str, Any]], advance: Callable[[], None]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield record
        advance()


def export(
    conn: sqlite3.Connection,
    path: Path,
    fmt: str,
    filters: ExportFilters,
    advance: Callable[[], None] | None = None,
) -> ExportResult:
    """Write the dataset to ``path`` (via ``path.part``) and its manifest to ``path.manifest.json``.

    ``advance`` is called after each article written (for a progress display).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    counts = {"articles": 0, "comments": 0, "revisions": 0}
    records = _records(conn, filters, counts)
    with partial.open("w", encoding="utf-8") as out:
        _write(out, _advancing(records, advance) if advance else records, fmt)
    os.replace(partial, path)
    manifest = path.with_name(path.name + ".manifest.json")
    manifest.write_text(
        json.dumps(
            {
                "data_file": path.name,
                "format": fmt,
                "sha256": _sha256(path),
                "counts": counts,
                "filters": vars(filters),
                "schema_version": SCHEMA_VERSION,
                "archiver_version": __version__,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return ExportResult(path, manifest, counts)


def export_stream(
    conn: sqlite3.Connection,
    out: IO[str],
    fmt: str,
    filters: ExportFilters,
    advance: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Write the dataset to an open stream (standard output); no manifest, as there is no file to describe."""
    counts = {"articles": 0, "comments": 0, "revisions": 0}
    records = _records(conn, filters, counts)
    _write(out, _advancing(records, advance) if advance else records, fmt)
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
