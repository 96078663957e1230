"""Widget readers: the rendered markup of comment widgets the generic rules do not read
(archiver/extract/comments/widgets.py), each on a synthetic page reproducing the widget's
published template (tests/fixtures/widgets/). The expected values were written by reading the page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

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
