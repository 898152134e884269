"""Tables drawn without vertical borders, rebuilt from the alignment of their words.

Why: ``ruling`` finds a table only where at least two horizontal and two vertical
borders cross. Word and LibreOffice tables are often printed with no borders at all, or
with horizontal rules only (``LINEBELOW``); their rows then reach line parsing, where
cells at one height in different columns are joined into one line ("Anytown Police
6 months"), a bold "Agency" column header is read as an agency subheading and the ids
in the first column are lost. This module rebuilds such a table as the same ``Table``
(rows of ``TableCell``) a ruled one gives, so ``tables.rows_from_tables`` reads both.

How, and why each rule (measured on python-docx → LibreOffice and reportlab renders):

* **Anchor on a header row.** A text row (words on one baseline) that splits into at
  least two groups at gaps of ``_COL_GAP`` points or more, every group short (a column
  title, not a sentence), and whose groups ``tables.header_columns`` accepts: the header
  vocabulary of ruled tables, so the two readers agree on what a recommendations table
  is. Prose, contents entries and two-column text have long groups or no
  "Recommendation" title beside an id/agency/other title, so they never anchor. A title
  wrapped inside its cell ("Lead / agency") is joined from the next row when that row
  sits within ``_HEADER_WRAP`` word heights and each of its short groups lies under
  one title (word heights alone cannot tell a wrapped title from the first body row:
  1.32 heights in LibreOffice output against 1.38 in reportlab's, hence the shortness).
* **Columns** start at the header titles' left edges: cells are left-aligned in both
  word processors, and the header's x positions are the only ones known before the
  body is read. A body word that straddles a column start ends the table.
* **Body**: the text rows below the header while every word lies in one column, no
  baseline step exceeds ``_MAX_STEP`` word heights, the type is not clearly larger (a
  heading) or smaller after a gap (the page footer), and, where there is an id column,
  its cell holds an id ("1", "9.2", "R3") or nothing. A full-width paragraph straddles a
  column start. A heading and a short paragraph in body type can fit the first column:
  trailing one-column rows after rows that all fill several columns are dropped.
* **Confirmation**: some row fills two columns side by side, and the text column holds
  sentences (five words or more, two a line on average), so a summary of counts under
  "Number of recommendations" or a header-like line over prose is not a table.
* **Row boundaries**: horizontal rules across the table when there are any inside its
  body; else a non-empty id cell; else a baseline step clearly larger than the body's
  line pitch (rows are separated by the cells' padding, lines within a cell are not).
  The pitch is measured, not derived from word heights: MuPDF's word boxes are taller
  than the line pitch in reportlab output and shorter in LibreOffice output.
* **Next page**: a page whose own header repeats is read on its own; a page without a
  header continues the previous page's table when that one ran to the page's end and the
  first text rows (under the running header) fit its columns.

Cost: called only on the located section's candidate table pages where no ruled table
was found, on the words already read for ruling (see ``load.PdfFile.tables``). Run on
every one of the 5,788 pages of the samples and the PDF test corpus (which includes
camelot's borderless "stream" tables) it finds no table: none has a recommendations
header over sentences.

Limits: titles centred over their column (the column would start at the title, so the
body straddles it and no table is found), a theme row spanning the table (it ends the
table; the rows after it go to line parsing), and header titles centred vertically
(split over two text rows).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Table, TableCell
from .ruling import fill_cells, merge_segments, segments_from_drawings
from .tables import Columns, header_columns

log = logging.getLogger(__name__)

Word = tuple[float, float, float, float, str]

_BASELINE_TOL = 2.0  # points: words whose bottoms differ less share a text row
_COL_GAP = 8.0  # points: narrower gaps are word spaces (cell padding is ≥ 10 pt)
_EDGE = 2.0  # points: a column starts this far left of its header title
_HEADER_WORDS = 5  # a header title is at most this many words …
_HEADER_CHARS = 40  # … and characters
_WRAP_WORDS = 3  # a title's wrapped line is at most this many words
_HEADER_WRAP = 1.45  # a title's wrapped line sits at most this many word heights lower
_MAX_STEP = 4.0  # a larger baseline step (in word heights) ends the table
_HEADING_SIZE = 1.3  # a text row this much taller than the one above is a heading
_FOOTER_SIZE = 0.85  # one this much smaller …
_FOOTER_GAP = 2.0  # … this many heights lower is page furniture
_ROW_BREAK = 1.25  # without ids or rules, a step this much above the pitch starts a row
_RULE_COVER = 0.6  # a horizontal rule across this share of the table's width
_MIN_TEXT_WORDS = 5  # a text column holds sentences: this many words at least, two a line
_CONTINUE_TOP = 0.2  # a continuation starts in this top share of the next page
# An id cell: "1", "1.", "9.2", "10.1.3a", "R3", "R.3", "DHR 2", "Rec 4", "a)", "(iv)".
_ID_CELL = re.compile(
    r"^(?:(?:rec(?:ommendation)?|dhr|ref)\.?\s*(?:no\.?\s*)?)?(?:[A-Z]{1,3}\.?\s?)?\d{1,3}(?:\.\d{1,3}){0,3}"
    r"\s?(?:[a-z]|\([a-z]\))?[.):]?$|^\(?(?:[a-z]|[ivx]{1,4})[.)]$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class TextRow:
    """Words on one baseline, left to right (they may belong to several columns)."""

    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w[1] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w[3] for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(w[3] - w[1] for w in self.words)


@dataclass(frozen=True, slots=True)
class Header:
    """A header row: the column starts its titles give, and the rows it spans."""

    starts: tuple[float, ...]
    columns: Columns
    first: int  # index of its first text row
    end: int  # index of the first text row after it


@dataclass(frozen=True, slots=True)
class Layout:
    """What a table leaves for the next page: its columns, if it ran to the page end."""

    starts: tuple[float, ...]
    columns: Columns


def text_rows(words: Iterable[Sequence[Any]]) -> list[TextRow]:
    """The page's words grouped into text rows by baseline, top to bottom."""
    ordered = sorted(((float(w[0]), float(w[1]), float(w[2]), float(w[3]), str(w[4])) for w in words),
                     key=lambda w: (w[3], w[0]))
    rows: list[list[Word]] = []
    for word in ordered:
        if rows and word[3] - rows[-1][0][3] <= _BASELINE_TOL:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [TextRow(tuple(sorted(r, key=lambda w: w[0]))) for r in rows]


def groups(row: TextRow) -> list[list[Word]]:
    """A row's words split at gaps wide enough to separate table columns."""
    out: list[list[Word]] = []
    for word in row.words:
        if out and word[0] - out[-1][-1][2] < _COL_GAP:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _text(words: Sequence[Word]) -> str:
    return " ".join(w[4] for w in words)


def find_header(rows: Sequence[TextRow], index: int) -> Header | None:
    """The header row starting at ``rows[index]``, or None when it is not one."""
    parts = groups(rows[index])
    if len(parts) < 2 or any(len(p) > _HEADER_WORDS or len(_text(p)) > _HEADER_CHARS for p in parts):
        return None
    starts = [p[0][0] for p in parts]
    titles = [_text(p) for p in parts]
    end = index + 1
    while end < len(rows) and end - index < 3:
        wrapped = _wrapped_titles(rows[end - 1], rows[end], starts)
        if wrapped is None:
            break
        for column, text in wrapped:
            titles[column] = f"{titles[column]} {text}"
        end += 1
    cells = tuple(TableCell(t, (s, rows[index].top, s, rows[end - 1].bottom)) for s, t in zip(starts, titles))
    columns = header_columns(cells)
    if columns is None:
        return None
    return Header(tuple(starts), columns, index, end)


def _wrapped_titles(above: TextRow, row: TextRow, starts: list[float]) -> list[tuple[int, str]] | None:
    """The (column, text) pieces of ``row`` when it carries on wrapped header titles."""
    if row.bottom - above.bottom > _HEADER_WRAP * above.height:
        return None
    pieces: list[tuple[int, str]] = []
    for part in groups(row):
        column = _column_of(part, starts)
        if column is None or len(part) > _WRAP_WORDS or _ID_CELL.match(_text(part)):
            return None
        pieces.append((column, _text(part)))
    return pieces


def _column_of(words: Sequence[Word], starts: Sequence[float]) -> int | None:
    """The column holding all of ``words``, or None when they straddle a column start."""
    x0, x1 = words[0][0], max(w[2] for w in words)
    if x0 < starts[0] - _EDGE:
        return None
    column = sum(1 for s in starts[1:] if x0 >= s - _EDGE)
    if column + 1 < len(starts) and x1 > starts[column + 1] - _EDGE:
        return None
    return column


def _not_table_type(row: TextRow, above: TextRow) -> bool:
    """True for a heading (larger type) or page furniture (smaller type, after a gap)."""
    if row.height > _HEADING_SIZE * above.height:
        return True
    gap = row.bottom - above.bottom
    return row.height < _FOOTER_SIZE * above.height and gap > _FOOTER_GAP * above.height


def _cells(row: TextRow, starts: Sequence[float]) -> list[str] | None:
    """A text row's words per column, or None when a word straddles a column start."""
    cells: list[list[Word]] = [[] for _ in starts]
    for word in row.words:
        column = _column_of((word,), starts)
        if column is None:
            return None
        cells[column].append(word)
    return [_text(c) for c in cells]


def body_rows(rows: Sequence[TextRow], start: int, layout: Layout, above: TextRow | None) -> list[TextRow]:
    """The text rows from ``rows[start]`` on that lie in the table's columns.

    A row in a larger type than the table's (a heading) ends it, even when it is narrow
    enough to fit the first column, and so does one in a smaller type after a gap (the
    page footer: "Page 6").
    """
    body: list[TextRow] = []
    previous = above
    id_col = layout.columns.id
    for row in rows[start:]:
        if previous is not None and row.bottom - previous.bottom > _MAX_STEP * max(previous.height, row.height):
            break
        if previous is not None and _not_table_type(row, previous):
            break
        cells = _cells(row, layout.starts)
        if cells is None:
            break
        if id_col is not None and cells[id_col] and not _ID_CELL.match(cells[id_col]):
            break
        body.append(row)
        previous = row
    return body


def row_starts(body: Sequence[TextRow], layout: Layout, rules: Sequence[float]) -> list[int]:
    """Indexes of the body's text rows that begin a table row (always 0)."""
    inside = [r for r in rules if body[0].middle < r < body[-1].middle]
    starts = [0]
    if inside:
        for i in range(1, len(body)):
            if any(body[i - 1].middle < r < body[i].middle for r in inside):
                starts.append(i)
        return starts
    if layout.columns.id is not None:
        id_col = layout.columns.id
        return [i for i, row in enumerate(body) if i == 0 or _cells(row, layout.starts)[id_col]]  # type: ignore[index]
    steps = [b.bottom - a.bottom for a, b in zip(body, body[1:])]
    if not steps:
        return starts
    pitch = min(steps)
    return starts + [i + 1 for i, step in enumerate(steps) if step > _ROW_BREAK * pitch]


def horizontal_rules(drawings: Iterable[dict[str, Any]]) -> list[tuple[float, float, float]]:
    """The page's horizontal rules as (y, x0, x1)."""
    return [(s.pos, s.a, s.b) for s in merge_segments(segments_from_drawings(drawings)) if s.horizontal]


def build_table(
    header_rows: Sequence[TextRow], body: Sequence[TextRow], layout: Layout,
    rules: Sequence[tuple[float, float, float]], page: int,
) -> Table | None:
    """A ``Table`` from the header's and body's text rows: one grid row per table row."""
    words = [w for row in (*header_rows, *body) for w in row.words]
    x0 = min(min(w[0] for w in words), layout.starts[0] - _EDGE) - 1
    x1 = max(w[2] for w in words) + 1
    width = x1 - x0
    across = [y for y, a, b in rules if min(b, x1) - max(a, x0) >= _RULE_COVER * width]
    starts = row_starts(body, layout, across)
    starts, body = _without_tail(starts, body, layout)
    ys = [header_rows[0].top - 1] if header_rows else [body[0].top - 1]
    if header_rows:
        ys.append((header_rows[-1].middle + body[0].middle) / 2)
    ys += [(body[i - 1].middle + body[i].middle) / 2 for i in starts[1:]]
    ys.append(body[-1].bottom + 1)
    xs = [x0, *(s - _EDGE for s in layout.starts[1:]), x1]
    cols = len(xs) - 1
    grid = [[r * cols + c for c in range(cols)] for r in range(len(ys) - 1)]
    return fill_cells(xs, ys, grid, words, page)


def _without_tail(starts: list[int], body: Sequence[TextRow], layout: Layout) -> tuple[list[int], Sequence[TextRow]]:
    """The table rows without trailing one-column rows after rows that all fill two or more.

    A heading in body type and a short paragraph after the table can fit the first
    column; in a table whose rows all fill several columns they are not rows of it.
    """
    filled = []
    for k, first in enumerate(starts):
        last = starts[k + 1] if k + 1 < len(starts) else len(body)
        used = {c for row in body[first:last] for c, t in enumerate(_cells(row, layout.starts) or []) if t}
        filled.append(len(used))
    while len(filled) > 1 and filled[-1] < 2 and all(f >= 2 for f in filled[:-1]):
        filled.pop()
        body = body[:starts.pop()]
    return starts, body


def _confirmed(body: Sequence[TextRow], layout: Layout, *, running_on: bool = False) -> bool:
    """The body fills the text column and, somewhere, a second column beside it.

    A table running on from the page before may hold only the tail of a row's text
    under its repeated header; its columns were confirmed on that page.
    """
    cells = [_cells(row, layout.starts) or [] for row in body]
    texts = [c[layout.columns.text] for c in cells if c[layout.columns.text]]
    # sentences, not a column of counts under "Number of recommendations" (a summary)
    count = sum(len(t.split()) for t in texts)
    has_text = count >= _MIN_TEXT_WORDS and count >= 2 * len(texts)
    side_by_side = any(sum(1 for t in c if t) >= 2 for c in cells)
    return has_text and (side_by_side or running_on)


def aligned_tables(
    words: Sequence[Sequence[Any]], drawings: Iterable[dict[str, Any]], page: int, page_height: float,
    carried: Layout | None = None,
) -> tuple[list[Table], Layout | None]:
    """Borderless tables on a page, and the layout the next page may continue.

    ``carried`` is the layout of a table that ran to the end of the page before: rows at
    the top of this page that fit its columns continue it (as a header-less table).
    """
    rows = text_rows(words)
    if len(rows) < 2:
        return [], None
    rules = horizontal_rules(drawings)
    tables: list[Table] = []
    last: tuple[Layout, TextRow] | None = None
    index = 0
    if carried is not None:
        index, table = _continuation(rows, carried, rules, page, page_height)
        if table is not None:
            tables.append(table)
            last = carried, rows[index - 1]
    while index < len(rows):
        header = find_header(rows, index)
        if header is None:
            index += 1
            continue
        layout = Layout(header.starts, header.columns)
        body = body_rows(rows, header.end, layout, rows[header.end - 1])
        running_on = carried is not None and not tables and layout.starts == carried.starts
        if not body or not _confirmed(body, layout, running_on=running_on):
            index += 1
            continue
        table = build_table(rows[header.first:header.end], body, layout, rules, page)
        if table is not None:
            log.debug("page %d: borderless table of %d rows", page, len(table.rows))
            tables.append(table)
            last = layout, body[-1]
        index = header.end + len(body)
    if last is not None and _runs_to_end(rows, last[1]):
        return tables, last[0]
    return tables, None


def _continuation(
    rows: Sequence[TextRow], layout: Layout, rules: Sequence[tuple[float, float, float]], page: int,
    page_height: float,
) -> tuple[int, Table | None]:
    """A table's rows continued at the top of this page: (index after them, the table)."""
    for start, row in enumerate(rows):
        if row.top > _CONTINUE_TOP * page_height:
            break
        if find_header(rows, start) is not None:
            break  # the header repeats: read as a table of its own
        body = body_rows(rows, start, layout, None)
        # two rows at least: one row that fits may be the running header
        if len(body) >= 2 and _confirmed(body, layout):
            return start + len(body), build_table((), body, layout, rules, page)
    return 0, None


def _runs_to_end(rows: Sequence[TextRow], last: TextRow) -> bool:
    """True when nothing but page furniture (one short row at most) follows ``last``."""
    after = [r for r in rows if r.top > last.bottom]
    return len(after) <= 1 and all(len(r.words) <= 6 for r in after)
