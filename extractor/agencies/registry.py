"""The agency registry: canonical bodies, their aliases and acronyms, and area facts.

Two CSVs ship with the package (``extractor/data``): ``agencies.csv`` (one row per
body, see docs/AGENCIES.md for the columns) and ``agency_areas.csv`` (what "the
Police", "the CCG" or "the Local Authority" means in each council area). A user CSV
with the agencies columns extends the bundled rows and replaces rows with the same
canonical name, so a local analyst can fix a name without editing the package.

Aliases come from three places, in decreasing priority: the canonical name itself, the
``aliases`` column, and variants derived from ``kind`` + ``area`` ("<area> Borough
Council", "Safer <area> Partnership", "<stem> NHS Trust" …). When two bodies claim one
key at the same priority the current body (no ``valid_to``) wins; if both are current
the key is dropped as ambiguous rather than guessed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import RegistryError
from .keys import key

log = logging.getLogger(__name__)

COLUMNS = (
    "canonical", "kind", "acronyms", "aliases", "area", "region",
    "valid_from", "valid_to", "successor", "resolve_via", "source",
)
AREA_COLUMNS = ("area", "aliases", "local_authority", "upper_tier", "police",
                "commissioner", "ccg", "csp", "crc", "fire", "ambulance", "region")
KINDS = frozenset({
    "police", "health-commissioner", "nhs-trust", "local-authority", "csp", "probation",
    "national-government", "voluntary-sector", "role", "pcc", "fire", "other",
})
_CANONICAL, _ALIAS, _DERIVED = 3, 2, 1
_DISTINCT_STEM = re.compile(r"\b(Health|Healthcare|Hospitals?|Partnership|Care|Ambulance)\b")


@dataclass(frozen=True, slots=True)
class Agency:
    """One body (or generic role) of the registry."""

    canonical: str
    kind: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    area: str = ""
    region: str = ""
    valid_from: str = ""
    valid_to: str = ""
    successor: tuple[str, ...] = ()
    resolve_via: str = ""
    source: str = ""

    @property
    def current(self) -> bool:
        return not self.valid_to

    def to_dict(self) -> dict[str, object]:
        return {
            "canonical": self.canonical, "kind": self.kind, "acronyms": list(self.acronyms),
            "aliases": list(self.aliases), "area": self.area, "region": self.region,
            "valid_from": self.valid_from, "valid_to": self.valid_to,
            "successor": list(self.successor), "resolve_via": self.resolve_via,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Area:
    """What generic names mean inside one council (or police-force) area."""

    area: str
    local_authority: str = ""
    upper_tier: str = ""
    police: str = ""
    commissioner: str = ""
    ccg: str = ""
    csp: str = ""
    crc: str = ""
    fire: str = ""
    ambulance: str = ""
    region: str = ""

    def slot(self, name: str) -> str:
        return str(getattr(self, name, "") or "")


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(";") if p.strip())


def read_agency_rows(text: str, label: str) -> list[Agency]:
    """Parse agencies-CSV text; raise ``RegistryError`` naming ``label`` on bad input."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"canonical", "kind"} - set(reader.fieldnames or ())
    if missing:
        raise RegistryError(f"missing column(s) {', '.join(sorted(missing))}", path=label)
    out: list[Agency] = []
    for line_no, row in enumerate(reader, start=2):
        canonical = (row.get("canonical") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not canonical:
            raise RegistryError(f"line {line_no}: empty canonical name", path=label)
        if kind not in KINDS:
            raise RegistryError(
                f"line {line_no}: unknown kind {kind!r} (one of {', '.join(sorted(KINDS))})",
                path=label,
            )
        out.append(Agency(
            canonical=canonical, kind=kind,
            acronyms=_split(row.get("acronyms")), aliases=_split(row.get("aliases")),
            area=(row.get("area") or "").strip(), region=(row.get("region") or "").strip(),
            valid_from=(row.get("valid_from") or "").strip(),
            valid_to=(row.get("valid_to") or "").strip(),
            successor=_split(row.get("successor")),
            resolve_via=(row.get("resolve_via") or "").strip(),
            source=(row.get("source") or "").strip(),
        ))
    return out


def read_area_rows(text: str) -> tuple[list[Area], dict[str, str]]:
    """Parse the areas CSV: the rows, and extra area-name aliases → area name."""
    rows: list[Area] = []
    aliases: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        values = {c: (row.get(c) or "").strip() for c in AREA_COLUMNS if c != "aliases"}
        rows.append(Area(**values))
        for alias in _split(row.get("aliases")):
            aliases[alias] = values["area"]
    return rows, aliases


def derived_aliases(agency: Agency) -> Iterable[str]:
    """Name variants implied by kind and area (documented in docs/AGENCIES.md)."""
    a = agency.area
    if agency.kind == "local-authority" and a:
        for suffix in ("Council", "Borough Council", "District Council", "City Council",
                       "County Council", "Metropolitan Borough Council", "MBC", "BC", "DC",
                       "Metropolitan District Council", "County Borough Council", "CBC",
                       "Local Authority", "LA", "Unitary Authority"):
            yield f"{a} {suffix}"
        yield f"London Borough of {a}"
        yield f"Royal Borough of {a}"
        yield f"City of {a} Council"
        yield f"{a} London Borough Council"
    elif agency.kind == "csp" and a:
        for form in ("{a} CSP", "Safer {a} Partnership", "Safer {a}", "{a} CSP Board",
                     "{a} Community Safety Partnership Board", "{a} Safer Communities Partnership",
                     "{a} Safer Partnership", "{a} Community Safety Partnership (CSP)"):
            yield form.format(a=a)
    elif agency.kind == "police" and a:
        for suffix in ("Police", "Constabulary", "Police Force", "Police Service"):
            yield f"{a} {suffix}"
    elif agency.kind == "fire" and a:
        for suffix in ("Fire and Rescue Service", "Fire and Rescue Services", "Fire and Rescue",
                       "Fire Service", "Fire Brigade", "FRS"):
            yield f"{a} {suffix}"
    elif agency.kind == "health-commissioner" and agency.canonical.endswith("Integrated Care Board"):
        yield f"{a} ICS"
        yield f"{a} Integrated Care Partnership"
        yield f"{a} Integrated Care"
        yield f"NHS {a} Integrated Care"
    elif agency.kind == "nhs-trust":
        yield from _trust_variants(agency.canonical)


def _trust_variants(name: str) -> Iterable[str]:
    for suffix in ("University NHS Foundation Trust", "NHS Foundation Trust", "University NHS Trust",
                   "NHS Trust", "Foundation Trust"):
        if name.endswith(" " + suffix):
            stem = name[: -len(suffix) - 1]
            if len(stem.split()) >= 2 and _DISTINCT_STEM.search(stem):
                yield stem  # "Oxford Health", "Hampshire and Isle of Wight Healthcare"
            for form in ("NHS Foundation Trust", "Foundation Trust", "NHS FT", "FT", "NHS Trust",
                         "Trust", "University NHS Foundation Trust", "University NHS Trust"):
                yield f"{stem} {form}"
            return


def build_alias_index(agencies: list[Agency]) -> tuple[dict[str, int], set[str], set[str]]:
    """Map each key to one agency index; also return the ambiguous and the derived keys."""
    claims: dict[str, list[tuple[int, int]]] = {}

    def claim(name: str, prio: int, idx: int) -> None:
        k = key(name)
        if k:
            claims.setdefault(k, []).append((prio, idx))

    for idx, agency in enumerate(agencies):
        claim(agency.canonical, _CANONICAL, idx)
        for alias in agency.aliases:
            claim(alias, _ALIAS, idx)
        for alias in derived_aliases(agency):
            claim(alias, _DERIVED, idx)
    index: dict[str, int] = {}
    ambiguous: set[str] = set()
    derived: set[str] = set()
    for k, found in claims.items():
        best = max(p for p, _ in found)
        if best == _DERIVED:
            derived.add(k)
        top = {i for p, i in found if p == best}
        if len(top) > 1:
            current = {i for i in top if agencies[i].current}
            top = current if len(current) == 1 else top
        if len(top) == 1:
            index[k] = top.pop()
        else:
            ambiguous.add(k)
            log.debug("agency key %r is ambiguous: %s", k, sorted(agencies[i].canonical for i in top))
    return index, ambiguous, derived


def build_acronym_index(agencies: list[Agency]) -> dict[str, tuple[int, ...]]:
    """Map each acronym key to every agency that uses it (disambiguated at match time)."""
    out: dict[str, list[int]] = {}
    for idx, agency in enumerate(agencies):
        for acr in agency.acronyms:
            k = key(acr)
            if k and idx not in out.setdefault(k, []):
                out[k].append(idx)
    return {k: tuple(v) for k, v in out.items()}


def bundled_text(name: str) -> str:
    """The text of a CSV shipped in ``extractor/data``."""
    return resources.files("extractor").joinpath("data", name).read_text(encoding="utf-8")


def read_user_csv(path: str | Path) -> str:
    """Read a user registry CSV or raise one clear ``RegistryError``."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise RegistryError("agencies CSV not found", path=str(p)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"cannot read agencies CSV ({exc.__class__.__name__})", path=str(p)) from exc


def merge_rows(bundled: list[Agency], extra: list[Agency]) -> list[Agency]:
    """User rows replace bundled rows with the same canonical name and add the rest."""
    by_name = {a.canonical: i for i, a in enumerate(bundled)}
    merged = list(bundled)
    for agency in extra:
        if agency.canonical in by_name:
            merged[by_name[agency.canonical]] = agency
        else:
            by_name[agency.canonical] = len(merged)
            merged.append(agency)
    return merged


def data_version(*texts: str) -> str:
    """A short hash of every CSV text that went into a registry."""
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:12]
