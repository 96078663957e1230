"""Widget readers: the rendered markup of comment widgets the generic rules do not read
(archiver/extract/comments/widgets.py), each on a synthetic page reproducing the widget's
published template (tests/fixtures/widgets/; Disqus, giscus, Remark42, Coral and the Facebook plugin
fetched from a real 127.0.0.1 server). The expected values were written by reading the page.
OpenWeb's shadow root, rendered by real Chromium, is in tests/test_render_shadow.py.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.demo import SiteServer
from archiver.extract import comments_from_page, load_page

FIXTURES = Path(__file__).parent / "fixtures" / "widgets"
NOW = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)


def test_isso_thread_as_rendered() -> None:
    page = load_page((FIXTURES / "isso.html").read_text(encoding="utf-8"), "https://notes.example/winter-cycling")
    found = [(c.number, c.author, c.published, c.parent, c.anchor, c.body) for c in comments_from_page(page, NOW)]
    assert found == [
        (1, "Mina Kovač", "2024-01-09T07:41:12+00:00", None, "isso-14",
         "Studs made all the difference for me on the canal path."),
        (2, "Anonymous", "2024-01-09T12:05:40+00:00", 1, "isso-15", "Which brand of studded tyre do you ride?"),
        (3, "Pavel", "2024-02-02T18:20:00+00:00", None, "isso-17",
         "A dynamo light never runs out of battery in the cold.\n\nWorth every penny."),
    ]  # fmt: skip


def test_utterances_frame_as_rendered() -> None:
    html = (FIXTURES / "utterances.html").read_text(encoding="utf-8")
    page = load_page(html, "https://utteranc.es/utterances.html?repo=notes/blog&issue-term=pathname")
    found = [(c.number, c.author, c.published, c.published_relative, c.body) for c in comments_from_page(page, NOW)]
    assert found == [
        (1, "mkovac", "2024-01-09", False, "Studs made all the difference for me on the canal path."),
        (2, "pavel-r", "2024-03-13T12:00:00+00:00", True, "A dynamo light never runs out of battery in the cold."),
    ]  # "2 days ago", read against the fetch time; the comment form is no comment


def test_commento_thread_as_rendered() -> None:
    page = load_page((FIXTURES / "commento.html").read_text(encoding="utf-8"), "https://notes.example/winter-cycling")
    found = [(c.number, c.author, c.published, c.parent, c.body) for c in comments_from_page(page, NOW)]
    assert found == [
        (1, "Mina Kovač", "2024-01-09T08:41:12+01:00", None, "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T13:05:40+01:00", 1, "Which brand of studded tyre do you ride?"),
        (3, "Anonymous", "2024-02-02T19:20:00+01:00", None, "A dynamo light never runs out of battery in the cold."),
    ]  # the dates from the title the client gives each "2 months ago"


# --- widgets whose frames are read as served: each page fetched from a real 127.0.0.1 server ---------


@pytest.fixture(scope="module")
def widget_pages() -> Iterator[str]:
    """tests/fixtures/widgets/ served on an ephemeral 127.0.0.1 port, stopped after the module."""
    with SiteServer(FIXTURES) as server:
        yield server.url


def served(base: str, name: str) -> list[tuple[object, ...]]:
    """(number, author, published, published_local, parent, body) of each comment of a served page;
    numbered by position (these widgets show no numbers)."""
    with urllib.request.urlopen(f"{base}{name}.html", timeout=10) as response:
        html = response.read().decode("utf-8")
    page = load_page(html, f"{base}{name}.html")
    found = comments_from_page(page, NOW)
    assert {c.number_source for c in found} == {"order"}
    return [(c.number, c.author, c.published, c.published_local, c.parent, c.body) for c in found]


def test_disqus_frame_as_rendered(widget_pages: str) -> None:
    assert served(widget_pages, "disqus") == [
        (1, "Mina Kovač", "2024-01-09T07:41:00", True, None, "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T13:05:00", True, 1, "Which brand of studded tyre do you ride?"),
        (
            3,
            "Guest Reader",
            "2024-02-02T18:20:00",
            True,
            None,
            "A dynamo light never runs out of battery in the cold.\n\nWorth every penny.",
        ),
    ]  # the dates from the title of each "2 months ago", in the reader's time zone: none given; likes 4, 7, 9


def test_giscus_frame_as_rendered(widget_pages: str) -> None:
    assert served(widget_pages, "giscus") == [
        (
            1,
            "mkovac",
            "2024-01-09T07:41:12+00:00",
            False,
            None,
            "Studs made all the difference for me on the canal path.",
        ),
        (2, "pavel-r", "2024-01-09T12:05:40+00:00", False, 1, "Which brand of studded tyre do you ride?"),
        (
            3,
            "annaleigh",
            "2024-02-02T18:20:00+00:00",
            False,
            None,
            "A dynamo light never runs out of battery in the cold.",
        ),
    ]  # the comment box ("Sign in to comment") is no comment; upvotes 3 and 5


def test_remark42_frame_as_rendered(widget_pages: str) -> None:
    assert served(widget_pages, "remark42") == [
        (1, "Mina Kovač", "2024-01-09T07:41:00", True, None, "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T13:05:00", True, 1, "Which brand of studded tyre do you ride?"),
        (
            3,
            "anonymous_4d1c",
            "2024-02-02T18:20:00",
            True,
            None,
            "A dynamo light never runs out of battery in the cold.",
        ),
    ]  # "1/9/2024 at 1:05 PM": month first (the en-US format it was rendered in), no time zone


def test_coral_stream_as_rendered(widget_pages: str) -> None:
    assert served(widget_pages, "coral") == [
        (
            1,
            "Mina Kovač",
            "2024-01-09T07:41:12+00:00",
            False,
            None,
            "Studs made all the difference for me on the canal path.",
        ),
        (2, "Pavel", "2024-01-09T12:05:40+00:00", False, 1, "Which brand of studded tyre do you ride?"),
        (
            3,
            "annaleigh",
            "2024-02-02T18:20:00+00:00",
            False,
            None,
            "A dynamo light never runs out of battery in the cold.",
        ),
    ]  # the reply's parent: the comment before the reply list it sits in ("In reply to" is no author)


def test_facebook_plugin_frame_as_rendered(widget_pages: str) -> None:
    assert served(widget_pages, "facebook") == [
        (1, "Mina Kovač", "2024-01-09T07:41:12+00:00", False, None,
         "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T12:05:40+00:00", False, 1, "Which brand of studded tyre do you ride?"),
        (3, "Anna Leigh", "2024-02-02T18:20:00+00:00", False, None,
         "A dynamo light never runs out of battery in the cold."),
    ]  # fmt: skip  # each date its data-utime (1704786072, ...), in UTC; the reply in the comment's div._44ri


def test_viafoura_threads_as_rendered() -> None:
    page = load_page((FIXTURES / "viafoura.html").read_text(encoding="utf-8"), "https://notes.example/winter-cycling")
    comments = comments_from_page(page, NOW)
    found = [(c.number, c.author, c.published, c.published_relative, c.parent, c.body) for c in comments]
    assert found == [
        (1, "Mina Kovač", "2024-01-15T12:00:00+00:00", True, None,
         "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-15T12:00:00+00:00", True, 1, "Which brand of studded tyre do you ride?"),
        (3, "annaleigh", "2024-02-02T12:00:00+00:00", True, None,
         "A dynamo light never runs out of battery in the cold.\n\nWorth every penny."),
    ]  # fmt: skip  # "2 months ago", "6 weeks ago" read against the fetch time; the likes (4, 0, 9) are no numbers


def test_openweb_shadow_root_as_serialised() -> None:
    page = load_page((FIXTURES / "openweb.html").read_text(encoding="utf-8"), "https://notes.example/winter-cycling")
    comments = comments_from_page(page, NOW)
    found = [(c.number, c.author, c.published, c.published_local, c.parent, c.body) for c in comments]
    assert found == [
        (1, "Mina Kovač", "2024-01-09T07:41:00", True, None, "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T12:05:00", True, 1, "Which brand of studded tyre do you ride?"),
        (3, "annaleigh", "2024-02-02T18:20:00", True, None,
         "A dynamo light never runs out of battery in the cold.\n\nWorth every penny."),
    ]  # fmt: skip  # the timestamps' titles ("9 Jan, 2024 7:41 AM"), no time zone; votes 4, 0, 9 are no numbers


@pytest.mark.parametrize("utime", ["99999999999999999999", "-1", "9w", ""])
def test_facebook_time_out_of_range_or_not_a_number_is_no_date(utime: str) -> None:
    html = (FIXTURES / "facebook.html").read_text(encoding="utf-8")
    html = html.replace('data-utime="1704786072"', f'data-utime="{utime}"')
    first = comments_from_page(load_page(html, "https://www.facebook.com/plugins/comments.php"), NOW)[0]
    assert (first.author, first.published) == ("Mina Kovač", None)
