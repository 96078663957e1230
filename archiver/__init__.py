"""archiver: a web scraper and archiver for article pages and their reader comments."""

__version__ = "0.1.0"
