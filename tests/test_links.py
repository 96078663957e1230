"""The links the workers read from the parsed page are the links Scrapy's LinkExtractor finds."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from archiver.crawl.sources import Source
from archiver.crawl.spiders.scope import SiteRules
from archiver.extract import links as link_module
from archiver.extract import load_page, read_page
from archiver.extract.links import LinkRules, follow_links
from tests.conftest import crawl_local, make_site, rows
from tests.sites import LoggingSiteServer

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    [
        *(ROOT / "tests" / "fixtures").rglob("*.html"),
        *(ROOT / "archiver" / "demo" / "site").rglob("*.html"),
    ]
)


def _scrapy_links(rules: SiteRules, url: str, body: bytes) -> tuple[list[str], str]:
    response = HtmlResponse(url, body=body)
    return [link.url for link in rules.links.extract_links(response)], response.encoding


def _ours(rules: SiteRules, url: str, body: bytes, encoding: str) -> list[str]:
    return follow_links(load_page(body, url), rules.follow, encoding)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_saved_pages_give_scrapys_links(path: Path) -> None:
    body = path.read_bytes()
    for url in ("https://example.org/2012/05/a-post/", "http://127.0.0.1:8080/news/item.html"):
        rules = SiteRules.of([url])
        expected, encoding = _scrapy_links(rules, url, body)
        assert _ours(rules, url, body, encoding) == expected


PAGE = """<html><head><meta charset="{charset}"><base href="{base}"></head><body>
<a href="  /a/one  ">one</a> <a href="/a/one">again</a> <area href="/map/area.html">
<a href="two.html#frag">two</a> <a href="/files/report.PDF">pdf</a> <a href="/files/x.tar.gz">tar</a>
<a href="/files/y.pdf;jsessionid=1">params</a> <a href="/files/z.html;v=1.pdf">not an extension</a>
<a href="mailto:someone@example.org">mail</a> <a href="javascript:void(0)">js</a> <a href="ftp://example.org/f">ftp</a>
<a href="https://sub.example.org/x">subdomain</a> <a href="https://example.org:8443/port">port</a>
<a href="https://other.example/elsewhere">offsite</a> <a href="/2012/05/a-post/comment-page-2/">comments</a>
<a href="/feed/">feed</a> <a href="/Comment-Page-3/">case</a> <a href="/search?q=caf\u00e9">caf\u00e9</a>
<a href="http://[bad">bogus</a> <a>no href</a> <link href="/style.css"><img src="/logo.png">
<a href="/?replytocom=5">reply</a> <a href="http:///nohost">no host</a> <a href="HTTPS://EXAMPLE.ORG/Upper">upper</a>
<a href="/private/page">private</a> <a href="//example.org/proto">relative</a> <a href="#only">fragment</a>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252"])
@pytest.mark.parametrize("base", ["https://example.org/base/", "", "mailto:x@example.org"])
@pytest.mark.parametrize(
    "source",
    [
        None,
        Source(
            name="s", start_urls=("https://example.org/",), allowed_domains=("example.org",), exclude=("/private/",)
        ),
    ],
)
def test_link_rules_match_scrapy_on_edge_cases(charset: str, base: str, source: Source | None) -> None:
    url = "https://example.org/2012/05/a-post/"
    body = PAGE.format(charset=charset, base=base).encode(charset)
    rules = SiteRules.of([url], source)
    expected, encoding = _scrapy_links(rules, url, body)
    assert expected  # the page has links to follow
    assert _ours(rules, url, body, encoding) == expected


ROOTED = """<html><head><meta charset="{charset}"></head><body>
<a href="/a/../b/./c">dots</a> <a href="/?page=2">query</a> <a href="/#top">fragment</a> <a href="/;v=1">params</a>
<a href="//">empty host</a> <a href="/\t/?q=1">a tab makes it a host</a> <a href="/\n/other.example/x">a line break</a>
<a href="//other.example/y">other host</a> <a href="/\u00e9t\u00e9?x=\u00e9">non-ASCII</a> <a href="/">root</a>
<a href="HTTPS://example.org/Upper?">absolute</a> <a href="https:\t//example.org/t">a tab in the scheme</a>
<a href="https://\t/tab">a tab for a host</a> <a href="http://example.org/other-scheme">another scheme</a>
<a href="https://?q=2">no host, no path</a> <a href="https://\t?q=3">a tab, no host, no path</a>
<a href="#a#b">fragment</a> <a href="#">empty fragment</a>
<a href="#c\td">a tab in a fragment</a>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252"])
def test_links_from_the_root_are_joined_as_scrapy_joins_them_on_every_page_of_a_site(charset: str) -> None:
    """A link from the host's root or with a host of its own is joined once for the site (cached):
    the same on pages at other paths, with queries and fragments; hrefs that urllib reads as a host
    or as no path ("//", a tab after the first "/", no host after "https://") depend on the page's
    URL and are not."""
    body = ROOTED.format(charset=charset).encode(charset)
    for url in ("https://example.org/2012/05/a-post/?s=1#c", "https://example.org/other", "https://example.org"):
        rules = SiteRules.of([url])
        expected, encoding = _scrapy_links(rules, url, body)
        assert _ours(rules, url, body, encoding) == expected
    rules = SiteRules.of(["https://example.org/x/"])
    # read from the page, not from Scrapy: the page's own URL for "//", its path with the link's query after a tab
    got = _ours(rules, "https://example.org/x/y?z=1", ROOTED.format(charset="utf-8").encode(), "utf-8")
    assert got == [
        "https://example.org/b/c",
        "https://example.org/?page=2",
        "https://example.org/#top",
        "https://example.org/;v=1",
        "https://example.org/x/y?z=1",
        "https://example.org/x/y?q=1",
        "https://example.org/%C3%A9t%C3%A9?x=%C3%A9",  # other.example's links are not followed
        "https://example.org/",
        "https://example.org/Upper",  # the scheme in lower case, the empty query dropped
        "https://example.org/t",  # the tab dropped
        "https://example.org/tab",  # no host after the tab is dropped: the page's
        "http://example.org/other-scheme",
        "https://example.org/x/y?q=2",  # the page's host and path, the link's query
        "https://example.org/x/y?q=3",  # the same once the tab is dropped
        "https://example.org/x/y?z=1#a%23b",  # ("#" alone: the page's own URL, given above)
        "https://example.org/x/y?z=1#cd",
    ]


OTHER_BASE = """<html><head><base href="{base}"></head><body>
<a href="/x">root</a> <a href="#top">fragment</a> <a href="y?q=1">relative</a> <a href="https://example.org/abs">absolute</a>
</body></html>"""


@pytest.mark.parametrize("base", ["http://cdn.example.net:8080/d/", "mailto:x@example.org"])
def test_a_base_on_another_host_scheme_and_port_joins_the_links_as_scrapy_does(base: str) -> None:
    """The site's root and the page's fragment come from the <base>, not from the page: the joins
    cached for one page's origin are not taken for another's; a <base> without a host is not one."""
    body = OTHER_BASE.format(base=base).encode()
    url = "https://example.org/p"
    response = HtmlResponse(url, body=body)
    expected = [link.url for link in LinkExtractor().extract_links(response)]
    for _ in range(2):  # the second time from the caches
        assert follow_links(load_page(body, url), LinkRules(), response.encoding) == expected
    # read from the page, not from Scrapy
    if base.startswith("http"):
        assert expected == [
            "http://cdn.example.net:8080/x",
            "http://cdn.example.net:8080/d/#top",
            "http://cdn.example.net:8080/d/y?q=1",
            "https://example.org/abs",
        ]
    else:  # mailto: is no base to join with: the page's own URL is
        assert expected == [
            "https://example.org/x",
            "https://example.org/p#top",
            "https://example.org/y?q=1",
            "https://example.org/abs",
        ]


def test_a_base_urllib_cannot_read_gives_way_to_the_pages_own_url() -> None:
    """A <base href> with a port out of range is ignored (w3lib cannot make it safe): the links are
    joined with the page's URL, and the page is read, not failed."""
    body = OTHER_BASE.format(base="https://h:99999/a/").encode()
    url = "https://example.org/dir/p"
    got = follow_links(load_page(body, url), LinkRules(), "utf-8")
    assert got == [
        "https://example.org/x",
        "https://example.org/dir/p#top",
        "https://example.org/dir/y?q=1",
        "https://example.org/abs",
    ]
    assert read_page(body, url, _now(), 1, follow=LinkRules()).links == got


def test_long_links_are_joined_but_not_kept_in_the_caches() -> None:
    """Hrefs and URLs over 2,048 characters are joined as the others, without being cached: the
    caches are bounded by entries, and a site of 64 KB links would fill them with gigabytes."""
    long = "a" * 3000
    body = (
        f'<a href="/{long}">root</a> <a href="https://example.org/{long}?q">absolute</a> <a href="{long}">relative</a>'
    )
    url = "https://example.org/p/"
    caches = (link_module._rooted, link_module._safe, link_module._allowed, link_module._absolute)
    for cache in caches:
        cache.cache_clear()
    response = HtmlResponse(url, body=body.encode())
    expected = [link.url for link in LinkExtractor().extract_links(response)]
    assert len(expected) == 3
    assert follow_links(load_page(body.encode(), url), LinkRules(), response.encoding) == expected
    assert [cache.cache_info().currsize for cache in caches] == [0, 0, 0, 0]


def test_a_link_with_a_host_is_joined_once_for_all_sites_of_a_scheme() -> None:
    """An absolute link with a host joins on the base's scheme alone: a third-party link shared by
    several sites is cached once (and joined as Scrapy joins it on each)."""
    body = b'<a href="https://third.example/widget">w</a> <a href="/a">a</a>'
    link_module._rooted.cache_clear()
    for url in ("https://one.example/p", "https://two.example/q/r"):
        response = HtmlResponse(url, body=body)
        expected = [link.url for link in LinkExtractor().extract_links(response)]
        assert follow_links(load_page(body, url), LinkRules(), response.encoding) == expected
    assert link_module._rooted.cache_info().hits == 1  # the widget's, on the second site


def test_read_page_gives_the_links_of_articles_and_other_pages() -> None:
    demo = ROOT / "archiver" / "demo" / "site"
    rules = SiteRules.of(["http://127.0.0.1:8000/"]).follow
    index = read_page((demo / "index.html").read_bytes(), "http://127.0.0.1:8000/", _now(), 60, follow=rules)
    assert index.article is None and index.links
    article_path = next(p for p in sorted(demo.rglob("*.html")) if p.name != "index.html")
    url = "http://127.0.0.1:8000/" + str(article_path.relative_to(demo))
    page = read_page(article_path.read_bytes(), url, _now(), 60, follow=rules)
    assert page.links == _scrapy_links(SiteRules.of(["http://127.0.0.1:8000/"]), url, article_path.read_bytes())[0]
    assert read_page(b"%PDF-1.4 binary", url, _now(), 60, follow=rules).links == []  # not HTML: nothing to follow


def test_link_rules_survive_pickling_to_a_worker() -> None:
    rules = SiteRules.of(["https://example.org/"]).follow
    copy = pickle.loads(pickle.dumps(rules))
    assert copy == rules and copy.allows("https://example.org/a") and not copy.allows("https://other.example/a")
    assert LinkRules().allows("https://anywhere.example/x.html")


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


def test_a_link_is_requested_again_only_from_a_shallower_page() -> None:
    from archiver.crawl.spiders.articles import ArticlesSpider

    spider = ArticlesSpider(url="https://example.org/")
    first = ["https://example.org/a", "https://example.org/b"]
    assert list(spider._not_yet_requested(first, depth=3)) == first
    assert list(spider._not_yet_requested(first, depth=3)) == []  # the duplicate filter would drop them
    # from depth 3 they may have been dropped by DEPTH_LIMIT: a shallower page requests them again
    assert list(spider._not_yet_requested(["https://example.org/b", "https://example.org/c"], depth=1)) == [
        "https://example.org/b",
        "https://example.org/c",
    ]
    assert list(spider._not_yet_requested(["https://example.org/b"], depth=2)) == []
    # a fragment is not fetched: the comment permalinks of a page are the page, requested without it
    permalinks = ["https://example.org/d#comment-1", "https://example.org/d#comment-2", "https://example.org/d"]
    assert list(spider._not_yet_requested(permalinks, depth=1)) == ["https://example.org/d"]
    assert list(spider._not_yet_requested(["https://example.org/a#respond"], depth=3)) == []


def _linking_page(title: str, *links: str) -> str:
    items = "".join(f'<li><a href="/{link}">{link}</a></li>' for link in links)
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul></body></html>"


def test_a_link_dropped_for_its_depth_is_crawled_when_a_shallower_page_links_it(tmp_path: Path) -> None:
    """index -> deep1 -> deep2 -> x is one level too deep for --depth 2; index -> slow -> x is not.

    ``slow.html`` answers last, so x is first seen on deep2 (and dropped by DEPTH_LIMIT), then on
    slow.html, from where it must still be requested.
    """
    site = tmp_path / "site"
    site.mkdir()
    pages = {
        "index.html": ["slow.html", "deep1.html"],
        "deep1.html": ["deep2.html"],
        "deep2.html": ["x.html"],
        "slow.html": ["x.html"],
        "x.html": [],
    }
    for name, links in pages.items():
        (site / name).write_text(_linking_page(name, *links), encoding="utf-8")
    workdir = tmp_path / "work"
    workdir.mkdir()
    with LoggingSiteServer(site, slow={"/slow.html": 3.0}) as server:
        result = crawl_local(server.url + "index.html", "--depth", "2", cwd=workdir)
        paths = list(server.paths)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "/x.html" in paths, paths
    # deep2 was read before slow.html answered: x was seen too deep first
    assert paths.index("/deep2.html") < paths.index("/x.html")


def test_a_page_linked_with_fragments_is_fetched_once_and_archived_without_them(tmp_path: Path) -> None:
    """An index linking an article's comment permalinks before the article itself."""
    site = make_site(tmp_path / "site", 2)
    permalinks = "".join(f'<a href="/a{n}.html#comment-{n}{c}">#</a>' for n in (1, 2) for c in (1, 2))
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("<ul>", f"{permalinks}<ul>"), encoding="utf-8")
    workdir = tmp_path / "work"
    workdir.mkdir()
    with LoggingSiteServer(site) as server:
        result = crawl_local(server.url + "index.html", cwd=workdir)
        paths = list(server.paths)
    assert result.returncode == 0, result.stderr + result.stdout
    assert sorted(p for p in paths if p.startswith("/a")) == ["/a1.html", "/a2.html"]
    urls = [r[0] for r in rows(workdir / "archive.db", "SELECT url FROM articles ORDER BY url")]
    assert urls == [server.url + "a1.html", server.url + "a2.html"]
    (stats,) = rows(workdir / "archive.db", "SELECT stats FROM crawls")
    assert "dupefilter/filtered" not in json.loads(stats[0])  # no Request was made for a permalink


def test_the_ignored_extensions_are_scrapys() -> None:
    """archiver.extract.links keeps its own copy of Scrapy's list (to not import Scrapy): the same list."""
    from scrapy.linkextractors import IGNORED_EXTENSIONS

    assert list(link_module.IGNORED_EXTENSIONS) == IGNORED_EXTENSIONS


FRAGMENTS = """<html><head><meta charset="{charset}"></head><body>
<a href="#c1">c1</a> <a href="#c2">c2</a> <a href="#respond">respond</a> <a href="#c1">again</a>
<a href="#post-3:top/x?y=1&z=(2)">punctuation</a> <a href="#caf\u00e9">non-ASCII</a> <a href="#a b">space</a>
<a href="#a%20b">escaped</a> <a href="#a%zz">bad escape</a> <a href="#x#y">two</a> <a href="#">empty</a>
<a href="#c3">c3</a>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252", "utf-16"])
@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/2012/05/a-post/?c=1#f",
        "http://Example.org:80/p;q?",  # made safe and joined into another URL than itself
        "https://example.org/caf\u00e9/a b",  # not safe as it is
        "https://example.org/a.pdf",  # a URL the rules do not follow
    ],
)
@pytest.mark.parametrize("exclude", [(), ("#c2",), ("c3$",)])
def test_fragment_links_are_the_pages_url_and_the_fragment_as_scrapy_joins_them(
    charset: str, url: str, exclude: tuple[str, ...]
) -> None:
    """A plain fragment ("#c1", "#respond": each comment's permalink) is the page's safe URL and the
    fragment, worked out once a page; where the URL is not safe as it is, the encoding writes ASCII
    otherwise, or the rules' patterns read the fragment, each link is joined as the others."""
    source = Source(name="s", start_urls=("https://example.org/",), exclude=exclude) if exclude else None
    rules = SiteRules.of(["https://example.org/"], source)
    body = FRAGMENTS.format(charset=charset).encode(charset)
    expected, encoding = _scrapy_links(rules, url, body)
    assert _ours(rules, url, body, encoding) == expected


@given(
    st.sampled_from(
        [
            "https://example.org/a/b?c=1",
            "https://example.org/p",
            "http://Example.ORG:80/x",
            "https://h/caf\u00e9?x=\u00e9",
            "https://h/a b",
            "https://h/pa th ",
            "https://h/a%zz",
            "https://h/a|b",
            "http://h/..//x/../y",
            "https://b\u00fccher.example/a",
            "https://h:99999/a/",
        ]
    ),
    st.text("AZaz09._~:/?@!$&'()*+,;=-#% \u00e9\t", min_size=1, max_size=8).map(lambda s: f"#{s}"),
    st.sampled_from(["utf-8", "windows-1252", "utf-16", "shift_jis", "utf-7"]),
    st.sampled_from([LinkRules(), LinkRules(allow=("#c",)), LinkRules(deny=("#",)), LinkRules(deny=(r"\.pdf",))]),
)
@example("https://example.org/p", "#c+~", "utf-7", LinkRules())  # UTF-7 writes "+" and "~" otherwise
def test_a_plain_fragment_is_followed_as_the_joined_link(
    unfragmented: str, href: str, encoding: str, rules: LinkRules
) -> None:
    """The page's URL and a plain fragment after it (``_plain_page``, where it applies) is the URL to
    follow of the joined link and the rules' answer on it, for URLs not safe as they are too."""
    plain = link_module._plain_page(unfragmented, encoding, "https", rules)
    if plain[0] is None or not link_module._PLAIN_FRAGMENT.match(href):
        return
    url = plain[0] + href
    allowed = plain[1] if plain[2] else rules.allows(url)
    assert (url, allowed) == link_module._followed(unfragmented + href, encoding, "https", unfragmented, rules)


def _joined_link(
    origin: str, href: str, encoding: str, scheme: str, rules: LinkRules
) -> tuple[str | None, bool] | None:
    """What the slow path gives a link: joined, made safe and joined with the page's scheme (None where
    the safe URL has no host), and whether the rules allow it."""
    joined = urljoin(origin, href)
    safe = link_module._safe.__wrapped__(joined, encoding)
    url = link_module._absolute.__wrapped__(safe, scheme) if safe is not None else None
    if safe is not None and not link_module._HAS_HOST.match(safe):
        return None
    return url, url is not None and rules.allows(url)


@given(
    st.sampled_from(
        [
            "https://example.org/",
            "http://Example.ORG:80/",
            "https://b\u00fccher.example/",
            "https://user:pw@h:8443/",
            "http://[::1]:8000/",
            "https://h:99999/",
            "http://ex ample.org/",
        ]
    ),
    st.builds(
        lambda segments, end: "/" + "/".join(segments) + end,
        st.lists(
            st.sampled_from(["", ".", "..", ".a", "a..", "~"]) | st.text("az09._~-", min_size=1, max_size=5), max_size=4
        ),
        st.sampled_from(["", "/"]),
    ),
    st.sampled_from(["utf-8", "windows-1252", "utf-16", "utf-7"]),
    st.sampled_from(["http", "https"]),
    st.sampled_from([LinkRules(), LinkRules(deny=(r"\.pdf",)), LinkRules(domains=("h",))]),
)
@example("https://example.org/", "/2024/12/a-post/", "utf-8", "https", LinkRules())  # plain: the shortcut
@example("https://example.org/", "/a/../b", "utf-8", "https", LinkRules())  # urljoin resolves dot segments
@example("https://example.org/", "/a/..", "utf-8", "https", LinkRules())
@example("https://example.org/", "/a/.", "utf-8", "https", LinkRules())
@example("https://example.org/", "/./a", "utf-8", "https", LinkRules())
@example("https://example.org/", "/../a", "utf-8", "https", LinkRules())
@example("https://example.org/", "/..", "utf-8", "https", LinkRules())
@example("https://example.org/", "/a//b", "utf-8", "https", LinkRules())  # an empty segment
@example("https://example.org/", "/a/", "utf-8", "https", LinkRules())
@example("https://example.org/", "//a/b", "utf-8", "https", LinkRules())  # another host
@example("https://example.org/", "/a/", "utf-8", "https", LinkRules(domains=("example.org",)))  # the rules' host
@example("https://example.org/", "/a.PDF", "utf-8", "https", LinkRules())  # an ignored extension
# made safe as "https://h/x/": urlparse reads the host h, the origin and path would give "h/x"
@example("https://h\\x/", "/a/", "utf-8", "https", LinkRules(domains=("h",)))
def test_a_path_from_the_root_is_followed_as_the_joined_link(
    origin: str, href: str, encoding: str, scheme: str, rules: LinkRules
) -> None:
    """A link from the root is followed as joining, making safe and joining with the page's scheme
    give it: a path of plain characters ("/2024/12/a-post/", ``_PLAIN_PATH``) as the site's safe
    origin and the path (``_site_prefix``), one with dot segments or empty ones ("/a/../b",
    "/a//b") as urllib resolves it. The segments are drawn directly so that such paths are common."""
    assert link_module._rooted.__wrapped__(origin, href, encoding, scheme, rules) == _joined_link(
        origin, href, encoding, scheme, rules
    )


@given(
    st.sampled_from(
        [
            "https://example.org",
            "http://Example.ORG:80",
            "https://h:8443",
            "https://h:99999",
            "https://h:0080",
            "http://xn--bcher-kva.example",
            "https://a..b",
            "https://-h.",
            "HTTPS://h",
            "https://user@h",
        ]
    ),
    st.builds(
        lambda segments, end: "/" + "/".join(segments) + end,
        st.lists(
            # besides plain segments, ones safe_url_string rewrites or urllib splits: not a plain path
            st.sampled_from(["", ".", "..", ".a", "a..", "~", "\u00fc", "%41", "a b", "|", ";p"])
            | st.text("az09._~-", min_size=1, max_size=5),
            max_size=4,
        ),
        st.sampled_from(["", "/", "?q=1", "#c1", "?q=\u00fc"]),
    ),
    st.sampled_from(["utf-8", "windows-1252", "utf-16", "utf-7"]),
    st.sampled_from(["http", "https"]),
    st.sampled_from([LinkRules(), LinkRules(deny=(r"\.pdf",)), LinkRules(domains=("h",))]),
)
@example("https://example.org", "/2024/12/a-post/", "utf-8", "https", LinkRules())  # plain: the shortcut
@example("http://Example.ORG:80", "/a/", "utf-8", "https", LinkRules())  # the host as the safe origin writes it
@example("https://h:99999", "/a/", "utf-8", "https", LinkRules())  # no safe URL: joined as the others
@example("https://example.org", "/a/../b", "utf-8", "https", LinkRules())  # a dot segment: no shortcut
@example("https://Example.org", "/a/", "utf-8", "https", LinkRules(domains=("example.org",)))  # the rules' host
@example("https://example.org", "/a.PDF", "utf-8", "https", LinkRules())  # an ignored extension
@example("https://h", "/\u00fc/", "utf-8", "https", LinkRules())  # not a plain path: made safe (/%C3%BC/)
def test_an_absolute_link_is_followed_as_the_joined_link(
    site: str, path: str, encoding: str, scheme: str, rules: LinkRules
) -> None:
    """A link with its host ("https://h/a-post/") is followed as joining, making safe and joining with the
    page's scheme give it: with a plain host and path (``_PLAIN_ABSOLUTE``) as its own site's safe origin
    and the path (``_site_prefix``)."""
    href = site + path
    assert link_module._rooted.__wrapped__(f"{scheme}://x/", href, encoding, scheme, rules) == _joined_link(
        f"{scheme}://x/", href, encoding, scheme, rules
    )
