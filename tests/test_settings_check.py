"""A value given with -s that its setting cannot read fails before anything is created: one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.crawl import check_overrides
from tests.conftest import free_port, run_archiver

BAD = [
    ("DOWNLOAD_DELAY=fast", "DOWNLOAD_DELAY must be a number, not 'fast'"),
    ("DOWNLOAD_TIMEOUT=soon", "DOWNLOAD_TIMEOUT must be a number, not 'soon'"),
    ("AUTOTHROTTLE_MAX_DELAY=", "AUTOTHROTTLE_MAX_DELAY must be a number, not ''"),
    ("CONCURRENT_REQUESTS=2.5", "CONCURRENT_REQUESTS must be a whole number, not '2.5'"),
    ("DEPTH_LIMIT=two", "DEPTH_LIMIT must be a whole number, not 'two'"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY must be true or false, not 'maybe'"),
    ("AUTOTHROTTLE_ENABLED=yes", "AUTOTHROTTLE_ENABLED must be true or false, not 'yes'"),
    ("ARCHIVER_RECRAWL_FRESH_DAYS=week", "ARCHIVER_RECRAWL_FRESH_DAYS must be a number, not 'week'"),
    ("ARCHIVER_COMMENTS_MAX_PAGES=all", "ARCHIVER_COMMENTS_MAX_PAGES must be a whole number, not 'all'"),
    ("ARCHIVER_ARCHIVE_BATCH_SIZE=2.5", "ARCHIVER_ARCHIVE_BATCH_SIZE must be a whole number, not '2.5'"),
    ("ARCHIVER_CONDITIONAL_ENABLED=on", "ARCHIVER_CONDITIONAL_ENABLED must be true or false, not 'on'"),
]


def error_lines(stderr: str) -> list[str]:
    """What the command says beside click's usage hint ("Usage: ...", "Try ... --help")."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(("Usage:", "Try "))]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(("setting", "message"), BAD)
def test_crawl_refuses_a_bad_value_before_creating_anything(work: Path, setting: str, message: str) -> None:
    result = run_archiver("crawl", "http://127.0.0.1:9/", "-s", setting, cwd=work)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [f"Error: {message}"]
    assert result.stdout == ""
    assert list(work.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["crawl", "--sources", "{sources}"], id="sources"),
        pytest.param(["crawl", "--redis", "redis://127.0.0.1:{port}/0"], id="worker"),
        pytest.param(["crawl", "--redis", "redis://127.0.0.1:{port}/0", "http://127.0.0.1:9/"], id="worker-enqueues"),
    ],
)
@pytest.mark.parametrize(("setting", "message"), [BAD[0], BAD[5]])
def test_every_crawl_command_checks_the_values(
    tmp_path: Path, work: Path, command: list[str], setting: str, message: str
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[site]]\nname = "local"\nstart_urls = ["http://127.0.0.1:9/"]\n', encoding="utf-8")
    args = [arg.format(sources=sources, port=free_port()) for arg in command]
    result = run_archiver(*args, "-s", setting, cwd=work)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [f"Error: {message}"]
    assert list(work.iterdir()) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"DOWNLOAD_TIMEOUT": "2.5", "DOWNLOAD_DELAY": "0", "DNS_TIMEOUT": "1.5"},  # whole-number defaults
        {"ROBOTSTXT_OBEY": "false", "COOKIES_ENABLED": "1", "TELNETCONSOLE_ENABLED": "0", "LOG_ENABLED": "True"},
        {"DEPTH_LIMIT": "2", "CONCURRENT_REQUESTS": " 8 ", "ARCHIVER_ARCHIVE_BATCH_SIZE": "10"},
        {"USER_AGENT": "me", "LOG_LEVEL": "DEBUG", "ARCHIVER_EXTRACT_PROCESSES": "auto", "NOT_A_SETTING": "x"},
    ],
)
def test_values_scrapy_reads_are_accepted(overrides: dict[str, str]) -> None:
    check_overrides(overrides)
