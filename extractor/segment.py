"""Stage 4, segment: section lines (and tables) → one ``Row`` per recommendation.

The segmenter first decides which numbering scheme numbers the *recommendations* in a
section (as opposed to subheadings, sub-points and bullets), then walks the lines:
a line starting with that scheme's marker opens a new row, everything else continues the
current row. Short unnumbered lines that name an agency ("Greater Manchester Police")
and numbered titles ("9.1 Single agency recommendations") are group headings: they set
the agency hint and the id prefix of lettered items, they never become rows.

Ruled tables on the section's pages are parsed by ``tables``; lines inside a
recommendations table are left to it. Finally rows from several sections are merged so
that each recommendation is reported once, preferring the main body's copy.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from . import tables as table_parser
from ._text import AGENCY_WORD, join_lines, squash, strip_bullet
from .addressees import subject_of
from .clean import drop_footnotes
from .locate import REC_HEADING, body_size
from .models import BBox, Line, Row, Section, Table
from .numbering import Marker, fits_between, follows, misread_marker, parse_marker

_ITEM_PRIORITY = ["label", "r", "decimal", "paren", "int", "letter", "bullet"]


def _family(kind: str) -> str:
    """"2a" and "3" number the same list: letters extend plain integers."""
    return "int" if kind == "int_letter" else kind
_GROUP_WORDS = re.compile(
    r"^(?:single[- ]agency|multi[- ]agency|panel|overview|national|local|regional|partnership|"
    r"wider|general|specific|individual|additional|learning|dhr)\b.*$|recommendations?$",
    re.I,
)
_SECTION_PRIORITY = {"main": 0, "agency": 0, "conclusions": 1, "exec_summary": 2, "appendix": 3,
                     "action_plan": 3}
# Where a mixed section turns from narrative to recommendations.
_RECS_START = re.compile(
    r"(?:recommends?|recommended)(?:\s+that)?\s*[:.]?\s*$|makes?\s+the\s+following\s+(?:[\w-]+\s+){0,2}recommendations|"
    r"following\s+(?:[\w-]+\s+){0,2}recommendations|recommendations\s+(?:are\s+)?(?:as\s+follows|set\s+out\s+below|below|follow)|"
    r"^recommendations?\s*:?$",
    re.I,
)
# A numbered paragraph that talks about the recommendations rather than making one.
_PREAMBLE = re.compile(
    r"^(?:the|these|this|all|each|our|its)?\s*(?:[\w'’-]+\s+){0,3}?(?:panel|review|recommendations?|following|section|chapter|report)\b.{0,200}?"
    r"\b(?:following|below|set\s+out|as\s+follows|grouped|listed|are\s+made|makes?|numbered|ordered)\b",
    re.I,
)
_DIRECTIVE = re.compile(
    r"\b(?:should|must|shall|ensures?|to\s+(?:review|develop|ensure|consider|provide|audit|update|raise|"
    r"establish|produce|deliver|share|promote|implement|introduce)|recommend(?:s|ed)?\s+that|consider(?:s)?\b|"
    r"reviews?\s+(?:its|their|the)|develops?\s+|provides?\s+|undertakes?|is\s+requested|are\s+requested)",
    re.I,
)
# Action-plan fields printed under a recommendation: not part of its text.
_FIELD_LINE = re.compile(
    r"^(?:timescales?|target\s+dates?|deadline|priority|scope|outcomes?|evidence|status|progress|rag|"
    r"completion\s+date|date\s+of\s+completion|key\s+milestones?|milestones?|review\s+date|"
    r"success\s+measures?|measure\s+of\s+success|monitoring)\s*[:–—]",
    re.I,
)
_AGENCY_VERB = re.compile(
    r"^(?:The\s+)?[A-Z][\w&'’-]*(?:\s+(?:[A-Z(][\w&'’()-]*|and|of|for|&))*\s+(?:ensures?|reviews?|develops?|"
    r"publish(?:es)?|works?|considers?|agrees?|provides?|shares?|commissions?|undertakes?|audits?|"
    r"introduces?|updates?|establish(?:es)?|promotes?|implements?|raises?|seeks?|takes?)\b"
)
# Imperatives that open a recommendation with no subject ("Remind GPs to …").
_IMPERATIVE = re.compile(
    r"^(?:Remind|Audit|Offer|Ask|Adopt|Write|Create|Explore|Embed|Strengthen|Improve|Increase|Clarify|Amend|"
    r"Revise|Update|Introduce|Include|Publish|Issue|Circulate|Disseminate|Agree|Conduct|Evaluate|Assess|"
    r"Monitor|Record|Refer|Train|Encourage|Use|Set|Build|Map|Hold|Appoint|Invite|Engage|Liaise|Extend|"
    r"Ensure|Review|Implement|Commission|Require|Reinforce|Develop|Provide|Consider|Raise|Establish|"
    r"Produce|Deliver|Share|Promote|Seek|Make|Undertake|Identify|Continue|Work|Give|Put|Check|Add|Support)\b"
)
# How narrative paragraphs open, and the past-tense verbs they carry.
_NARRATIVE = re.compile(
    r"^(?:The|This|These|Those|There|It|In|On|At|During|When|While|Although|As|Following|After|Before|"
    r"Since|A|An|Our|We|Its|Their|His|Her|Some|Many|Most|No|None|Both|Neither)\b"
)
_NARRATIVE_VERB = re.compile(r"\b(?:was|were|had|has\s+been|have\s+been|did)\b|^[A-Z]\w*\s+(?:\w+\s+)?\w+ed\b")
# Paragraphs that close a report rather than continue a recommendation.
_CLOSING = re.compile(
    r"^(?:the\s+(?:panel|chair|review\s+panel|author)s?\s+(?:would\s+like\s+to\s+)?(?:thanks?|is\s+grateful|"
    r"wish(?:es)?\s+to\s+thank|extends?)|(?:we|i)\s+(?:would\s+like\s+to\s+)?thank|signed\b|signature\b|"
    r"date\s*:|independent\s+chair\b|chair\s+of\s+the\s+(?:panel|review)|end\s+of\s+(?:report|document))",
    re.I,
)
# Lines that can only end a report, never continue a recommendation.
_SIGN_OFF = re.compile(
    r"^(?:signed\b|signature\b|date(?:\s+of\s+(?:report|review))?\s*:|end\s+of\s+(?:report|document)\b)", re.I)
_BACK_MATTER_TITLE = re.compile(
    r"^(?:(?:appendix|annexe?)(?:\s+\w{1,4})?|glossary(?:\s+of\s+terms)?|references|bibliography|"
    r"abbreviations|acronyms|acknowledg(?:e)?ments)\s*[:.]?\s*(?:[-–—]\s*.*)?$",
    re.I,
)
_LABEL_LINE = re.compile(
    r"^(?:addressed\s+to|lead\s+agenc(?:y|ies)|lead\s+organisation|responsible\s+(?:agency|agencies|organisation|body)|"
    r"agency|agencies|owner|action\s+(?:by|owner|lead)|led\s+by|lead)\s*[:–—]",
    re.I,
)


@dataclass(slots=True)
class _Item:
    id: str | None
    first: Line
    parts: list[str] = field(default_factory=list)
    agency: str | None = None
    bottom: float = 0.0
    page: int = 0
    closed: bool = False
    skipping: bool = False
    cont_x: float | None = None  # x of the item's wrapped lines (hanging indent)
    size: float = 0.0  # font size of the item's text (not of its label line)
    labelled: bool = False  # an "Agency: …" line has closed its text
    weak: bool = False  # the agency came from a subheading with no agency word in it


def segment_sections(sections: list[Section], tables: list[Table]) -> list[Row]:
    """Rows of every section, merged so each recommendation appears once."""
    per_section: list[list[Row]] = []
    for section in sections:
        section_tables = [t for t in tables if section.start_page <= t.page <= section.end_page]
        per_section.append(segment_section(section, section_tables))
    return merge_sections(sections, per_section)


def segment_section(section: Section, tables: list[Table]) -> list[Row]:
    """Rows of one section, from its rec tables first and its lines otherwise."""
    rec_tables = table_parser.recommendation_tables(tables, section)
    table_rows = table_parser.rows_from_tables(rec_tables, section)
    boxes = [(t.page, t.bbox) for t in rec_tables]
    lines = [ln for ln in section.lines if not _inside_any(ln, boxes)]
    lines = drop_footnotes(lines, body_size(lines)) if lines else lines
    announced = True
    if section.kind == "conclusions":
        lines, announced = _after_recs_start(lines)
    line_rows = segment_lines(lines, section, paragraphs=not table_rows)
    if not announced or table_rows:
        # No "the panel recommends:" to cut at, or the recommendations are in a table and
        # the numbered paragraphs around it introduce or discuss them: keep only items
        # phrased as directives.
        line_rows = [r for r in line_rows if _DIRECTIVE.search(r.text) or r.text.startswith("That ")]
    else:
        line_rows = _without_leading_narrative(line_rows)
    rows = sorted(table_rows + line_rows, key=lambda r: (r.page, r.bbox[1]))
    default = _section_agency(section)
    return [
        replace(r, order=n, agency_hint=r.agency_hint or default)
        for n, r in enumerate(rows)
    ]


def _reads_as_directive(text: str) -> bool:
    if _DIRECTIVE.search(text) or text.startswith("That ") or _IMPERATIVE.match(text):
        return True
    # "Devon Police ensure …", but not "The review heard that … were …"
    return bool(_AGENCY_VERB.match(text)) and not _NARRATIVE_VERB.search(text)


def _without_leading_narrative(rows: list[Row]) -> list[Row]:
    """Drop the numbered context paragraphs that open a recommendations chapter.

    "8.1 … 8.11" of narrative, then "8.12 Northshire Police should …": when the items
    from the first directive on all read as directives (at least two of them) and none
    before it does, the ones before it are the chapter's introduction.
    """
    if len(rows) < 3 or not any(r.id for r in rows):
        return rows
    first = next((k for k, r in enumerate(rows) if _reads_as_directive(r.text)), None)
    if not first:
        return rows
    rest = rows[first:]
    if len(rest) < 2 or not all(_reads_as_directive(r.text) for r in rest):
        return rows
    if not all(_NARRATIVE.match(r.text) or _NARRATIVE_VERB.search(r.text) for r in rows[:first]):
        return rows  # "Refresh training on …": an imperative this module has no word for
    return rest


def _after_recs_start(lines: list[Line]) -> tuple[list[Line], bool]:
    """In "Conclusions and recommendations", keep what follows "the panel recommends:".

    The last such announcement wins (narrative may quote earlier ones); a bare
    "Recommendation" label is an item, not an announcement, so it is kept.
    """
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text.strip()
        if parse_marker(text) is not None and parse_marker(text).kind == "label":  # type: ignore[union-attr]
            continue
        nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
        joined = f"{text} {nxt}" if len(nxt.split()) <= 3 else text
        if _RECS_START.search(text) or _RECS_START.search(joined):
            start = i + 1 if _RECS_START.search(text) else i + 2
            mk = parse_marker(text)
            if mk is not None and mk.kind in ("decimal", "int"):
                return [lines[i], *lines[start:]], True  # a numbered title its items hang from
            return lines[start:], True
    return lines, False


def _section_agency(section: Section) -> str | None:
    """The agency a section is for: named by its heading ("Recommendations for the
    Probation Service"), or the agency chapter a "Recommendations" subsection sits in."""
    m = _FOR_AGENCY.match(re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", section.heading))
    if m and m.group("who") and _looks_like_agency(m.group("who")) and not _GROUP_WORDS.search(m.group("who")):
        return m.group("who").strip()
    if section.kind == "agency" and section.parent:
        return re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", section.parent).strip() or None
    return None


def _inside_any(line: Line, boxes: list[tuple[int, BBox]]) -> bool:
    cx = (line.bbox[0] + line.bbox[2]) / 2
    cy = (line.bbox[1] + line.bbox[3]) / 2
    return any(p == line.page and b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2 for p, b in boxes)


# --------------------------------------------------------------------------- lines
def segment_lines(lines: list[Line], section: Section, *, paragraphs: bool = True) -> list[Row]:
    """Rows from running text: numbered paragraphs, labels, bullets."""
    if not lines:
        return []
    markers = _repair_misread(lines, [parse_marker(ln.text) for ln in lines])
    body = body_size(lines)
    groups = {i for i, (ln, mk) in enumerate(zip(lines, markers)) if mk and _is_group_title(ln, mk, body, markers, i)}
    scheme = choose_scheme(lines, markers, groups)
    if scheme is None:
        return _paragraph_rows(lines, section, body) if paragraphs else []
    walk = _Walk(scheme=scheme, item_x=_item_indent(lines, markers, scheme, groups))
    walk.agency_looks = _agency_looks(lines, markers, body)
    runs = _group_runs(lines, markers, groups, body, scheme)
    tail = False  # this line ends a subheading that wrapped
    for i, (line, mk) in enumerate(zip(lines, markers)):
        if i in runs:
            walk.scheme, walk.item_x = runs[i]
        subheading = tail or _is_subheading(line, mk, body, lines, i) and not _LABEL_LINE.match(line.text.strip())
        tail = subheading and _continues_heading(lines, i, body)
        if walk.pending and not subheading:
            walk.flush()  # a "wrapped" heading whose tail turned out not to be one
        if i in groups and mk is not None:
            walk.group(mk)
        elif (mk is not None and _family(mk.kind) == walk.scheme
              and (walk.item_x is None or line.x0 <= walk.item_x + 12)
              and not _wrapped_reference(walk.current, lines, i, mk)):
            if not _repeated_header(walk.current, lines, i, mk):
                walk.start(line, mk, titled=_has_title(lines, markers, i, body))
        elif subheading:
            walk.subheading(line, wraps=tail)
        else:
            walk.continue_item(line, mk)
    items = _without_trailing_notes([item for item in walk.items if join_lines(item.parts)])
    rows = [_to_row(item, section) for item in items]
    return [r for r in rows if not _is_preamble(r.text) and not _is_closing(r.text)]


def _without_trailing_notes(items: list[_Item]) -> list[_Item]:
    """Drop a numbered list of notes or sources printed after the recommendations.

    "1 Home Office statutory guidance …, 2016." in small print closes some chapters: a
    run of items at the end, set clearly smaller than the recommendations, that asks
    nothing of anyone, after items that do. Sub-points in a smaller font stay: they are
    part of their recommendation, not items of their own.
    """
    sized = [item.size for item in items if item.size]
    if len(items) < 3 or not sized:
        return items
    usual = sorted(sized)[len(sized) // 2]
    end = len(items)
    while end > 0 and items[end - 1].size and items[end - 1].size <= usual - 0.8 \
            and not _DIRECTIVE.search(join_lines(items[end - 1].parts)):
        end -= 1
    if end == len(items) or not any(_DIRECTIVE.search(join_lines(item.parts)) for item in items[:end]):
        return items
    return items[:end]


def _repair_misread(lines: list[Line], markers: list[Marker | None]) -> list[Marker | None]:
    """Ids OCR misread as letters ("Rl" for "R1", "Ac" for "4c"), given back their digits.

    Only on OCR'd lines, and only where the repaired id fits its neighbours: the line
    starts in the column of the list's other ids, and the id comes between the ids
    before and after it (``numbering.fits_between``). A word that merely looks like an
    id ("I", "SO") is not in such a place.
    """
    if not any(line.font == "ocr" for line in lines):
        return markers
    columns = [line.x0 for line, mk in zip(lines, markers) if mk is not None and mk.id]
    out = list(markers)
    for i, (line, mk) in enumerate(zip(lines, markers)):
        if mk is not None or line.font != "ocr" or not any(abs(line.x0 - x) <= 6 for x in columns):
            continue
        candidate = misread_marker(line.text)
        if candidate is None:
            continue
        family = _family(candidate.kind)
        before = next((m for m in reversed(out[:i]) if m is not None and m.id and _family(m.kind) == family), None)
        after = next((m for m in markers[i + 1:] if m is not None and m.id and _family(m.kind) == family), None)
        if fits_between(before.id if before else None, candidate.id or "", after.id if after else None):
            out[i] = candidate
    return out


def _group_runs(lines: list[Line], markers: list[Marker | None], groups: set[int], body: float,
                scheme: str) -> dict[int, tuple[str, float | None]]:
    """The numbering scheme (and item indent) of each run of lines between group titles.

    "8.1 Panel recommendations" may number its items 8.1.1, 8.1.2 while "8.2 Single
    agency recommendations" restarts "1.", "2." under each agency: one scheme for the
    whole section would drop one of the lists. Runs start at numbered group titles and
    at styled "… recommendations" subheadings; a run without markers of its own keeps
    the section's scheme. Returns {first line index of a run: (scheme, indent)}.
    """
    starts = sorted(groups | {
        i for i, (line, mk) in enumerate(zip(lines, markers))
        if mk is None and _is_subheading(line, mk, body, lines, i)
        and (_GROUP_WORDS.search(line.text.strip()) or REC_HEADING.match(line.text.strip())
             or (line.bold or line.size >= body + 0.9) and _agency_named_by(line.text.strip()))
    })
    if not starts:
        return {}
    runs: dict[int, tuple[str, float | None]] = {}
    bounds = [0, *starts, len(lines)]
    for start, end in zip(bounds, bounds[1:]):
        if start >= end:
            continue
        local_groups = {i - start for i in groups if start <= i < end}
        own = choose_scheme(lines[start:end], markers[start:end], local_groups) or scheme
        runs[start] = (own, _item_indent(lines[start:end], markers[start:end], own, local_groups))
    if len({value[0] for value in runs.values()}) == 1:
        return {}  # one scheme throughout: the section's own indent stands
    return runs


def _wrapped_reference(current: _Item | None, lines: list[Line], i: int, mk: Marker) -> bool:
    """A wrapped line that happens to start with a number or label is not a new item.

    "… as set out in paragraph / 4.3 of the guidance …", "… described in /
    Recommendation 1 to staff …": the line before ends mid-sentence, the "marker" is
    followed by lower-case words, and its id does not come next in the list.
    """
    if (current is None or current.closed or i == 0 or not current.parts or current.id is None
            or mk.kind not in ("decimal", "int", "label", "r", "paren")):
        return False
    before = lines[i - 1].text.rstrip()
    if before.endswith((".", ";", ":", "?", "!")) or lines[i - 1].page != lines[i].page:
        return False
    last_word = before.split()[-1] if before.split() else ""
    if not (mk.rest.strip()[:1].islower() or last_word[:1].islower()):
        return False  # "… the Kent and Medway" / "ICB" is a name running on, not a new item
    return not follows(current.id, mk.id)


def _repeated_header(current: _Item | None, lines: list[Line], i: int, mk: Marker) -> bool:
    """A boxed recommendation's title row repeated at the top of the next page
    ("Recommendation 2" again, with nothing after it): the item goes on."""
    return (current is not None and mk.id is not None and mk.id == current.id and not mk.rest
            and i > 0 and lines[i - 1].page < lines[i].page and current.first.page < lines[i].page)


def _has_title(lines: list[Line], markers: list[Marker | None], i: int, body: float) -> bool:
    """"Recommendation 2 – Information sharing", with the text below: a title, not text."""
    mk, line = markers[i], lines[i]
    if mk is None or mk.kind != "label" or not mk.rest or i + 1 >= len(lines):
        return False
    rest, nxt = mk.rest.strip(), lines[i + 1]
    if (len(rest.split()) > 8 or rest.endswith((".", ";", ",", ":")) or markers[i + 1] is not None
            or not nxt.text.strip()[:1].isupper() or nxt.page != line.page):
        return False
    if rest.split()[-1].lower() in _CONNECTOR_WORDS:
        return False  # the sentence runs on
    styled = (line.bold and not nxt.bold) or line.size >= max(nxt.size, body) + 0.9
    return styled or nxt.top - line.bottom > 0.5 * line.size


_CONNECTOR_WORDS = {"the", "a", "an", "and", "or", "of", "to", "for", "in", "on", "with", "that", "by", "should", "must"}


def _continues_heading(lines: list[Line], i: int, body: float) -> bool:
    """The next line is the wrapped tail of this styled subheading (same look, no gap)."""
    if i + 1 >= len(lines):
        return False
    line, nxt = lines[i], lines[i + 1]
    text = line.text.strip()
    return (
        nxt.page == line.page and nxt.bold == line.bold and abs(nxt.size - line.size) < 0.3
        and (line.bold or line.size >= body + 0.9)
        and -0.5 * line.size <= nxt.top - line.bottom < 0.5 * line.size
        and not text.endswith((":", ".")) and len(text) > 25
        and nxt.text.strip()[:1].isalpha() and parse_marker(nxt.text) is None
    )


def _is_closing(text: str) -> bool:
    """"8.5 The chair would like to thank the family …" closes the report."""
    return bool(_CLOSING.match(text)) and not re.search(r"\b(?:should|must|ensure)\b", text, re.I)


@dataclass(slots=True)
class _Walk:
    """State of one pass over a section's lines (see ``segment_lines``)."""

    scheme: str
    item_x: float | None
    items: list[_Item] = field(default_factory=list)
    agency: str | None = None
    prefix: str | None = None
    current: _Item | None = None
    agency_look: tuple[float, bool] | None = None  # size and weight of the agency subheadings
    pending: str = ""  # the first line(s) of a subheading that wraps
    agency_looks: frozenset[tuple[float, bool]] = frozenset()  # looks of subheadings naming agencies
    agency_weak: bool = False  # the current agency is only a name-like sibling subheading
    pending_line: Line | None = None

    def group(self, mk: Marker) -> None:
        """A numbered group title: sets the id prefix of lettered items and the agency."""
        self.prefix = mk.id if mk.kind in ("decimal", "int") else self.prefix
        title = mk.rest
        if _looks_like_agency(title):
            self.agency, self.agency_weak = title, False
        elif _GROUP_WORDS.search(title):
            self.agency, self.agency_weak = None, False
        self.current = None

    def start(self, line: Line, mk: Marker, *, titled: bool = False) -> None:
        agency = self.agency
        if titled and _looks_like_agency(mk.rest) and _could_be_a_name(mk.rest):
            agency = mk.rest.strip().rstrip(":")  # "Recommendation 3: Northshire Police"
        self.current = _Item(id=_compose_id(mk, self.prefix), first=line, agency=agency, bottom=line.bottom, page=line.page,
                             weak=self.agency_weak and agency == self.agency)
        if mk.rest and not titled:
            self.current.parts.append(mk.rest)
            self.current.size = line.size
        self.items.append(self.current)
        self.pending = ""

    def subheading(self, line: Line, *, wraps: bool = False) -> None:
        text = f"{self.pending} {line.text.strip()}".strip()
        if wraps:  # read the whole heading before deciding what it names
            self.pending, self.pending_line = text, line
            return
        self.pending = ""
        self._heading(text, (round(line.size, 1), line.bold))

    def flush(self) -> None:
        """Decide on a subheading kept back as the first line of a wrapped one."""
        text, line = self.pending, self.pending_line
        self.pending = ""
        if line is not None:
            self._heading(text, (round(line.size, 1), line.bold))

    def _heading(self, text: str, look: tuple[float, bool]) -> None:
        named = _agency_named_by(text)
        if named:
            self.agency, self.current, self.agency_look = named, None, look
            self.agency_weak = not _ends_in_agency_word(named)  # "Police Liaison" may be a theme
        elif _GROUP_WORDS.search(text) or REC_HEADING.match(text):
            self.agency, self.current = None, None
        elif (look == self.agency_look and self.agency is not None or look in self.agency_looks) \
                and _could_be_a_name(text):
            # A sibling of the agency subheadings: another agency, even one whose name
            # has no agency word ("Change Grow Live"), also when it comes first.
            self.agency, self.current, self.agency_weak = text.rstrip(":"), None, True
        elif self.current is not None and self.scheme != "label":
            self.current.closed = True

    def continue_item(self, line: Line, mk: Marker | None) -> None:
        current, text = self.current, line.text.strip()
        if current is None or current.closed:
            return
        if _FIELD_LINE.match(text):
            current.skipping = True  # "Timescale: …" and its wrapped value are not text
            return
        if _LABEL_LINE.match(text):
            current.skipping = False  # "Addressed to: …" belongs to the item above
            current.labelled = True
        elif current.skipping:
            return
        elif (self.scheme == "label" and mk is not None and mk.kind == "decimal"
              and self.item_x is not None and line.x0 <= self.item_x + 2):
            current.closed = True  # "6.3 The panel heard …": the report's own paragraphs resume
            return
        elif _ends_item(current, line, self.item_x, self.scheme):
            current.closed = True
            return
        elif mk is not None and mk.kind == "bullet":
            text = mk.rest
        elif mk is None:
            text = strip_bullet(text)[1]
        current.parts.append(text)
        if current.cont_x is None:
            current.cont_x = line.x0
        if not current.size:
            current.size = line.size
        current.bottom, current.page = line.bottom, line.page


def _agency_looks(lines: list[Line], markers: list[Marker | None], body: float) -> frozenset[tuple[float, bool]]:
    """Size and weight of the styled subheadings that name an agency ("Kent Police")."""
    looks = set()
    for i, (line, mk) in enumerate(zip(lines, markers)):
        if (line.bold or line.size >= body + 0.9) and _is_subheading(line, mk, body, lines, i) \
                and _names_an_agency(line.text.strip()):
            looks.add((round(line.size, 1), line.bold))
    return frozenset(looks)


def _names_an_agency(text: str) -> bool:
    """A subheading that is an agency's name: capitalised and ending in an agency word
    ("Kent Police", "Recommendations for the Probation Service"), not a theme that
    merely contains one ("Simplified service delivery")."""
    name = _agency_named_by(text)
    if not name:
        return False
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    return _could_be_a_name(name) and _ends_in_agency_word(name)


def _is_preamble(text: str) -> bool:
    """"The recommendations below are grouped by agency." is not a recommendation."""
    if len(text.split()) > 60 or re.search(r"\b(?:should|must|ensure)\b", text, re.I):
        return False
    return bool(_PREAMBLE.search(text)) or bool(_RECS_START.search(text))


def _paragraph_rows(lines: list[Line], section: Section, body: float) -> list[Row]:
    """No numbers, labels or bullet glyphs at all: each paragraph is a recommendation.

    Bullets drawn as pictures leave exactly this: paragraphs separated by space. Short
    styled lines are subheadings (agency names set the hint); an opening paragraph that
    introduces the list ("The review makes the following recommendations") is dropped.
    """
    rows: list[Row] = []
    agency: str | None = None
    current: _Item | None = None
    steps = sorted(
        b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 3 * a.size
    )
    pitch = steps[len(steps) // 4] if steps else body * 1.3  # line-to-line distance inside a paragraph
    for i, line in enumerate(lines):
        text = line.text.strip()
        if _is_subheading(line, None, body, lines, i):
            agency = text.rstrip(":") if _looks_like_agency(text) else None
            current = None
            continue
        prev = lines[i - 1] if i else None
        gap = prev is None or prev.page != line.page or line.top - prev.top > pitch * 1.25
        indent = prev is not None and prev.page == line.page and abs(line.x0 - prev.x0) > 8 and line.x0 < prev.x0
        if current is None or gap or indent and current.parts[-1].rstrip().endswith((".", ";")):
            current = _Item(id=None, first=line, agency=agency)
            rows.append(current)  # type: ignore[arg-type]
        current.parts.append(text)
    out = [_to_row(item, section) for item in rows if join_lines(item.parts)]  # type: ignore[arg-type]
    # without numbers to go by, a paragraph must read as a directive to count
    return [
        r for r in out
        if not _is_preamble(r.text) and not r.text.endswith(":")
        and (_DIRECTIVE.search(r.text) or r.text.startswith("That ") or _AGENCY_VERB.match(r.text))
    ]


def choose_scheme(lines: list[Line], markers: list[Marker | None], groups: set[int]) -> str | None:
    """The marker kind that numbers the recommendations in these lines.

    The outermost (left-most) scheme wins; among schemes at the same indentation the
    more specific one (labels, R-numbers, decimals) beats plain integers, letters and
    bullets, which more often mark sub-points.
    """
    found: dict[str, list[float]] = {}
    for i, (line, mk) in enumerate(zip(lines, markers)):
        if mk is None or i in groups:
            continue
        if mk.kind == "label" and not mk.rest and i + 1 < len(lines) and parse_marker(lines[i + 1].text) is not None:
            continue
        if i and mk.id is not None and mk.rest[:1].islower() and lines[i - 1].page == line.page \
                and not lines[i - 1].text.rstrip().endswith((".", ";", ":", "?", "!")):
            continue  # "… described in / Recommendation 1 so that …": a wrapped reference
        found.setdefault(_family(mk.kind), []).append(line.x0)
    if not found:
        return None
    counts = {k: len(v) for k, v in found.items()}
    # Letters/bullets only number recommendations when nothing else does.
    primary = {k: v for k, v in counts.items() if k not in ("letter", "bullet")}
    if not primary:
        return "letter" if counts.get("letter", 0) >= counts.get("bullet", 0) else "bullet"
    min_x = {k: min(found[k]) for k in primary}
    left = min(min_x.values())
    outer = [k for k in primary if min_x[k] <= left + 15]
    return min(outer, key=lambda k: (_ITEM_PRIORITY.index(k), -counts[k]))


def _item_indent(lines: list[Line], markers: list[Marker | None], scheme: str | None, groups: set[int]) -> float | None:
    xs = [ln.x0 for i, (ln, mk) in enumerate(zip(lines, markers)) if mk and _family(mk.kind) == scheme and i not in groups]
    if not xs:
        return None
    return Counter(round(x) for x in xs).most_common(1)[0][0]


def _compose_id(mk: Marker, prefix: str | None) -> str | None:
    if mk.kind == "letter" and prefix:
        letter = mk.id.strip("().") if mk.id else ""
        return f"{prefix} {letter}"
    if mk.kind == "letter" and mk.id:
        # "(iv)" as printed, like "(4)"; "a." and "a)" lose the punctuation
        return mk.id if mk.id.startswith("(") else mk.id.rstrip(".)")
    return mk.id


def _is_group_title(line: Line, mk: Marker, body: float, markers: list[Marker | None], i: int) -> bool:
    """A numbered line that titles a group ("9.1 Single agency recommendations")."""
    if mk.kind not in ("decimal", "int", "r", "label") or not mk.rest:
        return False
    if mk.kind == "label":
        # "Recommendation 3 – Primary care" titles the recommendation below it; only
        # lettered points under it would make it a group
        nxt = next((m for m in markers[i + 1 : i + 4] if m is not None), None)
        return nxt is not None and nxt.kind == "letter"
    rest = mk.rest.strip()
    if rest.endswith((".", ";", ",")) or len(rest.split()) > 10:
        return False
    styled = line.bold or line.size >= body + 0.9
    if (_GROUP_WORDS.search(rest) or REC_HEADING.match(rest)) and (styled or mk.kind in ("decimal", "int")):
        return True  # "9.1 Single agency recommendations", "8.1 Recommendations of the review"
    if rest.endswith(":") and len(rest.split()) <= 10 and _RECS_START.search(rest):
        # "8.1 The panel recommends that:" over "(i) …", "(ii) …": the lead-in numbers the
        # list, its items are the recommendations
        nxt = next((m for m in markers[i + 1 : i + 3] if m is not None), None)
        return nxt is not None and nxt.kind in ("letter", "paren", "int") and nxt.kind != mk.kind
    if not styled or " should " in rest or " must " in rest:
        return False  # a recommendation printed in bold is not a title
    # A styled title followed by deeper-numbered or lettered items.
    nxt = next((m for m in markers[i + 1 : i + 4] if m is not None), None)
    if nxt is None:
        return _looks_like_agency(rest)
    if nxt.kind == "letter":
        return True
    if nxt.kind == mk.kind == "decimal" and nxt.depth > mk.depth:
        return True
    return _looks_like_agency(rest)


def _is_subheading(line: Line, mk: Marker | None, body: float, lines: list[Line], i: int) -> bool:
    if mk is not None and mk.kind != "bullet":
        return False
    text = line.text.strip()
    if len(text.split()) > 12 or text.endswith((".", ",", ";")) or not text[:1].isupper():
        return False
    styled = line.bold or line.size >= body + 0.9 or line.italic and line.bold
    if styled:
        return True
    # A plain short agency line standing alone between items.
    prev = lines[i - 1] if i else None
    gap = prev is None or prev.page != line.page or line.top - prev.bottom > line.size * 0.8
    return gap and _looks_like_agency(text) and len(text.split()) <= 8 and text.endswith(":") is False


_FOR_AGENCY = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:single[- ]agency\s+)?recommendations?|actions?)\s+"
    r"(?:for|to|made\s+to|addressed\s+to|to\s+be\s+taken\s+by)\s+(?:the\s+)?(?P<who>.+)$|"
    r"^(?P<owner>.+?)['’]?s?\s+recommendations?$",
    re.I,
)


def _agency_named_by(text: str) -> str | None:
    """The agency a subheading names: "Northshire Police", "Recommendations for the
    Probation Service", "Northshire Police recommendations"."""
    t = text.strip().rstrip(":").strip()
    if _looks_like_agency(t):
        return t
    m = _FOR_AGENCY.match(t)
    who = m and (m.group("who") or m.group("owner"))
    if who and _looks_like_agency(who) and not _GROUP_WORDS.search(who):
        return who.strip()
    return None


def _could_be_a_name(text: str) -> bool:
    """Short, every word capitalised, not a sentence: "Change Grow Live", "Victim
    Support", "Women's Aid" (not "Primary care" or "Routine enquiry in primary care")."""
    words = text.rstrip(":").split()
    return 1 <= len(words) <= 8 and not text.rstrip().endswith((".", ";", ",")) and all(
        w[:1].isupper() or w[:1] in "(&" or w.lower() in ("and", "of", "for", "the", "in", "on")
        for w in words) and words[-1].lower() not in ("and", "of", "for", "the", "in", "on")  # "Detection of"


def _ends_in_agency_word(name: str) -> bool:
    """"Kent Police", "Adult Social Care", "Home Office (HO)" - not "Police Liaison"."""
    words = re.sub(r"\s*\([^()]*\)\s*$", "", name).rstrip(":").split()
    return bool(words) and (bool(AGENCY_WORD.fullmatch(words[-1].strip(".,"))) or words[-1].isupper())


def _looks_like_agency(text: str) -> bool:
    t = text.strip().rstrip(":")
    if not t or len(t.split()) > 12 or t.endswith("."):
        return False
    if re.search(r"recommendation", t, re.I):
        return False
    return bool(AGENCY_WORD.search(t)) or (t.isupper() and 2 <= len(t) <= 6 and " " not in t)


def _ends_item(item: _Item, line: Line, item_x: float | None, scheme: str | None) -> bool:
    """True when an unnumbered paragraph after an item is narrative, not its continuation.

    In a hanging-indent list the item's own lines sit right of its number, so a new
    paragraph back at the number's margin has left the list. Whatever the layout, a
    paragraph of thanks or a signature after the list is not part of the last item.
    """
    if not item.parts:
        return False
    if item.labelled or scheme == "label" and item.size:
        # After "Agency: …" the item is complete; a label-numbered item (often boxed, in a
        # smaller font) ends at a new paragraph in another size: the narrative resumes.
        new_paragraph = line.page != item.page or line.top - item.bottom > line.size * 0.9
        if new_paragraph and (item.labelled or abs(line.size - item.size) >= 0.8):
            return True
    if scheme == "bullet" and item_x is not None:
        # Bullets often carry no closing full stop; what ends the list is a paragraph
        # back at the bullets' own margin after a gap, when their lines hang further right,
        # or any line left of the bullets (when wrapped lines do not run back under them).
        # The margin is this bullet's own: one section can hold lists set at different
        # indents (a summary's list and the chapter's, a figure's).
        bullet_x = item.first.x0
        if line.x0 < bullet_x - 8 and (item.cont_x is None or item.cont_x > bullet_x - 2):
            return True
        return _leaves_hanging_list(item, line, bullet_x)
    last = item.parts[-1].rstrip()
    if not (last.endswith((".", ";", ")")) or not last):
        return False
    text = line.text.strip()
    if _SIGN_OFF.match(text) or (_BACK_MATTER_TITLE.match(text) and len(text.split()) <= 4):
        return True  # "Signed: …", "Date: …", a plain "Glossary" line: whatever the spacing
    if scheme in ("label", "bullet", None) or item_x is None:
        return False
    new_paragraph = line.page != item.page or line.top - item.bottom > line.size * 0.9
    if _CLOSING.match(text) and (new_paragraph or line.top - item.bottom > line.size * 0.3):
        return True
    if not new_paragraph:
        return False
    return _leaves_hanging_list(item, line, item_x)


def _leaves_hanging_list(item: _Item, line: Line, item_x: float) -> bool:
    """A new paragraph at the markers' margin while the item's own lines hang right of it."""
    if line.page == item.page and line.top - item.bottom <= line.size * 0.9:
        return False
    hanging = item.cont_x is not None and item.cont_x > item_x + 8
    return hanging and line.x0 <= item_x + 2 and line.x0 < (item.cont_x or 0) - 8


def _to_row(item: _Item, section: Section) -> Row:
    text = join_lines(item.parts)
    text = re.sub(r"^[:.\-–—)\s]+", "", text)
    agency = item.agency
    if item.weak and agency and (subject := subject_of(text)) and subject[:1].isupper() \
            and subject.lower() not in agency.lower():
        # "Police Liaison" may be a theme rather than an agency: a recommendation that names
        # its own addressee by name ("NHS England should …") is not overruled by it. A body
        # named by its type ("The drug and alcohol service should …") may be the agency
        # of the subheading itself ("Locala Health and Wellbeing"), so that one is not.
        agency = None
    return Row(
        id=item.id,
        text=text,
        page=item.first.page,
        bbox=item.first.bbox,
        section=section.heading,
        section_kind=section.kind,
        agency_hint=agency,
    )


# --------------------------------------------------------------------------- merging
def _norm(text: str) -> str:
    text = re.sub(r"[‘’'“”\"]", "", text.lower())
    return squash(re.sub(r"[^\w\s]", " ", text))


def merge_sections(sections: list[Section], per_section: list[list[Row]]) -> list[Row]:
    """Keep each recommendation once, preferring main-body rows over summary copies.

    Rows of the most authoritative kind present (main/agency, else executive summary,
    else action plan) are kept; copies found in the other sections only lend an
    addressee the kept row lacks.
    """
    if not per_section:
        return []
    priority = [_SECTION_PRIORITY.get(s.kind, 0) for s in sections]
    for i, _original in _summary_copies(sections, per_section, priority):
        priority[i] = max(priority[i], _SECTION_PRIORITY["exec_summary"])
    ranked = sorted((priority[i], i) for i in range(len(sections)) if per_section[i])
    if not ranked:
        return []
    best = ranked[0][0]
    unique: list[tuple[Row, str]] = []  # (row, its normalised text), compared pairwise
    others: list[tuple[Row, str]] = []
    for priority, i in sorted(ranked, key=lambda t: t[1]):
        keyed = [(row, _norm(row.text)) for row in per_section[i]]
        if priority != best:
            others.extend(keyed)
            continue
        # Within one section every row stands (agencies may share a wording); a later
        # section of the same rank that repeats a row adds nothing.
        earlier = list(unique)
        unique.extend(item for item in keyed if not _repeats(item, earlier))
    if others:
        return [_borrow_addressee(item, others) for item in unique]
    return [row for row, _ in unique]


def _summary_copies(sections: list[Section], per_section: list[list[Row]],
                    priority: list[int]) -> list[tuple[int, int]]:
    """(copy, original) pairs: an earlier section that restates a later one in short.

    A summary at the front of a report often lists the recommendations again in fewer
    words ("Kent Police to record …" for "Kent Police should ensure that officers …"),
    under a heading that does not say "Executive summary". Too different for the
    repeat test, such a list still has the same number of rows, addressed to the same
    agencies in the same order, each sharing words with its counterpart.
    """
    pairs = []
    for j in range(len(sections)):
        for i in range(j):
            a, b = per_section[i], per_section[j]
            if priority[i] != priority[j] or len(a) != len(b) or len(a) < 2:
                continue
            if all(_restates(x, y) for x, y in zip(a, b)):
                pairs.append((i, j))
    return pairs


def _restates(short: Row, full: Row) -> bool:
    if short.agency_hint and full.agency_hint:
        same_agency = fuzz.token_set_ratio(short.agency_hint, full.agency_hint) >= 90
        return same_agency and fuzz.token_set_ratio(_norm(short.text), _norm(full.text)) >= 65
    return fuzz.token_set_ratio(_norm(short.text), _norm(full.text)) >= 75


def _repeats(item: tuple[Row, str], earlier: list[tuple[Row, str]]) -> bool:
    row, key = item
    for other, other_key in earlier:
        if row.agency_hint and other.agency_hint and row.agency_hint != other.agency_hint:
            continue
        if fuzz.ratio(key, other_key) >= 95:
            return True
    return False


def _borrow_addressee(item: tuple[Row, str], others: list[tuple[Row, str]]) -> Row:
    row, key = item
    if row.agency_hint:
        return row
    best, score = max(((other, fuzz.token_set_ratio(key, other_key)) for other, other_key in others),
                      key=lambda pair: pair[1])
    if best.agency_hint and score >= 90:
        return replace(row, agency_hint=best.agency_hint)
    return row
