"""Whether a page's bytes hold a given day, in any form a page can carry a date (issue #20 item 2).

Used by ``bench_extract.py`` to score the date on the pages whose annotated day the HTML holds:
a measure of the extractor on what it can see, beside (never instead of) the figures against the
annotations. The check is generous on purpose (a page is left out only when no form of the day is
anywhere in it, markup, scripts and attributes included):

- ISO and its variants: ``2019-10-18``, ``2019/10/18``, ``2019.10.18``, ``2019_10_18``, unpadded
  ``2019/1/5``, ``20191018`` (a URL's, or a stamp's with 2 to 6 digits of its time after it: ``2019101812``,
  a Wayback stamp's ``20191018093000``), ``2019年10月18日``;
- numeric day-month-year and month-day-year with ``.``, ``/`` or ``-`` (and a space after it), 2- or
  4-digit years, padded or not: ``18.10.2019``, ``18. 10. 19``, ``10/18/2019``; and the short
  day-month form ``18.10.`` when the year stands anywhere in the page;
- a month's name or abbreviation in English, German, French, Spanish, Italian, Dutch, Portuguese,
  Polish, Russian or Ukrainian (any inflection: the stems are prefixes) with the day's number near
  it, and the year near it or anywhere in the page ("Oct 18th, 2019", "18. Oktober 2019", "le 18
  oct.", "18 października", "15 августа 2016"), in the markup or in the text (tags taken out);
- the day, a month's name and a 2-digit year joined by ``-``, ``/`` or a space (``18-Oct-19``);
- a time with its zone (an ISO time with ``Z`` or an offset) or epoch seconds, milliseconds or
  microseconds (any 10-, 13- or 16-digit number) falling on that day in some zone: the day's span widened by 14 hours
  either side, the farthest offsets there are.

Relative forms ("3 days ago", "yesterday") cannot be checked: they depend on when the page was
saved, which the sets do not record. The text searched is the decoded page, then again with HTML
entities, JSON ``\\uXXXX`` and ``\\/`` escapes and percent-encoding undone.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

from archiver.extract.document import decode_html

#: Month stems by month: a word starting with one of them names that month (en, de, fr, es, it, nl, pt, pl).
#: Deliberately generous: a stem is a prefix with no word end ("mar" also starts "market", "sep" "separate"),
#: so a page may be counted as holding a day it does not name, never the reverse (the check only widens).
MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("jan", "jän", "gen", "ene", "sty"),
    2: ("feb", "fév", "fev", "lut"),
    3: ("mar", "mär", "maer", "mrt", "mrz"),
    4: ("apr", "avr", "abr", "kwi"),
    5: ("may", "mai", "mag", "maio", "mei", "maj"),
    6: ("jun", "juin", "giu", "cze"),
    7: ("jul", "juil", "lug", "lip"),
    8: ("aug", "aoû", "aou", "ago", "sie"),
    9: ("sep", "set", "wrz"),
    10: ("oct", "okt", "ott", "out", "paź", "paz"),
    11: ("nov", "lis"),
    12: ("dec", "dez", "déc", "dic", "gru"),
}
#: The same in Russian and Ukrainian (a few pages of the sets write their dates in Russian).
CYRILLIC_STEMS: dict[int, tuple[str, ...]] = {
    1: ("янв", "січ"),
    2: ("фев", "лют"),
    3: ("мар", "бер"),
    4: ("апр", "кві"),
    5: ("мая", "май", "тра"),
    6: ("июн", "чер"),
    7: ("июл", "лип"),
    8: ("авг", "сер"),
    9: ("сен", "вер"),
    10: ("окт", "жов"),
    11: ("ноя", "лис"),
    12: ("дек", "гру"),
}
#: How far (characters) the day's number and the year may stand from the month's name.
NEAR = 25
#: The widest offsets from UTC a page's zone can have (UTC-12 to UTC+14), widened to 14 hours both ways.
ZONE_SLACK = timedelta(hours=14)

_EPOCH = re.compile(r"(?<!\d)(\d{16}|\d{13}|\d{10})(?!\d)")
_ZONED = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?\s?(Z|[+-]\d\d:?\d\d)")
_EPOCH_UNITS = {10: 1, 13: 1_000, 16: 1_000_000}  # seconds, milliseconds, microseconds
_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def page_text(page: bytes) -> str:
    """The decoded page, then the same with entities, JSON escapes and percent-encoding undone, then its text.

    The text (tags taken out, white space folded) holds a date whose parts stand in elements of their
    own (``<span>Feb</span> <span>18</span><span>2009</span>``).
    """
    text = decode_html(page)
    plain = html.unescape(text).replace("\\/", "/")
    plain = unquote(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), plain))
    words = " ".join(_TAG.sub(" ", plain).split())
    return f"{text}\n{plain}\n{words}"


def as_day(text: str) -> date | None:
    """The day of a YYYY-MM-DD text (a time may follow); None for a month, a year or a text that is not a date."""
    if len(text) < 10 or not text[:10].replace("-", "").isdigit():
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def holds_day(page: bytes, day: str) -> bool:
    """Whether the page holds ``day`` (YYYY-MM-DD) in any form; False for a day that is not a date."""
    wanted = as_day(day)
    return wanted is not None and text_holds_day(page_text(page), wanted)


def text_holds_day(text: str, day: date) -> bool:
    """Whether a text holds the day in any of the forms the module lists."""
    return bool(
        _numeric(day).search(text) or _short(text, day) or _named(text, day) or _zoned(text, day) or _epoch(text, day),
    )


def _numeric(day: date) -> re.Pattern[str]:
    y, m, d = day.year, day.month, day.day
    yy = f"(?:{y}|{y % 100:02d})"
    mm, dd = f"0?{m}", f"0?{d}"
    sep = r"\s?[-/._]\s?"
    forms = [
        rf"{y}{sep}{mm}{sep}{dd}(?!\d)",  # ISO and its variants
        rf"{y}{m:02d}{d:02d}(?:\d{{2,6}})?(?!\d)",  # compact, perhaps a stamp's hour to second after it
        rf"{y}\s?年\s?{m}\s?月\s?{d}\s?日",
        rf"{dd}\.\s?{mm}\.\s?{yy}(?!\d)",  # day first
        rf"{dd}/{mm}/{yy}(?!\d)",
        rf"{dd}-{mm}-{yy}(?!\d)",
        rf"{mm}[./-]\s?{dd}[./-]\s?{yy}(?!\d)",  # month first
    ]
    return re.compile(r"(?<!\d)(?:" + "|".join(forms) + ")")


def _year_anywhere(text: str, day: date) -> bool:
    return bool(re.search(rf"(?<!\d)(?:{day.year}|'{day.year % 100:02d})(?!\d)", text))


def _short(text: str, day: date) -> bool:
    short = re.compile(rf"(?<![\d.])0?{day.day}\.\s?0?{day.month}\.(?!\s?\d)")
    return bool(short.search(text)) and _year_anywhere(text, day)


def _named(text: str, day: date) -> bool:
    stems = "|".join(MONTH_STEMS[day.month] + CYRILLIC_STEMS[day.month])
    month = re.compile(rf"(?<![^\W\d_])(?:{stems})", re.IGNORECASE)
    number = re.compile(rf"(?<!\d)0?{day.day}(?!\d)")
    year = re.compile(rf"(?<!\d)(?:{day.year}|'{day.year % 100:02d})(?!\d)")
    beside = False  # the day's number beside the month's name, the year not
    for found in month.finditer(text):
        window = text[max(found.start() - NEAR, 0) : found.end() + NEAR]
        if number.search(window):
            if year.search(window):
                return True
            beside = True
    return (beside and _year_anywhere(text, day)) or bool(_hyphened(stems, day).search(text))


def _hyphened(stems: str, day: date) -> re.Pattern[str]:
    """The day, the month's name and a 2-digit year joined ("18-Oct-19", "18 Oct 19")."""
    return re.compile(
        rf"(?<!\d)0?{day.day}[-/ .]\s?(?<![^\W\d_])(?:{stems})[^\W\d_]*\.?[-/ ]\s?{day.year % 100:02d}(?!\d)",
        re.IGNORECASE,
    )


def _span(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start - ZONE_SLACK, start + timedelta(days=1) + ZONE_SLACK


def _zoned(text: str, day: date) -> bool:
    low, high = _span(day)
    for m in _ZONED.finditer(text):
        zone = "+00:00" if m.group(7) == "Z" else m.group(7)
        stamp = f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}:{m.group(5)}:{m.group(6) or '00'}{zone}"
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        if low <= when < high:
            return True
    return False


def _epoch(text: str, day: date) -> bool:
    low, high = (t.timestamp() for t in _span(day))
    for m in _EPOCH.finditer(text):
        seconds = int(m.group(1)) / _EPOCH_UNITS[len(m.group(1))]
        if low <= seconds < high:
            return True
    return False
