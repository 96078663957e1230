"""WARC files: the raw HTTP exchanges of a crawl (writer), and those other tools wrote."""
