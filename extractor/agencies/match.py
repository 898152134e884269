"""Resolve raw addressee strings to canonical agencies.

Order, per name: exact alias (normalised key, with or without "NHS") → acronym (the
report's own definitions first, then the registry's, disambiguated by area) → fuzzy
(rapidfuzz ratio; accepted only above ``fuzzy_min_score`` and ``fuzzy_margin`` points
ahead of the best other body). Generic forms ("the Police", "the CCG") found by any
step are turned into the area's body, or stay unresolved when the area is unknown.

A string that does not resolve whole is split on separators (";", "/", ",", "and",
"&" …) and the split that covers the most text with matched names wins, so "Devon and
Cornwall Police, the NPS and CRC" gives three bodies while "Bassetlaw, Newark and
Sherwood CSP" stays one. Nothing is forced: a name that does not resolve keeps its raw
text with ``matched=False``.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..models import AgencyMatch
from . import registry as reg
from .context import MatchContext
from .fuzzy import FuzzyIndex
from .keys import key, key_variants, looks_like_acronym, strip_decorations

_BRACKETED = re.compile(r"\(([^()]{2,60})\)\s*$")
_SEP = re.compile(r"(?:\s*(?:[;/\\\n+,&]|\band\b|\bwith\b|\bplus\b)\s*)+", re.IGNORECASE)
_MAX_PIECES = 12
_MAX_GROUP = 6
_CACHE_LIMIT = 50_000
_CONTEXTS = 32
_PLACE_WORDS = 4  # "Brighton and Hove", "Redcar and Cleveland": the longest place prefix tried
_AREA_TRIM = (
    "community safety partnership", "csp board", "csp", "safer communities partnership",
    "partnership", "metropolitan borough council", "mbc", "borough council", "district council",
    "city council", "county council", "council", "local authority", "safe partnership", "safe",
    "county",
)
_AREA_PREFIX = ("the ", "safer ", "keeping ", "london borough of ", "royal borough of ")


_DEPARTMENT_WORDS = frozenset({
    "adult", "adults", "adults’", "adults'", "children", "childrens", "children’s", "children's", "social",
    "care", "services", "service", "health", "and", "housing", "team", "teams", "department", "directorate",
    "safeguarding", "families", "family", "early", "help", "community", "communities", "education",
    "public", "mental", "learning", "disability", "disabilities", "homelessness", "options", "unit",
    "leeds", "&", "the", "of", "for", "people", "wellbeing",
})
_DEPARTMENT_KINDS = frozenset({"local-authority", "police", "nhs-trust", "health-commissioner"})


@dataclass(slots=True)
class _Scope:
    """Per-context state: the area row, the report's acronyms by key, and a result cache."""

    area: reg.Area | None
    acronyms: dict[str, str]
    date: str | None = None
    cache: dict[str, AgencyMatch] = field(default_factory=dict)
    splits: dict[str, list[AgencyMatch]] = field(default_factory=dict)


class AgencyRegistry:
    """The canonical agency names and how to find them (see module docstring)."""

    def __init__(
        self,
        agencies: list[reg.Agency],
        areas: list[reg.Area],
        area_aliases: dict[str, str] | None = None,
        *,
        version: str = "",
        fuzzy_min_score: float = 88.0,
        fuzzy_margin: float = 4.0,
    ) -> None:
        self.agencies = list(agencies)
        self.version = version or reg.data_version(repr([a.to_dict() for a in agencies]))
        self.fuzzy_min_score = float(fuzzy_min_score)
        self.fuzzy_margin = float(fuzzy_margin)
        self._by_name = {a.canonical: a for a in self.agencies}
        forces = {key(a.area): a.canonical for a in self.agencies if a.kind == "police" and a.area}
        self._pcc = {forces[key(a.area)]: a.canonical for a in self.agencies
                     if a.kind == "pcc" and key(a.area) in forces}
        self._alias, self.ambiguous_keys, derived = reg.build_alias_index(self.agencies)
        self._acronyms = reg.build_acronym_index(self.agencies)
        self._areas = {key(a.area): a for a in areas}
        for alias, name in (area_aliases or {}).items():
            if key(name) in self._areas:
                self._areas.setdefault(key(alias), self._areas[key(name)])
        self._fuzzy_index = FuzzyIndex(self._alias, derived, self._fuzzable)
        self._scopes: OrderedDict[int, tuple[MatchContext | None, _Scope]] = OrderedDict()
        self._area_cache: dict[str, reg.Area | None] = {}
        self._keys: dict[str, str] = {}

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(
        cls,
        extra_csv: str | Path | None = None,
        *,
        fuzzy_min_score: float = 88.0,
        fuzzy_margin: float = 4.0,
    ) -> AgencyRegistry:
        """The bundled registry, extended/overridden by ``extra_csv`` when given."""
        agencies_text = reg.bundled_text("agencies.csv")
        areas_text = reg.bundled_text("agency_areas.csv")
        agencies = reg.read_agency_rows(agencies_text, "extractor/data/agencies.csv")
        texts = [agencies_text, areas_text]
        if extra_csv is not None:
            extra_text = reg.read_user_csv(extra_csv)
            agencies = reg.merge_rows(agencies, reg.read_agency_rows(extra_text, str(extra_csv)))
            texts.append(extra_text)
        areas, area_aliases = reg.read_area_rows(areas_text)
        return cls(
            agencies, areas, area_aliases, version=reg.data_version(*texts),
            fuzzy_min_score=fuzzy_min_score, fuzzy_margin=fuzzy_margin,
        )

    def _fuzzable(self, idx: int) -> bool:
        """Generic slot rows ("the Police") never match fuzzily; qualified roles may."""
        via = self.agencies[idx].resolve_via
        return not via or via.startswith("qualify:")

    # ------------------------------------------------------------------ queries
    def get(self, canonical: str) -> reg.Agency | None:
        """The registry row with this canonical name, if any."""
        return self._by_name.get(canonical)

    def list(self, kind: str | None = None) -> list[reg.Agency]:
        """Every registry row (of one ``kind``), sorted by kind then name."""
        rows = [a for a in self.agencies if kind is None or a.kind == kind]
        return sorted(rows, key=lambda a: (a.kind, a.canonical.lower()))

    def area(self, name: str | None) -> reg.Area | None:
        """The area row for a CSP/council/force name ("Manchester", "Safer Stockport")."""
        if not name:
            return None
        if name not in self._area_cache:
            self._area_cache[name] = self._find_area(name)
        return self._area_cache[name]

    def _find_area(self, name: str) -> reg.Area | None:
        k = key(name)
        for _ in range(4):
            if k in self._areas:
                return self._areas[k]
            trimmed = k
            for suffix in _AREA_TRIM:
                if trimmed.endswith(" " + suffix):
                    trimmed = trimmed[: -len(suffix) - 1]
                    break
            for prefix in _AREA_PREFIX:
                if trimmed.startswith(prefix):
                    trimmed = trimmed[len(prefix):]
            if trimmed == k:
                break
            k = trimmed
        idx = self._lookup(key(name))
        if idx is not None and self.agencies[idx].area:
            return self._areas.get(key(self.agencies[idx].area))
        return None

    def resolve(self, raw: str | None, *, context: MatchContext | None = None) -> list[AgencyMatch]:
        """One ``AgencyMatch`` per body named in ``raw`` (empty list for empty input)."""
        text = (raw or "").strip()
        if not text:
            return []
        scope = self._scope(context)
        if text in scope.splits:
            return [_copy(m) for m in scope.splits[text]]
        idx = self._alias.get(self._key(text))
        if idx is not None:  # fast path: the whole string is a known name as printed
            result = [self._emit(text, idx, "exact", 100.0, scope)]
        else:
            result = self._resolve_text(text, scope)
        if len(scope.splits) < _CACHE_LIMIT:
            scope.splits[text] = result
        return [_copy(m) for m in result]

    # ------------------------------------------------------------------ internals
    def _resolve_text(self, text: str, scope: _Scope) -> list[AgencyMatch]:
        """Whole string first; with separators, fuzzy only after trying a split.

        A fuzzy match of a whole multi-name string would swallow the smaller names
        ("Devon and Cornwall Police, the NPS" ≈ "Devon and Cornwall Police"), so a
        split naming two or more bodies wins over it.
        """
        if not _SEP.search(text):
            return [self._single(text, scope)]
        whole = self._single(text, scope, fuzzy=False)
        if whole.matched:
            return [whole]
        parts = self._split(text, scope)
        if any(not m.matched and self.area(m.input) is not None for m in parts):
            # "Cambridgeshire and Peterborough CSP": a bare place joined by "and" is part
            # of one joint name, not a body of its own
            fuzzy_whole = self._single(text, scope)
            return [fuzzy_whole if fuzzy_whole.matched else whole]
        found = sum(m.matched for m in parts)
        if found >= 2:
            return parts
        fuzzy_whole = self._single(text, scope)
        if fuzzy_whole.matched:
            return [fuzzy_whole]
        return parts if found else [whole]

    def _scope(self, context: MatchContext | None) -> _Scope:
        ident = id(context)
        hit = self._scopes.get(ident)
        if hit is not None and hit[0] is context:
            self._scopes.move_to_end(ident)
            return hit[1]
        acronyms = {key(a): e for a, e in (context.acronyms if context else {}).items()}
        scope = _Scope(area=self.area(context.area if context else None), acronyms=acronyms,
                       date=context.date if context else None)
        self._scopes[ident] = (context, scope)
        while len(self._scopes) > _CONTEXTS:
            self._scopes.popitem(last=False)
        return scope

    def _key(self, text: str) -> str:
        """``key(text)``, remembered: one string is keyed several times while splitting."""
        k = self._keys.get(text)
        if k is None:
            if len(self._keys) >= _CACHE_LIMIT:
                self._keys.clear()
            k = self._keys[text] = key(text)
        return k

    def _lookup(self, k: str) -> int | None:
        idx = self._alias.get(k)
        if idx is None:
            for variant in key_variants(k):
                idx = self._alias.get(variant)
                if idx is not None:
                    break
        return idx

    def _single(
        self, raw: str, scope: _Scope, *, acronyms: bool = True, fuzzy: bool = True
    ) -> AgencyMatch:
        slot = raw if fuzzy else "\0" + raw
        cached = scope.cache.get(slot) if acronyms else None
        if cached is not None:
            return cached
        result = self._single_uncached(raw, scope, acronyms, fuzzy)
        if acronyms and len(scope.cache) < _CACHE_LIMIT:
            scope.cache[slot] = result
        return result

    def _single_uncached(self, raw: str, scope: _Scope, acronyms: bool, fuzzy: bool) -> AgencyMatch:
        text, _ = strip_decorations(raw)
        if text != raw:  # "Probation Service (London)" may be a name as printed
            idx = self._lookup(self._key(raw))
            if idx is not None:
                return self._emit(raw, idx, "exact", 100.0, scope)
        k = self._key(text)
        if not k:
            return _unmatched(raw, "none")
        idx = self._lookup(k)
        if idx is not None:
            return self._emit(raw, idx, "exact", 100.0, scope)
        if acronyms and (looks_like_acronym(text) or k in scope.acronyms):
            found = self._acronym(raw, k, scope)
            if found is not None:
                return found
        idx = self._department_of(k)
        if idx is not None:
            return self._emit(raw, idx, "department", 95.0, scope)
        found = self._partnership_of(raw, k, scope)
        if found is not None:
            return found
        found = self._role_of_place(raw, k)
        if found is not None:
            return found
        inner = _BRACKETED.search(raw)
        if inner is not None:  # "Communities Board (Kirklees CSP)": the bracket names it
            match = self._single(inner.group(1), scope, fuzzy=False)
            if match.matched:
                return AgencyMatch(raw, match.canonical, match.kind, match.method + "+bracket", match.score, True)
        return self._fuzzy(raw, k, scope) if fuzzy else _unmatched(raw, "none")

    def _partnership_of(self, raw: str, k: str, scope: _Scope) -> AgencyMatch | None:
        """"Safer Hull Partnership", "The Norfolk County Community Safety Partnership":
        a partnership named after a place is that place's Community Safety Partnership."""
        if not k.endswith(("partnership", "csp")) or "safeguarding" in k:
            return None
        area = self.area(raw)
        if area is None or not area.csp:
            return None
        body = self._by_name.get(area.csp)
        if body is None:
            return None
        return AgencyMatch(raw, body.canonical, body.kind, "area-csp", 95.0, True)

    def _role_of_place(self, raw: str, k: str) -> AgencyMatch | None:
        """"Kirklees Safeguarding Adults Board": an area body's generic name prefixed by
        a place is that place's, whatever the report's own area.

        Only the labels that take their area ("… (Kirklees)") are read this way. "Cornwall
        Police" names a body that is not in the registry (the force is Devon and Cornwall
        Police), and turning it into a force or a plain label would be a guess.
        """
        words = k.split()
        for cut in range(min(len(words) - 1, _PLACE_WORDS), 0, -1):
            area = self._areas.get(" ".join(words[:cut]))
            if area is None:
                continue
            idx = self._lookup(" ".join(words[cut:]))
            if idx is None or not self.agencies[idx].resolve_via.startswith("qualify:"):
                return None
            return self._emit(raw, idx, "place", 95.0, _Scope(area=area, acronyms={}))
        return None

    def _department_of(self, k: str) -> int | None:
        """"Surrey County Council Adult Social Care" → the council: a known body's name
        followed only by words that name one of its departments."""
        words = k.split()
        for cut in range(len(words) - 1, 1, -1):
            rest = words[cut:]
            if not all(w in _DEPARTMENT_WORDS for w in rest):
                continue
            idx = self._alias.get(" ".join(words[:cut]))
            if idx is not None and self.agencies[idx].kind in _DEPARTMENT_KINDS:
                return idx
        return None

    def _acronym(self, raw: str, k: str, scope: _Scope) -> AgencyMatch | None:
        expansion = scope.acronyms.get(k)
        if expansion is not None:
            inner = self._single(expansion, scope, acronyms=False)
            if inner.matched or not self._registry_reading(k, expansion):
                return AgencyMatch(raw, inner.canonical, inner.kind, "acronym-report", inner.score, inner.matched)
            # The report's expansion names nothing the registry holds, but it is the
            # start of the body the registry knows by this acronym (a glossary cell cut
            # at its wrap: "Cheshire and Wirral Partnership NHS"): that body is meant.
        ids = self._acronyms.get(k)
        if not ids:
            return None
        if len(ids) > 1:
            ids = self._near(ids, scope.area)
        if len(ids) != 1:
            return _unmatched(raw, "ambiguous")
        return self._emit(raw, ids[0], "acronym", 100.0, scope)

    def _registry_reading(self, k: str, expansion: str) -> bool:
        """True when the registry's one body for acronym ``k`` begins with ``expansion``."""
        ids = self._acronyms.get(k) or ()
        words = key(expansion).split()
        return len(ids) == 1 and len(words) >= 2 and key(self.agencies[ids[0]].canonical).split()[: len(words)] == words

    def _near(self, ids: tuple[int, ...], area: reg.Area | None) -> tuple[int, ...]:
        """Keep the bodies of an ambiguous acronym that belong to the report's area."""
        if area is None:
            return ids
        force = self._by_name.get(area.police)
        places = {key(p) for p in (area.area, force.area if force else "") if p}
        near = tuple(i for i in ids if key(self.agencies[i].area) in places)
        if not near:
            near = tuple(i for i in ids if area.region and self.agencies[i].region == area.region)
        return near

    def _fuzzy(self, raw: str, k: str, scope: _Scope) -> AgencyMatch:
        idx, score = self._fuzzy_index.search(k, self.fuzzy_min_score, self.fuzzy_margin)
        if idx is None:
            return _unmatched(raw, "ambiguous" if score else "none", score)
        return self._emit(raw, idx, "fuzzy", score, scope)

    def _emit(self, raw: str, idx: int, method: str, score: float, scope: _Scope) -> AgencyMatch:
        agency = self.agencies[idx]
        via = agency.resolve_via
        if not via:
            return AgencyMatch(raw, agency.canonical, agency.kind, method, score, True)
        area = scope.area
        if via.startswith("qualify:"):
            qualifier = ""
            if area is not None:
                qualifier = area.upper_tier if via == "qualify:upper_tier" else area.area
            label = f"{agency.canonical} ({qualifier})" if qualifier else agency.canonical
            return AgencyMatch(raw, label, agency.kind, method + ("+area" if qualifier else ""), score, True)
        target = self._slot(area, via)
        body = self._by_name.get(target) if target else None
        if body is None:
            if agency.canonical.startswith("<"):  # "<area police force>": nothing to name
                return _unmatched(raw, "generic")
            # a role with a name of its own ("Fire and rescue service") keeps it; the
            # method still says "generic" so a list can lend it an area (_borrow_area)
            return AgencyMatch(raw, agency.canonical, agency.kind, "generic", score, True)
        if via in _DATED_SLOTS:
            body = self._as_of(body, area, scope.date)
        return AgencyMatch(raw, body.canonical, body.kind, "area", score, True)

    def _as_of(self, body: reg.Agency, area: reg.Area | None, date: str | None) -> reg.Agency:
        """``body``, or the predecessor that served ``area`` if the report predates it.

        Services merge ("Hampshire and Isle of Wight Fire and Rescue Service" from
        2021-04-01): a 2019 report's "the Fire Service" was Hampshire's or the Isle of
        Wight's. The predecessor whose own area is named by the report's area (its name,
        then its upper-tier council, then its police force) is chosen.
        """
        if not date or not body.valid_from or date[:10] >= body.valid_from or area is None:
            return body
        before = [a for a in self.agencies if body.canonical in a.successor and a.area]
        for place in (area.area, area.upper_tier, area.police):
            where = {a.canonical: key(place).find(key(a.area)) for a in before}
            named = sorted((at, name) for name, at in where.items() if at >= 0)
            # "Hampshire and Isle of Wight Constabulary": the first place named leads
            if named and (len(named) == 1 or named[0][0] < named[1][0]):
                return self._by_name[named[0][1]]
        return body

    def _slot(self, area: reg.Area | None, via: str) -> str:
        if area is None:
            return ""
        if via == "pcc":  # the commissioner (or mayor) who oversees the area's force
            return self._pcc.get(area.police, "")
        if via == "icb":
            value = area.commissioner
            return value if value.endswith("Integrated Care Board") else ""
        if via == "health_board":
            value = area.commissioner
            return value if value.endswith("Health Board") else ""
        return area.slot(via)

    def _split(self, raw: str, scope: _Scope) -> list[AgencyMatch]:
        """Cut at separators; exact names first, fuzzy only where nothing exact fits."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for m in _SEP.finditer(raw):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        if pos < len(raw):
            spans.append((pos, len(raw)))
        if len(spans) < 2 or len(spans) > _MAX_PIECES:
            return []
        out: list[AgencyMatch] = []
        for i, j, match in self._plan(raw, spans, scope, fuzzy=False):
            if match is not None:
                out.append(match)
                continue
            # a run of pieces no exact name covers: now let single pieces match fuzzily
            run = spans[i:j]
            for a, b, inner in self._plan(raw, run, scope, fuzzy=True) if len(run) > 1 else [(0, 1, None)]:
                text = raw[run[a][0]: run[b - 1][1]]
                out.append(inner if inner is not None else self._single(text, scope))
        out = [m for m in out if self._key(m.input)]
        return self._borrow_area(out, scope)

    def _plan(
        self, raw: str, spans: list[tuple[int, int]], scope: _Scope, *, fuzzy: bool
    ) -> list[tuple[int, int, AgencyMatch | None]]:
        """Group consecutive pieces to cover the most text with matched names (ties:
        fewer groups); unmatched pieces are merged into runs (match ``None``)."""
        n = len(spans)
        best: list[tuple[int, int, list[tuple[int, int, AgencyMatch | None]]]] = [(0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = []
            for j in range(i + 1, min(n, i + _MAX_GROUP) + 1):
                text = raw[spans[i][0]: spans[j - 1][1]]
                match = self._single(text, scope, fuzzy=fuzzy and j == i + 1)
                if not match.matched and j > i + 1:
                    continue
                cover = len(text) if match.matched else 0
                rest = best[j]
                options.append((cover + rest[0], rest[1] - 1, [(i, j, match if match.matched else None)] + rest[2]))
            best[i] = max(options, key=lambda o: (o[0], o[1]))
        merged: list[tuple[int, int, AgencyMatch | None]] = []
        for i, j, match in best[0][2]:
            if match is None and merged and merged[-1][2] is None:
                merged[-1] = (merged[-1][0], j, None)
            else:
                merged.append((i, j, match))
        return merged

    def _borrow_area(self, out: list[AgencyMatch], scope: _Scope) -> list[AgencyMatch]:
        """Without a report area, "Devon and Cornwall Police, the NPS and CRC" still
        places its generic "CRC": the named force, council or CSP gives the area."""
        if scope.area is not None or not any(m.method == "generic" for m in out):
            return out
        for m in out:
            body = self._by_name.get(m.canonical or "")
            if m.matched and body and body.kind in ("police", "local-authority", "csp"):
                area = self.area(body.area)
                if area is not None:
                    local = _Scope(area=area, acronyms=scope.acronyms, date=scope.date)
                    return [self._single(x.input, local) if x.method == "generic" else x for x in out]
        return out


# Slots whose generic word outlives mergers ("the Fire Service", "the CCG", "the Council"
# meant the body of the report's day). "the ICB" or "the CRC" name one era's body only,
# so a date must not turn them into a predecessor.
_DATED_SLOTS = frozenset({"fire", "ccg", "local_authority", "upper_tier"})


def _unmatched(raw: str, method: str, score: float = 0.0) -> AgencyMatch:
    return AgencyMatch(raw, None, None, method, score, False)


def _copy(m: AgencyMatch) -> AgencyMatch:
    return AgencyMatch(m.input, m.canonical, m.kind, m.method, m.score, m.matched)
