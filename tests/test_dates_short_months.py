"""The short month names of the languages that write the day first, read only day first.

"12 ott. 2020", "04-ago-2021": the usual abbreviations of es/it/pt/fr/nl/de, and a day, month and year
joined by hyphens. Never month first, and the ones that are English words too (gen, set, out, mag, ago,
lug) only with a mark of their language beside them ("." after, "de" before, hyphens around): English
prose is no date ("PCIe Gen 4 2021", "Intel 12th Gen 2021"), in an article's text nor in comments.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import read_page
from archiver.extract.dates import parse_date

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04-ago-2021", "2021-08-04"),  # es, hyphens
        ("FlowGuard EMEA on 04-ago-2021 5:11:10", "2021-08-04T05:11:10"),
        ("04-Aug-2021", "2021-08-04"),  # en, hyphens
        ("24-nov-2021", "2021-11-24"),
        ("12 ott. 2020", "2020-10-12"),  # it
        ("12 Ott 2020", "2020-10-12"),  # not an English word: no mark needed
        ("3 gen. 2021", "2021-01-03"),
        ("7 lug. 2019", "2019-07-07"),
        ("3 de ago. de 2021", "2021-08-03"),  # es
        ("3 de ago de 2021", "2021-08-03"),
        ("15 ene 2022", "2022-01-15"),
        ("9 dic. 2020", "2020-12-09"),
        ("2 abr. 2021", "2021-04-02"),
        ("3 de out. de 2020", "2020-10-03"),  # pt
        ("14 fev 2021", "2021-02-14"),
        ("5 janv. 2020", "2020-01-05"),  # fr
        ("1er janv. 2020", "2020-01-01"),
        ("8 févr. 2022", "2022-02-08"),
        ("3 avr. 2020", "2020-04-03"),
        ("14 juil. 2021", "2021-07-14"),
        ("24 déc. 2019", "2019-12-24"),
        ("5 mrt 2021", "2021-03-05"),  # nl
        ("1. Mär. 2021", "2021-03-01"),  # de
        ("Veröffentlicht am 1. Mär. 2021, 10:15", "2021-03-01T10:15:00"),
    ],
)
def test_day_first_short_names(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "PCIe Gen 4 2021",  # month first: never read with a short name
        "Intel 12th Gen 2021",  # an English ordinal, and "Gen" without a mark
        "sold out 3, 2020",
        "I set 5 2020 aside",
        "Game 3 set 2020",  # English words day first, no mark
        "won 3 out 2020",
        "Issue 5 mag 2020",
        "Ryzen 5 gen 2021",
        "2 ago 2021",
        "Gen 12, 2021",
        "Intel 12th Gen. 2021",
    ],
)
def test_english_words_are_no_date(text: str) -> None:
    assert parse_date(text, NOW) is None


SPEC_ARTICLE = """<html><head><title>Choosing a laptop for music production</title></head><body>
<header><a href="/">Studio Notes</a></header>
<main><article>
<h1>Choosing a laptop for music production</h1>
<p class="byline">By Dana Whitfield, 14 March 2024</p>
<p>A laptop for a small home studio has to keep up with dozens of plug-ins and a full session of
recorded tracks without dropping audio. The processor matters most, then memory, then the speed of the
disk that streams the sample libraries. We tried the machines below over two months of real sessions,
from a four-piece band recorded live to orchestral mock-ups with hundreds of instruments loaded.</p>
<p>Every one of them ran our reference session; the differences showed in how many instances of a heavy
synthesizer each could run before the buffer had to grow, and in how loud the fans became while doing it.
Battery life mattered less than we expected, since most sessions happen at a desk near a socket anyway.</p>
<section class="reviews">
<h2>The laptops we reviewed</h2>
<ul>
<li><strong>Intel 11th Gen 2020 processor</strong><br>16 GB memory, 512 GB disk</li>
<li><strong>Intel 12th Gen 2021 processor</strong><br>32 GB memory, 1 TB disk</li>
<li><strong>Intel 13th Gen 2022 processor</strong><br>32 GB memory, 2 TB disk</li>
<li><strong>Intel 14th Gen 2023 processor</strong><br>64 GB memory, 2 TB disk</li>
<li><strong>Intel 12th Gen 2022 refresh</strong><br>16 GB memory, 1 TB disk</li>
<li><strong>Intel 13th Gen 2023 refresh</strong><br>64 GB memory, 4 TB disk</li>
<li><strong>Intel 11th Gen 2021 refresh</strong><br>8 GB memory, 256 GB disk</li>
<li><strong>Intel 14th Gen 2024 refresh</strong><br>96 GB memory, 4 TB disk</li>
</ul>
</section>
<p>In short: buy as much memory as the budget allows, and a processor from the last two generations.
The disk can be upgraded later on most of these machines, the memory on very few of them.</p>
</article></main>
<footer><p>Studio Notes, independent reviews since 2011.</p></footer>
</body></html>"""


def test_a_spec_list_of_generations_is_no_comment_thread() -> None:
    """A comment-free article listing "Intel 12th Gen 2021" items in a section classed "reviews" (a name of
    comment areas): no item's first line is a date, so none is a comment; the page's date is the byline's."""
    result = read_page(SPEC_ARTICLE.encode(), "https://studio.example/laptops-for-music", NOW, 60)
    assert result.article is not None
    assert result.article.published == "2024-03-14"
    assert result.article.comments == []
