"""Streaming dataset export: JSON Lines or JSON article records, with what dataset users read beside them.

Beside ``<data>``: ``<data>.manifest.json`` (counts, filters, sha256), ``<data>.schema.json`` (the
record's JSON Schema), ``<data>.datapackage.json`` (a Frictionless Data Package) and
``<data>.README.md`` (a dataset card).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archiver import __version__
from archiver.archive.captures import capture_rows
from archiver.archive.record import (
    ARTICLE_FIELDS,
    COMMENT_FIELDS,
    REVISION_FIELDS,
    SCHEMA,
    SCHEMA_ID,
    capture_reference,
    schema_text,
    stable_id,
)
from archiver.archive.schema import SCHEMA_VERSION
from archiver.items import local_time


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
    datapackage: Path | None = None
    card: Path | None = None
    schema: Path | None = None


@dataclass
class _Summary:
    """What the dataset card says about the records written, gathered while they stream."""

    counts: dict[str, int] = field(default_factory=lambda: {"articles": 0, "comments": 0, "revisions": 0})
    deleted_comments: int = 0
    published: list[str] = field(default_factory=list)  # the earliest and latest publication dates
    seen: list[str] = field(default_factory=list)  # the earliest first_seen and the latest last_seen

    def add(self, record: dict[str, Any]) -> None:
        self.counts["articles"] += 1
        comments = record.get("comments") or []
        self.counts["comments"] += len(comments)
        self.deleted_comments += sum(1 for c in comments if c["deleted"])
        self.counts["revisions"] += len(record.get("revisions") or [])
        if record["published"]:
            day = record["published"][:10]
            self.published = (
                [min(self.published[0], day), max(self.published[1], day)] if self.published else [day, day]
            )
        if record["first_seen"] and record["last_seen"]:
            first, last = record["first_seen"], record["last_seen"]
            self.seen = [min(self.seen[0], first), max(self.seen[1], last)] if self.seen else [first, last]


def _present(value: Any) -> Any:
    """An archived value as the record gives it: '' (left by older versions) is absent, None."""
    return None if value == "" else value


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _local(marked: Any, value: str | None) -> bool | None:
    """The column's local-time mark, or the value's own when the column has none."""
    return bool(marked) if marked is not None and value else local_time(value)


def _json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty


def _article_record(row: dict[str, Any]) -> dict[str, Any]:
    values = {**row, "id": stable_id(row["canonical_url"]), "archive_id": row["id"]}
    record = {name: _present(values.get(name)) for name in ARTICLE_FIELDS}
    record["authors"] = [name for name in _json(row["authors"], []) if name]
    record["provenance"] = _json(row["provenance"], {})
    record["published_local"] = _local(row.get("published_local"), record["published"])
    record["modified_local"] = _local(row.get("modified_local"), record["modified"])
    record["comment_count"] = row["comment_count"] or 0
    return record


def _comment_record(row: dict[str, Any]) -> dict[str, Any]:
    record = {name: _present(row.get(name)) for name in COMMENT_FIELDS}
    record["published_local"] = _local(row.get("published_local"), record["published"])
    record["published_relative"] = _flag(row["published_relative"])
    record["deleted"] = bool(row.get("deleted"))
    record["kind"] = record["kind"] or "comment"
    return record


def _revision_record(row: dict[str, Any]) -> dict[str, Any]:
    record = {name: _present(row.get(name)) for name in REVISION_FIELDS}
    record["authors"] = [name for name in _json(row["authors"], []) if name]
    record["published_local"] = local_time(record["published"])
    record["modified_local"] = local_time(record["modified"])
    return record


def _records(conn: sqlite3.Connection, filters: ExportFilters, summary: _Summary) -> Iterator[dict[str, Any]]:
    where, params = filters.where()
    cursor = conn.execute(f"SELECT * FROM articles{where} ORDER BY id", params)
    names = [d[0] for d in cursor.description]
    captures = _Captures(conn)
    for row in cursor:  # one article at a time: memory stays flat however large the archive
        article = dict(zip(names, row, strict=True))
        record = _article_record(article)
        record["capture"] = captures.one(article.get("capture"))
        record["comment_captures"] = captures.many(article.get("comment_captures"))
        if filters.comments:
            rows = _rows(conn, "SELECT * FROM comments WHERE article_id = ? ORDER BY number", article["id"])
            record["comments"] = [_comment_record(c) for c in rows]
        if filters.revisions:
            rows = _rows(conn, "SELECT * FROM revisions WHERE article_id = ? ORDER BY id", article["id"])
            record["revisions"] = [_revision_record(r) for r in rows]
            for revision, stored in zip(record["revisions"], rows, strict=True):
                revision["capture"] = captures.one(stored.get("capture"))
        summary.add(record)
        yield record


class _Captures:
    """The captures an article names, as the record gives them (none in an archive from before captures)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.held = bool(
            conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'captures'").fetchone()
        )

    def one(self, record_id: str | None) -> dict[str, Any] | None:
        return self.many(json.dumps([record_id]))[0] if record_id else None

    def many(self, record_ids: str | None) -> list[Any]:
        """The references of a JSON list of record ids (a record the archive lacks: null)."""
        ids = json.loads(record_ids) if record_ids else []
        if not ids or not self.held:
            return [None] * len(ids)
        found = capture_rows(self.conn, ids)
        return [capture_reference(found.get(record_id)) for record_id in ids]


def _rows(conn: sqlite3.Connection, sql: str, article_id: int) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, [article_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


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
    """Write the dataset to ``path`` (via ``path.part``) and, beside it, its manifest
    (``path.manifest.json``), the record's JSON Schema, a Frictionless ``datapackage.json`` and a
    dataset card, each named after the data file.

    ``advance`` is called after each article written (for a progress display).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    summary = _Summary()
    records = _records(conn, filters, summary)
    with partial.open("w", encoding="utf-8") as out:
        _write(out, _advancing(records, advance) if advance else records, fmt)
    os.replace(partial, path)
    return _write_beside(conn, path, fmt, filters, summary)


def _write_beside(
    conn: sqlite3.Connection, path: Path, fmt: str, filters: ExportFilters, summary: _Summary
) -> ExportResult:
    """The files that describe the data file, named after it."""
    kinds = ("manifest.json", "schema.json", "datapackage.json", "README.md")
    beside = {kind: path.with_name(f"{path.name}.{kind}") for kind in kinds}
    facts = {
        "data_file": path.name,
        "format": fmt,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "counts": summary.counts,
        "filters": vars(filters),
        "record_schema": SCHEMA_ID,
        "schema_file": beside["schema.json"].name,
        "schema_version": SCHEMA_VERSION,
        "archiver_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    crawls = _crawls(conn)
    beside["schema.json"].write_text(schema_text(), encoding="utf-8")
    _write_json(beside["manifest.json"], {k: v for k, v in facts.items() if k != "bytes"})
    _write_json(beside["datapackage.json"], _datapackage(facts, summary, crawls))
    beside["README.md"].write_text(_card(facts, summary, crawls), encoding="utf-8")
    return ExportResult(
        path,
        beside["manifest.json"],
        summary.counts,
        datapackage=beside["datapackage.json"],
        card=beside["README.md"],
        schema=beside["schema.json"],
    )


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _crawls(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The crawls recorded in the archive, oldest first (none in an archive from before crawls were)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawls'").fetchone():
        return []
    cursor = conn.execute("SELECT id, started, finished, finish_reason FROM crawls ORDER BY started, id")
    return [dict(zip(("id", "started", "finished", "finish_reason"), row, strict=True)) for row in cursor]


_MEDIA_TYPES = {"jsonl": "application/jsonl", "json": "application/json"}


def _datapackage(facts: dict[str, Any], summary: _Summary, crawls: list[dict[str, Any]]) -> dict[str, Any]:
    """A Frictionless Data Package (profile data-package) with one resource: the data file."""
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(facts["data_file"]).stem.lower()).strip("-.") or "articles"
    return {
        "profile": "data-package",
        "name": name,
        "title": "Articles and reader comments archived with archiver",
        "description": (
            "One record per article, with its reader comments, as described by the JSON Schema "
            f"{facts['schema_file']} ({facts['record_schema']}). See {facts['data_file']}.README.md."
        ),
        "created": facts["created"],
        "resources": [
            {
                "profile": "data-resource",
                "name": "articles",
                "path": facts["data_file"],
                "format": facts["format"],
                "mediatype": _MEDIA_TYPES[facts["format"]],
                "encoding": "utf-8",
                "bytes": facts["bytes"],
                "hash": f"sha256:{facts['sha256']}",
                "schema": facts["schema_file"],
            }
        ],
        "archiver": {
            "version": facts["archiver_version"],
            "archive_schema_version": facts["schema_version"],
            "record_schema": facts["record_schema"],
            "counts": facts["counts"],
            "deleted_comments": summary.deleted_comments,
            "filters": facts["filters"],
            "published": _span(summary.published),
            "archived": _span(summary.seen),
            "crawls": crawls,
        },
    }


def _span(pair: list[str]) -> dict[str, str] | None:
    return {"from": pair[0], "to": pair[1]} if pair else None


#: Crawls listed one by one in a dataset card; datapackage.json lists them all.
_CARD_CRAWLS = 20


def _card(facts: dict[str, Any], summary: _Summary, crawls: list[dict[str, Any]]) -> str:
    """A dataset card (README.md, as Hugging Face and Zenodo read it) for the data file."""
    counts, data = summary.counts, facts["data_file"]
    shape = "one JSON object a line" if facts["format"] == "jsonl" else "one JSON array"
    deleted = f" ({summary.deleted_comments} marked deleted)" if counts["comments"] else ""
    lines = [
        "---",
        "license: unknown  # fill in: the licence under which this dataset may be shared",
        "pretty_name: Articles and reader comments archived with archiver",
        "configs:",
        "- config_name: default",
        f"  data_files: {data}",
        "---",
        "",
        f"# {data}",
        "",
        f"Articles and their reader comments, exported by archiver {facts['archiver_version']} on "
        f"{facts['created']}: one record per article, {shape}.",
        "",
        "## Licence",
        "",
        "Licence: _to be filled in by whoever publishes this dataset_. The articles and comments remain "
        "the work of their authors: say here under what terms they may be shared.",
        "",
        "## Contents",
        "",
        f"- articles: {counts['articles']}",
        f"- comments: {counts['comments']}{deleted}",
        f"- revisions (earlier versions of articles): {counts['revisions']}",
        f"- published: {_span_text(summary.published)} (dates as the pages give them)",
        f"- archived: {_span_text(summary.seen)} (first seen to last seen, UTC)",
        f"- filters: {_filters_text(facts['filters'])}",
        f"- data file: {data}, {facts['bytes']} bytes, sha256 {facts['sha256']}",
        f"- record schema: {facts['schema_file']} ({facts['record_schema']})",
        "",
        "## Crawls",
        "",
        f"The archive this was exported from records {len(crawls)} crawl(s); the articles come from them.",
        "",
    ]
    lines += [f"- {c['id']}: {c['started']} to {c['finished'] or '(unfinished)'}" for c in crawls[:_CARD_CRAWLS]]
    if len(crawls) > _CARD_CRAWLS:
        lines.append(f"- and {len(crawls) - _CARD_CRAWLS} more, listed in {data}.datapackage.json")
    lines += ["", "## Fields", "", "Every record has these keys; an absent value is null, never an empty string.", ""]
    lines += _field_lines(SCHEMA["properties"])
    lines += ["", "Each comment:", ""]
    lines += _field_lines(SCHEMA["$defs"]["comment"]["properties"])
    return "\n".join(lines) + "\n"


def _filters_text(filters: dict[str, Any]) -> str:
    chosen = [f"{name} {value}" for name, value in filters.items() if isinstance(value, str)]
    chosen.append("with comments" if filters["comments"] else "without comments")
    chosen.append("with revisions" if filters["revisions"] else "without revisions")
    return ", ".join(chosen)


def _span_text(pair: list[str]) -> str:
    return f"{pair[0]} to {pair[1]}" if pair else "none"


def _field_lines(properties: dict[str, Any]) -> list[str]:
    return [f"- `{name}`: {spec.get('description', '')}" for name, spec in properties.items()]


def export_stream(
    conn: sqlite3.Connection,
    out: IO[str],
    fmt: str,
    filters: ExportFilters,
    advance: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Write the dataset to an open stream (standard output); no manifest, as there is no file to describe."""
    summary = _Summary()
    records = _records(conn, filters, summary)
    _write(out, _advancing(records, advance) if advance else records, fmt)
    return summary.counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
