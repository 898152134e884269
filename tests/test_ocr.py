"""OCR of pages without a text layer (extractor.ocr), with and without Tesseract."""

from __future__ import annotations

import logging

import pymupdf
import pytest
from rapidfuzz import fuzz

from extractor import load, ocr
from extractor.errors import NoTextLayer
from extractor.ocr_cache import OcrPage
from extractor.ruling import Rulings
from tests import pdf_factory

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason=ocr.INSTALL_HINT)

HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><body><div class='ocr_page' id='page_1' title='image "x"; bbox 0 0 1700 2200; ppageno 0'>
 <div class='ocr_carea' id='block_1_1' title="bbox 300 200 1400 320">
  <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 300 200 1400 320">
   <span class='ocr_line' id='line_1_1' title="bbox 300 200 1400 260; baseline 0 -2; x_size 60; x_descenders 12; x_ascenders 14">
    <span class='ocrx_word' id='word_1_1' title='bbox 300 200 600 260; x_wconf 96'>9.</span>
    <span class='ocrx_word' id='word_1_2' title='bbox 640 200 1400 260; x_wconf 95'><strong>Recommendations</strong></span>
   </span>
  </p>
 </div>
 <div class='ocr_carea' id='block_1_2' title="bbox 300 400 1600 520">
  <p class='ocr_par' id='par_1_2' lang='eng' title="bbox 300 400 1600 520">
   <span class='ocr_line' id='line_1_2' title="bbox 300 400 1600 440; baseline 0 -9; x_size 44; x_descenders 10; x_ascenders 8">
    <span class='ocrx_word' id='word_1_3' title='bbox 300 400 380 440; x_wconf 93'>9.1</span>
    <span class='ocrx_word' id='word_1_4' title='bbox 400 400 560 440; x_wconf 91'>Police &amp; partners</span>
    <span class='ocrx_word' id='word_1_5' title='bbox 580 400 590 410; x_wconf 5'>~</span>
   </span>
   <span class='ocr_line' id='line_1_3' title="bbox 300 460 1600 500; x_size 44">
    <span class='ocrx_word' id='word_1_6' title='bbox 300 460 310 470; x_wconf 3'>.</span>
   </span>
  </p>
 </div>
</div></body></html>"""


def test_parse_hocr_keeps_lines_words_sizes_and_blocks() -> None:
    lines = ocr.parse_hocr(HOCR)
    assert [line.text for line in lines] == ["9. Recommendations", "9.1 Police & partners"]
    assert lines[0].bbox == (300, 200, 1400, 260)
    assert lines[0].x_size == 60
    assert lines[0].baseline == -2
    assert [line.block for line in lines] == [0, 1]


def test_parse_hocr_of_garbage_is_empty() -> None:
    assert ocr.parse_hocr("<html><span class='ocr_line' title='bbox 1 2'>x</span>") == []
    assert ocr.parse_hocr("not html at all <<<") == []


@pytest.mark.parametrize(
    ("width", "height", "expected_max"),
    [(595, 842, 300), (14400, 14400, 24), (2000, 3000, 164)],
)
def test_choose_dpi_caps_pixels(width: float, height: float, expected_max: int) -> None:
    dpi = ocr.choose_dpi(width, height)
    assert dpi <= expected_max
    assert (width / 72 * dpi) * (height / 72 * dpi) <= ocr.MAX_PIXELS * 1.01


def test_missing_tesseract_gives_install_hint(monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: None)
    assert not ocr.tesseract_available()
    reason = ocr.unavailable_reason()
    assert reason and "apt-get install tesseract-ocr tesseract-ocr-eng" in reason
    page = pymupdf.open(stream=pdf_factory.raw_pdf(1), filetype="pdf")[0]
    with caplog.at_level(logging.WARNING):
        assert ocr.ocr_page(page, 1) is None
    assert "apt-get install tesseract-ocr" in caplog.text


def test_failing_tesseract_returns_none(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'Error: broken install' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: str(fake))
    page = pymupdf.open(stream=pdf_factory.raw_pdf(1), filetype="pdf")[0]
    assert ocr.ocr_page(page, 1) is None


def test_hanging_tesseract_is_killed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: str(fake))
    page = pymupdf.open(stream=pdf_factory.raw_pdf(1), filetype="pdf")[0]
    assert ocr.ocr_page(page, 1, timeout=1.0) is None


@needs_tesseract
def test_ocr_recovers_text_positions_sizes_and_bold() -> None:
    original = pdf_factory.report_pdf()
    scanned = pdf_factory.scanned_pdf(original, dpi=200)
    src_page = pymupdf.open(stream=original, filetype="pdf")[3]
    truth = load.page_lines(src_page, 4)
    read = ocr.ocr_page(pymupdf.open(stream=scanned, filetype="pdf")[3], 4)
    assert read is not None and read.lines and read.rulings == Rulings((), read.rulings.slope, read.rulings.lean)
    got = read.lines
    assert all(line.page == 4 and line.font == "ocr" for line in got)
    for expected in truth:
        best = max(got, key=lambda line: fuzz.ratio(line.text, expected.text))
        assert fuzz.ratio(best.text, expected.text) >= 90, (expected.text, best.text)
        assert all(abs(a - b) < 4 for a, b in zip(best.bbox, expected.bbox, strict=True)), (
            expected.text, best.bbox, expected.bbox)
        assert best.size == pytest.approx(expected.size, rel=0.2)
        assert best.bold == expected.bold, expected.text


@needs_tesseract
def test_loader_uses_hook_only_for_pages_without_text() -> None:
    original = pymupdf.open(stream=pdf_factory.report_pdf(), filetype="pdf")
    scanned = pymupdf.open(stream=pdf_factory.scanned_pdf(pdf_factory.report_pdf()), filetype="pdf")
    original.insert_pdf(scanned, from_page=3, to_page=3)  # page 6: a scan of page 4
    document = load.load_document(original.tobytes(), name="mixed.pdf", ocr_hook=ocr.ocr_page)
    assert [p.ocr for p in document.pages] == [False] * 5 + [True]
    text = " ".join(line.text for line in document.pages[5].lines)
    assert "4. Recommendations" in text
    assert "Metropolitan Police Service" in text


def test_scan_without_hook_is_no_text() -> None:
    scanned = pdf_factory.scanned_pdf(pdf_factory.report_pdf())
    with pytest.raises(NoTextLayer):
        load.load_document(scanned, name="scan.pdf", ocr_hook=None)


def test_blank_page_skips_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: "/nonexistent/tesseract")

    def must_not_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("tesseract was run on a blank page")

    monkeypatch.setattr(ocr, "run_tesseract", must_not_run)
    doc = pymupdf.open()
    assert ocr.ocr_page(doc.new_page(), 1) == OcrPage((), Rulings(()))


def _ocr_line(text: str, bbox: tuple[float, float, float, float], block: int = 0) -> ocr.OcrLine:
    return ocr.OcrLine(bbox=bbox, x_size=40, block=block, words=text.split())


def test_paragraph_numbers_read_as_their_own_block_are_joined_back() -> None:
    lines = [
        _ocr_line("9.1a", (140, 400, 230, 440), block=1),
        _ocr_line("9.1b", (140, 520, 230, 560), block=1),
        _ocr_line("There is a need to train staff", (330, 398, 1500, 442), block=2),
        _ocr_line("in every team.", (330, 450, 700, 490), block=2),
        _ocr_line("Agencies should audit records", (330, 518, 1500, 562), block=2),
        _ocr_line("Page 19", (800, 2000, 900, 2040), block=3),
    ]
    joined = ocr.join_row_fragments(lines)
    assert [line.text for line in joined] == [
        "9.1a There is a need to train staff", "in every team.",
        "9.1b Agencies should audit records", "Page 19",
    ]
    assert joined[0].bbox == (140, 398, 1500, 442)


def test_long_text_in_a_second_column_is_not_joined() -> None:
    lines = [_ocr_line("The left column holds a full sentence", (100, 400, 900, 440)),
             _ocr_line("and so does the right one", (1000, 400, 1600, 440))]
    assert [line.text for line in ocr.join_row_fragments(lines)] == [line.text for line in lines]


@pytest.mark.parametrize(("raw", "clean"), [("10.2a_", "10.2a"), ("|Police", "Police"),
                                            ("9.1c¢", "9.1c"), ("__", "__"), ("e-mail", "e-mail")])
def test_noise_glyphs_are_stripped_from_words(raw: str, clean: str) -> None:
    assert ocr.clean_word(raw) == clean
