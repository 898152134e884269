"""Table layouts: action-plan shape, theme rows, merged cells, rows split over pages."""

from __future__ import annotations

from pdfbuilder import build_pdf, filler

import extractor

INTRO = [("h1", "Domestic Homicide Review"), ("p", "Report into the death of 'Adult M'."), ("pagebreak",), ("h1", "1. Introduction"), ("p", filler(10))]


def run(blocks):
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    assert report.error is None
    return report


def test_action_plan_shape_with_theme_rows_and_merged_agency():
    header = ["Recommendation", "Scope", "Action to take", "Lead agency", "Target date"]
    rows = [
        header,
        ["Theme 1 – Information sharing – county wide", None, None, None, None],
        ["1. Agencies should share risk information with the MARAC coordinator within one working day.", "Local", "Issue a briefing", "Northshire Police", "March 2025"],
        ["2. The Police should check bail conditions before releasing a suspect in a domestic abuse case.", "Local", "Update the policy", "", "June 2025"],
        ["Theme 2 – Training", None, None, None, None],
        ["3. GP practices should complete routine enquiry training.", "Regional", "Commission training", "Northshire ICB", "2025"],
    ]
    spans = [("SPAN", (0, 1), (-1, 1)), ("SPAN", (0, 4), (-1, 4)), ("SPAN", (3, 2), (3, 3))]
    blocks = INTRO + [("h1", "2. Recommendations"), ("table", rows, [150, 50, 90, 80, 60], spans), ("h1", "3. Glossary")]
    report = run(blocks)
    assert [r.id for r in report.recommendations] == ["1", "2", "3"]
    assert [r.addressed_to_raw for r in report.recommendations] == ["Northshire Police", "Northshire Police", "Northshire ICB"]
    assert report.recommendations[1].text.startswith("The Police should check bail")


def test_rows_split_over_a_page_keep_one_row():
    long = "Agencies should review the way in which they record contact with families where abuse is suspected. " * 9
    rows = [["No.", "Recommendation", "Lead"], ["1", "The hospital should audit its triage notes.", "Northshire Hospital Trust"], ["2", long.strip(), "Northshire County Council"], ["3", "The council should publish the review.", "Northshire County Council"]]
    blocks = INTRO + [("p", filler(25)), ("h1", "2. Recommendations"), ("table", rows, [40, 300, 110]), ("h1", "3. Glossary")]
    report = run(blocks)
    assert [r.id for r in report.recommendations] == ["1", "2", "3"]
    assert report.recommendations[1].text == long.strip()


def test_label_title_lines_and_trailing_metadata_lines():
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("bold", "Recommendation 1"),
        ("p", "Northshire Police should review how it responds to reports of stalking."),
        ("p", "Lead agency: Northshire Police"),
        ("p", "Timescale: six months"),
        ("bold", "Recommendation 2"),
        ("p", "The council should make sure that housing officers can refer directly to specialist services:"),
        ("bullet", "by phone;"),
        ("bullet", "by a secure e-mail address."),
        ("p", "Target date: March 2025"),
        ("h1", "3. Glossary"),
    ]
    report = run(blocks)
    recs = report.recommendations
    assert [r.id for r in recs] == ["Recommendation 1", "Recommendation 2"]
    assert recs[0].text == "Northshire Police should review how it responds to reports of stalking."
    assert recs[0].addressed_to_raw == "Northshire Police"
    assert recs[1].text == "The council should make sure that housing officers can refer directly to specialist services: by phone; by a secure e-mail address."
