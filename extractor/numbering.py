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


def follows(previous: str | None, current: str | None) -> bool:
    """True when ``current`` is the id after ``previous`` ("6.2" → "6.3", "R2" → "R3",
    "6.2" → "7.1", "Recommendation 1" → "Recommendation 2")."""
    if not previous or not current:
        return False
    a, b = _ID_PARTS.findall(previous), _ID_PARTS.findall(current)
    if not a or not b:
        return False
    for depth in range(min(len(a), len(b))):
        if a[:depth] != b[:depth]:
            return False
        x, y = a[depth], b[depth]
        step = (int(y) - int(x)) if x.isdigit() and y.isdigit() else (
            ord(y) - ord(x) if not x.isdigit() and not y.isdigit() else None)
        if step == 1:
            return all(part in ("1", "a") for part in b[depth + 1:])
    return len(b) > len(a) and b[: len(a)] == a and all(part in ("1", "a") for part in b[len(a):])


_ID_PARTS = re.compile(r"\d+|(?<![A-Za-z])[a-z](?![A-Za-z])")


# Glyphs OCR confuses with digits in a line's first token: "Rl" for "R1", "Ac" for "4c",
# "l0" for "10", "2.I" for "2.1".
_DIGIT_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "A": "4",
                                   "S": "5", "Z": "2", "B": "8", "G": "6"})
_MISREAD_TOKEN = re.compile(r"^(?P<lead>R\.?)?(?P<body>[0-9lI|OoASZBG][0-9lI|OoASZBG.]{0,6})(?P<letter>[a-z]?)$")


def fits_between(before: str | None, candidate: str, after: str | None) -> bool:
    """Whether ``candidate`` fits as the id between its list neighbours' ids.

    It must come right after ``before`` and right before ``after``, where they exist (at
    least one must); ``after`` may also start a new list ("1", "R1", "2.1"), as it does
    where each agency's recommendations are numbered afresh.
    """
    if before is None and after is None:
        return False
    if before is not None and not follows(before, candidate):
        return False
    return after is None or follows(candidate, after) or _starts_list(after)


def _starts_list(rid: str) -> bool:
    """"1", "R1", "a", "2.1", "3.1.1": the first id of a list."""
    parts = _ID_PARTS.findall(rid)
    return bool(parts) and all(part in ("1", "a") for part in parts[1:]) and (len(parts) > 1 or parts[0] in ("1", "a"))


def misread_marker(text: str) -> Marker | None:
    """The marker ``text`` would start with if OCR misread digits in its first token.

    Only a token that is digits once look-alike letters are read as digits ("Rl" →
    "R1", "Ac" → "4c"), followed by a capitalised word, gives one; whether it really is
    a misread id depends on its neighbours (see ``segment``). None otherwise.
    """
    token, _, rest = text.strip().partition(" ")
    m = _MISREAD_TOKEN.match(token)
    if m is None or not rest[:1].isupper():
        return None
    body = m.group("body").translate(_DIGIT_LOOKALIKES)
    if not body[:1].isdigit() or body == m.group("body"):
        return None
    marker = parse_marker(f"{m.group('lead') or ''}{body}{m.group('letter')} {rest}")
    if marker is None or marker.kind not in ("r", "decimal", "int_letter", "int"):
        return None
    return marker
