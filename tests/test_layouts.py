"""End-to-end extraction over small generated reports, one per layout in the catalogue.

Each test builds a PDF with ``pdfbuilder`` (text written for these tests), runs the
full pipeline and checks ids, texts and addressees. Together they pin the numbering
schemes, layouts and traps listed in ../shared/layouts/README.md.
"""

from __future__ import annotations

import pytest
from pdfbuilder import build_pdf, filler

import extractor

INTRO = [
    ("h1", "Domestic Homicide Review"),
    ("p", "Report into the death of 'Adult K'. Northshire Community Safety Partnership."),
    ("pagebreak",),
]


def run(blocks):
    report = extractor.extract(build_pdf(blocks), name="test.pdf")
    assert report.error is None, report.error
    return report


def ids(report):
    return [r.id for r in report.recommendations]


def chapter(n: int, title: str, paragraphs: int = 2):
    out = [("h1", f"{n}. {title}")]
    for i in range(1, paragraphs + 1):
        out.append(("item", f"{n}.{i}", filler(5)))
    return out


def test_decimal_numbered_paragraphs_with_contents_trap():
    blocks = INTRO + [
        ("h1", "Contents"),
        ("toc", [("1. Introduction", 3), ("2. Analysis", 4), ("3. Recommendations", 5), ("4. Glossary", 6)]),
        ("pagebreak",),
        *chapter(1, "Introduction"),
        *chapter(2, "Analysis", 3),
        ("h1", "3. Recommendations"),
        ("item", "3.1", "Northshire Police should review how repeat callers are flagged on its command and control system."),
        ("item", "3.2", "The Integrated Care Board should remind GP practices of the routine enquiry guidance."),
        ("item", "3.3", "Northshire County Council to audit the use of the risk checklist by housing officers."),
        ("h1", "4. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(blocks)
    assert ids(report) == ["3.1", "3.2", "3.3"]
    assert report.sections[0].start_page > 2  # not the contents page
    assert report.recommendations[0].addressed_to_raw == "Northshire Police"
    assert report.recommendations[1].addressed_to_raw == "Integrated Care Board"
    assert report.recommendations[2].addressed_to_raw == "Northshire County Council"
    assert report.recommendations[2].text.startswith("Northshire County Council to audit")


def test_agency_grouped_plain_integers_repeat_ids():
    blocks = INTRO + [
        *chapter(1, "Introduction"),
        ("h1", "2. Recommendations"),
        ("h2", "Single agency recommendations"),
        ("bold", "Northshire Police"),
        ("item", "1.", "Refresh training on coercive control for response officers."),
        ("item", "2.", "Ensure that risk assessments are reviewed by a supervisor within 24 hours."),
        ("bold", "Northshire and District NHS Foundation Trust"),
        ("item", "1.", "Embed routine enquiry about domestic abuse in the emergency department."),
        ("h2", "Panel recommendations"),
        ("item", "1.", "That the Community Safety Partnership publishes a guide for families."),
        ("h1", "3. Glossary"),
    ]
    report = run(blocks)
    assert ids(report) == ["1", "2", "1", "1"]
    raw = [r.addressed_to_raw for r in report.recommendations]
    assert raw == [
        "Northshire Police",
        "Northshire Police",
        "Northshire and District NHS Foundation Trust",
        "Community Safety Partnership",
    ]


def test_table_layout_with_merged_agency_and_page_break():
    long_text = "Review the referral pathway between the emergency department and specialist services. " * 6
    rows = [["No.", "Recommendation", "Addressed to"]]
    for n in range(1, 9):
        agency = "Northshire Police" if n <= 4 else ("Probation Service" if n == 5 else "")
        rows.append([str(n), f"Recommendation text number {n}. {long_text}", agency])
    blocks = INTRO + [*chapter(1, "Introduction", 3), ("h1", "2. Recommendations"), ("table", rows, [40, 300, 110]), ("h1", "3. Glossary")]
    report = run(blocks)
    assert ids(report) == [str(n) for n in range(1, 9)]
    agencies = [r.addressed_to_raw for r in report.recommendations]
    assert agencies[:5] == ["Northshire Police"] * 4 + ["Probation Service"]
    assert all(r.text.startswith(f"Recommendation text number {r.id}.") for r in report.recommendations)
    assert len({r.page for r in report.recommendations}) > 1


def test_recommendation_label_lines_with_sub_bullets():
    blocks = INTRO + [
        *chapter(1, "Introduction"),
        ("h1", "Recommendations"),
        ("bold", "Recommendation 1"),
        ("p", "Incident logs should be completed in full, so that they show:"),
        ("bullet", "what happened at the scene;"),
        ("bullet", "what the attending officers knew."),
        ("bold", "Recommendation 2"),
        ("p", "That every domestic abuse incident is offered a referral to a specialist service."),
        ("h1", "Appendix A: Terms of reference"),
        ("p", filler(3)),
    ]
    report = run(blocks)
    assert ids(report) == ["Recommendation 1", "Recommendation 2"]
    first = report.recommendations[0].text
    assert first == "Incident logs should be completed in full, so that they show: what happened at the scene; what the attending officers knew."


@pytest.mark.parametrize(
    "markers,expected",
    [
        (["R1", "R2", "R3"], ["R1", "R2", "R3"]),
        (["(1)", "(2)", "(3)"], ["(1)", "(2)", "(3)"]),
        (["21.10.1", "21.10.2", "21.10.3"], ["21.10.1", "21.10.2", "21.10.3"]),
        (["10.1.1.1", "10.1.1.2", "10.1.1.3"], ["10.1.1.1", "10.1.1.2", "10.1.1.3"]),
        (["10.2a", "10.2b", "10.2c"], ["10.2a", "10.2b", "10.2c"]),
        (["2a", "2b", "3"], ["2a", "2b", "3"]),
        (["7.2.1(a)", "7.2.1(b)", "7.2.2"], ["7.2.1(a)", "7.2.1(b)", "7.2.2"]),
    ],
)
def test_numbering_schemes(markers, expected):
    texts = [
        "Northshire Police should review its guidance on stalking.",
        "The Probation Service should share licence conditions with the MARAC.",
        "The Home Office should consider issuing statutory guidance on this point.",
    ]
    blocks = INTRO + [*chapter(1, "Introduction"), ("h1", "Recommendations")]
    blocks += [("item", m, t) for m, t in zip(markers, texts)]
    blocks += [("h1", "Glossary"), ("p", "MARAC Multi-Agency Risk Assessment Conference")]
    report = run(blocks)
    assert ids(report) == expected
    assert [r.text for r in report.recommendations] == texts


def test_unnumbered_bullets_starting_with_agency():
    blocks = INTRO + [
        *chapter(1, "Introduction"),
        ("h1", "Recommendations"),
        ("p", "The review makes the following recommendations:"),
        ("bullet", "Northshire Police ensure all staff know how to check licence conditions."),
        ("bullet", "The Probation Service and Northshire Police ensure warrants are sought promptly."),
        ("bullet", "That the Home Office considers guidance on bail decisions."),
        ("h1", "Glossary"),
    ]
    report = run(blocks)
    assert ids(report) == [None, None, None]
    assert [r.addressed_to_raw for r in report.recommendations] == [
        "Northshire Police",
        "Probation Service and Northshire Police",
        "Home Office",
    ]


def test_repeated_list_in_executive_summary_reported_once():
    main_texts = [
        "Northshire Police should review how repeat callers are flagged on its systems.",
        "The Integrated Care Board should remind GP practices of the routine enquiry guidance.",
    ]
    blocks = INTRO + [
        ("h1", "Executive Summary"),
        ("p", filler(4)),
        ("h2", "Recommendations"),
        ("item", "1.", "Northshire Police should review how repeat callers are flagged."),
        ("item", "2.", main_texts[1]),
        ("pagebreak",),
        *chapter(1, "Introduction"),
        ("h1", "2. Recommendations"),
        ("item", "2.1", main_texts[0]),
        ("item", "2.2", main_texts[1]),
        ("h1", "Appendix B: Action Plan"),
        ("table", [["Recommendation", "Action to take", "Lead agency"], [main_texts[0], "Audit", "Northshire Police"], [main_texts[1], "Letter", "ICB"]], None),
    ]
    report = run(blocks)
    assert ids(report) == ["2.1", "2.2"]
    assert [r.text for r in report.recommendations] == main_texts


def test_no_recommendations_is_a_warning_not_an_error():
    blocks = INTRO + [*chapter(1, "Introduction", 3), *chapter(2, "Key findings", 3)]
    report = run(blocks)
    assert report.recommendations == []
    assert report.warnings == ["no recommendations section found"]


def test_quoted_internal_review_recommendations_are_skipped():
    blocks = INTRO + [
        *chapter(1, "Introduction"),
        ("h1", "2. Implementation of recommendations from the trust internal review"),
        ("bold", "Recommendation 1"),
        ("p", "The trust develops guidance on discharge after missed appointments."),
        ("h1", "3. Recommendations"),
        ("item", "3.1", "The trust should audit its discharge letters to GP practices."),
        ("h1", "4. Glossary"),
    ]
    report = run(blocks)
    assert ids(report) == ["3.1"]


def test_unmarked_paragraphs_each_become_a_recommendation():
    blocks = INTRO + [
        *chapter(1, "Introduction"),
        ("h1", "Recommendations"),
        ("p", "The panel makes the following recommendations:"),
        ("p", "Northshire Police ensure that all staff know how to check licence conditions on the national computer."),
        ("p", "The Probation Service ensures that recall is considered promptly when a person on licence is arrested."),
        ("p", "Northshire County Council reviews its housing allocation policy for victims of domestic abuse."),
        ("h1", "Glossary"),
    ]
    report = run(blocks)
    assert ids(report) == [None, None, None]
    assert [r.addressed_to_raw for r in report.recommendations] == ["Northshire Police", "Probation Service", "Northshire County Council"]
