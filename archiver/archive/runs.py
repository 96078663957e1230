"""Run reports as the `crawls` table keeps them: what each crawl did, from its stats, and the list of past runs."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

#: Report fields and the stats they come from.
_COUNTS = {
    "pages": "response_received_count",
    "new_articles": "archiver/archive/articles_inserted",
    "changed_articles": "archiver/archive/articles_changed",
    "unchanged_articles": "archiver/archive/articles_unchanged",
    "new_comments": "archiver/archive/comments_inserted",
    "edited_comments": "archiver/archive/comments_changed",
    "deleted_comments": "archiver/archive/comments_deleted",
    "not_modified": "archiver/conditional/not_modified",
    "skipped_not_due": "archiver/recrawl/skip/not_due",
}
_ERRORS = ("archiver/fetch_errors/", "archiver/extract/")


def run_report(stats: dict[str, Any]) -> dict[str, Any]:
    """The end-of-run report of one crawl: counts, errors by kind, duration in seconds."""
    report: dict[str, Any] = {name: int(stats.get(key, 0) or 0) for name, key in _COUNTS.items()}
    errors: dict[str, int] = {}
    for key, value in stats.items():
        for prefix in _ERRORS:
            if key.startswith(prefix) and isinstance(value, int):
                errors[key.removeprefix("archiver/").replace("/", ":", 1)] = value
    report["errors"] = dict(sorted(errors.items()))
    report["duration_s"] = round(float(stats.get("elapsed_time_seconds", 0) or 0), 1)
    return report


def add_reports(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The reports of a run's crawls summed into one."""
    total: dict[str, Any] = {name: 0 for name in _COUNTS}
    errors: dict[str, int] = {}
    for report in reports:
        for name in _COUNTS:
            total[name] += int(report.get(name, 0) or 0)
        for kind, value in (report.get("errors") or {}).items():
            errors[kind] = errors.get(kind, 0) + int(value)
    total["errors"] = dict(sorted(errors.items()))
    total["duration_s"] = max((float(r.get("duration_s", 0) or 0) for r in reports), default=0.0)
    return total


def list_runs(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The latest runs, newest first: a scheduled run's crawls grouped, each other crawl on its own."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(crawls)")}
    run = "COALESCE(run_id, id)" if "run_id" in columns else "id"
    source = "source" if "source" in columns else "NULL"
    report = "report" if "report" in columns else "NULL"
    runs = conn.execute(
        f"SELECT {run} AS run, min(started) AS started FROM crawls GROUP BY run ORDER BY started DESC LIMIT ?",
        [limit],
    ).fetchall()
    result = []
    for run_id, started in runs:
        crawls = conn.execute(
            f"SELECT id, {source}, finished, finish_reason, {report}, stats FROM crawls WHERE {run} = ? ORDER BY id",
            [run_id],
        ).fetchall()
        parts = []
        for crawl_id, source_name, finished, reason, report_json, stats_json in crawls:
            # the report as stored, with what a report stored before it had (edited, deleted comments) from the stats
            stored = run_report(json.loads(stats_json) if stats_json else {})
            stored |= json.loads(report_json) if report_json else {}
            parts.append({"crawl": crawl_id, "source": source_name, "finished": finished, "reason": reason, **stored})
        finished_all = [p["finished"] for p in parts]
        result.append(
            {
                "run": run_id,
                "started": started,
                "finished": max(finished_all) if all(finished_all) else None,
                "reasons": sorted({str(p["reason"]) for p in parts}),
                "total": add_reports(parts),
                "crawls": parts,
            }
        )
    return result
