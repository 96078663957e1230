# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck install bench bench-extract bench-comments bench-archive bench-crawl bench-crawl-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the bundled demo site on 127.0.0.1 and crawl it into archive.db and exports/.
demo: $(STAMP)
	$(BIN)/archiver demo

## The whole test suite, lint and type checks included.
test: $(STAMP) lint typecheck
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check archiver tests benchmarks
	$(BIN)/ruff format --check archiver tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks print figures; they never run in `make test`.
bench: bench-extract bench-comments bench-archive bench-crawl

## Extraction beside trafilatura on ../shared/bench/realpages (or BENCH_PAGES=folder).
bench-extract: $(STAMP)
	$(BIN)/python -m benchmarks.bench_extract $(BENCH_PAGES)

## Comments as records beside trafilatura's comment text, same pages.
bench-comments: $(STAMP)
	$(BIN)/python -m benchmarks.bench_comments $(BENCH_PAGES)

## Archive writes beside plain sqlite-utils, size per 1,000 articles, FTS latency on 100,000 articles.
bench-archive: $(STAMP)
	$(BIN)/python -m benchmarks.bench_archive

## archiver crawl beside bare Scrapy and Scrapy + trafilatura on a generated site served by nginx
## (BENCH_CRAWL_PAGES articles, default 2000; installs nginx and wrk with apt-get when missing).
bench-crawl: $(STAMP)
	$(BIN)/python -m benchmarks.bench_crawl

## Time and peak memory of crawls of 1,000 and 20,000 articles (long: about half an hour).
bench-crawl-scale: $(STAMP)
	$(BIN)/python -m benchmarks.bench_crawl --scale 1000,20000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
