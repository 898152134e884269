"""OCR of scanned tables (extractor.ocr_tables): lines cut at borders, lost labels re-read."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from extractor import hocr, load, ocr_tables
from extractor.models import Line
from extractor.ruling import Rulings, Segment
from tests import pdf_factory

DPI = 300
SCALE = 72.0 / DPI  # points per pixel


def _px(points: float) -> float:
    return points / SCALE


def _line(*words: tuple[str, float, float], top: float = 500, bottom: float = 540) -> hocr.OcrLine:
    """An OCR line in pixels from (word, x0, x1) triples."""
    boxes = [(x0, top, x1, bottom) for _, x0, x1 in words]
    return hocr.OcrLine(bbox=(boxes[0][0], top, boxes[-1][2], bottom), x_size=30, block=1,
                        words=[w for w, _, _ in words], boxes=boxes)


@pytest.fixture
def column_border() -> Rulings:
    """One vertical border at x = 100 pt, from y = 50 to 200 pt (pixels 208–833)."""
    return Rulings((Segment(False, 100.0, 50.0, 200.0),))


def test_a_row_read_across_two_cells_is_cut_at_the_border(column_border: Rulings) -> None:
    line = _line(("presence", 200, 380), ("of", 390, 405), ("|", 412, 420), ("Merseyside", 440, 640),
                 ("Police", 650, 760))
    cut = ocr_tables.cut_at_borders([line], column_border, SCALE)
    assert [c.text for c in cut] == ["presence of", "Merseyside Police"]
    assert cut[0].bbox == (200, 500, 405, 540) and cut[1].bbox == (440, 500, 760, 540)
    assert cut[1].boxes == [(440, 500, 640, 540), (650, 500, 760, 540)]


def test_border_glyphs_stuck_to_words_are_stripped(column_border: Rulings) -> None:
    # no gap word: the border was read as part of "Police|"
    line = _line(("Police|", 300, 420), ("Lead", 440, 520))
    assert [c.text for c in ocr_tables.cut_at_borders([line], column_border, SCALE)] == ["Police", "Lead"]
    header = _line(("No.", 280, 340), ("_|", 380, 436), ("Recommendation", 437, 748))
    assert [c.text for c in ocr_tables.cut_at_borders([header], column_border, SCALE)] == ["No.", "Recommendation"]


def test_lines_the_border_does_not_reach_are_kept_whole(column_border: Rulings) -> None:
    above = _line(("Appendix", 200, 380), ("A:", 390, 440), ("plan", 450, 520), top=60, bottom=100)  # y < 50 pt
    left = _line(("only", 100, 200), ("left", 210, 300))
    kept = ocr_tables.cut_at_borders([above, left], column_border, SCALE)
    assert kept == [above, left]


def test_a_tilted_border_is_followed(column_border: Rulings) -> None:
    # leaning 0.05 (x = 100 + 0.05·y pt in the image), at y = 125 pt the border runs at
    # 106.25 pt = 443 px, past the centre of "next"; upright it would run at 417 px
    tilted = Rulings(column_border.segments, slope=0.0, lean=0.05)
    line = _line(("end", 300, 421), ("next", 425, 455), ("more", 470, 530))
    assert [c.text for c in ocr_tables.cut_at_borders([line], tilted, SCALE)] == ["end next", "more"]
    assert [c.text for c in ocr_tables.cut_at_borders([line], column_border, SCALE)] == ["end", "next more"]


# --------------------------------------------------------------------------- re-reading
def _grid() -> Rulings:
    """A 2-column table in points: a 40 pt "No." column and a 400 pt text column, 3 rows."""
    xs, ys = (50.0, 90.0, 490.0), (100.0, 130.0, 190.0, 250.0)
    return Rulings(tuple([Segment(True, y, xs[0], xs[-1]) for y in ys]
                         + [Segment(False, x, ys[0], ys[-1]) for x in xs]))


def _ink(gray: np.ndarray, x_pt: float, y_pt: float) -> None:
    """A digit-sized blot at a point."""
    x, y = int(_px(x_pt)), int(_px(y_pt))
    gray[y - 15:y + 15, x - 8:x + 8] = 20


def _hocr_for(text: str) -> str:
    return (f"<span class='ocr_line' title='bbox 12 12 40 50; x_size 30'>"
            f"<span class='ocrx_word' title='bbox 12 12 40 50; x_wconf 90'>{text}</span></span>")


@pytest.fixture
def page() -> np.ndarray:
    gray = np.full((int(_px(300)), int(_px(520))), 245, dtype=np.uint8)
    _ink(gray, 70, 160)  # row 2's label: OCR lost it
    _ink(gray, 70, 220)  # row 3's label: OCR garbled it
    return gray


def test_lost_and_garbled_labels_are_read_again_alone(page: np.ndarray) -> None:
    lines = [
        _line(("No.", _px(55), _px(75)), top=_px(105), bottom=_px(120)),
        _line(("Police", _px(100), _px(160)), top=_px(150), bottom=_px(170)),
        _line(("tf", _px(62), _px(78)), top=_px(210), bottom=_px(230)),
        _line(("Health", _px(100), _px(160)), top=_px(210), bottom=_px(230)),
    ]
    reads: list[bytes] = []

    def read(png: bytes) -> str:
        reads.append(png)
        return _hocr_for(str(len(reads) + 1))  # "2", then "3"

    out = ocr_tables.reread_cells(lines, _grid(), page, SCALE, read)
    assert len(reads) == 2  # the header "No." and the text column are not read again
    assert all(png.startswith(b"\x89PNG") for png in reads)
    assert [ln.text for ln in out] == ["No.", "2", "Police", "3", "Health"]
    two = out[1]
    assert _px(50) < two.bbox[0] < _px(90) and _px(130) < two.bbox[1] < _px(190)


def test_an_empty_reading_keeps_what_the_page_read(page: np.ndarray) -> None:
    lines = [_line(("tf", _px(62), _px(78)), top=_px(210), bottom=_px(230))]
    assert ocr_tables.reread_cells(lines, _grid(), page, SCALE, lambda png: None) == lines
    assert ocr_tables.reread_cells(lines, Rulings(()), page, SCALE, lambda png: _hocr_for("9")) == lines


def test_cells_without_ink_are_not_read(page: np.ndarray) -> None:
    blank = np.full_like(page, 245)

    def must_not_read(png: bytes) -> str:
        raise AssertionError("an empty cell was sent to OCR")

    assert ocr_tables.reread_cells([], _grid(), blank, SCALE, must_not_read) == []


def test_hocr_words_keep_their_boxes() -> None:
    lines = hocr.parse_hocr(_hocr_for("7"))
    assert lines[0].words == ["7"] and lines[0].boxes == [(12, 12, 40, 50)]


# --------------------------------------------------------------------------- tables of a scan
_CELLS = (("No.", "Recommendation", "Lead"),
          ("1", "Police should record every child present at an incident.", "Merseyside Police"),
          ("2", "The ICB should audit routine enquiry in GP practices.", "NHS Cheshire and Merseyside"))


def _ruled_table_pdf() -> bytes:
    """One page holding a 3×3 ruled table, one text line per cell."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    xs, ys = (60, 100, 380, 540), (100, 130, 190, 250)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=1)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=1)
    for r, row in enumerate(_CELLS):
        for c, text in enumerate(row):
            page.insert_textbox(pymupdf.Rect(xs[c] + 4, ys[r] + 4, xs[c + 1] - 4, ys[r + 1] - 2), text, fontsize=9)
    return doc.tobytes()


def test_a_scanned_page_gets_its_table_from_the_borders_in_its_image() -> None:
    source = _ruled_table_pdf()
    original = pymupdf.open(stream=source, filetype="pdf")

    def perfect_ocr(page: pymupdf.Page, number: int) -> list[Line]:
        """What OCR reads once its lines are cut at the borders: one line per cell."""
        raw = original[number - 1].get_text("dict")["blocks"]
        return [Line("".join(s["text"] for s in line["spans"]), number, tuple(line["bbox"]))
                for block in raw for line in block.get("lines", ())]

    with load.PdfFile(pdf_factory.scanned_pdf(source), name="scan.pdf") as pdf:
        document = pdf.document(ocr_hook=perfect_ocr)
        assert document.pages[0].ocr
        tables = pdf.tables([1])
    assert len(tables) == 1
    cells = [[" ".join(c.text.split()) if c else None for c in row] for row in tables[0].rows]
    assert cells == [list(row) for row in _CELLS]


def test_a_re_extraction_reads_the_borders_from_the_ocr_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Borders found while OCR'ing are cached with the lines: re-reading a scanned table
    from the cache neither runs OCR nor renders the page to look for them again."""
    from extractor.ocr_cache import OcrCache, OcrPage
    from extractor.raster import find_rulings

    source = _ruled_table_pdf()
    original = pymupdf.open(stream=source, filetype="pdf")
    scanned = pdf_factory.scanned_pdf(source)

    def ocr_with_borders(page: pymupdf.Page, number: int) -> OcrPage:
        pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
        raw = original[number - 1].get_text("dict")["blocks"]
        lines = tuple(Line("".join(s["text"] for s in line["spans"]), number, tuple(line["bbox"]))
                      for block in raw for line in block.get("lines", ()))
        return OcrPage(lines, find_rulings(ocr_tables.image_of(pix.samples_mv, pix.width, pix.height, pix.n), DPI))

    def must_not_run(*args: object) -> None:
        raise AssertionError("OCR'd or rendered again")

    cache = OcrCache(tmp_path / "ocr", "setup-1")
    monkeypatch.setattr(load.PdfFile, "_find_rulings", must_not_run)
    for hook in (ocr_with_borders, must_not_run):  # the second run is served by the cache
        with load.PdfFile(scanned, name="scan.pdf") as pdf:
            pdf.document(ocr_hook=hook, ocr_cache=cache)
            [table] = pdf.tables([1])
        assert [" ".join(c.text.split()) for c in table.rows[1]] == list(_CELLS[1])


def test_only_id_columns_are_read_again() -> None:
    # (cell box, OCR'd lines inside, their text) for two narrow columns of one table
    ids = [([0, y, 40, y + 20], [], text) for y, text in ((0, "No."), (20, "1"), (40, "tf"), (60, "3"))]
    words = [([40, y, 80, y + 20], [], text) for y, text in ((0, "RAG"), (20, "Red"), (40, "Amb"), (60, "Grn"))]
    assert ocr_tables._id_columns(ids + words) == {(0, 40)}
