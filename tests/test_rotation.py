"""Pages stored turned, shown upright by ``/Rotate``: read as they are displayed.

Landscape action plans are often stored as portrait pages with ``/Rotate 90``; MuPDF
reports their text and drawings in the stored (unrotated) frame, where lines run
bottom to top and table columns are rows. These tests turn every page of a generated
report by 90 and 270 degrees and expect exactly the rows of the upright original.
"""

from __future__ import annotations

import pymupdf
import pytest
from pdfbuilder import build_pdf, filler

import extractor
from extractor.load import PdfFile
from extractor.ruling import Segment, transform_segments

ROWS = [
    ["No.", "Recommendation", "Lead agency", "Target date"],
    ["1", "Northshire Police should share risk information with the MARAC coordinator within one working day.",
     "Northshire Police", "March 2025"],
    ["2", "The council should make sure that housing officers can refer directly to specialist services.",
     "Northshire County Council", "June 2025"],
    ["3", "GP practices should complete routine enquiry training on domestic abuse.", "Northshire ICB", "2025"],
]
BLOCKS = [("h1", "Domestic Homicide Review"), ("p", "Report into the death of 'Adult M'."), ("pagebreak",),
          ("h1", "1. Introduction"), ("p", filler(10)), ("h1", "2. Recommendations"),
          ("table", ROWS, [40, 230, 110, 70]), ("h1", "3. Glossary"), ("p", filler(3))]


def stored_turned(source: bytes, rotation: int, *, shown_upright: bool = True) -> bytes:
    """The same pages, each stored turned and (by default) shown upright again by
    ``/Rotate``; without it, the content stays turned on the page, as some PDF
    printers put a landscape page on a portrait one."""
    src = pymupdf.open(stream=source, filetype="pdf")
    out = pymupdf.open()
    for i, page in enumerate(src):
        target = out.new_page(width=page.rect.height, height=page.rect.width)
        target.show_pdf_page(target.rect, src, i, rotate=rotation)
        if shown_upright:
            target.set_rotation(rotation)
    return out.tobytes(garbage=3, deflate=True)


def rows(report: extractor.Report) -> list[tuple[object, ...]]:
    return [(r.id, r.text, r.addressed_to_raw, r.page, tuple(round(v, 2) for v in r.bbox or ()))
            for r in report.recommendations]


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_pages_give_the_rows_of_the_upright_report(rotation: int) -> None:
    upright = build_pdf(BLOCKS)
    turned = stored_turned(upright, rotation)
    doc = pymupdf.open(stream=turned, filetype="pdf")
    assert {p.rotation for p in doc} == {rotation}
    assert doc[0].rect.width < doc[0].rect.height  # displayed upright (portrait)
    expected = extractor.extract(upright, name="t.pdf")
    got = extractor.extract(turned, name="t.pdf")
    assert got.error is None
    assert [r.id for r in expected.recommendations] == ["1", "2", "3"]
    assert [r.addressed_to_raw for r in expected.recommendations] == [
        "Northshire Police", "Northshire County Council", "Northshire ICB"]
    assert rows(got) == rows(expected)  # boxes too: the displayed frame is the upright one


@pytest.mark.parametrize("rotation", [90, 270])
def test_content_turned_on_an_unrotated_page_is_read_upright(rotation: int) -> None:
    """No /Rotate, the text itself runs down (or up) the page: the page is turned
    upright before it is read, so the rows are those of the upright report."""
    upright = build_pdf(BLOCKS)
    turned = stored_turned(upright, rotation, shown_upright=False)
    doc = pymupdf.open(stream=turned, filetype="pdf")
    assert {p.rotation for p in doc} == {0}
    assert doc[1].get_text("dict")["blocks"][0]["lines"][0]["dir"][0] == pytest.approx(0, abs=1e-6)
    expected = extractor.extract(upright, name="t.pdf")
    got = extractor.extract(turned, name="t.pdf")
    assert got.error is None and len(expected.recommendations) == 3
    assert rows(got) == rows(expected)


def test_rotated_page_lines_run_left_to_right_in_the_displayed_frame() -> None:
    turned = stored_turned(build_pdf(BLOCKS), 90)
    with PdfFile(turned, name="t.pdf") as pdf:
        page = pdf.document().pages[1]
        tables = pdf.tables([2])
    assert page.width < page.height
    heading = next(line for line in page.lines if line.text.strip() == "2. Recommendations")
    x0, y0, x1, y1 = heading.bbox
    assert x1 - x0 > 3 * (y1 - y0)  # wide and low, not tall and thin
    assert len(tables) == 1 and len(tables[0].rows) == 4


def test_transform_segments_turns_borders_with_the_page() -> None:
    # /Rotate 90 of a 100 x 200 stored page: (x, y) -> (200 - y, x)
    matrix = (0.0, 1.0, -1.0, 0.0, 200.0, 0.0)
    out = transform_segments([Segment(True, 10.0, 20.0, 80.0), Segment(False, 30.0, 50.0, 150.0)], matrix)
    assert out == [Segment(False, 190.0, 20.0, 80.0), Segment(True, 30.0, 50.0, 150.0)]
