"""What a report tells us about its own names: the acronyms it defines and its area.

A report's glossary outranks the registry: when a Manchester report writes
"Manchester Community Safety Partnership (MSCP)", MSCP means that partnership in that
report, whatever else it might mean elsewhere. Definitions are accepted only when the
acronym's letters can be read from the capitalised words of the expansion, so running
text in brackets ("(see below)", "(2016)") is not taken for a definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Document, Line

_ACR = r"[A-Z][A-Za-z&/]{1,9}"
# "Greater Manchester Police (GMP)": a run of words, then the acronym in brackets.
_INLINE = re.compile(
    r"((?:[A-Z][\w'’&\-]*|and|of|for|the|in|on|&)(?:[ \t]+(?:[A-Z][\w'’&\-]*|and|of|for|the|in|on|&)){0,11})"
    rf"[ \t]*\(({_ACR})\)"
)
# Glossary line: "GMP Greater Manchester Police", "GMP – Greater …", "GMP: …", "GMP = …".
_GLOSSARY = re.compile(rf"^\s*({_ACR})\s*(?:[-–—:=]\s*|\s+)(\S.{{2,120}})$")
_TWO_CAPS = re.compile(r"[A-Z][A-Za-z&/]{0,8}[A-Z]")
_ACR_RE = re.compile(_ACR)
_BRACKETED_ACR = re.compile(rf"\({_ACR}\)")  # starts with a literal: a fast pre-test for _INLINE
_SMALL = {"and", "of", "for", "the", "in", "on", "&"}


@dataclass(frozen=True, slots=True)
class MatchContext:
    """Acronyms defined by the report (acronym → expansion), its area (CSP or force) and
    its date (ISO, "2019-05"), which picks a body's predecessor before a merger."""

    acronyms: dict[str, str] = field(default_factory=dict)
    area: str | None = None
    date: str | None = None


def _letters(word: str) -> list[str]:
    """The letters a word gives an acronym: every capital of a short all-caps word
    ("NHS", "CCG"), otherwise its initial."""
    if word.isupper() and len(word) <= 5:
        return [c for c in word if c.isalpha()]
    return [part[0].upper() for part in word.split("-") if part]  # Multi-Agency → M, A


def expansion_for(acronym: str, phrase: str) -> str | None:
    """The shortest tail of ``phrase`` whose capitalised words spell ``acronym``.

    The tail must be a run of capitalised words (small words such as "and", "of"
    allowed inside) that starts with the acronym's first letter; its letters may come in
    any order (reports write "MSCP" for "Manchester Community Safety Partnership").
    """
    letters = [c for c in acronym if c.isupper()]
    if len(letters) < 2:
        return None
    # mixed case ("SLaM", "DfE", "MoJ"): the small letters stand for small words
    words = phrase.replace("&", " & ").split()
    run_start = len(words)
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if not (w[0].isupper() or w.lower() in _SMALL):
            break
        run_start = i
    needed = {c: letters.count(c) for c in set(letters)}
    for start in range(len(words) - 1, run_start - 1, -1):
        w = words[start]
        if not w[0].isupper() or w[0] != letters[0] or w == acronym:
            continue
        pool: list[str] = []
        counted = 0
        for t in words[start:]:
            if t.lower() not in _SMALL:
                pool.extend(_letters(t))
                counted += 1
        if counted <= len(letters) + 3 and all(pool.count(c) >= n for c, n in needed.items()):
            return " ".join(words[start:])
    return None


def acronyms_from_lines(texts: Iterable[str]) -> dict[str, str]:
    """Collect acronym definitions from lines of text; the first definition wins."""
    found: dict[str, str] = {}
    previous: str | None = None
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if "(" in text and _BRACKETED_ACR.search(text):
            for m in _INLINE.finditer(text):
                acr = m.group(2)
                if acr not in found and (exp := expansion_for(acr, m.group(1))):
                    found[acr] = exp
        # cheap test first: an acronym has two capitals in its first word ("GMP", "DfE")
        g = _GLOSSARY.match(text) if len(text) <= 130 and _TWO_CAPS.match(text) else None
        if g and g.group(1) not in found:
            exp = g.group(2).strip(" .;")
            if expansion_for(g.group(1), exp) == exp or _starts_expansion(g.group(1), exp):
                found[g.group(1)] = exp
        # two-column glossary extracted as "GMP" then "Greater Manchester Police"
        if previous and len(previous) <= 10 and previous not in found and _ACR_RE.fullmatch(previous):
            if expansion_for(previous, text) == text and len(text.split()) <= 12:
                found[previous] = text
        previous = text
    return found


def _starts_expansion(acronym: str, expansion: str) -> bool:
    """A glossary expansion may carry a trailing note; accept if a head spells it."""
    words = expansion.split()
    for end in range(len(words), 1, -1):
        head = " ".join(words[:end])
        if expansion_for(acronym, head) == head:
            return True
    return False


def _rows(lines: list[Line]) -> Iterable[str]:
    """Lines in order, plus same-row pairs joined ("GMP" | "Greater Manchester Police")."""
    for line, nxt in zip(lines, [*lines[1:], None]):
        yield line.text
        if nxt is not None and nxt.page == line.page:
            a, b = line.bbox, nxt.bbox
            if abs(b[1] - a[1]) < 2.5 and b[0] > a[0]:
                yield f"{line.text.strip()} {nxt.text.strip()}"


def context_from_document(document: Document | None, area: str | None = None,
                          date: str | None = None) -> MatchContext:
    """Collect acronym definitions (glossary and first use); keep the area and date."""
    if document is None:
        return MatchContext(area=area, date=date)
    acronyms = acronyms_from_lines(_rows(document.lines()))
    return MatchContext(acronyms=acronyms, area=area, date=date)
