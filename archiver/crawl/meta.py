"""Request meta keys archiver sets and reads: the one place spiders, middlewares and the distributed
scheduler take them from."""

from __future__ import annotations

#: Send this request unconditionally (comment pages: their content is needed), read by ConditionalRequests.
UNCONDITIONAL = "archiver_unconditional"
#: Set by ConditionalRequests on a request that carries validators (If-None-Match, If-Modified-Since).
CONDITIONAL = "archiver_conditional"
#: The time a sitemap or feed says the URL last changed (ISO 8601), read by the recrawl policy.
LASTMOD = "archiver_lastmod"
#: Part of a page being fetched now (a comment page): the recrawl policy never skips it.
EXEMPT = "archiver_recrawl_exempt"
#: The lease of a request taken from a distributed crawl's shared queue (archiver.distributed.scheduler).
LEASE = "archiver_lease"
#: The capture of a response (a ``captures`` row: the WARC record its payload is in), set by Capture.
CAPTURE = "archiver_capture"
#: The id of the WARC record a response was captured in (its own, a revisit's too), set by Capture.
RECORD = "archiver_record"
#: A rendered page's request: the record id (``RECORD``) of the page as fetched it renders, set by the spider.
RENDERED_FROM = "archiver_rendered_from"
#: The captures of a rendered page's frames (``captures`` rows of their ``resource`` records) by frame URL,
#: set by Capture.
FRAME_CAPTURES = "archiver_frame_captures"
#: An article page loaded again in headless Chromium to read the comments its script loads (archiver.crawl.render).
RENDER = "archiver_render"
