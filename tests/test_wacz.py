"""`archiver export --format wacz`: the selected articles' raw captures as a WACZ file (WACZ 1.1.1) that
replay tools open, checked with warcio, cdxj-indexer and py-wacz on real crawls of local sites."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.archive.record import stable_id
from archiver.demo import SITE_DIR, SiteServer
from tests.conftest import FIXTURES, crawl_local, require, rows, run_archiver, save

Crawled = tuple[Path, SiteServer]


def crawl(workdir: Path, site: SiteServer, db: str = "archive.db") -> None:
    result = crawl_local(site.url, "--depth", "5", db=db, cwd=workdir)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """One crawl of the demo site with WARC capture on (the default); the site stays up for the module."""
    workdir = tmp_path_factory.mktemp("wacz")
    with SiteServer(SITE_DIR) as site:
        crawl(workdir, site)
        yield workdir, site


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """Two crawls of the unchanged demo site: the second writes revisits (304s) only."""
    workdir = tmp_path_factory.mktemp("wacz-revisits")
    with SiteServer(SITE_DIR) as site:
        crawl(workdir, site)
        crawl(workdir, site)
        yield workdir, site


def export_wacz(workdir: Path, *args: str, name: str = "out.wacz", db: str = "archive.db") -> tuple[Path, str]:
    """Run `archiver export --format wacz`; the WACZ file and the summary line."""
    result = run_archiver("export", "--db", db, "--format", "wacz", "-o", name, *args, cwd=workdir)
    assert result.returncode == 0, result.stderr
    return workdir / name, result.stdout.strip()


def pages(wacz: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the pages of pages/pages.jsonl."""
    with zipfile.ZipFile(wacz) as archive:
        lines = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
    return lines[0], lines[1:]


def index(wacz: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """The lines of indexes/index.cdxj as (SURT key, timestamp, fields)."""
    with zipfile.ZipFile(wacz) as archive:
        text = archive.read("indexes/index.cdxj").decode()
    found = []
    for line in text.splitlines():
        key, timestamp, fields = line.split(" ", 2)
        found.append((key, timestamp, json.loads(fields)))
    return found


def record_in(wacz: Path, entry: dict[str, Any]) -> tuple[Any, bytes]:
    """The record an index line points to: ``length`` bytes at ``offset`` of the WACZ's WARC, one gzip member."""
    with zipfile.ZipFile(wacz) as archive, archive.open(f"archive/{entry['filename']}") as warc:
        warc.seek(int(entry["offset"]))
        member = warc.read(int(entry["length"]))
    assert gzip.decompress(member)  # a whole gzip member, no more and no less
    record = next(iter(ArchiveIterator(BytesIO(member), check_digests=True)))
    return record, record.content_stream().read()


def served(url: str) -> bytes:
    """The bytes the local server serves for ``url`` now."""
    with urllib.request.urlopen(url, timeout=30) as answer:  # 127.0.0.1 only
        return bytes(answer.read())


def timestamp(iso: str) -> str:
    """A WARC date as a CDXJ 14-digit timestamp."""
    return "".join(ch for ch in iso if ch.isdigit())[:14]


def test_round_trip_returns_each_article_html_byte_for_byte(demo: Crawled) -> None:
    workdir, _ = demo
    wacz, summary = export_wacz(workdir)
    header, listed = pages(wacz)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles archived with archiver"}
    assert listed and summary.startswith(f"{len(listed)} articles, ")
    lines = index(wacz)
    for page in listed:
        (entry,) = [e for _, ts, e in lines if e["url"] == page["url"] and ts == timestamp(page["ts"])]
        record, payload = record_in(wacz, entry)
        assert record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == page["url"]
        assert payload == served(page["url"])
        assert record.digest_checker.passed is not False


def test_every_index_line_resolves_and_the_index_is_cdxj_indexers(demo: Crawled, tmp_path: Path) -> None:
    workdir, _ = demo
    wacz, _ = export_wacz(workdir, name="index.wacz")
    lines = index(wacz)
    assert lines and [(k, ts) for k, ts, _ in lines] == sorted((k, ts) for k, ts, _ in lines)
    for _, ts, entry in lines:
        record, _ = record_in(wacz, entry)
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert timestamp(record.rec_headers.get_header("WARC-Date")) == ts
        assert record.rec_type == ("revisit" if entry["mime"] == "warc/revisit" else "response")
    # the index is the one cdxj-indexer writes for the same WARC, line for line
    with zipfile.ZipFile(wacz) as archive:
        archive.extractall(tmp_path)
    reference = subprocess.run(
        [sys.executable, "-m", "cdxj_indexer.main", "--sort", "data.warc.gz"],
        cwd=tmp_path / "archive", capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert (tmp_path / "indexes" / "index.cdxj").read_text() == reference
    # the whole WARC reads with warcio, digests checked: a warcinfo, then each response with its request
    with (tmp_path / "archive" / "data.warc.gz").open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Concurrent-To")) for r in ArchiveIterator(stream)]
    assert records[0][0] == "warcinfo"
    kinds = [kind for kind, _ in records[1:]]
    assert kinds == ["response", "request"] * (len(kinds) // 2) and len(kinds) == 2 * len(lines)


def test_datapackage_lists_every_file_with_its_hash(demo: Crawled) -> None:
    workdir, _ = demo
    wacz, _ = export_wacz(workdir, name="package.wacz")
    with zipfile.ZipFile(wacz) as archive:
        package_bytes = archive.read("datapackage.json")
        package = json.loads(package_bytes)
        digest = json.loads(archive.read("datapackage-digest.json"))
        names = set(archive.namelist())
        assert archive.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        contents = {name: archive.read(name) for name in names}
    assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
    assert package["software"].startswith("archiver ") and package["created"].endswith("Z") and package["title"]
    assert names == {"datapackage.json", "datapackage-digest.json"} | {r["path"] for r in package["resources"]}
    assert {r["path"] for r in package["resources"]} == {
        "archive/data.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl"
    }  # fmt: skip
    for resource in package["resources"]:
        data = contents[resource["path"]]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
    assert digest == {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}


def test_py_wacz_validates_it(demo: Crawled) -> None:
    workdir, _ = demo
    wacz, _ = export_wacz(workdir, name="valid.wacz")
    tool = shutil.which("wacz", path=str(Path(sys.executable).parent))
    require(tool is not None, "py-wacz (the dev extra)")
    assert tool is not None
    done = subprocess.run([tool, "validate", "-f", str(wacz)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "the passed WACZ is valid" in done.stdout, done.stdout + done.stderr


def test_pages_list_exactly_the_articles_the_filters_select(demo: Crawled) -> None:
    workdir, _ = demo
    db = workdir / "archive.db"
    everything = {r["canonical_url"]: r["title"] for r in rows(db, "SELECT canonical_url, title FROM articles")}
    _, listed = pages(export_wacz(workdir, name="all.wacz")[0])
    assert {p["id"]: p["title"] for p in listed} == {stable_id(url): title for url, title in everything.items()}
    since = "2022-01-01"
    chosen = rows(db, "SELECT a.canonical_url, c.url FROM articles a JOIN captures c ON c.record_id = a.capture "
                      "WHERE substr(a.published, 1, 10) >= ?", (since,))  # fmt: skip
    assert 0 < len(chosen) < len(everything)
    wacz, summary = export_wacz(workdir, "--since", since, name="since.wacz")
    _, listed = pages(wacz)
    assert {p["id"] for p in listed} == {stable_id(r["canonical_url"]) for r in chosen}
    assert {e["url"] for _, _, e in index(wacz)} == {r["url"] for r in chosen}  # only their captures
    assert summary.startswith(f"{len(chosen)} articles, ")
    wacz, summary = export_wacz(workdir, "--domain", "nowhere.example", name="none.wacz")
    assert pages(wacz)[1] == [] and index(wacz) == [] and summary.startswith("0 articles, 0 records")


def test_a_second_crawl_still_replays_its_revisits(recrawled: Crawled) -> None:
    workdir, _ = recrawled
    wacz, _ = export_wacz(workdir)
    lines = index(wacz)
    revisits = [e for _, _, e in lines if e["mime"] == "warc/revisit"]
    responses = {}
    for _, _, entry in lines:
        record, payload = record_in(wacz, entry)
        if record.rec_type == "response":
            responses[record.rec_headers.get_header("WARC-Record-ID")] = (entry["url"], payload)
    _, listed = pages(wacz)
    assert len(revisits) == len(listed) == len(responses)  # each article: its response and the second crawl's 304
    for entry in revisits:
        record, _ = record_in(wacz, entry)
        url, payload = responses[record.rec_headers.get_header("WARC-Refers-To")]  # the original is in the WACZ
        assert url == entry["url"] and payload == served(url)


def test_comment_pages_come_with_their_article_unless_no_comments(tmp_path: Path) -> None:
    with SiteServer(FIXTURES / "sites" / "paginated") as site:
        crawl(tmp_path, site)
    db = tmp_path / "archive.db"
    (article,) = rows(db, "SELECT * FROM articles")
    named = "SELECT value FROM articles, json_each(articles.comment_captures)"
    comment_urls = {r["url"] for r in rows(db, f"SELECT url FROM captures WHERE record_id IN ({named})")}
    assert comment_urls and article["url"] not in comment_urls
    with_comments = {e["url"] for _, _, e in index(export_wacz(tmp_path, name="with.wacz")[0])}
    assert with_comments == comment_urls | {article["url"]}
    without = {e["url"] for _, _, e in index(export_wacz(tmp_path, "--no-comments", name="without.wacz")[0])}
    assert without == {article["url"]}


def test_an_article_without_a_capture_is_counted_and_left_out(demo: Crawled, tmp_path: Path) -> None:
    workdir, _ = demo
    shutil.copytree(workdir / "archive.db.warc", tmp_path / "archive.db.warc")
    shutil.copy(workdir / "archive.db", tmp_path / "archive.db")
    captured = len(rows(tmp_path / "archive.db", "SELECT id FROM articles"))
    old = "https://example.org/old"
    save(tmp_path / "archive.db", {"url": old, "canonical_url": old, "title": "Before capture", "body": "Old. " * 40})
    wacz, summary = export_wacz(tmp_path)
    assert summary.startswith(f"{captured} articles (1 without a capture, left out), ")
    assert stable_id(old) not in {p["id"] for p in pages(wacz)[1]}
    assert len(pages(wacz)[1]) == captured


@pytest.mark.parametrize("damage", ["missing", "cut short"])
def test_a_missing_or_cut_warc_file_is_one_line_and_leaves_no_file(demo: Crawled, tmp_path: Path, damage: str) -> None:
    workdir, _ = demo
    shutil.copy(workdir / "archive.db", tmp_path / "archive.db")
    (name,) = {r["warc_file"] for r in rows(tmp_path / "archive.db", "SELECT warc_file FROM captures")}
    if damage == "cut short":
        (tmp_path / name).parent.mkdir()
        data = (workdir / name).read_bytes()
        (tmp_path / name).write_bytes(data[: len(data) // 2])
    result = run_archiver("export", "--format", "wacz", "-o", "out.wacz", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and name in result.stderr and "Traceback" not in result.stderr
    left = {p.name for p in tmp_path.iterdir()} - {"archive.db-wal", "archive.db-shm", "archive.db.warc"}
    assert left == {"archive.db"}  # no .wacz, .wacz.part or scratch folder


def test_standard_output_is_refused_for_wacz(demo: Crawled) -> None:
    workdir, _ = demo
    result = run_archiver("export", "--format", "wacz", "-o", "-", cwd=workdir)
    assert result.returncode == 2 and result.stdout == ""
    assert "needs a file" in result.stderr and "Traceback" not in result.stderr


def write_deduplicated_warcs(folder: Path) -> tuple[Path, Path]:
    """As other tools write them: a .warc.gz where a page of one URL is a revisit of a response of another
    URL (deduplicated by payload digest), and an uncompressed .warc (records that are no gzip members)."""
    folder.mkdir(parents=True, exist_ok=True)
    html = [("Content-Type", "text/html; charset=utf-8")]
    first, second = folder / "dedup.warc.gz", folder / "plain.warc"
    with first.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        body = (SITE_DIR / "news/2024/03/bridge-reopens.html").read_bytes()
        response = writer.create_warc_record(
            "https://news.example.org/bridge.html", "response", payload=BytesIO(body),
            http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"),
        )  # fmt: skip
        writer.write_record(response)
        revisit = writer.create_revisit_record(
            "https://mirror.example.net/bridge.html", response.rec_headers.get_header("WARC-Payload-Digest"),
            "https://news.example.org/bridge.html", response.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"),
        )  # fmt: skip
        revisit.rec_headers.add_header("WARC-Refers-To", response.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(revisit)
    with second.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        body = (SITE_DIR / "blog/2023/05/slow-cooking.html").read_bytes()
        writer.write_record(writer.create_warc_record(
            "https://blog.example.com/slow-cooking.html", "response", payload=BytesIO(body),
            http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"),
        ))  # fmt: skip
    return first, second


# warcio's record builder leaves a spooled temporary file of each record's digests unclosed
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_imported_revisits_bring_their_original_and_plain_warc_records_become_gzip_members(tmp_path: Path) -> None:
    files = write_deduplicated_warcs(tmp_path / "warcs")
    done = run_archiver("import", *map(str, files), "--url-filter", "mirror|blog", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    named = "SELECT c.url, c.type FROM articles AS a JOIN captures AS c ON c.record_id = a.capture"
    kinds = {r["url"]: r["type"] for r in rows(tmp_path / "archive.db", named)}
    assert kinds == {"https://mirror.example.net/bridge.html": "revisit",
                     "https://blog.example.com/slow-cooking.html": "response"}  # fmt: skip
    wacz, _ = export_wacz(tmp_path)
    assert {p["url"] for p in pages(wacz)[1]} == set(kinds)
    entries = {e["url"]: e for _, _, e in index(wacz)}
    assert set(entries) == set(kinds) | {"https://news.example.org/bridge.html"}  # the revisit's original too
    revisit, _ = record_in(wacz, entries["https://mirror.example.net/bridge.html"])
    original, payload = record_in(wacz, entries["https://news.example.org/bridge.html"])
    assert revisit.rec_headers.get_header("WARC-Refers-To") == original.rec_headers.get_header("WARC-Record-ID")
    assert payload == (SITE_DIR / "news/2024/03/bridge-reopens.html").read_bytes()
    _, payload = record_in(wacz, entries["https://blog.example.com/slow-cooking.html"])  # was no gzip member
    assert payload == (SITE_DIR / "blog/2023/05/slow-cooking.html").read_bytes()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_with_revisions_adds_the_captures_of_earlier_versions_fetched_elsewhere(tmp_path: Path) -> None:
    """An article read first at one URL, then changed at another (the same canonical URL): its revision's
    capture is the first URL's, which only --with-revisions puts in the WACZ."""
    page = (SITE_DIR / "news/2024/03/bridge-reopens.html").read_bytes()
    edited = page.replace(b"The project cost $31 million", b"The project cost $33 million")
    versions = {"amp": page, "print": edited}
    assert versions["print"] != page
    for name, body in versions.items():
        with (tmp_path / f"{name}.warc.gz").open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            writer.write_record(writer.create_warc_record(
                f"https://news.example.org/{name}/bridge.html", "response", payload=BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            ))  # fmt: skip
        done = run_archiver("import", f"{name}.warc.gz", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert len(rows(tmp_path / "archive.db", "SELECT id FROM revisions WHERE capture IS NOT NULL")) == 1
    current = {e["url"] for _, _, e in index(export_wacz(tmp_path, name="current.wacz")[0])}
    assert current == {"https://news.example.org/print/bridge.html"}
    every = {e["url"] for _, _, e in index(export_wacz(tmp_path, "--with-revisions", name="every.wacz")[0])}
    assert every == {"https://news.example.org/print/bridge.html", "https://news.example.org/amp/bridge.html"}
