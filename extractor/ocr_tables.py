"""OCR of a scanned table: cut lines at the cell borders, re-read the cells OCR lost.

Tesseract reads a page as lines of text. On a ruled table that goes wrong twice:

- it reads each row straight across the cells ("… the presence of | Merseyside Police
  children …"), so a recommendation would run on into its addressee (``cut_at_borders``);
- an isolated short label in a narrow cell (the "5" of a "No." column) is often dropped
  as noise or garbled ("7" → "tf"), so a row would lose its id (``reread_cells``).

Both use the borders found in the page image (``raster.find_rulings``). Lines here are
``hocr.OcrLine`` in the rendered image's pixels; borders are in PDF points, in the
deskewed frame; ``scale`` is points per pixel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import numpy as np

from .hocr import OcrLine, parse_hocr
from .raster import INK_LEVEL, find_rulings
from .ruling import Rulings, build_grid, cell_boxes, group_tables, merge_segments

log = logging.getLogger(__name__)

_BORDER_GLYPHS = frozenset("|[]!_¦")  # what Tesseract reads a table border as
_NARROW_PT = 72.0  # a cell this narrow (or under _NARROW_SHARE of its table) holds a label
_NARROW_SHARE = 0.15
_INSET_PT = 2.0  # keep the borders out of a cell's crop
_PAD_PX = 12  # white margin around a crop: Tesseract reads a glyph touching the edge badly
_MIN_INK_PX = 12  # fewer dark pixels than this: the cell is empty, nothing to re-read
_MAX_REREADS = 60  # per page: bounds the time a pathological page can take
_ID_HEADER = re.compile(r"^(?:no\.?|ref\.?|id|#)$", re.I)  # an id column's header: read fine

ReadCell = Callable[[bytes], "str | None"]  # PNG bytes → hOCR of one line, or None


def image_of(samples: bytes | memoryview, width: int, height: int, channels: int) -> np.ndarray:
    """A rendered page's first channel as an H×W uint8 array (grey for a grey render)."""
    return np.frombuffer(samples, dtype=np.uint8).reshape(height, width, channels)[:, :, 0]


def page_rulings(gray: np.ndarray, dpi: float) -> Rulings:
    """The table borders drawn on a rendered page (see ``raster``)."""
    return find_rulings(gray, dpi)


def cut_at_borders(lines: list[OcrLine], rulings: Rulings, scale: float) -> list[OcrLine]:
    """Cut each line where a vertical table border runs through it.

    A line is cut between two words when a border passes between their centres; a
    "word" that is only the border itself ("|", "[", "_|") is dropped, and border glyphs
    clinging to the ends of a cell's text are stripped. The cells of a row become lines
    of their own, side by side, as on a born-digital page.
    """
    vertical = rulings.vertical
    if not vertical:
        return lines
    out: list[OcrLine] = []
    for line in lines:
        if len(line.boxes) != len(line.words):
            out.append(line)
            continue
        middle = (line.bbox[1] + line.bbox[3]) / 2 * scale

        def crossed(x0: float, x1: float, *, middle: float = middle) -> bool:
            a, y = rulings.to_frame(x0 * scale, middle)
            b, _ = rulings.to_frame(x1 * scale, middle)
            return any(a <= s.pos <= b and s.a <= y <= s.b for s in vertical)

        parts: list[list[int]] = [[]]
        for i, (word, box) in enumerate(zip(line.words, line.boxes)):
            if all(c in _BORDER_GLYPHS for c in word) and crossed(box[0] - 2, box[2] + 2):
                parts.append([])  # the border itself
                continue
            if parts[-1]:
                left = line.boxes[parts[-1][-1]]
                if crossed((left[0] + left[2]) / 2, (box[0] + box[2]) / 2):
                    parts.append([])
            parts[-1].append(i)
        parts = [p for p in parts if p]
        if len(parts) == 1 and len(parts[0]) == len(line.words):
            out.append(line)
            continue
        for part in parts:
            words = [line.words[i] for i in part]
            words[0], words[-1] = words[0].lstrip("|¦"), words[-1].rstrip("|¦")
            kept = [(w, line.boxes[i]) for w, i in zip(words, part) if w]
            if kept:
                out.append(_line_of(kept, line))
    return out


def reread_cells(lines: list[OcrLine], rulings: Rulings, gray: np.ndarray, scale: float,
                 read: ReadCell) -> list[OcrLine]:
    """Read again, one by one, the narrow cells whose text OCR lost or garbled.

    A narrow cell (an id or "No." column) is read again when it has ink but no text, or
    a short text without a digit ("tf" for "7", "S" for "5") that is not a column header
    ("No."); ``read`` gets the cell's
    crop alone, where a lone label is no longer mistaken for noise. The new reading
    replaces the old one only if it is not empty. Wide cells keep what the page's OCR
    read: their text is prose, which Tesseract reads well in context.
    """
    cells = list(_label_cells(rulings))
    if not cells:
        return lines
    centres = [rulings.to_frame((ln.bbox[0] + ln.bbox[2]) / 2 * scale, (ln.bbox[1] + ln.bbox[3]) / 2 * scale)
               for ln in lines]
    out = list(lines)
    replaced: set[int] = set()
    added: list[OcrLine] = []
    rereads = 0
    read_cells = []
    for box in cells:
        inside = [i for i, (x, y) in enumerate(centres) if box[0] <= x <= box[2] and box[1] <= y <= box[3]]
        read_cells.append((box, inside, " ".join(lines[i].text for i in inside).strip()))
    id_columns = _id_columns(read_cells)
    for box, inside, text in read_cells:
        if _column_of(box) not in id_columns:
            continue  # a narrow column of words or figures, not of labels
        if text and (len(text) > 3 or any(c.isdigit() for c in text) or _ID_HEADER.match(text)):
            continue
        region = _crop_region(box, rulings, scale, gray.shape)
        if region is None:
            continue
        x0, y0, x1, y1 = region
        crop = gray[y0:y1, x0:x1]
        if int((crop < INK_LEVEL).sum()) < _MIN_INK_PX:
            continue
        if rereads >= _MAX_REREADS:
            log.debug("more than %d table cells to re-read; the rest keep the page's OCR", _MAX_REREADS)
            break
        rereads += 1
        hocr = read(_png(crop))
        fresh = [_moved(ln, x0 - _PAD_PX, y0 - _PAD_PX) for ln in parse_hocr(hocr or "")]
        if not fresh:
            continue
        replaced.update(inside)
        added.extend(fresh)
    if not added:
        return lines
    kept = [ln for i, ln in enumerate(out) if i not in replaced]
    return _in_reading_order(kept, added)


# --------------------------------------------------------------------------- helpers
def _line_of(kept: list[tuple[str, tuple[float, float, float, float]]], like: OcrLine) -> OcrLine:
    boxes = [b for _, b in kept]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    # the baseline is kept where it was: its offset is from the bottom of the box
    return OcrLine(bbox, like.x_size, like.block, like.baseline + (like.bbox[3] - bbox[3]),
                   [w for w, _ in kept], boxes)


def _column_of(box: list[float]) -> tuple[int, int]:
    return round(box[0]), round(box[2])


def _id_columns(cells: list[tuple[list[float], list[int], str]]) -> set[tuple[int, int]]:
    """The narrow columns that hold ids: titled "No."/"Ref", or numbered in most cells.

    Only their cells are worth reading again: a wide table of short words or figures
    (a statistics table in a scanned appendix) has many narrow cells, and re-reading
    each one costs a Tesseract run (~0.2 s).
    """
    texts: dict[tuple[int, int], list[str]] = {}
    for box, _, text in cells:
        texts.setdefault(_column_of(box), []).append(text)
    out = set()
    for column, found in texts.items():
        filled = [t for t in found if t]
        numbered = sum(any(c.isdigit() for c in t) for t in filled)
        if any(_ID_HEADER.match(t) for t in filled) or (filled and numbered >= 0.5 * len(filled)):
            out.add(column)
    return out


def _label_cells(rulings: Rulings) -> list[list[float]]:
    """Boxes (deskewed frame, points) of the narrow cells of every ruled table."""
    out: list[list[float]] = []
    for group in group_tables(merge_segments(list(rulings.segments))):
        xs, ys, grid = build_grid(group)
        if len(xs) < 3 or len(ys) < 3:
            continue
        narrow = max(_NARROW_PT, _NARROW_SHARE * (xs[-1] - xs[0]))
        out.extend(box for box in cell_boxes(xs, ys, grid).values() if box[2] - box[0] <= narrow)
    return out


def _crop_region(box: list[float], rulings: Rulings, scale: float,
                 shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    """The pixel rectangle of a cell (frame points) in the tilted image, borders inset."""
    x0, y0, x1, y1 = (box[0] + _INSET_PT, box[1] + _INSET_PT, box[2] - _INSET_PT, box[3] - _INSET_PT)
    if x1 <= x0 or y1 <= y0:
        return None
    # frame → image, to first order: x = x' + lean·y', y = y' + slope·x'
    corners = [(x + rulings.lean * y, y + rulings.slope * x) for x in (x0, x1) for y in (y0, y1)]
    xs = sorted(int(round(c[0] / scale)) for c in corners)
    ys = sorted(int(round(c[1] / scale)) for c in corners)
    # the tilt makes the bounding rectangle reach past the cell at its corners: keep the
    # rectangle inside the straight part of the cell
    left, right = xs[1], xs[2]
    top, bottom = ys[1], ys[2]
    height, width = shape[0], shape[1]
    left, top = max(left, 0), max(top, 0)
    right, bottom = min(right, width), min(bottom, height)
    if right - left < 4 or bottom - top < 4:
        return None
    return left, top, right, bottom


def _png(crop: np.ndarray) -> bytes:
    """A crop in black and white with a white margin, as PNG bytes for Tesseract.

    Black and white, because the grain of a scan's paper is enough to make Tesseract
    read a lone "7" as "tf"; thresholded at the ink level, it reads "7".
    """
    import pymupdf

    padded = np.full((crop.shape[0] + 2 * _PAD_PX, crop.shape[1] + 2 * _PAD_PX), 255, dtype=np.uint8)
    padded[_PAD_PX:-_PAD_PX, _PAD_PX:-_PAD_PX] = np.where(crop < INK_LEVEL, 0, 255)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, padded.shape[1], padded.shape[0], padded.tobytes(), False)
    return pix.tobytes("png")


def _moved(line: OcrLine, dx: float, dy: float) -> OcrLine:
    def shift(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy

    return OcrLine(shift(line.bbox), line.x_size, -1, line.baseline, list(line.words), [shift(b) for b in line.boxes])


def _in_reading_order(lines: list[OcrLine], added: list[OcrLine]) -> list[OcrLine]:
    """``lines`` with each of ``added`` put before the first line that starts on a lower row,
    or right of it on the same row (Tesseract reads a table row by row, cell by cell)."""
    out = list(lines)
    for new in sorted(added, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
        middle = (new.bbox[1] + new.bbox[3]) / 2
        at = len(out)
        for i, line in enumerate(out):
            same_row = line.bbox[1] <= middle <= line.bbox[3]
            if line.bbox[1] > middle or (same_row and line.bbox[0] > new.bbox[0]):
                at = i
                break
        new.block = out[at].block if at < len(out) else (out[-1].block if out else 0)
        out.insert(at, new)
    return out
