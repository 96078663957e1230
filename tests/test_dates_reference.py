"""``dates.py``'s speed-ups read every text as before: a frozen copy of the old code is the reference.

The month names' patterns were a flat alternation of the names (longest first) and are now their tree
of prefixes (``dates._trie``); ``_find_date`` searched its four patterns one after the other and took
the first date found, and now skips a pattern a text cannot match (no separator, no four digits in a
row) or that can only tie with a date found at the text's start. The copy below is the code as it
was (commit fc9824c); on texts drawn from date-like pieces (numeric dates in both orders, the month
names of every language ``dates`` knows and their starts, in any case and with the letters IGNORECASE
takes for others, ordinals, "de", times, zones, relative dates, junk and numbers that are no date) the
new code gives the same matches, the same dates, and the same answers of the public functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from archiver.extract import dates

# The reference: dates.py's month patterns and _find_date before their speed-up (frozen; do not update)

OLD_MONTH_RE = "|".join(sorted((re.escape(m) for m in dates._MONTHS), key=len, reverse=True))
OLD_DMY_NUM = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.]\d)")
OLD_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
OLD_MDY_NAME = re.compile(rf"\b({OLD_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
OLD_DMY_NAME = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?({OLD_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}})\b",
    re.IGNORECASE,
)
OLD_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    rf"|/((?:19|20)\d{{2}})/({OLD_MONTH_RE})/(0?[1-9]|[12]\d|3[01])(?=/|$)",
    re.IGNORECASE,
)
OLD_DIGIT = re.compile(r"\d")


def old_find_date(text: str) -> tuple[date, int, int] | None:
    """The first calendar date in text, with the span it covers."""
    if OLD_DIGIT.search(text) is None:
        return None
    found: list[tuple[int, int, date]] = []
    for pattern, order in (
        (OLD_DMY_NUM, "dmy"),
        (OLD_SLASH, "slash"),
        (OLD_MDY_NAME, "mdy"),
        (OLD_DMY_NAME, "dmy_name"),
    ):
        if (order == "dmy" and "." not in text) or (order == "slash" and "/" not in text):
            continue
        for m in pattern.finditer(text):
            try:
                if order == "dmy":
                    d = date(dates._two_digit_year(int(m[3])), int(m[2]), int(m[1]))
                elif order == "slash":
                    a, b = int(m[1]), int(m[2])
                    month, day = (b, a) if a > 12 else (a, b)
                    d = date(int(m[3]), month, day)
                elif order == "mdy":
                    d = date(int(m[3]), dates._MONTHS.get(dates._word(m[1]), 0), int(m[2]))
                else:
                    d = date(int(m[3]), dates._MONTHS.get(dates._word(m[2]), 0), int(m[1]))
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
TWINS = {"i": "iI\u0130\u0131", "s": "sS\u017f", "k": "kK\u212a", "в": "вВ\u1c80", "т": "тТ\u1c84\u1c85"}
MONTH_NAMES = sorted(dates._MONTHS)
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
    path = "/" + re.sub(r"[\s,.]+", "/", text)
    assert matches(dates._URL_DATE, path) == matches(OLD_URL_DATE, path)


@pytest.mark.parametrize("name", MONTH_NAMES)
def test_each_month_name_alone_is_matched(name: str) -> None:
    """Every name, in lower and upper case and capitalized, is matched whole by the tree as by the alternation."""
    for written in (name, name.upper(), name.capitalize()):
        assert re.fullmatch(dates._MONTH_RE, written, re.IGNORECASE)
        assert matches(dates._MDY_NAME, f"{written} 3, 2020") == matches(OLD_MDY_NAME, f"{written} 3, 2020")


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
