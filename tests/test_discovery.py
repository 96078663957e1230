"""Sitemaps, sitemap indexes, news sitemaps, feeds and robots.txt read into URLs with lastmod."""

from __future__ import annotations

import gzip

import pytest

from archiver.crawl.spiders.discovery import Entry, parse_feed, parse_sitemap, sitemaps_in_robots

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_sitemap_pages_with_lastmod_in_utc() -> None:
    body = (
        f'<?xml version="1.0"?><urlset {NS}>'
        "<url><loc> https://example.org/a </loc><lastmod>2024-05-01T10:00:00+02:00</lastmod></url>"
        "<url><loc>https://example.org/b</loc><lastmod>2024-05-02</lastmod></url>"
        "<url><loc>https://example.org/c</loc></url><url><lastmod>2024-01-01</lastmod></url></urlset>"
    ).encode()
    listing = parse_sitemap(body)
    assert listing.kind == "pages"
    assert listing.entries == (
        Entry("https://example.org/a", "2024-05-01T08:00:00+00:00"),
        Entry("https://example.org/b", "2024-05-02T00:00:00+00:00"),
        Entry("https://example.org/c", None),
    )


def test_sitemap_index_gzipped() -> None:
    body = gzip.compress(
        f"<sitemapindex {NS}><sitemap><loc>https://example.org/s1.xml.gz</loc>"
        "<lastmod>2024-06-01T00:00:00Z</lastmod></sitemap></sitemapindex>".encode()
    )
    listing = parse_sitemap(body)
    assert listing.kind == "sitemaps"
    assert listing.entries == (Entry("https://example.org/s1.xml.gz", "2024-06-01T00:00:00+00:00"),)


def test_news_sitemap_publication_date_stands_in_for_lastmod() -> None:
    body = (
        f'<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        "<loc>https://example.org/n</loc><news:news><news:publication>"
        "<news:name>Example</news:name></news:publication>"
        "<news:publication_date>2024-07-04T12:00:00-04:00</news:publication_date>"
        "</news:news></url></urlset>"
    ).encode()
    assert parse_sitemap(body).entries == (Entry("https://example.org/n", "2024-07-04T16:00:00+00:00"),)


@pytest.mark.parametrize("body", [b"<html><body>not a sitemap</body></html>", b"", b"\x1f\x8bnot gzip"])
def test_not_a_sitemap(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_sitemap(body)


def test_rss_and_atom_feeds() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://example.org/a</link>"
        b"<pubDate>Tue, 01 May 2012 15:50:00 GMT</pubDate></item>"
        b"<item><title>No link</title></item></channel></rss>"
    )
    assert parse_feed(rss).entries == (Entry("https://example.org/a", "2012-05-01T15:50:00+00:00"),)
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b'<entry><title>B</title><link rel="alternate" href="https://example.org/b"/>'
        b"<updated>2024-02-03T04:05:06+01:00</updated></entry></feed>"
    )
    assert parse_feed(atom).entries == (Entry("https://example.org/b", "2024-02-03T03:05:06+00:00"),)
    with pytest.raises(ValueError):
        parse_feed(b"just some text")


def test_sitemap_lines_of_robots_txt() -> None:
    robots = b"User-agent: *\nDisallow: /private/\nSitemap: https://example.org/sitemap.xml\nsitemap:https://example.org/news.xml\n"
    assert sitemaps_in_robots(robots) == ["https://example.org/sitemap.xml", "https://example.org/news.xml"]
