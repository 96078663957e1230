"""Dates in page text and attributes to ISO 8601, keeping only the precision the page gives.

``parse_date("May 1, 2012 at 3:50 pm")`` gives ``"2012-05-01T15:50:00"``; a date alone gives
``"2012-05-01"``; an offset or a known zone name gives an aware time. Relative dates
("3 days ago", "vor 2 Stunden") are resolved against ``now``. Dates after ``now`` are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import permutations
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    import lxml.html

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar jänner janvier janv enero gennaio januari janeiro styczeń stycznia sty",
        "february feb februar février févr fevrier febrero febbraio februari fevereiro luty lutego lut",
        "march mar märz mär mrz maerz mars marzo maart março marca marzec",
        "april apr avril abril aprile kwiecień kwietnia kwi",
        "may mai mayo maggio mei maio maj maja",
        "june jun juni juin junio giugno junho czerwiec czerwca cze",
        "july jul juli juillet juill juil julio luglio julho lipiec lipca lip",
        "august aug août aout agosto augustus sierpień sierpnia sie",
        "september sep sept septembre septiembre settembre setembro wrzesień września wrz",
        "october oct oktober octobre octubre ottobre okt outubro październik października paź",
        "november nov novembre noviembre novembro listopad listopada lis",
        "december dec dezember décembre déc decembre diciembre dicembre dez dezembro grudzień grudnia gru",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)
#: Russian and Ukrainian months, in the genitive that dates use ("15 августа 2016", "3 січня 2020").
for _number, _names in enumerate(
    ["января січня", "февраля лютого", "марта березня", "апреля квітня", "мая травня", "июня червня",
     "июля липня", "августа серпня", "сентября вересня", "октября жовтня", "ноября листопада", "декабря грудня"],
    start=1,
):  # fmt: skip
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)


def _trie(words: Iterable[str]) -> str:
    """An alternation matching exactly ``words``, shaped as their tree of prefixes ("ma(?:rch|y)").

    A search tries it at each word of a text: as a tree it tests a letter's few branches where a flat
    alternation tests every word one after the other (a date's month name 0.5 µs against 1.3, a
    sentence's 8 against 30). Under IGNORECASE it matches where and what the flat alternation of the
    words, longest first, matched, as long as the words are in lower case and no node has two branch
    letters IGNORECASE takes for one another (asserted here): the words that can match at one place are
    then the starts of one another, on one path of the tree, and both try them longest first. Without
    that, ["s", "ſab", "sabcd"] on "SABX" gives the alternation "SAB" but the tree "S" (its s-branch,
    tried first, matches, and ſ's is never tried). The patterns using it hold a second guarantee: they
    take a name only before a non-letter, and the words that match at one place there cover the same
    letters, whichever is tried first.
    """
    listed = sorted(set(words))
    firsts = sorted({w[:1] for w in listed} - {""})
    assert all(first == first.lower() for first in firsts) and not any(
        re.fullmatch(re.escape(a), b, re.IGNORECASE) for a, b in permutations(firsts, 2)
    ), f"branch letters in lower case, none IGNORECASE takes for another: {firsts}"
    alternatives = [re.escape(first) + _trie(w[1:] for w in listed if w[:1] == first) for first in firsts]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if "" in listed else body


_MONTH_RE = _trie(_MONTHS)
#: The usual short names of months in languages that write the day first (es, it, pt, fr, nl), missing
#: from ``_MONTHS`` because English writes them too, as words or abbreviations: read only in the two shapes
#: that are a date in no English sentence, a day, name and four-digit year joined by hyphens ("04-ago-2021")
#: and the Spanish/Portuguese "3 de ago. de 2021". Bare or with only a dot they are English too ("Top 10 OTT
#: 2021", "ATmega 8 AVR 2019", "Ryzen 5 Gen. 2021", "FEV 2020"). The short names no English text writes
#: (janv., févr., Mär., Mrz., juil., juill., déc.) are in ``_MONTHS``, read in every shape.
_SHORT_MONTHS: dict[str, int] = {
    "ene": 1, "gen": 1, "fev": 2, "fevr": 2, "mrt": 3, "abr": 4, "avr": 4,
    "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "out": 10, "dic": 12,
}  # fmt: skip
_SHORT_RE = _trie(_SHORT_MONTHS)
#: The short names of ``_SHORT_MONTHS`` each language writes with a dot after a day ("12 ott. 2020", "3 avr.
#: 2021", "7 out. 2020"): read only on a page that declares the language (``dotted_language``), where
#: they are that language's months; on any other page "Issue 4 Mag. 2021", "Round 2 set. 2021" and "sold
#: 3 out. 2020" end English abbreviations. German's (Mär., Mrz.) and French's others (janv., févr., juil.,
#: déc.) are in ``_MONTHS``, read in every shape; Spanish ``set.`` is Peru's and Uruguay's "setiembre".
_DOTTED_MONTHS: dict[str, dict[str, int]] = {
    "it": {"gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12},
    "es": {"ene": 1, "abr": 4, "ago": 8, "set": 9, "dic": 12},
    "pt": {"fev": 2, "abr": 4, "ago": 8, "set": 9, "out": 10},
    "fr": {"fevr": 2, "avr": 4},
    "nl": {"mrt": 3},
}
_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?(?!\d)"
)
_DMY_NUM = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.]\d)")
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_MDY_NAME = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_DMY_NAME = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}})\b",
    re.IGNORECASE,
)
#: A day, "de", a short name of ``_SHORT_MONTHS``, "de" and a year: "3 de ago. de 2021", "12 de dic de 2020".
_DMY_SHORT = re.compile(rf"(?<![\d.])(\d{{1,2}})\s+de\s+({_SHORT_RE})\.?\s+de\s+(\d{{4}})\b", re.IGNORECASE)
#: A day, a month's name (long or short, any language) and a year joined by hyphens: "04-Aug-2021", "04-ago-2021".
_DMY_HYPHEN = re.compile(rf"(?<![\w.-])(\d{{1,2}})-({_MONTH_RE}|{_SHORT_RE})-(\d{{4}})\b", re.IGNORECASE)
#: A day, a short name of ``_DOTTED_MONTHS``'s language with its dot, and a year ("12 ott. 2020", "1er avr.
#: 2020"), no English ordinal: one pattern a language, searched only for a page in that language.
_DMY_DOTTED = {
    language: re.compile(rf"(?<![\d.])(\d{{1,2}})(?:\.|er|º)?\s+({_trie(names)})\.,?\s*(\d{{4}})\b", re.IGNORECASE)
    for language, names in _DOTTED_MONTHS.items()
}
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})(?:[:h]|\.(?=\d{2}\s*(?:uhr|h)\b))(\d{2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?![\d])",
    re.IGNORECASE,
)
#: The offsets time zones have had: UTC-12:00 to UTC+14:00.
_WEST, _EAST = timedelta(hours=-12), timedelta(hours=14)
_OFFSET = re.compile(r"(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?\b|\b(Z)\b")
_ZONE_NAMES = {
    "UTC": "UTC",
    "GMT": "UTC",
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin",
    "BST": "Europe/London",
}
_ZONE = re.compile(r"\b(" + "|".join(_ZONE_NAMES) + r")\b")
_RELATIVE_UNITS = {
    "second": 1, "sekunde": 1, "seconde": 1, "minute": 60, "min": 60, "hour": 3600,
    "stunde": 3600, "heure": 3600, "day": 86400, "tag": 86400, "jour": 86400,
    "week": 604800, "woche": 604800, "semaine": 604800, "month": 2592000, "monat": 2592000,
    "mois": 2592000, "year": 31536000, "jahr": 31536000, "an": 31536000,
}  # fmt: skip
_UNIT_RE = "|".join(sorted(_RELATIVE_UNITS, key=len, reverse=True))
_AGO = re.compile(
    rf"(?:(\d+|an?|one)\s+({_UNIT_RE})\w*\s+ago|vor\s+(\d+|einer?|einem)\s+({_UNIT_RE})\w*"
    rf"|il y a\s+(\d+|une?)\s+({_UNIT_RE})\w*)",
    re.IGNORECASE,
)
_DAY_WORDS = {"today": 0, "heute": 0, "aujourd'hui": 0, "yesterday": 1, "gestern": 1, "hier": 1}
_DAY_WORD = re.compile(r"\b(" + "|".join(_DAY_WORDS) + r")\b", re.IGNORECASE)
#: Letters an IGNORECASE pattern takes for another that ``str.lower`` leaves other: the long s, the Turkish
#: dotless and dotted i, the old rounded Cyrillic в д о с т ("yeſterday", "Aprıl", "аᲀгуста" match; their
#: lower case is no key of the tables above). A letter missing here gives no date, never an error.
_ODD_CASES = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т"})


def _word(matched: str) -> str:
    """A word an IGNORECASE pattern matched, as the key of its table (month names, units, day words)."""
    return matched.translate(_ODD_CASES).lower()


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: its ISO text and whether it was relative to the fetch time."""

    iso: str
    relative: bool = False


def _two_digit_year(year: int) -> int:
    return year + 2000 if year < 70 else year + 1900 if year < 100 else year


#: A digit: every pattern of ``_find_date`` holds at least one, so a text without is no calendar date.
_DIGIT = re.compile(r"\d")
#: Four digits in a row: the year both patterns with a month's name end with.
_YEAR = re.compile(r"\d{4}")


def _month(name: str, table: dict[str, int] = _MONTHS) -> int:
    """The number of a month's name (of ``table``) an IGNORECASE pattern matched, 0 for one matched only by
    a letter IGNORECASE equates (``_ODD_CASES``); its plain lower case first (a name holding such a letter
    is no key in lower case)."""
    return table.get(name.lower()) or table.get(_word(name), 0)


def _dmy_num(m: re.Match[str]) -> date:
    return date(_two_digit_year(int(m[3])), int(m[2]), int(m[1]))


def _slash(m: re.Match[str]) -> date:
    a, b = int(m[1]), int(m[2])
    month, day = (b, a) if a > 12 else (a, b)
    return date(int(m[3]), month, day)


def _mdy_name(m: re.Match[str]) -> date:
    return date(int(m[3]), _month(m[1]), int(m[2]))


def _dmy_name(m: re.Match[str]) -> date:
    return date(int(m[3]), _month(m[2]), int(m[1]))


def _dmy_short(m: re.Match[str]) -> date:
    return date(int(m[3]), _month(m[2], _SHORT_MONTHS), int(m[1]))


def _dmy_hyphen(m: re.Match[str]) -> date:
    return date(int(m[3]), _month(m[2]) or _month(m[2], _SHORT_MONTHS), int(m[1]))


#: The calendar dates ``_find_date`` reads, in the order that settles a tie (two found at one place): each
#: pattern, how its match reads, and a text a match needs (a separator, or four digits in a row: ``_YEAR``).
_CALENDAR = (
    (_DMY_NUM, _dmy_num, "."),
    (_SLASH, _slash, "/"),
    (_MDY_NAME, _mdy_name, _YEAR),
    (_DMY_NAME, _dmy_name, _YEAR),
    (_DMY_SHORT, _dmy_short, _YEAR),
    (_DMY_HYPHEN, _dmy_hyphen, _YEAR),  # (not "-": most texts hold one, few a year)
)


def _dotted_reader(table: dict[str, int]) -> Callable[[re.Match[str]], date]:
    return lambda m: date(int(m[3]), _month(m[2], table), int(m[1]))


#: ``_CALENDAR`` of a page in a language of ``_DOTTED_MONTHS``: its dotted short names read last.
_DOTTED_CALENDARS = {
    language: (*_CALENDAR, (_DMY_DOTTED[language], _dotted_reader(table), _YEAR))
    for language, table in _DOTTED_MONTHS.items()
}
_LANGUAGE_TAG = re.compile(r"[a-z]+", re.IGNORECASE)


def dotted_language(language: str | None) -> str | None:
    """The language of ``_DOTTED_MONTHS`` a page declares ("it-IT", "it_IT", "IT" give "it"), or None for
    another language or none: the parser reads that language's dotted short month names on its pages."""
    tag = _LANGUAGE_TAG.match(language.strip()) if language else None
    key = tag[0].lower() if tag else None
    return key if key in _DOTTED_MONTHS else None


def _find_date(text: str, language: str | None = None) -> tuple[date, int, int] | None:
    """The first calendar date in text, with the span it covers; ``language`` (a key of ``_DOTTED_MONTHS``
    or None) adds its dotted short month names.

    Each pattern's first match that reads as a day (not "31.02.2020") is found; the one starting first
    wins, the earlier pattern on a tie. A pattern is not searched where the text lacks what each of its
    matches holds, nor once a date was found at the text's start (a later one can only tie there).
    """
    if _DIGIT.search(text) is None:  # a name, a label, a sentence: four searches saved
        return None
    found: tuple[date, int, int] | None = None
    year: bool | None = None  # whether the text holds four digits in a row, once asked
    for pattern, read, needs in _CALENDAR if language is None else _DOTTED_CALENDARS[language]:
        if isinstance(needs, str):
            if needs not in text:
                continue
        else:
            year = _YEAR.search(text) is not None if year is None else year
            if not year:
                continue  # no year: this pattern cannot match (the answer kept for the next)
        for m in pattern.finditer(text):
            try:
                d = read(m)
            except ValueError:  # no such day, or month 0 (a name matched only by a letter of _ODD_CASES)
                continue
            if found is None or m.start() < found[1]:
                found = (d, m.start(), m.end())
            break
        if found is not None and found[1] == 0:
            break
    return found


def find_time(text: str) -> tuple[int, int, int] | None:
    """The first time of day in text as (hour, minute, second), 12-hour clocks converted."""
    for m in _TIME.finditer(text):
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        meridiem = (m[4] or "").lower().replace(".", "").replace(" ", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return hour, minute, second
    return None


def _find_zone(text: str, when: datetime) -> tzinfo | None:
    m = _OFFSET.search(text) if "+" in text or "-" in text or "Z" in text else None  # _OFFSET needs a sign or Z
    if m and m[4]:
        return UTC
    if m and m[1]:
        sign = -1 if m[1] == "-" else 1
        offset = sign * timedelta(hours=int(m[2]), minutes=int(m[3] or 0))
        return timezone(offset) if _WEST <= offset <= _EAST else None  # "-24" is no time zone
    z = _ZONE.search(text)
    if z:
        zone = ZoneInfo(_ZONE_NAMES[z[1]])
        return timezone(when.replace(tzinfo=zone).utcoffset() or timedelta())
    return None


def _iso_attribute(text: str) -> str | None:
    m = _ISO.search(text) if _DIGIT.search(text) else None  # the digit first: _ISO's lookbehind is slow on prose
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if m[4] is None:
        return d.isoformat()
    try:
        when = datetime(d.year, d.month, d.day, int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return d.isoformat()
    if m[7]:
        return when.isoformat() + _offset_suffix(m[7])
    return when.isoformat()


@lru_cache(maxsize=256)
def _offset_suffix(offset: str) -> str:
    """What ``isoformat`` writes after a time in the zone of an ISO offset ("Z", "+01:00", "-0500"): "+01:00".

    Remembered (the key is at most 6 characters): the zone's offset is the same for every time.
    """
    offset = offset if offset != "Z" else "+00:00"
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))
    return datetime(2000, 1, 1, tzinfo=zone).isoformat().removeprefix("2000-01-01T00:00:00")


_TIME_NEXT = re.compile(r"[\s@,|/–—-]*(?:at|um|à|a las|alle)?[\s@,|/–—-]*\d", re.IGNORECASE)


def _with_time_after(day: str, text: str) -> str:
    """An ISO day and the time shown after it ("2019-01-01 @ 00:39"), or the day alone."""
    m = _ISO.search(text)
    rest = text[m.end() :] if m else ""
    after = _TIME_NEXT.match(rest)
    clock = find_time(rest[after.end() - 1 : after.end() + 11]) if after else None
    if clock is None:
        return day
    return datetime.fromisoformat(day).replace(hour=clock[0], minute=clock[1], second=clock[2]).isoformat()


#: Words one of which an ASCII text holds (in lower case) wherever ``_AGO`` or ``_DAY_WORD`` matches it.
_AGO_WORDS = ("ago", "vor", "il y a")
_DAY_WORD_NAMES = tuple(_DAY_WORDS)


def _relative(text: str, now: datetime) -> datetime | None:
    if text.isascii():  # no letter IGNORECASE equates with another (_ODD_CASES): a plain search rules most texts out
        lower = text.lower()
        if not any(word in lower for word in _AGO_WORDS) and not any(word in lower for word in _DAY_WORD_NAMES):
            return None
    m = _AGO.search(text)
    if m:
        count_text, unit = next((m[i], m[i + 1]) for i in (1, 3, 5) if m[i])
        count = int(count_text) if count_text.isdigit() else 1
        seconds = _RELATIVE_UNITS.get(_word(unit))  # None: a unit matched only by a letter IGNORECASE equates
        return now - timedelta(seconds=count * seconds) if seconds is not None else None
    d = _DAY_WORD.search(text)
    days = _DAY_WORDS.get(_word(d[1])) if d else None
    return now - timedelta(days=days) if days is not None else None


def _not_future(iso: str, now: datetime) -> bool:
    value = datetime.fromisoformat(iso)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value <= now + timedelta(days=1)


#: A numeric date with dashes, the year last ("11-29-2024", vBulletin's default): read, where asked, as
#: the same date with slashes (month first, as a numeric date with slashes is read).
DASH_DATE = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d-])")


def parse_date_full(
    text: str | None, now: datetime | None = None, dashes: bool = False, *, language: str | None = None
) -> ParsedDate | None:
    """Parse a date, telling whether it was relative; None when no plausible date is found.

    ``dashes``: a numeric date with dashes and the year last (``DASH_DATE``) is read as with slashes
    (what a forum's comment shows; an article's "01-11-2023" is left to the page's other dates).
    ``language``: the page's declared language; on an Italian, Spanish, Portuguese, French or Dutch page
    that language's short month names with a dot are read too ("12 ott. 2020": ``dotted_language``).
    """
    if not text:
        return None
    key = dotted_language(language) if language else None
    return _parse_date_full(text.strip()[:300], now or datetime.now(UTC), dashes, key)


@lru_cache(maxsize=4096)
def _parse_date_full(text: str, now: datetime, dashes: bool = False, language: str | None = None) -> ParsedDate | None:
    """parse_date_full, remembered: comment extraction asks about the same texts of a page many times."""
    if dashes and "-" in text:
        text = DASH_DATE.sub(r"\1/\2/\3", text)
    iso = _iso_attribute(text)
    relative = False
    if iso is not None and len(iso) == 10:
        iso = _with_time_after(iso, text)
    if iso is None:
        iso, relative = _parse_human(text, now, language)
    if iso is None or not iso[:4].isdigit() or int(iso[:4]) < 1990 or not _not_future(iso, now):
        return None
    return ParsedDate(iso, relative)


def _parse_human(text: str, now: datetime, language: str | None = None) -> tuple[str | None, bool]:
    found = _find_date(text, language)
    if found is None:
        when = _relative(text, now)
        if when is None:
            return None, False
        return when.replace(microsecond=0).isoformat(), True
    day, start, end = found
    rest = text[:start] + " " + text[end:]
    clock = find_time(rest)
    if clock is None:
        return day.isoformat(), False
    when = datetime(day.year, day.month, day.day, *clock)
    zone = _find_zone(rest, when)
    return (when.replace(tzinfo=zone) if zone else when).isoformat(), False


def date_span(text: str, *, language: str | None = None) -> tuple[int, int] | None:
    """Where the first date in text (a calendar date, an ISO date or "3 days ago") begins and ends, or None
    (``language``: see ``parse_date_full``)."""
    spans = [m.span() for m in (_ISO.search(text), _AGO.search(text)) if m]
    found = _find_date(text, dotted_language(language) if language else None)
    if found:
        spans.append((found[1], found[2]))
    return min(spans, default=None)


#: What may follow a time of day and still be the date line's: "Uhr", a zone's offset or name.
_CLOCK_TAIL = re.compile(
    r"(?i:\s*uhr\b)?(?:\s*(?:GMT|UTC)?\s*[+-]\d{1,2}(?::?\d{2})?\b|\s*\b(?:" + "|".join(_ZONE_NAMES) + r")\b)?"
)


def through_date(text: str, *, language: str | None = None) -> str | None:
    """text up to the end of its first date and of a time shown right after it ("by Tom Fields on November 3,
    2019", "21 Abril 2022 04:45"), without the words that follow: a date line's own text out of a window of
    the page's text cut at a fixed length ("... 2019 The fi"). None where text holds no date (``date_span``:
    a day's name alone, "Today", is none)."""
    span = date_span(text, language=language)
    if span is None:
        return None
    end = span[1]
    after = _TIME_NEXT.match(text, end)
    clock = _TIME.match(text, after.end() - 1) if after else None
    if clock:
        tail = _CLOCK_TAIL.match(text, clock.end())
        end = tail.end() if tail else clock.end()
    return text[:end].rstrip(" ,;:|/–—-")


#: A weekday's name written before a date, full or abbreviated (English, German, French, Spanish), with
#: its comma: "Monday, ", "Mi., ", "mercredi ", "miércoles, ".
WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim"
    r"|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|mi[ée]|jue|vie|s[áa]b|dom)\.?,?\s+"
)
_LEADING_WEEKDAY = re.compile(WEEKDAY, re.IGNORECASE)


def without_weekday(text: str) -> str:
    """text without the weekday's name it opens with ("Mittwoch, 13.10.2021" gives "13.10.2021")."""
    leading = _LEADING_WEEKDAY.match(text)
    return text[leading.end() :] if leading else text


def date_start(text: str, *, language: str | None = None) -> int | None:
    """Where the first date in text begins (a calendar date, an ISO date or "3 days ago"), or None
    (``language``: see ``parse_date_full``)."""
    starts = [m.start() for m in (_ISO.search(text), _AGO.search(text)) if m]
    found = _find_date(text, dotted_language(language) if language else None)
    if found:
        starts.append(found[1])
    return min(starts, default=None)


def parse_date(
    text: str | None, now: datetime | None = None, dashes: bool = False, *, language: str | None = None
) -> str | None:
    """Parse a date or date-time from text or an attribute to ISO 8601, or None (``dashes``, ``language``: see
    parse_date_full)."""
    parsed = parse_date_full(text, now, dashes, language=language)
    return parsed.iso if parsed else None


#: A date in a URL's path, as permalinks write it: /2019/01/31/ or /2019-01-31-..., the month also by
#: its name where year, month and day are whole segments of their own (/2023/october/03/; not a slug's
#: words, "/2021/july-4-fireworks").
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    rf"|/((?:19|20)\d{{2}})/({_MONTH_RE})/(0?[1-9]|[12]\d|3[01])(?=/|$)",
    re.IGNORECASE,
)
#: A numeric date with dashes and the year last as a whole segment of a URL's path (/meldungen/29-10-2021):
#: read only where one of its first two numbers is above 12 (the day), as it reads only one way then.
_URL_DASH_DATE = re.compile(r"/(\d{1,2})-(\d{1,2})-((?:19|20)\d{2})(?=/|$)")


def swapped_day(text: str) -> str | None:
    """The ISO day of a numeric date with slashes in text read the other way round ("03/05/2022": the
    5th of March read month first, the 3rd of May day first), or None where it reads only one way."""
    m = _SLASH.search(text)
    if m is None or not (0 < int(m[1]) <= 12 and 0 < int(m[2]) <= 12) or m[1] == m[2]:
        return None
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:  # no calendar day ("01/02/0000")
        return None


#: Country-code domains of countries with one time zone, and that zone: a UTC time on a page of such a
#: domain is written in the country's time (a local midnight stored as "T23:00:00Z" is the next day there).
_COUNTRY_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz",
    "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo", "fi": "Europe/Helsinki",
    "hu": "Europe/Budapest", "gr": "Europe/Athens", "ie": "Europe/Dublin", "uk": "Europe/London",
    "ar": "America/Argentina/Buenos_Aires", "uy": "America/Montevideo",
    "pe": "America/Lima", "ve": "America/Caracas", "py": "America/Asuncion", "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul", "in": "Asia/Kolkata", "za": "Africa/Johannesburg", "nz": "Pacific/Auckland",
}  # fmt: skip


def country_zone(host: str) -> tzinfo | None:
    """The time zone of the one-zone country a host's country-code domain names ("beige.de": Berlin), or None."""
    name = _COUNTRY_ZONES.get(host.rstrip(".").rsplit(".", 1)[-1].lower())
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # no zone database (tzdata is a dependency; a broken install): UTC stays
        return None


def url_date(url: str) -> date | None:
    """The calendar day a URL's path names (``/2019/01/31/slug``, ``/2023/october/03/``, ``/29-10-2021``), or None."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    m = _URL_DATE.search(path)
    if m:
        year, month, day = (
            (int(m[1]), int(m[2]), int(m[3])) if m[1] else (int(m[4]), _MONTHS.get(_word(m[5]), 0), int(m[6]))
        )
    elif d := _URL_DASH_DATE.search(path):
        first, second, year = int(d[1]), int(d[2]), int(d[3])
        if (first > 12) == (second > 12):
            return None  # "03-05-2021" reads two ways; "31-31-2021" none
        day, month = (first, second) if first > 12 else (second, first)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def utc_instant(iso: str) -> datetime | None:
    """The instant of an ISO time given in UTC ("Z", "+00:00"); None for a local or offset time."""
    if "T" not in iso:
        return None
    value = datetime.fromisoformat(iso)
    return value if value.utcoffset() == timedelta(0) else None


def could_fall_on(instant: datetime, day: date) -> bool:
    """Whether a UTC instant is on ``day`` in some time zone (its UTC day or the one before or after)."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start - _EAST <= instant < start + timedelta(days=1) - _WEST


def page_offset(instant: datetime, other: str) -> timedelta | None:
    """The page's UTC offset, if ``other`` writes the same instant in its own time zone.

    ``other`` is another date of the page: an ISO time with an offset other than UTC's, or a
    local wall-clock time. The same instant is recognised by its minutes and seconds (offsets are
    whole quarter hours), the hours apart by the offset.
    """
    if "T" not in other:
        return None
    value = datetime.fromisoformat(other)
    if value.tzinfo is not None:
        offset = value.utcoffset()
        same = value == instant
    else:
        offset = value - instant.replace(tzinfo=None)
        same = offset.total_seconds() % 900 == 0 and (value.minute, value.second) != (0, 0)
    if not same or not offset or not _WEST <= offset <= _EAST:
        return None
    return offset


def in_offset(instant: datetime, offset: timedelta) -> str:
    """An instant as ISO 8601 in the given UTC offset."""
    return instant.astimezone(timezone(offset)).isoformat()


def htmldate_day(tree: lxml.html.HtmlElement, now: datetime) -> str | None:
    """htmldate's publication date of a tree from its markup and URL rules, never later than now.

    Its "extensive search" is not used: it runs dateparser's language detection, about 0.2 s a page.
    """
    from htmldate import find_date  # imported where used: the generic layer's only

    try:
        return find_date(tree, extensive_search=False, original_date=True, max_date=now.strftime("%Y-%m-%d"))
    except ValueError:
        return None
