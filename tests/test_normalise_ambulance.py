"""A bare "the Ambulance Service" is the NHS ambulance trust that serves the report's area.

Ten ambulance trusts cover England by region (the South East split between South East
Coast and South Central, north and north-east Lincolnshire served from the East
Midlands), the Welsh Ambulance Services trust covers Wales and the Isle of Wight NHS
Trust runs the island's own service. Without an area, or where an area is split between
two services, the plain label stays.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor import extract
from extractor.agencies import registry
from extractor.normalise import AgencyRegistry, MatchContext

sys.path.insert(0, str(Path(__file__).parent))
from pdfbuilder import build_pdf, filler  # noqa: E402

NWAS = "North West Ambulance Service NHS Trust"
SECAMB = "South East Coast Ambulance Service NHS Foundation Trust"
SCAS = "South Central Ambulance Service NHS Foundation Trust"
EMAS = "East Midlands Ambulance Service NHS Trust"


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.load()


def test_every_area_names_a_current_ambulance_trust_or_none_when_split(reg: AgencyRegistry) -> None:
    areas, _ = registry.read_area_rows(registry.bundled_text("agency_areas.csv"))
    served = [a for a in areas if a.ambulance]
    for area in served:
        body = reg.get(area.ambulance)
        assert body and body.kind == "nhs-trust" and body.current, area.area
    trusts = {a.ambulance for a in served}
    assert len([t for t in trusts if "Ambulance" in t]) == 11  # 10 English trusts and the Welsh one
    assert trusts - {t for t in trusts if "Ambulance" in t} == {"Isle of Wight NHS Trust"}
    # areas served by two trusts: Hull/East Riding (Yorkshire) with the Lincolnshires (East
    # Midlands); Hampshire (South Central) with the island; Buxton (East Midlands) with Glossop (North West)
    assert {a.area for a in areas if not a.ambulance} == {"Humberside", "Hampshire and Isle of Wight", "High Peak"}


@pytest.mark.parametrize(("raw", "area", "expected"), [
    ("the ambulance service", "Greater Manchester", NWAS),
    ("Ambulance Service", "Stockport", NWAS),
    ("The Ambulance Service", "Safer Stockport Partnership", NWAS),  # the CSP as the report names it
    ("Ambulance Service", "Croydon", "London Ambulance Service NHS Trust"),
    ("Ambulance Service", "Kent", SECAMB),
    ("Ambulance Service", "Brighton and Hove", SECAMB),
    ("Ambulance Service", "Rushmoor", SECAMB),  # north-east Hampshire
    ("Ambulance Service", "Southampton", SCAS),
    ("Ambulance Service", "Milton Keynes", SCAS),
    ("Ambulance Service", "North East Lincolnshire", EMAS),
    ("Ambulance Service", "Hull", "Yorkshire Ambulance Service NHS Trust"),
    ("the Ambulance Trust", "Luton", "East of England Ambulance Service NHS Trust"),
    ("Ambulance Service", "Cornwall", "South Western Ambulance Service NHS Foundation Trust"),
    ("Ambulance Service", "Walsall", "West Midlands Ambulance Service University NHS Foundation Trust"),
    ("Ambulance Service", "Sunderland", "North East Ambulance Service NHS Foundation Trust"),
    ("Ambulance Service", "Cardiff", "Welsh Ambulance Services University NHS Trust"),
    ("Ambulance Service", "Isle of Wight", "Isle of Wight NHS Trust"),
    ("Ambulance Service", "Humberside", "Ambulance service"),  # two trusts: the plain label
    ("Ambulance Service", None, "Ambulance service"),
    # a named trust is never re-read through the area
    ("London Ambulance Service", "Stockport", "London Ambulance Service NHS Trust"),
])
def test_the_ambulance_service_is_the_areas_trust(reg: AgencyRegistry, raw: str, area: str | None,
                                                  expected: str) -> None:
    [match] = reg.resolve(raw, context=MatchContext(area=area))
    assert match.matched and match.canonical == expected


def test_a_named_force_lends_its_area_to_the_ambulance_service(reg: AgencyRegistry) -> None:
    matches = reg.resolve("Greater Manchester Police and the Ambulance Service")
    assert [m.canonical for m in matches] == ["Greater Manchester Police", NWAS]


def test_extract_resolves_the_ambulance_service_by_the_reports_csp() -> None:
    blocks = [
        ("h1", "Domestic Homicide Review into the death of Adult A"), ("p", "Stockport Community Safety Partnership"),
        ("p", "Published: March 2021"), ("pagebreak",), ("h1", "1. Introduction"),
        ("p", "1.1 Adult A died in March 2019. " + filler(3)), ("h1", "Recommendations"),
        ("item", "1.", "The Ambulance Service should record the history of domestic abuse calls to an address."),
        ("item", "2.", "Greater Manchester Police should review repeat calls."),
    ]
    report = extract(build_pdf(blocks), name="amb.pdf")
    assert report.metadata.csp == "Stockport Community Safety Partnership"
    assert report.recommendations[0].addressed_to == [NWAS]
