"""The short month names with a dot of Italian, Spanish, Portuguese, French and Dutch, read on their pages only.

"12 ott. 2020", "4 ene. 2021", "7 out. 2020", "3 avr. 2021", "12 mrt. 2020" are dates where the page declares
its language (``<html lang>``, an ``og:locale`` or ``content-language`` meta tag); on an English page, or one
that declares none, the same shape ends English abbreviations ("Issue 4 Mag. 2021", "Round 2 set. 2021",
"sold 3 out. 2020 was") and nothing is read. Synthetic pages, written for the rule.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import extract_article
from archiver.extract.dates import date_start, dotted_language, parse_date
from archiver.extract.profiles import load_profile

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("12 ott. 2020", "it", "2020-10-12"),
        ("Pubblicato il 3 giu. 2021 alle 10:15", "it-IT", "2021-06-03T10:15:00"),
        ("1 gen. 2022", "it", "2022-01-01"),
        ("4 ene. 2021", "es", "2021-01-04"),
        ("21 dic. 2020", "es-AR", "2020-12-21"),
        ("7 out. 2020", "pt", "2020-10-07"),
        ("14 fev. 2021", "pt_BR", "2021-02-14"),
        ("3 avr. 2021", "fr", "2021-04-03"),
        ("1er avr. 2020", "fr-FR", "2020-04-01"),
        ("12 mrt. 2020", "nl", "2020-03-12"),
        ("12 OTT. 2020", "IT", "2020-10-12"),
    ],
)
def test_a_dotted_short_name_is_read_in_its_language(text: str, language: str, expected: str) -> None:
    assert parse_date(text, NOW, language=language) == expected


MISREADS = [
    "Ryzen 5 Gen. 2021",  # dates16's review: the dot ends English abbreviations
    "Chapter 2 Gen. 2020",
    "Issue 4 Mag. 2021",
    "Round 2 set. 2021",
    "sold 3 out. 2020 was",
    "12 ott. 2020",  # and the languages' own dates are not read on a page in none of them
    "4 ene. 2021",
    "3 avr. 2021",
]


@pytest.mark.parametrize("language", [None, "en", "en-US", "de"])
@pytest.mark.parametrize("text", MISREADS)
def test_no_dotted_short_name_on_a_page_in_another_language(text: str, language: str | None) -> None:
    assert parse_date(text, NOW, language=language) is None
    assert date_start(text, language=language) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("12 ott 2020", "it"),  # bare: "Top 10 OTT 2021" is Italian tech writing too
        ("Top 10 OTT 2021", "it"),
        ("3 avr. 2021", "it"),  # another language's name
        ("12 mrt. 2020", "fr"),
        ("7 out. 2020", "es"),
    ],
)
def test_only_the_page_language_s_names_with_their_dot(text: str, language: str) -> None:
    assert parse_date(text, NOW, language=language) is None


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("it", "it"), ("it-IT", "it"), ("pt_BR", "pt"), (" NL ", "nl"), ("en", None), ("de-DE", None), ("", None)],
)
def test_the_declared_language_chooses_the_names(declared: str, expected: str | None) -> None:
    assert dotted_language(declared) == expected


PARAGRAPH = (
    "<p>"
    + "Il consiglio comunale ha approvato il bilancio dopo una lunga discussione sulle spese per le scuole. " * 6
    + "</p>"
)


def page(html_attrs: str, byline: str, head: str = "") -> str:
    """An article without structured data or a dated URL: its byline's date line is its only date."""
    return (
        f"<html{html_attrs}><head><title>Il bilancio approvato</title>{head}</head><body><main><article>"
        f'<h1>Il bilancio approvato</h1><p class="meta">{byline}</p>{PARAGRAPH}</article></main></body></html>'
    )


URL = "https://giornale.example/notizie/bilancio-approvato"


@pytest.mark.parametrize(
    ("html_attrs", "head"),
    [
        (' lang="it"', ""),
        (' lang="it-IT"', ""),
        ("", '<meta property="og:locale" content="it_IT">'),
        ("", '<meta http-equiv="content-language" content="it">'),
    ],
)
def test_an_italian_page_s_date_line(html_attrs: str, head: str) -> None:
    article = extract_article(page(html_attrs, "12 ott. 2020", head), URL, fetched_at=NOW)
    assert article.published == "2020-10-12"
    assert article.provenance["published"] == "markup:date"


@pytest.mark.parametrize(
    ("html_attrs", "byline", "expected"),
    [
        (' lang="fr"', '<time class="published">3 avr. 2021</time>', "2021-04-03"),  # a date element's text
        (' lang="pt-BR"', "Publicado em 7 out. 2020", "2020-10-07"),
        (' lang="es"', "Por Ana Gómez | 4 ene. 2021", "2021-01-04"),
    ],
)
def test_other_languages_date_lines(html_attrs: str, byline: str, expected: str) -> None:
    article = extract_article(page(html_attrs, byline), URL, fetched_at=NOW)
    assert (article.published or "")[:10] == expected


@pytest.mark.parametrize("html_attrs", [' lang="en"', ""])
@pytest.mark.parametrize("line", ["Issue 4 Mag. 2021", "Round 2 set. 2021", "12 ott. 2020"])
def test_no_date_on_an_english_or_undeclared_page(html_attrs: str, line: str) -> None:
    article = extract_article(page(html_attrs, line), URL, fetched_at=NOW)
    assert article.provenance.get("published") not in {"markup:date", "markup:time"}
    assert (article.published or "")[:4] not in {"2020", "2021"}


def test_a_site_profile_s_date_in_the_page_s_language(tmp_path: Path) -> None:
    """A profile's date field is read in the page's declared language too."""
    toml = tmp_path / "giornale.toml"
    toml.write_text('name = "giornale"\ndomains = ["giornale.example"]\n[fields]\npublished = "span.quando"\n')
    html = page(' lang="it"', '<span class="quando">21 dic. 2020</span>')
    article = extract_article(html, URL, fetched_at=NOW, profiles=(load_profile(toml),))
    assert article.published == "2020-12-21"
    assert article.provenance["published"] == "profile:giornale"
