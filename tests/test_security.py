"""Security: no credentials stored, files written only where the user chose, nothing from a page in a path."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from archiver.archive import Archive
from archiver.crawl.spiders.articles import ArticlesSpider
from tests.conftest import crawl_local, rows, run_archiver
from tests.hostile_site import CREDENTIALS, SECRET, HostileSite

HOSTILE_TITLE = "../../../../tmp/archiver-escape/..\\..\\x:|<>*?\0name"


def everything_stored(workdir: Path) -> str:
    """The whole archive as SQL text, every file under exports/ and every WARC file (decompressed)."""
    conn = sqlite3.connect(workdir / "a.db")
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    warcs = [gzip.decompress(p.read_bytes()).decode("latin-1") for p in (workdir / "a.db.warc").glob("*.warc.gz")]
    assert warcs, "the crawl kept no raw captures"
    return (
        dump
        + "".join(p.read_text(encoding="utf-8") for p in (workdir / "exports").rglob("*") if p.is_file())
        + ("".join(warcs))
    )


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_credentials_never_stored(tmp_path: Path) -> None:
    headers = json.dumps({"Authorization": f"Bearer {SECRET}", "Cookie": f"session={SECRET}"})
    with HostileSite() as site:
        result = crawl_local(
            site.url + "control/5.html",
            "--depth",
            "0",
            "-s",
            f"DEFAULT_REQUEST_HEADERS={headers}",
            db="a.db",
            cwd=tmp_path,
        )
        requested = list(site.requested)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "credentials sent for /control/5.html" in requested  # the server did get them
    stored = everything_stored(tmp_path)
    assert "Control article 5" in stored and SECRET not in stored


def test_credentials_in_a_url_never_stored(tmp_path: Path) -> None:
    with HostileSite() as site:
        start = site.url.replace("://", f"://{CREDENTIALS}@") + "control/5.html"
        result = crawl_local(start, "--depth", "0", db="a.db", cwd=tmp_path)
    assert result.returncode == 1  # Scrapy cannot fetch a URL with user:password@ in it
    (fetch,) = rows(tmp_path / "a.db", "SELECT url, error FROM fetches WHERE url LIKE '%/control/5.html'")
    assert fetch["url"] == site.url + "control/5.html" and fetch["error"].startswith("ValueError: invalid hostname")
    (crawl,) = rows(tmp_path / "a.db", "SELECT arguments FROM crawls")
    assert json.loads(crawl["arguments"])["start_urls"] == [site.url + "control/5.html"]
    assert SECRET not in everything_stored(tmp_path)


def test_cookies_not_sent_back(tmp_path: Path) -> None:
    with HostileSite() as site:
        result = crawl_local(site.url + "control/1.html", db="a.db", cwd=tmp_path)
        requested = list(site.requested)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/control/1.html" in requested and not [p for p in requested if p.startswith("credentials")]
    assert SECRET not in everything_stored(tmp_path)  # the Set-Cookie the page sent


def test_crawl_writes_only_in_chosen_folders(tmp_path: Path) -> None:
    with HostileSite() as site:
        result = crawl_local(site.url + "injection.html", "--exports", "out", db="data/a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    files = files_under(tmp_path)
    (export,) = [f for f in files if f.startswith("out/")]
    (log,) = [f for f in files if f.startswith("logs/")]
    assert export.startswith("out/articles-") and log.startswith("logs/crawl-")
    (warc,) = [f for f in files if f.startswith("data/a.db.warc/")]
    assert files - {export, log, warc} <= {"data/a.db", "data/a.db-wal", "data/a.db-shm"}


@pytest.fixture
def hostile_archive(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    archive = Archive(db)
    archive.save(
        [{"url": "http://127.0.0.1/../../etc/passwd", "canonical_url": "http://127.0.0.1/%2e%2e/x",
          "title": HOSTILE_TITLE, "body": "x", "comments": [{"number": 1, "author": "../..", "body": "/etc/passwd"}]}]
    )  # fmt: skip
    archive.close()
    return db


#: What an export writes beside its data file, each named after it.
BESIDE = (".manifest.json", ".README.md", ".datapackage.json", ".schema.json")


def test_export_default_path_ignores_page_content(tmp_path: Path, hostile_archive: Path) -> None:
    result = run_archiver("export", "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    exported = files_under(tmp_path) - {"a.db", "a.db-wal", "a.db-shm"}
    (data,) = [f for f in exported if f.endswith(".jsonl")]
    assert exported == {data, *(data + suffix for suffix in BESIDE)} and data.startswith("exports/archive-")
    assert json.loads((tmp_path / data).read_text(encoding="utf-8").splitlines()[0])["title"] == HOSTILE_TITLE
    assert not Path("/tmp/archiver-escape").exists()


def test_export_writes_only_the_chosen_file(tmp_path: Path, hostile_archive: Path) -> None:
    result = run_archiver("export", "--db", "a.db", "-o", "chosen/data.json", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = {"data.json", *("data.json" + suffix for suffix in BESIDE)}
    assert files_under(tmp_path / "chosen") == written
    assert files_under(tmp_path) - {"a.db", "a.db-wal", "a.db-shm"} == {f"chosen/{name}" for name in written}


@pytest.mark.parametrize("crawl_id", ["../x", "a/b", "..", "/tmp/x", ".hidden", "a b"])
def test_crawl_id_cannot_name_a_path(crawl_id: str) -> None:
    with pytest.raises(ValueError, match="crawl_id"):
        ArticlesSpider(url="http://127.0.0.1/", crawl_id=crawl_id)
