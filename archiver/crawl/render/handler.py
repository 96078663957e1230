"""The download handler of a crawl that may render: Scrapy's, and the browser's from the first page rendered.

Installed by ``use_browser`` (rendering on, Chromium there) for http and https. Every request goes
through Scrapy's HTTP/1.1 handler but a page to render (meta ``playwright``), which goes to the
browser's handler (``archiver.crawl.render.browser``, scrapy-playwright's): that one, and
Playwright with it, is imported and built at the first page rendered, so a crawl that renders
nothing does not load them (0.15-0.2 CPU s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler

if TYPE_CHECKING:
    from archiver.crawl.render.browser import BrowserDownloadHandler


class RenderDownloadHandler(BaseDownloadHandler):
    """Scrapy's HTTP/1.1 download handler, and the browser's for the pages to render, built when
    the first one comes; both closed when the crawl ends."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.plain: HTTP11DownloadHandler = build_from_crawler(HTTP11DownloadHandler, crawler)
        self.browser: BrowserDownloadHandler | None = None

    async def download_request(self, request: Request, spider: Any = None) -> Response:
        if not request.meta.get("playwright"):
            return await self.plain.download_request(request)
        if self.browser is None:
            from archiver.crawl.render.browser import BrowserDownloadHandler

            self.browser = BrowserDownloadHandler(self.crawler)
        rendered: Response = await self.browser.download_request(request)
        return rendered

    async def close(self) -> None:
        await self.plain.close()
        if self.browser is not None:
            await self.browser.close()
