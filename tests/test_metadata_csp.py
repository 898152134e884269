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
    ],
)
def test_find_csp_joint_and_area_last(text: str, expected: str) -> None:
    assert find_csp(text) == expected
