"""The links of a page to follow, read from the tree the extraction already parsed.

``follow_links`` gives what Scrapy's ``LinkExtractor(allow=..., deny=..., allow_domains=...)``
gives for the same page (the ``<a>`` and ``<area>`` hrefs, joined with the page's ``<base>``,
made safe in the page's encoding, without ignored file extensions, each URL once, in page
order), without parsing the page a second time in the crawl's process. ``SiteRules.links``
builds that LinkExtractor from the same ``LinkRules`` for pages the workers gave up on;
``tests/test_links.py`` holds the two to the same output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlparse, urlsplit

from w3lib.html import get_base_url, strip_html5_whitespace
from w3lib.url import safe_url_string

from archiver.extract.document import Page
from archiver.urls import join_url

#: ``scrapy.linkextractors.IGNORED_EXTENSIONS``, copied (``tests/test_links.py`` holds them equal): importing
#: it would load all of Scrapy and Twisted into every extraction worker, for one list.
IGNORED_EXTENSIONS = (
    "7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip",
    "mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai", "drw", "dxf", "eps", "ps",
    "svg", "cdr", "ico", "webp",
    "mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff",
    "3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v", "flv", "webm",
    "xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps", "doc", "docb", "docm",
    "docx", "dotm", "dotx", "odt", "ods", "odg", "odp",
    "css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk", "jar", "sh", "rb", "js", "hta", "bat", "cpl", "msi",
    "msp", "py",
)  # fmt: skip
#: Schemes Scrapy's link extractor keeps (the spider then follows http and https only).
_SCHEMES = frozenset({"http", "https", "file", "ftp"})
_HAS_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]")
_IGNORED = tuple(f".{e}" for e in IGNORED_EXTENSIONS)
#: An href without tab nor line break (urllib drops them before it reads the URL).
_NO_BREAKS = re.compile(r"[^\t\r\n]*\Z")
#: An href that is a path from the host's root ("/a/b?c"), or an absolute URL with a host
#: ("https://host/..."): not "//host" nor "http:///x" (urllib drops tabs and line breaks before it
#: reads the URL, so "/\t/" would be one), whose join depends on the page's URL.
_ROOTED = re.compile(r"(?:/(?!/)|[A-Za-z][A-Za-z0-9+.-]*://[^/?#\t\r\n])[^\t\r\n]*\Z")
#: A path from the root of plain characters whose segments neither start with a dot nor are empty
#: ("/2024/12/a-post/", "/page/2.html", "/"): joined with the site's origin it is the origin and the path.
#: Each segment after a "/" of its own, so that a long href that fails is not tried in every split.
_PLAIN_PATH = re.compile(r"/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?)?\Z")
#: An absolute http(s) URL of a plain host (and port) and a ``_PLAIN_PATH``: its site's origin, then the path.
_PLAIN_ABSOLUTE = re.compile(r"(https?://[A-Za-z0-9.-]+(?::[0-9]+)?)(/.*)\Z", re.DOTALL)
#: Longer hrefs and URLs are joined without the caches: these are bounded by entries, not by size.
_LONGEST_CACHED = 2048
#: A fragment link whose characters ``safe_url_string`` keeps as they are, in any encoding that writes
#: them as ASCII does, and that urllib neither strips nor splits ("#c12", "#respond", "#post-3:top").
_PLAIN_FRAGMENT = re.compile(r"#[A-Za-z0-9._~:/?@!$&'()*+,;=-]+\Z")


@dataclass(frozen=True)
class LinkRules:
    """Which links of a page are followed: URL patterns (``re.search``) and hosts, ports included."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    _allow: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _deny: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _hosts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allow", tuple(re.compile(p) for p in self.allow))
        object.__setattr__(self, "_deny", tuple(re.compile(p) for p in self.deny))
        object.__setattr__(self, "_hosts", tuple(d.lower() for d in self.domains))

    def allows(self, url: str, place: tuple[str, str] | None = None) -> bool:
        """Whether a joined, safe URL is followed (LinkExtractor's ``_link_allowed``, same order).

        ``place`` is internal to this module (``_rooted``), and not checked: the URL's host (with its port)
        and path as ``urlparse`` reads them, where the caller built the URL of them (a safe origin and a
        plain path) and so knows them without parsing it. Other callers leave it None.
        """
        if url.split("://", 1)[0] not in _SCHEMES:
            return False
        if self._allow and not any(p.search(url) for p in self._allow):
            return False
        if any(p.search(url) for p in self._deny):
            return False
        if place is None:
            parts = urlparse(url)  # as Scrapy: the path without ";params" for the extension
            place = parts.netloc, parts.path
        host = place[0].lower()
        if self._hosts and not (host and any(host == d or host.endswith(f".{d}") for d in self._hosts)):
            return False
        return not place[1].lower().endswith(_IGNORED)


def follow_links(page: Page, rules: LinkRules, encoding: str) -> list[str]:
    """The page's links that the rules allow, once each, in page order.

    ``encoding`` is the page's, as Scrapy decoded it: non-ASCII queries are percent-encoded in it.
    """
    try:
        base = get_base_url(page.text[:4096], page.url, encoding)
    except ValueError:  # a <base href> w3lib cannot make safe ("https://h:99999/"): the page's own URL
        base = page.url
    scheme = page.url.partition(":")[0]
    origin = _origin(base)
    # "#x" joins as the base without its fragment (the join of "#", once a page), then "#x"
    unfragmented = join_url(base, "#") if origin else None
    plain: tuple[str | None, bool, bool] | None = None  # worked out at the page's first plain fragment
    seen: set[str] = set()
    found: list[str] = []
    for el in page.tree.iter("a", "area"):
        href = el.get("href")
        if href is None:
            continue
        href = strip_html5_whitespace(href)
        if href[:1] == "#" and unfragmented is not None and _PLAIN_FRAGMENT.match(href):
            plain = plain or _plain_page(unfragmented, encoding, scheme, rules)
            if plain[0] is not None:  # "#c12": the page's safe URL, then the fragment
                fragment_url = plain[0] + href
                if fragment_url not in seen:
                    seen.add(fragment_url)
                    if plain[1] if plain[2] else rules.allows(fragment_url):
                        found.append(fragment_url)
                continue
        rooted = None
        if origin and len(href) <= _LONGEST_CACHED and _ROOTED.match(href):
            # from the root: the site's origin; with a host: the base's scheme alone (shared by all sites)
            key = origin if href[0] == "/" else f"{origin.partition(':')[0]}://x/"
            rooted = _rooted(key, href, encoding, scheme, rules)
        if rooted is not None:
            url, allowed = rooted
        else:
            if unfragmented is not None and href[:1] == "#" and _NO_BREAKS.match(href):
                joined: str | None = unfragmented + href if len(href) > 1 else unfragmented
            else:
                joined = join_url(base, href)
            if joined is None:
                continue  # a bogus link, skipped as Scrapy skips it
            url, allowed = _followed(joined, encoding, scheme, page.url, rules)
        if url is not None and url not in seen:
            seen.add(url)
            if allowed:
                found.append(url)
    return found


def _origin(base: str) -> str | None:
    """``scheme://host/`` of an http(s) base URL with a host, else None.

    ``urljoin(base, href)`` of a path from the root (``_ROOTED``) depends on the base's scheme and
    host alone (urllib takes the href's path, never empty, its query and its fragment), and of an
    absolute URL with a host on the base's scheme alone (the href as it is, or rebuilt from its own
    parts), so it equals ``urljoin(origin, href)``, the same for every page of a site, or
    ``urljoin("https://x/", href)``, the same for every site: both are cached.
    """
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def _plain_page(unfragmented: str, encoding: str, scheme: str, rules: LinkRules) -> tuple[str | None, bool, bool]:
    """The page's URL to follow for a ``_PLAIN_FRAGMENT`` link (without it), whether the rules allow it,
    and whether their answer is the same with the fragment (no URL patterns: they search the whole URL);
    None for the URL where the fragment's URL could differ from that URL with the fragment after it.

    Where the URL without fragment is safe as it is and joined as it is (with a host), the safe URL of
    ``unfragmented + "#x"`` is that URL and "#x" (``safe_url_string`` splits at the first "#", keeps the
    fragment's characters, and its join splits and rebuilds the URL the same way), and the rules read
    its scheme, host and path only, besides the patterns. Each page's own URL: not kept in the caches.
    """
    if (
        not _ascii_encoding(encoding)
        or _safe.__wrapped__(unfragmented, encoding) != unfragmented
        or not _HAS_HOST.match(unfragmented)
        or _absolute.__wrapped__(unfragmented, scheme) != unfragmented
    ):
        return None, False, False
    return unfragmented, rules.allows(unfragmented), not (rules.allow or rules.deny)


@lru_cache(maxsize=64)
def _ascii_encoding(encoding: str) -> bool:
    """Whether the encoding writes a ``_PLAIN_FRAGMENT``'s characters as ASCII does (not UTF-16)."""
    probe = "#AZaz09._~:/?@!$&'()*+,;=-"
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


@lru_cache(maxsize=16_384)
def _rooted(origin: str, href: str, encoding: str, scheme: str, rules: LinkRules) -> tuple[str | None, bool] | None:
    """``_followed`` of a link from the root joined with its page's ``_origin``, or of a link with a host joined
    with ``scheme://x/`` (``origin``, the key); None where the safe URL has no host (then joined with the
    page's own URL, which is not part of the key)."""
    path, prefix = href, None
    if _PLAIN_PATH.match(href):
        prefix = _site_prefix(origin, encoding, scheme)
    elif href[:1] != "/":
        absolute = _PLAIN_ABSOLUTE.match(href)
        if absolute is not None and _PLAIN_PATH.match(absolute[2]):
            # "https://host/a-post/": joined as it is (with a host and no dot segment, a join rebuilds it
            # alike), so as a path from its own origin's root
            path, prefix = absolute[2], _site_prefix(f"{absolute[1]}/", encoding, scheme)
    if prefix is not None:  # "/2024/12/a-post/": the site's safe origin, then the path
        url = prefix + path
        return url, _allowed(rules, url, (prefix.partition("://")[2], path))
    joined = join_url(origin, href)
    if joined is None:
        return None, False  # a bogus link, skipped as Scrapy skips it
    safe = _safe(joined, encoding)
    if safe is None:
        return None, False
    if not _HAS_HOST.match(safe):
        return None
    url = _absolute(safe, scheme)
    return url, _allowed(rules, url)


@lru_cache(maxsize=1024)
def _site_prefix(origin: str, encoding: str, scheme: str) -> str | None:
    """A site's safe origin without its last "/", for a ``_PLAIN_PATH`` joined to it; None where not so.

    Asked for the page's origin (a link from the root) and for the origin of every ``_PLAIN_ABSOLUTE``
    link, so its cache also holds the hosts other sites' pages link to: bounded by its 1024 entries.

    ``urljoin(origin, path)`` of such a path is the origin and the path (no dot segment, no empty
    segment, no params, query nor fragment: nothing urllib resolves or moves), ``safe_url_string``
    of that is the safe origin and the path (it reads the host alone, and keeps the path's
    characters), and its join with the page's scheme is itself where the safe origin's is (it splits
    and rebuilds the URL, whose path is then the link's as it was).
    """
    safe = _safe(origin, encoding)
    # the join with the scheme: defensive (no example found where it matters), as with the netloc check
    # below the safe origin is "scheme://netloc/", its scheme in lower case, which urljoin rebuilds as it is
    if safe is None or not safe.endswith("/") or not _HAS_HOST.match(safe) or _absolute(safe, scheme) != safe:
        return None
    if f"{urlsplit(safe).netloc}/" != safe.partition("://")[2]:
        return None  # the host is not all there is between "://" and the path: the rules read it from the URL
    # the encoding, checked on a path: defensive, as w3lib writes a path in UTF-8 whatever the page's
    # encoding, and one that changes the empty query (UTF-16's "?%FF%FE") fails on the origin alone above
    if _safe(f"{origin}a-b/c.d_e~f", encoding) != f"{safe}a-b/c.d_e~f":
        return None
    return safe[:-1]


@lru_cache(maxsize=16_384)
def _safe(joined: str, encoding: str) -> str | None:
    """The URL made safe, or None if it is bogus; cached: a site's pages share most of their links."""
    try:
        return safe_url_string(joined, encoding=encoding)
    except ValueError:
        return None


@lru_cache(maxsize=16_384)
def _allowed(rules: LinkRules, url: str, place: tuple[str, str] | None = None) -> bool:
    return rules.allows(url, place)


def _followed(joined: str, encoding: str, scheme: str, page_url: str, rules: LinkRules) -> tuple[str | None, bool]:
    """The URL to follow of a joined link (None if bogus), and whether the rules allow it; a long one
    (over ``_LONGEST_CACHED``) worked out without the caches, which are bounded by entries, not size."""
    cached = len(joined) <= _LONGEST_CACHED
    safe = _safe(joined, encoding) if cached else _safe.__wrapped__(joined, encoding)
    if safe is None:
        return None, False
    if not _HAS_HOST.match(safe):  # relative, or no host: joined with the page's own URL
        url = urljoin(page_url, safe)
        return url, rules.allows(url)
    if not cached:
        url = _absolute.__wrapped__(safe, scheme)
        return url, rules.allows(url)
    url = _absolute(safe, scheme)
    return url, _allowed(rules, url)


@lru_cache(maxsize=16_384)
def _absolute(url: str, scheme: str) -> str:
    """``urljoin(page_url, url)`` for an absolute url: it depends only on the page's scheme."""
    return urljoin(f"{scheme}://x/", url)
