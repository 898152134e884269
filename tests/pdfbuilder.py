"""Build small test PDFs from a list of blocks (reportlab), for stage and CLI tests.

Blocks are tuples: ("h1", text), ("h2", text), ("h3", text), ("p", text),
("bold", text), ("bullet", text), ("item", marker, text) (hanging indent),
("table", [[cells], ...], col_widths or None[, extra TableStyle commands]), ("pagebreak",),
("toc", [(title, page)]). A table is drawn with a grid unless its extra commands include
("NOGRID",) (borderless Word tables; add LINEBELOW etc. for horizontal rules only).
Every page gets a running header and a "Page N of M" footer, like council reports.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

Block = tuple[Any, ...]


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=6, alignment=TA_LEFT)
    return {
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceBefore=12, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=8, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceBefore=6),
        "p": body,
        "bold": ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold"),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=30, bulletIndent=15),
        "item": ParagraphStyle("item", parent=body, leftIndent=42, firstLineIndent=-42),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "toc": ParagraphStyle("toc", parent=body, spaceAfter=2),
    }


def build_pdf(blocks: Sequence[Block], *, header: str = "OFFICIAL - SENSITIVE", title: str = "Domestic Homicide Review") -> bytes:
    """Render blocks to PDF bytes with running header/footer."""
    st = _styles()
    flow: list[Any] = []
    for block in blocks:
        kind = block[0]
        if kind == "pagebreak":
            flow.append(PageBreak())
        elif kind == "bullet":
            flow.append(Paragraph(block[1], st["bullet"], bulletText="•"))
        elif kind == "item":
            flow.append(Paragraph(f"{block[1]}&nbsp;&nbsp;&nbsp;&nbsp;{block[2]}", st["item"]))
        elif kind == "table":
            data = [[Paragraph(str(c), st["cell"]) if c is not None else "" for c in row] for row in block[1]]
            widths = block[2] if len(block) > 2 and block[2] else None
            table = Table(data, colWidths=widths, repeatRows=1)
            extra = list(block[3]) if len(block) > 3 else []
            grid = [] if ("NOGRID",) in extra else [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            style = [*grid, ("VALIGN", (0, 0), (-1, -1), "TOP")]
            style += [cmd for cmd in extra if cmd != ("NOGRID",)]
            table.setStyle(TableStyle(style))
            flow.append(table)
            flow.append(Spacer(1, 8))
        elif kind == "toc":
            for entry, page in block[1]:
                flow.append(Paragraph(f"{entry} {'.' * 60} {page}", st["toc"]))
        else:
            flow.append(Paragraph(block[1], st[kind]))

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, header)
        canvas.drawRightString(A4[0] - 2 * cm, A4[1] - 1.2 * cm, title)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2.2 * cm, bottomMargin=2.2 * cm, invariant=1)
    doc.build(flow, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def filler(n: int, topic: str = "the agencies") -> str:
    """Plausible narrative filler of about n sentences."""
    sentences = [
        f"The panel examined the contact that {topic} had with the family over the period under review.",
        "Records were incomplete in places and the chronology was assembled from several systems.",
        "Practitioners described a busy service in which information was not always shared promptly.",
        "The review considered whether the risk could have been recognised earlier by those involved.",
        "Family members contributed their recollections and the panel is grateful for their help.",
    ]
    return " ".join(sentences[i % len(sentences)] for i in range(n))
