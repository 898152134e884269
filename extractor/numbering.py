"""Recognise the numbering marker at the start of a line.

Every scheme seen in real reviews is one ``Marker`` kind:

==========  ===============================================
kind        examples
==========  ===============================================
label       "Recommendation 4" (id "Recommendation 4"), "Rec. 4:", "Rec 4", "Recommendation One",
            bare "Recommendation" (no id)
r           "R1", "R12a", "R.1", "R1.1"; letter-prefixed ids "OR1", "SA1.2", "DHR 3" (id as printed)
decimal     "8.1", "21.10.1", "10.1.1.1", "9.1 a", "10.2a", "7.2.1(a)", "3.140(a)"
int_letter  "2a", "2(b)"
paren       "(1)", "(12)"
int         "1.", "1)", "1 " (followed by a capitalised word)
letter      "a)", "(a)", "a.", "(iv)", "iv)"
bullet      "•", "-", "▪", "o " and other bullet glyphs
==========  ===============================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import strip_bullet

# "Recommendation One", "Recommendation TWENTY-ONE": capitalised, so that narrative
# ("recommendation one of the earlier review") is not read as a label.
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_NUMBER_WORD = (
    rf"(?=[A-Z])(?:(?i:{_UNITS}|{_TEENS})|(?i:twenty|thirty|forty)(?:[- ](?i:{_UNITS}))?)(?![A-Za-z])"
)
_LABEL = re.compile(
    r"^(?P<word>Recommendation|RECOMMENDATION|Rec\.?|REC\.?)(?![sS])\s*(?P<no>(?i:no\.?|number)\s*|#\s*)?"
    rf"(?P<id>\d{{1,3}}(?:\.\d{{1,3}})?[a-z]?|{_NUMBER_WORD}|[A-Z]\d{{0,2}})?"
    r"\s*(?:[:.)–—-]\s*|\s+|$)(?P<rest>.*)$",
)
_R = re.compile(r"^(?P<id>R\.?\s?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)(?:[.:)–—-]\s*|\s+|$)(?P<rest>.*)$")
# "OR1", "SA1.2", "DHR 3", "LR 2": a short capital prefix that says which list the id is in.
# Only with a capitalised text (or nothing) after it, so "COVID 19 restrictions" is not one,
# and never a structural word ("PART 2", "STEP 1").
_PREFIXED = re.compile(
    r"^(?P<id>(?P<pre>[A-Z]{2,4})\s?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)(?:[.:)–—-]\s*|\s+|$)(?P<rest>.*)$"
)
_NOT_PREFIX = frozenset(
    "PART STEP PAGE TABLE NOTE STAGE PHASE TIER LEVEL YEAR ITEM FIG ANNEX COVID NHS CPA ICD SECT "
    "WEEK DAY DAYS AGE ROOM WARD UNIT FLAT BOX TEL".split()
)
_DECIMAL = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,3}){1,3})\.?"
    r"(?:(?P<sp>\s?)(?P<letter>\([a-z]\)|[a-z]\)|[a-z](?=[.\s]))\.?)?"
    r"(?:[.:)–—-]\s*|\s+|$)(?P<rest>.*)$"
)
_INT_LETTER = re.compile(r"^(?P<num>\d{1,3})(?P<letter>\([a-z]\)|[a-z])[.)]?(?:\s+|$)(?P<rest>.*)$")
_PAREN = re.compile(r"^\((?P<num>\d{1,3})\)\s*(?P<rest>.*)$")
_INT = re.compile(r"^(?P<num>\d{1,3})(?P<punct>[.)]|\s)\s*(?P<rest>.*)$")
_O_BULLET = re.compile(r"^o\s{1,3}[a-z]")
_LETTER = re.compile(r"^(?P<id>\((?:[a-z]|[ivx]{1,4})\)|(?:[a-z]|[ivx]{1,4})[.)])\s+(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbering marker: its kind, the id as printed, and the text after it."""

    kind: str
    id: str | None
    rest: str
    depth: int = 1

    @property
    def number(self) -> tuple[int, ...]:
        """The numeric part of a decimal/int id ((9, 1) for "9.1 a")."""
        m = re.match(r"[A-Za-z]*\s?(\d+(?:\.\d+)*)", self.id or "")
        return tuple(int(p) for p in m.group(1).split(".")) if m else ()


def _letter_id(num: str, letter: str | None, spaced: bool) -> str:
    if not letter:
        return num
    if letter.startswith("("):
        return f"{num}{letter}"
    letter = letter.rstrip(")")
    return f"{num} {letter}" if spaced else f"{num}{letter}"


def _prefixed(t: str) -> Marker | None:
    """"OR1 The partnership …", "SA1.2", "DHR 3": a letter-prefixed id, kind "r"."""
    m = _PREFIXED.match(t)
    if not m or m.group("pre") in _NOT_PREFIX:
        return None
    rest = m.group("rest").strip()
    if rest and not (rest[:1].isupper() or rest[:1] in "‘“'\""):
        return None
    return Marker("r", " ".join(m.group("id").split()), rest)


def parse_marker(text: str) -> Marker | None:
    """The marker at the start of ``text``, or None when the line has none."""
    t = text.strip()
    if not t:
        return None
    m = _LABEL.match(t)
    if m and not (m.group("word") in ("Rec", "REC") and not m.group("id")):  # "Rec 1", never bare "Rec"
        # The id is kept as printed, word included: "Recommendation 4" (None when bare).
        rid = m.group("id")
        if rid:
            rid = " ".join(t[: m.end("id")].split())
        return Marker("label", rid, m.group("rest").strip())
    m = _R.match(t)
    if m:
        return Marker("r", m.group("id").replace(" ", ""), m.group("rest").strip())
    prefixed = _prefixed(t) if t[:2].isupper() else None  # cheap test before the pattern
    if prefixed:
        return prefixed
    m = _DECIMAL.match(t)
    if m and not re.match(r"^\d{1,2}\.\d{1,3}\s*(?:%|am|pm|hrs|hours|years|mg|ml|km|miles)\b", t):
        rest = m.group("rest").strip()
        letter = m.group("letter")
        if letter and not letter.startswith("(") and not letter.endswith(")") and rest[:1].islower():
            # "9.1 a review of ..." — the letter is the article, not an id
            letter, rest = None, t[len(m.group("num")):].strip(" .")
        num = m.group("num")
        return Marker("decimal", _letter_id(num, letter, bool(m.group("sp"))), rest, depth=num.count(".") + 1 + bool(letter))
    m = _INT_LETTER.match(t)
    if m and (m.group("rest")[:1].isupper() or not m.group("rest")):
        return Marker("int_letter", _letter_id(m.group("num"), m.group("letter"), False), m.group("rest").strip())
    m = _PAREN.match(t)
    if m:
        return Marker("paren", f"({m.group('num')})", m.group("rest").strip())
    m = _INT.match(t)
    if m:
        rest = m.group("rest").strip()
        if m.group("punct") == " " and not (rest[:1].isupper() or rest[:1] in "‘“'\""):
            return None
        if int(m.group("num")) > 300:
            return None
        return Marker("int", m.group("num"), rest)
    m = _LETTER.match(t)
    if m:
        return Marker("letter", m.group("id"), m.group("rest").strip())
    return _bullet(t)


def _bullet(t: str) -> Marker | None:
    had, rest = strip_bullet(t)
    if had:
        return Marker("bullet", None, rest.strip())
    if t[:1] == "o" and _O_BULLET.match(t):
        # Word's second-level bullet is a letter "o"; its sub-points often start in lower
        # case ("o a private conversation with the carer"), which strip_bullet leaves alone.
        return Marker("bullet", None, t[1:].strip())
    return None
