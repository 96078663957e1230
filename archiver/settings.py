"""Scrapy settings for archiver.

Every ARCHIVER_* setting has a default and a one-line comment here, and is documented in
README.md. Override any of them with ``-s NAME=VALUE`` (``archiver crawl`` and ``scrapy crawl``).
"""

from __future__ import annotations

BOT_NAME = "archiver"
SPIDER_MODULES = ["archiver.spiders"]
NEWSPIDER_MODULE = "archiver.spiders"

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
# Follow links this many hops from the start pages (``archiver crawl --depth``).
DEPTH_LIMIT = 3

DOWNLOADER_MIDDLEWARES = {
    # near the engine, so it also sees requests robots.txt refuses
    "archiver.extensions.runlog.RunLog": 50,
    "archiver.extensions.conditional.ConditionalRequests": 60,
    # sees 429/503 responses before Scrapy's RetryMiddleware (550) retries them at once
    "archiver.extensions.retryafter.RetryAfter": 560,
    # `archiver demo` only (ARCHIVER_DEMO_SERVER): before Scrapy's HttpProxyMiddleware (750)
    "archiver.demo.proxy.DemoServerProxy": 740,
}

# Requests waiting to be fetched wait on disk (in JOBDIR, or a temporary folder): see ARCHIVER_DISK_QUEUE.
SCHEDULER = "archiver.scheduler.DiskQueueScheduler"

SPIDER_MIDDLEWARES = {
    # closest to the spider: drops requests for archived articles that are not due
    "archiver.extensions.recrawl.Recrawl": 950,
}

EXTENSIONS = {
    "archiver.extensions.progress.Progress": 500,
}

ITEM_PIPELINES = {
    "archiver.pipelines.validate.ValidatePipeline": 100,
    "archiver.pipelines.dedupe.DedupePipeline": 200,
    "archiver.pipelines.archive.ArchivePipeline": 300,
}

# The crawl's JSON Lines file: items after validation and dedupe, comments nested.
# The file is written as "<name>.part" and renamed when the crawl closes.
FEEDS = {
    "exports/%(name)s-%(crawl_id)s.jsonl": {"format": "jsonlines", "encoding": "utf8"},
}
FEED_STORAGES = {"file": "archiver.feeds.AtomicFileFeedStorage"}
# Writes the same bytes as Scrapy's JSON Lines exporter, without ItemAdapter for each comment.
FEED_EXPORTERS = {
    "jsonlines": "archiver.feeds.ArticleJsonLinesExporter",
    "jsonl": "archiver.feeds.ArticleJsonLinesExporter",
}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False

# --- archiver's own settings -------------------------------------------------------------
# Path of the SQLite archive that ArchivePipeline writes (created and migrated on open).
ARCHIVER_ARCHIVE_PATH = "archive.db"
# Articles written per transaction; the rest is flushed when the crawl closes.
ARCHIVER_ARCHIVE_BATCH_SIZE = 50
# Record each crawl in the `crawls` table and each fetch in `fetches` (needs ARCHIVER_ARCHIVE_PATH).
ARCHIVER_RUNLOG_ENABLED = True
# Milliseconds a writer waits for another writer's lock before giving up.
ARCHIVER_ARCHIVE_BUSY_TIMEOUT_MS = 30000
# Most comment pages (/comment-page-2/, ?cpage=2, "older comments") fetched for one article.
ARCHIVER_COMMENTS_MAX_PAGES = 50
# A folder of site profiles (*.toml) of your own, used beside the ones archiver ships.
ARCHIVER_PROFILES_DIR = ""
# Worker processes that extract pages beside the crawl: "auto" (one per available core, at most 4),
# a number, or 0 (extract in the crawl's own process).
ARCHIVER_EXTRACT_PROCESSES = "auto"
# Keep the requests waiting to be fetched on disk without a JOBDIR too (a temporary folder in TMPDIR,
# removed at the end), so a crawl's memory does not grow with its frontier; False keeps them in memory.
ARCHIVER_DISK_QUEUE = True
# Seconds one page's extraction may take in a worker before it is given up and recorded.
ARCHIVER_EXTRACT_TIMEOUT = 60.0
# Longest Retry-After (seconds) a 429/503 response is waited for; a longer one is given up.
ARCHIVER_RETRY_AFTER_MAX = 30.0
# Minimum number of words in the body for a page to count as an article.
ARCHIVER_EXTRACT_MIN_WORDS = 60
# Redis URL of a distributed crawl (redis://HOST:PORT/DB): ``archiver crawl`` becomes a worker; "" crawls locally.
ARCHIVER_REDIS_URL = ""
# A worker stops when nothing has been queued or in flight in the whole crawl for this many seconds.
ARCHIVER_REDIS_IDLE_SECONDS = 30.0
# A worker silent this long is taken for dead: its in-flight requests go back to the queue.
ARCHIVER_REDIS_HEARTBEAT_SECONDS = 10.0
# Seconds between a worker's progress lines on stderr (0: none).
ARCHIVER_REDIS_PROGRESS_SECONDS = 10.0

# The demo's server, which answers for the demo site's fixed address (set by `archiver demo`; "": off).
ARCHIVER_DEMO_SERVER = ""

# Groups the crawls of one `archiver crawl --sources` run in the `crawls` table (set by the command).
ARCHIVER_RUN_ID = ""
# Ask again with If-None-Match / If-Modified-Since from the archive's fetches; a 304 skips extraction.
ARCHIVER_CONDITIONAL_ENABLED = True
# Skip archived articles not due (on in `crawl --sources` and in workers; the sources file sets the days).
ARCHIVER_RECRAWL_ENABLED = False
# Archived articles younger than this many days are fetched on every run, for their new comments.
ARCHIVER_RECRAWL_FRESH_DAYS = 14.0
# Older archived articles are fetched again once this many days passed since their last fetch (0: never).
ARCHIVER_RECRAWL_INTERVAL_DAYS = 7.0
# Crawl progress: "auto" (a live line when stderr is a terminal, else log lines), "live", "log" or "off".
ARCHIVER_PROGRESS = "auto"
# Seconds between progress lines in the log (the live line is redrawn twice a second).
ARCHIVER_PROGRESS_INTERVAL = 10.0

# Scrapy 2.19 opens a remote-control port by default; a crawler has no use for it.
REMOTE_CONTROL_ENABLED = False
