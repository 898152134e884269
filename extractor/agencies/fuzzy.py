"""Guarded fuzzy lookup of name keys (rapidfuzz ``ratio``).

A fuzzy match is accepted only when it is good (``min_score``), clearly better than the
best *other* body (``margin``) and does not add an organisation type the query never
named. Choices are grouped by first letter and sorted by length: a typo rarely hits the
first letter, and a ratio above the floor needs similar lengths, so each query scores a
slice of a few hundred keys instead of every key.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping

from rapidfuzz import fuzz, process

# Derived variants worth fuzzing; the rest ("Stockport MBC", "London Borough of …") are
# rarely misspelt and each extra key costs every query time.
_FUZZ_FORMS = re.compile(
    r"^(?!london borough|royal borough|city of).*(?<!metropolitan district)(?<!unitary authority)"
    r" (council|police|csp|nhs trust|nhs ft)$|^safer .* partnership$"
)
_TYPE_WORDS = frozenset({
    "csp", "ccg", "icb", "ics", "crc", "police", "constabulary", "council", "mbc", "cbc",
    "trust", "ft", "board", "service", "services", "partnership", "authority", "commissioner",
    "agency", "department", "ministry", "office", "hospital", "hospitals", "company",
})
MIN_KEY = 6


class FuzzyIndex:
    """Fuzzable keys → agency indexes, with the acceptance rules of the module docstring."""

    def __init__(self, alias: Mapping[str, int], derived: set[str], fuzzable: Callable[[int], bool]) -> None:
        grouped: dict[str, list[tuple[int, str, int]]] = {}
        for k, idx in alias.items():
            if len(k) < MIN_KEY or not fuzzable(idx):
                continue
            if k in derived and not _FUZZ_FORMS.search(k):
                continue
            grouped.setdefault(k[0], []).append((len(k), k, idx))
        self._blocks: dict[str, tuple[list[str], list[int], list[int]]] = {}
        for first, items in grouped.items():
            items.sort()
            self._blocks[first] = ([k for _, k, _ in items], [i for _, _, i in items], [n for n, _, _ in items])

    def __len__(self) -> int:
        return sum(len(keys) for keys, _, _ in self._blocks.values())

    def search(self, k: str, min_score: float, margin: float) -> tuple[int | None, float]:
        """(agency index, score) of an accepted match; (None, score) when the best is
        too close to another body; (None, 0.0) when nothing is good enough."""
        if len(k) < MIN_KEY or k[0] not in self._blocks:
            return None, 0.0
        all_keys, all_ids, lengths = self._blocks[k[0]]
        floor = min_score - margin
        # ratio = 2·common/(a+b) ≥ floor/100 needs min/max length ≥ f/(2-f)
        f = floor / 100.0
        lo = bisect_left(lengths, int(len(k) * f / (2 - f)))
        hi = bisect_right(lengths, int(len(k) * (2 - f) / f) + 1)
        keys, ids = all_keys[lo:hi], all_ids[lo:hi]
        found = process.extract(k, keys, scorer=fuzz.ratio, limit=6, score_cutoff=floor)
        if found:
            q_words = set(k.split())
            found = [hit for hit in found if _same_type(q_words, hit[0])]
        if not found or found[0][1] < min_score or not _names_agree(q_words, found[0][0]):
            return None, 0.0
        best_idx, best_score = ids[found[0][2]], float(found[0][1])
        runner_up = max((s for _, s, j in found[1:] if ids[j] != best_idx), default=0.0)
        if best_score - runner_up < margin:
            return None, best_score
        return best_idx, best_score


_PLAIN_WORDS = frozenset({"the", "of", "and", "for", "in", "on", "nhs", "safer", "city", "county", "borough", "district"})


def _names_agree(q_words: set[str], choice: str) -> bool:
    """Every distinctive word of the query must be (nearly) in the choice.

    Overall ratio alone lets "Safer Hull CSP" reach "Solihull CSP": the shared type
    words carry the score while the place names differ.
    """
    c_words = choice.split()
    for word in q_words:
        if word in _TYPE_WORDS or word in _PLAIN_WORDS or len(word) < 3:
            continue
        if not any(fuzz.ratio(word, c) >= 80 for c in c_words):
            return False
    return True


def _same_type(q_words: set[str], choice: str) -> bool:
    """Reject fuzzy matches that add an organisation type the query does not name.

    "South Staffordshire" is close to "South Staffordshire CSP" by ratio, but the query
    does not say which body of that place it means. A type word the query misspells
    ("Counicl") still counts when a query word is close to it.
    """
    c_words = choice.split()
    extra = [w for w in c_words if w in _TYPE_WORDS and w not in q_words]
    if c_words[0] == "nhs" and "nhs" not in q_words:
        extra.append("nhs")  # "NHS Greater Manchester" (the ICB) is not "Greater Manchester"
    if not extra:
        return True
    spare = q_words.difference(c_words)
    return all(any(fuzz.ratio(t, w) >= 75 for w in spare) for t in extra)
