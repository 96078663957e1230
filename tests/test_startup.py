"""Start-up: `--help` and the commands that only read the archive do not import the crawling machinery.

A behaviour test, not a timing test: it checks which modules a command loaded. The time itself is
measured by `make bench-startup`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from archiver.archive import Archive
from archiver.cli import Commands, cli
from archiver.crawl.runner import build_settings
from archiver.demo import SiteServer
from tests.conftest import LOCAL_CRAWL_FLAGS, make_site, require_binary, rows

#: Modules only crawling, extraction, distributed crawls, serving or a live display need.
HEAVY = (
    "scrapy",
    "twisted",
    "lxml",
    "parsel",
    "trafilatura",
    "datasette",
    "rich",
    "redis",
    "archiver.crawl.runner",
    "archiver.extract",
    "archiver.distributed",
    "archiver.crawl.pool",
    "archiver.crawl.spiders",
    "archiver.crawl.middlewares",
    "archiver.crawl.pipelines",
    "archiver.cli.distributed",
)

#: Runs one command in a fresh interpreter, then writes the names of the modules it loaded.
RUN = """
import json, sys
from archiver.cli import cli
try:
    cli(sys.argv[2:], prog_name="archiver")
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def loaded_heavy(tmp_path: Path, *args: str) -> list[str]:
    return heavy(loaded(tmp_path, *args))


def loaded(tmp_path: Path, *args: str) -> list[str]:
    """The modules loaded in the process that ran ``archiver ARGS``."""
    listing = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(listing), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listing.exists(), done.stderr
    return list(json.loads(listing.read_text()))


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY))]


def test_importing_the_cli_loads_no_crawling_machinery(tmp_path: Path) -> None:
    code = "import json, sys, archiver.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert heavy(json.loads(done.stdout)) == []


def test_the_extraction_workers_load_no_crawling_machinery() -> None:
    """What the crawl's extraction workers import (``archiver.crawl.pool.PRELOAD``) has no Scrapy or Twisted."""
    from archiver.crawl.pool import PRELOAD

    code = f"import json, sys; [__import__(m) for m in {PRELOAD!r}]; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = json.loads(done.stdout)
    assert {"archiver.extract", "trafilatura", "htmldate"} <= set(loaded)
    assert [m for m in loaded if m.split(".")[0] in ("scrapy", "twisted")] == []


def test_a_crawl_loads_no_redis_no_feed_reader_and_no_trafilatura(tmp_path: Path, demo_site: SiteServer) -> None:
    """A crawl of URLs loads neither the distributed crawl (its Redis client) nor, with no feed to
    read, the feed parser, nor Scrapy's remote control (off) with aiohttp's web server, nor its
    cookies middleware (off) with tldextract and requests; its
    extraction workers read the pages, so the crawl's own process loads neither trafilatura nor
    htmldate: their imports cost it 0.4 CPU s."""
    modules = loaded(tmp_path, "crawl", demo_site.url, "--db", "archive.db", *LOCAL_CRAWL_FLAGS)
    assert "archiver.crawl.runner" in modules  # it did crawl
    assert "archiver.extract" in modules  # for names only
    unused = ("redis", "scrapy_redis", "feedparser", "trafilatura", "htmldate", "aiohttp", "tldextract", "requests")
    assert [m for m in modules if m.split(".")[0] in unused] == []
    assert [m for m in modules if m.startswith(("archiver.distributed", "archiver.cli.distributed"))] == []


def test_a_crawl_that_may_render_loads_playwright_only_to_render(tmp_path: Path) -> None:
    """Rendering on and Chromium there, a crawl whose pages need no rendering never loads
    Playwright or scrapy-playwright (0.15-0.2 CPU s): the download handler builds the browser's
    handler at the first page to render."""
    chromium = require_binary("chromium")
    with SiteServer(make_site(tmp_path / "site", 2)) as site:
        settings = {
            "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "False",
            "ARCHIVER_RENDER_COMMENTS": "auto",
            "ARCHIVER_RENDER_CHROMIUM": chromium,
        }
        flags = [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
        modules = loaded(tmp_path, "crawl", site.url, "--db", "archive.db", *flags)
    assert "archiver.crawl.render.handler" in modules  # the crawl could render
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 2
    assert [m for m in modules if m.split(".")[0] in ("playwright", "scrapy_playwright")] == []
    assert "archiver.crawl.render.browser" not in modules


def test_scrapys_remote_control_is_listed_only_when_switched_on(tmp_path: Path) -> None:
    remote = "scrapy.extensions.remote_control.RemoteControl"
    assert remote not in build_settings(tmp_path / "a.db", tmp_path, {}, None).getwithbase("EXTENSIONS")
    switched_on = build_settings(tmp_path / "a.db", tmp_path, {"REMOTE_CONTROL_ENABLED": "True"}, None)
    assert remote in switched_on.getwithbase("EXTENSIONS")


def test_scrapys_cookies_middleware_is_listed_only_when_switched_on(tmp_path: Path) -> None:
    cookies = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
    off = build_settings(tmp_path / "a.db", tmp_path, {}, None)
    assert cookies not in off.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware" in off.getwithbase("DOWNLOADER_MIDDLEWARES")
    switched_on = build_settings(tmp_path / "a.db", tmp_path, {"COOKIES_ENABLED": "True"}, None)
    assert cookies in switched_on.getwithbase("DOWNLOADER_MIDDLEWARES")


def test_the_crawl_runner_loads_scrapys_tls_context_factory_first() -> None:
    """Loaded with the crawl runner, before the engine's start: importing it runs Scrapy's
    deprecation shim, whose ``inspect.stack()`` looks up the module of each frame among all the
    modules loaded (0.2 CPU s a crawl when the download handler imported it, deep in the engine's
    start with the whole crawl loaded)."""
    code = "import json, sys, archiver.crawl.runner; print(json.dumps(list(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    modules = json.loads(done.stdout)
    factory = modules.index("scrapy.core.downloader.contextfactory")
    assert factory < modules.index("scrapy.crawler")
    assert factory < modules.index("archiver.crawl.spiders.articles")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save([{"url": "https://example.org/a", "canonical_url": "https://example.org/a", "title": "Ferry",
                 "body": "The ferry ran.", "comments": [{"number": 1, "author": "Ann", "body": "Hi"}]}])  # fmt: skip
    store.close()
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["stats"],
        ["query", "SELECT title FROM articles"],
        ["query", "SELECT title FROM articles", "--table"],
        ["search", "ferry"],
        ["show", "1"],
        ["runs"],
        ["export", "-o", "out.jsonl"],
        ["export", "-o", "-"],
        ["export", "--format", "wacz", "-o", "out.wacz"],
    ],
    ids=lambda args: " ".join(args),
)
def test_read_only_commands_load_no_crawling_machinery(tmp_path: Path, archive: Path, args: list[str]) -> None:
    assert loaded_heavy(tmp_path, *args) == []


def test_a_distributed_command_is_loaded_when_it_runs(tmp_path: Path) -> None:
    assert "archiver.cli.distributed" in loaded_heavy(tmp_path, "drain", "--help")


@pytest.mark.parametrize("name", sorted(Commands.lazy))
def test_help_line_of_a_lazy_command_is_its_own(name: str) -> None:
    """`archiver --help` shows the line of a command not imported yet from a table: the command's own."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.get_short_help_str(limit=1000) == Commands.lazy[name][2]
