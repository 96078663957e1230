"""Raw captures: a crawl keeps every response as received in WARC/1.1 files that standard tools read,
and every article names the record it was extracted from."""

from __future__ import annotations

import dataclasses
import functools
import gc
import gzip
import importlib.metadata
import json
import os
import platform
import struct
import subprocess
import sys
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

from archiver import __version__
from archiver.archive.store import CAPTURE_COLUMNS
from archiver.demo import SITE_DIR, SiteServer
from archiver.extract import EXTRACTOR_VERSION, extract_article, read_comment_page
from archiver.warc.writer import ISAL_LEVELS, Exchange, WarcWriter, _gzip_member, software
from tests.conftest import FIXTURES, crawl_local, make_site, rows, run_archiver

DEMO_FLAGS = ("--depth", "5")


def warc_records(path: Path) -> list[Any]:
    """Every record of a WARC file, read by warcio with its digests checked (payloads read)."""
    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            found.append((record, record.content_stream().read()))
    return found


def record_at(db: Path, capture: dict[str, Any]) -> tuple[Any, bytes]:
    """The record a capture row names: exactly ``length`` bytes at ``offset``, one gzip member."""
    with (db.parent / capture["warc_file"]).open("rb") as stream:
        stream.seek(capture["offset"])
        member = stream.read(capture["length"])
    assert len(gzip.decompress(member)) > 0  # a whole gzip member, no more and no less
    record = next(iter(ArchiveIterator(BytesIO(member), check_digests=True)))
    return record, record.content_stream().read()


def crawl(workdir: Path, site: SiteServer, *args: str, db: str = "archive.db") -> subprocess.CompletedProcess[str]:
    result = crawl_local(site.url, *DEMO_FLAGS, *args, db=db, cwd=workdir)
    assert result.returncode == 0, result.stderr + result.stdout
    return result


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SiteServer]]:
    """One crawl of the demo site with WARC capture on (the default)."""
    workdir = tmp_path_factory.mktemp("warc")
    with SiteServer(SITE_DIR) as site:
        crawl(workdir, site)
        yield workdir, site


def test_every_response_is_a_record_with_its_request_and_digests_verify(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    (crawl_row,) = rows(workdir / "archive.db", "SELECT * FROM crawls")
    (warc,) = (workdir / "archive.db.warc").glob("*.warc.gz")
    assert warc.name == f"{crawl_row['id']}-00000.warc.gz"
    records = warc_records(warc)
    info, text = records[0][0], records[0][1].decode()
    assert info.rec_type == "warcinfo" and info.rec_headers.get_header("WARC-Filename") == warc.name
    assert f"isPartOf: {crawl_row['id']}" in text and "software: archiver/" in text and "setting-DEPTH_LIMIT: 5" in text
    responses = {r.rec_headers.get_header("WARC-Record-ID"): r for r, _ in records if r.rec_type == "response"}
    requests = [r for r, _ in records if r.rec_type == "request"]
    revisits = [r for r, _ in records if r.rec_type == "revisit"]
    assert len(requests) == len(responses) + len(revisits)  # every response has its request
    assert {r.rec_headers.get_header("WARC-Concurrent-To") for r in requests} == {
        r.rec_headers.get_header("WARC-Record-ID") for r in [*responses.values(), *revisits]
    }
    for record, _ in records:
        assert record.rec_headers.protocol == "WARC/1.1"
        assert record.digest_checker.passed is not False, record.digest_checker.problems
        if record.rec_type == "response":
            assert record.rec_headers.get_header("WARC-Payload-Digest", "").startswith("sha1:")
    fetched = {r["url"] for r in rows(workdir / "archive.db", "SELECT url FROM fetches WHERE status IS NOT NULL")}
    captured = {r.rec_headers.get_header("WARC-Target-URI") for r in [*responses.values(), *revisits]}
    assert fetched <= captured and any(url.endswith("/robots.txt") for url in captured)
    assert rows(workdir / "archive.db", "SELECT count(*) FROM captures")[0][0] == len(responses) + len(revisits)


def test_each_capture_row_resolves_to_its_record(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    db = workdir / "archive.db"
    captures = rows(db, "SELECT * FROM captures")
    assert captures
    for capture in map(dict, captures):
        record, _ = record_at(db, capture)
        assert record.rec_headers.get_header("WARC-Record-ID") == capture["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == capture["url"]
        assert record.rec_type == capture["type"] and record.http_headers.get_statuscode() == str(capture["status"])


def test_each_article_reextracts_from_its_capture(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    db = workdir / "archive.db"
    articles = rows(
        db, "SELECT a.*, c.warc_file, c.offset, c.length FROM articles a JOIN captures c ON c.record_id = a.capture"
    )
    assert len(articles) == rows(db, "SELECT count(*) FROM articles")[0][0] == 13  # the demo site's articles
    for article in articles:
        assert article["extractor_version"] == EXTRACTOR_VERSION
        record, payload = record_at(db, dict(article))
        assert record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == article["url"]
        again = extract_article(payload, article["url"])
        comments = rows(db, "SELECT author, body FROM comments WHERE article_id = ? ORDER BY number", (article["id"],))
        assert (again.title, again.body) == (article["title"], article["body"])
        assert [(c.author, c.body) for c in again.comments] == [(c["author"], c["body"]) for c in comments]


def test_both_outputs_name_the_capture(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    db = workdir / "archive.db"
    (feed,) = (workdir / "exports").glob("*.jsonl")
    from_crawl = {r["url"]: r for r in map(json.loads, feed.read_text().splitlines())}
    exported = workdir / "all.jsonl"
    result = subprocess.run(
        [Path(sys.executable).with_name("archiver"), "export", "--db", str(db), "-o", str(exported)],
        cwd=workdir, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for record in map(json.loads, exported.read_text().splitlines()):
        (held,) = rows(db, "SELECT * FROM captures WHERE record_id = (SELECT capture FROM articles WHERE url = ?)",
                       (record["url"],))  # fmt: skip
        want = {"url": held["url"], "date": held["fetched_at"], "file": held["warc_file"], "offset": held["offset"],
                "length": held["length"], "digest": held["payload_digest"], "record_id": held["record_id"]}  # fmt: skip
        assert record["capture"] == from_crawl[record["url"]]["capture"] == want
        assert record["extractor_version"] == from_crawl[record["url"]]["extractor_version"] == EXTRACTOR_VERSION


def test_show_prints_the_capture(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    db = workdir / "archive.db"
    (article,) = rows(db, "SELECT a.id, c.* FROM articles a JOIN captures c ON c.record_id = a.capture LIMIT 1")
    result = subprocess.run(
        [Path(sys.executable).with_name("archiver"), "show", str(article["id"]), "--db", str(db)],
        cwd=workdir, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{article['warc_file']} at offset {article['offset']} ({article['length']} bytes)" in result.stdout
    assert article["payload_digest"] in result.stdout and f"extractor version {EXTRACTOR_VERSION}" in result.stdout


def test_files_index_with_cdxj_indexer(demo_crawl: tuple[Path, SiteServer]) -> None:
    workdir, _ = demo_crawl
    db = workdir / "archive.db"
    (warc,) = (workdir / "archive.db.warc").glob("*.warc.gz")
    result = subprocess.run(
        [Path(sys.executable).with_name("cdxj-indexer"), str(warc)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [line.split(" ", 2) for line in result.stdout.splitlines()]
    index = [json.loads(fields[2]) for fields in lines]
    by_offset = {int(entry["offset"]): entry for entry in index}
    for capture in rows(db, "SELECT * FROM captures"):
        entry = by_offset[capture["offset"]]
        assert (entry["url"], int(entry["length"]), entry["status"]) == (
            capture["url"],
            capture["length"],
            str(capture["status"]),
        )
        assert entry["digest"] == capture["payload_digest"]
        assert (entry["mime"] == "warc/revisit") == (capture["type"] == "revisit")


@pytest.mark.parametrize("conditional", [True, False], ids=["conditional", "unconditional"])
def test_a_second_crawl_of_an_unchanged_site_writes_only_revisits(tmp_path: Path, conditional: bool) -> None:
    flag = ("-s", f"ARCHIVER_CONDITIONAL_ENABLED={conditional}")
    with SiteServer(SITE_DIR) as site:
        crawl(tmp_path, site, *flag)
        first = {dict(r)["record_id"] for r in rows(tmp_path / "archive.db", "SELECT record_id FROM captures")}
        crawl(tmp_path, site, *flag)
    db = tmp_path / "archive.db"
    second = [c for c in rows(db, "SELECT * FROM captures") if c["record_id"] not in first]
    assert second and {c["type"] for c in second} == {"revisit"}
    statuses = {c["status"] for c in second}
    assert (304 in statuses) is conditional  # articles are asked conditionally; the rest is fetched again
    files = {c["warc_file"] for c in second}
    assert len(files) == 1 and len(list((tmp_path / "archive.db.warc").glob("*.warc.gz"))) == 2
    warcs = [tmp_path / rows(db, "SELECT warc_file FROM captures WHERE record_id = ?", (min(first),))[0][0],
             tmp_path / files.pop()]  # fmt: skip
    kinds = [r.rec_type for r, _ in warc_records(warcs[1])]
    assert "response" not in kinds and "revisit" in kinds
    for record, _ in warc_records(warcs[1]):
        if record.rec_type == "revisit":
            profile = record.rec_headers.get_header("WARC-Profile")
            status = record.http_headers.get_statuscode()
            assert profile.endswith("/server-not-modified" if status == "304" else "/identical-payload-digest")
            referred = rows(
                db, "SELECT * FROM captures WHERE record_id = ?", (record.rec_headers.get_header("WARC-Refers-To"),)
            )
            assert referred[0]["type"] == "response" and referred[0]["record_id"] in first
            assert record.rec_headers.get_header("WARC-Refers-To-Target-URI") == referred[0]["url"]
    # the articles still name the responses their values come from
    assert {
        r["type"] for r in rows(db, "SELECT c.type FROM articles a JOIN captures c ON c.record_id = a.capture")
    } == {"response"}
    # the second, unchanged, crawl costs a small part of the first's bytes
    assert warcs[1].stat().st_size < warcs[0].stat().st_size / 2


def test_files_rotate_at_the_maximum_size(tmp_path: Path) -> None:
    with SiteServer(SITE_DIR) as site:
        crawl(tmp_path, site, "-s", "ARCHIVER_WARC_MAX_SIZE=15000")
    warcs = sorted((tmp_path / "archive.db.warc").glob("*.warc.gz"))
    assert len(warcs) >= 4
    assert [w.name.rsplit("-", 1)[1] for w in warcs] == [f"{n:05d}.warc.gz" for n in range(len(warcs))]
    records = 0
    for warc in warcs:
        found = warc_records(warc)
        assert found[0][0].rec_type == "warcinfo" and all(r.rec_type != "warcinfo" for r, _ in found[1:])
        records += sum(1 for r, _ in found if r.rec_type in ("response", "revisit"))
        assert warc.stat().st_size < 15000 + 40000  # at most one exchange past the limit
    db = tmp_path / "archive.db"
    assert records == rows(db, "SELECT count(*) FROM captures")[0][0]
    for capture in rows(db, "SELECT * FROM captures"):
        record_at(db, dict(capture))


def test_compression_level_setting(tmp_path: Path) -> None:
    """ARCHIVER_WARC_COMPRESSION_LEVEL is the deflate level of every record's gzip member: level 1 and
    level 9 crawls of one site write the same records, each member the one its level makes of the record
    (byte for byte where zlib deflates, within 2% of its size where ISA-L does), so the level reaches the
    deflate, in files of different sizes both read back."""
    sizes, payloads = {}, {}
    with SiteServer(SITE_DIR) as site:
        for level in (1, 9):
            (tmp_path / str(level)).mkdir()
            crawl(tmp_path / str(level), site, "-s", f"ARCHIVER_WARC_COMPRESSION_LEVEL={level}")
            db = tmp_path / str(level) / "archive.db"
            (warc,) = (db.parent / "archive.db.warc").glob("*.warc.gz")
            sizes[level] = warc.stat().st_size
            records = warc_records(warc)
            payloads[level] = sorted((r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), p) for r, p in records
                                     if r.rec_type != "warcinfo")  # fmt: skip
            for capture in rows(db, "SELECT * FROM captures"):
                record_at(db, dict(capture))
                with warc.open("rb") as stream:
                    stream.seek(capture["offset"])
                    member = stream.read(capture["length"])
                fresh = _gzip_member(gzip.decompress(member), level)
                # compressed at this level, no other: zlib's deflate is byte-stable, ISA-L's is not promised to be
                # (intel/isa-l#140; one run under load differed at byte 16), so there the sizes must agree
                assert fresh == member or (level in ISAL_LEVELS and abs(len(fresh) - len(member)) <= len(fresh) // 50)
                assert member[8:9] == (b"\x04" if level == 1 else b"\x02")  # gzip's XFL: fastest at 1, best at 9
    assert payloads[1] == payloads[9]
    assert sizes[1] > sizes[9]


#: The gzip header of a member (RFC 1952): ID1 ID2, CM 8 (deflate), FLG 0 (no name, no comment), MTIME 0.
GZIP_START = b"\x1f\x8b\x08\x00\x00\x00\x00\x00"
#: The rest of the header the writer writes itself at ISA-L's levels: XFL (4: fastest, at 1; else 0), OS 3 (Unix).
ISAL_HEADER_END = {1: b"\x04\x03", 2: b"\x00\x03", 3: b"\x00\x03"}
#: The machines isal has wheels for (pyproject.toml's marker): there it is installed and deflates levels 1-3.
ISAL_MACHINES = ("x86_64", "AMD64", "aarch64", "arm64")


def test_gzip_members_at_every_level_are_standard_and_isals_at_1_to_3() -> None:
    """Each record's member at every level is one gzip member with no name and no time, its CRC-32 and
    size, which gzip reads back; at levels 1-3 (where isal is installed) the writer writes the header
    itself and the deflate stream is ISA-L's, not zlib's (0 and 4-9 are zlib's, header and all)."""
    if platform.machine() in ISAL_MACHINES:
        assert range(1, 4) == ISAL_LEVELS
    demo = [path.read_bytes() for path in sorted(SITE_DIR.rglob("*.html"))[:5]]
    for level in range(10):
        for data in [b"", b"x", *demo, bytes(range(256)) * 300]:
            member = _gzip_member(data, level)
            assert gzip.decompress(member) == data
            assert member[:8] == GZIP_START
            assert member[-8:] == struct.pack("<II", zlib.crc32(data), len(data))
            if level in ISAL_LEVELS:
                assert member[8:10] == ISAL_HEADER_END[level]
        if level in ISAL_LEVELS:
            zlibs = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
            assert _gzip_member(demo[0], level)[10:-8] != zlibs.compress(demo[0]) + zlibs.flush()


def write_and_read_back(folder: Path, level: int) -> str:
    """A file of several records (responses, a revisit, a 304, their requests) written at ``level``: every
    record read back, digests checked, by warcio and by fastwarc, and each capture a whole gzip member; the
    warcinfo's software."""
    writer = WarcWriter(folder, f"level{level}", 1 << 30, folder, f"level{level}", {}, level=level)
    writer.open()
    day = datetime(2026, 1, 2, tzinfo=UTC)
    pages = [path.read_bytes() for path in sorted(SITE_DIR.rglob("*.html"))[:4]]
    headers = [("Content-Type", "text/html; charset=utf-8")]
    captures = [writer.write(Exchange(f"http://example.com/{n}", "GET", [], 200, headers, page, day))
                for n, page in enumerate(pages)]  # fmt: skip
    captures.append(writer.write(Exchange("http://example.com/0", "GET", [], 200, headers, pages[0], day), captures[0]))
    captures.append(writer.write(Exchange("http://example.com/1", "GET", [], 304, [], b"", day), captures[1]))
    writer.close()
    (path,) = writer.files
    data = path.read_bytes()
    for capture in captures:
        member = data[capture.offset : capture.offset + capture.length]
        assert len(gzip.decompress(member)) > 0
    with path.open("rb") as stream:
        by_warcio = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(stream, check_digests=True)]
    assert [kind for kind, _ in by_warcio] == ["warcinfo", *["response", "request"] * 4, *["revisit", "request"] * 2]
    assert [body for kind, body in by_warcio if kind == "response"] == pages
    with path.open("rb") as stream:
        verified = [record.verify_block_digest() for record in FastArchiveIterator(stream, parse_http=False)]
    assert verified == [True] * len(by_warcio)
    return by_warcio[0][1].decode()


def test_files_at_every_level_read_back_by_warcio_and_fastwarc(tmp_path: Path) -> None:
    """Every level's file reads back whole in both readers; the warcinfo names warcio's and isal's versions
    (the compressed bytes depend on them)."""
    for level in range(10):
        info = write_and_read_back(tmp_path / str(level), level)
        assert f"software: {software()}" in info
    isal = f"; isal/{importlib.metadata.version('isal')}" if ISAL_LEVELS else ""
    assert software() == f"archiver/{__version__} (warcio/{importlib.metadata.version('warcio')}{isal})"


def test_without_isal_zlib_deflates_every_level(tmp_path: Path) -> None:
    """Where isal is not installed (no wheel for the machine) the writer deflates every level with zlib:
    a crawl writes its WARC and an import reads it back, with isal blocked by a package that fails to import."""
    blocked = tmp_path / "blocked"
    (blocked / "isal").mkdir(parents=True)
    (blocked / "isal" / "__init__.py").write_text('raise ImportError("isal is not installed here")\n')
    env = {"PYTHONPATH": os.pathsep.join([str(blocked), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    script = (
        "import sys; from pathlib import Path; from tests.test_warc_capture import write_and_read_back; "
        "from archiver.warc import writer; assert writer.isal_zlib is None and writer.ISAL_LEVELS == range(0); "
        "[write_and_read_back(Path(sys.argv[1]) / str(level), level) for level in range(10)]; "
        "print(writer.software())"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "warcs")], capture_output=True, text=True,
                            env={**os.environ, **env}, cwd=FIXTURES.parents[1], timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"archiver/{__version__} (warcio/{importlib.metadata.version('warcio')})"
    with SiteServer(SITE_DIR) as site:
        result = crawl_local(site.url, *DEMO_FLAGS, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    db = tmp_path / "archive.db"
    (warc,) = (tmp_path / "archive.db.warc").glob("*.warc.gz")
    for capture in rows(db, "SELECT * FROM captures"):
        record_at(db, dict(capture))
    imported = run_archiver("import", str(warc), "--db", str(tmp_path / "imported.db"), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert rows(tmp_path / "imported.db", "SELECT count(*) FROM articles") == rows(db, "SELECT count(*) FROM articles")


def test_captures_name_their_file_relative_to_the_base_worked_out_once_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each capture names its file relative to the writer's base, the path worked out when the file is
    opened (not for each record: ``os.path.relpath`` cost 13 µs a page); its row is ``asdict``'s."""
    worked_out: list[str] = []
    relpath = os.path.relpath
    monkeypatch.setattr(os.path, "relpath", lambda path, start: worked_out.append(str(path)) or relpath(path, start))
    folder = tmp_path / "archive.db.warc"
    writer = WarcWriter(folder, "crawl", 1, tmp_path, "crawl", {})  # a new file for each exchange
    writer.open()
    day = datetime(2026, 1, 2, tzinfo=UTC)
    pages = [path.read_bytes() for path in sorted(SITE_DIR.rglob("*.html"))[:6]]
    headers = [("Content-Type", "text/html; charset=utf-8")]
    captures = [writer.write(Exchange(f"http://example.com/{n}", "GET", [], 200, headers, page, day))
                for n, page in enumerate(pages)]  # fmt: skip
    captures.append(writer.write_resource("http://example.com/frame", b"<p>frame</p>", "text/html", day, "<urn:x>"))
    writer.close()
    assert len(writer.files) > 2
    assert worked_out == [str(path) for path in writer.files]
    named = {capture.warc_file for capture in captures}
    assert named == {f"archive.db.warc/{path.name}" for path in writer.files}
    for capture in captures:
        assert capture.row() == dataclasses.asdict(capture)
        assert list(capture.row()) == list(CAPTURE_COLUMNS)


def test_no_warc_writes_none(tmp_path: Path) -> None:
    with SiteServer(SITE_DIR) as site:
        crawl(tmp_path, site, "--no-warc")
    db = tmp_path / "archive.db"
    assert not (tmp_path / "archive.db.warc").exists()
    assert rows(db, "SELECT count(*) FROM captures")[0][0] == 0
    assert tuple(rows(db, "SELECT count(*), count(capture) FROM articles")[0]) == (13, 0)
    (feed,) = (tmp_path / "exports").glob("*.jsonl")
    assert {json.loads(line)["capture"] is None for line in feed.read_text().splitlines()} == {True}


def test_warc_dir_setting_and_paths_relative_to_the_archive(tmp_path: Path) -> None:
    with SiteServer(SITE_DIR) as site:
        crawl(tmp_path, site, "-s", f"ARCHIVER_WARC_DIR={tmp_path / 'raw'}", db="data/a.db")
    db = tmp_path / "data" / "a.db"
    assert list((tmp_path / "raw").glob("*.warc.gz")) and not (tmp_path / "data" / "a.db.warc").exists()
    capture = dict(rows(db, "SELECT * FROM captures LIMIT 1")[0])
    assert capture["warc_file"].startswith("../raw/")
    record_at(db, capture)


def test_each_comment_page_names_its_capture(tmp_path: Path) -> None:
    with SiteServer(FIXTURES / "sites" / "paginated") as site:
        crawl(tmp_path, site, db="a.db")
    db = tmp_path / "a.db"
    (article,) = rows(db, "SELECT * FROM articles")
    (crawl_row,) = rows(db, "SELECT stats FROM crawls")
    pages = [dict(rows(db, "SELECT * FROM captures WHERE record_id = ?", (i,))[0])
             for i in json.loads(article["comment_captures"])]  # fmt: skip
    assert len(pages) == json.loads(crawl_row["stats"])["archiver/spider/comment_pages"] >= 2
    read_from = {r[0] for r in rows(db, "SELECT DISTINCT page_url FROM comments")} - {article["url"]}
    assert read_from and read_from <= {p["url"] for p in pages}
    for capture in pages:
        record, payload = record_at(db, capture)
        assert record.rec_type == "response"
        if capture["url"] not in read_from:
            continue  # a variant of a page (?replytocom=) whose comments were read first elsewhere
        comments, _ = read_comment_page(payload, capture["url"], datetime.now(UTC))
        stored = rows(db, "SELECT author, body FROM comments WHERE page_url = ? ORDER BY number", (capture["url"],))
        assert [(c.author, c.body) for c in comments] == [(c["author"], c["body"]) for c in stored]


def test_a_first_crawl_repeating_a_page_it_already_saved_writes_a_revisit(tmp_path: Path) -> None:
    """A crawl into an empty archive does not look its responses up in the archive, except those of
    URLs it saved itself: a page fetched again after its capture was written (every capture is
    written at once here) is a revisit of that capture."""
    with SiteServer(SITE_DIR) as site:
        crawl(tmp_path, site, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=1")
    db = tmp_path / "archive.db"
    revisits = rows(db, "SELECT * FROM captures WHERE type = 'revisit'")
    assert revisits  # the start page, fetched again from a link to it
    for revisit in revisits:
        (referred,) = rows(db, "SELECT * FROM captures WHERE record_id = ?", (revisit["refers_to"],))
        assert referred["type"] == "response" and referred["url"] == revisit["url"]
        assert referred["payload_digest"] == revisit["payload_digest"]
    assert len(rows(db, "SELECT url FROM captures WHERE type = 'response' GROUP BY url HAVING count(*) > 1")) == 0


def test_the_writer_keeps_no_records_bytes_after_writing_it(tmp_path: Path) -> None:
    """A large record (a rendered document of 4 MB) written, the writer holds none of its bytes: memory
    traced from before the write is back under 1 MB (the body itself was made before)."""
    writer = WarcWriter(tmp_path, "big", 1 << 30, tmp_path, "big", {}, level=1)
    writer.open()
    body = os.urandom(4 << 20)
    day = datetime(2026, 1, 2, tzinfo=UTC)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        writer.write_resource("http://example.com/r", body, "text/html", day, "<urn:uuid:0>")
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    writer.close()
    assert held < 1 << 20, held
    with writer.files[0].open("rb") as stream:
        assert [r.content_stream().read() for r in ArchiveIterator(stream) if r.rec_type == "resource"] == [body]


class _LinkHeaderHandler(SimpleHTTPRequestHandler):
    """Serves a folder, every response with a ``Link`` header whose URL is raw UTF-8, as servers send it."""

    def end_headers(self) -> None:
        self.send_header("Link", LINK_HEADER.encode("utf-8").decode("latin-1"))  # sent as its UTF-8 bytes
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Not printed."""


LINK_HEADER = '<http://127.0.0.1/café/a1>; rel="canonical"'


def test_a_header_with_a_non_ascii_byte_outside_its_parameters_is_archived(tmp_path: Path) -> None:
    """A header value holding ``;`` with a non-ASCII byte outside its ``=value`` parts (warcio's
    %-encoding leaves such a byte as it is, then raises) is %-encoded whole: the page is archived."""
    site = make_site(tmp_path / "site", 1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_LinkHeaderHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/a1.html"
        result = crawl_local(url, "--depth", "0", cwd=tmp_path)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert result.returncode == 0, result.stderr + result.stdout
    db = tmp_path / "archive.db"
    (article,) = rows(db, "SELECT url, title, capture FROM articles")
    assert (article["url"], article["title"]) == (url, "River report 1")
    (capture,) = rows(db, "SELECT * FROM captures WHERE record_id = ?", (article["capture"],))
    record, payload = record_at(db, dict(capture))
    assert record.rec_type == "response" and b"River report 1" in payload
    # the value as Scrapy decodes it (latin-1), %-encoded whole as warcio %-encodes a value without ``;``
    as_held = LINK_HEADER.encode("utf-8").decode("latin-1")
    assert record.http_headers.get_header("Link") == quote(as_held)
    (warc,) = (tmp_path / "archive.db.warc").glob("*.warc.gz")
    responses = [r for r, _ in warc_records(warc) if r.rec_type == "response"]  # digests checked
    assert len(responses) == 2  # robots.txt (a 404, with the header too) and the page
    assert {r.http_headers.get_header("Link") for r in responses} == {quote(as_held)}
