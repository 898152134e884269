"""Stage 1, load: good PDFs become lines with style; bad inputs get a named error."""

from __future__ import annotations

import pymupdf
import pytest
from pdfbuilder import build_pdf

from extractor import errors
from extractor.load import load_document, sniff
from extractor.settings import Settings


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_pdf([("h1", "1. Introduction"), ("p", "The review was commissioned by the partnership. " * 20)])


def test_load_document_lines_carry_style_and_page(pdf_bytes):
    doc = load_document(pdf_bytes, name="x.pdf")
    assert doc.page_count == 1
    heading = next(ln for ln in doc.lines() if ln.text == "1. Introduction")
    assert heading.bold and heading.size == 16.0 and heading.page == 1
    body = next(ln for ln in doc.lines() if ln.text.startswith("The review"))
    assert not body.bold and body.size == 10.5
    assert len(doc.sha256) == 64


@pytest.mark.parametrize(
    "data,kind,needle",
    [
        (b"Meeting notes\nnothing to see\n" * 5, "not_a_pdf", "text file"),
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "not_a_pdf", "HTML page"),
        (b"", "empty", "0 bytes"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not_a_pdf", "image"),
    ],
)
def test_sniff_names_what_the_bytes_are(data, kind, needle):
    with pytest.raises(errors.InputError) as info:
        load_document(data, name="bad.pdf")
    assert info.value.kind == kind
    assert needle in str(info.value)
    assert str(info.value).startswith("bad.pdf: ")


def test_truncated_pdf_is_corrupt(pdf_bytes):
    with pytest.raises(errors.CorruptPDF, match="truncated|corrupt"):
        load_document(pdf_bytes[: len(pdf_bytes) // 2], name="half.pdf")


def test_encrypted_pdf_needs_password(pdf_bytes):
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    locked = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(errors.EncryptedPDF):
        load_document(locked, name="locked.pdf")


def test_empty_user_password_opens(pdf_bytes):
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    locked = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="", owner_pw="owner")
    assert load_document(locked, name="perm.pdf").page_count == 1


def test_image_only_pdf_has_no_text_layer():
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 60), False)
    pix.clear_with(200)
    page.insert_image(page.rect, pixmap=pix)
    with pytest.raises(errors.NoTextLayer):
        load_document(doc.tobytes(), name="scan.pdf", settings=Settings(ocr="never"))


def test_missing_and_too_large(tmp_path, pdf_bytes):
    with pytest.raises(errors.FileMissing):
        load_document(tmp_path / "nope.pdf", name="nope.pdf")
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_bytes)
    with pytest.raises(errors.TooLarge):
        load_document(path, name="big.pdf", settings=Settings(max_bytes=100))


def test_sniff_accepts_pdf_header_after_junk():
    sniff(b"\n\n%PDF-1.7\n...", "x.pdf")


def test_footnote_superscripts_are_dropped():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_htmlbox(pymupdf.Rect(50, 50, 500, 200), "<p>Agencies should share records.<sup>12</sup> More text follows here.</p>")
    loaded = load_document(doc.tobytes(), name="fn.pdf")
    text = " ".join(ln.text for ln in loaded.lines())
    assert "12" not in text and "Agencies should share records." in text


def _lines(*specs: tuple[str, float, bool]) -> list:
    from extractor.models import Line

    return [Line(text, 1, (0, 10.0 * i, 400, 10.0 * i + 9), size, bold) for i, (text, size, bold) in enumerate(specs)]


BODY = "The panel considered the agencies' records and the family's account of these events"


@pytest.mark.parametrize(
    "specs,opens",
    [
        # a heading, a label, a column header, a lead-in: each may start a section
        ([("9. Recommendations", 10.5, True), (BODY, 10.5, False)], True),
        ([("Recommendation 3", 10.5, False), (BODY, 10.5, False)], True),
        ([("Section 9: Conclusions, lessons learned and recommendations for the partnership", 14, False),
          (BODY, 10.5, False), (BODY, 10.5, False)], True),
        ([(BODY, 10.5, False), ("and the panel makes the following recommendations to the agencies:", 10.5, False)], True),
        # prose that mentions recommendations does not
        ([(BODY, 10.5, False), ("agencies told the panel that they had acted on the recommendations of", 10.5, False),
          (BODY, 10.5, False)], False),
        # nor does a contents page, however short its lines
        ([("Contents", 14, True), ("1. Introduction 3", 10.5, False), ("5. Analysis 12", 10.5, False),
          ("9. Recommendations 44", 10.5, False), ("Appendix A 47", 10.5, False)], False),
    ],
)
def test_opens_section_only_for_headings_labels_and_lead_ins(specs, opens):
    from extractor.load import opens_section

    assert opens_section(_lines(*specs)) is opens


def test_pages_after_a_section_opening_keep_font_detail():
    """Bold agency subheadings two pages after the heading still read as bold."""
    blocks = [("h1", "1. Introduction"), ("p", "The review was commissioned by the partnership. " * 30)]
    blocks += [("pagebreak",), ("p", "Narrative chapter without the word. " * 40)] * 3
    blocks += [("pagebreak",), ("h1", "9. Recommendations"), ("p", "The panel makes these. " * 5)]
    blocks += [("pagebreak",), ("p", "Continued text. " * 10), ("bold", "Greater Manchester Police")]
    blocks += [("pagebreak",), ("p", "Continued text. " * 10), ("bold", "Manchester City Council")]
    doc = load_document(build_pdf(blocks), name="x.pdf")
    by_text = {ln.text: ln for ln in doc.lines()}
    assert by_text["Greater Manchester Police"].bold and by_text["Manchester City Council"].bold
    narrative = [ln for ln in doc.lines() if ln.text.startswith("Narrative chapter")]
    assert narrative and not any(ln.font for ln in narrative[-3:])  # block lines, no font detail
    assert {ln.size for ln in narrative} == {10.5}  # sized on the document's scale


def test_pdf_file_reads_pages_then_tables_from_one_open_document():
    """Tables are read after locating, from the same open PDF; closing ends its use."""
    from extractor.load import PdfFile

    data = build_pdf([
        ("h1", "9. Recommendations"),
        ("table", [["No.", "Recommendation", "Agency"],
                   ["1", "Agencies should share risk information before each meeting.", "Police"],
                   ["2", "The council should review its housing referral pathway.", "Council"]]),
    ])
    with PdfFile(data, name="t.pdf") as pdf:
        document = pdf.document()
        tables = pdf.tables([1, 7])  # a page that does not exist is skipped
    assert document.page_count == 1 and len(document.sha256) == 64
    assert len(tables) == 1 and tables[0].page == 1
    assert any("housing referral" in cell.text for row in tables[0].rows for cell in row if cell)
    with pytest.raises(ValueError, match="closed"):
        pdf.tables([1])


def test_table_words_from_a_kept_text_page_match_a_fresh_read():
    """A detailed page's text page is kept for its tables; the words (footnote marks cut
    from them) are the same as reading the page again, and the keep is bounded."""
    from extractor import load

    doc = pymupdf.open()
    for number in range(load._KEEP_TEXT_PAGES + 3):
        page = doc.new_page()
        page.insert_htmlbox(pymupdf.Rect(50, 50, 500, 300), (
            f"<h2>Recommendations {number}</h2><table border='1'><tr><td>1</td>"
            "<td>Agencies should review risk annually.<sup>7</sup></td><td>Police</td></tr></table>"))
    with load.PdfFile(doc.tobytes(), name="kept.pdf") as pdf:
        pdf.document()
        kept = pdf._text_pages
        assert len(kept) == load._KEEP_TEXT_PAGES and max(kept) == doc.page_count
        page = pdf.doc.load_page(doc.page_count - 1)
        assert kept[doc.page_count][1], "the footnote mark was collected while loading"
        from_kept = load.table_words(page, kept[doc.page_count])
        fresh = load.table_words(page)
    assert from_kept == fresh
    assert any(w[4] == "annually." for w in fresh) and not any(w[4].endswith(".7") for w in fresh)


def test_pdf_file_refuses_too_many_pages():
    from extractor.load import PdfFile

    two_pages = build_pdf([("p", "First page."), ("pagebreak",), ("p", "Second page.")])
    with pytest.raises(errors.TooLarge, match="too many pages"):
        PdfFile(two_pages, name="x.pdf", settings=Settings(max_pages=1))
