"""Scrapy settings for archiver, and archiver's own ARCHIVER_* settings declared in one place.

Each ARCHIVER_* setting is declared once, at the end of this file: its name, the values it takes
(and so its check), its default and one line of documentation. The defaults become module
attributes, which Scrapy loads like the ones above; components read a setting with
``read_setting(crawler.settings, NAME)``, typed and checked, and ``archiver crawl`` checks them all
before anything is created. README.md's settings table is ``settings_table()``
(``python -m archiver.settings`` prints it; a test compares the two).
Override any setting with ``-s NAME=VALUE`` (``archiver crawl`` and ``scrapy crawl``).

Scrapy loads every UPPERCASE name of this module as a setting: helpers here have other names.
"""

from __future__ import annotations

import difflib
import math
import sys
import typing
from collections.abc import Mapping
from dataclasses import dataclass

if typing.TYPE_CHECKING:
    from scrapy.settings import BaseSettings

BOT_NAME = "archiver"
SPIDER_MODULES = ["archiver.crawl.spiders"]
NEWSPIDER_MODULE = "archiver.crawl.spiders"

# Identify the crawler honestly; set your own contact address when crawling real sites.
USER_AGENT = "archiver/0.1 (+https://example.invalid/archiver; set USER_AGENT to your contact)"

# Politeness: obey robots.txt, adapt the delay to the server, keep per-domain concurrency low.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
# Outputs of one page handled at once (Scrapy: 100). The pipelines are synchronous, so more buys
# nothing, while Scrapy starts that many asyncio tasks for every response: 100 cost the crawl's
# process about 3 CPU ms a page (benchmarks/RESULTS.md, "The crawl's own overhead").
CONCURRENT_ITEMS = 4
# Follow links this many hops from the start pages (``archiver crawl --depth``).
DEPTH_LIMIT = 3

DOWNLOADER_MIDDLEWARES = {
    # near the engine, so it also sees requests robots.txt refuses
    "archiver.crawl.middlewares.runlog.RunLog": 50,
    "archiver.crawl.middlewares.conditional.ConditionalRequests": 60,
    # sees 429/503 responses before Scrapy's RetryMiddleware (550) retries them at once
    "archiver.crawl.middlewares.retryafter.RetryAfter": 560,
    # Scrapy's meta refresh redirects, in their place (580), not decoding a page that names no refresh
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "archiver.crawl.middlewares.metarefresh.MetaRefresh": 580,
    # `archiver demo` only (ARCHIVER_DEMO_SERVER): before Scrapy's HttpProxyMiddleware (750)
    "archiver.demo.proxy.DemoServerProxy": 740,
    # next to the downloader: each response as received (before decompression, redirects, retries)
    "archiver.crawl.middlewares.capture.CaptureMiddleware": 950,
}

# Requests waiting to be fetched wait on disk (in JOBDIR, or a temporary folder): see ARCHIVER_DISK_QUEUE.
SCHEDULER = "archiver.crawl.scheduler.DiskQueueScheduler"
# Scrapy's default disk queue, a request's callback named without listing the spider's members
SCHEDULER_DISK_QUEUE = "archiver.crawl.scheduler.SpiderRequestsDiskQueue"

SPIDER_MIDDLEWARES = {
    # closest to the spider: drops requests for archived articles that are not due
    "archiver.crawl.middlewares.recrawl.RecrawlMiddleware": 950,
}

EXTENSIONS = {
    # the crawl's process: what it started with frozen, young objects collected less often
    "archiver.crawl.extensions.collector.Collector": 100,
    "archiver.crawl.extensions.progress.Progress": 500,
}

ITEM_PIPELINES = {
    "archiver.crawl.pipelines.validate.ValidatePipeline": 100,
    "archiver.crawl.pipelines.dedupe.DedupePipeline": 200,
    "archiver.crawl.pipelines.archive.ArchivePipeline": 300,
}

# The crawl's JSON Lines file: items after validation and dedupe, comments nested.
# The file is written as "<name>.part" and renamed when the crawl closes.
FEEDS = {
    "exports/%(name)s-%(crawl_id)s.jsonl": {"format": "jsonlines", "encoding": "utf8"},
}
FEED_STORAGES = {"file": "archiver.crawl.feeds.AtomicFileFeedStorage"}
# Writes the same bytes as Scrapy's JSON Lines exporter, without ItemAdapter for each comment.
FEED_EXPORTERS = {
    "jsonlines": "archiver.crawl.feeds.ArticleJsonLinesExporter",
    "jsonl": "archiver.crawl.feeds.ArticleJsonLinesExporter",
}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False

# Scrapy 2.19 opens a remote-control port by default; a crawler has no use for it.
REMOTE_CONTROL_ENABLED = False


# --- archiver's own settings -------------------------------------------------------------


class SettingError(ValueError):
    """A setting's value is not one it takes; the message names the setting and the value."""


@dataclass(frozen=True)
class Text:
    """Any text ("" is none)."""

    what = "text"

    def parse(self, settings: BaseSettings, name: str, default: typing.Any) -> str:
        value = settings.get(name, default)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Flag:
    """A boolean, as Scrapy's ``getbool`` reads one (True/False, true/false, 1/0)."""

    what = "true or false"

    def parse(self, settings: BaseSettings, name: str, default: typing.Any) -> bool:
        return settings.getbool(name, default)


@dataclass(frozen=True)
class Whole:
    """A whole number (Scrapy's ``getint``) of at least ``at_least`` (and at most ``at_most``); with
    ``or_auto``, also "auto"."""

    at_least: int | None = None
    or_auto: bool = False
    at_most: int | None = None

    @property
    def what(self) -> str:
        if self.at_least is not None and self.at_most is not None:
            what = f"a whole number from {self.at_least} to {self.at_most}"
        elif self.at_most is not None:
            what = f"a whole number {self.at_most} or less"
        else:
            what = "a whole number" if self.at_least is None else f"a whole number {self.at_least} or more"
        return f'"auto" or {what}' if self.or_auto else what

    def parse(self, settings: BaseSettings, name: str, default: typing.Any) -> int | str:
        if self.or_auto and str(settings.get(name, default)).strip().lower() == "auto":
            return "auto"
        value = settings.getint(name, default)
        if self.at_least is not None and value < self.at_least:
            raise ValueError(value)
        if self.at_most is not None and value > self.at_most:
            raise ValueError(value)
        return value


@dataclass(frozen=True)
class Number:
    """A number (Scrapy's ``getfloat``) of at least ``at_least``, or more than ``more_than``."""

    at_least: float | None = None
    more_than: float | None = None

    @property
    def what(self) -> str:
        if self.more_than is not None:
            return f"a number more than {self.more_than:g}"
        return "a number" if self.at_least is None else f"a number {self.at_least:g} or more"

    def parse(self, settings: BaseSettings, name: str, default: typing.Any) -> float:
        value = settings.getfloat(name, default)
        if math.isnan(value) or (self.at_least is not None and value < self.at_least):
            raise ValueError(value)
        if self.more_than is not None and value <= self.more_than:
            raise ValueError(value)
        return value


@dataclass(frozen=True)
class OneOf:
    """One of a few words (any case, spaces around ignored); read in lower case."""

    choices: tuple[str, ...]

    @property
    def what(self) -> str:
        return f"one of {', '.join(self.choices)}"

    def parse(self, settings: BaseSettings, name: str, default: typing.Any) -> str:
        value = str(settings.get(name, default)).strip().lower()
        if value not in self.choices:
            raise ValueError(value)
        return value


@dataclass(frozen=True)
class Setting:
    """One ARCHIVER_* setting: its name, the values it takes, its default and what it does."""

    name: str
    kind: Text | Flag | Whole | Number | OneOf
    default: str | bool | int | float
    doc: str

    def read(self, settings: BaseSettings) -> typing.Any:
        """This setting's value in ``settings`` (the default when unset), or SettingError naming it."""
        try:
            return self.kind.parse(settings, self.name, self.default)
        except (TypeError, ValueError):
            raise SettingError(f"{self.name} must be {self.kind.what}, not {settings.get(self.name)!r}") from None


# Each one: Setting(name, what it takes (checked when read), default, what it does). README.md's
# table says the same (``settings_table()``); a name used anywhere in archiver/ must be here.
_settings = (
    Setting(
        "ARCHIVER_ARCHIVE_PATH",
        Text(),
        "archive.db",
        "the SQLite archive (created and migrated on open)",
    ),
    Setting(
        "ARCHIVER_ARCHIVE_BATCH_SIZE",
        Whole(at_least=1),
        50,
        "articles written per transaction; the rest at close",
    ),
    Setting(
        "ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS",
        Whole(at_least=0),
        30000,
        "how long a writer waits for another writer's lock",
    ),
    Setting(
        "ARCHIVER_RUNLOG_ENABLED",
        Flag(),
        True,
        "record each crawl in `crawls` and each fetch in `fetches`",
    ),
    Setting(
        "ARCHIVER_WARC_ENABLED",
        Flag(),
        True,
        "keep every HTTP response as received (with its request) in WARC/1.1 files, each article naming its"
        " capture (`archiver crawl --no-warc`: off)",
    ),
    Setting(
        "ARCHIVER_WARC_DIR",
        Text(),
        "",
        "folder of the WARC files: (none) is `<archive>.warc/` beside the archive (a worker of a distributed"
        " crawl, which has no archive: `warc/` in its working folder)",
    ),
    Setting(
        "ARCHIVER_WARC_MAX_SIZE",
        Whole(at_least=1),
        1_000_000_000,
        "bytes after which the next record begins a new WARC file",
    ),
    Setting(
        "ARCHIVER_WARC_COMPRESSION_LEVEL",
        Whole(at_least=0, at_most=9),
        3,
        "deflate level of each WARC record's gzip member: 0 stores the records uncompressed inside their gzip"
        " members (least CPU, most disk); of the compressing levels 1 is the cheapest in CPU, 9 the smallest;"
        " 1-3 are ISA-L's where isal is installed (x86-64, 64-bit ARM: a quarter to two fifths of zlib's CPU at"
        " the same level, about as many bytes), else zlib's, as 4-9 are; 3 (ISA-L's) costs about a fifth of"
        " zlib's 6 (gzip's default) in CPU for about 10% more bytes (benchmarks/RESULTS.md)",
    ),
    Setting(
        "ARCHIVER_EXTRACT_PROCESSES",
        Whole(at_least=0, or_auto=True),
        "auto",
        "worker processes extracting pages beside the crawl: `auto` is one per available core, at most 4"
        " (each holds about 85 MiB; the crawl's own process only fetches, schedules and stores, so on 2 cores"
        " two workers keep both busy); a number; `0` extracts in the crawl's own process",
    ),
    Setting(
        "ARCHIVER_DISK_QUEUE",
        Flag(),
        True,
        "requests waiting to be fetched wait on disk, as Scrapy does with a `JOBDIR`: without one, in a"
        " temporary folder in `TMPDIR` removed when the crawl ends, so the crawl's memory does not grow with"
        " the links it has found and not yet fetched (up to 256 of the newest, counted over all of a crawl's"
        " queues, wait in memory in front of their files, in the same order); `False` keeps them all in memory"
        " (Scrapy's default)",
    ),
    Setting(
        "ARCHIVER_EXTRACT_TIMEOUT",
        Number(more_than=0),
        60.0,
        "seconds one page's extraction may take in a worker; a page over it is recorded"
        " (`archiver/extract/timeout`) and the crawl goes on",
    ),
    Setting(
        "ARCHIVER_PROFILES_DIR",
        Text(),
        "",
        "a folder of site profiles of your own (`*.toml`, see `archiver/profiles/README.md`)",
    ),
    Setting(
        "ARCHIVER_RETRY_AFTER_MAX",
        Number(at_least=0),
        30.0,
        "longest `Retry-After` (seconds) of a 429 or 503 that is waited for before retrying (within"
        " `RETRY_TIMES`); a longer one is not retried and the status is recorded",
    ),
    Setting(
        "ARCHIVER_FOLLOW_LINKS",
        Flag(),
        True,
        "follow the links of the pages fetched (up to `DEPTH_LIMIT`); `False`: the start pages only (and a"
        " sources run's sitemap and feed entries), what `archiver crawl --depth 0` and a site's `depth = 0` set"
        " (Scrapy reads `DEPTH_LIMIT` 0 as no limit); in a distributed crawl, a sources file's site follows"
        " its own `depth`",
    ),
    Setting(
        "ARCHIVER_EXTRACT_MIN_WORDS",
        Whole(at_least=0),
        60,
        "fewer words of paragraph text and a page is not an article (a quarter, if it marks itself as one)",
    ),
    Setting(
        "ARCHIVER_CONDITIONAL_ENABLED",
        Flag(),
        True,
        "ask article pages the archive holds with `If-None-Match`/`If-Modified-Since`; a 304 skips extraction"
        " and marks the article seen",
    ),
    Setting(
        "ARCHIVER_RECRAWL_ENABLED",
        Flag(),
        False,
        "skip archived articles that are not due (on in `archiver crawl --sources`, and in workers for the"
        " sites of `archiver enqueue --sources`)",
    ),
    Setting(
        "ARCHIVER_RECRAWL_FRESH_DAYS",
        Number(at_least=0),
        14.0,
        "archived articles younger than this are fetched on every run, for new comments (a sources file's"
        " `fresh_days`)",
    ),
    Setting(
        "ARCHIVER_RECRAWL_INTERVAL_DAYS",
        Number(at_least=0),
        7.0,
        "older ones once this many days passed since their last fetch; `0` never (a sources file's `interval_days`)",
    ),
    Setting(
        "ARCHIVER_RUN_ID",
        Text(),
        "",
        "groups the crawls of one `--sources` run in `crawls` (set by the command)",
    ),
    Setting(
        "ARCHIVER_DEMO_SERVER",
        Text(),
        "",
        "the demo's server, which every request (a rendering browser's too, but for 127.0.0.1) is sent to as"
        " to an HTTP proxy, so the demo site keeps its address whatever the port (set by `archiver demo`)",
    ),
    Setting(
        "ARCHIVER_COMMENTS_MAX_PAGES",
        Whole(at_least=0),
        50,
        'most comment pages (`/comment-page-2/`, `?cpage=2`, "older comments") fetched and merged for one article',
    ),
    Setting(
        "ARCHIVER_RENDER_COMMENTS",
        OneOf(("auto", "off", "always")),
        "auto",
        "load an article page once more in headless Chromium to read comments its script loads: `auto` for"
        " articles whose `comments_status` is `script` or `external:<service>` when Chromium is there (else one"
        " warning and the crawl goes on); `always` for every article, and Chromium must be there; `off` never",
    ),
    Setting(
        "ARCHIVER_RENDER_CHROMIUM",
        Text(),
        "/usr/bin/chromium",
        "the Chromium (or Chrome) executable rendering launches, a path or a name on `PATH` (never downloaded)",
    ),
    Setting(
        "ARCHIVER_RENDER_MAX_PAGES",
        Whole(at_least=0),
        200,
        "most article pages rendered in one crawl; those past it keep the status they had"
        " (`archiver/render/over_budget`)",
    ),
    Setting(
        "ARCHIVER_RENDER_TIMEOUT",
        Number(more_than=0),
        20.0,
        'seconds one page\'s rendering may take, from loading it to its last "load more"; what its comment'
        " widget has shown by then is read",
    ),
    Setting(
        "ARCHIVER_RENDER_PAGES_AT_ONCE",
        Whole(at_least=1),
        2,
        "browser pages open at once (each in its own browser context, about 50-100 MiB each)",
    ),
    Setting(
        "ARCHIVER_RENDER_CLICKS",
        Whole(at_least=0),
        10,
        'most "show comments" or "load more" controls clicked on one page',
    ),
    Setting(
        "ARCHIVER_PROGRESS",
        OneOf(("auto", "live", "log", "off")),
        "auto",
        "crawl progress (pages, their rate, items, queued requests, errors): `auto` draws a live line on stderr"
        " when it is a terminal and the log is not written there (no `-v`), and writes progress lines to the"
        " log otherwise; `live`, `log` or `off` force one",
    ),
    Setting(
        "ARCHIVER_PROGRESS_INTERVAL",
        Number(more_than=0),
        10.0,
        "seconds between progress lines in the log (the live line is redrawn twice a second)",
    ),
    Setting(
        "ARCHIVER_GC_TUNING",
        Flag(),
        True,
        "while the crawl runs, Python's garbage collector leaves alone what the crawl started with (`gc.freeze`)"
        " and collects young objects every 10,000 new ones instead of 700, as it was once the crawl ends (about"
        " 0.4-0.9 CPU ms a page of the crawl's process); false keeps the collector as the process set it",
    ),
    Setting(
        "ARCHIVER_REDIS_URL",
        Text(),
        "",
        "Redis of a distributed crawl (`redis://HOST:PORT/DB`, also read from the environment):"
        " `archiver crawl` becomes a worker",
    ),
    Setting(
        "ARCHIVER_REDIS_IDLE_SECONDS",
        Number(at_least=0),
        30.0,
        "a worker stops when nothing has been queued or in flight in the whole crawl for this long",
    ),
    Setting(
        "ARCHIVER_REDIS_HEARTBEAT_SECONDS",
        Number(more_than=0),
        10.0,
        "a worker silent this long is taken for dead and its in-flight requests go back to the queue",
    ),
    Setting(
        "ARCHIVER_REDIS_PROGRESS_SECONDS",
        Number(at_least=0),
        10.0,
        "seconds between a worker's progress lines on stderr (`0`: none)",
    ),
    Setting(
        "ARCHIVER_REDIS_SLOTS_ENABLED",
        Flag(),
        True,
        "each site's delay and concurrency hold for all the workers together (a slot per site in Redis, taken"
        " before each request); off: each worker applies `DOWNLOAD_DELAY` and `CONCURRENT_REQUESTS_PER_DOMAIN`"
        " on its own",
    ),
    Setting(
        "ARCHIVER_REDIS_SLOT_LEASE_SECONDS",
        Number(more_than=0),
        60.0,
        "longest a request holds its site's slot: the slot of a killed worker's request comes back after this"
        " (keep it above `DOWNLOAD_TIMEOUT`)",
    ),
    Setting(
        "ARCHIVER_REDIS_SLOT_WAIT_SECONDS",
        Number(more_than=0),
        60.0,
        "longest a request waits in a worker for its site's slot; then it goes back to the shared queue, so"
        " one slow site does not hold all of a worker's `CONCURRENT_REQUESTS`",
    ),
)

#: archiver's settings by name (a lower-case name: Scrapy loads upper-case ones as settings).
declared: dict[str, Setting] = {setting.name: setting for setting in _settings}

# The defaults, as module attributes Scrapy loads (ARCHIVER_ARCHIVE_PATH = "archive.db", ...).
globals().update({name: setting.default for name, setting in declared.items()})


def read_setting(settings: BaseSettings, name: str) -> typing.Any:
    """A declared setting's value, typed and checked, or SettingError naming the setting and the value."""
    return declared[name].read(settings)


def check_settings(settings: BaseSettings) -> None:
    """Read every declared setting: SettingError names the first one whose value it does not take."""
    for setting in declared.values():
        setting.read(settings)


#: Settings whose default is a whole number but which Scrapy reads as a number (of seconds).
_read_as_float = frozenset({"DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "DNS_TIMEOUT"})


def _kind(name: str, default: typing.Any) -> Flag | Whole | Number | None:
    """What a Scrapy setting takes, from its default's type (None: anything)."""
    if isinstance(default, bool):
        return Flag()
    if isinstance(default, float) or (isinstance(default, int) and name in _read_as_float):
        return Number()
    return Whole() if isinstance(default, int) else None


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Raise SettingError naming the first value given with -s that its setting cannot take.

    An ARCHIVER_* setting is checked as it is declared (an undeclared one, a typo, is refused:
    it would be ignored); any other setting whose default (Scrapy's,
    or archiver's over it) is a boolean, a whole number or a number must parse as one, as
    ``Settings.getbool``, ``getint`` and ``getfloat`` parse it.
    """
    from scrapy.settings import Settings

    defaults = Settings()
    defaults.setmodule(sys.modules[__name__], priority="project")
    given = Settings(overrides)
    for name in overrides:
        setting = declared.get(name)
        if setting is None and name.startswith("ARCHIVER_"):
            close = difflib.get_close_matches(name, declared, n=1, cutoff=0.85)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingError(f"{name} is not a setting of archiver{hint}")
        if setting is None:
            kind = _kind(name, defaults.get(name))
            if kind is None:
                continue
            setting = Setting(name, kind, defaults.get(name), "")
        setting.read(given)


def _markdown_default(value: object) -> str:
    if value == "":
        return "(none)"
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def settings_table() -> str:
    """README.md's table of the ARCHIVER_* settings (Markdown)."""
    lines = ["| setting | default | takes | meaning |", "| --- | --- | --- | --- |"]
    for s in declared.values():
        lines.append(f"| `{s.name}` | {_markdown_default(s.default)} | {s.kind.what} | {s.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_table(), end="")
