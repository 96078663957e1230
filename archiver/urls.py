"""URL canonicalization shared by the spider, the dedupe pipeline and the archive, and the comparison of
two spellings of one page's address that extraction makes (``address_key``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

#: Query parameters that only track where a visitor came from.
TRACKING_PARAMETERS = ("fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref_src")


#: URLs whose canonical form ``canonicalize`` remembers: a crawl asks for an article's 3-4 times (the
#: dedupe pipeline, the feed, the archive's batch of up to ``ARCHIVER_ARCHIVE_BATCH_SIZE`` articles).
CANONICAL_CACHE_SIZE = 2048
#: URLs of at most this many characters are remembered (an article's URL is far shorter): a page may name
#: a canonical URL of any length, and 2,048 of 200 KB each would hold almost 1 GB. So the cache holds at
#: most about 9 MiB of ASCII URLs, 70 MiB at the very worst (2,048 characters outside the BMP each, which
#: the canonical form percent-encodes into 12).
CANONICAL_CACHE_URL_LENGTH = 2048


def canonicalize(url: str) -> str:
    """One spelling per article: lower-case host, no default port, credentials, fragment or tracking query.

    A pure function of the URL, remembered for the last ``CANONICAL_CACHE_SIZE`` URLs asked about of at
    most ``CANONICAL_CACHE_URL_LENGTH`` characters.
    """
    return _remembered(url) if len(url) <= CANONICAL_CACHE_URL_LENGTH else _canonical(url)


def _canonical(url: str) -> str:
    cleaned = url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    parts = urlsplit(canonicalize_url(cleaned))
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path or "/", query, ""))


_remembered = lru_cache(maxsize=CANONICAL_CACHE_SIZE)(_canonical)


#: A WordPress comment page in a path (``/post/comment-page-2/``), and the queries that name one.
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+(?=/|$)", re.IGNORECASE)
_COMMENT_PAGE_PARAMETERS = frozenset({"cpage", "comment_page", "commentpage", "comments_page"})


def article_page(url: str) -> str:
    """The article page a comment page belongs to (``/post/comment-page-2/`` -> ``/post/``,
    ``/post/?cpage=2`` -> ``/post/``); any other URL as it is, without its fragment."""
    parts = urlsplit(url)
    path = _COMMENT_PAGE_PATH.sub("", parts.path)
    query = "&".join(
        p for p in parts.query.split("&") if p and p.partition("=")[0].lower() not in _COMMENT_PAGE_PARAMETERS
    )
    return urlunsplit(parts._replace(path=path, query=query, fragment=""))


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (False for one urlsplit cannot read: ``http://[::1``, ``:port``)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
        return parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        return False


def join_url(base: str, href: str) -> str | None:
    """``urljoin(base, href)``, or None for a link urllib cannot read (``http://[x/y``: an unclosed
    IPv6 host, which makes ``urljoin`` raise): one bad link on a page is skipped, not fatal."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


#: A path's ending that names the same page as the path without it (``/post.html``, ``/post/index.html``).
_PAGE_FILE = re.compile(r"(?:/index)?\.html?$|/+$", re.IGNORECASE)


def address_key(address: str, drop: frozenset[str] = frozenset()) -> tuple[str, str, str] | None:
    """An address compared as a whole, to tell whether two links name the same page: host without
    ``www.``, unquoted path without a trailing slash or ``.html``, and its query less the ``drop``
    parameters and the campaign's (``utm_source``...), whatever the scheme and the fragment; None for an
    address urllib cannot read (``http://[x/``)."""
    try:
        parts = urlsplit(address.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return None
    kept = (f"{k}={v}" for k, v in parse_qsl(parts.query) if k.lower() not in drop and not k.lower().startswith("utm_"))
    return host, _PAGE_FILE.sub("", unquote(parts.path)), "&".join(sorted(kept))


def without_userinfo(url: str) -> str:
    """The URL without a ``user:password@`` part: credentials are never stored."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def read_urls_file(path: str) -> list[str]:
    """URLs from a file, one per line; blank lines and lines starting with # are skipped."""
    return [url for _, url in numbered_urls(path)]


def numbered_urls(path: str) -> list[tuple[int, str]]:
    """The URLs of a file as ``read_urls_file`` reads them, each with its line number (from 1)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
