"""One record schema: a crawl's JSON Lines and `archiver export` of the same crawl give the same records,
valid under the packaged JSON Schema, with a dataset card and a Frictionless datapackage.json beside an export."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlite_utils import Database

from archiver.archive import Archive, open_read_only
from archiver.archive.export import ExportFilters, export
from archiver.archive.record import ARTICLE_FIELDS, COMMENT_FIELDS, SCHEMA, crawl_record, schema_text, stable_id
from archiver.archive.schema import migrations
from archiver.demo import SITE_DIR, SiteServer
from archiver.extract import extract_article
from archiver.items import local_time
from tests.conftest import crawl_local, run_archiver

SEED = "/health/trigger-point-therapy.html"
#: Values only an archive knows: null in a crawl's file.
ARCHIVE_ONLY = {"archive_id", "first_seen", "last_seen", "last_changed"}
VALIDATOR = Draft202012Validator(SCHEMA)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo site crawled once, then exported: both outputs, their folder and the site's URL."""
    workdir = tmp_path_factory.mktemp("demo")
    with SiteServer(SITE_DIR) as site:
        result = crawl_local(site.url, cwd=workdir)
        assert result.returncode == 0, result.stderr
        base = site.url.rstrip("/")
    result = run_archiver("export", "--db", "archive.db", "-o", "out/data.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr
    (crawl_file,) = (workdir / "exports").glob("articles-*.jsonl")
    yield {
        "workdir": workdir,
        "base": base,
        "crawl": read_lines(crawl_file),
        "export": read_lines(workdir / "out" / "data.jsonl"),
        "data": workdir / "out" / "data.jsonl",
    }


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def errors(records: list[dict[str, Any]]) -> list[str]:
    return [f"{r.get('url')}: {e.json_path}: {e.message}" for r in records for e in VALIDATOR.iter_errors(r)]


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def test_both_outputs_follow_the_schema(demo: dict[str, Any]) -> None:
    assert len(demo["crawl"]) == len(demo["export"]) == 13  # the demo site's articles, 4 under /live/
    assert errors(demo["crawl"]) == []
    assert errors(demo["export"]) == []


def test_the_schema_is_valid_and_lists_what_the_code_writes() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert set(SCHEMA["required"]) == set(ARTICLE_FIELDS)
    assert set(SCHEMA["$defs"]["comment"]["required"]) == set(COMMENT_FIELDS)


def test_same_keys_and_values_in_both_outputs(demo: dict[str, Any]) -> None:
    crawled, exported = by_id(demo["crawl"]), by_id(demo["export"])
    assert crawled.keys() == exported.keys()
    for article_id, record in crawled.items():
        other = exported[article_id]
        assert list(record) == list(other) == [*ARTICLE_FIELDS, "comments"]
        for crawl_comment, export_comment in zip(record["comments"], other["comments"], strict=True):
            assert list(crawl_comment) == list(export_comment) == list(COMMENT_FIELDS)
            assert {k: v for k, v in crawl_comment.items() if k not in ARCHIVE_ONLY} == {
                k: v for k, v in export_comment.items() if k not in ARCHIVE_ONLY
            }
            assert crawl_comment["first_seen"] is None and export_comment["first_seen"] is not None
        same = {k for k in ARTICLE_FIELDS if k not in ARCHIVE_ONLY}
        assert {k: record[k] for k in same} == {k: other[k] for k in same}
        assert all(record[k] is None for k in ARCHIVE_ONLY) and all(other[k] is not None for k in ARCHIVE_ONLY)


def empty_strings(value: Any, where: str = "") -> Iterator[str]:
    if value == "":
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from empty_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from empty_strings(item, f"{where}[{n}]")


def test_no_empty_strings_in_either_output(demo: dict[str, Any]) -> None:
    for name in ("crawl", "export"):
        assert [where for r in demo[name] for where in empty_strings(r, r["url"])] == [], name


def seed(records: list[dict[str, Any]], base: str) -> dict[str, Any]:
    return next(r for r in records if r["url"] == base + SEED)


@pytest.mark.parametrize("output", ["crawl", "export"])
def test_seed_commenters_link_and_empty_comment(demo: dict[str, Any], output: str) -> None:
    comments = seed(demo[output], demo["base"])["comments"]
    back_pain = comments[7]
    assert back_pain["author"] == "back pain" and back_pain["body"] is None
    assert back_pain["author_url"] == "http://example.com/back-pain-relief/"
    assert [c["author_url"] for c in comments if c["author"] != "back pain"] == [None] * 8


@pytest.mark.parametrize("output", ["crawl", "export"])
def test_times_without_a_zone_are_marked_local(demo: dict[str, Any], output: str) -> None:
    article = seed(demo[output], demo["base"])
    assert (article["published"], article["published_local"]) == ("2012-04-25", True)
    assert article["modified"] is None and article["modified_local"] is None
    first = article["comments"][0]  # "May 1, 2012 at 3:50 pm": no time zone on the page
    assert (first["published"], first["published_local"]) == ("2012-05-01T15:50:00", True)
    zoned = next(r for r in demo[output] if r["url"].endswith("/blog/2023/05/slow-cooking.html"))
    assert (zoned["published"], zoned["published_local"]) == ("2023-05-14T09:30:00+02:00", False)
    assert {c["published_local"] for c in zoned["comments"]} == {False}


def test_id_is_the_sha256_of_the_canonical_url(demo: dict[str, Any]) -> None:
    record = seed(demo["export"], demo["base"])
    assert record["canonical_url"] == demo["base"] + SEED
    assert record["id"] == hashlib.sha256(record["canonical_url"].encode("utf-8")).hexdigest()


def test_dataset_card_and_datapackage(demo: dict[str, Any]) -> None:
    data: Path = demo["data"]
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    package = json.loads(data.with_name("data.jsonl.datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "data-package"
    (resource,) = package["resources"]
    assert resource["path"] == "data.jsonl" and resource["format"] == "jsonl"
    assert resource["mediatype"] == "application/jsonl"
    assert resource["bytes"] == data.stat().st_size and resource["hash"] == f"sha256:{digest}"
    assert resource["schema"] == "data.jsonl.schema.json"
    assert data.with_name(resource["schema"]).read_text(encoding="utf-8") == schema_text()
    comments = sum(len(r["comments"]) for r in demo["export"])
    assert package["archiver"]["counts"] == {"articles": 13, "comments": comments, "revisions": 0}
    (crawl,) = package["archiver"]["crawls"]
    assert package["archiver"]["published"] == {"from": "2012-04-25", "to": "2024-07-05"}
    card = data.with_name("data.jsonl.README.md").read_text(encoding="utf-8")
    assert "- articles: 13\n" in card and f"- comments: {comments} (0 marked deleted)\n" in card
    assert f"sha256 {digest}" in card and f"- {crawl['id']}: " in card
    assert "- published: 2012-04-25 to 2024-07-05" in card
    assert "\nLicence: _to be filled in" in card and "license: unknown" in card
    assert "- `author_url`: " in card and "- `published_local`: " in card
    manifest = json.loads(data.with_name("data.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert manifest["record_schema"] == SCHEMA["$id"] and manifest["schema_file"] == "data.jsonl.schema.json"
    assert manifest["sha256"] == digest


def article(url: str, **values: Any) -> dict[str, Any]:
    return {"url": url, "title": f"Title of {url}", "body": f"Body of {url}.", "comments_status": "present"} | values


def export_records(db: Path, out: Path) -> list[dict[str, Any]]:
    conn = open_read_only(db)
    try:
        export(conn, out, "jsonl", ExportFilters())
    finally:
        conn.close()
    return read_lines(out)


def test_stable_id_is_the_same_in_two_archives(tmp_path: Path) -> None:
    url = "https://news.example.org/story/7?utm_source=feed#comments"
    first, second = Archive(tmp_path / "a.db"), Archive(tmp_path / "b.db")
    first.save([article(url)])
    second.save([article("https://other.example.net/a"), article("https://other.example.net/b"), article(url)])
    first.close()
    second.close()
    (one,) = export_records(tmp_path / "a.db", tmp_path / "a.jsonl")
    two = next(r for r in export_records(tmp_path / "b.db", tmp_path / "b.jsonl") if "news" in r["url"])
    assert (one["archive_id"], two["archive_id"]) == (1, 3)
    assert one["id"] == two["id"] == stable_id("https://news.example.org/story/7")
    assert crawl_record(article(url))["id"] == one["id"]  # and as a crawl's file gives it


def test_export_of_old_rows_gives_null_for_empty_strings_and_marks_local_times(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = Database(db)
    migrations.apply(old, stop_before="m005_local_times")  # an archive as archiver wrote it before
    old["articles"].insert(
        {"id": 1, "canonical_url": "https://example.org/a", "url": "https://example.org/a", "title": "A",
         "authors": "[]", "byline_raw": "", "published": "2020-05-01T10:00:00", "modified": "2020-05-02T10:00:00Z",
         "body": "Text.", "language": "", "comment_count": 1, "provenance": "{}"}
    )  # fmt: skip
    old["comments"].insert(
        {"article_id": 1, "number": 1, "number_source": "page", "author": "back pain", "body": "", "kind": "comment",
         "published": "2020-05-03T08:00:00-04:00", "published_raw": "", "anchor": ""}
    )  # fmt: skip
    old.close()
    before = export_records(db, tmp_path / "before.jsonl")  # export opens it read-only: not migrated yet
    Archive(db).close()  # opening it to write migrates it
    marks = sqlite3.connect(db).execute("SELECT published_local, modified_local FROM articles").fetchone()
    assert marks == (1, 0)
    after = export_records(db, tmp_path / "after.jsonl")
    for record in (*before, *after):
        assert errors([record]) == []
        assert record["byline_raw"] is None and record["language"] is None
        assert (record["published_local"], record["modified_local"]) == (True, False)
        (comment,) = record["comments"]
        assert comment["body"] is None and comment["published_raw"] is None and comment["anchor"] is None
        assert comment["published_local"] is False and comment["deleted"] is False
    assert [r["archive_id"] for r in (*before, *after)] == [1, 1]


PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p class="byline">By Kim Ode, <time datetime="{published}">June 2024</time></p>
<p>{text}</p></article>
<ol class="comment-list">
<li class="comment" id="comment-1"><div class="comment-author"><cite class="fn">
<a href="/people/ann" class="url">Ann Lee</a></cite> says:</div>
<div class="comment-meta"><a href="#comment-1">{comment_time}</a></div>
<div class="comment-content"><p>A first thought on this.</p></div>
<div class="reply"><a class="comment-reply-link" href="?replytocom=1#respond">Reply</a></div></li>
<li class="comment" id="comment-2"><div class="comment-author"><cite class="fn">Bo Berg</cite> says:</div>
<div class="comment-meta"><a href="https://blog.example.org/post#comment-2">{comment_time}</a></div>
<div class="comment-content"><p>No link of my own.</p></div>
<div class="reply"><a class="comment-reply-link" href="?replytocom=2#respond">Reply</a></div></li>
</ol></body></html>"""


@pytest.mark.parametrize(
    ("published", "comment_time", "local"),
    [
        ("2024-06-01T10:00:00", "June 2, 2024 at 9:15 am", True),  # no time zone anywhere
        ("2024-06-01T10:00:00+02:00", "June 2, 2024 at 9:15 am CEST", False),
    ],
)
def test_page_without_time_zone_gives_local_times(published: str, comment_time: str, local: bool) -> None:
    html = PAGE.format(title="River report", published=published, comment_time=comment_time, text="Words. " * 80)
    found = extract_article(html, "https://blog.example.org/post", fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert (found.published, found.published_local) == (published, local)
    assert [c.published_local for c in found.comments] == [local, local]
    assert [local_time(c.published) for c in found.comments] == [local, local]


def test_commenter_link_is_absolute_and_never_a_permalink_or_reply_link() -> None:
    html = PAGE.format(title="River report", published="2024-06-01", comment_time="June 2, 2024", text="Words. " * 80)
    found = extract_article(html, "https://blog.example.org/post", fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert [(c.author, c.author_url) for c in found.comments] == [
        ("Ann Lee", "https://blog.example.org/people/ann"),
        ("Bo Berg", None),
    ]
