"""archiver's own crawl signals, beside Scrapy's (``scrapy.signals``)."""

from __future__ import annotations

#: A request failed and reached the spider's errback (args: ``request``, ``failure``). Sent for
#: failures no downloader middleware sees: a redirect limit, a decompression bomb, an HTTP error.
fetch_failed = object()
