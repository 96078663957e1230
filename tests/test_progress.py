"""Progress of crawl and export: log lines when output is not a terminal, a live display on one (a pty)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from archiver.archive import Archive
from archiver.crawl.progress import counting
from archiver.demo import SITE_DIR
from tests.conftest import LOCAL_CRAWL_FLAGS, SlowSiteServer, archiver_command, count, run_archiver

FAST = [*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_PROGRESS_INTERVAL=0.2"]
FINAL = re.compile(r"crawl finished: (\d+) pages \([\d.]+/s\), (\d+) items, \d+ queued, (\d+) errors, \d+:\d\d:\d\d")


def run_in_terminal(args: list[str], cwd: Path, timeout: float = 120) -> tuple[int, str]:
    """Run the real command with a pseudo-terminal as its stdin, stdout and stderr; return its exit code and output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 0.5)[0]:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer of the terminal has gone
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_log_lines_when_not_a_terminal(tmp_path: Path) -> None:
    with SlowSiteServer(SITE_DIR, delay=0.2) as site:  # each response waits: the crawl outlasts the interval
        quiet = run_archiver("crawl", site.url, "--db", "archive.db", *FAST, cwd=tmp_path)
        verbose = run_archiver("crawl", site.url, "--db", "again.db", *FAST, "-v", cwd=tmp_path)
    assert quiet.returncode == 0 and verbose.returncode == 0, quiet.stderr + verbose.stderr
    assert quiet.stderr == ""  # stderr stays for errors; the lines go to the crawl's log
    (log,) = (tmp_path / "logs").glob("crawl-*.log")
    for text in (log.read_text(encoding="utf-8"), verbose.stderr):
        assert "\x1b[" not in text and "\r" not in text
        assert re.search(r"INFO: crawling: \d+ pages \([\d.]+/s\), \d+ items, \d+ queued, \d+ errors", text)
        pages, items, errors = map(int, FINAL.search(text).groups())  # type: ignore[union-attr]
        assert (items, errors) == (count(tmp_path / "archive.db", "articles"), 0)
        assert pages > items


def test_live_line_on_a_terminal(tmp_path: Path) -> None:
    with SlowSiteServer(SITE_DIR, delay=0.2) as site:
        code, output = run_in_terminal([*archiver_command(), "crawl", site.url, "--db", "archive.db", *FAST], tmp_path)
    assert code == 0, output
    assert "\r\x1b[2K" in output  # the line is redrawn in place
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    (final,) = {m.group(0) for m in FINAL.finditer(plain)}
    assert int(FINAL.search(final).group(2)) == count(tmp_path / "archive.db", "articles")  # type: ignore[union-attr]
    assert "13 articles kept" in plain  # the demo site's 9, and 4 under /live/


def archive_of(tmp_path: Path, articles: int) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save(
        [{"url": f"https://example.org/{n}", "canonical_url": f"https://example.org/{n}", "title": f"T{n}",
          "body": "b", "comments": []} for n in range(articles)]
    )  # fmt: skip
    store.close()
    return db


def test_export_bar_on_a_terminal_only(tmp_path: Path) -> None:
    db = archive_of(tmp_path, 7)
    code, output = run_in_terminal([*archiver_command(), "export", "--db", str(db), "-o", "t.jsonl"], tmp_path)
    assert code == 0, output
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    assert re.search(r"exporting articles .*7/7", plain), plain
    piped = run_archiver("export", "--db", str(db), "-o", "p.jsonl", cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.startswith("7 articles, 0 comments, 0 revisions -> p.jsonl")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("ARCHIVER_PROGRESS=loud", "ARCHIVER_PROGRESS must be one of auto, live, log, off, not 'loud'"),
        ("ARCHIVER_PROGRESS_INTERVAL=0", "ARCHIVER_PROGRESS_INTERVAL must be a number more than 0, not '0'"),
        ("ARCHIVER_PROGRESS_INTERVAL=often", "ARCHIVER_PROGRESS_INTERVAL must be a number more than 0, not 'often'"),
    ],
)
def test_bad_progress_setting(tmp_path: Path, setting: str, message: str) -> None:
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", "a.db", "-s", setting, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"Error: {message}"
    assert not (tmp_path / "a.db").exists()


def test_export_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    with counting("exporting articles", 3, interval=0, stream=out) as advance:
        for _ in range(3):
            advance()
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [f"exporting articles: {n}/3" for n in (1, 2, 3)]
    assert all(re.fullmatch(r".* \(\d+/s\)", line) for line in lines)
