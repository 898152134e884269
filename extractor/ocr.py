"""OCR for pages without a usable text layer (Tesseract, run as a subprocess).

Why a subprocess rather than PyMuPDF's in-process ``get_textpage_ocr``: a subprocess can
be given a hard timeout (a 35000-pixel scan must not hang a batch), it runs with
``OMP_THREAD_LIMIT=1`` (Tesseract's OpenMP threads make it ~5x slower on a busy 2-core
machine), and its hOCR output carries Tesseract's own per-line text height (``x_size``),
a far better font-size estimate than the glyph boxes MuPDF reports for OCR text. Later
stages use font size and boldness to find headings, so an OCR'd page should look as much
as possible like a born-digital one.

The page is rendered to a grayscale PNG (at most ``MAX_PIXELS``), piped to
``tesseract stdin stdout --psm 4 hocr`` and the hOCR lines are mapped back to PDF
points. Boldness is estimated from the ink: bold strokes are thicker relative to the
text height than regular ones. A page scanned sideways or upside down is turned upright
before it is read (see ``orient``: a projection test, and Tesseract's orientation
detection only where the page may be turned); its lines and borders are then in the
upright frame, and ``OcrPage.rotation`` says how far it was turned.
A ruled table is read cell by cell: see ``ocr_tables``.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess

import numpy as np
import pymupdf

from .hocr import OcrLine, clean_word, parse_hocr
from .models import Line
from .ocr_cache import OcrPage
from .ocr_tables import cut_at_borders, image_of, page_rulings, reread_cells
from .orient import OSD_TIMEOUT_SECONDS, detect, lines_run_down, reads_as_text, turned
from .ruling import Rulings

__all__ = ["OcrLine", "clean_word", "parse_hocr"]  # hOCR parsing lives in ``hocr``

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "Tesseract OCR is not installed; install it with "
    "`apt-get install tesseract-ocr tesseract-ocr-eng` (Debian/Ubuntu), "
    "`brew install tesseract` (macOS) or `dnf install tesseract tesseract-langpack-eng`, "
    "or run with --ocr never"
)
DEFAULT_DPI = 300
# A4 at 300 dpi is 8.7 MP, A3 17.4 MP: bigger pages are rendered at a lower dpi. The cap
# bounds the worker's memory: rendering a huge scan near its own resolution makes MuPDF
# decode the whole image (a 9000×9000 page: 443 MB peak at a 24 MP cap, 194 MB at 12 MP).
MAX_PIXELS = 12_000_000
MIN_DPI = 10  # never exceed MAX_PIXELS, even for a 200-inch poster page
TIMEOUT_SECONDS = 90.0
LANGUAGE = "eng"
# Tesseract page segmentation mode 4, "a single column of text of variable sizes": on
# scanned samples it beat the default (3, fully automatic) on F1, 5.3 against 4.2 summed
# over 7 layouts, because mode 3 cuts a column of paragraph numbers ("7.1", "9.2a") off
# as separate blocks and then misreads the isolated digits ("7.1" → "Td").
PAGE_SEGMENTATION = "4"
# A table cell read again on its own (``ocr_tables.reread_cells``) is one line of text.
CELL_SEGMENTATION = "7"
CELL_TIMEOUT_SECONDS = 10.0
_BOLD_RATIO = 1.3  # stroke/height relative to the page median above which a line is bold
_ASCENT, _DESCENT = 1.0, 0.28  # typical font ascender/descender as a fraction of size
# Bump when a change here alters the lines OCR produces (hOCR parsing, boxes, boldness):
# it is part of ``fingerprint()``, so pages cached by ``ocr_cache`` before are OCR'd again.
OUTPUT_VERSION = 5  # 2: lines cut at table borders; 3: borders sought at <= 4 MP; 4: turned pages read upright;
# 5: only id columns re-read cell by cell


def tesseract_binary() -> str | None:
    """The path of the ``tesseract`` executable, or ``None`` when it is not on PATH."""
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def _cached_languages(binary: str) -> frozenset[str]:
    # Raises on failure, and lru_cache does not cache exceptions: a transient failure
    # is retried next time instead of disabling OCR for the rest of the process.
    done = subprocess.run(
        [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
    )
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and " " not in s.strip())


def _languages(binary: str) -> frozenset[str]:
    """The language packs Tesseract reports (empty when it cannot be asked)."""
    try:
        return _cached_languages(binary)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract --list-langs failed: %s", exc)
        return frozenset()


def tesseract_available(language: str = LANGUAGE) -> bool:
    """True when Tesseract and its ``language`` data are installed."""
    binary = tesseract_binary()
    return binary is not None and language in _languages(binary)


def unavailable_reason(language: str = LANGUAGE) -> str | None:
    """Why OCR cannot run (with the install command), or ``None`` when it can."""
    binary = tesseract_binary()
    if binary is None:
        return INSTALL_HINT
    if language not in _languages(binary):
        return (
            f"Tesseract has no '{language}' language data; install it with "
            f"`apt-get install tesseract-ocr-{language}`, or run with --ocr never"
        )
    return None


@functools.lru_cache(maxsize=4)
def _cached_version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20, check=False)
    first = (done.stdout or done.stderr).strip().splitlines()[:1]
    return first[0].strip() if first else "unknown"


def tesseract_version() -> str:
    """Tesseract's version line ("tesseract 5.3.0"), or "unknown" when it cannot be asked."""
    binary = tesseract_binary()
    if binary is None:
        return "unknown"
    try:
        return _cached_version(binary)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract --version failed: %s", exc)
        return "unknown"


def fingerprint() -> str:
    """A short digest of everything OCR output depends on besides the page itself.

    Part of the ``ocr_cache`` key: a new Tesseract, language, resolution, segmentation
    mode or ``OUTPUT_VERSION`` means different lines, so pages cached before are not
    reused.
    """
    import hashlib

    setup = "|".join(map(str, (OUTPUT_VERSION, tesseract_version(), LANGUAGE, PAGE_SEGMENTATION,
                               DEFAULT_DPI, MAX_PIXELS, _BOLD_RATIO, _ASCENT, _DESCENT)))
    return hashlib.sha256(setup.encode()).hexdigest()[:16]


def choose_dpi(width_pt: float, height_pt: float, dpi: int = DEFAULT_DPI) -> int:
    """The render resolution: ``dpi`` unless the page would exceed ``MAX_PIXELS``."""
    area_in = max(width_pt, 1.0) * max(height_pt, 1.0) / (72.0 * 72.0)
    fit = int((MAX_PIXELS / area_in) ** 0.5)
    return max(MIN_DPI, min(dpi, fit))


def ocr_page(page: pymupdf.Page, number: int, *, dpi: int = DEFAULT_DPI,
             timeout: float = TIMEOUT_SECONDS) -> OcrPage | None:
    """OCR one page into ``Line`` objects (PDF points, top-left origin), with the table
    borders found in its image.

    Matches ``load.OcrHook``. Returns ``None`` when OCR could not run (Tesseract missing,
    crashed or timed out): the page then keeps its own, empty, text layer and the loader
    reports the document as having no text. Returns no lines for a page OCR found blank.
    """
    binary = tesseract_binary()
    if binary is None:
        log.warning("page %d: %s", number, INSTALL_HINT)
        return None
    rect = page.rect
    used_dpi = choose_dpi(rect.width, rect.height, dpi)
    try:
        pix = page.get_pixmap(dpi=used_dpi, colorspace=pymupdf.csGRAY, alpha=False)
    except Exception as exc:  # MuPDF render failures (broken image streams, memory)
        log.warning("page %d: cannot render for OCR: %s", number, exc)
        return None
    if _is_blank(pix):  # nothing to read: skip the OCR engine
        return OcrPage((), Rulings(()))
    label = f"page {number}"
    gray = image_of(pix.samples_mv, pix.width, pix.height, pix.n)
    read = _read_upright(pix, gray, used_dpi, binary=binary, timeout=timeout, label=label)
    if read is None:
        return None
    hocr, gray, rotation = read
    scale = 72.0 / used_dpi
    raw = join_row_fragments(parse_hocr(hocr))
    rulings = page_rulings(gray, used_dpi)
    if rulings.segments:  # a ruled table: one line per cell, and every label read
        raw = cut_at_borders(raw, rulings, scale)
        raw = reread_cells(raw, rulings, gray, scale, functools.partial(
            run_tesseract, binary=binary, timeout=min(timeout, CELL_TIMEOUT_SECONDS),
            label=f"page {number} cell", psm=CELL_SEGMENTATION))
    strokes = _stroke_ratios(gray, raw)
    bold = _bold_flags(strokes)
    # A turned page's lines are placed in its upright frame, which starts at (0, 0).
    dx, dy = (rect.x0, rect.y0) if not rotation else (0.0, 0.0)
    lines = tuple(
        Line(
            text=line.text,
            page=number,
            bbox=_font_box(line, scale, dx, dy),
            size=round(line.x_size * scale, 1),
            bold=is_bold,
            font="ocr",
            block=line.block,
        )
        for line, is_bold in zip(raw, bold, strict=True)
    )
    return OcrPage(lines, rulings.shifted(dx, dy) if (dx, dy) != (0, 0) else rulings, rotation)


def _read_upright(pix: pymupdf.Pixmap, gray: np.ndarray, dpi: int, *, binary: str, timeout: float,
                  label: str) -> tuple[str, np.ndarray, int] | None:
    """OCR the page the right way up: (hOCR, the image read, its clockwise turn).

    Upright pages pay only the projection test (milliseconds) and a word count of the
    hOCR; orientation detection runs where the page looks sideways before OCR, or did
    not read as English after it (upside down), and the page is turned only when OSD is
    sure (see ``orient``). ``None`` when Tesseract fails, as for any page.
    """
    asked = False
    if lines_run_down(gray):
        asked = True
        found = detect(gray, dpi, binary=binary, label=label, timeout=min(timeout, OSD_TIMEOUT_SECONDS))
        if found is not None and found.applies:
            image = turned(gray, found.rotate)
            hocr = run_tesseract(_png(image, dpi), binary=binary, timeout=timeout, label=label)
            return None if hocr is None else (hocr, image, found.rotate)
    hocr = run_tesseract(pix.tobytes("png"), binary=binary, timeout=timeout, label=label)
    if hocr is None or asked or reads_as_text(hocr):
        return None if hocr is None else (hocr, gray, 0)
    found = detect(gray, dpi, binary=binary, label=label, timeout=min(timeout, OSD_TIMEOUT_SECONDS))
    if found is None or not found.applies:
        return hocr, gray, 0
    image = turned(gray, found.rotate)
    again = run_tesseract(_png(image, dpi), binary=binary, timeout=timeout, label=label)
    return (hocr, gray, 0) if again is None else (again, image, found.rotate)


def _png(gray: np.ndarray, dpi: int) -> bytes:
    """A grayscale image (H×W uint8 array) as PNG bytes that state their resolution.

    Tesseract sizes its noise filters and line finding by the image's dpi; a PNG without
    it is taken as 70 dpi, and a turned table page then lost its header row and ids.
    """
    pix = pymupdf.Pixmap(pymupdf.csGRAY, gray.shape[1], gray.shape[0], gray.tobytes(), False)
    pix.set_dpi(dpi, dpi)
    return pix.tobytes("png")


def ocr_page_if_available(page: pymupdf.Page, number: int) -> OcrPage | None:
    """``ocr_page`` when Tesseract and its language data are installed, else ``None``.

    The ``load.OcrHook`` the API uses: whether Tesseract is there is first asked when a
    page needs OCR, so a document with a text layer never runs ``tesseract``.
    """
    if not tesseract_available():
        return None
    return ocr_page(page, number)


def _font_box(line: OcrLine, scale: float, dx: float, dy: float) -> tuple[float, float, float, float]:
    """The line's box in points, made as tall as a text layer's line box would be.

    Tesseract boxes the ink; PyMuPDF boxes a text line from the font's ascender to its
    descender. Rebuilding that box from the baseline and text height keeps the vertical
    gaps between OCR'd lines comparable to those of born-digital pages.
    """
    x0, y0, x1, y1 = line.bbox
    baseline = (y1 + line.baseline) * scale + dy
    size = line.x_size * scale
    top = min(y0 * scale + dy, baseline - _ASCENT * size)
    bottom = max(y1 * scale + dy, baseline + _DESCENT * size)
    return (x0 * scale + dx, top, x1 * scale + dx, bottom)


def run_tesseract(png: bytes, *, binary: str, timeout: float, label: str,
                  psm: str = PAGE_SEGMENTATION) -> str | None:
    """Run Tesseract on PNG bytes and return its hOCR, or ``None`` on failure/timeout."""
    env = dict(os.environ, OMP_THREAD_LIMIT=os.environ.get("OMP_THREAD_LIMIT", "1"))
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", LANGUAGE, "--psm", psm, "hocr"],
            input=png, capture_output=True, timeout=timeout, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        log.warning("%s: OCR timed out after %.0f s", label, timeout)
        return None
    except OSError as exc:
        log.warning("%s: cannot run tesseract: %s", label, exc)
        return None
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        log.warning("%s: tesseract failed (exit %d): %s", label, done.returncode, tail[0])
        return None
    return done.stdout.decode("utf-8", "replace")


def _is_blank(pix: pymupdf.Pixmap) -> bool:
    """True when every pixel has one grey level (Pixmap.is_unicolor is far slower)."""
    try:
        import numpy as np
    except ImportError:
        return False
    samples = np.frombuffer(pix.samples_mv, dtype=np.uint8)
    return bool(samples.size == 0 or samples.min() == samples.max())


_FRAGMENT_CHARS = 20  # "9.1a", "(iii)", "Recommendation 12:" — labels, not prose


def join_row_fragments(lines: list[OcrLine]) -> list[OcrLine]:
    """Put a paragraph number back on the line it labels.

    Tesseract's layout analysis often reads a column of hanging-indent numbers
    ("9.1a", "9.1b" …) as a block of its own, before the text they label, so each number
    would be separated from its recommendation. A short fragment is joined to the line
    to its right when the two share a baseline and nothing but a gap lies between them;
    the joined line takes the text line's place in the reading order.
    """
    absorbed: set[int] = set()
    out = list(lines)
    for i, left in enumerate(lines):
        if len(left.text) > _FRAGMENT_CHARS:
            continue
        best: int | None = None
        for j, right in enumerate(lines):
            if j == i or j in absorbed or right.bbox[0] <= left.bbox[2]:
                continue
            height = min(left.bbox[3] - left.bbox[1], right.bbox[3] - right.bbox[1])
            overlap = min(left.bbox[3], right.bbox[3]) - max(left.bbox[1], right.bbox[1])
            gap = right.bbox[0] - left.bbox[2]
            if height > 0 and overlap >= 0.5 * height and gap <= 6 * max(left.x_size, 1.0):
                if best is None or right.bbox[0] < lines[best].bbox[0]:
                    best = j
        if best is None:
            continue
        right = out[best]
        out[best] = OcrLine(
            bbox=(left.bbox[0], min(left.bbox[1], right.bbox[1]), right.bbox[2], max(left.bbox[3], right.bbox[3])),
            x_size=right.x_size, block=right.block, baseline=right.baseline,
            words=[*left.words, *right.words], boxes=[*left.boxes, *right.boxes],
        )
        absorbed.add(i)
    return [line for k, line in enumerate(out) if k not in absorbed]


# --------------------------------------------------------------------------- boldness
def _stroke_ratios(img: np.ndarray, lines: list[OcrLine]) -> list[float | None]:
    """Mean horizontal stroke width of each line's ink (in the H×W image OCR read)
    divided by its text height."""
    out: list[float | None] = []
    for line in lines:
        x0, y0, x1, y1 = (int(v) for v in line.bbox)
        crop = img[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
        if crop.size == 0 or line.x_size <= 0:
            out.append(None)
            continue
        dark = crop < 128
        starts = int(dark[:, 0].sum()) + int((dark[:, 1:] & ~dark[:, :-1]).sum())
        out.append(float(dark.sum()) / starts / line.x_size if starts else None)
    return out


def _bold_flags(ratios: list[float | None]) -> list[bool]:
    """A line is bold when its stroke ratio is well above the page's median line."""
    known = sorted(r for r in ratios if r is not None)
    if len(known) < 3:
        return [False] * len(ratios)
    median = known[len(known) // 2]
    return [r is not None and r > _BOLD_RATIO * median for r in ratios]
