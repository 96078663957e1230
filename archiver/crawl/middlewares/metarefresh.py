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
#: Runs of ASCII bytes some encodings read as escapes of other characters (``unicode_escape``'s).
_ESCAPES = b"\\x72 \\u0072 \\162 \\N{LATIN SMALL LETTER R}"
_ASCII = bytes(range(128))
#: The word, found in any case of its ASCII letters in the bytes lowered (``bytes.lower`` folds ASCII
#: letters only, as a case-insensitive bytes pattern does, at a sixth of such a pattern's search's CPU).
_REFRESH = b"refresh"
#: Bytes searched: Scrapy looks for a refresh in a page's first 4,096 characters, and an encoding whose
#: ASCII is its own bytes takes at most 4 bytes a character (UTF-8, GB18030), after a BOM of at most 4.
_SCANNED = 4 + 4 * 4096


@lru_cache(maxsize=64)
def ascii_scannable(encoding: str) -> bool:
    """Whether each run of ASCII characters of a text decoded from ``encoding`` is the same run of
    bytes in the undecoded body: ASCII bytes decode to themselves, none is read as an escape of another
    character, and no byte between two is dropped."""
    try:
        if _ESCAPES.decode(encoding, "replace") != _ESCAPES.decode("ascii"):  # first: \] warns there
            return False
        if _ASCII.decode(encoding, "replace") != _ASCII.decode("ascii"):
            return False
        return all((b"a" + dropped + b"b").decode(encoding, "replace") != "ab" for dropped in _DROPPED)
    except (LookupError, UnicodeError):  # no text encoding, or one that cannot replace (idna): Scrapy decides
        return False


def names_no_refresh(response: HtmlResponse) -> bool:
    """Whether the part of the page's text Scrapy reads cannot hold the word "refresh" in any case: the
    bytes that text can come from do not, and it is decoded (from its encoding, or a BOM's) with ASCII
    characters as their own bytes."""
    if _REFRESH in response.body[:_SCANNED].lower():
        return False
    encodings = {response.encoding, read_bom(response.body)[0] or response.encoding}
    return all((name := resolve_encoding(e)) is not None and ascii_scannable(name) for e in encodings)


class MetaRefresh(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, which decodes every HTML page to look for a refresh among
    its first 4,096 characters, asked only about pages whose first 16,388 bytes hold the word "refresh": for any
    other, its answer (none) is known without decoding the page, which the crawl's process never
    needs otherwise (the extraction workers decode it). Settings: Scrapy's ``METAREFRESH_ENABLED``,
    ``METAREFRESH_IGNORE_TAGS``, ``METAREFRESH_MAXDELAY``.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if isinstance(response, HtmlResponse) and names_no_refresh(response):
            return response
        return super().process_response(request, response)
