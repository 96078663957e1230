"""Reading sitemaps, sitemap indexes, news sitemaps, robots.txt and RSS/Atom feeds into URLs.

Pure functions on bytes: the spider fetches, these say which URLs a document lists and when
each last changed (``lastmod``, as an ISO 8601 string in UTC, or None when the document does
not say).
"""

from __future__ import annotations

import calendar
import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import lxml.etree

from archiver.extract.dates import parse_date

#: A sitemap may be up to 50 MB uncompressed (sitemaps.org); more is refused.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """A URL a sitemap or feed lists, with when it last changed if the document says."""

    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class Listing:
    """What one sitemap or feed holds: pages, or (a sitemap index) more sitemaps."""

    kind: Literal["pages", "sitemaps"]
    entries: tuple[Entry, ...]


def _utc(value: str | None) -> str | None:
    """An ISO 8601 instant in UTC, from a W3C datetime or any date the date parser reads."""
    if not value:
        return None
    parsed = parse_date(value.strip())
    if parsed is None:
        return None
    moment = datetime.fromisoformat(parsed)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _ungzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise ValueError(f"not a sitemap: broken gzip data: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise ValueError(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes uncompressed")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> Listing:
    """A sitemap (``urlset``, news sitemaps included) or a sitemap index (``sitemapindex``).

    A news sitemap's ``news:publication_date`` stands in for a missing ``lastmod``. Raises
    ValueError when the document is not a sitemap.
    """
    data = _ungzip(body)
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise ValueError(f"not a sitemap: {exc}") from exc
    if root is None or _local(root.tag) not in {"urlset", "sitemapindex"}:
        raise ValueError("not a sitemap: the root element is neither urlset nor sitemapindex")
    kind: Literal["pages", "sitemaps"] = "sitemaps" if _local(root.tag) == "sitemapindex" else "pages"
    entries = []
    for element in root:
        if _local(element.tag) not in {"url", "sitemap"}:
            continue
        loc = lastmod = published = None
        for child in element.iter():
            name = _local(child.tag)
            if name == "loc" and loc is None:
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = child.text
            elif name == "publication_date":
                published = child.text
        if loc:
            entries.append(Entry(loc, _utc(lastmod) or _utc(published)))
    return Listing(kind, tuple(entries))


def parse_feed(body: bytes) -> Listing:
    """The entries of an RSS or Atom feed: each entry's link, with its updated or published time.

    Raises ValueError when the document is not a feed.
    """
    import feedparser  # only a crawl that reads feeds loads it (0.05 CPU s)

    feed = feedparser.parse(body)
    if not feed.get("version") and not feed.entries:
        reason = feed.get("bozo_exception") or "no RSS or Atom elements"
        raise ValueError(f"not a feed: {reason}")
    entries = []
    for item in feed.entries:
        link = item.get("link")
        if not link:
            continue
        # dict.get: feedparser's own get maps a missing "updated" to "published" with a warning
        stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
        lastmod = None
        if stamp is not None:
            lastmod = datetime.fromtimestamp(calendar.timegm(stamp), UTC).isoformat(timespec="seconds")
        entries.append(Entry(link.strip(), lastmod))
    return Listing("pages", tuple(entries))


def sitemaps_in_robots(body: bytes) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    text = body.decode("utf-8", errors="replace")
    urls = []
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "sitemap" and value.strip():
            urls.append(value.strip())
    return urls
