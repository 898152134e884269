"""Ids that OCR misread as letters ("Rl" for "R1", "Ac" for "4c") are given back their digits.

Only where the repaired id fits the list: on OCR'd lines in the column of the other
ids, or in a table's id column, between the ids before and after it.
"""

from __future__ import annotations

import pytest

from extractor.models import Line, Row, Section
from extractor.numbering import fits_between, misread_marker
from extractor.segment import segment_lines
from extractor.tables import _repair_misread_ids


@pytest.mark.parametrize(
    ("text", "rid", "rest"),
    [
        ("Rl The Police should", "R1", "The Police should"),
        ("Ac The Police should", "4c", "The Police should"),
        ("l0 Agencies should", "10", "Agencies should"),
        ("9.l The council", "9.1", "The council"),
        ("RI Northshire Police", "R1", "Northshire Police"),
    ],
)
def test_misread_marker_reads_look_alike_letters_as_digits(text: str, rid: str, rest: str) -> None:
    marker = misread_marker(text)
    assert marker is not None and marker.id == rid and marker.rest == rest


@pytest.mark.parametrize("text", ["A review of the case", "OK Then", "4b The Police", "Ab", "Rl the police", "Police"])
def test_misread_marker_leaves_words_and_real_ids_alone(text: str) -> None:
    assert misread_marker(text) is None


@pytest.mark.parametrize(
    ("before", "candidate", "after", "fits"),
    [
        ("4b", "4c", "5", True),
        (None, "R1", "R2", True),
        ("R3", "R4", None, True),
        ("2", "3", "1", True),  # the next agency's list starts again
        ("1", "1", "2", False),  # "I" between 1 and 2 is not an id
        (None, "50", "2", False),
        (None, "1", None, False),
    ],
)
def test_fits_between(before: str | None, candidate: str, after: str | None, fits: bool) -> None:
    assert fits_between(before, candidate, after) is fits


SECTION = Section(heading="Recommendations", start_page=4, end_page=4, lines=(), kind="main")


def _list(texts: list[tuple[float, str]], font: str) -> list[Line]:
    return [Line(text, 4, (x, 100.0 + 16 * i, x + 380.0, 111.0 + 16 * i), 11.0, False, False, font)
            for i, (x, text) in enumerate(texts)]


LIST = [
    (70.0, "4a The Police should review secondary risk assessments for standard cases."),
    (70.0, "4b The Police should use body-worn video at every domestic abuse incident."),
    (70.0, "Ac The Police should remind officers that withdrawal of support is a risk."),
    (112.0, "It should do so in its next training cycle."),
    (70.0, "5 The council should flag domestic abuse on tenancy records."),
]


def test_an_ocr_misread_id_in_the_id_column_is_repaired() -> None:
    rows = segment_lines(_list(LIST, "ocr"), SECTION)
    assert [r.id for r in rows] == ["4a", "4b", "4c", "5"]
    assert rows[2].text.startswith("The Police should remind") and rows[2].text.endswith("training cycle.")


def test_born_digital_lines_are_taken_as_printed() -> None:
    rows = segment_lines(_list(LIST, ""), SECTION)
    assert [r.id for r in rows] == ["4a", "4b", "5"]
    assert "Ac The Police should remind" in rows[1].text


def test_a_look_alike_word_outside_the_id_column_is_text() -> None:
    texts = [LIST[0], LIST[1], (112.0, "Ac The Police should remind officers."), LIST[4]]
    rows = segment_lines(_list(texts, "ocr"), SECTION)
    assert [r.id for r in rows] == ["4a", "4b", "5"]


def _row(rid: str) -> Row:
    return Row(id=rid, text="Text.", page=3, bbox=(0.0, 0.0, 1.0, 1.0), section="Action plan", section_kind="action_plan")


def test_table_id_cells_misread_by_ocr_are_repaired_in_sequence() -> None:
    rows = _repair_misread_ids([_row("Rl"), _row("R2"), _row("R3"), _row("RS"), _row("R5")])
    assert [r.id for r in rows] == ["R1", "R2", "R3", "RS", "R5"]  # "RS" as R5 would repeat R5
    rows = _repair_misread_ids([_row("R3"), _row("RA"), _row("R5")])
    assert [r.id for r in rows] == ["R3", "R4", "R5"]
