"""Markup parsed as a browser places it: content after ``</body>`` and ``</html>`` is the body's."""

from __future__ import annotations

import lxml.html

from archiver.extract import comments_from_page, extract_article
from archiver.extract.document import load_page, parse_html

_PROSE = (
    "The council voted on Tuesday to keep the old library open for another ten years, after a "
    "campaign by readers who collected more than four thousand signatures in a single month. "
)

#: A theme that prints its footer and closes the document before the post's template runs.
ARTICLE_AFTER_THE_END = f"""<!DOCTYPE html>
<html><head><title>Library stays open | Town News</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<footer><p>Town News, 1 Market Square</p></footer>
</body>
</html>
<div class="post">
  <h1>Library stays open</h1>
  <p>{_PROSE * 3}</p>
  <p>{_PROSE * 2}</p>
</div>
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Library stays open",
  "author": {{"@type": "Person", "name": "Mira Osei"}}, "datePublished": "2024-03-05T09:00:00Z"}}
</script>
"""


def test_content_after_the_html_end_tag_is_in_the_body() -> None:
    root = parse_html(ARTICLE_AFTER_THE_END)
    post = root.xpath("//div[@class='post']")
    assert post, "libxml2 drops everything after </html>; a browser reads it into the body"
    assert post[0].getparent() is root.body


def test_an_article_printed_after_the_html_end_tag_is_extracted() -> None:
    article = extract_article(ARTICLE_AFTER_THE_END, "https://town.example/news/library-stays-open")
    assert article.title == "Library stays open"
    assert "four thousand signatures" in (article.body or "")
    assert article.authors == ["Mira Osei"]  # the JSON-LD after </html> is read too


def test_content_after_the_body_end_tag_is_in_the_body() -> None:
    root = parse_html("<html><body><p>first</p></body>\n<div id='late'><p>second</p></div></html>")
    late = root.xpath("//div[@id='late']")
    assert late and late[0].getparent() is root.body


def test_a_page_that_ends_normally_parses_as_before() -> None:
    markup = "<html><body><p>one</p><p>two</p></body>\n</html>\n<!-- cache -->\n"
    plain = lxml.html.document_fromstring(markup)
    assert lxml.html.tostring(parse_html(markup)) == lxml.html.tostring(plain)


def test_an_end_tag_written_in_a_script_is_script_text() -> None:
    markup = "<html><body><p>one</p><script>var s = '</body></html>';</script><p>two</p></body></html><p>three</p>"
    root = parse_html(markup)
    assert [p.text for p in root.body.iter("p")] == ["one", "two", "three"]
    script = root.body.find("script")
    assert script is not None and script.text == "var s = '</body></html>';"


def test_an_unclosed_script_runs_to_the_end() -> None:
    root = parse_html("<html><body><p>one</p></body></html><p>two</p><script>var a = '</html>';" + "<script>" * 2000)
    assert [p.text for p in root.body.iter("p")] == ["one", "two"]


def test_end_tags_in_other_cases_and_with_spaces() -> None:
    root = parse_html("<HTML><BODY><p>one</p></BODY ></HTML >\n<p>two</p>")
    assert [p.text for p in root.body.iter("p")] == ["one", "two"]


def test_a_trailing_heads_scripts_and_meta_go_to_the_body() -> None:
    # After "</html>", a browser ignores a second <html>'s <head> tag but puts what it holds in the body.
    markup = (
        "<html><head><title>One</title></head><body><p>one</p></body></html>"
        "<html><head><script type='application/ld+json'>{}</script><meta name='author' content='Mira'></head>"
        "<body><p>two</p></body></html>"
    )
    root = parse_html(markup)
    assert [child.tag for child in root.body] == ["p", "script", "meta", "p"]


def test_an_article_whose_json_ld_is_in_a_trailing_head_is_read() -> None:
    # The page closed after its header, then a second document whose <head> holds the article's JSON-LD.
    start, post = ARTICLE_AFTER_THE_END.split("</html>", 1)
    post, data = post.split("<script", 1)
    markup = f"{start}</html>\n<html><head><script{data}</head><body>{post}</body></html>"
    assert parse_html(markup).body.xpath("./script[@type='application/ld+json']")
    article = extract_article(markup, "https://town.example/news/library-stays-open")
    assert "four thousand signatures" in (article.body or "")
    assert article.authors == ["Mira Osei"]


def test_bare_text_after_the_end_tags_is_in_the_body() -> None:
    root = parse_html("<html><body><p>a</p></body></html>loose text here <b>bold</b> tail")
    assert root.body.text_content() == "aloose text here bold tail"
    root = parse_html("<html><body><p>a</p></body></html><body class=x>text in body<p>b</p>")
    assert root.body.text_content() == "atext in bodyb"
    root = parse_html("<html><body><p>a</p></body>tail text<div>d</div></html>")
    assert root.body.text_content() == "atail textd"
    assert root.body.getnext() is None


def test_several_trailing_documents_join_in_order() -> None:
    markup = "<html><body><p>a</p></body></html><p>b</p></body></html><p>c</p></body></html><html><body><p>d</p>"
    assert [p.text for p in parse_html(markup).body.iter("p")] == ["a", "b", "c", "d"]


_COMMENTED = f"""<!DOCTYPE html><html><head><title>Budget passes</title></head><body>
<article><h1>Budget passes</h1><p>{_PROSE * 3}</p></article>
<section id="comments"><h2>2 comments</h2><ol class="comment-list">
<li class="comment" id="comment-1"><div class="comment-author"><cite class="fn">Ann Lee</cite></div>
<div class="comment-content"><p>About time the library got a straight answer from the council.</p></div></li>
<li class="comment" id="comment-2"><div class="comment-author"><cite class="fn">Bo Ruiz</cite></div>
<div class="comment-content"><p>Four thousand signatures in a month is quite something for our town.</p></div></li>
</ol></section></body></html>
"""


def test_a_page_served_twice_is_read_once() -> None:
    # A server or cache that sends the page twice: a browser shows it twice, but it is one article.
    once, twice = parse_html(_COMMENTED), parse_html(_COMMENTED + _COMMENTED)
    assert len(twice.body.xpath(".//li")) == len(once.body.xpath(".//li")) == 2
    url = "https://town.example/news/budget-passes"
    assert len(comments_from_page(load_page(_COMMENTED + _COMMENTED, url))) == 2
