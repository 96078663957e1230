"""The crawls archiver is measured against: bare Scrapy, and Scrapy with trafilatura per page.

Usage: python -m benchmarks.baseline_crawl bare|site|trafilatura URL --stats FILE [-s NAME=VALUE]...

``bare`` and ``trafilatura`` follow the links archiver's spider follows (same host, http(s) only,
not comment pages or feeds) and store nothing. ``bare`` yields nothing else; ``site`` is what one
writes for one known site (here ``benchmarks.sitegen``'s): the article and pagination links of its
listing pages by CSS selector, nothing else, and no link extraction on article pages;
``trafilatura`` runs what a user would otherwise build on each page: ``trafilatura.extract`` for
the text and ``bare_extraction`` for the metadata. The crawl's stats are written as JSON to FILE.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

#: archiver.extract.pagination.NOT_AN_ARTICLE_URL, copied so that bare Scrapy does not import archiver.
NOT_AN_ARTICLE_URL = r"/comment-page-\d+|[?&](?:cpage|replytocom|share|print)=|/feed/?$"


class BareSpider(Spider):
    """Follows every link on the start URL's host, and yields nothing."""

    name = "bare"

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]
        netloc = urlsplit(url).netloc
        self.allowed_domains = [urlsplit(url).hostname or ""]
        self.links = LinkExtractor(allow=[r"^https?://"], allow_domains=[netloc], deny=[NOT_AN_ARTICLE_URL])

    def parse(self, response: Response) -> Iterator[Request]:
        """Only the links."""
        if isinstance(response, TextResponse):
            for link in self.links.extract_links(response):
                yield Request(link.url, callback=self.parse)


class TrafilaturaSpider(BareSpider):
    """Like BareSpider, and extracts each page's text and metadata with trafilatura."""

    name = "trafilatura"

    def parse(self, response: Response) -> Iterator[Request]:
        """The page's text and metadata (kept nowhere), then the links."""
        import trafilatura

        if isinstance(response, TextResponse):
            text = trafilatura.extract(response.text, url=response.url)
            document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
            if text and document is not None and document.title:
                self.crawler.stats.inc_value("bench/extracted")
        yield from super().parse(response)


class SiteSpider(BareSpider):
    """Written for the generated site: listing pages' article and pagination links by CSS selector."""

    name = "site"

    def parse(self, response: Response) -> Iterator[Request]:
        """A listing page's links to articles and to other listing pages; nothing from an article."""
        if isinstance(response, TextResponse):
            for href in response.css("h2.entry-title a::attr(href), nav.pagination a::attr(href)").getall():
                yield response.follow(href, callback=self.parse)


SPIDERS: dict[str, type[BareSpider]] = {"bare": BareSpider, "site": SiteSpider, "trafilatura": TrafilaturaSpider}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(SPIDERS))
    parser.add_argument("url")
    parser.add_argument("--stats", required=True)
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    settings = dict(setting.split("=", 1) for setting in args.settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDERS[args.kind])
    process.crawl(crawler, url=args.url)
    process.start()
    assert crawler.stats is not None
    with open(args.stats, "w", encoding="utf-8") as out:
        json.dump(crawler.stats.get_stats(), out, default=str)


if __name__ == "__main__":
    main()
