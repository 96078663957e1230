"""``archiver check``: each problem of a sources file is reported once, at its line, all together."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.crawl.sources import SourcesError, load_sources
from tests.conftest import run_archiver

SITES = """
[[site]]
name = "a"
start_urls = ["https://a.example/"]

[[site]]
name = "b"
start_urls = ["https://b.example/"]
delay = 2

[[site]]
name = "c"
start_urls = ["https://c.example/"]
"""


def problems(tmp_path: Path, text: str, profiles: set[str] | None = None) -> list[str]:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as raised:
        load_sources(path, profiles) if profiles is not None else load_sources(path)
    return [p.removeprefix(f"{path}:") for p in raised.value.problems]


def usage_error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(("Usage:", "Try "))]


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [
        ('[defaults]\ndelay = "slow"\n', ["2: [defaults]: delay must be a number, not 'slow'"]),
        ("[defaults]\ndepth = 500\n", ["2: [defaults]: depth must be between 0 and 100, not 500"]),
        ("[defaults]\nconcurrency = 1.5\n", ["2: [defaults]: concurrency must be an integer, not 1.5"]),
        (
            "[defaults]\ndepth = 1\n\n[defaults.recrawl]\nfresh_days = -1\n",
            ["5: [defaults]: recrawl: fresh_days must be between 0 and 3650, not -1"],
        ),
        (
            '[defaults]\nrecrawl = { interval_days = "weekly" }\n',
            ["2: [defaults]: recrawl: interval_days must be a number, not 'weekly'"],
        ),
        ("[defaults]\nrecrawl = 3\n", ["2: [defaults]: recrawl must be a table (fresh_days, interval_days)"]),
        ("[defaults]\nspeed = 3\n", ["2: [defaults]: unknown key 'speed'"]),
    ],
)
def test_a_bad_default_is_reported_once_at_its_line(tmp_path: Path, defaults: str, expected: list[str]) -> None:
    assert problems(tmp_path, defaults + SITES) == expected


def test_defaults_after_the_sites_are_reported_at_their_own_line(tmp_path: Path) -> None:
    text = SITES + '\n[defaults]\ndepth = 1\ndelay = "slow"\n'
    line = text.splitlines().index('delay = "slow"') + 1
    assert problems(tmp_path, text) == [f"{line}: [defaults]: delay must be a number, not 'slow'"]


def test_a_site_of_its_own_bad_value_is_reported_at_the_sites_line(tmp_path: Path) -> None:
    text = '[defaults]\ndelay = 1\n\n[[site]]\nname = "a"\nstart_urls = ["https://a.example/"]\ndelay = "slow"\n'
    assert problems(tmp_path, text) == ["7: site 'a': delay must be a number, not 'slow'"]


def test_an_unknown_profile_is_reported_with_the_other_problems_at_its_line(tmp_path: Path) -> None:
    text = (
        '[defaults]\ndepth = -1\n\n[[site]]\nname = "a"\nstart_urls = ["https://a.example/"]\nprofile = "nope"\n\n'
        '[[site]]\nname = "b"\nstart_urls = ["ftp://b.example/"]\nprofile = "known"\n'
    )
    assert problems(tmp_path, text, profiles={"known"}) == [
        "2: [defaults]: depth must be between 0 and 100, not -1",
        "7: site 'a': no site profile named 'nope'",
        "11: site 'b': start_urls: 'ftp://b.example/' is not an absolute http(s) URL",
    ]


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ('start_urls = ["https://b.example/"]\n', "5: site #2: name is missing (it names the run's state folder)"),
        ('name = ""\nstart_urls = ["https://b.example/"]\n', "6: site '': name must be letters, digits, '.'"),
        ('name = "a b"\nstart_urls = ["https://b.example/"]\n', "6: site 'a b': name must be letters, digits"),
        ('name = 7\nstart_urls = ["https://b.example/"]\n', "6: site #2: name must be letters, digits"),
    ],
)
def test_a_missing_site_name_says_it_is_missing(tmp_path: Path, site: str, expected: str) -> None:
    text = '[[site]]\nname = "a"\nstart_urls = ["https://a.example/"]\n\n[[site]]\n' + site
    (found,) = problems(tmp_path, text)
    assert found.startswith(expected)


def test_check_prints_each_problem_once_with_the_unknown_profile(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '[defaults]\ndelay = "slow"\n' + SITES.replace('name = "c"', 'name = "c"\nprofile = "nope"') + "[[site]]\n"
        'start_urls = ["https://d.example/"]\n',
        encoding="utf-8",
    )
    result = run_archiver("check", "sources.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "sources.toml:2: [defaults]: delay must be a number, not 'slow'",
        "sources.toml:15: site 'c': no site profile named 'nope'",
        "sources.toml:17: site #4: name is missing (it names the run's state folder)",
        "Error: 3 problem(s) in sources.toml",
    ]
    assert result.stdout == ""


@pytest.mark.parametrize("target", ["missing.toml", "folder"])
def test_check_of_a_missing_file_or_a_folder_is_a_usage_error(tmp_path: Path, target: str) -> None:
    (tmp_path / "folder").mkdir()
    result = run_archiver("check", target, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = usage_error_lines(result.stderr)
    assert line.startswith("Error: Invalid value for 'SOURCES': ") and repr(target)[1:-1] in line
    assert "Traceback" not in result.stderr
