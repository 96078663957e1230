"""Scrapy's ``<meta http-equiv="refresh">`` redirects, without decoding the pages that name no refresh."""

from __future__ import annotations

from functools import lru_cache

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response
from w3lib.encoding import read_bom, resolve_encoding

#: Bytes an encoding may drop when decoding, joining what is apart in the bytes (ISO-2022's escape to
#: ASCII, SO, SI): under such an encoding a word of the text need not be a run of its bytes.
_DROPPED = (b"\x1b(B", b"\x0e", b"\x0f")
_ASCII = bytes(range(128))


@lru_cache(maxsize=64)
def ascii_scannable(encoding: str) -> bool:
    """Whether each run of ASCII characters of a text decoded from ``encoding`` is the same run of
    bytes in the undecoded body: ASCII bytes decode to themselves and no byte between two is dropped."""
    try:
        if _ASCII.decode(encoding, "replace") != _ASCII.decode("ascii"):
            return False
        return all((b"a" + dropped + b"b").decode(encoding, "replace") != "ab" for dropped in _DROPPED)
    except LookupError:
        return False


def names_no_refresh(response: HtmlResponse) -> bool:
    """Whether the page's text cannot hold the word "refresh" in any case: its bytes do not, and it is
    decoded (from its encoding, or a BOM's) with ASCII characters as their own bytes."""
    if b"refresh" in response.body.lower():  # lower() folds ASCII letters only, as ASCII bytes
        return False
    encodings = {response.encoding, read_bom(response.body)[0] or response.encoding}
    return all((name := resolve_encoding(e)) is not None and ascii_scannable(name) for e in encodings)


class MetaRefresh(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, which decodes every HTML page to look for a refresh among
    its first 4,096 characters, asked only about pages whose bytes hold the word "refresh": for any
    other, its answer (none) is known without decoding the page, which the crawl's process never
    needs otherwise (the extraction workers decode it). Settings: Scrapy's ``METAREFRESH_ENABLED``,
    ``METAREFRESH_IGNORE_TAGS``, ``METAREFRESH_MAXDELAY``.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if isinstance(response, HtmlResponse) and names_no_refresh(response):
            return response
        return super().process_response(request, response)
