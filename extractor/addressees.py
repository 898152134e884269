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

from ._text import AGENCY_WORD
from .models import Row

_LABEL = re.compile(
    r"(?:^|(?<=[\s.;]))(?:addressed\s+to|lead\s+agenc(?:y|ies)|lead\s+organisation|lead|agency|agencies|"
    r"responsible\s+(?:agency|agencies|organisation|body)|responsibility|owner|for|"
    r"action(?:\s+(?:by|owner|lead))?|actioned\s+by|led\s+by)\s*[:–—]\s*"
    r"(?P<who>[^:]{2,160}?)\s*\.?\s*$",
    re.I,
)
_FIELD_LABEL = re.compile(r"\s*(?:agency|agencies|owner)\s*[:–—]", re.I)
_EXPLICIT = re.compile(r"addressed\s+to|lead\s+agenc|responsib", re.I)
_BRACKET = re.compile(r"\s*\((?P<who>[^()]{2,90})\)\s*\.?\s*$")
_CONNECTORS = {"and", "&", "of", "for", "the", "in", "on", "/", "-", "–", "with", "de"}
_LOWER_AGENCY_NOUNS = {
    "practices", "practice", "services", "service", "teams", "team", "partners", "providers",
    "commissioners", "agencies", "organisations", "trust", "council", "police", "partnership",
}
_DIRECTIVE_VERBS = {
    "should", "must", "shall", "will", "to", "ensure", "ensures", "review", "reviews", "publish",
    "publishes", "develop", "develops", "share", "shares", "consider", "considers", "agree", "agrees",
    "provide", "provides", "work", "works", "take", "takes", "undertake", "undertakes", "audit", "audits",
    "establish", "establishes", "promote", "promotes", "update", "updates", "commission", "commissions",
    "implement", "implements", "introduce", "introduces", "raise", "raises", "seek", "seeks",
    "continue", "continues", "are", "is", "request", "requests",
}
# "The ambulance service should", "That the drug and alcohol service reviews": a body
# named in lower case by its type, then a directive verb.
_LOWER_SUBJECT = re.compile(
    r"^(?:[Tt]hat\s+)?[Tt]he\s+(?P<who>(?:[a-z][\w'’-]*\s+){0,4}?"
    r"(?:service|services|team|teams|trust|council|authority|police|practices|providers|commissioners|"
    r"board|hospital|unit|partnership))\s+(?:should|must|shall|will|is\s+to|are\s+to|to|"
    r"reviews?|ensures?|considers?|develops?|provides?|works?)\b"
)
_TOKEN = re.compile(r"\([A-Za-z&]{2,12}\)|[\w’'&./-]+|,")
_GENERIC = re.compile(r"^(?:all|partner|relevant|the|other)?\s*(?:partner\s+)?(?:agencies|organisations|partners)$", re.I)
_NOT_SUBJECT = re.compile(
    r"^(?:there|this|these|that|it|where|when|all|any|each|every|records?|training|consideration|"
    r"further|information|a|an|in|on|for|if|as|to|professionals|practitioners|staff|agencies|"
    r"organisations|partners|victims?|perpetrators?|families|family|review|guidance|policies|"
    r"learning|work|local|national|relevant|consider|ensure|develop|provide|raise|contact|"
    r"notify|undertake|establish|promote|identify|continue|deliver|produce|seek|share|make|"
    # imperatives that open a recommendation ("Remind GPs to …", "Audit MARAC referrals …")
    r"remind|audit|offer|ask|adopt|write|create|explore|embed|strengthen|improve|increase|clarify|"
    r"amend|revise|update|introduce|include|publish|issue|circulate|disseminate|agree|conduct|"
    r"evaluate|assess|monitor|record|refer|train|encourage|use|set|build|map|hold|appoint|invite|"
    r"engage|liaise|extend|ensure|review|implement|commission|require|reinforce|re-?enforce)\b",
    re.I,
)


def attach_addressees(rows: list[Row]) -> list[Row]:
    """Return rows with ``agency_hint`` set from the best available source."""
    return [attach_addressee(row) for row in rows]


def attach_addressee(row: Row) -> Row:
    text = row.text
    hint = row.agency_hint
    m = _LABEL.search(text)
    if m and (_plausible_agency(m.group("who")) or _EXPLICIT.search(text[m.start():m.end()])):
        # An explicit label is the report's own statement: nothing overrides it.
        return replace(row, text=text[: m.start()].rstrip(" –—-").strip(), agency_hint=_tidy(m.group("who")))
    if m and _FIELD_LABEL.match(text, m.start()) and text[: m.start()].rstrip().endswith((".", ";")):
        # "… frontline teams. Agencies: all Board partners": a field after the sentence
        # that names no one in particular; it is not text, the sentence's subject decides
        text = text[: m.start()].rstrip()
    b = _BRACKET.search(text)
    if b and _plausible_agency(b.group("who")) and not _is_acronym_definition(text, b):
        # "… (Greater Manchester Police)": the bracket only states the addressee
        if not hint or _GENERIC.match(hint):
            hint = _tidy(b.group("who"))
        text = text[: b.start()].rstrip() + ("." if text.rstrip().endswith(".") and not text[: b.start()].rstrip().endswith(".") else "")
    subject = subject_of(text)
    if subject and (not hint or _GENERIC.match(hint.strip())):
        hint = subject
    if hint == row.agency_hint and text == row.text:
        return row
    return replace(row, text=text.strip(), agency_hint=hint)


def subject_of(text: str) -> str | None:
    """The agency a recommendation sentence names as its subject, if any.

    The subject is the run of capitalised words (with "and", "of", "&", bracketed
    acronyms and agency nouns such as "practices") at the start of the first sentence,
    after an optional "That" and "The", and it must be followed by a lower-case word
    (the verb): "That the Home Office considers …" → "Home Office".
    """
    first = re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0]
    if first[:4].lower() in ("the ", "that") and (m := _LOWER_SUBJECT.match(first)):
        return m.group("who")  # "The ambulance service should …": a generic body, in lower case
    tokens = _TOKEN.findall(first)
    i = 0
    if tokens[i : i + 1] and tokens[i].lower() == "that":
        i += 1
    if tokens[i : i + 1] and tokens[i].lower() == "the":
        i += 1
    taken: list[str] = []
    while i < len(tokens):
        tok = tokens[i]
        if tok[:1].isupper() or tok[:1].isdigit() and taken or tok.startswith("("):
            taken.append(tok)
        elif tok.lower() in _CONNECTORS and taken:
            taken.append(tok)
        elif tok == "," and taken and _capitalised_after(tokens, i + 1):
            taken.append(tok)  # "NHS Bath and North East Somerset, Swindon and Wiltshire ICB"
        elif tok.lower() in _LOWER_AGENCY_NOUNS and taken:
            taken.append(tok)
        else:
            break
        i += 1
    while taken and (taken[-1].lower() in _CONNECTORS or taken[-1] == ","):
        taken.pop()
    if not taken or i >= len(tokens) or not (tokens[i][:1].islower() or tokens[i] == ","):
        return None
    who = " ".join(taken).replace(" ,", ",")
    if _GENERIC.match(who):
        return who  # "All agencies to ensure …"
    if _NOT_SUBJECT.match(who):
        return None
    # "Safer Cornwall publish …", "Next Link to review …": an unknown name counts when
    # a directive verb follows it.
    modal = tokens[i].lower() in ("should", "must", "shall", "will")
    named = sum(t[:1].isupper() for t in taken) >= 2 or re.fullmatch(r"[A-Z]{2,6}", who) is not None or modal
    if _plausible_agency(who) or (tokens[i].lower() in _DIRECTIVE_VERBS and named and len(taken) <= 6):
        return who
    return None


def _capitalised_after(tokens: list[str], j: int) -> bool:
    while j < len(tokens) and tokens[j].lower() in ("the", "and", "&"):
        j += 1
    return j < len(tokens) and tokens[j][:1].isupper()


def _plausible_agency(who: str) -> bool:
    w = who.strip()
    if not w or len(w.split()) > 15 or len(w) > 150:
        return False
    if _GENERIC.match(w):
        return True
    if re.fullmatch(r"[A-Z][A-Z&/]{1,9}(?:\s+(?:and|&|/)\s+[A-Z][A-Z&]{1,9})*", w):
        return True  # acronyms: GMP, MSCP, NPS and CRC
    return bool(AGENCY_WORD.search(w)) and w[:1].isupper()


def _is_acronym_definition(text: str, m: re.Match[str]) -> bool:
    """"… Risk Assessment Conference (MARAC)" or "MARAC (Multi-Agency …)" defines a term."""
    inner = m.group("who").strip()
    before = text[: m.start()].split()
    caps = "".join(c for c in inner if c.isupper())
    if re.fullmatch(r"[A-Z][A-Za-z&]{1,11}", inner) and len(caps) >= 2:
        initials = "".join(w[0] for w in before[-len(caps) - 3 :] if w[:1].isupper())
        return caps in initials or initials.endswith(caps[:-1])
    if before and re.fullmatch(r"[A-Z]{2,8}", before[-1].strip(",.;")):
        acronym = before[-1].strip(",.;")
        initials = "".join(w[0] for w in re.split(r"[\s-]+", inner) if w[:1].isupper())
        return initials.startswith(acronym[:2])
    return False


def _tidy(who: str) -> str:
    return re.sub(r"\s+", " ", who).strip(" .;,")
