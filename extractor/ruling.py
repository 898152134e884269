"""Ruled-table detection from a page's vector drawings (pure geometry, no PDF access).

Why not ``find_tables``: PyMuPDF's table finder builds a Python object per character of
the page, which costs ~0.15 s a page and would dominate extraction time. Reports draw
their table borders as lines or thin rectangles, so the grid can be rebuilt from those
segments in a few milliseconds, and words placed into its cells by their centres.

Chain: ``segments_from_drawings`` → ``merge_segments`` → ``group_tables`` →
``build_grid`` (cells, with merged cells where a border is missing) → ``fill_cells``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import BBox, Table, TableCell

_TOL = 2.0  # points: snapping tolerance for borders
_THIN = 3.0  # a filled rectangle thinner than this is a border line


@dataclass(slots=True)
class Segment:
    """A horizontal (``horizontal=True``: y fixed, a..b along x) or vertical border."""

    horizontal: bool
    pos: float
    a: float
    b: float


@dataclass(frozen=True, slots=True)
class Rulings:
    """Borders found in a page image (see ``raster``), in PDF points, in its deskewed frame.

    ``slope`` is the tilt of the horizontal borders in the image (dy/dx), ``lean`` that
    of the vertical ones (dx/dy). For a pure rotation ``lean == -slope``; scanners that
    stretch one axis more than the other make them differ, so both are measured. A
    point (x, y) of the page maps to the deskewed frame as ``to_frame`` says.
    """

    segments: tuple[Segment, ...]
    slope: float = 0.0
    lean: float = 0.0

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        """A page point in the deskewed frame (to first order in the small tilts)."""
        return x - self.lean * y, y - self.slope * x

    def frame_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box moved with its centre into the deskewed frame (its size kept)."""
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        fx, fy = self.to_frame(cx, cy)
        dx, dy = fx - cx, fy - cy
        return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy

    @property
    def vertical(self) -> list[Segment]:
        return [s for s in self.segments if not s.horizontal]

    def shifted(self, x: float, y: float) -> Rulings:
        """The same borders for a page whose top-left corner is at (x, y), not (0, 0)."""
        dx, dy = self.to_frame(x, y)
        return Rulings(tuple(
            Segment(True, s.pos + dy, s.a + dx, s.b + dx) if s.horizontal else Segment(False, s.pos + dx, s.a + dy, s.b + dy)
            for s in self.segments), self.slope, self.lean)


@dataclass(slots=True)
class Group:
    """Borders that cross one another: one table's horizontal and vertical lines."""

    h: list[Segment] = field(default_factory=list)
    v: list[Segment] = field(default_factory=list)


def segments_from_drawings(drawings: Iterable[dict[str, Any]]) -> list[Segment]:
    """Horizontal and vertical border segments from PyMuPDF drawing dicts."""
    out: list[Segment] = []
    shaded: list[Segment] = []  # edges of filled, unstroked rectangles
    for path in drawings:
        stroked = "s" in path.get("type", "s")
        for item in path.get("items", ()):
            op = item[0]
            if op == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                _add_line(out, x0, y0, x1, y1)
            elif op == "re":
                x0, y0, x1, y1 = item[1]
                x0, x1 = min(x0, x1), max(x0, x1)
                y0, y1 = min(y0, y1), max(y0, y1)
                if y1 - y0 < _THIN and x1 - x0 > _THIN:
                    out.append(Segment(True, (y0 + y1) / 2, x0, x1))
                elif x1 - x0 < _THIN and y1 - y0 > _THIN:
                    out.append(Segment(False, (x0 + x1) / 2, y0, y1))
                else:
                    edges = [Segment(True, y0, x0, x1), Segment(True, y1, x0, x1),
                             Segment(False, x0, y0, y1), Segment(False, x1, y0, y1)]
                    (out if stroked else shaded).extend(edges)
    return out + _undrawn(shaded, out)


def _undrawn(edges: list[Segment], drawn: list[Segment]) -> list[Segment]:
    """The edges of shaded boxes along which no border is drawn.

    A shaded row can stand in for a row separator that is not drawn (a shaded header
    repeated over the tail of a row broken by the page). Where a drawn border runs
    along the edge, the drawn one alone places the border.
    """
    if not edges:
        return []
    by_pos = {h: sorted((s for s in drawn if s.horizontal is h), key=lambda s: s.pos) for h in (True, False)}
    keys = {h: [s.pos for s in segs] for h, segs in by_pos.items()}
    out: list[Segment] = []
    for edge in edges:
        segs, pos = by_pos[edge.horizontal], keys[edge.horizontal]
        k = bisect_left(pos, edge.pos - _TOL)
        near = []
        while k < len(segs) and pos[k] <= edge.pos + _TOL:
            near.append(segs[k])
            k += 1
        along = sum(max(0.0, min(s.b, edge.b) - max(s.a, edge.a)) for s in near)
        if along < (edge.b - edge.a) * 0.5:
            out.append(edge)
    return out


def transform_segments(segments: Iterable[Segment], matrix: Sequence[float]) -> list[Segment]:
    """Segments mapped through an affine ``matrix`` (a, b, c, d, e, f) that turns by a
    multiple of 90 degrees, such as a PyMuPDF ``page.rotation_matrix``.

    Why: PyMuPDF gives a rotated page's drawings in the unrotated page's space, while its
    words are read in the displayed frame (``load.text_page``); borders and words must
    share one frame for words to land in the right cells. A horizontal border of the
    stored page is a vertical one of a page shown turned by 90 or 270 degrees.
    """
    a, b, c, d, e, f = (float(v) for v in matrix)
    out: list[Segment] = []
    for s in segments:
        (x0, y0), (x1, y1) = ((s.a, s.pos), (s.b, s.pos)) if s.horizontal else ((s.pos, s.a), (s.pos, s.b))
        u0, v0 = a * x0 + c * y0 + e, b * x0 + d * y0 + f
        u1, v1 = a * x1 + c * y1 + e, b * x1 + d * y1 + f
        if abs(v1 - v0) <= abs(u1 - u0):
            out.append(Segment(True, (v0 + v1) / 2, min(u0, u1), max(u0, u1)))
        else:
            out.append(Segment(False, (u0 + u1) / 2, min(v0, v1), max(v0, v1)))
    return out


def _add_line(out: list[Segment], x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y1 - y0) < 1.0 and abs(x1 - x0) > _TOL:
        out.append(Segment(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 1.0 and abs(y1 - y0) > _TOL:
        out.append(Segment(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Join collinear segments that touch or overlap (cell borders drawn piecewise).

    Segments within ``_TOL`` of each other across the border form one line (a border
    read from a scan wavers by a pixel or two); along it, pieces that touch or overlap
    join. A joined segment sits where its longest piece does.
    """
    merged: list[Segment] = []
    for horizontal in (True, False):
        group = sorted((s for s in segments if s.horizontal is horizontal), key=lambda s: s.pos)
        lines: list[list[Segment]] = []
        for seg in group:
            if lines and seg.pos - lines[-1][0].pos <= _TOL:
                lines[-1].append(seg)
            else:
                lines.append([seg])
        for line in lines:
            current: Segment | None = None
            longest = 0.0
            for seg in sorted(line, key=lambda s: s.a):
                if current and seg.a <= current.b + _TOL:
                    current.b = max(current.b, seg.b)
                    if seg.b - seg.a > longest:
                        current.pos, longest = seg.pos, seg.b - seg.a
                else:
                    if current:
                        merged.append(current)
                    current, longest = Segment(seg.horizontal, seg.pos, seg.a, seg.b), seg.b - seg.a
            if current:
                merged.append(current)
    return merged


def _touch(h: Segment, v: Segment) -> bool:
    return h.a - _TOL <= v.pos <= h.b + _TOL and v.a - _TOL <= h.pos <= v.b + _TOL


def group_tables(segments: list[Segment]) -> list[Group]:
    """Connected components of crossing segments: one per table."""
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touch(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, Group] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), Group()).h.append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), Group()).v.append(v)
    return [g for g in groups.values() if len(g.h) >= 2 and len(g.v) >= 2]


def _cluster(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _covered(segs: list[Segment], pos: float, a: float, b: float) -> bool:
    """Is there a border at ``pos`` covering most of the span a..b?"""
    need = (b - a) * 0.6
    return any(abs(s.pos - pos) <= _TOL and min(s.b, b) - max(s.a, a) >= need for s in segs)


def build_grid(group: Group) -> tuple[list[float], list[float], list[list[int]]]:
    """Column and row boundaries, and for each grid slot the id of its (merged) cell."""
    xs = _cluster([v.pos for v in group.v])
    ys = _cluster([h.pos for h in group.h])
    rows, cols = len(ys) - 1, len(xs) - 1
    ids = [[r * cols + c for c in range(cols)] for r in range(rows)]
    parent = {i: i for row in ids for i in row}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(group.v, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(ids[r][c + 1])] = find(ids[r][c])
            if r + 1 < rows and not _covered(group.h, ys[r + 1], xs[c], xs[c + 1]):
                parent[find(ids[r + 1][c])] = find(ids[r][c])
    return xs, ys, [[find(i) for i in row] for row in ids]


def cell_boxes(xs: list[float], ys: list[float], grid: list[list[int]]) -> dict[int, list[float]]:
    """Each (merged) cell's box [x0, y0, x1, y1], by cell id."""
    boxes: dict[int, list[float]] = {}
    for r, row in enumerate(grid):
        for c, cid in enumerate(row):
            box = boxes.setdefault(cid, [xs[c], ys[r], xs[c + 1], ys[r + 1]])
            box[0], box[1] = min(box[0], xs[c]), min(box[1], ys[r])
            box[2], box[3] = max(box[2], xs[c + 1]), max(box[3], ys[r + 1])
    return boxes


def fill_cells(
    xs: list[float], ys: list[float], grid: list[list[int]], words: Sequence[Sequence[Any]], page: int
) -> Table | None:
    """Place words into the grid's cells; the first slot of a merged cell holds it."""
    if not grid or not grid[0]:
        return None
    rows, cols = len(grid), len(grid[0])
    boxes = cell_boxes(xs, ys, grid)
    texts: dict[int, list[tuple[float, float, str]]] = {k: [] for k in boxes}
    for w in words:
        cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
        c = _index(xs, cx)
        r = _index(ys, cy)
        if c is None or r is None:
            continue
        texts[grid[r][c]].append((w[3], w[0], str(w[4])))
    seen: set[int] = set()
    table_rows: list[tuple[TableCell | None, ...]] = []
    for r in range(rows):
        cells: list[TableCell | None] = []
        for c in range(cols):
            cid = grid[r][c]
            if cid in seen:
                cells.append(None)
                continue
            seen.add(cid)
            cells.append(TableCell(text=_lines_text(texts[cid]), bbox=tuple(boxes[cid])))  # type: ignore[arg-type]
        table_rows.append(tuple(cells))
    bbox: BBox = (xs[0], ys[0], xs[-1], ys[-1])
    return Table(page=page, bbox=bbox, rows=tuple(table_rows))


def _index(bounds: list[float], value: float) -> int | None:
    """The first slot ``i`` with ``bounds[i] <= value <= bounds[i + 1]`` (bounds sorted)."""
    k = bisect_left(bounds, value)
    if k == 0:
        return 0 if len(bounds) > 1 and value == bounds[0] else None
    return k - 1 if k < len(bounds) else None


def _lines_text(words: list[tuple[float, float, str]]) -> str:
    """Words (bottom, x0, text) → text with one line per visual line."""
    lines: list[list[tuple[float, float, str]]] = []
    for w in sorted(words):
        if lines and abs(lines[-1][0][0] - w[0]) <= 2.0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return "\n".join(" ".join(t for _, _, t in sorted(line, key=lambda x: x[1])) for line in lines)


def find_ruled_tables(drawings: Iterable[dict[str, Any]], words: Sequence[Sequence[Any]], page: int) -> list[Table]:
    """All ruled tables on a page with at least two rows and two columns."""
    return tables_from_segments(segments_from_drawings(drawings), words, page)


def tables_from_segments(segments: list[Segment], words: Sequence[Sequence[Any]], page: int) -> list[Table]:
    """Tables from border segments, wherever they came from (vector drawings or a scan's
    pixels, see ``raster``); ``words`` are (x0, y0, x1, y1, text, …) in the same frame."""
    tables: list[Table] = []
    for group in group_tables(merge_segments(segments)):
        xs, ys, grid = build_grid(group)
        if len(xs) < 3 or len(ys) < 3:
            continue
        table = fill_cells(xs, ys, grid, words, page)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.bbox[1])
