"""Shared text helpers: sentence picking by cue words, and the ruled-table cell lookup."""

from __future__ import annotations

import re

import pytest

from extractor._text import sentences_with
from extractor.ruling import _index


def _by_splitting(text: str, cues: tuple[str, ...]) -> str:
    """The plain definition: split into sentences, keep those with a cue."""
    return " ".join(s for s in re.split(r"(?<=[.;])\s+", text) if any(c in s for c in cues))


@pytest.mark.parametrize(
    "text",
    [
        "She moved. He died in 2015; police came. It rained.",
        "died at the start. Nothing here; nor here. The death was in May. died",
        "No cue at all. None; none.",
        "Two cues died and death in one sentence. Then died again; and dead.",
        "A. B; died",
    ],
)
def test_sentences_with_matches_split_and_filter(text):
    cues = ("died", "death", "dead")
    assert sentences_with(text, cues) == _by_splitting(text, cues)


@pytest.mark.parametrize(
    "value,expected",
    [(5.0, 0), (10.0, 0), (15.0, 1), (20.0, 1), (29.9, 2), (30.0, 2), (4.9, None), (30.1, None)],
)
def test_cell_index_is_the_first_slot_holding_the_value(value, expected):
    bounds = [5.0, 10.0, 20.0, 30.0]
    linear = next((i for i in range(len(bounds) - 1) if bounds[i] <= value <= bounds[i + 1]), None)
    assert _index(bounds, value) == expected == linear
