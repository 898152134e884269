"""Stage 2, clean: drop running headers, footers and page numbers; fix characters.

Running headers and footers are found by repetition, not by wording: a line in the top
or bottom band of the page whose text (with digits masked) recurs on a good share of
pages is furniture ("OFFICIAL – SENSITIVE", the report title, "Page 3 of 48"). Lines
that are only a page number are dropped wherever they sit in those bands.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ._text import clean_chars
from .models import Document, Line

_BAND = 0.11  # top/bottom share of the page height where furniture lives
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s*\d{1,4}|\d{1,3})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$"
    r"|^\s*\d{1,4}\s*\|\s*p\s?a\s?g\s?e\s*$|^\s*page\s+[ivxlc]+\s*$|^\s*[ivxlc]{1,6}\s*$",
    re.I,
)
_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def find_furniture(document: Document) -> set[str]:
    """Masked texts of lines that repeat in the header/footer bands across pages."""
    n = len(document.pages)
    if n < 3:  # nothing can recur on 3 pages
        return set()
    counts: Counter[str] = Counter()
    for page in document.pages:
        top, bottom = page.height * _BAND, page.height * (1 - _BAND)
        seen = {_key(line.text) for line in page.lines if line.bbox[1] < top or line.bbox[3] > bottom}
        counts.update(seen)
    threshold = max(3, int(n * 0.3))
    return {key for key, c in counts.items() if c >= threshold and key.strip("# ")}


def is_page_number(text: str) -> bool:
    """True for "12", "Page 3 of 48", "- 7 -", "3 | P a g e", "iv"."""
    return bool(_PAGE_NUMBER.match(text))


def clean_document(document: Document) -> Document:
    """Return a new Document without furniture lines and with cleaned characters."""
    furniture = find_furniture(document)
    pages = []
    for page in document.pages:
        kept: list[Line] = []
        top, bottom = page.height * _BAND, page.height * (1 - _BAND)
        for line in page.lines:
            if (line.bbox[1] < top or line.bbox[3] > bottom) and (
                _key(line.text) in furniture or is_page_number(line.text)
            ):
                continue
            text = clean_chars(line.text).strip()
            if not text:
                continue
            if text != line.text:  # direct construction: dataclasses.replace is slow here
                line = Line(text, line.page, line.bbox, line.size, line.bold, line.italic, line.font, line.block)
            kept.append(line)
        pages.append(replace(page, lines=tuple(kept)))
    return replace(document, pages=tuple(pages))


HEADER_MARGIN_PT = 58.0  # Word's header sits ~1.25 cm from the top, the text ~2.5 cm
_NOTE_START = re.compile(r"^(?:\d{1,3}|[*†‡¹²³⁴⁵⁶⁷⁸⁹])\s*\S")


def margin_header(line: Line, nxt: Line | None, body: float) -> bool:
    """A plain line printed in the top margin (above ~2 cm), well clear of the text below
    it (or the section's last line): a running header that names the chapter or the next
    part ("Appendices")."""
    return (line.bbox[3] < HEADER_MARGIN_PT and not line.bold and line.size <= body + 0.5
            and (nxt is None or nxt.top - line.bottom > 1.5 * line.size))


def drop_footnotes(lines: list[Line], body: float) -> list[Line]:
    """Section lines without the footnotes printed at the foot of its pages, nor a
    running header left in the top margin of a page (see ``margin_header``).

    A recommendation that runs over a page break has the page's footnotes between its
    two halves ("… The audit should / 1 College of Policing guidance, 2022 / sample
    cases …"). A footnote block is the last run of lines on a page, all clearly smaller
    than the body text, set apart by a gap from the text above, and opening with a note
    mark. Runs only on a located section's lines (a few hundred at most).
    """
    small = body - 1.5
    drop: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j + 1 < n and lines[j + 1].page == lines[i].page:
            j += 1  # lines[i..j] is one page of the section
        if margin_header(lines[i], lines[i + 1] if i < j else None, body):
            drop.add(i)
        k = j
        while k >= i and lines[k].size <= small:
            k -= 1
        first = k + 1  # the trailing run of small lines is lines[first..j]
        if i <= k < j and j - first < 8:
            note, above = lines[first], lines[k]
            if _NOTE_START.match(note.text) and note.top - above.bottom > 0.6 * body:
                drop.update(range(first, j + 1))
        i = j + 1
    return [ln for idx, ln in enumerate(lines) if idx not in drop] if drop else lines
