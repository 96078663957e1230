"""The browser's download handler: scrapy-playwright's, started when first needed.

Imported by ``archiver.crawl.render.handler`` at the first page a crawl renders, so that a crawl
that renders nothing never loads Playwright.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from archiver.crawl.meta import RENDER
from archiver.crawl.render import CLICKS, DEADLINE, FRAMES, SHADOWED, TRAFFIC, documents, settle

logger = logging.getLogger(__name__)


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, starting Playwright at the first page rendered, and
    waiting in a page for its comments before its document is read.

    scrapy-playwright starts Playwright's driver (a Node.js process) when the engine starts, and
    most crawls render no page: here it starts with the first page, and the browser with it; both
    are closed when the crawl ends. A page to render (meta ``RENDER``) is loaded until its document
    is parsed, then ``settle`` waits for its comments within the time left of its limit; the
    response's body is the page's document then (its open shadow roots inlined, ``documents``), and
    ``FRAMES`` in its meta the documents of its frames. Its browser context is closed once it is
    read. A crawl that is stopping (SIGTERM) waits for the pages being rendered, which are read at
    once as they are. Settings: the ``PLAYWRIGHT_*`` ones ``use_browser`` sets.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._started = False
        self._start_lock = asyncio.Lock()

    async def _maybe_launch_in_thread(self) -> None:
        """Not when the engine starts: at the first page to render (``download_request``)."""

    async def download_request(self, request: Request, spider: Any = None) -> Response:
        if not request.meta.get("playwright"):  # RenderDownloadHandler sends it none
            plain: Response = await super().download_request(request)
            return plain
        if not self._started:
            async with self._start_lock:
                if not self._started:
                    await self._launch()
                    self._started = True
        try:
            response: Response = await super().download_request(request)
        finally:
            await self._close_context(request.meta.get("playwright_context"))
        shadowed = request.meta.pop(SHADOWED, None)
        if shadowed is not None and isinstance(response, TextResponse):
            response = response.replace(body=shadowed.encode(response.encoding, "xmlcharrefreplace"))
        return response

    async def _apply_page_methods(self, page: Page, request: Request, spider: Spider) -> None:
        await super()._apply_page_methods(page, request, spider)
        if not request.meta.get(RENDER) or TRAFFIC not in request.meta or DEADLINE not in request.meta:
            return
        traffic = request.meta.pop(TRAFFIC)
        clicks = await settle(
            page, traffic, request.meta[DEADLINE], int(request.meta.get(CLICKS, 0)), stopping=self._stopping
        )
        self.stats.inc_value("archiver/render/clicks", clicks)
        found = await documents(page)
        request.meta[FRAMES] = [doc for doc in found if doc.frame]
        own = next((doc for doc in found if not doc.frame), None)
        if own is not None and own.shadow_roots:
            request.meta[SHADOWED] = own.html

    def _stopping(self) -> bool:
        """Whether the crawl is stopping (SIGTERM, Ctrl-C): a page being rendered is read as it is now."""
        engine = self._crawler.engine
        return engine is not None and not engine.running

    async def _close_context(self, name: str | None) -> None:
        wrapper = self.context_wrappers.get(name) if name else None
        if wrapper is None:
            return
        try:
            await wrapper.context.close()
        except PlaywrightError as exc:  # the browser is gone already
            logger.debug("closing browser context %s: %s", name, exc)
