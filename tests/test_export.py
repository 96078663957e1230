"""`archiver export`: a streamed dataset with a manifest; never overwrites without --force."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from archiver.archive import Archive
from tests.conftest import run_archiver


def item(n: int, host: str, published: str, comments: int) -> dict[str, Any]:
    url = f"https://{host}/story/{n}"
    return {
        "url": url, "canonical_url": url, "title": f"Story {n}", "authors": ["Ana Lima"], "published": published,
        "body": f"Body of story {n}.", "provenance": {"title": "jsonld"},
        "comments": [{"number": c, "author": f"R{c}", "body": f"Comment {c}"} for c in range(1, comments + 1)],
    }  # fmt: skip


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save([item(1, "news.example.org", "2023-05-01", 2), item(2, "blog.other.net", "2024-02-10T08:00:00", 1),
                item(3, "www.example.org", "2024-06-30", 0)])  # fmt: skip
    store.save([item(1, "news.example.org", "2023-05-01", 2) | {"title": "Story 1, corrected"}])
    store.close()
    return db


def export(tmp_path: Path, archive: Path, *args: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    result = run_archiver("export", "--db", str(archive), "-o", "out/data.jsonl", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = tmp_path / "out" / "data.jsonl"
    manifest = json.loads((tmp_path / "out" / "data.jsonl.manifest.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    return [json.loads(line) for line in data.read_text().splitlines()], manifest


def test_everything_with_comments(tmp_path: Path, archive: Path) -> None:
    records, manifest = export(tmp_path, archive)
    assert [r["title"] for r in records] == ["Story 1, corrected", "Story 2", "Story 3"]
    assert [c["author"] for c in records[0]["comments"]] == ["R1", "R2"]
    assert records[0]["authors"] == ["Ana Lima"] and records[0]["provenance"] == {"title": "jsonld"}
    assert manifest["counts"] == {"articles": 3, "comments": 3, "revisions": 0}
    assert manifest["schema_version"] >= 2 and manifest["filters"]["comments"] is True


def test_filters_and_revisions(tmp_path: Path, archive: Path) -> None:
    records, manifest = export(
        tmp_path, archive, "--domain", "example.org", "--until", "2024-01-01", "--with-revisions"
    )
    assert [r["title"] for r in records] == ["Story 1, corrected"]
    assert [r["title"] for r in records[0]["revisions"]] == ["Story 1"]
    assert manifest["counts"]["revisions"] == 1
    records, _ = export(tmp_path, archive, "--since", "2024-01-01", "--no-comments", "--force")
    assert [r["title"] for r in records] == ["Story 2", "Story 3"] and "comments" not in records[0]


def test_json_format(tmp_path: Path, archive: Path) -> None:
    result = run_archiver("export", "--db", str(archive), "--format", "json", "-o", "d.json", cwd=tmp_path)
    assert result.returncode == 0
    assert len(json.loads((tmp_path / "d.json").read_text())) == 3


def test_refuses_to_overwrite(tmp_path: Path, archive: Path) -> None:
    (tmp_path / "keep.jsonl").write_text("precious\n")
    result = run_archiver("export", "--db", str(archive), "-o", "keep.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "use --force" in result.stderr.splitlines()[-1]
    assert (tmp_path / "keep.jsonl").read_text() == "precious\n"


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_dash_is_standard_output(tmp_path: Path, archive: Path, fmt: str) -> None:
    """-o - streams the data to stdout, writes no file (no manifest), and keeps stdout for data only."""
    result = run_archiver("export", "--db", str(archive), "-o", "-", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines] if fmt == "jsonl" else json.loads(result.stdout)
    assert [r["title"] for r in records] == ["Story 1, corrected", "Story 2", "Story 3"]
    assert records[0]["authors"] == ["Ana Lima"]
    assert result.stderr.splitlines()[-1] == "3 articles, 3 comments, 0 revisions -> standard output (no manifest)"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("archive.db")] == []


def test_dash_with_filters_and_non_ascii(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save([item(1, "news.example.org", "2024-05-01", 1) | {"title": "Grüße aus Köln"}])
    store.close()
    result = run_archiver(
        "export", "--db", str(db), "-o", "-", "--no-comments", cwd=tmp_path, env={"LC_ALL": "C", "LANG": "C"}
    )
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["title"] == "Grüße aus Köln" and "comments" not in record
