"""Layouts found by the fourth probe round (whole Word-made reports): each test builds a
small PDF at test time with its own wording and pins one structure the extractor got
wrong before.
"""

from __future__ import annotations

from pdfbuilder import build_pdf, filler

import extractor

INTRO = [
    ("h1", "Domestic Homicide Review"),
    ("p", "Report into the death of 'Adult M'. Eastmoor Community Safety Partnership."),
    ("pagebreak",),
    ("h1", "1. Introduction"),
    ("item", "1.1", filler(4)),
    ("item", "1.2", filler(4)),
]


def run(source: bytes):
    report = extractor.extract(source, name="probe.pdf", settings={"ocr": "never"})
    assert report.error is None, report.error
    return report


def ids(report) -> list[str | None]:
    return [r.id for r in report.recommendations]


def test_letter_prefixed_ids_name_their_list():
    """'OR1' (overview) and 'SA2.1' (single agency) ids, and 'R1.1' under themes."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("h2", "Overview recommendations"),
        ("item", "OR1", "The partnership should publish a plain-language guide to its domestic abuse services."),
        ("item", "OR2", "The partnership should ask every member to confirm its staff policy covers disclosure at work."),
        ("h2", "Single agency recommendations"),
        ("bold", "Eastmoor Police"),
        ("item", "SA1.1", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("bold", "Eastmoor County Council"),
        ("item", "SA2.1", "Eastmoor County Council should share violence histories with housing providers at allocation."),
        ("item", "SA2.2", "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."),
        ("h2", "Themes"),
        ("item", "R1.1", "The trust should document a discussion of risk to others before every discharge."),
        ("item", "DHR 3", "The Home Office should consider guidance on reviews of abuse by adult children."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["OR1", "OR2", "SA1.1", "SA2.1", "SA2.2", "R1.1", "DHR 3"]
    texts = [r.text for r in report.recommendations]
    assert texts[0].startswith("The partnership should publish")
    assert texts[5].startswith("The trust should document")  # not "1 The trust …"
    assert report.recommendations[2].addressed_to_raw == "Eastmoor Police"
