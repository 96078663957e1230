"""The crawl: what to fetch and follow (spiders), the Scrapy components around it (downloader and
spider middlewares, extensions, item pipelines), the pool of extraction processes, the request
queue, the lock of a scheduled run, the crawl's JSON Lines feed and its report, and the runner that
puts them together (``runner``). It imports extraction and the archive; nothing below imports it.

Importing this package loads nothing: the modules are imported by name, so that a command that only
reads the archive does not load Scrapy.
"""
