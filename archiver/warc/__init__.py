"""WARC files: reading the HTTP exchanges other tools and archiver's crawls kept (``reader``)."""
