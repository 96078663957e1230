"""``make bench-extract``'s check "does the page hold the annotated day?", in every form a page writes a date."""

from __future__ import annotations

import pytest

from benchmarks import wcxb
from benchmarks.bench_extract import Fields, Page, Score
from benchmarks.date_presence import holds_day

DAY = "2019-10-18"


def page(body: str) -> bytes:
    """A small page holding ``body``, its date-free head and a copyright line for the year."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>A post</title></head>'
        f"<body><h1>A post</h1>{body}<p>Some words of the post.</p><footer>© 2019 A site</footer></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        '<time datetime="2019-10-18T09:30:00">Friday</time>',  # ISO
        '<a href="/2019/10/18/a-post/">permalink</a>',  # a URL's path
        '<a href="/news/20191018/a-post">permalink</a>',  # compact, in a URL
        '<a href="https://web.archive.org/web/20191018093000/https://example.org/">capture</a>',  # a stamp
        "<p>2019.10.18</p>",
        "<p>2019-10-18</p>",
        "<p>18.10.2019</p>",  # day first, dots
        "<p>18. 10. 19</p>",  # a space after the dots, a 2-digit year
        "<p>18/10/2019</p>",
        "<p>18-10-2019</p>",
        "<p>10/18/2019</p>",  # month first
        "<p>10-18-19</p>",
        "<p>2019年10月18日</p>",
        "<p>October 18, 2019</p>",  # month names, en
        "<p>Oct. 18th '19</p>",
        "<p>18. Oktober 2019</p>",  # de
        "<p>le 18 oct. 2019</p>",  # fr
        "<p>18 de octubre de 2019</p>",  # es
        "<p>18 ottobre 2019</p>",  # it
        "<p>18 okt 2019</p>",  # nl
        "<p>18 de outubro de 2019</p>",  # pt
        "<p>18 października 2019</p>",  # pl, genitive
        "<p>18 октября 2019, 13:43</p>",  # ru, genitive
        '<span class="month">Oct</span> <span class="day">18</span><span class="year">2019</span>',  # parts apart
        "<p>Posted Oct 18</p>",  # no year beside it, the year elsewhere on the page
        "<title>18.10. | Book of the week</title>",  # the short day-month form, the year elsewhere
        "<p>18&nbsp;October&nbsp;2019</p>",  # entities
        '<script>var post = {"date": "2019\\/10\\/18"};</script>',  # JSON escapes
        '<script>var post = {"date": "2019\\u002F10\\u002F18"};</script>',
        '<a href="/share?date=2019%2F10%2F18">share</a>',  # percent-encoding
        '<div data-published="1571400000"></div>',  # epoch seconds, noon UTC
        "<script>var published = 1571400000000;</script>",  # epoch milliseconds
        '<div data-ts="1571310000"></div>',  # the 17th at 11:00 UTC: the 18th at UTC+14
        '<div data-ts="1571482800"></div>',  # the 19th at 11:00 UTC: the 18th at UTC-12
        '<meta property="article:published_time" content="2019-10-17T23:30:00Z">',  # the 18th at UTC+1
    ],
)
def test_the_day_is_found_in_every_form_a_page_writes_it(body: str) -> None:
    assert holds_day(page(body), DAY)


@pytest.mark.parametrize(
    "body",
    [
        "",  # only the copyright's year
        '<time datetime="2019-10-17">Thursday</time>',  # the day before
        "<p>17.10.2019</p>",
        "<p>2019/10/19</p>",
        "<p>October 19, 2019</p>",
        "<p>18 November 2019</p>",  # another month
        "<p>18.10.2018</p>",  # another year
        "<p>2018-10-18</p>",
        "<p>181019</p>",  # six digits are no compact date
        "<p>18.10.2018</p><p>Version 1.18.10.4</p>",  # no short form inside a longer number
        '<div data-ts="1571302800"></div>',  # the 17th at 09:00 UTC: the 17th at UTC+14 too
        '<div data-ts="1571497200"></div>',  # the 19th at 15:00 UTC
        '<meta property="article:published_time" content="2019-10-17T08:00:00Z">',
        "<p>Product 120191018433</p>",  # the digits inside a longer number
    ],
)
def test_a_page_without_the_day_does_not_hold_it(body: str) -> None:
    assert not holds_day(page(body), DAY)


def bare_page(body: str) -> bytes:
    """A small page holding ``body`` and no other number (no year elsewhere to lean on)."""
    head = '<!doctype html><html><head><meta charset="utf-8"><title>A post</title></head>'
    return f"{head}<body>{body}</body></html>".encode()


@pytest.mark.parametrize(
    ("body", "day"),
    [
        ("<p>18. Mrz. 2019</p>", "2019-03-18"),  # German abbreviation without its vowel
        ("<p>18. Mrz 2019</p>", "2019-03-18"),
        ("<p>Posted 18-Oct-19</p>", DAY),  # a 2-digit year after the month's name
        ("<p>18 Oct 19</p>", DAY),
        ('<img src="/media/2019101812-cover.jpg">', DAY),  # a compact stamp with its hour
        ('<a href="/p/201910180930">permalink</a>', DAY),  # ... with its hour and minute
        ('<div data-ts="1571400000000000"></div>', DAY),  # epoch microseconds, noon UTC
    ],
)
def test_the_wider_forms_are_found(body: str, day: str) -> None:
    assert holds_day(bare_page(body), day)


@pytest.mark.parametrize(
    ("body", "day"),
    [
        ("<p>Posted 18-Oct-18</p>", DAY),  # another 2-digit year
        ('<img src="/media/2019101812345678-cover.jpg">', DAY),  # the digits inside a longer number
        ('<div data-ts="1571230000000000"></div>', DAY),  # microseconds on the 16th
    ],
)
def test_the_wider_forms_keep_other_days_out(body: str, day: str) -> None:
    assert not holds_day(bare_page(body), day)


def test_an_annotation_that_is_no_date_is_held_nowhere() -> None:
    assert not holds_day(page("<p>29.11.2022</p>"), "2022-29-11")


def bench_page(name: str, date: str, body: str) -> Page:
    return Page(name, f"https://example.org/{name}", page(body), "A post", None, date, True, {"main_content": ""})


def test_the_bench_scores_the_date_on_the_pages_holding_the_annotated_day_and_lists_the_others() -> None:
    score = Score(wcxb.WordF1())
    found = Fields("A post", [], "2019-10-18T09:30:00", "Some words", True)
    score.add(found, bench_page("holds", DAY, "<p>18.10.2019</p>"))
    score.add(found, bench_page("lacks", "2019-10-20", "<p>18.10.2019</p>"))  # missed, and not in the page
    score.add(Fields("A post", [], "2019-10-17", "Some words", True), bench_page("missed", DAY, "<p>Oct 18, 2019</p>"))
    assert (score.hits["date"], score.totals["date"]) == (1, 3)
    assert (score.seen_hits["date"], score.seen_totals["date"]) == (1, 2)
    assert score.unseen == ["lacks\t2019-10-20\thttps://example.org/lacks"]
    assert score.seen_report() == (
        "date 0.333 of 3 pages with a date, 0.500 of 2 whose HTML holds the day;"
        " corrected 0.333 of 3 pages with a date, 0.500 of 2 whose HTML holds the day"
    )


@pytest.mark.parametrize("annotated", ["2019-10", "2019", "2019-10-1"])
def test_an_annotation_naming_no_day_stays_counted(annotated: str) -> None:
    score = Score(wcxb.WordF1())
    score.add(Fields("A post", [], DAY, "Some words", True), bench_page("month", annotated, "<p>October 2019</p>"))
    assert (score.seen_hits["date"], score.seen_totals["date"]) == (0, 1)  # a miss, not left out
    assert (score.seen_hits["corrected"], score.seen_totals["corrected"]) == (0, 1)
    assert score.unseen == []


def test_the_bench_asks_the_corrected_day_of_a_corrected_annotation() -> None:
    score = Score(wcxb.WordF1())
    corrected = bench_page("fixed", "2019-10-20", "<p>18.10.2019</p>")
    corrected.corrected = {"date": DAY}
    score.add(Fields("A post", [], DAY, "Some words", True), corrected)
    assert (score.seen_hits["date"], score.seen_totals["date"]) == (0, 0)  # the annotated day is not in the page
    assert (score.seen_hits["corrected"], score.seen_totals["corrected"]) == (1, 1)
    assert score.unseen == []
