"""Locate: a recommendations table's column titles are not headings that end the section."""

from __future__ import annotations

import pytest
from pdfbuilder import build_pdf, filler

import extractor


def _title(text: str) -> str:
    # bold at the body's size, like the plain-bold "Recommendations" heading above it
    return f'<font size="10.5"><b>{text}</b></font>'


def test_bold_body_size_column_titles_do_not_end_a_bold_body_size_section() -> None:
    rows = [[_title("No."), _title("Recommendation"), _title("Lead agency"), _title("Timescale")],
            ["1", "Southby Police should record who was present at each call.", "Southby Police", "6 months"],
            ["2", "The council should ask about abuse at each housing assessment.", "Southby Council", "1 year"]]
    blocks = [("h1", "Domestic Homicide Review"), ("pagebreak",), ("h1", "1. Introduction"), ("p", filler(10)),
              ("pagebreak",), ("bold", "Recommendations"), ("p", "The panel makes these recommendations."),
              ("table", rows, [35, 250, 110, 55]), ("bold", "Glossary"), ("p", "IDVA: an adviser.")]
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    assert [r.id for r in report.recommendations] == ["1", "2"]
    assert [r.addressed_to_raw for r in report.recommendations] == ["Southby Police", "Southby Council"]


@pytest.mark.parametrize("heading", ["Appendix B – Home Office Action Plan Template", "Annex 3: Recommendations Action Plan",
                                     "Action plan to implement the recommendations", "Appendix C: DHR Action Plan"])
def test_action_plan_appendix_headings(heading: str) -> None:
    from extractor.clean import clean_document
    from extractor.load import load_document
    from extractor.locate import locate_sections

    plan = [["Recommendation", "Action to take", "Lead agency"],
            ["1. Southby Police should record who was present at each call.", "Brief officers", "Southby Police"]]
    blocks = [("h1", "1. Introduction"), ("p", filler(10)), ("h1", "2. Recommendations"),
              ("item", "2.1", "Southby Police should record who was present at each call."), ("pagebreak",),
              ("h1", heading), ("table", plan, [200, 120, 110])]
    sections = locate_sections(clean_document(load_document(build_pdf(blocks), name="t.pdf")))
    assert [(s.heading, s.kind) for s in sections] == [("2. Recommendations", "main"), (heading, "action_plan")]
