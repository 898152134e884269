"""The commissioning partnership in the less common ways covers print it."""

from __future__ import annotations

import pytest

from extractor.metadata import find_csp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eastvale, Westbury and Northtown Community Safety Partnerships",
         "Eastvale, Westbury and Northtown Community Safety Partnerships"),
        ("Commissioned by the Eastvale, Westbury and Northtown Community Safety Partnerships",
         "Eastvale, Westbury and Northtown Community Safety Partnerships"),
        ("Eastvale and Westbury Community Safety Partnerships", "Eastvale and Westbury Community Safety Partnerships"),
        # a comma before a single partnership is the sentence's, not a list's
        ("She moved to Northtown, Eastvale Community Safety Partnership was told.", "Eastvale Community Safety Partnership"),
        ("Community Safety Partnership for the Borough of Eastvale", "Eastvale Community Safety Partnership"),
        ("Community Safety Partnership for the London Borough of Eastvale", "Eastvale Community Safety Partnership"),
        ("Community Safety Partnership for Eastvale", "Eastvale Community Safety Partnership"),
        ("Safer Eastvale Partnership", "Safer Eastvale Partnership"),
        # a cover name wrapped before its last word
        ("Overview Report\nLancaster Community Safety\nPartnership\nMarch 2021", "Lancaster Community Safety Partnership"),
        ("Eastvale Safer Communities\nBoard", "Eastvale Safer Communities Board"),
        # area-last forms: a sentence's full stop, a plural, a label's colon, a council's name
        ("The review was commissioned by Safer Eastvale, the Community Safety Partnership for Eastvale.",
         "Eastvale Community Safety Partnership"),
        ("Commissioned by the Community Safety Partnerships for Eastvale and Westbury",
         "Eastvale and Westbury Community Safety Partnerships"),
        ("Community Safety Partnership: Eastvale", "Eastvale Community Safety Partnership"),
        ("Community Safety Partnership: Northtown Borough Council", "Northtown Community Safety Partnership"),
    ],
)
def test_find_csp_joint_and_area_last(text: str, expected: str) -> None:
    assert find_csp(text) == expected


def test_a_label_after_the_colon_is_no_area() -> None:
    assert find_csp("Community Safety Partnership: Date of meeting") is None
