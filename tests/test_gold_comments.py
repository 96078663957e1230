"""The comment gold set (benchmarks/gold/comments/) keeps its format, and its snippets are the pages' text.

The pages are read from ../shared/bench/ (skipped when absent, failing under ARCHIVER_REQUIRE_ALL=1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.gold.check_gold import BENCH, GOLD, check_comment, check_label, label_files, pages_present
from benchmarks.gold.score import match, number_right
from tests.conftest import require

LABELS = label_files()


def test_the_gold_set_has_labels() -> None:
    assert LABELS, f"no label files in {GOLD}"


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_label_file_keeps_the_format_and_matches_its_page(path: Path) -> None:
    require(pages_present(), f"the real pages in {BENCH}")
    label = json.loads(path.read_text(encoding="utf-8"))
    assert (BENCH / label["set"] / label["file"]).is_file(), f"{label['file']} is not in {BENCH / label['set']}"
    assert check_label(path) == []


GOOD = {"position": 1, "number": "1", "author": "Jamie", "author_url": None, "date_shown": "1. Mai 2012",
        "date": "2012-05-01", "title": None, "text_start": "Short.", "text_end": "Short.", "parent": None,
        "kind": "comment"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"position": 2}, "position"),
        ({"parent": 1}, "parent"),
        ({"kind": "reply"}, "kind"),
        ({"date": "1. Mai 2012"}, "ISO"),
        ({"text_start": "x" * 61}, "at most 60"),
        ({"text_end": "Other."}, "text_start == text_end"),
        ({"author_url": "/user/jamie"}, "absolute"),
        ({"author": ""}, "non-empty"),
    ],
)
def test_the_validator_rejects_a_broken_comment(change: dict[str, object], problem: str) -> None:
    assert check_comment(GOOD, 0) == []
    problems = check_comment({**GOOD, **change}, 0)
    assert any(problem in p for p in problems), problems


def test_the_validator_rejects_a_snippet_missing_from_the_page(tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    (bench / "realpages" / "html").mkdir(parents=True)
    (bench / "wcxb-dev").mkdir()
    (bench / "realpages" / "html" / "p.html").write_text(
        "<html><body><p>Great   post,</p><p>thanks!</p></body></html>", encoding="utf-8"
    )
    (bench / "realpages" / "ground-truth.json").write_text(json.dumps({"https://x.test/": {"file": "p.html"}}))
    label = {"set": "realpages", "file": "html/p.html", "url": "https://x.test/", "layout": "wordpress",
             "thread": False, "status": "present", "comments": [{**GOOD, "text_start": "Great post, thanks!",
             "text_end": "Great post, thanks!"}], "notes": "", "labelled_by": "test", "checked_by": None,
             "corrections": []}  # fmt: skip
    path = tmp_path / "realpages-p.json"
    path.write_text(json.dumps(label), encoding="utf-8")
    assert check_label(path, bench) == []
    label["comments"][0]["text_end"] = label["comments"][0]["text_start"] = "Great post, no thanks!"  # type: ignore[index]
    path.write_text(json.dumps(label), encoding="utf-8")
    assert any("not in the page's text" in p for p in check_label(path, bench))


def test_a_number_shown_with_a_leading_zero_is_that_number() -> None:
    assert number_right("01", {"number": 1, "number_source": "page"})
    assert not number_right("01", {"number": 1, "number_source": "order"})
    assert not number_right("12", {"number": 1, "number_source": "page"})


def test_invisible_format_characters_do_not_count_in_a_comment_s_text() -> None:
    """A label's snippet ending in a zero-width space (copied from the page) matches the comment
    whose text leaves it out, as a reader sees them; a visible difference still does not match."""
    want = [{"position": 1, "text_start": "Thanks for the", "text_end": "the fix\u200b"}]
    assert match(want, [{"body": "Thanks for the\u00ad fix"}]) == {1: 0}
    assert match(want, [{"body": "Thanks for the fox"}]) == {}


def test_the_false_comment_share_is_also_given_without_the_pages_the_gold_set_labels() -> None:
    """realpages annotates a page's main text; where its comment snippets are missing but the gold
    set's hand labels show comments, comments found there are counted apart, not as false."""
    from benchmarks.bench_comments import Tally
    from benchmarks.realpages import Record

    tally = Tally()
    for name, labelled in (("a", True), ("b", False), ("c", False)):
        tally.add(Record(f"https://example.org/{name}", Path(name), {"comments": []}), "Ann  Hi", False, "", labelled)
    report = tally.report("archiver")
    assert "false comments on 3/3 comment-free pages" in report
    assert "without the 1 of them the gold set labels as having comments: 2/2" in report
