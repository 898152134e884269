"""Scans fed in sideways or upside down are turned upright before OCR (``orient``).

The pages of a generated report are rendered, turned by 90, 180 or 270 degrees and
stored as image-only pages of the turned size: what a scanner gives for paper fed the
wrong way round. Each must yield the same recommendations as the upright scan.
"""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest
from pdf_factory import RECOMMENDATIONS, report_pdf

import extractor
from extractor import ocr, orient
from extractor.load import PdfFile
from extractor.ocr_cache import OcrCache, OcrPage

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract not installed")


def turned_scan(source: bytes, turn: int, *, dpi: int = 200) -> bytes:
    """Image-only pages, each turned ``turn`` degrees counter-clockwise (so that OSD
    says to turn it ``turn`` degrees clockwise to stand upright)."""
    src = pymupdf.open(stream=source, filetype="pdf")
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
        image = np.ascontiguousarray(np.rot90(gray, turn // 90))
        stored = pymupdf.Pixmap(pymupdf.csGRAY, image.shape[1], image.shape[0], image.tobytes(), False)
        width, height = (page.rect.height, page.rect.width) if turn in (90, 270) else (page.rect.width, page.rect.height)
        target = out.new_page(width=width, height=height)
        target.insert_image(target.rect, stream=stored.tobytes("jpeg", jpg_quality=75))
    return out.tobytes(garbage=3, deflate=True)


def texts(report: extractor.Report) -> list[tuple[str | None, str]]:
    return [(r.id, r.text) for r in report.recommendations]


@needs_tesseract
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_scan_reads_like_the_upright_one(turn: int) -> None:
    report = extractor.extract(turned_scan(report_pdf(), turn), name="turned.pdf")
    assert report.error is None
    assert [r.id for r in report.recommendations] == ["4.1", "4.2", "4.3", "4.4"]
    assert [r.text for r in report.recommendations] == RECOMMENDATIONS
    assert all(r.ocr for r in report.recommendations)


@needs_tesseract
def test_turned_page_is_sized_and_cached_upright(tmp_path) -> None:
    data = turned_scan(report_pdf(), 90)
    cache = OcrCache(tmp_path, "setup")
    with PdfFile(data, name="t.pdf") as pdf:
        document = pdf.document(ocr_hook=ocr.ocr_page_if_available, ocr_cache=cache)
    page = document.pages[3]
    assert page.ocr and page.width < page.height  # stored landscape, read portrait
    assert all(line.bbox[2] <= page.width + 1 and line.bbox[3] <= page.height + 1 for line in page.lines)
    stored = cache.get(document.sha256, 4)
    assert stored is not None and stored.rotation == 90
    with PdfFile(data, name="t.pdf") as pdf:  # from the cache: the same page, no OCR
        again = pdf.document(ocr_hook=_no_ocr, ocr_cache=cache)
    assert again.pages[3] == page


def _no_ocr(page: pymupdf.Page, number: int) -> OcrPage | None:
    raise AssertionError("the page should come from the cache")


@needs_tesseract
def test_upright_scan_is_not_turned_and_asks_no_osd(monkeypatch) -> None:
    calls: list[int] = []
    real = orient.detect

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ocr, "detect", counting)
    data = turned_scan(report_pdf(), 0)
    with PdfFile(data, name="t.pdf") as pdf:
        document = pdf.document(ocr_hook=ocr.ocr_page_if_available)
    # only the cover and the contents page, whose few words are not prose, ask OSD;
    # OSD leaves them as they are
    assert len(calls) <= 2
    assert all(p.width < p.height for p in document.pages)
    assert "Recommendations" in " ".join(line.text for line in document.pages[3].lines)


def test_projection_tells_sideways_text_from_upright() -> None:
    pix = pymupdf.open(stream=report_pdf(), filetype="pdf")[3].get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    assert not orient.lines_run_down(gray)
    assert orient.lines_run_down(np.rot90(gray))
    assert not orient.lines_run_down(np.full((50, 50), 255, dtype=np.uint8))  # blank


def test_reads_as_text() -> None:
    word = "<span class='ocrx_word' id='w' title='bbox 0 0 1 1; x_wconf 90'>{}</span>"
    prose = "".join(word.format(w) for w in "The police should review the risk and share it".split())
    junk = "".join(word.format(w) for w in "ʍǝᴉʌǝɹ ǝɥʇ pꞁnoɥs ǝɔᴉꞁod ǝɥ⊥ 'sɐ ɹoɟ".split())
    assert orient.reads_as_text(prose)
    assert not orient.reads_as_text(junk)


def test_orientation_applies_only_when_sure() -> None:
    assert orient.Orientation(180, 20.0).applies
    assert not orient.Orientation(180, 1.0).applies
    assert not orient.Orientation(0, 30.0).applies
