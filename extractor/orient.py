"""Which way up a scanned page is, so that a sideways or upside-down scan is OCR'd upright.

Tesseract reads a turned page as junk (and a sideways one can take it tens of seconds),
so a scan fed in the wrong way round used to yield no rows at all. Tesseract's own
orientation detection (OSD, ``--psm 0``) tells the turn reliably: on the scanned samples
(15 pages x 4 turns) and ``ocrmypdf__cardinal.pdf`` it was right every time with an
orientation confidence of 3.96 or more. But it costs ~0.6-0.7 s of CPU a page at the
150 dpi it needs (at 100 dpi its confidence collapses below 1), a third to a half of
OCR'ing the page, and almost every scan is upright. So OSD runs only where a cheaper
sign says the page may be turned:

- *Sideways*: text lines leave many blank pixel rows between them and few blank
  columns; a page turned by 90 degrees shows the opposite (``lines_run_down``, a
  numpy projection of the page render: milliseconds).
- *Upside down*: projections cannot tell 0 from 180 degrees, so the page is OCR'd as
  it is and OSD runs only when the result does not read as English (``reads_as_text``:
  too few common words such as "the", "should", "and"; a DHR is written in English).

A turn is applied only when OSD's confidence is at least ``MIN_CONFIDENCE``: on
upright corpus pages with little text (photos, graphs, a title) OSD answered wrongly
only with confidence 1.08 or less. A page OSD fails on ("too few characters") or is
unsure about is read as it is, as before.

Turns are in degrees clockwise, as OSD's "Rotate:" reports them: the image must be
turned that far clockwise to stand upright.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

OSD_DPI = 150  # OSD's confidence collapses at 100 dpi (0.5 where 150 dpi gave 7-9)
MIN_CONFIDENCE = 2.5  # right answers: >= 3.96 measured; wrong ones on upright pages: <= 1.08
OSD_TIMEOUT_SECONDS = 30.0
_INK = 160
_LIGHT = 0.01  # a pixel row (column) with ink on at most 1% of the text's width is blank
_MARGIN = 0.1  # blank-column share must beat the blank-row share by this much
_MIN_BLANK = 0.15
_MAX_PIXELS = 1_500_000  # the projection test runs on a copy pooled to about this size
_COMMON = frozenset(
    "the and to of a in be for with should that this is on by or as are was were it an at from "
    "their has have will not which who had been her his she he they any all".split()
)
_MIN_COMMON_SHARE = 0.05
_MIN_COMMON = 3
_WORD = re.compile(r"class=['\"]ocrx_word['\"][^>]*>(?:<[^>]+>)*([^<]*)<")
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


@dataclass(frozen=True, slots=True)
class Orientation:
    """What OSD said: turn the image ``rotate`` degrees clockwise, with this confidence."""

    rotate: int
    confidence: float

    @property
    def applies(self) -> bool:
        """Whether to act on it: a real turn, and OSD sure enough of it."""
        return self.rotate in (90, 180, 270) and self.confidence >= MIN_CONFIDENCE


def lines_run_down(gray: np.ndarray) -> bool:
    """True when the page's text lines seem to run down the image (a sideways page).

    Within the inked area, the share of blank pixel columns is compared with that of
    blank rows: horizontal text lines leave blank rows between them (45-93% on the
    scanned samples) and few blank columns, sideways text the reverse. Pages where the
    two are close (dense tables, photos) count as not sideways; they are still checked
    after OCR (``reads_as_text``).
    """
    step = max(1, int(np.ceil((gray.size / _MAX_PIXELS) ** 0.5)))
    dark = gray[::step, ::step] < _INK
    rows, cols = dark.sum(axis=1), dark.sum(axis=0)
    r, c = np.flatnonzero(rows), np.flatnonzero(cols)
    if len(r) < 2 or len(c) < 2:
        return False
    rows, cols = rows[r[0]:r[-1] + 1], cols[c[0]:c[-1] + 1]
    blank_rows = float((rows <= _LIGHT * len(cols)).mean())
    blank_cols = float((cols <= _LIGHT * len(rows)).mean())
    return blank_cols >= _MIN_BLANK and blank_cols - blank_rows >= _MARGIN


def reads_as_text(hocr: str) -> bool:
    """True when OCR's words look like English prose: enough of them are common words.

    An upside-down page comes back as letters and punctuation with hardly a real word
    (0-3 common words in 176 on a sample page, against 4 in 33 on an upright cover).
    Pages that fail this (contents pages of dot leaders, tables of figures) just cost
    one OSD call, which leaves them as they are.
    """
    words = [w.strip(".,;:()'\"").lower() for w in _WORD.findall(hocr)]
    words = [w for w in words if w]
    common = sum(w in _COMMON for w in words)
    return common >= _MIN_COMMON and common >= _MIN_COMMON_SHARE * len(words)


def detect(gray: np.ndarray, dpi: float, *, binary: str, label: str,
           timeout: float = OSD_TIMEOUT_SECONDS) -> Orientation | None:
    """Tesseract's OSD on a grayscale render (shrunk to ~``OSD_DPI``), or ``None``
    when it fails (too few characters, crash, timeout): the page is then read as it is."""
    step = max(1, int(dpi // OSD_DPI))
    small = np.ascontiguousarray(gray[::step, ::step])
    env = dict(os.environ, OMP_THREAD_LIMIT=os.environ.get("OMP_THREAD_LIMIT", "1"))
    try:
        done = subprocess.run([binary, "stdin", "stdout", "--psm", "0"], input=_png(small, max(1, int(dpi / step))),
                              capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        log.warning("%s: orientation detection timed out after %.0f s", label, timeout)
        return None
    except OSError as exc:
        log.warning("%s: cannot run tesseract for orientation: %s", label, exc)
        return None
    out = done.stdout.decode("utf-8", "replace")
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if done.returncode != 0 or rotate is None or confidence is None:
        log.debug("%s: no orientation found (exit %d)", label, done.returncode)
        return None
    found = Orientation(int(rotate.group(1)) % 360, float(confidence.group(1)))
    log.debug("%s: OSD says turn %d degrees (confidence %.2f)", label, found.rotate, found.confidence)
    return found


def turned(gray: np.ndarray, rotate: int) -> np.ndarray:
    """The image turned ``rotate`` degrees clockwise (a contiguous copy)."""
    return np.ascontiguousarray(np.rot90(gray, -(rotate // 90) % 4))


def _png(gray: np.ndarray, dpi: int) -> bytes:
    """PNG bytes that state their resolution (Tesseract assumes 70 dpi otherwise)."""
    import pymupdf

    pix = pymupdf.Pixmap(pymupdf.csGRAY, gray.shape[1], gray.shape[0], gray.tobytes(), False)
    pix.set_dpi(dpi, dpi)
    return pix.tobytes("png")
