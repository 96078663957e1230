"""The short month names of the languages that write the day first, read only where no English reads them.

"04-ago-2021", "3 de ago. de 2021": the usual abbreviations of es/it/pt/fr/nl/de are read in two shapes
only, a day, name and four-digit year joined by hyphens, and the Spanish/Portuguese "D de mon[.] de YYYY".
Bare or with only a dot they are English words and abbreviations too ("Top 10 OTT 2021", "ATmega 8 AVR
2019", "Ryzen 5 Gen. 2021", "Issue 4 Mag. 2021"): no date, in an article's text nor in comments.
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
        ("Closed on 17-ott-2022 9:05:30", "2022-10-17T09:05:30"),
        ("04-Aug-2021", "2021-08-04"),  # en, hyphens
        ("24-nov-2021", "2021-11-24"),
        ("3-out-2020", "2020-10-03"),  # pt
        ("3 de ago. de 2021", "2021-08-03"),  # es
        ("3 de ago de 2021", "2021-08-03"),
        ("12 de dic de 2020", "2020-12-12"),
        ("15 de ene. de 2022", "2022-01-15"),
        ("3 de out. de 2020", "2020-10-03"),  # pt
        ("14 de fev de 2021", "2021-02-14"),
        ("5 janv. 2020", "2020-01-05"),  # fr and de short names that no English text writes: every shape
        ("le 5 févr. 2020", "2020-02-05"),
        ("1. Mär. 2021", "2021-03-01"),
        ("14 juil. 2019", "2019-07-14"),
        ("déc. 3, 2020", "2020-12-03"),
        ("12 déc 2020", "2020-12-12"),
        ("5 juill. 2020", "2020-07-05"),
        ("3. Mrz. 2021", "2021-03-03"),
    ],
)
def test_day_first_short_names(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "PCIe Gen 4 2021",  # month first: never read with a short name
        "Intel 12th Gen 2021",
        "sold out 3, 2020",
        "I set 5 2020 aside",
        "Game 3 set 2020",  # English words day first
        "won 3 out 2020",
        "Issue 5 mag 2020",
        "Ryzen 5 gen 2021",
        "2 ago 2021",
        "Gen 12, 2021",
        "Intel 12th Gen. 2021",
        "Top 10 OTT 2021",  # the names that are no English word are English abbreviations
        "Best 5 OTT 2023 shows",
        "The 7 DIC 2020 guidelines",
        "ATmega 8 AVR 2019",
        "Top 3 ENE 2022 picks",
        "Level 4 ABR 2021",
        "Ryzen 5 Gen. 2021",  # the dot ends English abbreviations too
        "Chapter 2 Gen. 2020",
        "Issue 4 Mag. 2021",
        "Round 2 set. 2021",
        "sold 3 out. 2020 was",
        "12 ott. 2020",  # Italian with a dot only: given up with the English abbreviations
        "4 ene. 2021",
        "3 FEV 2020",
        "SKU12-set-2021",  # a product code: the day must not follow a letter or a digit
        "v2-abr-2021",
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
{items}
</ul>
</section>
<p>In short: buy as much memory as the budget allows, and a processor from the last two generations.
The disk can be upgraded later on most of these machines, the memory on very few of them.</p>
</article></main>
<footer><p>Studio Notes, independent reviews since 2011.</p></footer>
</body></html>"""


#: The spec lists' item headings: a number, a short month name (English there) and a year, eight times.
SPEC_ITEMS = {
    "intel-gen": [f"Intel {n}th Gen {2019 + n % 5} processor" for n in range(11, 19)],
    "top-ott": [f"Top {n} OTT {2015 + n} picks" for n in range(3, 11)],
    "ryzen-gen-dot": [f"Ryzen {n} Gen. {2015 + n} processor" for n in range(3, 11)],
}


@pytest.mark.parametrize("items", SPEC_ITEMS.values(), ids=SPEC_ITEMS.keys())
def test_a_spec_list_is_no_comment_thread(items: list[str]) -> None:
    """A comment-free article listing eight items in a section classed "reviews" (a name of comment
    areas), each headed by a number, a short month name and a year: no item's first line is a date, so
    none is a comment; the page's date is the byline's."""
    lines = "\n".join(
        f"<li><strong>{item}</strong><br>{n * 8} GB memory, 1 TB disk</li>" for n, item in enumerate(items, 1)
    )
    html = SPEC_ARTICLE.replace("{items}", lines)
    result = read_page(html.encode(), "https://studio.example/laptops-for-music", NOW, 60)
    assert result.article is not None
    assert result.article.published == "2024-03-14"
    assert result.article.comments == []
