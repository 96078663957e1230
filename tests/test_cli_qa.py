"""Defects a user's QA pass found in the commands, each with the case that showed it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archiver.demo import SiteServer
from tests.conftest import (
    LOCAL_CRAWL_FLAGS,
    NO_RENDER,
    SlowSiteServer,
    article,
    crawl_local,
    finish,
    interrupt,
    make_site,
    rows,
    run_archiver,
    save,
    start_archiver,
)


def _fetched_pages(db: Path) -> set[str]:
    return {r["url"].rsplit("/", 1)[-1] for r in rows(db, "SELECT url FROM fetches WHERE url NOT LIKE '%robots.txt'")}


def test_depth_0_fetches_the_start_page_only(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=3)
    with SiteServer(site) as server:
        result = crawl_local(f"{server.url}index.html", "--depth", "0", "--no-warc", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert _fetched_pages(tmp_path / "archive.db") == {"index.html"}
        deeper = crawl_local(f"{server.url}index.html", "--depth", "1", "--no-warc", cwd=tmp_path, db="b.db")
        assert deeper.returncode == 0, deeper.stderr
        assert _fetched_pages(tmp_path / "b.db") == {"index.html", "a1.html", "a2.html", "a3.html"}


def test_a_sources_site_of_depth_0_fetches_its_start_page_only(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=3)
    with SiteServer(site) as server:
        (tmp_path / "sources.toml").write_text(
            f'[defaults]\ndelay = 0\n\n[[site]]\nname = "river"\nstart_urls = ["{server.url}index.html"]\ndepth = 0\n'
        )
        result = run_archiver("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER,
                              cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert _fetched_pages(tmp_path / "archive.db") == {"index.html"}


def test_a_sources_site_of_depth_0_under_scrapy_crawl_fetches_its_start_page_only(tmp_path: Path) -> None:
    """What Scrapyd runs (``scrapy crawl articles -a sources= -a source=``): the site's depth is read there."""
    site = make_site(tmp_path / "site", articles=3)
    scrapy = Path(sys.executable).with_name("scrapy")
    with SiteServer(site) as server:
        (tmp_path / "sources.toml").write_text(
            f'[defaults]\ndelay = 0\n\n[[site]]\nname = "river"\nstart_urls = ["{server.url}index.html"]\ndepth = 0\n'
        )
        command = [str(scrapy), "crawl", "articles", "-a", "sources=sources.toml", "-a", "source=river",
                   "-s", "ARCHIVER_ARCHIVE_PATH=archive.db", *LOCAL_CRAWL_FLAGS, "-s", "LOG_LEVEL=WARNING"]  # fmt: skip
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "archiver.settings"}
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert _fetched_pages(tmp_path / "archive.db") == {"index.html"}


@pytest.mark.parametrize(("fmt", "suffix"), [("jsonl", ""), ("json", ""), ("wacz", ""), ("jsonl", "-wal")])
def test_export_refuses_to_write_over_the_archive(tmp_path: Path, fmt: str, suffix: str) -> None:
    db = tmp_path / "archive.db"
    save(db, article())
    target = f"{db}{suffix}" if suffix else "./archive.db"  # the same file under another name
    result = run_archiver("export", "--db", str(db), "--format", fmt, "-o", target, "--force", cwd=tmp_path)
    assert result.returncode == 2
    assert "that is the archive's file" in result.stderr
    assert [r["title"] for r in rows(db, "SELECT title FROM articles")] == ["Lock gates open"]


@pytest.mark.parametrize("where", ["warc-folder", "warc-dir"])
def test_export_refuses_to_write_over_the_archive_s_captures(tmp_path: Path, where: str) -> None:
    db = tmp_path / "archive.db"
    save(db, article())
    if where == "warc-folder":  # the default folder beside the archive
        target = tmp_path / "archive.db.warc" / "20260101T000000Z-0001-00000.warc.gz"
    else:  # a folder of ARCHIVER_WARC_DIR's, known by the captures naming its files
        target = tmp_path / "captures" / "crawl-00000.warc.gz"
        with sqlite3.connect(db) as conn:
            conn.execute(
                "INSERT INTO captures (record_id, url, status, warc_file, offset, length) VALUES (?, ?, ?, ?, ?, ?)",
                ["<urn:uuid:1>", "https://example.org/a", 200, "captures/crawl-00000.warc.gz", 0, 10],
            )
        conn.close()
    target.parent.mkdir()
    target.write_bytes(b"raw captures")
    result = run_archiver("export", "--db", str(db), "-o", str(target), "--force", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "choose another output" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"raw captures"


def _sources_file(folder: Path, url: str = "http://127.0.0.1:9/") -> Path:
    path = folder / "sources.toml"
    path.write_text(f'[defaults]\ndelay = 0\n\n[[site]]\nname = "river"\nstart_urls = ["{url}"]\n')
    return path


def _one_error_line(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ("crawl", "http://127.0.0.1:9/"),
        ("crawl", "--sources", "sources.toml"),
        ("demo", "--port", "0"),
    ],
)
def test_an_unwritable_exports_folder_is_refused_before_anything_is_made(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    _sources_file(tmp_path)
    (tmp_path / "blocker").write_text("a file, so no folder can be made under it")
    before = set(tmp_path.iterdir())
    result = run_archiver(*command, "--db", "archive.db", "--exports", "blocker/exports", cwd=tmp_path)
    line = _one_error_line(result)
    assert line.startswith("Error: cannot write the JSON Lines file in blocker/exports:")
    assert set(tmp_path.iterdir()) == before  # no archive, no logs folder


@pytest.mark.parametrize("command", [("crawl", "http://127.0.0.1:9/"), ("crawl", "--sources", "sources.toml")])
def test_an_unwritable_logs_folder_is_refused_before_anything_is_made(tmp_path: Path, command: tuple[str, ...]) -> None:
    _sources_file(tmp_path)
    (tmp_path / "logs").write_text("a file where the logs folder would be")
    before = set(tmp_path.iterdir())
    line = _one_error_line(run_archiver(*command, "--db", "archive.db", cwd=tmp_path))
    assert line.startswith("Error: cannot write the crawl's log in logs:")
    assert set(tmp_path.iterdir()) == before


def test_an_unwritable_state_dir_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    _sources_file(tmp_path)
    (tmp_path / "blocker").write_text("a file")
    before = set(tmp_path.iterdir())
    result = run_archiver("crawl", "--sources", "sources.toml", "--state-dir", "blocker/state", cwd=tmp_path)
    line = _one_error_line(result)
    assert line.startswith("Error: cannot write the run's job folders (--state-dir) in blocker/state:")
    assert set(tmp_path.iterdir()) == before


def _interrupt(args: tuple[str, ...], cwd: Path, server: SlowSiteServer, *signals: int) -> tuple[int, str, str]:
    """Start ``archiver ARGS``, send these signals once pages are served; its exit code and output."""
    return interrupt(args, cwd, lambda: server.served >= 4, *signals)


def test_an_interrupted_crawl_says_so_and_exits_130(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    with SlowSiteServer(site, delay=0.3) as server:
        args = ("crawl", f"{server.url}index.html", *LOCAL_CRAWL_FLAGS, "--no-warc", "-s", "CONCURRENT_REQUESTS=2")
        code, out, err = _interrupt(args, tmp_path, server, signal.SIGINT)
    assert code == 130, out + err
    assert "interrupted by SIGINT: stopped before the end" in out
    assert rows(tmp_path / "archive.db", "SELECT finish_reason FROM crawls")[0][0] == "shutdown"


def _slow_sources(tmp_path: Path, server: SiteServer) -> tuple[str, ...]:
    _sources_file(tmp_path, f"{server.url}index.html")
    return ("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER)


def test_a_sources_run_stopped_by_sigterm_says_so_and_exits_143(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    with SlowSiteServer(site, delay=0.3) as server:
        code, out, err = _interrupt(_slow_sources(tmp_path, server), tmp_path, server, signal.SIGTERM)
    assert code == 143, out + err
    assert "river: " in out and "[interrupted by SIGTERM: resumes on the next run]" in out
    assert (tmp_path / "archive.db.jobs" / "sources" / "river" / "archiver-paused.json").is_file()


def test_a_sources_run_stopped_by_two_ctrl_c_starts_over_next_time(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    with SlowSiteServer(site, delay=2.0) as server:  # the second signal comes while pages are in flight
        code, out, err = _interrupt(_slow_sources(tmp_path, server), tmp_path, server, signal.SIGINT, signal.SIGINT)
    assert code == 130, out + err
    assert "[interrupted by SIGINT, at once: starts over on the next run]" in out
    assert "?" not in out
    assert not (tmp_path / "archive.db.jobs" / "sources" / "river" / "archiver-paused.json").exists()


#: an extension that cannot be loaded: Scrapy cannot build the crawler, so the crawl never starts
_UNLOADABLE = ("-s", 'EXTENSIONS={"archiver.no_such_module.Extension": 100}')


def test_a_crawl_that_never_started_is_not_reported_interrupted(tmp_path: Path) -> None:
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--no-warc", *_UNLOADABLE, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "interrupted" not in result.stdout
    assert "Error: nothing fetched: no response" in result.stderr


def test_a_sources_site_that_never_started_is_said_not_to_have_run(tmp_path: Path) -> None:
    _sources_file(tmp_path)
    result = run_archiver("crawl", "--sources", "sources.toml", "--no-warc", *_UNLOADABLE, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "river: " in result.stdout and "[did not run (see the log)]" in result.stdout
    assert "interrupted" not in result.stdout


def test_an_unusable_jobdir_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("a file, so no folder can be made under it")
    before = set(tmp_path.iterdir())
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--depth", "0", "-s", "JOBDIR=afile/sub", cwd=tmp_path)
    line = _one_error_line(result)
    assert line.startswith("Error: cannot write the crawl's job folder (JOBDIR) in afile/sub:")
    assert set(tmp_path.iterdir()) == before


def test_default_export_names_never_collide(tmp_path: Path) -> None:
    save(tmp_path / "archive.db", article())
    exports = tmp_path / "exports"
    exports.mkdir()
    now = datetime.now(UTC)
    taken = {f"archive-{(now + timedelta(seconds=s)).strftime('%Y%m%dT%H%M%SZ')}" for s in range(60)}
    for name in taken:  # every name of the coming minute is an earlier export's
        (exports / f"{name}.jsonl").write_text("earlier\n")
    result = run_archiver("export", "--db", "archive.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (written,) = [p for p in exports.glob("*.jsonl") if p.read_text() != "earlier\n"]
    assert written.name.removesuffix("-2.jsonl") in taken
    assert json.loads(written.read_text())["title"] == "Lock gates open"


def test_default_export_names_of_exports_running_at_once_never_collide(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    save(db, article())
    written: list[str] = []
    for _ in range(3):
        # the archive locked while two exports start: both wait to read it, then run at once
        holder = sqlite3.connect(db)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        both = [start_archiver("export", "--db", "archive.db", cwd=tmp_path) for _ in "ab"]
        try:
            time.sleep(3)  # both started and waiting for the lock (its timeout is 30 s)
            holder.rollback()
            holder.close()
            outputs = [finish(process, 120) for process in both]
        finally:
            holder.close()
            for process in both:
                process.kill()
        assert [p.returncode for p in both] == [0, 0], [err for _, err in outputs]
        written += [out.split(" -> ", 1)[1].split(" (manifest", 1)[0] for out, _ in outputs]
    assert len(set(written)) == 6, written
    for name in written:
        assert json.loads((tmp_path / name).read_text())["title"] == "Lock gates open"
    assert not list((tmp_path / "exports").glob("*.part"))


@pytest.mark.parametrize("kind", ["missing", "folder", "not WARC"])
def test_a_failed_import_creates_no_archive(tmp_path: Path, kind: str) -> None:
    given = tmp_path / "capture.warc.gz"
    if kind == "folder":
        given.mkdir()
    elif kind == "not WARC":
        given.write_text("<html>not a WARC file</html>")
    result = run_archiver("import", str(given), "--db", "archive.db", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"archiver: {given}: ")
    assert not (tmp_path / "archive.db").exists()


@pytest.mark.parametrize("command", ["export", "search"])
def test_since_after_until_is_a_usage_error(tmp_path: Path, command: str) -> None:
    save(tmp_path / "archive.db", article())
    terms = ("lock",) if command == "search" else ()
    result = run_archiver(command, *terms, "--since", "2025-01-01", "--until", "2024-01-01", cwd=tmp_path)
    assert result.returncode == 2
    assert "--since 2025-01-01 is after --until 2024-01-01" in result.stderr
    assert not (tmp_path / "exports").exists()


def test_an_empty_urls_file_is_said_to_hold_no_url(tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("# nothing yet\n\n")
    result = run_archiver("crawl", "--urls-file", "urls.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "--urls-file urls.txt holds no URL" in result.stderr
    assert "give at least one URL" not in result.stderr
    assert not (tmp_path / "archive.db").exists()


def test_a_bad_url_in_a_urls_file_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("# start pages\nhttp://127.0.0.1:9/a\n\nexample.org/b\n")
    result = run_archiver("crawl", "--urls-file", "urls.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "urls.txt:4: invalid URL 'example.org/b'" in result.stderr


def test_check_says_what_interval_days_0_means(tmp_path: Path) -> None:
    sources = _sources_file(tmp_path)
    sources.write_text(sources.read_text() + "\n[site.recrawl]\ninterval_days = 0\n")
    result = run_archiver("check", str(sources), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "then never again" in result.stdout and "every 0 days" not in result.stdout


def test_a_finished_sources_run_leaves_no_job_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=2)
    with SiteServer(site) as server:
        _sources_file(tmp_path, f"{server.url}index.html")
        result = run_archiver("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER,
                              cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 new articles" in result.stdout
    assert not (tmp_path / "archive.db.jobs").exists()


def test_a_sources_run_and_runs_report_edited_and_deleted_comments(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=1)
    with SiteServer(site) as server:
        sources = _sources_file(tmp_path, f"{server.url}index.html")
        sources.write_text(sources.read_text() + "\n[site.recrawl]\nfresh_days = 3650\n")
        run = ("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER)
        assert run_archiver(*run, cwd=tmp_path).returncode == 0
        page = site / "a1.html"
        html = page.read_text().replace("First on 1.", "First on 1, corrected.")
        page.write_text(html[: html.index("<li class='comment' id='comment-12'>")] + "</ol></body></html>")
        later = page.stat().st_mtime + 60
        os.utime(page, (later, later))  # newer than the first fetch's Last-Modified, to the second
        second = run_archiver(*run, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 new comments, 1 edited, 1 deleted" in second.stdout.splitlines()[0]
    listed = run_archiver("runs", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "0 new comments, 1 edited, 1 deleted" in listed.stdout.splitlines()[1]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("check",), "Error: Missing argument 'SOURCES' (see 'archiver check --help')"),
        (("crawl", "--depth", "200", "http://127.0.0.1:9/"), "Error: Invalid value for '--depth': 200 is not in"),
        (("export", "--since", "soon"), "Error: Invalid value for '--since': 'soon' does not match"),
        (("crawl", "not-a-url"), "Error: invalid URL 'not-a-url'"),
    ],
)
def test_a_usage_error_is_one_line(tmp_path: Path, args: tuple[str, ...], line: str) -> None:
    result = run_archiver(*args, cwd=tmp_path)
    assert _one_error_line(result, code=2).startswith(line)
    assert run_archiver(args[0], "--help", cwd=tmp_path).stdout.startswith(f"Usage: archiver {args[0]} ")


def test_no_arguments_print_the_help_without_an_error_line(tmp_path: Path) -> None:
    result = run_archiver(cwd=tmp_path)
    assert result.returncode == 2  # click's code for help shown in place of a command
    assert result.stderr.startswith("Usage: archiver [OPTIONS] COMMAND [ARGS]...")
    assert "Error" not in result.stderr and "Commands:" in result.stderr


def test_reextract_since_after_until_is_a_usage_error(tmp_path: Path) -> None:
    save(tmp_path / "archive.db", article())
    result = run_archiver("reextract", "--since", "2025-01-01", "--until", "2024-01-01", cwd=tmp_path)
    assert _one_error_line(result, code=2).startswith("Error: --since 2025-01-01 is after --until 2024-01-01")


def test_a_workers_unwritable_logs_folder_is_refused_in_one_line(tmp_path: Path, redis_url: str) -> None:
    (tmp_path / "logs").write_text("a file where the logs folder would be")
    line = _one_error_line(run_archiver("crawl", "--redis", redis_url, cwd=tmp_path))
    assert line.startswith("Error: cannot write the crawl's log in logs:")


@pytest.mark.parametrize(
    "setting", ["TWISTED_REACTOR=twisted.internet.epollreactor.EPollReactor", "TWISTED_REACTOR_ENABLED=False"]
)
def test_another_reactor_than_asyncio_is_refused_in_one_line(tmp_path: Path, setting: str) -> None:
    result = run_archiver("crawl", "http://127.0.0.1:9/", "-s", setting, cwd=tmp_path)
    assert _one_error_line(result, code=2).startswith("Error: -s TWISTED_REACTOR_ENABLED, TWISTED_REACTOR: the crawl")
    assert not (tmp_path / "archive.db").exists()
