"""Numbering markers: every scheme in the layout catalogue."""

from __future__ import annotations

import pytest

from extractor.numbering import parse_marker


@pytest.mark.parametrize(
    "line,kind,rid,rest",
    [
        ("1. Ensure staff are trained", "int", "1", "Ensure staff are trained"),
        ("12) The trust should", "int", "12", "The trust should"),
        ("8.1 The panel recommends", "decimal", "8.1", "The panel recommends"),
        ("21.10.1 Police to", "decimal", "21.10.1", "Police to"),
        ("10.1.1.1 Review", "decimal", "10.1.1.1", "Review"),
        ("9.1 a There is a need", "decimal", "9.1 a", "There is a need"),
        ("10.2a Provide training", "decimal", "10.2a", "Provide training"),
        ("7.2.1(a) Audit", "decimal", "7.2.1(a)", "Audit"),
        ("3.140(a) Consider", "decimal", "3.140(a)", "Consider"),
        ("2a Develop", "int_letter", "2a", "Develop"),
        ("R3 The ICB", "r", "R3", "The ICB"),
        ("R12: Housing", "r", "R12", "Housing"),
        ("Recommendation 4", "label", "Recommendation 4", ""),
        ("Recommendation 4: That the", "label", "Recommendation 4", "That the"),
        ("RECOMMENDATION NO. 12 Review", "label", "RECOMMENDATION NO. 12", "Review"),
        ("Recommendation", "label", None, ""),
        ("(1) East London", "paren", "(1)", "East London"),
        ("a) sub point", "letter", "a)", "sub point"),
        ("(iv) roman", "letter", "(iv)", "roman"),
        ("Recommendation One: Northshire Police", "label", "Recommendation One", "Northshire Police"),
        ("Recommendation TWENTY-TWO – The ICB", "label", "Recommendation TWENTY-TWO", "The ICB"),
        ("Rec 3: The ICB", "label", "Rec 3", "The ICB"),
        ("REC 4 Review", "label", "REC 4", "Review"),
        ("Rec1 The trust", "label", "Rec1", "The trust"),
        ("R.2 The council", "r", "R.2", "The council"),
        ("• Devon and Cornwall Police ensure", "bullet", None, "Devon and Cornwall Police ensure"),
    ],
)
def test_parse_marker(line, kind, rid, rest):
    marker = parse_marker(line)
    assert marker is not None
    assert (marker.kind, marker.id, marker.rest) == (kind, rid, rest)


@pytest.mark.parametrize(
    "line",
    [
        "Recommendations",
        "recommendation is for local areas",
        "2012 was the year",
        "12 months later the officer",
        "The panel recommends",
        "9.1 a review of the policy",  # not a letter id, but still a decimal
        "Record keeping was poor",
        "Rec: see above",
    ],
)
def test_not_a_letter_or_label(line):
    marker = parse_marker(line)
    assert marker is None or (marker.kind == "decimal" and marker.id == "9.1")


def test_number_words_must_be_capitalised():
    marker = parse_marker("Recommendation one of the earlier review was")
    assert marker is not None and marker.id is None  # a bare label at most, never "Recommendation one"
