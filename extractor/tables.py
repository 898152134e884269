"""Recommendation tables → rows (used by the segment stage).

Handles the shapes seen in real reviews: ``No. | Recommendation | Addressed to``, the
Home Office action-plan table (``Recommendation | Scope | Action to take | Lead agency |
…``), theme rows spanning the table (titled "Theme …" or not), an agency cell merged
down several rows or the recommendation repeated on each of its action rows, rows that
break across a page (the continuation arrives as a header-less table at the top of the
next page whose first row has no number), header rows repeated on every page, and
key/value boxes (``Recommendation 3 | text`` over ``Agency | …``), one per
recommendation. Column titles vary ("Addressee", "Led by", "Recommended action",
"DHR Ref", a blank title over a column of ids); see ``header_columns``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ._text import clean_chars, join_lines, strip_bullet
from .models import Line, Row, Section, Table, TableCell
from .numbering import fits_between, misread_marker, parse_marker

_ID_HEADER = re.compile(
    r"^(?:no\.?|number|ref\.?|reference|#|item|id|rec\.?|(?:dhr\s+)?(?:ref\.?|reference)(?:\s*no\.?)?|"
    r"rec(?:ommendation)?\.?\s*(?:no\.?|number|ref\.?|#))$",
    re.I,
)
_TEXT_HEADER = re.compile(r"recommendation", re.I)
# Action-plan wordings of the text column, taken only where no column says "recommendation"
# (in the Home Office template "Action to take" sits beside the recommendation).
_ACTION_TEXT_HEADER = re.compile(
    r"^(?:recommended\s+actions?|actions?\s+required|learning\s+(?:and|&)\s+actions?|actions?)$", re.I
)
_AGENCY_HEADER = re.compile(
    r"addressed\s+to|addressee|lead\s+agenc|lead\s+organisation|agenc(?:y|ies)|organisation|responsib|owner|"
    r"^lead$|^who$|^by\s+whom|\bpartners?\b|partner\(s\)|accountable|^led\s+by\b",
    re.I,
)
_OTHER_HEADER = re.compile(
    r"\b(?:scope|action|milestone|target|date|completion|outcome|evidence|progress|status|rag\b|theme|timescale|"
    r"priority|finding|issue)",
    re.I,
)
_SHORT_ID = re.compile(r"^(?:[A-Za-z]{1,4}\.?\s?)?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?[.)]?$")
_THEME_ROW = re.compile(r"^(?:theme|priority|area|section|part)\b", re.I)


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column holds the id, the recommendation text and the addressee."""

    id: int | None
    text: int
    agency: int | None
    width: int


def _cell_text(cell: TableCell | None) -> str:
    if cell is None:
        return ""
    # the same clean-up the page lines get: Word's Symbol-font bullets (U+F0B7) and
    # ligatures would otherwise survive inside cells
    parts = [strip_bullet(clean_chars(p))[1] for p in cell.text.splitlines()]
    return join_lines(parts)


def header_columns(
    row: tuple[TableCell | None, ...], below: Sequence[tuple[TableCell | None, ...]] = ()
) -> Columns | None:
    """Column roles if ``row`` is a recommendations header row, else None.

    ``below`` are the rows under it: they reveal an id column whose header cell is
    blank (a narrow first column of "1", "2." or "R3" needs no title to be read).
    """
    texts = [_cell_text(c).strip(" :") for c in row]
    heads = [t if len(t) <= 60 else "" for t in texts]
    text_col = id_col = agency_col = None
    for n, t in enumerate(heads):
        if not t:
            continue
        if _ID_HEADER.match(t) and id_col is None:
            id_col = n
        elif _TEXT_HEADER.search(t) and text_col is None and not _AGENCY_HEADER.search(t):
            text_col = n
        elif _AGENCY_HEADER.search(t) and agency_col is None:
            agency_col = n
    if text_col is None:
        text_col = next((n for n, t in enumerate(heads) if t and _ACTION_TEXT_HEADER.match(t)
                         and n not in (id_col, agency_col)), None)
    # Only title-like cells are evidence of other header columns: a data row whose
    # sentence mentions a "date of birth" or an "action" is not a header.
    others = sum(bool(_OTHER_HEADER.search(t)) for t in heads if _header_like(t))
    if text_col is None or (agency_col is None and id_col is None and others == 0):
        return None
    if id_col is None and below:
        id_col = _blank_id_column(row, texts, below, (text_col, agency_col))
    return Columns(id=id_col, text=text_col, agency=agency_col, width=len(row))


def _header_like(text: str) -> bool:
    """Short enough to be a column title rather than a data cell's sentence."""
    return bool(text) and len(text) <= 60 and len(text.split()) <= 8


def _blank_id_column(
    row: tuple[TableCell | None, ...], texts: list[str], below: Sequence[tuple[TableCell | None, ...]],
    taken: tuple[int | None, ...],
) -> int | None:
    """A column with a blank header, narrower than the text column, holding only ids."""
    text_cell = row[taken[0]] if taken[0] is not None else None
    for n, cell in enumerate(row):
        if cell is None or texts[n] or n in taken:
            continue
        if text_cell is not None and cell.bbox[2] - cell.bbox[0] > (text_cell.bbox[2] - text_cell.bbox[0]) / 2:
            continue
        values = [_cell_text(r[n]) for r in below if len(r) == len(row) and r[n] is not None]
        values = [v for v in values if v]
        if values and all(_SHORT_ID.match(v) for v in values):
            return n
    return None


def likely_table_pages(sections: list[Section]) -> list[int]:
    """Pages of the sections where text sits side by side in rows, as in a table.

    Table detection needs the page's drawings, which cost as much as its text; pages of
    plain paragraphs are skipped.
    """
    pages: set[int] = set()
    rows: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for section in sections:
        for line in section.lines:
            rows.setdefault((line.page, round(line.top / 3)), []).append((line.bbox[0], line.bbox[2]))
    side_by_side: dict[int, int] = {}
    for (page, _), spans in rows.items():
        if len(spans) < 2:
            continue
        spans.sort()
        if any(b[0] > a[1] + 4 for a, b in zip(spans, spans[1:])):
            side_by_side[page] = side_by_side.get(page, 0) + 1
    pages.update(p for p, n in side_by_side.items() if n >= 2)
    pages.update(_overflow_pages(sections, pages))
    return sorted(pages)


def _overflow_pages(sections: list[Section], table_pages: set[int]) -> set[int]:
    """The page after a table page whose text runs to the bottom of the page body.

    A row broken by the page leaves its tail alone on the next page, in one column
    under a repeated header (which the clean stage may drop as a running header), so
    that page has no side-by-side text of its own.
    """
    last: dict[int, Line] = {}
    for section in sections:
        for line in section.lines:
            if line.page not in last or line.bottom > last[line.page].bottom:
                last[line.page] = line
    if not last:
        return set()
    body_bottom = max(line.bottom for line in last.values())
    return {
        page + 1 for page in table_pages
        if page in last and page + 1 in last and last[page].bottom >= body_bottom - 3 * last[page].size
    }


def recommendation_tables(tables: list[Table], section: Section) -> list[Table]:
    """The tables of a section that hold recommendations (with header or continuing one)."""
    chosen: list[Table] = []
    last_width: int | None = None
    for table in sorted(tables, key=lambda t: (t.page, t.bbox[1])):
        if not _within_section(table, section):
            continue
        if _is_key_value(table):
            chosen.append(table)
            last_width = None  # each box stands alone: nothing continues it
        elif any(header_columns(r) for r in table.rows[:3]):
            chosen.append(table)
            last_width = len(table.rows[0]) if table.rows else None
        elif (last_width is not None and table.rows and len(table.rows[0]) == last_width
              and table.page == chosen[-1].page + 1 and _continues(table, section)):
            chosen.append(table)
    return chosen


def _is_key_value(table: Table) -> bool:
    """A box of ``label | value`` rows opening with ``Recommendation N | its text``.

    Some reports give each recommendation a small two-column table of its own, the
    addressee and timescale on rows below its text (``Agency | …``, ``Timescale | …``).
    """
    rows = table.rows
    if len(rows) < 2 or any(len(r) != 2 or r[0] is None or r[1] is None for r in rows):
        return False
    keys = [_cell_text(r[0]).strip(" :") for r in rows]
    if not all(_header_like(k) for k in keys) or not _rec_key(keys[0])[0]:
        return False
    if not _cell_text(rows[0][1]) or _titles_row(rows[0]):
        return False
    return any(_AGENCY_HEADER.search(k) or _OTHER_HEADER.search(k) for k in keys[1:])


def _rec_key(key: str) -> tuple[bool, str | None]:
    """Is ``key`` a recommendation label ("Recommendation 3", "Recommendation"), and its id?"""
    marker = parse_marker(key)
    if marker is not None and marker.kind == "label" and not marker.rest:
        return True, marker.id
    return bool(re.fullmatch(r"recommendation", key, re.I)), None


def _key_value_rows(table: Table, section: Section) -> list[Row]:
    """One Row per ``Recommendation`` label of a key/value box, with its agency row."""
    rows: list[Row] = []
    for key_cell, value_cell in table.rows:
        key, value = _cell_text(key_cell).strip(" :"), _cell_text(value_cell)
        is_rec, rid = _rec_key(key)
        if is_rec and value:
            marker = parse_marker(value) if rid is None else None
            if marker is not None and marker.kind not in ("bullet", "letter") and marker.rest:
                rid, value = marker.id, marker.rest
            rows.append(Row(id=rid, text=value, page=table.page, bbox=value_cell.bbox if value_cell else table.bbox,
                            section=section.heading, section_kind=section.kind))
        elif rows and value and _AGENCY_HEADER.search(key) and not rows[-1].agency_hint:
            rows[-1] = replace(rows[-1], agency_hint=value)
    return rows


def _continues(table: Table, section: Section) -> bool:
    """Can ``table`` be the rest of the table on the page before?

    A table broken by a page resumes at the top of the next page's body, with data.
    A heading or a paragraph above it, or a first row of column titles that are not a
    recommendations header, mean a different table (single-agency actions, say). One
    plain line above is allowed: a running header the clean stage did not recognise.
    """
    above = [ln for ln in section.lines if ln.page == table.page and ln.bottom <= table.bbox[1] + 2]
    if len({round(ln.top) for ln in above}) > 1 or any(ln.bold for ln in above):
        return False
    return not _titles_row(table.rows[0])


def _titles_row(row: tuple[TableCell | None, ...]) -> bool:
    """A row of short column titles ("Agency | Action taken | Status")."""
    texts = [_cell_text(c).strip(" :") for c in row if c is not None]
    texts = [t for t in texts if t]
    if len(texts) < 2 or not all(_header_like(t) for t in texts):
        return False
    titles = [t for t in texts if _ID_HEADER.match(t) or _TEXT_HEADER.search(t) or _AGENCY_HEADER.search(t)
              or _OTHER_HEADER.search(t)]
    return len(titles) >= 2


def _within_section(table: Table, section: Section) -> bool:
    if not section.lines:
        return False
    first, last = section.lines[0], section.lines[-1]
    if table.page == first.page and table.bbox[3] < first.top - 2:
        return False
    if table.page == last.page and table.bbox[1] > last.bottom + 2:
        return False
    return section.start_page <= table.page <= section.end_page


def rows_from_tables(tables: list[Table], section: Section) -> list[Row]:
    """One Row per recommendation across the given (consecutive) tables."""
    is_box = [_is_key_value(t) for t in tables]
    if not any(is_box):
        return _grid_rows(tables, section)
    rows = _grid_rows([t for t, box in zip(tables, is_box) if not box], section)
    rows += [row for t, box in zip(tables, is_box) if box for row in _key_value_rows(t, section)]
    return sorted(rows, key=lambda r: (r.page, r.bbox[1]))


def _grid_rows(tables: list[Table], section: Section) -> list[Row]:
    """Rows of tables with a header row, and of their continuations on later pages."""
    rows: list[Row] = []
    columns: Columns | None = None
    agency: str | None = None
    numbered = 0  # rows whose text began with a number (when there is no id column)
    for t_index, table in enumerate(tables):
        first_data = True
        for r_index, row in enumerate(table.rows):
            header = header_columns(row, table.rows[r_index + 1 : r_index + 6])
            if header is not None:
                columns = header
                continue
            if columns is None or len(row) != columns.width:
                continue
            cells = [_cell_text(c) for c in row]
            filled = [c for c in cells if c]
            if not filled:
                continue
            if len(filled) == 1 and _is_group_row(row, cells, columns, table):
                continue  # a theme row spanning the table
            text = cells[columns.text]
            rid = cells[columns.id] if columns.id is not None else None
            if columns.agency is not None:
                if row[columns.agency] is not None and cells[columns.agency]:
                    agency = cells[columns.agency]
                elif row[columns.agency] is not None and not cells[columns.agency] and rid:
                    agency = None
            continuation = _is_tail(rows, columns, cells, rid, first_data and t_index > 0, numbered)
            first_data = False
            if continuation and text:
                prev = rows[-1]
                rows[-1] = _replace_text(prev, join_lines([prev.text, text]))
                continue
            if row[columns.text] is None or not text:
                continue  # an action row under a recommendation merged down
            if columns.id is None:
                marker = parse_marker(text)
                if marker is not None and marker.kind not in ("bullet", "letter") and marker.rest:
                    rid, text = marker.id, marker.rest
                    numbered += 1
            cell = row[columns.text]
            new = Row(
                id=(rid or None),
                text=text,
                page=table.page,
                bbox=cell.bbox if cell else table.bbox,
                section=section.heading,
                section_kind=section.kind,
                agency_hint=(cells[columns.agency] or agency) if columns.agency is not None else None,
            )
            if rows and _repeats(rows[-1], new):
                rows[-1] = _with_agency_of(rows[-1], new)
                continue
            rows.append(new)
    return _repair_misread_ids(rows)


def _repair_misread_ids(rows: list[Row]) -> list[Row]:
    """Id cells that OCR misread ("Rl" before "R2", "Ac" after "4b"), given back their digits.

    Only an id that is no id as it stands, reads as one once look-alike letters are
    digits, and then fits between the rows' ids before and after it.
    """
    out = list(rows)
    for i, row in enumerate(rows):
        if not row.id or parse_marker(f"{row.id} X") is not None:
            continue
        candidate = misread_marker(f"{row.id} X")
        if candidate is None:
            continue
        before = out[i - 1].id if i else None
        after = rows[i + 1].id if i + 1 < len(rows) else None
        if candidate.id and fits_between(before, candidate.id, after):
            out[i] = replace(row, id=candidate.id)
    return out


def _is_tail(rows: list[Row], columns: Columns, cells: list[str], rid: str | None, page_top: bool,
             numbered: int) -> bool:
    """Is this table row the rest of the recommendation in the row before it?"""
    if not rows:
        return False
    text = cells[columns.text]
    if page_top and (not rid if columns.id is not None
                     else text[:1].islower() or (numbered >= 2 and _no_marker(text))):
        # The first row on a new page may be the tail of the last row of the page
        # before: no number of its own where rows are numbered, or a lower-case start.
        return True
    # a numbered table's row with no number and no agency of its own: the recommendation
    # above went on in a second row (or a paragraph typed as a row of its own)
    return (columns.id is not None and not rid and bool(rows[-1].id)
            and (columns.agency is None or not cells[columns.agency]))


def _is_group_row(row: tuple[TableCell | None, ...], cells: list[str], columns: Columns, table: Table) -> bool:
    """A row with one filled cell that titles a group of recommendations (a theme).

    With the text column first, a theme's merged cell sits in the text column, and
    themes need not say "Theme": a short title is a theme when its cell spans the
    table, or when it alone is filled where the table's rows name an addressee.
    """
    only = next(c for c in cells if c)
    if row[columns.text] is None or _THEME_ROW.match(only):
        return True
    if not cells[columns.text] or not _title_like(only):
        return False
    spanning = len(row) > 1 and sum(c is not None for c in row) == 1
    return spanning or _rows_name_addressee(table, columns)


def _title_like(text: str) -> bool:
    """Short and not a sentence: "Training and awareness", not a recommendation."""
    if len(text.split()) > 10 or text.rstrip().endswith((".", ";", ":")):
        return False
    marker = parse_marker(text)
    return marker is None or marker.kind == "bullet"


def _rows_name_addressee(table: Table, columns: Columns) -> bool:
    """Do most rows of the table with recommendation text name an addressee?"""
    if columns.agency is None:
        return False
    named = total = 0
    for row in table.rows:
        if len(row) != columns.width or not _cell_text(row[columns.text]):
            continue
        total += 1
        named += row[columns.agency] is None or bool(_cell_text(row[columns.agency]))
    return total >= 3 and named * 3 >= total * 2


def _repeats(prev: Row, row: Row) -> bool:
    """Does ``row`` repeat the recommendation of the row above it?

    Action plans print the recommendation again on each of its action rows. Unnumbered
    rows that share a wording but name different agencies are separate
    recommendations (one per agency), so the agency must match unless the id does.
    """
    if _squashed(prev.text) != _squashed(row.text):
        return False
    if prev.id and row.id:
        return prev.id == row.id
    return not prev.id and not row.id and (prev.agency_hint or "") == (row.agency_hint or "")


def _squashed(text: str) -> str:
    return " ".join(text.lower().split())


def _with_agency_of(prev: Row, row: Row) -> Row:
    """``prev`` with ``row``'s addressee added when it names another one."""
    if not row.agency_hint or row.agency_hint == prev.agency_hint:
        return prev
    if not prev.agency_hint:
        return replace(prev, agency_hint=row.agency_hint)
    return replace(prev, agency_hint=f"{prev.agency_hint}; {row.agency_hint}")


def _no_marker(text: str) -> bool:
    marker = parse_marker(text)
    return marker is None or marker.kind in ("bullet", "letter")


def _replace_text(row: Row, text: str) -> Row:
    return replace(row, text=text)
