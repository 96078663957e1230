"""`archiver demo`: its articles keep one identity whatever the port, its hints work as printed, and
(Chromium there) it archives the comments its pages under /live/ load by script from a second origin,
exactly as tests/fixtures/demo_expected.json says (written from the comment service's thread files)."""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archiver.cli.crawling import sqlite_utils_command
from archiver.demo import ORIGIN, PORT
from tests.conftest import free_port, require, rows, run_archiver

README = Path(__file__).parents[1] / "README.md"
SERVING = re.compile(r"^serving the demo site at http://127\.0\.0\.1:(\d+)/", re.MULTILINE)
ARTICLES = 13  # 9 of the Demo Gazette, 4 of its Island Courier under /live/
CHROMIUM = Path("/usr/bin/chromium")
#: What the golden record says of a comment, and the archive's columns that hold it.
COMMENT_FIELDS = ("number", "number_source", "author", "author_url", "published", "published_local", "body",
                  "parent", "anchor", "kind")  # fmt: skip


@dataclass
class Demo:
    workdir: Path
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]

    @property
    def db(self) -> Path:
        return self.workdir / "archive.db"


@contextmanager
def port_taken(port: int) -> Iterator[None]:
    """Hold ``port`` on 127.0.0.1 with a listening socket (when nothing else holds it already)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            pass  # busy already: just as good
        yield


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Two demos into one archive: the first on a port of its own, the second while 8642 is busy."""
    workdir = tmp_path_factory.mktemp("demo")
    first = run_archiver("demo", "--port", str(free_port()), cwd=workdir)
    assert first.returncode == 0, first.stderr
    with port_taken(PORT):
        second = run_archiver("demo", cwd=workdir)
    assert second.returncode == 0, second.stderr
    return Demo(workdir, first, second)


def test_a_second_demo_on_another_port_keeps_one_identity_per_article(demo: Demo) -> None:
    ports = [int(SERVING.findall(run.stdout)[0]) for run in (demo.first, demo.second)]
    assert ports[0] != ports[1] and PORT not in ports[1:]
    urls = rows(demo.db, "SELECT article_id, url FROM article_urls ORDER BY article_id")
    assert len(urls) == ARTICLES
    assert len({r["article_id"] for r in urls}) == ARTICLES
    assert all(r["url"].startswith(ORIGIN) for r in urls)
    assert [r["canonical_url"] for r in rows(demo.db, "SELECT canonical_url FROM articles ORDER BY id")] == [
        r["url"] for r in urls
    ]
    first = summary(demo.first.stdout)
    assert (first["new"], first["unchanged"] + first["not_modified"]) == (ARTICLES, 0)
    second = summary(demo.second.stdout)
    assert (second["new"], second["changed"], second["unchanged"] + second["not_modified"]) == (0, 0, ARTICLES)
    assert (second["new_comments"], second["deleted_comments"]) == (0, 0)


def test_the_demo_archives_its_script_loaded_comments(demo: Demo, demo_expected: dict[str, Any]) -> None:
    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    live = {path: record for path, record in demo_expected.items() if path.startswith("/live/")}
    assert len(live) == 4
    for path, record in live.items():
        (article,) = rows(demo.db, "SELECT id, comments_status, provenance FROM articles WHERE url = ?",
                          (ORIGIN.rstrip("/") + path,))  # fmt: skip
        rendered = record["rendered"]
        assert article["comments_status"] == rendered["comments_status"], path
        found = rows(demo.db, f"SELECT {', '.join(COMMENT_FIELDS)} FROM comments WHERE article_id = ? ORDER BY number",
                     (article["id"],))  # fmt: skip
        assert [dict(row) for row in found] == rendered["comments"], path
        where = json.loads(article["provenance"]).get("comments")
        if path == "/live/orchard-frost.html":  # inside the comment service's frame
            assert where.startswith("rendered:frame:http://127.0.0.1:") and where.endswith("/frame.html?thread=orchard")
        else:
            assert where == ("rendered" if rendered["comments"] else None), path


def test_the_frame_that_held_comments_is_captured_beside_its_page(demo: Demo) -> None:
    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    from warcio.archiveiterator import ArchiveIterator

    (article,) = rows(demo.db, "SELECT comment_captures FROM articles WHERE url = ?",
                      (ORIGIN + "live/orchard-frost.html",))  # fmt: skip
    page, frame_record = json.loads(article["comment_captures"])  # the page as rendered, the frame read
    frames = []
    for path in sorted((demo.workdir / "archive.db.warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_headers.get_header("WARC-Concurrent-To") == page:
                    frames.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                   record.content_stream().read().decode("utf-8")))  # fmt: skip
    (frame,) = [f for f in frames if f[0] == "resource"]  # besides the page's request record
    (row,) = rows(demo.db, "SELECT url, type FROM captures WHERE record_id = ?", (frame_record,))
    assert tuple(row) == (frame[1], "resource")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/frame\.html\?thread=orchard", frame[1])
    assert "Elena Costa" in frame[2] and "Fleece over the young trees saved ours" in frame[2]


def test_without_chromium_the_demo_says_so_in_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-chromium")
    result = run_archiver("demo", "--port", "0", "-s", f"ARCHIVER_RENDER_CHROMIUM={missing}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        f"archiver: warning: no Chromium at {missing!r}: comments that load by script are not read"
        " (their comments_status stays script or external:<service>)"
    ]
    statuses = rows(tmp_path / "archive.db", "SELECT comments_status FROM articles WHERE url LIKE '%/live/%'")
    assert [r[0] for r in statuses] == ["script"] * 4


def summary(stdout: str) -> dict[str, int]:
    found = re.search(
        r"\(\+(?P<new>\d+) new articles, (?P<changed>\d+) changed, (?P<unchanged>\d+) unchanged, "
        r"(?P<not_modified>\d+) not modified \(304\); \+(?P<new_comments>\d+) new comments, \d+ edited, "
        r"(?P<deleted_comments>\d+) deleted\)",
        stdout,
    )
    assert found is not None, stdout
    return {name: int(value) for name, value in found.groupdict().items()}


def test_the_printed_query_runs_as_printed(demo: Demo) -> None:
    lines = demo.second.stdout.splitlines()
    command = lines[lines.index("Try:") + 1].strip()
    result = subprocess.run(
        shlex.split(command), cwd=demo.workdir, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Trigger Point Therapy for Back Pain" in result.stdout and "Jack Woo" in result.stdout


def readme_queries() -> list[str]:
    """Every `sqlite-utils archive.db "SELECT ..."` example of the README, as written there."""
    text = README.read_text(encoding="utf-8")
    return re.findall(r'\.venv/bin/sqlite-utils archive\.db "SELECT[^"]*" --table', text)


def test_the_readme_has_queries_of_the_demo_archive() -> None:
    queries = readme_queries()
    assert len(queries) >= 2
    assert any("MATCH" in q for q in queries)


@pytest.mark.parametrize("command", readme_queries())
def test_each_readme_query_finds_rows_in_the_demo_archive(demo: Demo, command: str) -> None:
    args = shlex.split(command)
    sqlite_utils = str(Path(sys.executable).with_name("sqlite-utils"))
    result = subprocess.run(
        [sqlite_utils, *args[1:]], cwd=demo.workdir, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert len(rows(demo.db, args[2])) > 0
    assert len(result.stdout.strip().splitlines()) > 2  # the header, its rule, rows


@pytest.mark.parametrize("up", [0, 1, 2])
def test_the_printed_sqlite_utils_path_runs_from_where_it_is_printed(monkeypatch: pytest.MonkeyPatch, up: int) -> None:
    here = Path(sys.executable).parents[up]
    monkeypatch.setenv("PATH", "/nonexistent")  # not on PATH: the path beside this Python
    monkeypatch.chdir(here)
    command = sqlite_utils_command()
    assert command != "sqlite-utils"
    result = subprocess.run([command, "--version"], cwd=here, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "sqlite-utils" in result.stdout
