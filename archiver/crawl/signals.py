"""archiver's own crawl signals, beside Scrapy's (``scrapy.signals``), and the exception a stopping
crawl gives the requests it does not send."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

#: A request failed and reached the spider's errback (args: ``request``, ``failure``). Sent for
#: failures no downloader middleware sees: a redirect limit, a decompression bomb, an HTTP error.
fetch_failed = object()


class NotSent(IgnoreRequest):
    """A request that waited in its site's download slot (for the politeness delay) when the crawl was
    stopped: never sent, so no fetch; a run with a job folder queued it again for the next run."""
