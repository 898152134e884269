"""Lay out sample blocks as a Word document (python-docx), for LibreOffice to convert.

Councils write DHRs in Word, so half the samples go through the same path: real heading
styles, Word bullets, tables with merged cells and a repeated header row, and a footer
built from PAGE / NUMPAGES fields. Core properties carry fixed dates so the .docx is
stable; the PDF LibreOffice makes from it still embeds its own conversion time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .spec import Block, toc_entries

FIXED = dt.datetime(2024, 1, 1, 9, 0, 0)
TEXT_WIDTH_CM = 16.0


def _field(paragraph: Any, code: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, text, end):
        run._r.append(el)


def _header_footer(doc: Any, spec: dict[str, Any]) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    hdr = spec.get("header", {})
    p = section.header.paragraphs[0]
    p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(f"{hdr.get('left', '')}\t\t{hdr.get('right', '')}").font.size = Pt(8)  # past the style's centre stop
    footer = spec.get("footer", "Page {n} of {N}")
    f = section.footer.paragraphs[0]
    f.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head, _, rest = footer.partition("{n}")
    mid, _, tail = rest.partition("{N}")
    f.add_run(head)
    _field(f, "PAGE")
    if "{N}" in footer:
        f.add_run(mid)
        _field(f, "NUMPAGES")
        f.add_run(tail)
    else:
        f.add_run(mid)


def _styles(doc: Any, spec: dict[str, Any]) -> None:
    style = spec.get("style", {})
    font = style.get("font", "Arial")
    size = style.get("size", 11)
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    normal.paragraph_format.space_after = Pt(size * 0.6)
    colour = RGBColor.from_string(style.get("heading_colour", "1F3864").lstrip("#"))
    for name, extra in (("Heading 1", 5), ("Heading 2", 2), ("Title", 12)):
        st = doc.styles[name]
        st.font.name = font
        st.font.size = Pt(size + extra)
        st.font.bold = True
        st.font.color.rgb = colour
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.3)


def _cover(doc: Any, spec: dict[str, Any]) -> None:
    cover = spec["cover"]
    for _ in range(4):
        doc.add_paragraph()
    for line in cover.get("lines_above", []):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph(spec["metadata"]["title"], style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in cover.get("lines", []):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(3):
        doc.add_paragraph()
    for line in (spec["metadata"]["csp"], f"Author: {cover['author']}", cover["date"]):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _toc_para(doc: Any, text: str, leader: bool = True) -> Any:
    p = doc.add_paragraph(text)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.tab_stops.add_tab_stop(
        Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS if leader else WD_TAB_LEADER.SPACES
    )
    return p


def _contents(doc: Any, spec: dict[str, Any], blocks: list[Block], pages: dict[str, int]) -> None:
    cfg = spec.get("contents", {})
    style = cfg.get("style", "dotted")
    errors = set(cfg.get("error_bookmark", []))
    doc.add_paragraph(cfg.get("title", "Contents"), style="Heading 1")
    entries = [(h, "Error! Bookmark not defined." if h in errors else str(pages.get(h, 0))) for h in toc_entries(blocks)]
    entries += [(e, str(pages.get(e, 0))) for e in cfg.get("extra", [])]
    if style == "flat":
        doc.add_paragraph(" ".join(f"{h} {n}" for h, n in entries))
    elif style == "column":
        table = doc.add_table(rows=len(entries) + 1, cols=2)
        table.cell(0, 1).text = "Page"
        for i, (head, num) in enumerate(entries, 1):
            table.cell(i, 0).text = head
            table.cell(i, 1).text = num
            table.cell(i, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        for head, num in entries:
            if style == "split" and head[:1].isdigit() and " " in head:
                lead, head = head.split(" ", 1)
                doc.add_paragraph(lead.rstrip(".")).paragraph_format.space_after = Pt(0)
            if style == "next_line":
                _toc_para(doc, f"{head}\t")
                doc.add_paragraph(num).alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                _toc_para(doc, f"{head}\t{num}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _set_cell(cell: Any, lines: list[str], size: float, bold: bool = False) -> None:
    cell.text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        run = p.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold


def _table(doc: Any, block: Block, size: float, text_width: float = TEXT_WIDTH_CM) -> None:
    header = block["header"]
    ncol = len(header)
    rows = block["rows"]
    table = doc.add_table(rows=len(rows) + 1, cols=ncol)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fs = block.get("font_size") or size - 1.5
    fractions = block.get("widths") or ([0.1, 0.6, 0.3] if ncol == 3 else [1 / ncol] * ncol)
    for c, h in enumerate(header):
        _set_cell(table.cell(0, c), [h], fs, bold=True)
        _shade(table.cell(0, c), "D9E2F3")
    _repeat_header(table.rows[0])
    span_start: dict[int, int] = {}
    for r, row in enumerate(rows, 1):
        if isinstance(row, dict):
            merged = table.cell(r, 0).merge(table.cell(r, ncol - 1))
            _set_cell(merged, [row["theme"]], fs, bold=True)
            _shade(merged, "EEEEEE")
            span_start.clear()
            continue
        for c, cell in enumerate(row):
            if cell is None:
                start = span_start.setdefault(c, r - 1)
                keep = table.cell(start, c).text
                merged = table.cell(start, c).merge(table.cell(r, c))
                _set_cell(merged, keep.split("\n"), fs)
            else:
                span_start.pop(c, None)
                _set_cell(table.cell(r, c), cell, fs)
    table.autofit = False
    for c, column in enumerate(table.columns):
        column.width = Cm(text_width * fractions[c])
    for r in table.rows:
        for c, cell in enumerate(r.cells):
            cell.width = Cm(text_width * fractions[c])
    doc.add_paragraph()


def _orient(doc: Any, landscape: bool) -> float:
    """Start a new section in landscape (wide action-plan tables) or back in portrait."""
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.different_first_page_header_footer = False  # keep the running header on its first page
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    sec.page_width, sec.page_height = (long, short) if landscape else (short, long)
    return 29.7 - 5.0 if landscape else TEXT_WIDTH_CM


def _para(doc: Any, b: Block) -> None:
    """A body paragraph: hanging-indent number, Word auto-number, bold lead-in or plain."""
    indent = Cm(1.5)
    if b.get("auto"):
        p = doc.add_paragraph(b["text"], style="List Number")
    elif b.get("num"):
        p = doc.add_paragraph(f"{b['num']}\t{b['text']}")
        p.paragraph_format.left_indent = indent
        p.paragraph_format.first_line_indent = -indent
        p.paragraph_format.tab_stops.add_tab_stop(indent)
    elif b.get("lead"):
        p = doc.add_paragraph()
        p.add_run(b["lead"]).bold = True
        p.add_run(" " + b["text"])
    else:
        p = doc.add_paragraph(b["text"])
        if b.get("indent"):
            p.paragraph_format.left_indent = indent
    if b.get("italic"):
        for run in p.runs:
            run.italic = True


def _bullet(doc: Any, b: Block) -> None:
    """Word bullets for '•', typed glyphs (or none, for 'a)' labels) otherwise."""
    if b["glyph"] == "•":
        p = doc.add_paragraph(b["text"], style="List Bullet" if b["level"] == 1 else "List Bullet 2")
    else:
        p = doc.add_paragraph(f"{b['glyph']}\t{b['text']}" if b["glyph"] else b["text"])
        p.paragraph_format.tab_stops.add_tab_stop(Cm(2.4))
        p.paragraph_format.first_line_indent = Cm(-0.9) if b["glyph"] else None
    p.paragraph_format.left_indent = Cm(2.4 if b["level"] == 1 else 3.2)


def _body(doc: Any, blocks: list[Block], size: float) -> None:
    first = True
    width = TEXT_WIDTH_CM
    for b in blocks:
        t = b["t"]
        if t == "heading":
            p = doc.add_paragraph(b["text"], style="Heading 1" if b["level"] == 1 else "Heading 2")
            if b.get("break") and b["level"] == 1 and not first:
                p.paragraph_format.page_break_before = True
            first = False
        elif t == "para":
            _para(doc, b)
        elif t == "bullet":
            _bullet(doc, b)
        elif t == "label":
            p = doc.add_paragraph()
            p.add_run(b["text"]).bold = True
            p.paragraph_format.keep_with_next = True
        elif t == "table":
            _table(doc, b, size, width)
        elif t == "orient":
            width = _orient(doc, b["landscape"])


def render(spec: dict[str, Any], blocks: list[Block], pages: dict[str, int], out: Path) -> None:
    """Write the .docx for one sample (``out`` ends in .docx)."""
    doc = Document()
    _styles(doc, spec)
    props = doc.core_properties
    props.title = spec["metadata"]["title"]
    props.author = spec["cover"]["author"]
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    _header_footer(doc, spec)
    _cover(doc, spec)
    _contents(doc, spec, blocks, pages)
    _body(doc, blocks, spec.get("style", {}).get("size", 11))
    doc.save(str(out))
