"""Turn a declarative sample spec into producer-neutral blocks, and into its golden.

The spec (``samples/specs/<name>.json``) is the source of truth: it lists every
recommendation as printed (id, text, sub-points, raw addressee) plus the canonical
addressee written by hand. ``golden_from_spec`` derives the expected output from it
alone, so a golden can never be copied from the extractor. ``build_blocks`` turns the
same spec into a list of blocks (headings, paragraphs, bullets, tables) that both PDF
producers lay out.

Text-joining rule for goldens (documented in docs/SAMPLES.md): the recommendation's text,
then each sub-point, then any closing sentence after the sub-points, in order, joined
with single spaces; bullet glyphs are dropped;
letter labels such as ``a)`` are part of the printed sub-point and are kept; whitespace
is collapsed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .prose import Prose

Block = dict[str, Any]

REC_SECTION_KINDS = {"recs"}


def load_spec(path: Path) -> dict[str, Any]:
    """Read one spec file."""
    return json.loads(path.read_text(encoding="utf-8"))


def norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rec_text(rec: dict[str, Any]) -> str:
    """The golden text of one recommendation: text then sub-points, single-spaced."""
    parts = [rec["text"], *rec.get("sub", []), rec.get("tail", "")]
    return norm_ws(" ".join(parts))


def iter_recs(spec: dict[str, Any]):
    """This report's own recommendations in reading order (never repeats or quotes)."""
    for _section, item in iter_recs_with_layout(spec):
        yield item


def iter_recs_with_layout(spec: dict[str, Any]):
    """(section, item) pairs of ``iter_recs``: the layout decides how the id is printed."""
    for section in spec["body"]:
        if section["kind"] in REC_SECTION_KINDS:
            for item in section["items"]:
                if "text" in item:
                    yield section, item


def printed_id(rec: dict[str, Any], layout: str) -> str | None:
    """The id as the PDF prints it: label layouts print "Recommendation 3" (the output
    contract keeps the label word, as in the mission's examples)."""
    if rec.get("id") is None:
        return None
    if layout in ("label", "inline_label"):
        return (rec.get("label") or f"Recommendation {rec['id']}").rstrip(" :")
    return rec.get("id")


def golden_from_spec(spec: dict[str, Any], pages: int) -> dict[str, Any]:
    """The expected extraction for one sample, derived from its spec only."""
    recs = [
        {
            "id": printed_id(rec, section.get("layout", "numbered")),
            "text": rec_text(rec),
            "addressed_to": list(rec["canon"]),
            "addressed_to_raw": rec["raw"],
        }
        for section, rec in iter_recs_with_layout(spec)
    ]
    meta = spec["metadata"]
    return {
        "file": f"{spec['name']}.pdf",
        "pages": pages,
        "metadata": {
            "title": meta["title"],
            "csp": meta["csp"],
            "published": meta["published"],
            "year_of_death": meta["year_of_death"],
        },
        "recommendations": recs,
    }


# --------------------------------------------------------------------------- blocks
def _heading(text: str, level: int = 1, toc: bool = True, page_break: bool = False) -> Block:
    return {"t": "heading", "text": text, "level": level, "toc": toc, "break": page_break}


def _para(text: str, num: str | None = None, **kw: Any) -> Block:
    return {"t": "para", "text": text, "num": num, **kw}


def _printed(rec: dict[str, Any], text_key: str = "text") -> str:
    """The text as printed: a trailing bracketed addressee is layout, not text."""
    text = rec.get(text_key) or rec["text"]
    return f"{text} ({rec['raw']})" if rec.get("bracket") else text


def _rec_blocks(rec: dict[str, Any], layout: str, text_key: str = "text") -> list[Block]:
    text = _printed(rec, text_key)
    glyph = rec.get("sub_glyph", "–" if layout == "bullets" else "•")  # nested bullets look different
    out: list[Block] = []
    if layout == "label":
        out.append({"t": "label", "text": rec.get("label") or f"Recommendation {rec['id']}"})
        out.append(_para(text))
    elif layout == "bare_label":
        out.append({"t": "label", "text": "Recommendation"})
        out.append(_para(text))
    elif layout == "inline_label":  # "Recommendation 3: text" on one line
        out.append(_para(text, lead=rec.get("label") or f"Recommendation {rec['id']}:"))
    elif layout == "bullets":
        out.append({"t": "bullet", "text": text, "level": 1, "glyph": "•"})
    elif layout == "autonumber":  # Word "List Number": the number is generated, not typed
        out.append(_para(text, num=f"{rec['id']}.", auto=True))
    else:  # numbered
        out.append(_para(text, num=rec.get("id"), notes=rec.get("footnotes", []) if text_key == "text" else []))
    for sub in rec.get("sub", []):
        out.append({"t": "bullet", "text": sub, "level": 2 if layout in ("bullets", "autonumber") else 1, "glyph": glyph})
    if rec.get("tail"):  # a closing sentence after the sub-points, still this recommendation
        out.append(_para(rec["tail"], indent=1 if layout == "numbered" else 0))
    if rec.get("addr_line"):
        out.append(_para(rec["addr_line"], indent=1))
    return out


def _cell_text(rec: dict[str, Any], text_key: str = "text") -> list[str]:
    text = _printed(rec, text_key)
    glyph = rec.get("sub_glyph", "•")
    tail = [rec["tail"]] if rec.get("tail") else []
    return [text, *[(f"{glyph} {s}" if glyph else s) for s in rec.get("sub", [])], *tail]


def _table_blocks(section: dict[str, Any], prose: Prose, text_key: str = "text") -> list[Block]:
    """A recommendations table: simple (No./Recommendation/Addressed to) or Home Office."""
    shape = section["layout"]
    if shape == "ho_table":
        header = section.get("columns") or [
            "Recommendation", "Scope of recommendation", "Action to take", "Lead agency",
            "Key milestones achieved", "Target date", "Date of completion and outcome",
        ]
    elif shape == "agency_table":
        header = section.get("columns") or ["Agency", "No.", "Recommendation", "Timescale"]
    else:
        header = section.get("columns") or ["No.", "Recommendation", "Addressed to"]
    rows: list[Any] = []
    for item in section["items"]:
        if "theme" in item:
            rows.append({"theme": item["theme"]})
            continue
        if "text" not in item:
            continue
        lead = None if item.get("merge_up") else [item.get("lead_cell", item["raw"])]
        if shape == "ho_table":
            body = _cell_text(item, text_key)
            if item.get("id"):
                body[0] = f"{item['id']} {body[0]}"
            rows.append([
                body, [item.get("scope", "Local")], [item.get("action") or prose.action()], lead,
                [item.get("milestone") or prose.milestone()], [item.get("target") or prose.target_date()],
                [item.get("done", "")],
            ])
        elif shape == "agency_table":
            rows.append([lead, [item.get("id") or ""], _cell_text(item, text_key), [item.get("target") or prose.target_date()]])
        else:
            rows.append([[item.get("id") or ""], _cell_text(item, text_key), lead])
    default = {"ho_table": [0.25, 0.1, 0.16, 0.17, 0.12, 0.1, 0.1], "agency_table": [0.22, 0.07, 0.56, 0.15]}
    widths = section.get("widths") or default.get(shape)
    return [{"t": "table", "header": header, "rows": rows, "widths": widths,
             "font_size": section.get("font_size")}]


def _chapter(section: dict[str, Any], prose: Prose) -> list[Block]:
    """Numbered narrative paragraphs (4.1, 4.2 …) with optional subheadings."""
    out: list[Block] = []
    num = section.get("number")
    paras = list(section.get("text", []))
    while len(paras) < section.get("paras", 0):
        paras.append(prose.paragraph(section.get("topic", "analysis"), tuple(section.get("sentences", (3, 6)))))
    subs = section.get("subheadings", [])
    every = max(1, len(paras) // (len(subs) + 1)) if subs else 0
    for i, text in enumerate(paras, 1):
        if subs and i > 1 and (i - 1) % every == 0 and (i - 1) // every <= len(subs):
            out.append(_heading(subs[(i - 1) // every - 1], 2, section.get("sub_toc", False)))
        out.append(_para(text, num=f"{num}.{i}" if num and section.get("numbered", True) else None))
    return out


def _findings(section: dict[str, Any], prose: Prose) -> list[Block]:
    """Numbered key findings or lessons: look like recommendations, are not."""
    out: list[Block] = []
    num = section.get("number")
    for i in range(1, section.get("count", 6) + 1):
        text = prose.finding(i)
        if section.get("style", "numbered") == "label":
            out.append({"t": "label", "text": f"{section.get('label', 'Key finding')} {i}"})
            out.append(_para(text))
        else:
            out.append(_para(text, num=f"{num}.{i}" if num else f"{i}."))
        out.append(_para(prose.paragraph("analysis", (2, 3))))
    return out


def _recs(section: dict[str, Any], prose: Prose, spec: dict[str, Any]) -> list[Block]:
    """A recommendations list (own, executive-summary repeat or action-plan repeat)."""
    kind = section["kind"]
    text_key = {"exec_recs": "exec_text", "action_plan": "ap_text"}.get(kind, "text")
    out: list[Block] = [_para(t) for t in section.get("intro", [])]
    if section.get("intro_filler"):  # n more sentences of lead-in, to move the list down the page
        out.append(_para(prose.sentences("recs_intro", section["intro_filler"])))
    layout = section["layout"]
    if layout in ("table", "ho_table", "agency_table"):
        if section.get("landscape"):
            out.append({"t": "orient", "landscape": True})
        out.extend(_table_blocks(section if kind != "action_plan" else _ap_section(section, spec), prose, text_key))
        if section.get("landscape"):
            out.append({"t": "orient", "landscape": False})
    else:
        for item in section["items"]:
            if "heading" in item:
                out.append(_heading(item["heading"], item.get("level", 2), item.get("toc", False)))
            elif "subheading" in item:
                out.append({"t": "label", "text": item["subheading"]})
            elif "para" in item:
                out.append(_para(item["para"], num=item.get("num")))
            elif "text" in item:
                out.extend(_rec_blocks(item, layout, text_key))
    out.extend(_para(t) for t in section.get("outro", []))
    return out


def _earlier_review(section: dict[str, Any], prose: Prose) -> list[Block]:
    """Quoted recommendations of an earlier (internal) review, with commentary."""
    out: list[Block] = [_para(t) for t in section.get("intro", [])]
    for item in section["items"]:
        out.append({"t": "label", "text": item["label"]})
        out.append(_para(item["text"], italic=True))
        out.append(_para(item.get("comment") or prose.paragraph("analysis", (2, 3))))
    return out


def _section_blocks(section: dict[str, Any], prose: Prose, spec: dict[str, Any]) -> list[Block]:
    kind = section["kind"]
    if section.get("items") == "from_recs":  # an executive summary repeating the list
        items = list(iter_recs(spec))
        if section.get("exec_ids"):  # the summary numbers the same list differently
            items = [dict(r, id=r.get("exec_id", r.get("id"))) for r in items]
        section = dict(section, items=items)
    out: list[Block] = []
    if section.get("heading"):
        out.append(_heading(section["heading"], section.get("level", 1), section.get("toc", True), section.get("break", True)))
    if kind == "chapter":
        out.extend(_chapter(section, prose))
    elif kind == "findings":
        out.extend(_findings(section, prose))
    elif kind in ("recs", "exec_recs", "action_plan"):
        out.extend(_recs(section, prose, spec))
    elif kind == "earlier_review":
        out.extend(_earlier_review(section, prose))
    elif kind == "glossary":
        out.append({"t": "table", "header": section.get("columns", ["Abbreviation", "Meaning"]),
                    "rows": [[[a], [b]] for a, b in section["terms"]], "widths": [0.25, 0.75]})
    elif kind == "text":
        out.extend(_para(t) for t in section.get("text", []))
    else:
        raise ValueError(f"{spec['name']}: unknown section kind {kind!r}")
    return out


def _ap_section(section: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """An action-plan appendix repeats this report's recommendations in a table."""
    copy = dict(section)
    copy["items"] = [dict(r, merge_up=False) for r in iter_recs(spec)]
    return copy


def build_blocks(spec: dict[str, Any]) -> list[Block]:
    """All blocks of the report body (after the cover and contents)."""
    meta = spec["metadata"]
    cover = spec["cover"]
    prose = Prose(spec.get("seed", 1), cover["victim"], cover["perpetrator"], meta["csp"], meta["year_of_death"])
    blocks: list[Block] = []
    for section in spec["body"]:
        blocks.extend(_section_blocks(section, prose, spec))
    return blocks


def footnotes(spec: dict[str, Any]) -> list[dict[str, str]]:
    """Footnotes attached to recommendations: {"after", "mark", "text"} (reportlab only)."""
    return [note for rec in iter_recs(spec) for note in rec.get("footnotes", [])]


def toc_entries(blocks: list[Block]) -> list[str]:
    return [b["text"] for b in blocks if b["t"] == "heading" and b.get("toc")]
