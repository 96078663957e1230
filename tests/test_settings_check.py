"""Settings: each ARCHIVER_* setting declared once (archiver/settings.py), read typed and checked by
the components, checked by the crawl commands before anything is created, and documented in README.md
as declared. A value given with -s that its setting cannot take fails at once: one line, exit 2."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings, default_settings
from scrapy.utils.test import get_crawler

import archiver
from archiver import settings as archiver_settings
from archiver.crawl.extensions.progress import Progress
from archiver.crawl.middlewares.conditional import ConditionalRequests
from archiver.crawl.middlewares.recrawl import RecrawlMiddleware
from archiver.crawl.middlewares.retryafter import RetryAfter
from archiver.crawl.middlewares.runlog import RunLog
from archiver.crawl.pipelines.archive import ArchivePipeline
from archiver.crawl.scheduler import DiskQueueScheduler
from archiver.crawl.spiders.articles import ArticlesSpider
from archiver.distributed.progress import WorkerProgress
from archiver.distributed.runlog import RedisRunLog
from archiver.settings import SettingError, check_overrides, declared, read_setting, settings_table
from tests.conftest import free_port, run_archiver

ROOT = Path(__file__).resolve().parent.parent

BAD = [
    ("DOWNLOAD_DELAY=fast", "DOWNLOAD_DELAY must be a number, not 'fast'"),
    ("DOWNLOAD_TIMEOUT=soon", "DOWNLOAD_TIMEOUT must be a number, not 'soon'"),
    ("AUTOTHROTTLE_MAX_DELAY=", "AUTOTHROTTLE_MAX_DELAY must be a number, not ''"),
    ("CONCURRENT_REQUESTS=2.5", "CONCURRENT_REQUESTS must be a whole number, not '2.5'"),
    ("DEPTH_LIMIT=two", "DEPTH_LIMIT must be a whole number, not 'two'"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY must be true or false, not 'maybe'"),
    ("AUTOTHROTTLE_ENABLED=yes", "AUTOTHROTTLE_ENABLED must be true or false, not 'yes'"),
    ("ARCHIVER_RECRAWL_FRESH_DAYS=week", "ARCHIVER_RECRAWL_FRESH_DAYS must be a number 0 or more, not 'week'"),
    ("ARCHIVER_COMMENTS_MAX_PAGES=all", "ARCHIVER_COMMENTS_MAX_PAGES must be a whole number 0 or more, not 'all'"),
    ("ARCHIVER_ARCHIVE_BATCH_SIZE=2.5", "ARCHIVER_ARCHIVE_BATCH_SIZE must be a whole number 1 or more, not '2.5'"),
    ("ARCHIVER_ARCHIVE_BATCH_SIZE=0", "ARCHIVER_ARCHIVE_BATCH_SIZE must be a whole number 1 or more, not '0'"),
    ("ARCHIVER_CONDITIONAL_ENABLED=on", "ARCHIVER_CONDITIONAL_ENABLED must be true or false, not 'on'"),
    (
        "ARCHIVER_WARC_COMPRESSION_LEVEL=10",
        "ARCHIVER_WARC_COMPRESSION_LEVEL must be a whole number from 0 to 9, not '10'",
    ),
    (
        "ARCHIVER_ARCHVE_PATH=other.db",
        "ARCHIVER_ARCHVE_PATH is not a setting of archiver (did you mean ARCHIVER_ARCHIVE_PATH?)",
    ),
    ("ARCHIVER_NOTHING_LIKE_IT=1", "ARCHIVER_NOTHING_LIKE_IT is not a setting of archiver"),
    ("ARCHIVER_EXTRACT_TIMEOUT=0", "ARCHIVER_EXTRACT_TIMEOUT must be a number more than 0, not '0'"),
    (
        "ARCHIVER_EXTRACT_PROCESSES=many",
        "ARCHIVER_EXTRACT_PROCESSES must be \"auto\" or a whole number 0 or more, not 'many'",
    ),
    # every declared setting is checked, the ones of a distributed crawl too
    (
        "ARCHIVER_REDIS_HEARTBEAT_SECONDS=0",
        "ARCHIVER_REDIS_HEARTBEAT_SECONDS must be a number more than 0, not '0'",
    ),
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
@pytest.mark.parametrize(("setting", "message"), [BAD[0], BAD[5], BAD[10]])
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
        {"ARCHIVER_RETRY_AFTER_MAX": "0", "ARCHIVER_REDIS_PROGRESS_SECONDS": "0", "ARCHIVER_PROGRESS": "Off"},
    ],
)
def test_values_scrapy_reads_are_accepted(overrides: dict[str, str]) -> None:
    check_overrides(overrides)


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("ARCHIVER_EXTRACT_PROCESSES", " AUTO ", "auto"),
        ("ARCHIVER_EXTRACT_PROCESSES", "2", 2),
        ("ARCHIVER_EXTRACT_PROCESSES", 0, 0),
        ("ARCHIVER_PROGRESS", " Live", "live"),
        ("ARCHIVER_DISK_QUEUE", "false", False),
        ("ARCHIVER_RUNLOG_ENABLED", "1", True),
        ("ARCHIVER_EXTRACT_TIMEOUT", "0.5", 0.5),
        ("ARCHIVER_ARCHIVE_BATCH_SIZE", " 7 ", 7),
        ("ARCHIVER_WARC_COMPRESSION_LEVEL", "9", 9),
        ("ARCHIVER_ARCHIVE_PATH", Path("a.db"), "a.db"),
        ("ARCHIVER_RECRAWL_INTERVAL_DAYS", "0", 0.0),
    ],
)
def test_a_value_is_read_typed(name: str, value: object, read: object) -> None:
    got = read_setting(Settings({name: value}), name)
    assert got == read and type(got) is type(read)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ARCHIVER_EXTRACT_TIMEOUT", "x", "ARCHIVER_EXTRACT_TIMEOUT must be a number more than 0, not 'x'"),
        ("ARCHIVER_EXTRACT_TIMEOUT", -1, "ARCHIVER_EXTRACT_TIMEOUT must be a number more than 0, not -1"),
        ("ARCHIVER_RETRY_AFTER_MAX", "nan", "ARCHIVER_RETRY_AFTER_MAX must be a number 0 or more, not 'nan'"),
        ("ARCHIVER_EXTRACT_PROCESSES", "-1",
         "ARCHIVER_EXTRACT_PROCESSES must be \"auto\" or a whole number 0 or more, not '-1'"),
        ("ARCHIVER_PROGRESS", "loud", "ARCHIVER_PROGRESS must be one of auto, live, log, off, not 'loud'"),
        ("ARCHIVER_DISK_QUEUE", "maybe", "ARCHIVER_DISK_QUEUE must be true or false, not 'maybe'"),
        ("ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS", "-5",
         "ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS must be a whole number 0 or more, not '-5'"),
        ("ARCHIVER_WARC_COMPRESSION_LEVEL", "10",
         "ARCHIVER_WARC_COMPRESSION_LEVEL must be a whole number from 0 to 9, not '10'"),
        ("ARCHIVER_WARC_COMPRESSION_LEVEL", "-1",
         "ARCHIVER_WARC_COMPRESSION_LEVEL must be a whole number from 0 to 9, not '-1'"),
    ],
)  # fmt: skip
def test_a_bad_value_names_the_setting(name: str, value: object, message: str) -> None:
    with pytest.raises(SettingError) as raised:
        read_setting(Settings({name: value}), name)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        (archiver_settings.Whole(), "a whole number"),
        (archiver_settings.Whole(at_least=0), "a whole number 0 or more"),
        (archiver_settings.Whole(at_most=9), "a whole number 9 or less"),
        (archiver_settings.Whole(at_least=0, at_most=9), "a whole number from 0 to 9"),
        (archiver_settings.Whole(at_most=4, or_auto=True), '"auto" or a whole number 4 or less'),
    ],
)
def test_a_whole_number_says_each_bound(kind: archiver_settings.Whole, what: str) -> None:
    """What a whole number takes names its upper bound also when it has no lower one."""
    assert kind.what == what


@pytest.mark.parametrize("name", list(declared))
def test_each_default_is_a_value_its_setting_takes(name: str) -> None:
    project = Settings()
    project.setmodule(archiver_settings, priority="project")
    assert project[name] == declared[name].default  # a module attribute Scrapy loads
    assert read_setting(project, name) == declared[name].default
    assert read_setting(Settings(), name) == declared[name].default  # unset: the declared default


def test_the_module_holds_scrapy_settings_and_declared_ones_only() -> None:
    """Scrapy loads every upper-case name of archiver/settings.py: no helper may have one."""
    names = {name for name in dir(archiver_settings) if name.isupper()}
    assert names - set(declared) <= set(dir(default_settings))
    assert {name for name in names if name.startswith("ARCHIVER_")} == set(declared)


def _crawler(settings: dict[str, Any]) -> Any:
    return get_crawler(settings_dict=settings)


@pytest.mark.parametrize(
    ("component", "name", "value", "others"),
    [
        (ArchivePipeline, "ARCHIVER_ARCHIVE_BATCH_SIZE", 0, {}),
        (ArchivePipeline, "ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS", "long", {}),
        (RunLog, "ARCHIVER_ARCHIVE_BATCH_SIZE", "0", {}),
        (RunLog, "ARCHIVER_RUNLOG_ENABLED", "maybe", {}),
        (RedisRunLog, "ARCHIVER_ARCHIVE_BATCH_SIZE", -1, {}),
        (RetryAfter, "ARCHIVER_RETRY_AFTER_MAX", "-1", {}),
        (RecrawlMiddleware, "ARCHIVER_RECRAWL_ENABLED", "yes", {}),
        (RecrawlMiddleware, "ARCHIVER_RECRAWL_INTERVAL_DAYS", -1, {"ARCHIVER_RECRAWL_ENABLED": True}),
        (ConditionalRequests, "ARCHIVER_CONDITIONAL_ENABLED", "on", {}),
        (Progress, "ARCHIVER_PROGRESS", "loud", {}),
        (Progress, "ARCHIVER_PROGRESS_INTERVAL", 0, {}),
        (DiskQueueScheduler, "ARCHIVER_DISK_QUEUE", "maybe", {}),
        (WorkerProgress, "ARCHIVER_REDIS_PROGRESS_SECONDS", "soon", {}),
    ],
)
def test_components_refuse_a_bad_value_at_start_up(
    tmp_path: Path, component: Any, name: str, value: object, others: dict[str, Any]
) -> None:
    crawler = _crawler({"ARCHIVER_ARCHIVE_PATH": str(tmp_path / "a.db"), **others, name: value})
    with pytest.raises(SettingError, match=f"^{name} must be .*, not {re.escape(repr(value))}$"):
        component.from_crawler(crawler)


@pytest.mark.parametrize(
    ("settings", "name"),
    [
        ({"ARCHIVER_EXTRACT_TIMEOUT": "0"}, "ARCHIVER_EXTRACT_TIMEOUT"),
        ({"ARCHIVER_EXTRACT_PROCESSES": "-2"}, "ARCHIVER_EXTRACT_PROCESSES"),
        ({"ARCHIVER_EXTRACT_MIN_WORDS": "many"}, "ARCHIVER_EXTRACT_MIN_WORDS"),
        ({"ARCHIVER_COMMENTS_MAX_PAGES": "2.5"}, "ARCHIVER_COMMENTS_MAX_PAGES"),
    ],
)
def test_the_spider_refuses_a_bad_value_at_start_up(settings: dict[str, str], name: str) -> None:
    with pytest.raises(SettingError, match=f"^{name} must be "):
        ArticlesSpider.from_crawler(_crawler(settings), url="http://127.0.0.1:9/")


def test_the_redis_scheduler_refuses_a_bad_value_at_start_up(redis_url: str) -> None:
    from archiver.distributed.scheduler import RedisScheduler
    from archiver.distributed.worker import apply_worker_settings

    worker = Settings()
    apply_worker_settings(worker, redis_url)
    scrapy_redis = {name: worker[name] for name in ("REDIS_URL", "DUPEFILTER_CLASS", "SCHEDULER_QUEUE_CLASS")}
    crawler = _crawler({**scrapy_redis, "ARCHIVER_REDIS_IDLE_SECONDS": "-1"})
    with pytest.raises(SettingError, match=r"^ARCHIVER_REDIS_IDLE_SECONDS must be a number 0 or more, not '-1'$"):
        RedisScheduler.from_crawler(crawler)


# Environment variables of the test suite, not settings (README's Development section).
_NOT_SETTINGS = {"ARCHIVER_REQUIRE_ALL"}
_NAME = re.compile(r"\bARCHIVER_[A-Z0-9_]*[A-Z0-9]\b")


def test_the_readme_table_is_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| setting | default | takes | meaning |")
    end = readme.index("\n\n", start) + 1
    assert readme[start:end] == settings_table(), "paste the output of `python -m archiver.settings` in README.md"
    assert set(_NAME.findall(readme)) - _NOT_SETTINGS <= set(declared)


def test_every_archiver_setting_used_in_the_code_is_declared() -> None:
    package = Path(archiver.__file__).parent
    used: dict[str, str] = {}
    for path in sorted(package.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".toml", ".md", ".cfg", ".txt", ".html"}:
            continue
        for name in _NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            used.setdefault(name, str(path.relative_to(package)))
    assert "ARCHIVER_ARCHIVE_PATH" in used  # the scan sees the code
    assert {name: where for name, where in used.items() if name not in declared} == {}
