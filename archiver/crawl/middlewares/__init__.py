"""Downloader and spider middlewares: conditional requests, the recrawl policy, Retry-After, the fetch log."""
