"""Stage 3, locate: find the recommendations section(s) and their boundaries.

A heading is recognised by its wording *and* its look: it must be a short line set apart
by weight, size, numbering or capitals. Contents pages are recognised as pages (many
lines ending in page numbers or dotted leaders, or a "Contents" title) and never yield a
section, which defeats "Recommendations ........ 45", a heading whose page number sits
on the next line, and contents flattened into one long line.

A section runs until the next heading of the same or a higher level, an appendix,
glossary or similar back-matter heading, or a contents page. Each section is classed as
``main``, ``agency`` (a recommendations subsection inside an agency's chapter),
``conclusions`` ("Conclusions and recommendations": narrative first), ``exec_summary``,
``appendix`` ("Appendix 1 – Recommendations") or ``action_plan`` so that later stages can keep one copy of each
recommendation and prefer the main body's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ._text import AGENCY_WORD
from .clean import HEADER_MARGIN_PT, margin_header
from .models import Document, Line, Section

_NUM_PREFIX = r"(?:(?:chapter|section|part)\s+\w+\s*[-–—:.]?\s*|\d{1,2}(?:\.\d{1,2}){0,2}[.)]?\s*[-–—:]?\s*|\(\d{1,2}\)\s*|[A-Z][.)]\s*|[IVX]{1,5}[.)]\s*)"
_QUALIFIER = (
    r"(?:summary|key|overview|panel|single[- ]agency|multi[- ]agency|agency|local|national|regional|"
    r"dhr|review|specific|general|further|additional|wider|individual|learning|list\s+of|"
    r"conclusions?\s+(?:and|&)|lessons\s+learn(?:ed|t)\s+(?:and|&)|executive\s+summary\s+(?:and|&)|"
    r"(?:overall\s+)?analysis\s+(?:and|&)|findings\s+(?:and|&)|key\s+findings\s+(?:and|&)|"
    r"summary\s+of|the\s+review['’]?s?|the\s+panel['’]?s?|the|"
    # whose recommendations: "The Review Panel's", "Independent Chair's", "Final",
    # "Overview Report", "Home Office" (an IMR's own are quoted, like "… from the IMR")
    r"review\s+panel['’]?s?|panel['’]s|(?:independent\s+)?(?:chair|author|reviewer)['’]?s?|"
    r"independent|final|main|overview\s+report|report['’]?s?|home\s+office|"
    r"agency['’]s|agencies['’]?)\s+"
)
# "Conclusions and recommendations", "Analysis, conclusions and recommendations",
# "Summary of findings & recommendations": up to six words, then and/& recommendations.
_AND_RECS = r"(?:[A-Za-z’'-]+(?:,\s*|\s+)){1,6}(?:and|&)\s+"
# "Appendix 1 – Recommendations": a report may print its list only in an appendix.
_APPENDIX_PREFIX = r"(?:appendix|annexe?)\s+\w{1,4}\s*[-–—:.]?\s*"
_APPENDIX_START = re.compile(r"^(?:appendix|appendices|annexe?)\b", re.I)
REC_HEADING = re.compile(
    rf"^(?:{_APPENDIX_PREFIX})?{_NUM_PREFIX}?(?:{_AND_RECS}|(?:{_QUALIFIER})*)recommendations?"
    r"(?P<suffix>\s+(?:from|of|for|made\s+by|arising\s+from|to|by)\s+[\w\s'’&-]{0,50})?"
    # "Recommendations and Lessons Learned", "Recommendations and learning"
    r"(?:\s+(?:and|&)\s+(?:lessons?(?:\s+(?:learn(?:ed|t)|identified|to\s+be\s+learn(?:ed|t)))?|"
    r"learning(?:\s+points)?|actions?|next\s+steps|action\s+plan))?\s*[:.]?$",
    re.I,
)
# Quoted recommendations of an earlier or internal review are not this report's.
_FOREIGN_SUFFIX = re.compile(r"internal|trust|previous|earlier|prior|imr|\bsi\b|serious incident|other review", re.I)
# "Action Plan", "Appendix A – Home Office Action Plan Template", "Annex 2: Recommendations
# Action Plan", "Action plan to implement the recommendations".
ACTION_PLAN_HEADING = re.compile(
    rf"^(?:{_NUM_PREFIX}|(?:appendix|annexe?)\s+\w+\s*[-–—:.]?\s*)?(?:the\s+)?"
    r"(?:(?:multi[- ]agency|single[- ]agency|dhr|home\s+office|recommendations?(?:\s+(?:and|&))?)\s+){0,2}"
    r"action\s+plans?(?:\s+template|\s+(?:to\s+implement|implementing|for)\s+(?:the\s+)?(?:review['’]?s?\s+|panel['’]?s?\s+)?"
    r"recommendations)?\s*:?$",
    re.I,
)
# A heading that announces other material before the recommendations.
MIXED_HEADING = re.compile(r"\b(?:and|&)\s+recommendations?\b", re.I)
_EXEC_SUMMARY = re.compile(rf"^{_NUM_PREFIX}?executive\s+summary\b", re.I)
# A chapter titled just "Summary" holds a summary's copy of the recommendations.
_SUMMARY_PARENT = re.compile(rf"^{_NUM_PREFIX}?(?:executive\s+)?summary(?:\s+report)?\s*$", re.I)
_BACK_MATTER = re.compile(
    rf"^(?:{_NUM_PREFIX})?(?:appendix|appendices|annex|glossary|references|bibliography|"
    r"terms\s+of\s+reference|acknowledg|abbreviations|acronyms|signed|signature|"
    r"distribution|document\s+control|version\s+control|key\s+lessons|lessons\s+learn|"
    r"conclusions?$|concluding|predictab|preventab|single\s+agency\s+actions|good\s+practice|"
    r"next\s+steps|implementation|monitoring|action\s+plan)",
    re.I,
)
_STRONG_BACK_MATTER = re.compile(
    rf"^(?:{_NUM_PREFIX})?(?:appendix|appendices|annex|glossary|references|bibliography|terms\s+of\s+reference|"
    r"abbreviations|acronyms|signed|signature|distribution|document\s+control|version\s+control)",
    re.I,
)
_SUBSECTION_OK = re.compile(
    r"recommendations?|^(?:national|local|regional|panel|multi[- ]agency|single[- ]agency|"
    r"partnership|overview|wider|general|specific)\b",
    re.I,
)
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…{2,}|_{3,}|(?:\s\.){3,}|[-–]{3,})\s*\d{1,3}\s*$|\s\d{1,3}\s*$|^\d{1,3}$|Error! Bookmark")
_TOC_TITLE = re.compile(r"^(?:table\s+of\s+)?contents?(?:\s+page)?$|^index$|^contents\s+page\s+number", re.I)
_FLAT_ENTRY = re.compile(r"\b[A-Z][a-z]+(?:\s+\w+){0,6}\s\d{1,3}\b")
_NUMBER = re.compile(r"^(?:(?:chapter|section|part)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\b", re.I)


@dataclass(slots=True)
class _Style:
    body_size: float
    heading_sizes: tuple[float, ...]
    heading_like: list[bool] | None = None  # is_heading_like of each line, by index


def body_size(lines: list[Line]) -> float:
    """The font size carrying the most characters: the body text size."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def toc_pages(document: Document) -> set[int]:
    """Pages that are (part of) a table of contents."""
    pages: set[int] = set()
    for page in document.pages:
        texts = [ln.text.strip() for ln in page.lines]
        if not texts:
            continue
        # cheap character tests first: this runs on every line of the report
        entries = sum(1 for t in texts if t and (t[-1].isdigit() or "Error!" in t) and _TOC_ENTRY.search(t))
        titled = any(_TOC_TITLE.match(t) for t in texts[:8])
        dotted = sum(1 for t in texts if ("...." in t or "……" in t or "____" in t))
        flattened = any(
            len(t) > 150 and len(_FLAT_ENTRY.findall(t)) >= 6 for t in texts
        )
        if dotted >= 3 or (titled and (entries >= 3 or flattened)) or (entries >= 8 and entries >= 0.45 * len(texts)):
            pages.add(page.number)
    return pages


def heading_number(text: str) -> tuple[int, ...] | None:
    """(9,) for "9. Recommendations", (9, 2) for "9.2 Panel", None when unnumbered."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split("."))


def is_heading_like(line: Line, style: _Style) -> bool:
    """A short line set apart by weight, size or capitals (a candidate heading)."""
    text = line.text.strip()
    if not text or len(text) > 110:
        return False
    # cheapest tests first: this runs on every line of the report
    if not (line.bold or line.size >= style.body_size + 0.9 or (len(text) > 3 and text.isupper())):
        return False
    return not text.endswith((",", ";")) and len(text.split()) <= 16


def _heading_at(i: int, lines: list[Line], style: _Style) -> bool:
    """``is_heading_like`` of ``lines[i]``, computed once per line when precomputed."""
    if style.heading_like is not None:
        return style.heading_like[i]
    return is_heading_like(lines[i], style)


def _rank(line: Line) -> tuple[float, bool]:
    return (round(line.size, 1), line.bold)


def _outranks_or_equals(line: Line, heading: Line) -> bool:
    if line.size >= heading.size + 0.5:
        return True
    if abs(line.size - heading.size) < 0.5:
        return line.bold or not heading.bold
    return False


def locate_sections(document: Document) -> list[Section]:
    """All recommendation sections of the document, in page order, contents excluded."""
    lines = document.lines()
    # Every heading kind names recommendations or an action plan: a cheap test that
    # spares the rest of the work on documents (and lines) that never do.
    candidates = [i for i, line in enumerate(lines)
                  if "recommendation" in (low := line.text.lower()) or "action" in low]
    if not candidates:
        return []
    style = _Style(body_size(lines), ())
    style.heading_like = [is_heading_like(line, style) for line in lines]
    skip_pages = toc_pages(document)
    sections: list[Section] = []
    covered_until = -1
    parents: dict[int, str] | None = None
    for i in candidates:
        line = lines[i]
        if i <= covered_until or line.page in skip_pages:
            continue
        kind = _heading_kind(line, lines, i, style)
        if kind is None:
            continue
        end = _section_end(lines, i, style, skip_pages)
        first = i + 1
        heading_text = line.text.strip()
        while first < end and first - i <= 2 and _wraps_onto(lines, first - 1, first):
            heading_text += " " + lines[first].text.strip()  # "… Darlington NHS / Foundation Trust"
            first += 1
        body = tuple(lines[first:end])
        if not body:
            continue
        if parents is None:
            parents = _parent_index(lines, style)
        parent = parents.get(i, "")
        if kind == "main":
            if _APPENDIX_START.match(line.text.strip()):
                kind = "appendix"  # a copy, unless the body has none
            elif (_EXEC_SUMMARY.match(line.text.strip()) or _EXEC_SUMMARY.match(parent)
                  or _SUMMARY_PARENT.match(parent)):
                kind = "exec_summary"
            elif MIXED_HEADING.search(line.text.strip()):
                kind = "conclusions"
            elif parent and AGENCY_WORD.search(parent) and not REC_HEADING.match(parent):
                kind = "agency"
        sections.append(
            Section(
                heading=heading_text,
                start_page=line.page,
                end_page=body[-1].page,
                kind=kind,
                lines=body,
                level=len(heading_number(line.text) or (1,)),
                parent=parent,
            )
        )
        covered_until = end - 1
    return sections


def _heading_kind(line: Line, lines: list[Line], i: int, style: _Style) -> str | None:
    text = line.text.strip()
    if not (text[:1].isupper() or text[:1].isdigit()):
        return None  # "… and\nrecommendations": the tail of a wrapped title
    if not _heading_at(i, lines, style) and not _standalone_label(lines, i, style):
        return None
    if line.bbox[3] < HEADER_MARGIN_PT:  # cheap test first: only lines in the top margin
        nxt_line = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        if margin_header(line, nxt_line, style.body_size):
            return None  # a running header naming the chapter ("RECOMMENDATIONS")
    nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
    if re.fullmatch(r"\d{1,3}", nxt) and lines[i + 1].page == line.page and abs(lines[i + 1].top - line.top) < 30:
        return None  # "Recommendations" then "45": a contents entry whose number wrapped
    m = REC_HEADING.match(text)
    if m:
        if m.group("suffix") and _FOREIGN_SUFFIX.search(m.group("suffix")):
            return None
        return "main"
    if ACTION_PLAN_HEADING.match(text):
        return "action_plan"
    return None


def _wraps_onto(lines: list[Line], a: int, b: int) -> bool:
    """Line ``b`` is the rest of heading line ``a``, which ran to the right margin."""
    head, nxt = lines[a], lines[b]
    if nxt.page != head.page or nxt.bold != head.bold or abs(nxt.size - head.size) >= 0.3:
        return False
    if not -0.5 * head.size <= nxt.top - head.bottom < 0.5 * head.size or abs(nxt.x0 - head.x0) > 2:
        return False
    text = head.text.rstrip()
    if text.endswith((":", ".", ";")) or len(nxt.text.split()) > 8 or _NUMBER.match(nxt.text.strip()):
        return False
    right = max((ln.bbox[2] for ln in lines[max(0, a - 30) : a + 30] if ln.page == head.page), default=head.bbox[2])
    return head.bbox[2] >= right - 0.2 * (right - head.x0)


def _standalone_label(lines: list[Line], i: int, style: _Style) -> bool:
    """A plain-styled "Recommendations" line on its own, with space above it."""
    line = lines[i]
    if len(line.text.split()) > 5:
        return False
    prev = lines[i - 1] if i else None
    gap_above = prev is None or prev.page != line.page or line.top - prev.bottom > line.size * 0.9
    return gap_above and line.text.strip()[:1].isupper()


def _section_end(lines: list[Line], start: int, style: _Style, skip_pages: set[int]) -> int:
    """Index one past the last line of the section that starts at ``start``."""
    heading = lines[start]
    number = heading_number(heading.text)
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if line.page in skip_pages:
            return j
        if not _heading_at(j, lines, style):
            continue
        text = line.text.strip()
        if _APPENDIX_START.match(text):
            return j  # even "Appendix 2 – Recommendations": a copy, located on its own
        if REC_HEADING.match(text) or _SUBSECTION_OK.match(text):
            # a subsection of the recommendations, unless it is numbered like a sibling
            own = heading_number(text)
            if not (number and own and len(own) <= len(number) and own[0] != number[0]):
                continue
        if _BACK_MATTER.match(text) and not REC_HEADING.match(text):
            # appendices and glossaries always end it; "Conclusions" or "Lessons
            # learned" only at the section's own level (they may be its subsections)
            if _STRONG_BACK_MATTER.match(text) or _outranks_or_equals(line, heading):
                return j
        own = heading_number(text)
        if number and own:
            if len(own) <= len(number) and own[: len(number)] != number[: len(own)] and _looks_like_title(text):
                return j
            continue
        if own and not number:
            # numbered items under an unnumbered heading, unless this is a bigger
            # numbered chapter title ("1. Introduction" after the summary's list)
            bigger = line.size >= heading.size + 0.5 or (
                _outranks_or_equals(line, heading) and line.size >= style.body_size + 0.9
            )
            if bigger and _looks_like_title(text):
                return j
            continue
        if _outranks_or_equals(line, heading) and not _is_agency_subheading(text) and not _in_table_row(lines, j):
            return j
    return len(lines)


def _in_table_row(lines: list[Line], j: int) -> bool:
    """Is ``lines[j]`` a cell of a table row: text set apart beside it on its row?

    A bold column title ("No.", "Lead agency") looks like a heading of the body's size,
    but a heading has no cells beside it. A title wrapped in a narrow column leaves its
    last letters on a line of their own, right under the row, inside the cell.
    """
    if _beside_others(lines, j):
        return True
    line, prev = lines[j], lines[j - 1] if j else None
    if prev is None or prev.page != line.page or line.x0 < prev.x0 - 2:
        return False
    right_under = prev.top + 2 < line.top < prev.bottom + line.size * 0.5
    return right_under and _beside_others(lines, j - 1)


def _beside_others(lines: list[Line], j: int) -> bool:
    line = lines[j]
    for k in range(max(0, j - 40), min(len(lines), j + 40)):
        other = lines[k]
        if k == j or other.page != line.page or abs(other.top - line.top) > 2:
            continue
        if other.x0 > line.bbox[2] + 4 or other.bbox[2] < line.x0 - 4:
            return True
    return False


def _looks_like_title(text: str) -> bool:
    body = re.sub(r"^\S+\s*", "", text)
    if " should " in body or " must " in body:
        return False  # "2. The ICB should issue guidance …" in bold: a directive, not a title
    return len(body.split()) <= 12 and not body.rstrip().endswith(".")


def _is_agency_subheading(text: str) -> bool:
    return bool(AGENCY_WORD.search(text)) and len(text.split()) <= 12 and not text.endswith(".")


def _parent_index(lines: list[Line], style: _Style) -> dict[int, str]:
    """For each rec-heading candidate index, the nearest preceding higher heading's text."""
    result: dict[int, str] = {}
    stack: list[Line] = []
    for i, line in enumerate(lines):
        if not _heading_at(i, lines, style):
            continue
        text = line.text.strip()
        if REC_HEADING.match(text) or ACTION_PLAN_HEADING.match(text):
            higher = [h for h in stack if h.size > line.size + 0.4 or (abs(h.size - line.size) < 0.4 and h.bold and not line.bold)]
            numbered = heading_number(text)
            if numbered and len(numbered) > 1:
                higher = [h for h in stack if (heading_number(h.text) or ())[:1] == numbered[:1] and h is not line] or higher
            result[i] = higher[-1].text.strip() if higher else ""
        while stack and not (stack[-1].size > line.size + 0.4 or (abs(stack[-1].size - line.size) < 0.4 and stack[-1].bold and not line.bold)):
            stack.pop()
        stack.append(line)
    return result
