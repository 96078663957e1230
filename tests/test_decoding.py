"""Pages with no declared charset are decoded as browsers decode them (BOM, then detection).

The hard case is a page of much ASCII markup (navigation, styles, scripts) and little text in a
legacy encoding: a detector fed the whole page guesses from a handful of bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.demo.server import SiteServer
from archiver.extract.document import decode_html
from tests.conftest import crawl_local, rows

NAV = "".join(f'<li class="menu-item"><a href="/section/{n}/">Section {n}</a></li>' for n in range(60))
STYLE = "<style>" + "".join(f".c{n}{{margin:0 {n}px;color:#3{n % 10}3}}\n" for n in range(80)) + "</style>"
SCRIPT = "<script>" + "".join(f"window.cfg{n} = {{id: {n}, on: true}};\n" for n in range(60)) + "</script>"
SAKURA_TITLE = "東京の春の桜祭り"
SAKURA_TEXT = "東京の春の桜祭り。今年の春、東京の公園では多くの人々が桜の花を楽しみました。"


def markup_heavy(title: str, text: str, head: str = "", paragraphs: int = 1) -> str:
    """A page whose text is a title and a paragraph or two amid kilobytes of ASCII markup, undeclared."""
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{STYLE}{SCRIPT}{head}</head><body>"
        f"<header><nav><ul>{NAV}</ul></nav></header>"
        f"<main><article><h1>{title}</h1><p><time datetime='2024-04-02'>2024-04-02</time></p>"
        + f"<p>{text}</p>" * paragraphs
        + f"</article></main><footer><ul>{NAV}</ul></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("encoding", "title", "text"),
    [
        ("shift_jis", SAKURA_TITLE, SAKURA_TEXT),
        ("euc_jp", "桜の季節", "東京の春の桜祭りに、今年も多くの人が訪れました。"),
        ("gb18030", "春天", "北京的春天来得很早，公园里开满了花。"),
        ("big5", "春天", "台北的春天來得很早，公園裡開滿了花。"),
        ("euc_kr", "봄 축제", "서울의 봄 벚꽃 축제에 많은 사람들이 찾아왔습니다."),
        ("windows-1252", "Café", "Déjà vu à la fenêtre, cœur léger — “œuvres” complètes."),
        ("windows-1250", "Łódź", "Zażółć gęślą jaźń, powiedział burmistrz Łodzi."),
        ("windows-1251", "Весна", "Москва встретила весну тёплой погодой и солнцем."),
    ],
)
def test_undeclared_legacy_text_amid_ascii_markup(encoding: str, title: str, text: str) -> None:
    decoded = decode_html(markup_heavy(title, text).encode(encoding), "text/html")
    assert f"<p>{text}</p>" in decoded and f"<title>{title}</title>" in decoded


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_first(bom_encoding: str) -> None:
    """A BOM decides before the header's charset and any detection."""
    page = markup_heavy("桜の季節", "東京の春の桜祭りに、今年も多くの人が訪れました。")
    assert "東京の春の桜祭り" in decode_html(page.encode(bom_encoding), "text/html; charset=iso-8859-1")


def test_undeclared_utf8_stays_utf8() -> None:
    page = markup_heavy("Grüße", "Straßenbahn fährt wieder über die Brücke — „sagte“ er, für 5 €.")
    assert decode_html(page.encode("utf-8"), "text/html") == page


def test_declared_legacy_charset_is_used() -> None:
    """A declared charset the bytes fit is used, not detected."""
    text = "Zażółć gęślą jaźń, powiedział burmistrz Łodzi."
    page = markup_heavy("Łódź", text).replace("<head>", "<head><meta charset='iso-8859-2'>")
    assert f"<p>{text}</p>" in decode_html(page.encode("iso-8859-2"), "text/html")


def test_shift_jis_served_as_plain_text_html_is_crawled_as_japanese(tmp_path: Path) -> None:
    """A real crawl of a Shift_JIS page the server sends as bare ``text/html`` (no charset anywhere)."""
    title, text = SAKURA_TITLE, SAKURA_TEXT
    site = tmp_path / "site"
    site.mkdir()
    news = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-04-02"}</script>'
    (site / "sakura.html").write_bytes(markup_heavy(title, text, news, paragraphs=2).encode("shift_jis"))
    with SiteServer(site) as server:
        result = crawl_local(server.url + "sakura.html", "-s", "ARCHIVER_EXTRACT_MIN_WORDS=10", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (row,) = rows(tmp_path / "archive.db", "SELECT title, body, provenance FROM articles")
    assert row["title"] == title
    assert text in row["body"]
    assert json.loads(row["provenance"])["title"]
