# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck install chromium system-deps bench bench-extract bench-comments bench-archive bench-incremental bench-memory bench-redis bench-export bench-redis-incremental bench-crawl bench-crawl-scale bench-layers bench-startup bench-warc bench-warc-read bench-render fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the bundled demo site on 127.0.0.1 and crawl it into archive.db and exports/ (its comments
## that load by script rendered in chromium, installed first when missing).
demo: $(STAMP) chromium
	$(BIN)/archiver demo

## The whole test suite, lint and type checks included.
## Two test files at a time (pytest-xdist): most tests wait on real crawls, servers and browsers, not on
## the CPU; a file's tests stay together in one process (their module fixtures are shared).
test: $(STAMP) chromium system-deps lint typecheck
	$(BIN)/pytest -q -n 2 --dist loadfile

## Debian's chromium (rendering comments that load by script; the browser tests), installed only when missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing and this is not root: comments that load by script are not rendered, the browser tests are skipped"; fi; \
	fi

## Debian's redis-server (distributed-crawl tests and bench-redis), installed only when missing.
system-deps:
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

lint: $(STAMP)
	$(BIN)/ruff check archiver tests benchmarks
	$(BIN)/ruff format --check archiver tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks print figures; they never run in `make test`.
bench: bench-extract bench-comments bench-archive bench-incremental bench-memory bench-export bench-crawl bench-layers bench-startup

## Extraction beside trafilatura on ../shared/bench/realpages (or BENCH_PAGES=folder) and ../shared/bench/wcxb-dev.
bench-extract: $(STAMP)
	$(BIN)/python -m benchmarks.bench_extract $(BENCH_PAGES)

## Comments as records beside trafilatura's comment text, same pages.
bench-comments: $(STAMP)
	$(BIN)/python -m benchmarks.bench_comments $(BENCH_PAGES)

## Archive writes beside plain sqlite-utils, size per 1,000 articles, FTS latency on 100,000 articles.
bench-archive: $(STAMP)
	$(BIN)/python -m benchmarks.bench_archive

## Scheduled runs: the second run's requests and time beside the first's, 1% of 5,000 articles changed.
bench-incremental: $(STAMP)
	$(BIN)/python -m benchmarks.bench_incremental

## Peak memory (RSS) of extracting a DOWNLOAD_MAXSIZE page and a 5,000-comment page.
bench-memory: $(STAMP)
	$(BIN)/python -m benchmarks.bench_memory

## A long property-based campaign on extraction and on the speed-ups (FUZZ_EXAMPLES per property, default 2000);
## a failing page is saved as tests/fixtures/fuzz/found-*.html, checked by make test from then on.
fuzz: $(STAMP)
	ARCHIVER_FUZZ_SAVE=1 ARCHIVER_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),2000) $(BIN)/pytest -q -p no:cacheprovider \
		tests/test_properties.py tests/test_speedups.py --hypothesis-profile=fuzz --hypothesis-show-statistics

## Distributed crawl: pages/s with 1, 2 and 4 workers on one local site, with and without shared per-site
## slots (CPU and Redis commands per page too), and the drain's items/s.
bench-redis: $(STAMP) system-deps
	$(BIN)/python -m benchmarks.bench_redis

## `archiver export` rows/s and peak memory on 10,000 and 100,000 articles (archives cached in the temp folder).
bench-export: $(STAMP)
	$(BIN)/python -m benchmarks.bench_export

bench-redis-incremental: $(STAMP) system-deps
	$(BIN)/python -m benchmarks.bench_redis_incremental

## archiver crawl beside bare Scrapy (one written for the site, one following archiver's links) and
## Scrapy + trafilatura on a generated site served by nginx (BENCH_CRAWL_PAGES articles, default 2000;
## installs nginx and wrk with apt-get when missing), then on a site with 20 comments on every article:
## CPU per page of the crawl's process and of its extraction workers beside bare Scrapy's and
## beside read_page in one process, and in 2 and 3 processes at once (the cores' sharing), with (1) a
## crawl of one extraction process.
bench-crawl: $(STAMP)
	$(BIN)/python -m benchmarks.bench_crawl
	$(BIN)/python -m benchmarks.bench_crawl --comments 20 --kinds sab1

## A crawl with and without WARC capture side by side (CPU per page, pages/s), WARC bytes per
## article over three runs with 1% of the articles changed, `export --format wacz` and `archiver reextract`
## of that archive.
bench-warc: $(STAMP)
	$(BIN)/python -m benchmarks.bench_warc

## Time and peak memory of crawls of 1,000 and 20,000 articles (long: about half an hour).
## Extraction CPU time per page, layer by layer, on the generated site and the real pages.
bench-layers: $(STAMP)
	$(BIN)/python -m benchmarks.bench_layers

bench-crawl-scale: $(STAMP)
	$(BIN)/python -m benchmarks.bench_crawl --scale 1000,20000 --comments 20

## Reading a 5,000-page WARC: warcio, FastWARC and archiver's reader (records/s, peak RSS), the import's
## read + extract pages/s per core beside trafilatura, then `archiver import` and `archiver reextract`
## of the file in 0 and 2 extraction processes (BENCH_WARC_ARGS, e.g. --source realpages).
bench-warc-read: $(STAMP)
	$(BIN)/python -m benchmarks.bench_warc_read --commands $(BENCH_WARC_ARGS)

## Start-up: median time of `archiver --help` and the read-only commands beside `sqlite-utils --help`.
bench-startup: $(STAMP)
	$(BIN)/python -m benchmarks.bench_startup

## Rendering comments in headless Chromium: rendered pages/s and the browser's peak memory with 1, 2 and 4
## pages at once; a crawl's pages/s when 10% of its articles need rendering, beside none.
bench-render: $(STAMP) chromium
	$(BIN)/python -m benchmarks.bench_render

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
