"""WARC files: the raw HTTP exchanges of a crawl (``writer``), and reading those archiver's crawls and other tools
wrote (``reader``)."""
