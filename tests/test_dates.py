"""Dates in the forms pages write them, to ISO 8601 with only the precision given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract.dates import parse_date, parse_date_full

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 1, 2012 at 3:50 pm", "2012-05-01T15:50:00"),
        ("August 1, 2013 at 3:49 am", "2013-08-01T03:49:00"),
        ("By April 25, 2012", "2012-04-25"),
        ("March 5, 2024, 9:14 a.m. ET", "2024-03-05T09:14:00-05:00"),
        ("July 5, 2024, 9:14 a.m. ET", "2024-07-05T09:14:00-04:00"),
        ("Wed, 09/18/2019 - 08:30", "2019-09-18T08:30:00"),
        ("June 9, 2013 at 12:45 AM", "2013-06-09T00:45:00"),
        ("Saturday, June 8, 2013", "2013-06-08"),
        ("05.11.2014 um 14:25 Uhr", "2014-11-05T14:25:00"),
        ("3. Mai 2014", "2014-05-03"),
        ("12 października 2019", "2019-10-12"),
        ("1er mai 2014 à 10h30", "2014-05-01T10:30:00"),
        ("2024-03-05T07:45:00-05:00", "2024-03-05T07:45:00-05:00"),
        ("2024-03-07T12:00:00Z", "2024-03-07T12:00:00+00:00"),
        ("2022-10-02", "2022-10-02"),
        ("3 days ago", "2026-11-25T12:00:00+00:00"),
        ("vor 2 Stunden", "2026-11-28T10:00:00+00:00"),
    ],
)
def test_parse(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "no date here", "2099-01-01", "31.02.2014", "Comments (12)", "1234567"])
def test_rejected(text: str) -> None:
    assert parse_date(text, NOW) is None


def test_relative_is_marked() -> None:
    parsed = parse_date_full("2 hours ago", NOW)
    assert parsed is not None and parsed.relative
    absolute = parse_date_full("May 1, 2012", NOW)
    assert absolute is not None and not absolute.relative


@pytest.mark.parametrize(
    ("text", "expected"),
    [("11-29-2024, 01:50 PM", "2024-11-29T13:50:00"), ("Posted 3-4-2020", "2020-03-04"), ("2024-03-05", "2024-03-05")],
)
def test_dash_dates_are_read_where_asked(text: str, expected: str) -> None:
    """A numeric date with dashes and the year last (vBulletin's default) is read as with slashes where
    asked (a comment's date), and left alone otherwise (an article's "01-11-2023" may be day first)."""
    assert parse_date(text, NOW, dashes=True) == expected
    assert parse_date(text, NOW) == (expected if text.startswith("2024") else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Letters an IGNORECASE pattern takes for ASCII ones whose lower case is no table key: the long s
        # (old German and English type), Turkish dotless and dotted i. Each raised KeyError before.
        ("yeſterday", "2026-11-27"),
        ("1 ſecond ago", "2026-11-28"),
        ("Auguſt 3, 2020", "2020-08-03"),
        ("3 Aprıl 2020", "2020-04-03"),
        ("3 APRİL 2020", "2020-04-03"),
        ("15 аᲀгуста 2016", "2016-08-15"),  # the old rounded Cyrillic ve
        ("3 ᲂктября 2019", "2019-10-03"),  # and o
    ],
)
def test_odd_case_letters_read_as_their_ascii_words(text: str, expected: str) -> None:
    found = parse_date(text, now=NOW)
    assert found is not None and found.startswith(expected)


def test_every_letter_ignorecase_takes_for_a_table_letter_gives_a_date_or_none() -> None:
    """Any letter a case-blind pattern takes for one of a month name, unit or day word: no error."""
    import re

    from archiver.extract import dates

    words = [*dates._MONTHS, *dates._SHORT_MONTHS, *dates._RELATIVE_UNITS, *dates._DAY_WORDS]
    letters = {c for w in words for c in w if c.isalpha()}
    # a letter whose upper case lowers to a table letter, its own lower case not one (ſ, ı, ᲀ), and İ
    near = [c for c in map(chr, range(0x80, 0x2FFFF)) if c.upper().lower() in letters and c.lower() not in letters]
    odd = {
        (letter, other)
        for other in [*near, "İ"]
        for letter in letters
        if re.fullmatch(re.escape(letter), other, re.IGNORECASE)
    }
    assert odd  # the scan finds them (the long s, among others)
    for letter, other in sorted(odd):
        for word in words:
            if letter in word:
                for text in (f"3 {word.replace(letter, other)} 2020", f"2 {word.replace(letter, other)} ago"):
                    parse_date(text, now=NOW)  # a date or None, never an error
