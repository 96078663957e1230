"""One spelling per article URL."""

from __future__ import annotations

import pytest

from archiver import urls
from archiver.urls import (
    CANONICAL_CACHE_SIZE,
    CANONICAL_CACHE_URL_LENGTH,
    address_key,
    canonicalize,
    is_http_url,
    without_userinfo,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a?utm_source=x&id=2#top", "http://example.com/a?id=2"),
        ("https://example.com:443/a?fbclid=1&gclid=2", "https://example.com/a"),
        ("http://127.0.0.1:8642/x.html", "http://127.0.0.1:8642/x.html"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://user:pass@Example.com/a", "https://example.com/a"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


def test_canonicalize_remembers_a_bounded_number_of_urls() -> None:
    """A URL asked about again (the dedupe pipeline, the feed, the archive each ask for an article's) is
    not worked out again, and what is remembered stays bounded however many URLs a crawl meets."""
    urls._remembered.cache_clear()
    for n in range(CANONICAL_CACHE_SIZE + 500):
        assert canonicalize(f"HTTP://Example.com:80/{n}?utm_source=x") == f"http://example.com/{n}"
    assert urls._remembered.cache_info().currsize == CANONICAL_CACHE_SIZE
    before = urls._remembered.cache_info()
    last = CANONICAL_CACHE_SIZE + 499
    assert canonicalize(f"HTTP://Example.com:80/{last}?utm_source=x") == f"http://example.com/{last}"
    assert urls._remembered.cache_info().hits == before.hits + 1
    assert urls._remembered.cache_info().misses == before.misses


def test_canonicalize_does_not_remember_long_urls() -> None:
    """A URL over ``CANONICAL_CACHE_URL_LENGTH`` characters (a hostile page's canonical link of 200 KB) is
    worked out each time and never kept: what is remembered stays bounded in bytes, not only in URLs."""
    urls._remembered.cache_clear()
    path = "a" * 200_000
    for _ in range(2):
        assert canonicalize(f"HTTP://Example.com/{path}#x") == f"http://example.com/{path}"
    assert urls._remembered.cache_info().currsize == 0
    at_limit = "http://example.com/" + "b" * (CANONICAL_CACHE_URL_LENGTH - len("http://example.com/"))
    assert canonicalize(at_limit) == at_limit
    assert urls._remembered.cache_info().currsize == 1


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://a.b/", True),
        ("https://127.0.0.1:1/x", True),
        ("ftp://a.b/", False),
        ("a.b", False),
        ("http://", False),
        ("http://[::1", False),  # urlsplit raises on it
        ("http://a.b:port/", False),
    ],
)
def test_is_http_url(url: str, ok: bool) -> None:
    assert is_http_url(url) is ok


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://user:s3cret@127.0.0.1:8642/a?x=1#f", "http://127.0.0.1:8642/a?x=1#f"),
        ("https://token@example.com/", "https://example.com/"),
        ("https://a:b@c@example.com/p", "https://example.com/p"),
        ("https://example.com/a?email=me@example.org", "https://example.com/a?email=me@example.org"),
    ],
)
def test_without_userinfo(url: str, expected: str) -> None:
    assert without_userinfo(url) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://blog.example.org/2024/a-post", "https://www.blog.example.org/2024/a-post/", True),
        ("https://blog.example.org/a-post", "https://blog.example.org/a-post.html", True),
        ("https://blog.example.org/a-post/", "https://blog.example.org/a-post/index.html", True),
        ("https://blog.example.org/a-post", "https://blog.example.org/a-post?utm_source=feed&utm_medium=rss", True),
        ("https://blog.example.org/a%20post", "https://blog.example.org/a post", True),
        ("https://blog.example.org/a-post?b=2&a=1", "https://blog.example.org/a-post?a=1&b=2", True),
        ("https://blog.example.org/a-post", "https://blog.example.org/another-post", False),
        ("https://blog.example.org/a-post?p=2", "https://blog.example.org/a-post?p=3", False),
        ("https://blog.example.org/a-post", "https://news.example.org/a-post", False),
    ],
)
def test_address_key_tells_two_spellings_of_one_page(a: str, b: str, same: bool) -> None:
    assert (address_key(a) == address_key(b)) is same


def test_address_key_drops_the_parameters_named_and_reads_no_broken_address() -> None:
    share = "https://blog.example.org/a-post?share=twitter&nb=1"
    assert address_key(share, frozenset({"share", "nb"})) == address_key("https://blog.example.org/a-post")
    assert address_key(share) != address_key("https://blog.example.org/a-post")
    assert address_key("http://[x/") is None
