"""Stage 1, load: PDF bytes → ``Document`` of pages and text lines (PyMuPDF).

This is the only module that opens PDFs. It sniffs the bytes before handing them to
MuPDF so that the common bad inputs (a text file, an HTML error page saved as ``.pdf``,
an empty or truncated download) get a precise error instead of a parser message, and it
translates every MuPDF exception into the ``ExtractorError`` tree.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from .aligned import Layout, aligned_tables
from .errors import (
    CorruptPDF,
    EmptyFile,
    EncryptedPDF,
    FileMissing,
    NotAPDF,
    NoTextLayer,
    TooLarge,
)
from .models import Document, Line, Page, Table
from .ocr_cache import OcrCache, OcrPage
from .raster import find_rulings
from .ruling import (
    Rulings,
    find_ruled_tables,
    segments_from_drawings,
    tables_from_segments,
    transform_segments,
)
from .settings import Settings

log = logging.getLogger(__name__)

# PyMuPDF ≥ 1.27 prints an advert for its layout add-on on stdout, which would corrupt
# JSON written to stdout; MuPDF also prints parser errors to stderr, which we translate
# into our own one-line errors instead.
if hasattr(pymupdf, "no_recommend_layout"):
    pymupdf.no_recommend_layout()
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

# Only text inside the page box; MuPDF expands ligatures and folds odd whitespace to
# spaces (cheaper than preserving them: ~15% off "dict" extraction); images skipped.
_TEXT_FLAGS = pymupdf.TEXT_MEDIABOX_CLIP
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique", re.I)
_MIN_TEXT_CHARS = 40
# Pages that need fonts and exact line boxes: those naming recommendations or an action
# plan, the pages after a heading or lead-in that names them (a section runs on), and
# the first pages.
_DETAIL_AFTER = 5
_HEADING_CHARS = 60  # a mention this short is a heading, label or column header, not prose
_CONTENTS_WORD = re.compile(r"\b(?:contents|CONTENTS|Contents)\b")
_CONTENTS_ENTRY = re.compile(r"(?:\.{3,}|…|_{3,}|\s)\s*\d{1,3}\s*$")
_DETAIL_FIRST = 3  # cover, title page and (often) the start of the executive summary
# Text pages of detailed pages kept for the table step (~200 kB each): a located
# section's pages are detailed pages, so their tables need not build them again.
_KEEP_TEXT_PAGES = 12

# A footnote reference mark: its box and digits (see ``table_words``).
Mark = tuple[tuple[float, float, float, float], str]

# Scanned pages' table borders are looked for in a render at this resolution: borders are
# long and at least a pixel thick here, and it costs less than half of OCR's 300 dpi.
_RULING_DPI = 200
_RULING_MAX_PIXELS = 6_000_000

# A hook for OCR: given a MuPDF page, return what it read (or None if OCR is
# unavailable): an ``OcrPage`` (lines and the table borders in the image), or bare lines.
OcrHook = Callable[["pymupdf.Page", int], "OcrPage | list[Line] | None"]


def read_source(source: str | Path | bytes, settings: Settings, name: str) -> bytes:
    """Read the input's bytes, refusing missing, empty and oversized files."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise FileMissing("no such file", path=name)
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise TooLarge(
                f"too large ({size / 1e6:.1f} MB > limit {settings.max_bytes / 1e6:.0f} MB)", path=name
            )
        data = path.read_bytes()
    if len(data) > settings.max_bytes:
        raise TooLarge(f"too large ({len(data) / 1e6:.1f} MB)", path=name)
    if not data.strip():
        raise EmptyFile("empty file (0 bytes)" if not data else "empty file (only whitespace)", path=name)
    return data


def sniff(data: bytes, name: str) -> None:
    """Raise ``NotAPDF`` unless the bytes look like a PDF, naming what they look like."""
    head = data[:1024]
    if b"%PDF-" in head:
        return
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered:
        raise NotAPDF("not a PDF: it is an HTML page (an error page saved as .pdf?)", path=name)
    if lowered.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        raise NotAPDF("not a PDF: it is an image", path=name)
    if lowered.startswith(b"pk\x03\x04"):
        raise NotAPDF("not a PDF: it is a ZIP/Office document", path=name)
    if lowered.startswith(b"{\\rtf"):
        raise NotAPDF("not a PDF: it is an RTF document", path=name)
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head)
    if printable > 0.95 * len(head):
        raise NotAPDF("not a PDF: it is a text file (no %PDF- header)", path=name)
    raise NotAPDF("not a PDF (no %PDF- header)", path=name)


def open_pdf(data: bytes, name: str) -> pymupdf.Document:
    """Open bytes with MuPDF, translating its errors and refusing locked/truncated files."""
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises plain RuntimeError/FileDataError subclasses
        raise CorruptPDF(f"corrupt PDF ({_short(exc)})", path=name) from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise EncryptedPDF("encrypted: a password is needed to open it", path=name)
    repaired = "repair" in pymupdf.TOOLS.mupdf_warnings().lower() or doc.is_repaired
    if repaired and b"%%EOF" not in data[-4096:]:
        doc.close()
        raise CorruptPDF("corrupt PDF: the file is truncated (incomplete download?)", path=name)
    if doc.page_count == 0:
        doc.close()
        raise EmptyFile("the PDF has no pages", path=name)
    return doc


class PdfFile:
    """An open, validated PDF: read its pages once, then its tables on chosen pages.

    Extraction reads every page's text first and only later knows which pages hold a
    recommendations table. Keeping the one MuPDF document open between the two spares
    re-reading the file and, above all, re-loading its fonts (a fresh open costs ~8 ms
    per table page). Use it as a context manager (see ``close`` for what closing frees).
    """

    def __init__(self, source: str | Path | bytes, *, name: str, settings: Settings | None = None) -> None:
        self.name = name
        self.settings = settings or Settings()
        data = read_source(source, self.settings, name)
        sniff(data, name)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._doc: pymupdf.Document | None = open_pdf(data, name)
        self._rendered = False  # set once a page goes to OCR (see ``close``)
        self._ocr_pages: dict[int, OcrPage] = {}  # what OCR read, for the pages' tables
        # the last detailed pages' text pages and footnote marks, by page number
        self._text_pages: dict[int, tuple[pymupdf.TextPage, list[Mark]]] = {}
        if self._doc.page_count > self.settings.max_pages:
            count = self._doc.page_count
            self.close()
            raise TooLarge(f"too many pages ({count} > limit {self.settings.max_pages})", path=name)

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the document; after one rendered for OCR, also empty MuPDF's store.

        MuPDF's store (its cache) is shared by the whole process and outlives the
        document. Decoded images stay in it: rendering three pages of each corpus PDF
        grew a process to 311 MB without emptying it, 104 MB with. Text extraction
        leaves nothing that grows (the same RSS over 438 PDFs either way), and emptying
        would throw away colour-conversion links that the next document then rebuilds:
        about 10% of loading's CPU on the samples (measured with callgrind). So only a
        document whose pages were rendered empties it.
        """
        self._text_pages = {}
        if self._doc is not None:
            self._doc.close()
            self._doc = None
            if self._rendered:
                pymupdf.TOOLS.store_shrink(100)

    @property
    def doc(self) -> pymupdf.Document:
        if self._doc is None:
            raise ValueError(f"{self.name}: the PDF is closed")
        return self._doc

    def document(self, *, ocr_hook: OcrHook | None = None, ocr_cache: OcrCache | None = None) -> Document:
        """Every page's lines as a ``Document``; raise ``NoTextLayer`` if there is no text.

        ``ocr_hook`` reads pages without a text layer; ``ocr_cache`` (optional) keeps what
        it read, keyed by the PDF's hash, and is asked first.
        """
        doc = self.doc
        if ocr_hook is not None:
            ocr_hook = self._noting_renders(ocr_hook)
            if ocr_cache is not None:  # a page found in the cache is not rendered
                ocr_hook = _CachedOcr(ocr_hook, ocr_cache, self.sha256)
        self._ocr_pages = {}
        self._text_pages = {}
        pages = _read_pages(doc, self.name, self.settings, ocr_hook, self._ocr_pages, self._text_pages)
        meta = {k: v for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
        if sum(len(line.text) for page in pages for line in page.lines) < _MIN_TEXT_CHARS:
            if any(p.ocr for p in pages):
                raise NoTextLayer("no text found, even by OCR (blank or picture-only pages?)", path=self.name)
            raise NoTextLayer("no text layer (a scanned document?); OCR is needed", path=self.name)
        return Document(file=self.name, sha256=self.sha256, page_count=doc.page_count, pages=tuple(pages),
                        pdf_metadata=meta)

    def _noting_renders(self, hook: OcrHook) -> OcrHook:
        """``hook``, remembering that this document had a page rendered."""

        def rendering(page: pymupdf.Page, number: int) -> OcrPage | list[Line] | None:
            self._rendered = True
            return hook(page, number)

        return rendering

    def tables(self, pages: Sequence[int]) -> list[Table]:
        """Ruled tables on the given 1-based pages only, and borderless ones where none is.

        Called after the recommendations section has been located, so table detection
        is paid for on a handful of pages, not the whole report. The grid comes from
        the page's vector drawings (see ``ruling``), ~50× cheaper than ``find_tables``;
        on an OCR'd page, from the borders in its image (see ``_scanned_tables``).
        A page without a ruled table is searched for a table drawn without borders
        (see ``aligned``); when one runs to the page's end the next page is read too,
        for the rows it carries on with.
        """
        doc = self.doc
        tables: list[Table] = []
        todo = sorted(set(pages))
        carried: Layout | None = None  # the columns of a borderless table running on
        while todo:
            number = todo.pop(0)
            if not 1 <= number <= doc.page_count:
                continue
            try:
                page = doc.load_page(number - 1)
                if number in self._ocr_pages:
                    tables.extend(self._scanned_tables(page, number))
                    carried = None
                    continue
                drawings = page.get_cdrawings() if hasattr(page, "get_cdrawings") else page.get_drawings()
                rotated = bool(page.rotation)
                kept = self._text_pages.get(number)
                words = table_words(page, kept) if len(drawings) >= 4 else None
                if words is None:
                    found = []
                elif rotated:  # drawings come unrotated: turn them as the words are
                    segments = transform_segments(segments_from_drawings(drawings), tuple(page.rotation_matrix))
                    found = tables_from_segments(segments, words, number)
                else:
                    found = find_ruled_tables(drawings, words, number)
                # ---- borderless tables (see ``aligned``): only where no ruled one is
                layout = None
                if not found:
                    if words is None:
                        words = table_words(page, kept)
                    # (a rotated page's drawings are in the unrotated frame: rows by ids and gaps)
                    found, layout = aligned_tables(words, [] if rotated else drawings, number,
                                                   page.rect.height, carried)
                if layout is not None and (not todo or todo[0] != number + 1):
                    todo.insert(0, number + 1)
                carried = layout
                # ----
                tables.extend(found)
            except Exception as exc:  # a broken page degrades to "no table"
                carried = None
                log.debug("table detection failed on page %d: %s", number, exc)
        return tables

    def _scanned_tables(self, page: pymupdf.Page, number: int) -> list[Table]:
        """Tables of an OCR'd page: its borders (found when it was OCR'd, or now in a
        render), its OCR'd lines as the words.

        OCR cut each line at the borders it crossed (``ocr_tables.cut_at_borders``), so
        every line lies in one cell. The lines are moved into the borders' deskewed
        frame before they are placed in cells.
        """
        read = self._ocr_pages[number]
        lines = read.lines
        if len(lines) < 4:
            return []
        rulings = read.rulings if read.rulings is not None else self._find_rulings(page, read.rotation)
        if len(rulings.vertical) < 2:
            return []
        words = [(*rulings.frame_box(line.bbox), line.text) for line in lines]
        return tables_from_segments(list(rulings.segments), words, number)

    def _find_rulings(self, page: pymupdf.Page, rotation: int = 0) -> Rulings:
        """The borders in a render of the page, for OCR that did not look for them
        (in the upright frame OCR read it in, when it turned the page ``rotation``)."""
        import numpy as np  # numpy comes with pandas; only scanned tables need it here

        rect = page.rect
        area = max(rect.width, 1.0) * max(rect.height, 1.0) / (72.0 * 72.0)
        dpi = max(36, min(_RULING_DPI, int((_RULING_MAX_PIXELS / area) ** 0.5)))
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        self._rendered = True
        gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[:, :, 0]
        if rotation:
            return find_rulings(np.ascontiguousarray(np.rot90(gray, -(rotation // 90) % 4)), dpi)
        return find_rulings(gray, dpi, origin=(rect.x0, rect.y0))


def load_document(
    source: str | Path | bytes,
    *,
    name: str,
    settings: Settings | None = None,
    ocr_hook: OcrHook | None = None,
    ocr_cache: OcrCache | None = None,
) -> Document:
    """Load a PDF into a ``Document``; raise an ``InputError`` subclass for bad input.

    The one-call form of ``PdfFile(...).document(...)`` for when no tables are needed.
    """
    with PdfFile(source, name=name, settings=settings) as pdf:
        return pdf.document(ocr_hook=ocr_hook, ocr_cache=ocr_cache)


@dataclass(frozen=True, slots=True)
class _CachedOcr:
    """An ``OcrHook`` that asks the cache before OCR'ing, and fills it after."""

    hook: OcrHook
    cache: OcrCache
    sha256: str

    def __call__(self, page: pymupdf.Page, number: int) -> OcrPage | None:
        stored = self.cache.get(self.sha256, number)
        if stored is not None:
            log.debug("page %d: OCR'd text from the cache", number)
            return stored
        read = _as_ocr_page(self.hook(page, number))
        if read is not None:  # a failed OCR is not remembered: next time may work
            self.cache.put(self.sha256, number, read)
        return read


def _as_ocr_page(result: OcrPage | list[Line] | None) -> OcrPage | None:
    """An OCR hook's answer as an ``OcrPage`` (bare lines: borders not looked for)."""
    if result is None or isinstance(result, OcrPage):
        return result
    return OcrPage(tuple(result))


def _read_pages(
    doc: pymupdf.Document, name: str, settings: Settings, ocr_hook: OcrHook | None,
    ocr_pages: dict[int, OcrPage] | None = None,
    text_pages: dict[int, tuple[pymupdf.TextPage, list[Mark]]] | None = None,
) -> list[Page]:
    """Every page's lines: full detail (fonts, exact line boxes) where it can matter.

    Fonts and sizes only matter where a recommendations section can be: on pages that
    mention recommendations or an action plan, the few pages after one that opens such
    a section, and the first pages (cover and contents). Elsewhere MuPDF's cheaper block
    output gives the text and positions, which is all the later stages read there; this
    saves most of the cost of "dict" extraction on long narrative chapters. Block pages
    get their lines once the detailed pages have set the document's size scale.
    What OCR read is also put in ``ocr_pages`` (by page number), when given, and the
    last ``_KEEP_TEXT_PAGES`` detailed pages' text pages and footnote marks in
    ``text_pages``: the tables of a located section are read from them.
    """
    pages: list[Page | None] = []
    deferred: list[tuple[int, float, float, list[tuple[Any, ...]]]] = []  # block pages
    failures = 0
    detail_until = _DETAIL_FIRST - 1
    for index in range(doc.page_count):
        try:
            page = doc.load_page(index)
            rect = page.rect
            textpage = text_page(page)
            lines: list[Line] | None = None
            marks: list[Mark] = []
            if index <= detail_until:
                page, textpage, lines = _detailed_lines(doc, page, index, textpage, marks)
                rect = page.rect
                text = "\n".join(line.text for line in lines)
            else:
                blocks = [b for b in textpage.extractBLOCKS() if b[6] == 0]
                text = "\n".join(b[4] for b in blocks)
            if names_section(text):
                if lines is None:
                    page, textpage, lines = _detailed_lines(doc, page, index, textpage, marks)
                    rect = page.rect
                if opens_section(lines):
                    detail_until = max(detail_until, index + _DETAIL_AFTER)
            if ocr_hook is not None and _needs_ocr(text, settings):
                read = _as_ocr_page(ocr_hook(page, index + 1))
                if read is not None:
                    # a scan read after turning it upright (``OcrPage.rotation``) is
                    # sized as read: sideways pages swap width and height
                    width, height = (rect.height, rect.width) if read.rotation in (90, 270) else (rect.width, rect.height)
                    pages.append(Page(index + 1, width, height, read.lines, True))
                    if ocr_pages is not None:
                        ocr_pages[index + 1] = read
                    continue
            if lines is None:
                deferred.append((index, rect.width, rect.height, blocks))
                pages.append(None)
            else:
                pages.append(Page(index + 1, rect.width, rect.height, tuple(lines), False))
                _keep(text_pages, index + 1, textpage, marks)
        except Exception as exc:  # a broken page must not sink the whole document
            failures += 1
            log.warning("%s: page %d unreadable: %s", name, index + 1, _short(exc))
            pages.append(Page(index + 1, 595.0, 842.0, ()))
    if failures and failures == doc.page_count:
        raise CorruptPDF("corrupt PDF: no page could be read", path=name)
    if deferred:
        ratio, body = _size_scale(p for p in pages if p is not None)
        for index, width, height, blocks in deferred:
            pages[index] = Page(index + 1, width, height, tuple(block_lines(blocks, index + 1, ratio, body)), False)
    return pages  # type: ignore[return-value]  # every placeholder is filled


def _detailed_lines(
    doc: pymupdf.Document, page: pymupdf.Page, index: int, textpage: pymupdf.TextPage, marks: list[Mark]
) -> tuple[pymupdf.Page, pymupdf.TextPage, list[Line]]:
    """A page's lines with fonts; a page whose text runs down or up it is turned first.

    Some PDF printers put a landscape page (an action plan) on a portrait page by
    turning its content instead of setting ``/Rotate``: every line then runs down the
    page, and its words would come out a letter column at a time. Such a page is given
    the ``/Rotate`` that makes its text upright (in the open document only), and read
    again; the table step then sees it turned the same way.
    """
    lines = page_lines(page, index + 1, textpage=textpage, marks=marks)
    if not _runs_sideways(lines):
        return page, textpage, lines
    turn = _upright_turn(textpage)
    if not turn:
        return page, textpage, lines
    try:
        page.set_rotation((page.rotation + turn) % 360)
        page = doc.load_page(index)
        textpage = text_page(page)
    except Exception as exc:  # a page that cannot take /Rotate is read as it is
        log.debug("page %d: could not turn it upright: %s", index + 1, _short(exc))
        return page, textpage, lines
    marks.clear()
    return page, textpage, page_lines(page, index + 1, textpage=textpage, marks=marks)


def _runs_sideways(lines: Sequence[Line]) -> bool:
    """Most of the page's text is in lines that run up or down the page.

    Such a line's box is tall and about one line-height wide; an ordinary line is never
    much taller than its font size.
    """
    total = sideways = 0
    for line in lines:
        chars = len(line.text.strip())
        total += chars
        x0, y0, x1, y1 = line.bbox
        if chars >= 4 and y1 - y0 > 2.5 * max(x1 - x0, line.size):
            sideways += chars
    return total >= _MIN_TEXT_CHARS and sideways > 0.6 * total


def _upright_turn(textpage: pymupdf.TextPage) -> int:
    """The ``/Rotate`` to add so that text running down (or up) the page reads across.

    Text running down the page (MuPDF's line direction (0, 1)) reads across after a
    further 270° turn; text running up it, after 90°. 0 when neither way dominates.
    """
    down = up = 0
    for block in textpage.extractDICT(sort=False)["blocks"]:
        for line in block.get("lines", ()):
            chars = sum(len(span["text"]) for span in line["spans"])
            if line["dir"][1] > 0.9:
                down += chars
            elif line["dir"][1] < -0.9:
                up += chars
    if down > 2 * up:
        return 270
    if up > 2 * down:
        return 90
    return 0


def _keep(
    text_pages: dict[int, tuple[pymupdf.TextPage, list[Mark]]] | None, number: int,
    textpage: pymupdf.TextPage, marks: list[Mark],
) -> None:
    """Add a page's text page to ``text_pages``, dropping the oldest beyond the limit."""
    if text_pages is None:
        return
    text_pages[number] = (textpage, marks)
    if len(text_pages) > _KEEP_TEXT_PAGES:
        del text_pages[next(iter(text_pages))]


def names_section(text: str) -> bool:
    """True when ``text`` names recommendations or an action plan (any case)."""
    low = text.lower()
    return "recommendation" in low or "action plan" in low


def opens_section(lines: Sequence[Line]) -> bool:
    """True when a page's lines may start a recommendations section or action plan.

    That is a line naming them that looks like a heading (bold, larger than the page's
    body text, or short: a "Recommendation 3" label, a column header) or a lead-in
    ending in a colon ("The panel makes these recommendations:"), on a page that is not
    a table of contents. A mention in running prose does not open a section, so the
    pages after it need no font detail.
    """
    sizes: dict[float, int] = {}
    for line in lines:
        sizes[line.size] = sizes.get(line.size, 0) + len(line.text)
    body = max(sizes, key=sizes.__getitem__) if sizes else 0.0
    opening = any(
        (line.bold or line.size > body + 0.5 or len(text) <= _HEADING_CHARS or text.endswith(":"))
        and names_section(text)
        for line in lines
        for text in (line.text.strip(),)
    )
    if not opening:
        return False
    texts = [line.text.strip() for line in lines]
    contents = any(_CONTENTS_WORD.search(t) for t in texts) and sum(1 for t in texts if _CONTENTS_ENTRY.search(t)) >= 3
    return not contents


def block_lines(
    blocks: Sequence[Sequence[Any]], number: int, ratio: float = 1.0, body: float | None = None
) -> list[Line]:
    """Lines from MuPDF's block output: text and boxes, no fonts (``font == ""``).

    A block's height is shared evenly among its lines, and a line's size is its height
    over ``ratio`` (line height per point of font size, measured on the detailed lines).
    With ``body`` (the document's body size) a line of about body height gets exactly
    that size, so it never looks like a heading; only clearly bigger text keeps its
    larger estimate.
    """
    out: list[Line] = []
    for x0, y0, x1, y1, text, block, kind in blocks:
        if kind != 0:
            continue
        texts = [t for t in text.split("\n") if t.strip()]
        if not texts:
            continue
        step = (y1 - y0) / len(texts)
        estimate = step / ratio
        size = body if body is not None and estimate < body * 1.25 else round(estimate, 1)
        for i, line_text in enumerate(texts):
            top = y0 + i * step
            out.append(Line(line_text, number, (x0, top, x1, top + step), size, False, False, "", block))
    return out


def _size_scale(pages: Iterable[Page]) -> tuple[float, float]:
    """(line height per point of font size, body font size) from the detailed lines."""
    ratios: list[float] = []
    weights: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            if line.font and line.size > 0:
                ratios.append((line.bbox[3] - line.bbox[1]) / line.size)
                weights[line.size] = weights.get(line.size, 0) + len(line.text)
    ratio = sorted(ratios)[len(ratios) // 2] if ratios else 1.2
    body = max(weights, key=weights.__getitem__) if weights else 10.0
    return ratio, body


def _needs_ocr(text: str, settings: Settings) -> bool:
    """Whether to OCR a page, given its text: fewer than 20 visible characters."""
    if settings.ocr == "never":
        return False
    if settings.ocr == "always":
        return True
    return len(text) < 20 or (len(text) < 1000 and len("".join(text.split())) < 20)


def text_page(page: pymupdf.Page) -> pymupdf.TextPage:
    """The page's text as it is displayed: turned by its ``/Rotate``, if it has one.

    MuPDF reports text in the unrotated page's space, so on a landscape action plan
    stored as a portrait page with ``/Rotate 90`` every line would run bottom to top,
    its box would be tall and thin and the table columns would be rows. Extracting with
    ``page.rotation_matrix`` makes MuPDF lay the text out in the displayed frame (line
    direction, blocks and boxes as on screen, in ``page.rect``, which is already the
    displayed size), at no cost per line. The clip must then be the displayed page:
    MuPDF applies ``TEXT_MEDIABOX_CLIP`` to the unrotated box in the turned space, which
    would cut off whatever lies beyond the portrait width. Unrotated pages, the common
    case, take MuPDF's plain path unchanged.
    """
    if not page.rotation:
        return page.get_textpage(flags=_TEXT_FLAGS)
    return page.get_textpage(clip=page.rect, flags=_TEXT_FLAGS, matrix=page.rotation_matrix)


def table_words(
    page: pymupdf.Page, kept: tuple[pymupdf.TextPage, list[Mark]] | None = None
) -> list[tuple[Any, ...]]:
    """The page's words for table cells, without footnote reference marks.

    Page lines drop superscript digits (``page_lines``); MuPDF's word list has no fonts,
    and glues a mark to the word before it ("annually.1"), so the marks are found in
    the page's spans and cut from the words they fall in. ``kept`` is the page's text
    page and marks from loading it, when still at hand (see ``_read_pages``).
    """
    if kept is not None:
        textpage, marks = kept
    else:
        textpage = text_page(page)
        marks = [
            (tuple(span["bbox"]), span["text"].strip())
            for block in textpage.extractDICT(sort=False)["blocks"] if block.get("type") == 0
            for line in block["lines"] for span in line["spans"]
            if span["flags"] & 1 and span["text"].strip().isdigit()
        ]
    words = textpage.extractWORDS()
    if not marks:
        return words
    out = []
    for word in words:
        box, text = word[:4], word[4]
        for rect, digits in marks:
            if text.endswith(digits) and rect[0] >= box[0] - 0.5 and rect[2] <= box[2] + 0.5 \
                    and rect[1] < box[3] and rect[3] > box[1]:
                text = text[: -len(digits)]
                break
        if text:
            out.append((*word[:4], text, *word[5:]))
    return out


def page_lines(
    page: pymupdf.Page, number: int, textpage: pymupdf.TextPage | None = None, marks: list[Mark] | None = None
) -> list[Line]:
    """One ``Line`` per visual text line of a MuPDF page, in MuPDF's reading order.

    Superscript digits (footnote reference marks) are left out of lines that have other
    text; when ``marks`` is given, every such mark's box and digits are added to it.
    """
    out: list[Line] = []
    styles: dict[tuple[str, int], tuple[bool, bool]] = {}  # (font, flags) → (bold, italic)
    if textpage is None:
        textpage = text_page(page)
    raw = textpage.extractDICT(sort=False)
    for block_no, block in enumerate(raw["blocks"]):
        if block.get("type", 0) != 0:
            continue
        for line in block["lines"]:
            spans = line["spans"]
            if not spans:
                continue
            if marks is not None:
                marks.extend((tuple(s["bbox"]), s["text"].strip()) for s in spans
                             if s["flags"] & 1 and s["text"].strip().isdigit())
            if len(spans) > 1:
                # Superscript digits are footnote markers ("abuse.12"): drop them here,
                # the only place that still sees spans.
                spans = [s for s in spans if not (s["flags"] & 1 and s["text"].strip().isdigit())]
                text = "".join(s["text"] for s in spans)
                best = max(spans, key=lambda s: len(s["text"].strip())) if spans else None
            else:
                text = spans[0]["text"]
                best = spans[0]
            if best is None or not text.strip():
                continue
            key = (best["font"], best["flags"])
            style = styles.get(key)
            if style is None:
                style = styles[key] = (
                    bool(key[1] & 16) or bool(_BOLD_FONT.search(key[0])),
                    bool(key[1] & 2) or bool(_ITALIC_FONT.search(key[0])),
                )
            out.append(Line(text, number, tuple(line["bbox"]), round(best["size"], 1), style[0], style[1], key[0], block_no))
    return _merge_same_baseline(out)


def _merge_same_baseline(lines: list[Line]) -> list[Line]:
    """Join fragments MuPDF split on one visual line (e.g. a number and its text).

    Word processors often place "9.1" and the paragraph text as separate blocks at the
    same height; reading them as one line keeps the number with its text.
    """
    if len(lines) < 2:
        return lines
    merged: list[Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and 0 <= line.bbox[0] - prev.bbox[2] < 60
            and _same_row(prev.bbox, line.bbox)
            # a marker ("9.1", "a)", "•") joins its text; longer fragments far apart
            # are table cells or columns and stay apart
            and (line.bbox[0] - prev.bbox[2] < 15 or len(prev.text.strip()) <= 20)
        ):
            gap = " " if not prev.text.endswith(" ") and not line.text.startswith(" ") else ""
            merged[-1] = Line(
                text=prev.text + gap + line.text,
                page=prev.page,
                bbox=(prev.bbox[0], min(prev.bbox[1], line.bbox[1]), line.bbox[2], max(prev.bbox[3], line.bbox[3])),
                size=max(prev.size, line.size) if len(line.text.strip()) > len(prev.text.strip()) else prev.size,
                bold=prev.bold if len(prev.text.strip()) >= len(line.text.strip()) else line.bold,
                italic=prev.italic,
                font=prev.font,
                block=prev.block,
            )
        else:
            merged.append(line)
    return merged


def _same_row(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Two boxes share a text row when they overlap vertically by most of the smaller
    height (a 10 pt number beside 11 pt text has different tops but one baseline)."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.6 * min(a[3] - a[1], b[3] - b[1])


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
