"""`archiver demo`: its articles keep one identity whatever the port, and its hints work as printed."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.cli.crawling import sqlite_utils_command
from archiver.demo import ORIGIN, PORT
from tests.conftest import free_port, rows, run_archiver

README = Path(__file__).parents[1] / "README.md"
SERVING = re.compile(r"^serving the demo site at http://127\.0\.0\.1:(\d+)/", re.MULTILINE)
ARTICLES = 9


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
