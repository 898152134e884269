"""Small PDFs made on the fly for the OCR, robustness and security tests.

Everything here is generated (no file from ../shared is copied) and deterministic, so
that a damaged copy of the same bytes always fails the same way.
"""

from __future__ import annotations

import pymupdf

RECOMMENDATIONS = [
    "The Community Safety Partnership should commission refresher training on coercive "
    "control for all frontline practitioners.",
    "The Metropolitan Police Service should review how risk assessments are shared with "
    "the Multi-Agency Risk Assessment Conference.",
    "The Clinical Commissioning Group should ensure that GP practices routinely ask about "
    "domestic abuse when a patient presents with injuries.",
    "Adult Social Care should record the outcome of every safeguarding referral it receives "
    "from partner agencies.",
]


def _write_wrapped(page: pymupdf.Page, x: float, y: float, text: str, size: float = 11,
                   width: float = 440, bold: bool = False) -> float:
    """Write ``text`` wrapped to ``width`` points from (x, y); return the next baseline."""
    font = "hebo" if bold else "helv"
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pymupdf.get_text_length(trial, fontname=font, fontsize=size) > width and line:
            page.insert_text((x, y), line, fontsize=size, fontname=font)
            y += size * 1.35
            line = word
        else:
            line = trial
    if line:
        page.insert_text((x, y), line, fontsize=size, fontname=font)
        y += size * 1.35
    return y


def report_pdf(recommendations: list[str] | None = None) -> bytes:
    """A five-page DHR-like report: cover, contents, narrative, recommendations, glossary."""
    recs = RECOMMENDATIONS if recommendations is None else recommendations
    doc = pymupdf.open()
    cover = doc.new_page()
    _write_wrapped(cover, 72, 200, "Domestic Homicide Review", size=24, bold=True)
    _write_wrapped(cover, 72, 250, "Report into the death of Adult A", size=16)
    _write_wrapped(cover, 72, 290, "Northtown Community Safety Partnership", size=14)
    _write_wrapped(cover, 72, 320, "Published March 2021", size=12)
    contents = doc.new_page()
    y = _write_wrapped(contents, 72, 90, "Contents", size=16, bold=True)
    for n, title in enumerate(["Introduction", "Chronology", "Analysis", "Recommendations",
                               "Glossary"], start=1):
        y = _write_wrapped(contents, 72, y + 6, f"{n}. {title} {'.' * 40} {n + 2}")
    narrative = doc.new_page()
    y = _write_wrapped(narrative, 72, 90, "1. Introduction", size=14, bold=True)
    for n in range(1, 6):
        y = _write_wrapped(narrative, 72, y + 6, f"1.{n} This review examines how agencies "
                           "worked with Adult A and the perpetrator in the two years before "
                           "the homicide, and what lessons can be learned.")
    section = doc.new_page()
    y = _write_wrapped(section, 72, 90, "4. Recommendations", size=14, bold=True)
    for n, text in enumerate(recs, start=1):
        y = _write_wrapped(section, 72, y + 8, f"4.{n} {text}")
    glossary = doc.new_page()
    y = _write_wrapped(glossary, 72, 90, "5. Glossary", size=14, bold=True)
    for term in ("CSP Community Safety Partnership", "MARAC Multi-Agency Risk Assessment "
                 "Conference", "GP General Practitioner"):
        y = _write_wrapped(glossary, 72, y + 4, term)
    doc.set_metadata({"title": "Domestic Homicide Review Adult A", "producer": "tests"})
    return doc.tobytes(garbage=3, deflate=True)


def raw_pdf(n_pages: int, *, text: str = "Page text for a very long document.") -> bytes:
    """A valid PDF of ``n_pages`` pages sharing one content stream, written by hand.

    Writing the objects directly makes a 10,000-page PDF in milliseconds (PyMuPDF's
    ``new_page`` would take seconds) and also allows ``n_pages=0``, which PyMuPDF
    refuses to save.
    """
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    first_page = len(objects) + 1
    kids = " ".join(f"{first_page + i} 0 R" for i in range(n_pages))
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    objects.extend([page] * n_pages)
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scanned_pdf(source: bytes, *, dpi: int = 200) -> bytes:
    """The same pages as images only (no text layer): what a scanner would produce."""
    src = pymupdf.open(stream=source, filetype="pdf")
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        target = out.new_page(width=page.rect.width, height=page.rect.height)
        target.insert_image(target.rect, stream=pix.tobytes("jpeg", jpg_quality=75))
    return out.tobytes(garbage=3, deflate=True)


def huge_image_pdf(pixels: int = 12000) -> bytes:
    """A one-page report whose page also holds a ``pixels`` x ``pixels`` grayscale image.

    The image is a flat colour, so it compresses to almost nothing but decodes to
    ``pixels**2`` bytes: the shape of a 2400-dpi poster scan or a decompression bomb.
    """
    base = pymupdf.open(stream=report_pdf(), filetype="pdf")
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, pixels, pixels), False)
    pix.clear_with(230)
    page = base[3]
    page.insert_image(pymupdf.Rect(400, 700, 560, 800), pixmap=pix)
    return base.tobytes(garbage=3, deflate=True)
