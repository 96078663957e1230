"""``dates.py``'s speed-ups read every text as before: the reference is the code without the skips.

The month names' patterns were a flat alternation of the names (longest first) and are now their tree
of prefixes (``dates._trie``); ``_find_date`` searched its four patterns one after the other and took
the date starting first, and now skips a pattern a text cannot match (no digit, no separator, no four
digits in a row) or that can only tie with a date found at the text's start, and looks a month's name
up in plain lower case first. The reference below is only what the speed-up changed, as it was: the
patterns of ``dates`` with the flat alternation put back, and a plain loop over ``dates._CALENDAR``
with no pre-test and no early stop, the month read through ``_word``; the rules themselves (the
patterns, the tables) are read from ``dates``, so a change of rule changes both alike. On texts drawn
from date-like pieces (numeric dates in both orders, the month names of every language ``dates`` knows
and their starts, in any case and with the letters IGNORECASE takes for others, ordinals, "de", times,
zones, relative dates, junk and numbers that are no date) the new code gives the same matches, the same
dates, and the same answers of the public functions.

The day-first patterns with the short names (``_DMY_SHORT``, ``_DMY_HYPHEN``, added later as rules): their
trees of names are held against the flat alternations, and what they read by a table of texts and the
dates a person reads in them (``SHORT_NAME_DATES``), not by the rule written again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from archiver.extract import dates

# The reference: dates.py's patterns and _find_date without the skips (the rules read live from dates.py)

#: The month names as the old code wrote them: a flat alternation, the longest name first.
OLD_MONTH_RE = "|".join(sorted((re.escape(m) for m in dates._MONTHS), key=len, reverse=True))


def with_old_months(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern of ``dates`` with its tree of the month names put back as the flat alternation."""
    assert dates._MONTH_RE in pattern.pattern
    return re.compile(pattern.pattern.replace(dates._MONTH_RE, OLD_MONTH_RE), pattern.flags)


#: The short names of the day-first patterns (``dates._SHORT_MONTHS``) as a flat alternation, the longest first.
OLD_SHORT_RE = "|".join(sorted((re.escape(m) for m in dates._SHORT_MONTHS), key=len, reverse=True))


def with_old_short_months(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern of ``dates`` with its trees of the short names and of the month names put back as flat
    alternations."""
    assert dates._SHORT_RE in pattern.pattern
    flat = pattern.pattern.replace(dates._SHORT_RE, OLD_SHORT_RE)
    return re.compile(flat.replace(dates._MONTH_RE, OLD_MONTH_RE), pattern.flags)


OLD_MDY_NAME = with_old_months(dates._MDY_NAME)
OLD_DMY_NAME = with_old_months(dates._DMY_NAME)
OLD_URL_DATE = with_old_months(dates._URL_DATE)
OLD_DMY_SHORT = with_old_short_months(dates._DMY_SHORT)
OLD_DMY_HYPHEN = with_old_short_months(dates._DMY_HYPHEN)


def old_month(name: str) -> int:
    """A month's number, its name read as every IGNORECASE match is (``_word``), 0 for none."""
    return dates._MONTHS.get(dates._word(name), 0)


#: Each pattern of ``dates._CALENDAR`` as the reference searches and reads it (the others as dates.py does).
OLD_CALENDAR: dict[re.Pattern[str], tuple[re.Pattern[str], Callable[[re.Match[str]], date]]] = {
    dates._MDY_NAME: (OLD_MDY_NAME, lambda m: date(int(m[3]), old_month(m[1]), int(m[2]))),
    dates._DMY_NAME: (OLD_DMY_NAME, lambda m: date(int(m[3]), old_month(m[2]), int(m[1]))),
}


def old_find_date(text: str, language: str | None = None) -> tuple[date, int, int] | None:
    """The first calendar date in text, with the span it covers: every pattern searched (no pre-test, no
    early stop), each one's first match that reads as a day found, the one starting first kept (the
    earlier pattern on a tie). Of a page in no language of ``dates._DOTTED_MONTHS`` only (the public
    functions are asked here without one)."""
    assert language is None
    found: list[tuple[int, int, date]] = []
    for pattern, read, _needs in dates._CALENDAR:
        searched, reading = OLD_CALENDAR.get(pattern, (pattern, read))
        for m in searched.finditer(text):
            try:
                d = reading(m)
            except ValueError:
                continue
            found.append((m.start(), m.end(), d))
            break
    if not found:
        return None
    start, end, d = min(found, key=lambda f: f[0])
    return d, start, end


# The texts: date-like pieces joined, each letter in a case of its own or a letter IGNORECASE equates

#: The letters IGNORECASE takes for an ASCII one besides its two cases, and the old rounded Cyrillic ones.
TWINS = {
    "i": "iI\u0130\u0131", "s": "sS\u017f", "k": "kK\u212a", "в": "вВ\u1c80", "д": "дД\u1c81", "о": "оО\u1c82",
    "с": "сС\u1c83", "т": "тТ\u1c84\u1c85",
}  # fmt: skip
MONTH_NAMES = sorted({*dates._MONTHS, *dates._SHORT_MONTHS})
NUMBERS = ["1", "3", "03", "12", "13", "19", "29", "30", "31", "32", "00", "0000", "1999", "2021", "2024", "20245"]
OTHERS = [
    " ", "  ", ".", ". ", ",", ", ", "/", "-", ":", "\xa0", "\n", "st", "nd", "rd", "th", "er", "º", "de", " de ",
    " at ", "um", "9:09", "12:44 PM", "3.30 Uhr", "a.m.", "pm", "T", "Z", "+01:00", "GMT", "CET", "UTC+2", "EST",
    "-0500", "ago", "3 days ago", "vor 2 Stunden", "il y a 1 jour", "yesterday", "heute", "Mon, ", "Mittwoch, ",
    "PCIe Gen 4 ", "2021-07-30", "2021-07-30T09:09:00Z", "11-29-2024", "٢٠٢٤", "١٢", "x", "Juliet", "Mayor", "by ",
    "Reply",
]  # fmt: skip


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """Pieces of dates joined, month names whole or cut short, each letter's case drawn."""
    name = st.sampled_from(MONTH_NAMES)
    cut = st.tuples(name, st.integers(1, 9)).map(lambda n: n[0][: n[1]])
    pieces = draw(st.lists(name | cut | st.sampled_from(NUMBERS) | st.sampled_from(OTHERS), max_size=10))
    text = draw(st.sampled_from([" ", "", "\xa0", ", "])).join(pieces)
    return "".join(draw(st.sampled_from(TWINS.get(c.lower(), c + c.swapcase()))) for c in text)


texts = date_texts() | st.text("0123456789 ./-:,aAdeJjMmnNuUyYsStThr\u017f\u0131", max_size=30)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
EXAMPLES = [
    "July 30, 2021 at 9:09 AM", "3 de mayo de 2020", "15 августа 2016", "Sept. 3rd, 2020", "sep 3 2020", "30.07.2021",
    "13/05/2022 10:00", "PCIe Gen 4 2021", "MARCH 31, 2016 at 4:12 am", "Mayo 3, 2020", "31 ſept 2020",
    "1 Aprıl 2020", "Mar 2020 3 May 2021", "Posted 3 May 2021, edited May 4, 2021", "12 Juliet 2020",
    "31.02.2020 and 1 May 2020", "3 AUGUST\xa02019", "2 \u1c80 2020",
    "10 \u0430\u1c80\u0433\u0443\u0441\u0442\u0430 2016",
    "1 APR\u0130L 2020", "3 \u1c82\u043a\u0442\u044f\u0431\u0440\u044f 2020",
]  # fmt: skip


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def with_examples(test: Callable[..., None]) -> Callable[..., None]:
    """The test also run on each of ``EXAMPLES`` (texts a page writes, and letters IGNORECASE equates)."""
    for text in EXAMPLES:
        test = example(text)(test)
    return test


@given(texts)
@with_examples
def test_the_month_patterns_match_what_they_matched(text: str) -> None:
    """The tree of the month names matches, in each pattern, where and as the flat alternation did."""
    assert matches(dates._MDY_NAME, text) == matches(OLD_MDY_NAME, text)
    assert matches(dates._DMY_NAME, text) == matches(OLD_DMY_NAME, text)
    assert matches(dates._DMY_SHORT, text) == matches(OLD_DMY_SHORT, text)
    assert matches(dates._DMY_HYPHEN, text) == matches(OLD_DMY_HYPHEN, text)
    path = "/" + re.sub(r"[\s,.]+", "/", text)
    assert matches(dates._URL_DATE, path) == matches(OLD_URL_DATE, path)


@pytest.mark.parametrize("name", MONTH_NAMES)
def test_each_month_name_alone_is_matched(name: str) -> None:
    """Every name, in lower and upper case and capitalized, is matched whole by the tree as by the alternation."""
    tree = dates._MONTH_RE if name in dates._MONTHS else dates._SHORT_RE
    for written in (name, name.upper(), name.capitalize()):
        assert re.fullmatch(tree, written, re.IGNORECASE)
        assert matches(dates._MDY_NAME, f"{written} 3, 2020") == matches(OLD_MDY_NAME, f"{written} 3, 2020")
        dated = f"3 de {written}. de 2020"
        assert matches(dates._DMY_SHORT, dated) == matches(OLD_DMY_SHORT, dated)
        assert matches(dates._DMY_HYPHEN, f"3-{written}-2020") == matches(OLD_DMY_HYPHEN, f"3-{written}-2020")


@given(texts)
@with_examples
def test_find_date_finds_what_it_found(text: str) -> None:
    assert dates._find_date(text) == old_find_date(text)


def answers(text: str) -> tuple[object, ...]:
    """What the public functions answer that read a text's calendar date (the parse uncached)."""
    parse = dates._parse_date_full.__wrapped__  # type: ignore[attr-defined]
    parsed = parse(text, NOW, False), parse(text, NOW, True)
    return *parsed, dates.date_span(text), dates.date_start(text), dates.url_date("/" + text)


@given(texts)
@with_examples
def test_the_public_functions_answer_what_they_answered(text: str) -> None:
    """parse_date_full (with and without ``dashes``), date_span, date_start and url_date, through the old
    ``_find_date`` and month patterns and through the new."""
    new = answers(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_find_date", old_find_date)
        patch.setattr(dates, "_URL_DATE", OLD_URL_DATE)
        assert new == answers(text)


#: Texts with a short month name and the day a person reads in each (None: no date), written by hand.
SHORT_NAME_DATES = [
    ("3 de ago. de 2021", date(2021, 8, 3)),
    ("el 12 de dic de 2020", date(2020, 12, 12)),
    ("3 de out. de 2020", date(2020, 10, 3)),
    ("04-ago-2021", date(2021, 8, 4)),
    ("04-Aug-2021", date(2021, 8, 4)),
    ("24-NOV-2021", date(2021, 11, 24)),
    ("1-giu-2019", date(2019, 6, 1)),
    ("31-abr-2021", None),  # no such day
    ("04-ago-21", None),  # a two-digit year
    ("12 ott. 2020", None),  # a dot alone is an English abbreviation's too
    ("Top 10 OTT 2021", None),
    ("ATmega 8 AVR 2019", None),
    ("3 ago 2021", None),
    ("3 de ago 2021", None),  # one "de" only
    ("PCIe Gen 4 2021", None),
]


@pytest.mark.parametrize(("text", "expected"), SHORT_NAME_DATES)
def test_the_short_names_read_as_written_by_hand(text: str, expected: date | None) -> None:
    found = dates._find_date(text)
    assert (found[0] if found else None) == expected
