"""Lay out sample blocks with reportlab platypus (the programmatic producer).

Output is byte-reproducible: ``invariant=1`` fixes the creation date and document id.
Contents-page numbers come from a previous pass (``pages``), so the caller builds twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .spec import Block, footnotes, toc_entries

TTF_DIR = Path("/usr/share/fonts/truetype")
TTF_FAMILIES = {
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf"),
    "LiberationSerif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf", "liberation/LiberationSerif-Italic.ttf"),
    "LiberationSans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf", "liberation/LiberationSans-Italic.ttf"),
}
BUILTIN = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times-Roman": ("Times-Roman", "Times-Bold", "Times-Italic"),
}


def _fonts(name: str) -> tuple[str, str, str]:
    if name in BUILTIN:
        return BUILTIN[name]
    files = TTF_FAMILIES[name]
    faces = (name, f"{name}-Bold", f"{name}-Italic")
    for face, file in zip(faces, files, strict=True):
        if face not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(face, str(TTF_DIR / file)))
    pdfmetrics.registerFontFamily(name, normal=faces[0], bold=faces[1], italic=faces[2], boldItalic=faces[1])
    return faces


class Styles:
    """Paragraph styles for one report, from the spec's ``style``."""

    def __init__(self, style: dict[str, Any]) -> None:
        self.font, self.bold, self.italic = _fonts(style.get("font", "Helvetica"))
        size = float(style.get("size", 11))
        self.size = size
        self.hyphenate = bool(style.get("hyphenate"))
        lead = size * 1.35
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=size, leading=lead, spaceAfter=size * 0.6)
        self.num = ParagraphStyle("num", parent=self.body, leftIndent=size * 3.6, bulletIndent=0, bulletFontName=self.font)
        self.ind = ParagraphStyle("ind", parent=self.body, leftIndent=size * 3.6)
        self.b1 = ParagraphStyle("b1", parent=self.body, leftIndent=size * 5.4, bulletIndent=size * 4, spaceAfter=size * 0.3)
        self.b2 = ParagraphStyle("b2", parent=self.body, leftIndent=size * 7, bulletIndent=size * 5.6, spaceAfter=size * 0.3)
        self.label = ParagraphStyle("label", parent=self.body, fontName=self.bold, spaceBefore=size * 0.4)
        hcol = colors.HexColor(style.get("heading_colour", "#000000"))
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=self.bold, fontSize=size + 5, leading=(size + 5) * 1.3, spaceBefore=size, spaceAfter=size, textColor=hcol)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=self.bold, fontSize=size + 1.5, leading=(size + 1.5) * 1.3, spaceBefore=size * 0.6, textColor=hcol)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=size - 1.5, leading=(size - 1.5) * 1.3, spaceAfter=2)
        self.cellb = ParagraphStyle("cellb", parent=self.cell, fontName=self.bold)
        self.toc = ParagraphStyle("toc", parent=self.body, spaceAfter=size * 0.35)
        self.tocr = ParagraphStyle("tocr", parent=self.toc, alignment=TA_RIGHT)
        self.title = ParagraphStyle("title", parent=self.body, fontName=self.bold, fontSize=size + 12, leading=(size + 12) * 1.3, alignment=TA_CENTER, spaceAfter=size * 1.5)
        self.centre = ParagraphStyle("centre", parent=self.body, alignment=TA_CENTER, fontSize=size + 2, leading=(size + 2) * 1.4)


def _p(text: str, style: ParagraphStyle, **kw: Any) -> Paragraph:
    return Paragraph(escape(text), style, **kw)


def _dots(st: Styles, left: str, right: str, width: float) -> str:
    used = pdfmetrics.stringWidth(left + " " + right, st.font, st.size)
    dot = pdfmetrics.stringWidth(".", st.font, st.size)
    return "." * max(3, int((width - used) / dot) - 4)


def contents_flowables(spec: dict[str, Any], blocks: list[Block], pages: dict[str, int], st: Styles, width: float) -> list[Any]:
    """The contents page in the spec's trap style."""
    cfg = spec.get("contents", {})
    style = cfg.get("style", "dotted")
    errors = set(cfg.get("error_bookmark", []))
    out: list[Any] = [_p(cfg.get("title", "Contents"), st.h1)]
    entries = [(h, "Error! Bookmark not defined." if h in errors else str(pages.get(h, 0))) for h in toc_entries(blocks)]
    entries += [(e, str(pages.get(e, 0))) for e in cfg.get("extra", [])]
    if style == "flat":
        out.append(_p(" ".join(f"{h} {n}" for h, n in entries), st.body))
        return out
    if style == "column":
        data = [[_p("", st.toc), _p("Page", st.tocr)]] + [[_p(h, st.toc), _p(n, st.tocr)] for h, n in entries]
        out.append(Table(data, colWidths=[width * 0.85, width * 0.15]))
        return out
    for head, num in entries:
        if style == "split" and head[:1].isdigit() and " " in head:
            lead, rest = head.split(" ", 1)
            out.append(_p(lead.rstrip("."), st.toc))
            head = rest
        dots = _dots(st, head, num, width)
        if style == "next_line":
            out.append(_p(f"{head} {dots}", st.toc))
            out.append(_p(num, st.tocr))
        else:
            out.append(_p(f"{head} {dots} {num}", st.toc))
    return out


def cover_flowables(spec: dict[str, Any], st: Styles) -> list[Any]:
    cover = spec["cover"]
    out: list[Any] = [Spacer(1, 3 * cm)]
    for line in cover.get("lines_above", []):
        out.append(_p(line, st.centre))
    out.append(Spacer(1, 1 * cm))
    out.append(_p(spec["metadata"]["title"], st.title))
    for line in cover.get("lines", []):
        out.append(_p(line, st.centre))
    out.append(Spacer(1, 2 * cm))
    out.append(_p(spec["metadata"]["csp"], st.centre))
    out.append(_p(f"Author: {cover['author']}", st.centre))
    out.append(_p(cover["date"], st.centre))
    out.append(PageBreak())
    return out


def _table(block: Block, st: Styles, width: float) -> Table:
    header = [_p(h, st.cellb) for h in block["header"]]
    ncol = len(header)
    data: list[list[Any]] = [header]
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2F3")),
    ]
    span_start: dict[int, int] = {}
    for row in block["rows"]:
        r = len(data)
        if isinstance(row, dict):
            data.append([_p(row["theme"], st.cellb)] + [""] * (ncol - 1))
            cmds += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#EEEEEE"))]
            span_start.clear()
            continue
        cells = []
        for c, cell in enumerate(row):
            if cell is None:
                cells.append("")
                start = span_start.get(c, r - 1)
                span_start[c] = start
                cmds.append(("SPAN", (c, start), (c, r)))
            else:
                span_start.pop(c, None)
                cells.append([_p(t, st.cell) for t in cell])
        data.append(cells)
    fractions = block.get("widths") or ([0.1, 0.6, 0.3] if ncol == 3 else [1 / ncol] * ncol)
    table = Table(data, colWidths=[width * f for f in fractions], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle(_merge_spans(cmds)))
    return table


def _merge_spans(cmds: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Keep only the tallest SPAN per start cell (a merged cell grows row by row)."""
    spans: dict[tuple[int, int], tuple[Any, ...]] = {}
    rest = []
    for cmd in cmds:
        if cmd[0] != "SPAN":
            rest.append(cmd)
        elif cmd[1] not in spans or spans[cmd[1]][2][1] < cmd[2][1]:
            spans[cmd[1]] = cmd
    return rest + list(spans.values())


VOWELS = set("aeiouy")


def hyphenate(text: str, font: str, size: float, width: float) -> str:
    """Break ``text`` into lines of ``width`` points, splitting long words with a hyphen.

    Word processors hyphenate justified reports; the extractor must undo it. Splits fall
    after a vowel that is followed by a consonant ("arrange-ments"), never in short words,
    numbers or words that already contain a hyphen. Returns paragraph markup with <br/>.
    """
    def w(s: str) -> float:
        return pdfmetrics.stringWidth(s, font, size)

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if w(candidate) <= width - 1:
            line = candidate
            continue
        split = None
        if len(word) >= 8 and word.isalpha():
            for k in range(len(word) - 3, 2, -1):
                head = f"{line} {word[:k]}-" if line else f"{word[:k]}-"
                if _syllable_break(word.lower(), k) and w(head) <= width - 1:
                    split = k
                    break
        if split:
            lines.append(f"{line} {word[:split]}-".strip())
            line = word[split:]
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return "<br/>".join(escape(x) for x in lines if x)


def _syllable_break(word: str, k: int) -> bool:
    """A plausible hyphenation point: before -tion/-sion/-ment/-ing, or V C|C V."""
    if word[k:] in ("tion", "sion", "ment", "ments", "tions", "ing", "ings"):
        return True
    return (word[k - 2] in VOWELS and word[k - 1] not in VOWELS and word[k] not in VOWELS
            and k + 1 < len(word) and word[k + 1] in VOWELS)


def _text(b: Block, st: Styles, style: ParagraphStyle, width: float) -> str:
    lead = b.get("lead")
    if st.hyphenate:
        font = st.italic if b.get("italic") else st.font
        room = width - 12 - style.leftIndent - style.rightIndent  # the frame pads 6 pt each side
        if lead:  # the bold label is wider than the same words in the body font
            room -= pdfmetrics.stringWidth(lead, st.bold, style.fontSize) - pdfmetrics.stringWidth(lead, font, style.fontSize)
        body = hyphenate(f"{lead} {b['text']}" if lead else b["text"], font, style.fontSize, room)
        if lead:
            body = body.replace(escape(lead), f"<b>{escape(lead)}</b>", 1)
    else:
        body = escape(b["text"])
        for note in b.get("notes", []):  # a superscript footnote marker after a phrase
            anchor = escape(note["after"])
            body = body.replace(anchor, f"{anchor}<super>{escape(note['mark'])}</super>", 1)
        if lead:
            body = f"<b>{escape(lead)}</b> {body}"
    if b.get("italic"):
        body = f"<i>{body}</i>"
    return body


def body_flowables(blocks: list[Block], st: Styles, width: float) -> list[Any]:
    out: list[Any] = []
    for b in blocks:
        t = b["t"]
        if t == "heading":
            if b.get("break") and b["level"] == 1:
                out.append(PageBreak())
            out.append(_p(b["text"], st.h1 if b["level"] == 1 else st.h2))
        elif t == "para":
            style = st.num if b.get("num") else st.ind if b.get("indent") else st.body
            text = _text(b, st, style, width)
            out.append(Paragraph(text, style, bulletText=b.get("num") or None))
        elif t == "bullet":
            style = st.b1 if b["level"] == 1 else st.b2
            out.append(Paragraph(_text(b, st, style, width), style, bulletText=b["glyph"] or None))
        elif t == "label":
            out.append(_p(b["text"], st.label))
        elif t == "table":
            out.append(_table(b, st, width))
            out.append(Spacer(1, st.size))
    return out


def render(spec: dict[str, Any], blocks: list[Block], pages: dict[str, int], total: int, out: Path) -> None:
    """Write one PDF. ``pages`` maps contents entries to page numbers, ``total`` is N in 'Page n of N'."""
    st = Styles(spec.get("style", {}))
    hdr = spec.get("header", {})
    footer = spec.get("footer", "Page {n} of {N}")

    def decorate(canvas: Any, doc: Any) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont(st.font, st.size - 2)
        w, h = A4
        if hdr.get("left"):
            canvas.drawString(2 * cm, h - 1.3 * cm, hdr["left"])
        if hdr.get("right"):
            canvas.drawRightString(w - 2 * cm, h - 1.3 * cm, hdr["right"])
        if hdr.get("centre"):
            canvas.drawCentredString(w / 2, h - 1.3 * cm, hdr["centre"])
        canvas.drawCentredString(w / 2, 1.2 * cm, footer.format(n=doc.page, N=total))
        notes = [n for n in footnotes(spec) if pages.get(f"footnote:{n['mark']}") == doc.page]
        if notes:  # footnotes at the foot of the page that carries their marker
            canvas.line(2.3 * cm, 2.75 * cm, 7 * cm, 2.75 * cm)
            canvas.setFont(st.font, st.size - 3)
            for i, note in enumerate(notes):
                canvas.drawString(2.3 * cm, (2.35 - 0.4 * i) * cm, f"{note['mark']} {note['text']}")
        if spec.get("footer_left"):
            canvas.drawString(2 * cm, 1.2 * cm, spec["footer_left"])
        canvas.restoreState()

    meta = spec["metadata"]
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=2.3 * cm, rightMargin=2.3 * cm, topMargin=2.3 * cm,
        bottomMargin=(3.0 if footnotes(spec) else 2.2) * cm, title=meta["title"], author=spec["cover"]["author"],
        creator="dhr-extract sample builder (reportlab)", invariant=1,
    )
    st_width = doc.width
    story = cover_flowables(spec, st)
    story += contents_flowables(spec, blocks, pages, st, st_width)
    story.append(PageBreak())
    body = body_flowables(blocks, st, st_width)
    if body and isinstance(body[0], PageBreak):
        body = body[1:]
    story += body
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
