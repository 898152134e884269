"""Normalised lookup keys for agency names.

Reports write one body many ways: "Greater Manchester Police", "the Greater Manchester
police", "NHS Manchester CCG", "Manchester Clinical Commissioning Group". A key
removes what does not identify a body (case, punctuation, "the", "&" vs "and") and
collapses the long forms of organisation types to one short form, so that exact lookup
covers most variants and the fuzzy step only has to deal with real spelling slips.
"""

from __future__ import annotations

import re
import unicodedata

# Long organisation-type phrases collapsed to one token. The patterns tolerate the
# common slips in these long words ("Comissioning", "Comunity", "Foundaton") so that a
# typo in the type phrase does not hide an otherwise exact name.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"clinical com+is+ion+ing groups?", "ccg"),
    (r"integrated care boards?", "icb"),
    (r"integrated care systems?", "ics"),
    (r"com+u?n+i?ty safe?ty part?ner?sh?i?ps?", "csp"),
    (r"com+un+ity rehabilitation compan(?:y|ies)", "crc"),
    (r"metropolitan borough council", "mbc"),
    (r"county borough council", "cbc"),
    (r"found?at?i?on trust", "ft"),
    (r"(?:her|his) majesty ?s?", "hm"),
)
_WORDS = {
    "saint": "st",
    "advisor": "adviser",
    "advisors": "advisers",
    "organization": "organisation",
    "center": "centre",
    "programme": "program",
}
_DROP = {"the"}
_PHRASE_RE = re.compile("|".join(rf"\b(?P<g{i}>{p})\b" for i, (p, _) in enumerate(_PHRASES)))
_PHRASE_HINTS = ("clinical", "integrated", "munity", "metropolitan", "county borough", "oundat", "majest")
_PHRASE_SHORT = {f"g{i}": short for i, (_, short) in enumerate(_PHRASES)}
_PUNCT = re.compile(r"[^\w\s]+")
_ASCII_TABLE = str.maketrans(
    {c: " " for c in "!\"#$%()*,-./:;<=>?@[\\]^_{|}~\t\n\r"} | {"'": None, "`": None, "&": " and ", "+": " and "}
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# Words that make "NHS <x>" an organisation even without the prefix ("NHS Stockport CCG"
# = "Stockport CCG"); without one of them "NHS Devon" must not collapse to "Devon".
ORG_WORDS = frozenset(
    {"ccg", "icb", "ics", "trust", "ft", "hospital", "hospitals", "board", "healthcare", "uhb"}
)
_TRAILING_NOTE = re.compile(r"\s*\((?:formerly|previously|now|known as|was|incorporating)\b[^()]*\)\s*$", re.I)
_TRAILING_ACRONYM = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z&/.\- ]{0,14})\s*\)\s*$")
_TITLE_INITIALS = frozenset("tTcCaAdD")
_TITLE_PREFIX = re.compile(
    r"^\s*(?:the\s+)?(?:chief\s+(?:executive(?:\s+officer)?|constable|officer|medical\s+officer|nurse)"
    r"|ceo|accountable\s+officer|chair(?:man|person)?|commissioner|director(?:\s+general)?)"
    r"(?:\s+of|\s+for|\s*,|\s*:|\s+-|\s+–)?\s+",
    re.IGNORECASE,
)


def key(text: str) -> str:
    """The lookup key of a name: lower case, no punctuation, no "the", short type forms.

    Apostrophes vanish ("Children's" → "childrens", "King's Lynn" → "kings lynn"),
    "&" and "+" read "and", any other punctuation separates words.
    """
    if text.isascii():
        t = text.lower().translate(_ASCII_TABLE)
    else:
        t = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES).translate(_ASCII_TABLE)
        t = _PUNCT.sub(" ", t)
    tokens = t.split()
    if not _DROP.isdisjoint(tokens) or not _WORDS.keys().isdisjoint(tokens):
        tokens = [_WORDS.get(w, w) for w in tokens if w not in _DROP]
    joined = " ".join(tokens)
    if any(hint in joined for hint in _PHRASE_HINTS):
        joined = _PHRASE_RE.sub(lambda m: _PHRASE_SHORT[m.lastgroup or ""], joined)
    return joined


def key_variants(k: str) -> tuple[str, ...]:
    """Other keys to try for ``k``: with or without the "nhs" prefix (see ``ORG_WORDS``)."""
    if k.startswith("nhs "):
        rest = k[4:]
        if ORG_WORDS.intersection(rest.split()):
            return (rest,)
        return ()
    if ORG_WORDS.intersection(k.split()):
        return (f"nhs {k}",)
    return ()


def strip_decorations(raw: str) -> tuple[str, str | None]:
    """Remove a trailing "(ACR)" and a leading job title; return (name, acronym or None).

    "Manchester Community Safety Partnership (MSCP)" names the partnership and defines
    MSCP; "Chief Constable, South Yorkshire Police" is addressed to the force.
    """
    acronym = None
    text = raw.strip().strip(".;:,")
    if text.endswith(")"):
        text = _TRAILING_NOTE.sub("", text) or text
    m = _TRAILING_ACRONYM.search(text) if text.endswith(")") else None
    if m and m.start() > 0:
        acronym = m.group(1).strip()
        text = text[: m.start()].rstrip()
    m = _TITLE_PREFIX.match(text) if text[:1] in _TITLE_INITIALS else None
    if m and m.end() < len(text):
        rest = text[m.end():]
        # "Chief Constable of Avon and Somerset" is addressed to that force
        if "constable" in m.group(0).lower() and not re.search(r"police|constabulary", rest, re.I):
            rest = f"{rest} Police"
        text = rest
    return text, acronym


def looks_like_acronym(text: str) -> bool:
    """True for short capitalised tokens such as GMP, SLaM, NHSE/I, D&C, BNS CSP."""
    t = text.strip()
    if not t or len(t) > 12 or len(t.split()) > 2:
        return False
    letters = [c for c in t if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters)
