"""Raw captures under stress, with real processes and files: SIGKILL mid-crawl, an unwritable WARC
folder, a full disk. The WARC files stay readable and the archive never names a record they lack."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import (
    LOCAL_CRAWL_FLAGS,
    SlowSiteServer,
    count,
    make_site,
    rows,
    run_archiver,
    start_archiver,
    wait_for,
)

FAST = [*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=5"]


def complete_records(path: Path) -> list[str]:
    """The record ids of a WARC file, read by warcio up to its last complete record (digests checked).

    A member cut short by a kill, at the very end, is the only loss: warcio stops there with an
    error, or gives that last record short, its block digest not verified (every record archiver
    writes has one).
    """
    read = []
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream, check_digests=True):
                record.content_stream().read()
                read.append((record.rec_headers.get_header("WARC-Record-ID"), record.digest_checker.passed))
        except (EOFError, OSError, ValueError, zlib.error):
            pass
    if read and read[-1][1] is not True:
        read.pop()
    assert all(passed is True for _, passed in read)
    return [record_id for record_id, _ in read]


def assert_archive_names_only_complete_records(db: Path) -> None:
    """Every capture row, and every capture an article names, is a whole record at its offset."""
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    named = {r[0] for r in rows(db, "SELECT capture FROM articles WHERE capture IS NOT NULL")}
    held = {r["record_id"]: r for r in rows(db, "SELECT * FROM captures")}
    assert named <= set(held)
    for capture in held.values():
        with (db.parent / capture["warc_file"]).open("rb") as stream:
            stream.seek(capture["offset"])
            member = stream.read(capture["length"])
        gzip.decompress(member)  # whole
        record = next(iter(ArchiveIterator(BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Record-ID") == capture["record_id"]


@pytest.mark.parametrize("processes", ["0", "2"])  # extracting in the crawl's process, and in workers
def test_sigkill_leaves_readable_files_and_an_archive_naming_only_flushed_records(
    tmp_path: Path, processes: str
) -> None:
    site = make_site(tmp_path / "site", 40)
    db = tmp_path / "archive.db"
    with SlowSiteServer(site, delay=0.15) as server:
        crawl = start_archiver(
            "crawl", server.url, "--db", str(db), *FAST, "-s", f"ARCHIVER_EXTRACT_PROCESSES={processes}", cwd=tmp_path
        )
        try:
            assert wait_for(lambda: count(db, "articles") >= 10, seconds=60), "the crawl archived nothing"
        finally:
            crawl.kill()
            crawl.communicate(timeout=30)
        (warc,) = (tmp_path / "archive.db.warc").glob("*.warc.gz")
        ids = complete_records(warc)
        assert len(ids) > 20  # warcinfo, then exchanges
        assert {r["record_id"] for r in rows(db, "SELECT record_id FROM captures")} <= set(ids)
        assert_archive_names_only_complete_records(db)
        # a member cut short at the end costs that record only
        last = rows(db, "SELECT * FROM captures ORDER BY offset DESC LIMIT 1")[0]
        cut = tmp_path / "cut.warc.gz"
        cut.write_bytes(warc.read_bytes()[: last["offset"] + last["length"] // 2])
        assert complete_records(cut) == ids[: ids.index(last["record_id"])]
        result = run_archiver("crawl", server.url, "--db", str(db), *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert count(db, "articles") == 40
    assert len(list((tmp_path / "archive.db.warc").glob("*.warc.gz"))) == 2
    assert_archive_names_only_complete_records(db)
    assert rows(db, "SELECT count(*) FROM articles WHERE capture IS NULL")[0][0] == 0


def test_an_unwritable_warc_folder_stops_the_crawl_in_one_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 3)
    db = tmp_path / "archive.db"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the WARC folder's parent should be")
    with SlowSiteServer(site, delay=0) as server:
        first = run_archiver("crawl", server.url, "--db", str(db), *FAST, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        before = [tuple(r) for r in rows(db, "SELECT id, title, capture FROM articles ORDER BY id")]
        result = run_archiver(
            "crawl", server.url, "--db", str(db), *FAST, "-s", f"ARCHIVER_WARC_DIR={blocker / 'warc'}", cwd=tmp_path
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot write WARC files in {blocker / 'warc'}: ")
    assert "--no-warc" in lines[0] and "Traceback" not in result.stderr
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    assert [tuple(r) for r in rows(db, "SELECT id, title, capture FROM articles ORDER BY id")] == before
    assert count(db, "crawls") == 1  # the second crawl never started


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 96 KiB tmpfs, unmounted after the test; skipped where this process cannot mount one."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no mount command to make a small file system with")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (needs root): {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_stops_the_crawl_in_one_line_and_the_archive_stays_whole(tmp_path: Path, tiny_disk: Path) -> None:
    site = make_site(tmp_path / "site", 120)
    db = tmp_path / "archive.db"
    with SlowSiteServer(site, delay=0) as server:
        result = run_archiver(
            "crawl", server.url, "--db", str(db), *FAST, "-s", f"ARCHIVER_WARC_DIR={tiny_disk}", cwd=tmp_path
        )
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: cannot write WARC file {tiny_disk}/") and "No space left on device" in lines[0]
    assert "the crawl stopped" in lines[0] and "Traceback" not in result.stderr
    (crawl,) = rows(db, "SELECT * FROM crawls")
    assert crawl["finish_reason"] == "warc_write_failed"
    assert 0 < count(db, "articles") < 120
    (warc,) = tiny_disk.glob("*.warc.gz")
    ids = complete_records(warc)
    with warc.open("rb") as stream:  # nothing half-written was left at the end
        assert len(list(ArchiveIterator(stream))) == len(ids)
    assert_archive_names_only_complete_records(db)
