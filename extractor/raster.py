"""Table borders on a scanned page: the raster counterpart of ``ruling.segments_from_drawings``.

On a scan a table's borders are pixels, not vector paths, so a scanned recommendations
table has no drawings for ``ruling`` to read, and OCR reads each row straight across its
cells ("… presence of | Merseyside Police children …"). This module finds the borders
in the page image, so that OCR'd lines can be cut at them and the same grid builder
(``ruling.tables_from_segments``) reads born-digital and scanned tables alike.

Scanners tilt pages by a degree or two, which a border-following approach must undo:
a tilted border crosses many pixel rows. So the chain is

    binarise → skew from the long dark runs (the borders dominate them) → shear the image
    so borders are level (or plumb) → dark runs per row, small gaps bridged → runs of
    adjacent rows stacked into one thin border → ``Segment``s in PDF points

and every coordinate handed back is in the *deskewed* frame, ``Rulings.to_frame`` maps
OCR boxes into it. Pure numpy on a grayscale image; no PDF access.
"""

from __future__ import annotations

import math

import numpy as np

from .ruling import Group, Rulings, Segment, build_grid, group_tables, merge_segments

INK_LEVEL = 160  # grey level below which a pixel is ink (paper is ~240, toner < 100)
_MIN_LENGTH_PT = 10.0  # a border is at least this long; shorter runs are glyph strokes
_MIN_TABLE_PT = 72.0  # a table is at least an inch wide
_MAX_THICK_PT = 2.5  # thicker dark bars are fills or bold glyphs, not borders
_GAP_PT = 0.7  # bridge breaks this wide (speckle, JPEG blocks) inside a border
_MAX_PIXELS = 4_000_000  # larger renders are min-pooled first: 2x2 → 1 keeps 1 px lines
_MAX_SLOPE = 0.05  # skew searched up to ~2.9 degrees either way
_COARSE_STEP = 0.002
_SLOPE_STEP = 0.0002


def find_rulings(gray: np.ndarray, dpi: float, *, origin: tuple[float, float] = (0.0, 0.0)) -> Rulings:
    """Horizontal and vertical borders of a grayscale page image (H×W, uint8).

    ``dpi`` converts pixels to points; ``origin`` is the page's top-left corner in points
    (non-zero only for pages whose box does not start at 0, 0).
    """
    if gray.ndim != 2 or gray.size == 0:
        return Rulings(())
    gray, dpi = _pooled(gray, dpi)
    dark = gray < INK_LEVEL
    min_len = max(8, int(round(_MIN_LENGTH_PT * dpi / 72.0)))
    max_thick = max(3, int(round(_MAX_THICK_PT * dpi / 72.0)))
    gap = max(1, int(round(_GAP_PT * dpi / 72.0)))
    across = np.ascontiguousarray(dark.T)
    slope, lean = estimate_slope(dark, min_len), estimate_slope(across, min_len)
    scale = 72.0 / dpi
    out: list[Segment] = []
    level = _thicken(_shear_columns(dark, slope))
    for row, a, b in _borders(_close(level, gap), min_len, max_thick):
        # a level run at row r, columns a..b came from image points (x, r + slope*x)
        out.append(Segment(True, row * scale, (a - lean * row) * scale, (b - lean * row) * scale))
    plumb = _thicken(_shear_columns(across, lean))  # a row per image column, vertical borders level
    for col, a, b in _borders(_close(plumb, gap), min_len, max_thick):
        # a plumb run at column c, rows a..b came from image points (c + lean*y, y)
        out.append(Segment(False, col * scale, (a - slope * col) * scale, (b - slope * col) * scale))
    # Keep borders that meet others in a grid of at least 2 x 2 cells and an inch wide:
    # glyph strokes of large type (the stem of an "l", the bowl of a "D") are long
    # enough to pass as borders, but at most box a letter.
    out = [s for group in group_tables(merge_segments(out)) if _is_grid(group) for s in (*group.h, *group.v)]
    rulings = Rulings(tuple(out), slope, lean)
    return rulings.shifted(*origin) if origin != (0.0, 0.0) else rulings


def estimate_slope(dark: np.ndarray, min_len: int) -> float:
    """The tilt (dy/dx) of the long horizontal strokes: the scan's skew, read from its borders.

    Points sampled along every long dark run are projected onto the y axis at each
    candidate tilt; the tilt that stacks them into the sharpest profile (the largest sum
    of squared bin counts) wins, searched coarse then fine. A level border is sharpest
    at its own tilt, and a tilted one, which crosses many pixel rows as a staircase of
    runs, lines up only there. Text contributes few long runs. 0.0 without long runs.
    """
    rows, starts, ends = _long_runs(dark, max(2, min_len // 2))
    if len(rows) < 2:
        return 0.0
    y, x = _samples(rows, starts, ends, step=4)
    offset = int(_MAX_SLOPE * dark.shape[1]) + 2

    def sharpness(slope: float) -> float:
        bins = np.rint(y - slope * x).astype(np.int64) + offset
        return float(np.square(np.bincount(bins[bins >= 0])).sum())

    best = max(np.arange(-_MAX_SLOPE, _MAX_SLOPE + 1e-9, _COARSE_STEP), key=lambda s: (sharpness(s), -abs(s)))
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _SLOPE_STEP)
    best = max(fine, key=lambda s: (sharpness(s), -abs(s)))
    return 0.0 if abs(best) < _SLOPE_STEP / 2 else float(best)


def _samples(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
    """(y, x) of points every ``step`` pixels along each run."""
    counts = (ends - starts + step - 1) // step
    first = np.repeat(np.cumsum(counts) - counts, counts)
    along = (np.arange(int(counts.sum())) - first) * step
    return np.repeat(rows, counts).astype(np.float64), (np.repeat(starts, counts) + along).astype(np.float64)


# --------------------------------------------------------------------------- helpers
def _is_grid(group: Group) -> bool:
    xs, ys, _ = build_grid(group)
    return len(xs) >= 3 and len(ys) >= 3 and xs[-1] - xs[0] >= _MIN_TABLE_PT


def _pooled(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """The image shrunk by an integer factor to at most ``_MAX_PIXELS``, keeping each
    block's darkest pixel (so a one-pixel border survives), and its new resolution.

    Borders are long; 150 dpi places them to half a point, and the few arrays the
    search needs then take a quarter of the memory of a 300 dpi OCR render (a poster
    page at OCR's 12-megapixel cap would otherwise add ~60 MB to a worker's peak).
    """
    factor = max(1, math.ceil(math.sqrt(gray.size / _MAX_PIXELS)))
    if factor == 1:
        return gray, dpi
    height, width = (gray.shape[0] // factor) * factor, (gray.shape[1] // factor) * factor
    blocks = gray[:height, :width].reshape(height // factor, factor, width // factor, factor)
    return blocks.min(axis=(1, 3)), dpi / factor


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, start, end) of every horizontal run of True, end exclusive, row-major order."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    return rows, starts, ends


def _long_runs(mask: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like ``_runs`` but only runs at least ``min_len`` long, found far faster.

    The mask is first eroded along rows (doubling the window each step) so that only
    pixels starting ``min_len`` dark pixels in a row stay set; the few runs left are
    then stretched back by ``min_len - 1``. Text leaves almost nothing behind.
    """
    eroded, span = mask, 1
    while span * 2 <= min_len:
        eroded = eroded[:, :-span] & eroded[:, span:]
        span *= 2
    if span < min_len:
        k = min_len - span
        eroded = eroded[:, :-k] & eroded[:, k:]
    busy = np.flatnonzero(eroded.any(axis=1))  # the few rows that hold a long run
    rows, starts, ends = _runs(eroded[busy])
    return busy[rows], starts, ends + (min_len - 1)


def _thicken(mask: np.ndarray) -> np.ndarray:
    """A copy in which each dark pixel also darkens the one below it.

    A hairline levelled by an integer shear still steps between two pixel rows, and
    each step would cut it into pieces too short to count; one row of slack joins them.
    """
    out = mask.copy()
    out[1:] |= mask[:-1]
    return out


def _close(mask: np.ndarray, gap: int) -> np.ndarray:
    """Fill horizontal breaks of up to ``gap`` pixels (a dilation then an erosion)."""
    grown = mask.copy()
    for k in range(1, gap + 1):
        grown[:, k:] |= mask[:, :-k]
    closed = grown.copy()
    for k in range(1, gap + 1):
        closed[:, :-k] &= grown[:, k:]
    return closed


def _shear_columns(mask: np.ndarray, slope: float) -> np.ndarray:
    """Shift each column up by ``slope * x`` so borders with that tilt become level."""
    if slope == 0.0:
        return mask
    height, width = mask.shape
    out = np.zeros_like(mask)
    shifts = np.rint(slope * np.arange(width)).astype(np.int64)
    for shift in np.unique(shifts):
        cols = np.nonzero(shifts == shift)[0]
        lo, hi = int(cols[0]), int(cols[-1]) + 1
        s = int(shift)
        if s >= 0:
            out[: height - s, lo:hi] = mask[s:, lo:hi]
        else:
            out[-s:, lo:hi] = mask[: height + s, lo:hi]
    return out


def _borders(mask: np.ndarray, min_len: int, max_thick: int) -> list[tuple[float, int, int]]:
    """Level borders: (mean row, start, end) of long runs stacked over adjacent rows.

    Runs of consecutive rows that overlap along most of the shorter one form one
    border; a stack thicker than ``max_thick`` rows is a filled area, not a line.
    """
    rows, starts, ends = _long_runs(mask, min_len)
    stacks: list[list[int]] = []  # [first row, last row, start, end, row-sum, count]
    open_: list[list[int]] = []
    for row, a, b in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        open_ = [s for s in open_ if s[1] >= row - 1]
        for stack in open_:
            if min(b, stack[3]) - max(a, stack[2]) >= 0.5 * min(b - a, stack[3] - stack[2]):
                stack[1], stack[2], stack[3] = row, min(a, stack[2]), max(b, stack[3])
                stack[4] += row
                stack[5] += 1
                break
        else:
            stack = [row, row, a, b, row, 1]
            stacks.append(stack)
            open_.append(stack)
    return [(s[4] / s[5], s[2], s[3]) for s in stacks if s[1] - s[0] + 1 <= max_thick]
