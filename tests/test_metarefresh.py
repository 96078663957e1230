"""Meta refresh redirects as Scrapy follows them, without decoding the pages that name no refresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from archiver.crawl.middlewares.metarefresh import MetaRefresh, ascii_scannable
from archiver.crawl.runner import build_settings
from archiver.demo import SiteServer
from tests.conftest import crawl_local, make_site, rows

URL = "http://127.0.0.1:9/page/"
REFRESH = '<html><head><meta http-equiv="{word}" content="0;url=/moved/"></head><body>{text}</body></html>'
FAR = '<html><head><title>{text}</title><meta http-equiv="refresh" content="0;url=/moved/"></head></html>'


def _middlewares() -> tuple[MetaRefresh, MetaRefreshMiddleware]:
    crawler = get_crawler(Spider)
    return MetaRefresh.from_crawler(crawler), MetaRefreshMiddleware.from_crawler(crawler)


def _response(body: bytes, content_type: str = "text/html") -> HtmlResponse:
    return HtmlResponse(URL, body=body, headers={"Content-Type": content_type}, request=Request(URL))


def _decoded(response: HtmlResponse) -> bool:
    """Whether the response's text was made (``response.text``).

    This reads Scrapy's private cache of that text, ``TextResponse._cached_ubody`` (None until the text
    is first asked for): what these tests check, that a page is never decoded, shows nowhere else. If
    a Scrapy release renames it, this fails loudly (AttributeError) rather than passing.
    """
    return response._cached_ubody is not None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (REFRESH.format(word="refresh", text="x").encode(), "text/html; charset=utf-8"),
        (REFRESH.format(word="REFRESH", text="x").encode(), "text/html"),
        (REFRESH.format(word="ReFrEsH", text="Grüße").encode("cp1252"), "text/html; charset=windows-1252"),
        # no "refresh" in the bytes: UTF-16 with its BOM, and ISO-2022-JP's escape to ASCII inside the word
        (b"\xff\xfe" + REFRESH.format(word="refresh", text="x").encode("utf-16-le"), "text/html"),
        (REFRESH.format(word="ref\x1b(Bresh", text="x").encode("latin-1"), "text/html; charset=iso-2022-jp"),
        # within Scrapy's first 4,096 characters, past byte 16,000: 4,000 characters of 4 bytes before it
        (FAR.format(text="\U0001f600" * 4000).encode(), "text/html; charset=utf-8"),
    ],
    ids=["utf-8", "capitals", "cp1252-mixed-case", "utf-16-bom", "iso-2022-jp-escape", "4-byte-characters"],
)
def test_a_page_naming_a_refresh_is_redirected_as_scrapy_redirects_it(body: bytes, content_type: str) -> None:
    ours, scrapys = _middlewares()
    expected = scrapys.process_response(Request(URL), _response(body, content_type))
    assert isinstance(expected, Request) and expected.url == "http://127.0.0.1:9/moved/"  # the case is a refresh
    redirected = ours.process_response(Request(URL), _response(body, content_type))
    assert isinstance(redirected, Request) and redirected.url == expected.url


@pytest.mark.parametrize(
    "body",
    [
        b'<html><head><meta charset="utf-8"><title>An article</title></head><body><p>Text.</p></body></html>',
        '<html><head><meta charset="utf-8"></head><body><p>Grüße aus Köln</p></body></html>'.encode(),
    ],
    ids=["ascii", "utf-8"],
)
def test_a_page_naming_no_refresh_is_not_decoded(body: bytes) -> None:
    """(A page declaring no encoding is decoded to find it, by ``response.encoding``, as the spider asks it.)"""
    ours, scrapys = _middlewares()
    response = _response(body)
    assert ours.process_response(Request(URL), response) is response
    assert not _decoded(response)  # Scrapy's middleware decodes every page
    assert response.text and _decoded(response)  # what _decoded reads is still the text's cache
    assert scrapys.process_response(Request(URL), _response(body)) is not None


def test_a_refresh_past_what_scrapy_reads_is_not_decoded() -> None:
    """Scrapy looks for a refresh in a page's first 4,096 characters: a page naming one only after
    16,388 bytes (4,096 characters of 4 bytes after a BOM) is not redirected, by either, nor decoded."""
    ours, scrapys = _middlewares()
    body = FAR.format(text="x" * 20_000).encode()
    assert body.index(b"refresh") > 4 + 4 * 4096
    assert isinstance(scrapys.process_response(Request(URL), _response(body)), HtmlResponse)
    response = _response(body, "text/html; charset=utf-8")
    assert ours.process_response(Request(URL), response) is response
    assert not _decoded(response)


def test_a_refresh_named_only_in_the_text_is_scrapys_to_read() -> None:
    """A page whose bytes hold the word elsewhere (not a meta tag) is read by Scrapy: no redirect."""
    ours, _ = _middlewares()
    response = _response(b"<html><body><p>Press F5 to refresh.</p></body></html>")
    assert ours.process_response(Request(URL), response) is response


def test_encodings_whose_ascii_is_not_their_own_bytes_are_not_scanned() -> None:
    assert ascii_scannable("utf-8") and ascii_scannable("cp1252") and ascii_scannable("shift_jis")
    assert not ascii_scannable("utf-16-le") and not ascii_scannable("iso2022_jp") and not ascii_scannable("utf-7")
    assert not ascii_scannable("unicode_escape") and not ascii_scannable("raw_unicode_escape")  # "\\x72" is "r"
    assert not ascii_scannable("no-such-encoding") and not ascii_scannable("base64")
    assert not ascii_scannable("idna") and not ascii_scannable("undefined")  # their decoding raises UnicodeError


def test_the_crawl_uses_it_in_scrapys_place(tmp_path: Path) -> None:
    middlewares = build_settings(tmp_path / "a.db", tmp_path, {}, None).getwithbase("DOWNLOADER_MIDDLEWARES")
    assert middlewares["archiver.crawl.middlewares.metarefresh.MetaRefresh"] == 580
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None


@pytest.mark.parametrize("word", ["refresh", "Refresh"])
def test_a_crawl_follows_a_meta_refresh_to_its_article(tmp_path: Path, word: str) -> None:
    """A start page that refreshes to another (as a moved page does) leads the crawl to the article there."""
    site = make_site(tmp_path / "site", 2)
    (site / "moved.html").write_text(
        f'<html><head><meta http-equiv="{word}" content="0; url=/a1.html"></head><body>Moved.</body></html>',
        encoding="utf-8",
    )
    with SiteServer(site) as server:
        result = crawl_local(f"{server.url}/moved.html", "--depth", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert [tuple(r) for r in rows(tmp_path / "archive.db", "SELECT title FROM articles")] == [("River report 1",)]
