"""Stage 5, addressees: decide who each recommendation is addressed to (raw string).

Sources, strongest first:

1. an explicit label inside the item: "Addressed to: …", "Lead agency: …", "Agency: …";
2. what the layout said (a table column or an agency subheading, set by ``segment``);
3. a trailing bracket naming a body: "… (Greater Manchester Police)";
4. the sentence's subject: "That Greater Manchester Police …", "The Home Office should …",
   "Devon and Cornwall Police ensure …".

A generic layout hint ("All agencies") gives way to a body the sentence itself names.
Labels and brackets that only state the addressee are removed from the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .models import Row

_LABEL = re.compile(
    r"(?:^|(?<=[\s.;]))(?:addressed\s+to|lead\s+agenc(?:y|ies)|lead\s+organisation|lead|agency|agencies|"
    r"responsible\s+(?:agency|agencies|organisation|body)|responsibility|owner|for)\s*[:–—]\s*"
    r"(?P<who>[^:]{2,160}?)\s*\.?\s*$",
    re.I,
)
_BRACKET = re.compile(r"\s*\((?P<who>[^()]{2,90})\)\s*\.?\s*$")
_AGENCY_WORD = re.compile(
    r"\b(?:police|constabulary|council|trust|ccg|icb|nhs|service|services|partnership|board|probation|"
    r"office|department|agency|agencies|hospital|practice|practices|gp|gps|team|authority|housing|"
    r"homes|commissioner|college|crc|nps|marac|mappa|idva|aid|ministry|court|courts|prison|cafcass|"
    r"csp|safeguarding|health|ambulance|dwp|ukvi|visas|immigration|group|commissioning|forum|providers?)\b",
    re.I,
)
_VERB = (
    r"should|must|shall|will|to|is|are|and\s+partners|needs?\s+to|ensures?|reviews?|develops?|considers?|"
    r"takes?|works?|requests?|provides?|establish(?:es)?|undertakes?|makes?|raises?|seeks?|continues?|"
    r"agrees?|promotes?|shares?|audits?|implements?|assures?|adopts?|updates?|introduces?|"
    r"delivers?|writes?|reminds?|amends?|issues?|produces?|commissions?|explores?|strengthens?|"
    r"disseminates?|embeds?|improves?|monitors?|identif(?:y|ies)|considers?|carries\s+out|"
    r"clarif(?:y|ies)|publishes?|leads?|convenes?|reports?|satisf(?:y|ies)|obtains?|creates?|trains?|"
    r"revisits?|re-?launch(?:es)?|re-?issues?|be\s+|evaluates?|endorses?|supports?|"
    r"gives?|offers?|refers?|records?|notif(?:y|ies)|contacts?|arranges?|investigates?|examines?"
)
_SUBJECT = re.compile(
    rf"^(?:that\s+)?(?P<who>(?:the\s+)?[A-Z&][\w&’'()./,-]*(?:\s+(?:and|&|of|for|the|in|on|with|/|,|[A-Z(][\w&’'()./-]*)){{0,14}}?)"
    rf"\s*(?:,\s*(?:in\s+partnership|working|together|with)[^,]*,\s*)?(?:\s+(?:{_VERB})\b)",
)
_GENERIC = re.compile(r"^(?:all|partner|relevant|the|other)?\s*(?:partner\s+)?(?:agencies|organisations|partners)$", re.I)
_NOT_SUBJECT = re.compile(
    r"^(?:there|this|these|that|it|where|when|all|any|each|every|records?|training|consideration|"
    r"further|information|a|an|in|on|for|if|as|to|professionals|practitioners|staff|agencies|"
    r"organisations|partners|victims?|perpetrators?|families|family|review|guidance|policies|"
    r"learning|work|local|national|relevant|consider|ensure|develop|provide|raise|contact|"
    r"notify|undertake|establish|promote|identify|continue|deliver|produce|seek|share|make)\b",
    re.I,
)


def attach_addressees(rows: list[Row]) -> list[Row]:
    """Return rows with ``agency_hint`` set from the best available source."""
    return [attach_addressee(row) for row in rows]


def attach_addressee(row: Row) -> Row:
    text = row.text
    hint = row.agency_hint
    m = _LABEL.search(text)
    if m and _plausible_agency(m.group("who")):
        # An explicit label is the report's own statement: nothing overrides it.
        return replace(row, text=text[: m.start()].rstrip(" ;,–—-").strip(), agency_hint=_tidy(m.group("who")))
    else:
        b = _BRACKET.search(text)
        if b and _plausible_agency(b.group("who")) and not _is_acronym_definition(text, b):
            if not hint or _GENERIC.match(hint):
                hint = _tidy(b.group("who"))
    subject = subject_of(text)
    if subject and (not hint or _GENERIC.match(hint.strip())):
        hint = subject
    if hint == row.agency_hint and text == row.text:
        return row
    return replace(row, text=text.strip(), agency_hint=hint)


def subject_of(text: str) -> str | None:
    """The agency a recommendation sentence names as its subject, if any."""
    first = re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0]
    m = _SUBJECT.match(first)
    if not m:
        return None
    who = m.group("who").strip(" ,")
    who = re.sub(r"^the\s+", "", who, flags=re.I) if not re.match(r"^the\s+[A-Z]", who) else who
    who = re.sub(r"^[Tt]he\s+", "", who)
    if _NOT_SUBJECT.match(who) or not _plausible_agency(who):
        return None
    return who


def _plausible_agency(who: str) -> bool:
    w = who.strip()
    if not w or len(w.split()) > 15 or len(w) > 150:
        return False
    if _GENERIC.match(w):
        return True
    if re.fullmatch(r"[A-Z][A-Z&/]{1,9}(?:\s+(?:and|&|/)\s+[A-Z][A-Z&]{1,9})*", w):
        return True  # acronyms: GMP, MSCP, NPS and CRC
    return bool(_AGENCY_WORD.search(w)) and w[:1].isupper()


def _is_acronym_definition(text: str, m: re.Match[str]) -> bool:
    """"… Multi Agency Risk Assessment Conference (MARAC)" defines, not addresses."""
    inner = m.group("who").strip()
    return bool(re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", inner)) and not text.rstrip().endswith(").") is False


def _tidy(who: str) -> str:
    return re.sub(r"\s+", " ", who).strip(" .;,")
