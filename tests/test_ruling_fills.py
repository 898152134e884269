"""Ruling: shaded (fill-only) rectangles bound rows like drawn lines do."""

from __future__ import annotations

from extractor.ruling import find_ruled_tables


def _word(x0: float, y0: float, text: str) -> tuple[float, float, float, float, str]:
    return (x0, y0, x0 + 40.0, y0 + 10.0, text)


def test_a_shaded_header_row_without_a_line_under_it_is_its_own_row() -> None:
    # a header repeated on a new page, shaded but with no separator drawn under it,
    # above the tail of a row broken by the page
    lines = [((0, 0), (300, 0)), ((0, 0), (0, 100)), ((100, 0), (100, 100)), ((300, 0), (300, 100)),
             ((0, 60), (300, 60)), ((0, 100), (300, 100))]
    drawings = [
        {"type": "f", "items": [("re", (0.0, 0.0, 300.0, 20.0))]},
        {"type": "s", "items": [("l", a, b) for a, b in lines]},
    ]
    words = [_word(5, 5, "No."), _word(105, 5, "Recommendation"), _word(105, 30, "tail"), _word(5, 70, "2"),
             _word(105, 70, "next")]
    (table,) = find_ruled_tables(drawings, words, page=4)
    assert [[c.text if c else None for c in row] for row in table.rows] == [
        ["No.", "Recommendation"], ["", "tail"], ["2", "next"]]


def test_a_lone_shaded_box_is_not_a_table() -> None:
    drawings = [{"type": "f", "items": [("re", (0.0, 0.0, 300.0, 40.0))]}]
    assert find_ruled_tables(drawings, [_word(5, 5, "Note")], page=1) == []
