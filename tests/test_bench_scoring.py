"""How ``make bench-extract`` compares authors with the annotations: the same people, never fewer or others."""

from __future__ import annotations

import pytest

from benchmarks.realpages import authors_match


@pytest.mark.parametrize(
    ("found", "truth"),
    [
        (["Andrew Huberman"], ["Dr. Andrew Huberman"]),  # a title the annotation writes
        (["Dr Marna van der Merwe", "Dieter Veldsman"], ["Marna van der Merwe; Dr Dieter Veldsman"]),
        (["Rainer Quitzow"], ["Prof. Dr. Rainer Quitzow"]),
        (["Grant Tinsley, PhD"], ["Grant Tinsley"]),  # a degree the page writes
        (["Michael L. Anderson", "Carlos Dobkin"], ["Michael L. Anderson, PhD", "Carlos Dobkin, Ph.D."]),
        (["Vanessa Mendez"], ["Vanessa Mendez, MD"]),
        (["Ann Lee", "Bob Stone"], ["Bob Stone and Ann Lee"]),  # order and joins, as before
        (["ANN LEE"], ["Ann Lee"]),
    ],
)
def test_the_same_people_match_with_or_without_a_title_or_a_degree(found: list[str], truth: list[str]) -> None:
    assert authors_match(found, truth)


@pytest.mark.parametrize(
    ("found", "truth"),
    [
        (["Ann Lee"], ["Dr. Ann Leeds"]),  # another person
        (["Ann Lee"], ["Ann Lee, PhD; Bob Stone"]),  # one of two people
        (["Ann Lee", "Bob Stone"], ["Dr. Ann Lee"]),  # one more person
        (["Ann Lee, Madison"], ["Ann Lee"]),  # a word after the comma that is no degree
        (["Ann Lee"], ["Ann Lee, MD, Carl Dunn"]),  # the degree of one of two people
        (["Mr. Smith"], ["Mrs. Smith"]),  # a form of address tells two people apart
        (["Ms. Ann Lee"], ["Mr. Ann Lee"]),
        (["Dre"], ["Dr. Dre"]),  # a title before one word is part of the name
    ],
)
def test_other_people_do_not_match(found: list[str], truth: list[str]) -> None:
    assert not authors_match(found, truth)
