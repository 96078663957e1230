"""Shared fixtures: the demo site on a real 127.0.0.1 server, the installed command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from archiver.archive import Archive
from archiver.demo import SITE_DIR, SiteServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def demo_site() -> Iterator[SiteServer]:
    """The bundled demo site served on an ephemeral 127.0.0.1 port, stopped after the test."""
    with SiteServer(SITE_DIR) as server:
        yield server


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, Any]:
    """What a careful reader says each demo article holds."""
    return json.loads((FIXTURES / "demo_expected.json").read_text(encoding="utf-8"))


def archiver_command() -> list[str]:
    """The installed ``archiver`` console script of this environment."""
    script = Path(sys.executable).with_name("archiver")
    return [str(script)] if script.exists() else [shutil.which("archiver") or "archiver"]


def run_archiver(
    *args: str, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user would (with ``env`` added to the environment)."""
    return subprocess.run(
        [*archiver_command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env} if env else None,
    )


#: Settings for crawling a test server on 127.0.0.1: no politeness delay, no throttling.
# Rendering is off unless a test is about it: a demo page embeds a third-party widget (no network but 127.0.0.1).
#: A local crawl without Chromium, for tests that keep a site's own delay (a polite run stopped mid-way).
NO_RENDER = ("-s", "ARCHIVER_RENDER_COMMENTS=off")
#: No delay either: the second, catching-up run of such a test.
NO_DELAY = ("-s", "DOWNLOAD_DELAY=0")
LOCAL_CRAWL_FLAGS = (*NO_DELAY, "-s", "AUTOTHROTTLE_ENABLED=False", *NO_RENDER)


def crawl_local(
    *args: str,
    cwd: Path,
    db: str | Path = "archive.db",
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``archiver crawl ARGS --db DB`` with LOCAL_CRAWL_FLAGS, run as ``run_archiver`` runs it.

    Start a crawl in the background with ``start_archiver("crawl", ..., *LOCAL_CRAWL_FLAGS)``.
    """
    return run_archiver("crawl", *args, "--db", str(db), *LOCAL_CRAWL_FLAGS, cwd=cwd, timeout=timeout, env=env)


#: Worker and drain options of a distributed test crawl: full speed, short idle, heartbeat and lock times.
REDIS_WORKER_ARGS = (
    "--depth", "20",
    *LOCAL_CRAWL_FLAGS,
    "-s", "ARCHIVER_EXTRACT_PROCESSES=0",
    "-s", "ARCHIVER_REDIS_IDLE_SECONDS=3",
    "-s", "ARCHIVER_REDIS_HEARTBEAT_SECONDS=2",
    "-s", "ARCHIVER_REDIS_PROGRESS_SECONDS=2",
)  # fmt: skip
REDIS_DRAIN_ARGS = ("--until-idle", "3", "--progress", "2", "--lock-seconds", "2", "--wait-lock", "30")


def body_paragraphs(text: str | None) -> str:
    """A text as the body's paragraphs: what ``generic_body`` makes of trafilatura's lines (the container
    reader's tests compare its text and trafilatura's so)."""
    from archiver.extract.text import normalize_paragraphs

    return normalize_paragraphs((text or "").replace("\n", "\n\n"))


def require(found: bool, what: str) -> None:
    """Skip a test whose system component is missing, or fail when ARCHIVER_REQUIRE_ALL=1 (as CI sets)."""
    if found:
        return
    if os.environ.get("ARCHIVER_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} is missing and ARCHIVER_REQUIRE_ALL=1 (make test installs it)")
    pytest.skip(f"{what} is missing (make test installs it)")


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows of a query on a real SQLite file."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def make_site(folder: Path, articles: int, place: str = "river") -> Path:
    """A site of ``articles`` dated article pages, each with two comments, and an index linking to all."""
    folder.mkdir(parents=True, exist_ok=True)
    links = []
    for n in range(1, articles + 1):
        text = f"Report number {n} from the {place} crossing, where the ferry ran {n} times this week. " * 12
        (folder / f"a{n}.html").write_text(
            f"<html><head><title>River report {n}</title></head><body><article><h1>River report {n}</h1>"
            f'<p class="byline">By Kim Ode, <time datetime="2024-05-{n % 28 + 1:02d}">May 2024</time></p>'
            f"<p>{text}</p></article><ol class='comment-list'>"
            f"<li class='comment' id='comment-{n}1'><cite class='fn'>Reader {n}</cite> "
            f"<time datetime='2024-06-01T10:00:00'>June 1</time>"
            f"<div class='comment-content'><p>First on {n}.</p></div></li>"
            f"<li class='comment' id='comment-{n}2'><cite class='fn'>Other {n}</cite> "
            f"<time datetime='2024-06-02T10:00:00'>June 2</time>"
            f"<div class='comment-content'><p>Second on {n}.</p></div></li>"
            "</ol></body></html>",
            encoding="utf-8",
        )
        links.append(f'<li><a href="/a{n}.html">River report {n}</a></li>')
    (folder / "index.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>", encoding="utf-8")
    return folder


#: A body long enough to tell copies of an article by.
BODY = "The harbour master opened the new lock gates on Monday morning after two years of work. " * 5


def article(**fields: Any) -> dict[str, Any]:
    """An article item as a dict (with two comments), with ``fields`` changed."""
    base: dict[str, Any] = {
        "url": "https://example.org/a",
        "canonical_url": "https://example.org/a",
        "title": "Lock gates open",
        "authors": ["Ana Lima"],
        "published": "2024-01-02",
        "body": BODY,
        "comments_status": "present",
        "comments": [
            {"number": 1, "author": "Jörg Müller", "body": "Finally!", "kind": "comment"},
            {"number": 2, "author": "Sam", "body": "About time.", "kind": "comment"},
        ],
    }
    return base | fields


def save(db: Path, *items: dict[str, Any]) -> dict[str, int]:
    """Save articles to the archive at ``db`` in one batch; what the batch did."""
    archive = Archive(db)
    try:
        return vars(archive.save(list(items)))
    finally:
        archive.close()


#: The time the recrawl policy is asked at, for the archive ``recrawl_archive`` makes.
RECRAWL_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def recrawl_archive(path: Path) -> None:
    """An archive with an old, a young and a failed article and a listing page, fetched in one crawl."""
    archive = Archive(path)
    body = "A long enough body about the harbour and the ferry. " * 10
    archive.save(
        [
            {"url": "https://example.org/old", "title": "Old", "body": body + "old", "published": "2026-01-01"},
            {"url": "https://example.org/young", "title": "Young", "body": body + "young", "published": "2026-05-28"},
            {"url": "https://example.org/failed", "title": "F", "body": body + "failed", "published": "2026-01-01"},
        ]
    )
    archive.start_crawl("c1", "articles", "2026-05-31T00:00:00+00:00", {}, {})
    fetches = [("old", 200, '"e1"', "2026-05-30"), ("young", 304, '"e2"', "2026-05-31"),
               ("failed", 500, None, "2026-05-31"), ("list", 200, '"e3"', "2026-05-31")]  # fmt: skip
    archive.record_fetches(
        [
            {"url": f"https://example.org/{p}", "status": s, "etag": e, "fetched_at": f"{d}T00:00:00+00:00",
             "crawl_id": "c1"}
            for p, s, e, d in fetches
        ]
    )  # fmt: skip
    archive.close()


class SlowSiteServer(SiteServer):
    """A SiteServer that waits ``delay`` seconds before each response (to crawl slowly enough to interrupt)."""

    def __init__(self, root: Path, delay: float) -> None:
        super().__init__(root)
        handler_class = self.httpd.RequestHandlerClass
        self.served = 0  # requests answered so far

        def slow_handler(*args: Any, **kwargs: Any) -> Any:
            time.sleep(delay)
            handler = handler_class(*args, **kwargs)
            self.served += 1
            return handler

        self.httpd.RequestHandlerClass = slow_handler  # type: ignore[assignment]


def start_archiver(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """Start the real command in the background (the caller stops it)."""
    return subprocess.Popen(
        [*archiver_command(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], seconds: float = 300) -> tuple[str, str]:
    """Wait for a started process (killing it if it overruns) and return its output."""
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate(timeout=30)
        pytest.fail(f"{process.args} did not finish:\n{err[-3000:]}")
    return out, err


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll condition every 0.1 s for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def interrupt(
    args: tuple[str, ...],
    cwd: Path,
    ready: Callable[[], bool],
    *signals: int,
    seconds: float = 60,
    before: Callable[[], None] | None = None,
) -> tuple[int, str, str]:
    """Start ``archiver ARGS``, send it these signals (0.2 s apart) once ``ready()`` holds (``before()`` just
    before the first); its exit code and output. The process is killed if it overruns."""
    process = start_archiver(*args, cwd=cwd)
    try:
        assert wait_for(ready, seconds), "the crawl did not get to where it is stopped"
        if before is not None:
            before()
        for number in signals:
            process.send_signal(number)
            time.sleep(0.2)
        out, err = finish(process, seconds)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


def count(db: Path, table: str) -> int:
    """Rows in a table, 0 while the archive or table does not exist yet."""
    try:
        return int(rows(db, f"SELECT count(*) FROM {table}")[0][0])
    except sqlite3.OperationalError:
        return 0


# Hypothesis profiles: "default" keeps `make test` fast; `make fuzz` runs "fuzz" (many more examples).
settings.register_profile(
    "default",
    max_examples=60,
    deadline=timedelta(seconds=10),  # a time bound per page, generous for a shared machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    parent=settings.get_profile("default"),
    max_examples=int(os.environ.get("ARCHIVER_FUZZ_EXAMPLES", "2000")),
    print_blob=True,
)
settings.load_profile(os.environ.get("ARCHIVER_HYPOTHESIS_PROFILE", "default"))


def require_binary(name: str) -> str:
    """The path of a system program; skip the test without it (fail when ARCHIVER_REQUIRE_ALL=1)."""
    path = shutil.which(name)
    require(path is not None, name)
    assert path is not None
    return path


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on a free 127.0.0.1 port, without persistence, stopped after the test."""
    binary = require_binary("redis-server")
    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: _answers(port), seconds=20), "redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
