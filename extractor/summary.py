"""A short summary of a review, taken from its own conclusions or key findings.

The target page opens with three sentences about what the review found. Writing new
prose would need a language model and would not be reproducible, so this picks up to
three of the report's own sentences: it finds the "Conclusions" and "Key findings"
sections by their headings (else the "Executive summary"), splits them into sentences
and keeps the highest-scoring ones in their original order. The scorer is a fixed keyword-and-position
rule, so the same PDF always gives the same summary. Names are left to
:mod:`extractor.anonymise`, which runs over the summary too.

Example:
    >>> summarise(document)
    'The panel found that agencies did not share information about the risk ...'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .models import Document, Line

MAX_SECTION_CHARS = 6000
MIN_WORDS, MAX_WORDS = 8, 60

# Heading kinds in order of preference: the first kind that yields sentences wins.
HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^\W*(?:(?:section|chapter|part)\s+)?(?:\d+(?:\.\d+)*\.?\s+|[A-Z]\.\s+)?(?:{rx})\s*:?$", re.I))
    for kind, rx in (
        ("conclusions", r"(?:overall\s+|summary\s+of\s+|key\s+)?conclusions?(?:\s+and\s+(?:lessons|learning|recommendations)(?:\s+learn[te]d)?)?"),
        ("findings", r"(?:key\s+|summary\s+of\s+(?:the\s+)?(?:key\s+)?|main\s+)?findings|key\s+issues(?:\s+arising)?|lessons\s+(?:to\s+be\s+)?learn[te]d|key\s+learning"),
        ("executive_summary", r"executive\s+summary|summary(?:\s+of\s+the\s+review)?"),
    )
)
_CONTENTS_LINE = re.compile(r"(?:\.{3,}|…{2,}|_{3,}|\s\d{1,3})\s*$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[a-z]\)|\([a-z0-9]+\)|[ivx]+\.|[•▪◦‣\-–*])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]?\s+(?=[\"“‘'(]?[A-Z])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|No|para|cf|vs|St)\.$", re.I)
_KEYWORDS = {
    r"\bidentif": 1.0, r"\bfail": 1.5, r"\brisk": 1.5, r"\bagenc": 1.0, r"\bmissed\b": 1.5,
    r"\bopportunit": 1.5, r"\blesson": 1.0, r"\blearn": 0.8, r"\bconclu": 1.0, r"\bassess": 1.0,
    r"\binformation[- ]shar|\bshar\w* information": 1.5, r"\bmulti[- ]agency": 1.0,
    r"\bconcern": 0.8, r"\black\b|\babsence\b": 1.0, r"\bpanel\b": 0.8, r"\bhighlight": 1.0,
    r"\bpredict|\bprevent": 1.2, r"\bdomestic abuse|\bdomestic violence": 0.5,
    r"\bawareness|\btraining": 0.6, r"\bsafeguard": 0.6,
}
_PENALTIES = {
    r"^(?:this|the following|in this) (?:section|chapter|report)": 3.0, r"\?$": 3.0,
    r"\brecommendation": 1.0, r"\bterms of reference\b": 2.0, r"\bsee (?:section|para|appendix)": 2.0,
}
# Each penalty with a lower-case word its pattern cannot match without (a cheap pre-test).
_PENALTY_RES = [
    (cue, re.compile(rx, re.I), w)
    for (rx, w), cue in zip(_PENALTIES.items(), ("th", "?", "recommendation", "terms of reference", "see "))
]
# The keywords as plain lower-case stems (a leading space stands for the word start): a
# substring test per stem is several times cheaper than a regex search, and scoring
# runs over every sentence of the chosen sections. Kept in step with _KEYWORDS.
_KEYWORD_STEMS: tuple[tuple[tuple[str, ...], float], ...] = (
    ((" identif",), 1.0), ((" fail",), 1.5), ((" risk",), 1.5), ((" agenc",), 1.0),
    ((" missed ",), 1.5), ((" opportunit",), 1.5), ((" lesson",), 1.0), ((" learn",), 0.8),
    ((" conclu",), 1.0), ((" assess",), 1.0),
    ((" information shar", " sharing information", " share information", " shared information"), 1.5),
    ((" multi agency",), 1.0), ((" concern",), 0.8), ((" lack ", " absence "), 1.0),
    ((" panel ",), 0.8), ((" highlight",), 1.0), ((" predict", " prevent"), 1.2),
    ((" domestic abuse", " domestic violence"), 0.5), ((" awareness", " training"), 0.6),
    ((" safeguard",), 0.6),
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_WORD_KEY = re.compile(r"\W+")
_STRAY_PAGE_NUMBER = re.compile(r"\s*(?:page\s+)?\d{1,3}\s*", re.I)


def _keyword_score(sentence: str) -> float:
    low = " " + _NON_WORD.sub(" ", sentence.lower()) + " "
    return sum(w for stems, w in _KEYWORD_STEMS if any(stem in low for stem in stems))


@dataclass(frozen=True, slots=True)
class _Heading:
    kind: str
    index: int


def summarise(document: Document, max_sentences: int = 3) -> str | None:
    """Up to ``max_sentences`` sentences from the report's conclusions and key findings
    (pooled, in document order), else from its executive summary; ``None`` if none.

    Example:
        >>> summarise(document, max_sentences=1)
        'Agencies did not assess the risk posed by the perpetrator across incidents.'
    """
    lines = document.lines()
    if not lines:
        return None
    headings = _find_headings(lines)
    if not headings:
        return None
    body_size = _body_size(lines)
    memo: dict[str, tuple[str, float | None]] = {}
    for group in (("conclusions", "findings"), ("executive_summary",)):
        texts: list[tuple[int, str]] = []
        for kind in group:
            for heading in (h for h in headings if h.kind == kind):
                text = _section_text(lines, heading.index, body_size)
                if pick_sentences(text, 1, _memo=memo):
                    texts.append((heading.index, text))
                    break  # the first usable section of each kind
        chosen = pick_sentences(" ".join(t for _, t in sorted(texts)), max_sentences, _memo=memo)
        if chosen:
            return " ".join(chosen)
    return None


def pick_sentences(
    text: str, max_sentences: int = 3, *, _memo: dict[str, tuple[str, float | None]] | None = None
) -> list[str]:
    """The best ``max_sentences`` sentences of ``text``, in their original order.

    Example:
        >>> pick_sentences("The panel found a failure to assess risk across agencies. It rained.", 1)
        ['The panel found a failure to assess risk across agencies.']
    """
    memo = {} if _memo is None else _memo  # summarise() scores a section's sentences once
    sentences = split_sentences(text)
    scored = []
    seen: set[str] = set()
    for i, sentence in enumerate(sentences):
        known = memo.get(sentence)
        if known is None:
            known = memo[sentence] = (_NON_WORD_KEY.sub(" ", sentence.lower()).strip(), _sentence_score(sentence))
        key, score = known
        if key in seen:
            continue  # a sentence the report repeats is said once
        seen.add(key)
        if score is None:
            continue
        score += 1.0 - i / max(len(sentences), 1)  # earlier sentences state the gist
        if score > 0:
            scored.append((score, i, sentence))
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:max_sentences]
    return [s for _, _, s in sorted(best, key=lambda t: t[1])]


def _sentence_score(sentence: str) -> float | None:
    """A sentence's keyword score less its penalties; ``None`` if too short or too long."""
    words = len(sentence.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        return None
    score = _keyword_score(sentence)
    low = sentence.lower()
    score -= sum(w for cue, rx, w in _PENALTY_RES if cue in low and rx.search(sentence))
    if sum(map(str.isdigit, sentence)) > 8:
        score -= 1.0  # chronology, not a finding
    return score


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after "e.g." or "Mr."."""
    pieces = _SENTENCE_END.split(re.sub(r"\s+", " ", text).strip())
    out: list[str] = []
    for piece in pieces:
        if out and _ABBREVIATION.search(out[-1][-8:]):  # (anchored at the end: its tail suffices)
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [p.strip() for p in out if p.strip()]


# --------------------------------------------------------------------------- helpers
def _body_size(lines: list[Line]) -> float:
    sizes = Counter(round(line.size) for line in lines if len(line.text) > 40)
    return float(sizes.most_common(1)[0][0]) if sizes else 10.0




def _find_headings(lines: list[Line]) -> list[_Heading]:
    found = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        if not text or len(text) > 80:
            continue
        # One of these words is in every heading HEADING_KINDS matches; plain substring
        # tests first, since this runs on every line of the report.
        low = text.lower()
        if not (
            "conclu" in low or "finding" in low or "issues" in low
            or "lesson" in low or "learning" in low or "summary" in low
        ) or _CONTENTS_LINE.search(text):
            continue
        for kind, pattern in HEADING_KINDS:
            if pattern.match(text):
                found.append(_Heading(kind, i))
                break
    return found


def _is_heading(line: Line, body_size: float) -> bool:
    text = line.text.strip()
    if not text or len(text) > 80 or text.endswith((".", ",", ";")):
        return False
    if any(p.match(text) for _, p in HEADING_KINDS) or re.match(r"^\W*(?:\d+\.?\s+)?(?:recommendations?|appendix|introduction|glossary|references)\b", text, re.I):
        return True
    return (line.bold or line.size >= body_size + 1.5) and len(text.split()) <= 10


def _section_text(lines: list[Line], start: int, body_size: float) -> str:
    """The prose under the heading at ``start``, up to the next heading."""
    parts: list[str] = []
    size = 0
    for line in lines[start + 1 :]:
        if _is_heading(line, body_size) and parts:
            break
        raw = line.text
        if "...." in raw or "……" in raw or (len(raw) < 20 and _STRAY_PAGE_NUMBER.fullmatch(raw)):
            continue  # a contents entry or a stray page number
        text = _NUMBERED.sub("", line.text.strip())
        if parts and parts[-1].endswith("-") and text[:1].islower():
            parts[-1] = parts[-1][:-1] + text  # re-join a word hyphenated across lines
        else:
            parts.append(text)
        size += len(text)
        if size > MAX_SECTION_CHARS:
            break
    return " ".join(parts)
