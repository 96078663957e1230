"""Scrapy extensions: components that watch the crawl as a whole (its progress, its process's garbage collector)."""
