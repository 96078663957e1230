"""The demo crawls its site under one fixed address, whatever port serves it on this machine."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archiver.settings import read_setting


class DemoServerProxy:
    """Downloader middleware sending every request to the demo's server, as to an HTTP proxy.

    ``archiver demo`` crawls ``ORIGIN`` (a fixed host name) and its server answers for it on
    whatever port it got, so the demo's articles keep one URL, and one identity in the archive,
    from run to run. Settings: ``ARCHIVER_DEMO_SERVER`` (the server's address; "" turns it off).
    """

    def __init__(self, server: str) -> None:
        self.server = server

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DemoServerProxy:
        server = read_setting(crawler.settings, "ARCHIVER_DEMO_SERVER")
        if not server:
            raise NotConfigured
        return cls(server)

    def process_request(self, request: Request) -> None:
        request.meta["proxy"] = self.server
