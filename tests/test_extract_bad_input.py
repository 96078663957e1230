"""Bad input: extract_article returns what it can, or raises NotHTMLError; it never hangs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import NotHTMLError, extract_article, read_page
from archiver.extract.pagetype import count_words
from tests.conftest import run_archiver

URL = "https://blog.example.org/post"
ARTICLE = (
    '<html><head><title>Harbour Lights</title><script type=\'application/ld+json\'>{"@type": "NewsArticle", '
    '"headline": "Harbour Lights", "author": {"name": "Ana Silva"},}</script></head><body><h1>Harbour Lights</h1>'
    + "<p>The lighthouse keepers kept a log of every ship that passed the point in the storm.</p>"
    * 5
)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"GIF89a\x01\x00",
        b"\x00\x01\x02",
    ],
)
def test_binary_is_not_html(content: bytes) -> None:
    with pytest.raises(NotHTMLError):
        extract_article(content, URL)


def test_empty_page() -> None:
    article = extract_article(b"", URL)
    assert article.title is None and article.body is None and article.comments == []


def test_truncated_html_and_broken_json_ld() -> None:
    article = extract_article(ARTICLE[: len(ARTICLE) - 40].encode(), URL)
    assert article.title == "Harbour Lights"
    assert article.authors == ["Ana Silva"]  # the JSON-LD has a trailing comma
    assert article.body is not None and "lighthouse keepers" in article.body


def test_deeply_nested_markup() -> None:
    head, _, body = ARTICLE.partition("<body>")
    html = head + "<body>" + "<div>" * 10_000 + body + "</div>" * 10_000
    article = extract_article(html.encode(), URL)
    assert article.title == "Harbour Lights"


def test_huge_page() -> None:
    filler = "<p>" + "word " * 200 + "</p>"
    html = ARTICLE + filler * (20_000_000 // len(filler))
    article = extract_article(html.encode(), URL)
    assert article.title == "Harbour Lights"


@pytest.mark.parametrize(
    ("encoding", "declared", "text"),
    [
        ("windows-1252", True, "Grüße aus Köln – für 5 €, „sagte“ sie."),
        ("windows-1252", False, "Déjà vu à la fenêtre, cœur léger et œuvres complètes."),
        ("shift_jis", True, "東京の桜は三月の終わりに満開になりました。"),
        ("windows-1251", False, "Москва встретила весну тёплой погодой и солнцем."),
        ("gb2312", True, "北京的春天来得很早，公园里开满了花。"),
    ],
)
def test_legacy_encodings(encoding: str, declared: bool, text: str) -> None:
    head = f'<meta charset="{encoding}">' if declared else ""
    html = f"<html><head>{head}<title>T</title></head><body><h1>T</h1>" + f"<p>{text}</p>" * 8 + "</body></html>"
    article = extract_article(html.encode(encoding), URL)
    assert article.body is not None and text in article.body


def test_wrong_declared_charset() -> None:
    text = "Straßenbahn fährt wieder über die Brücke, sagte der Bürgermeister."
    html = '<html><head><meta charset="utf-8"><title>T</title></head><body>' + f"<p>{text}</p>" * 8
    article = extract_article(html.encode("windows-1252"), URL)
    assert article.body is not None and text in article.body


def test_extract_command(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4 binary")
    result = run_archiver("extract", str(page), str(binary), "--url", URL, cwd=tmp_path)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["title"] == "Harbour Lights"
    assert result.stderr.strip() == f"archiver: {binary}: content is binary, not HTML"


def test_header_declaring_utf8_wrongly() -> None:
    """The spider's path: bytes and the Content-Type header go to the worker, which detects the lie."""
    text = "Straßenbahn fährt wieder über die Brücke, sagte der Bürgermeister."
    html = "<html><head><title>T</title></head><body><h1>T</h1>" + f"<p>{text} <time>2024-05-01</time></p>" * 12
    result = read_page(html.encode("windows-1252"), URL, datetime.now(UTC), 60, None, "text/html; charset=UTF-8")
    assert result.article is not None and result.article.body is not None and text in result.article.body


def test_binary_served_as_html_is_not_an_article() -> None:
    result = read_page(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), URL, datetime.now(UTC), 60, None, "text/html")
    assert result.article is None and result.comment_pages == []


@pytest.mark.parametrize(("text", "words"), [("a b c", 3), ("東京の桜は三月の終わりに", 6), ("東京 and 大阪", 3)])
def test_cjk_words_counted(text: str, words: int) -> None:
    assert count_words(text) == words


def test_japanese_article_without_declaration() -> None:
    text = "東京の桜は三月の終わりに満開になりました。川沿いの道は花見の人でにぎわっています。"
    html = "<html><head><title>桜</title></head><body><h1>桜</h1><time>2024-03-30</time>" + f"<p>{text}</p>" * 8
    result = read_page(html.encode("shift_jis"), URL, datetime.now(UTC), 60, None, "text/html")
    assert result.article is not None and result.article.body is not None and text in result.article.body


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"<html><head><title></title></head><body><p>hi</p></body></html>",
        b"<html><head><meta name='author' content=''><meta property='article:published_time' content='soon'></head>",
        ARTICLE.encode(),
    ],
    ids=["empty", "empty-title", "empty-meta", "article"],
)
def test_provenance_only_for_fields_found(html: bytes) -> None:
    article = extract_article(html, URL)
    assert {name for name in article.provenance if getattr(article, name) in (None, "", [])} == set()


def test_empty_page_has_no_provenance_and_no_fetch_time() -> None:
    article = extract_article(b"", URL)
    assert article.provenance == {} and article.fetched_at is None
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert extract_article(b"", URL, fetched_at=when).fetched_at == "2024-05-01T12:00:00+00:00"


def test_extract_command_on_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    result = run_archiver("extract", "empty.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] is None and article["provenance"] == {} and article["fetched_at"] is None


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00+00:00"),
        ("2024-05-01T14:00:00+02:00", "2024-05-01T14:00:00+02:00"),
        ("2024-05-01T12:00:00", "2024-05-01T12:00:00+00:00"),  # no offset: UTC
        ("2024-05-01", "2024-05-01T00:00:00+00:00"),
    ],
)
def test_fetched_at_option(tmp_path: Path, given: str, recorded: str) -> None:
    (tmp_path / "page.html").write_text(ARTICLE, encoding="utf-8")
    result = run_archiver("extract", "page.html", "--fetched-at", given, "--url", URL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fetched_at"] == recorded


@pytest.mark.parametrize(
    ("option", "value"),
    [("--fetched-at", "yesterday"), ("--fetched-at", "2024-13-01"), ("--url", "blog/post"), ("--url", "http://[::1")],
)
def test_bad_option_is_one_usage_error(tmp_path: Path, option: str, value: str) -> None:
    (tmp_path / "page.html").write_text(ARTICLE, encoding="utf-8")
    result = run_archiver("extract", "page.html", option, value, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(f"Error: Invalid value for '{option}': {value!r} is not")
    assert "Traceback" not in result.stderr


def test_every_file_error_in_one_style(tmp_path: Path) -> None:
    """archiver: <input>: <problem>, one line each; the pages that can be read are still extracted."""
    (tmp_path / "page.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "folder").mkdir()
    args = ("missing.html", "folder", "scan.pdf", "page.html")
    result = run_archiver("extract", *args, "--url", URL, cwd=tmp_path)
    assert result.returncode == 1
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Harbour Lights"]
    assert result.stderr.splitlines() == [
        "archiver: missing.html: no such file",
        "archiver: folder: is a folder, not a saved page",
        "archiver: scan.pdf: content is binary, not HTML",
    ]


def test_bad_profile_in_the_same_style(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.toml").write_text("x = \n", encoding="utf-8")
    result = run_archiver("extract", "page.html", "--profiles", "profiles", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"archiver: {Path('profiles') / 'bad.toml'}: ")


def test_a_link_urllib_cannot_read_is_skipped_not_fatal() -> None:
    """``http://[x/y`` (an unclosed IPv6 host) makes ``urljoin`` raise: as a canonical link, in the
    comments (their authors' links, links to other pages) and as a comment page's link, the page is
    read all the same."""
    bad = "http://[x/y"
    comments = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-author"><a href="{bad}">Reader {n}</a></div>'
        f'<time datetime="2024-01-0{n}T10:00:00Z">January {n}, 2024</time>'
        f'<p>The keepers logged the ships, reader {n} wrote, <a href="{bad}">see this page</a>.</p></li>'
        for n in range(1, 5)
    )
    html = (
        f'<html><head><title>Harbour Lights</title><link rel="canonical" href="{bad}"></head><body>'
        f"<article><h1>Harbour Lights</h1>{ARTICLE.split('<h1>Harbour Lights</h1>')[1]}</article>"
        f'<div id="comments"><ol class="commentlist">{comments}</ol><a href="{bad}">Older comments</a></div>'
        "</body></html>"
    )
    result = read_page(html.encode(), URL, datetime(2026, 1, 1, tzinfo=UTC), 20)
    assert result.article is not None and result.article.canonical_url == URL
    assert [c.author for c in result.article.comments] == [f"Reader {n}" for n in range(1, 5)]
    assert all(c.author_url is None for c in result.article.comments)
