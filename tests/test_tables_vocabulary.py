"""Recommendation tables whose column titles use less common wordings.

Real action plans title the addressee column "Addressee", "Partner(s)", "Led by" and so
on, the text column "Recommended action" or "Action required", and the id column "Rec",
"DHR Ref" or nothing at all. Each layout here failed to be read as a table before.
"""

from __future__ import annotations

import pytest
from pdfbuilder import build_pdf, filler

import extractor
from extractor.models import TableCell
from extractor.tables import header_columns

INTRO = [("h1", "Domestic Homicide Review"), ("p", "Report into the death of 'Adult K'."), ("pagebreak",),
         ("h1", "1. Introduction"), ("p", filler(8))]
RECS = [
    ("Westmarsh Police", "Westmarsh Police should check the address history of both parties before closing a call."),
    ("Westmarsh District Council", "The council should give tenancy officers a route to the domestic abuse coordinator."),
    ("Westmarsh Hospital Trust", "The hospital should ask about injuries to the hands at every minor injuries visit."),
]


def _extract(rows: list[list[str]], widths: list[float]) -> list[extractor.Recommendation]:
    blocks = INTRO + [("h1", "2. Recommendations"), ("p", "The panel makes these recommendations."),
                      ("table", rows, widths), ("h1", "3. Glossary"), ("p", "IDVA: an independent adviser.")]
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    assert report.error is None
    return report.recommendations


@pytest.mark.parametrize("title", ["Addressee", "Partner(s)", "Accountable body", "Led by", "Responsible organisation"])
def test_addressee_column_titles(title: str) -> None:
    rows = [["Recommendation", title]] + [[f"{i}. {text}", agency] for i, (agency, text) in enumerate(RECS, 1)]
    recs = _extract(rows, [300, 150])
    assert [r.id for r in recs] == ["1", "2", "3"]
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


@pytest.mark.parametrize("title", ["Recommended action", "Action required", "Learning and action", "Action"])
def test_action_worded_text_column(title: str) -> None:
    rows = [["No.", title, "Lead agency", "Target date"]]
    rows += [[str(i), text, agency, "May 2026"] for i, (agency, text) in enumerate(RECS, 1)]
    recs = _extract(rows, [35, 250, 110, 60])
    assert [r.id for r in recs] == ["1", "2", "3"]
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


@pytest.mark.parametrize(("title", "ids"), [("Rec", ["1", "2", "3"]), ("DHR Ref", ["1", "2", "3"]),
                                            ("Ref", ["R1", "R2", "R3"]), ("", ["1.", "2.", "3."])])
def test_id_column_titles_including_blank(title: str, ids: list[str]) -> None:
    rows = [[title, "Recommendation", "Agency"]] + [[rid, text, agency] for rid, (agency, text) in zip(ids, RECS)]
    recs = _extract(rows, [45, 280, 125])
    assert [r.id for r in recs] == ids
    assert [r.text for r in recs] == [text for _, text in RECS]


def _row(*texts: str) -> tuple[TableCell, ...]:
    return tuple(TableCell(text=t, bbox=(100.0 * n, 0.0, 100.0 * n + 100.0, 20.0)) for n, t in enumerate(texts))


def test_long_data_cells_are_not_header_evidence() -> None:
    # "date of birth" and "action" inside a sentence do not make a data row a header
    data = _row("Recommendation 2", "Officers should record each child's name and date of birth and the action taken.")
    assert header_columns(data) is None
    assert header_columns(_row("Recommendation", "Target date")) is not None


def test_blank_header_over_wide_text_is_not_an_id_column() -> None:
    header = (TableCell("", (0, 0, 300, 20)), TableCell("Recommendation", (300, 0, 400, 20)),
              TableCell("Agency", (400, 0, 500, 20)))
    below = [(TableCell("1", (0, 20, 300, 40)), TableCell("Text.", (300, 20, 400, 40)), TableCell("Police", (400, 20, 500, 40)))]
    columns = header_columns(header, below)
    assert columns is not None and columns.id is None


def test_a_long_text_column_title_still_names_the_text_column() -> None:
    columns = header_columns(_row("No.", "Recommendation (what must change and who will do it)", "Lead agency"))
    assert columns is not None and (columns.id, columns.text, columns.agency) == (0, 1, 2)
