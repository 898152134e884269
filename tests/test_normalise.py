"""Agency registry and matching (issue 4): coverage, evaluation accuracy, context, overrides."""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.agencies import registry
from extractor.agencies.keys import key
from extractor.errors import RegistryError
from extractor.models import Document, Line, Page
from extractor.normalise import AgencyRegistry, MatchContext, context_from_document

CASES = Path(__file__).parent / "data" / "agency_cases.csv"


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.load()


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _context(row: dict[str, str]) -> MatchContext:
    acronyms = dict(p.split("=", 1) for p in row["acronyms"].split(";") if p)
    return MatchContext(acronyms=acronyms, area=row["area"] or None, date=row.get("date") or None)


# --------------------------------------------------------------------------- coverage
TERRITORIAL = {
    "Avon and Somerset Police", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police", "Cumbria Constabulary",
    "Derbyshire Constabulary", "Devon and Cornwall Police", "Dorset Police", "Durham Constabulary",
    "Dyfed-Powys Police", "Essex Police", "Gloucestershire Constabulary", "Greater Manchester Police",
    "Gwent Police", "Hampshire and Isle of Wight Constabulary", "Hertfordshire Constabulary",
    "Humberside Police", "Kent Police", "Lancashire Constabulary", "Leicestershire Police",
    "Lincolnshire Police", "Merseyside Police", "Metropolitan Police Service", "Norfolk Constabulary",
    "North Wales Police", "North Yorkshire Police", "Northamptonshire Police", "Northumbria Police",
    "Nottinghamshire Police", "South Wales Police", "South Yorkshire Police", "Staffordshire Police",
    "Suffolk Constabulary", "Surrey Police", "Sussex Police", "Thames Valley Police",
    "Warwickshire Police", "West Mercia Police", "West Midlands Police", "West Yorkshire Police",
    "Wiltshire Police",
}


def test_all_police_forces(reg: AgencyRegistry) -> None:
    assert len(TERRITORIAL) == 43
    police = {a.canonical for a in reg.list("police")}
    assert TERRITORIAL | {"British Transport Police"} <= police


def test_fire_and_rescue_services(reg: AgencyRegistry) -> None:
    services = [a for a in reg.agencies if a.kind == "fire"]
    current = [a for a in services if a.current]
    assert len([a for a in current if a.region != "Wales"]) == 44  # HMICFRS inspects 44
    assert len([a for a in current if a.region == "Wales"]) == 3
    for old in (a for a in services if not a.current):  # the four merged into two
        assert old.successor and all(reg.get(s) and reg.get(s).current for s in old.successor)
    [match] = reg.resolve("Hampshire Fire & Rescue")  # a 2019 report names the old service
    assert match.matched and match.canonical == "Hampshire Fire and Rescue Service"


def test_every_area_has_its_fire_service_or_none_when_split(reg: AgencyRegistry) -> None:
    areas, _ = registry.read_area_rows(registry.bundled_text("agency_areas.csv"))
    served = [a for a in areas if a.fire]
    assert all(reg.get(a.fire) and reg.get(a.fire).kind == "fire" and reg.get(a.fire).current for a in served)
    # only force-wide rows spanning two services have none ("Sussex": East and West Sussex)
    assert {a.area for a in areas if not a.fire} == {
        "Devon and Cornwall", "Avon and Somerset", "Thames Valley", "West Mercia", "Northumbria", "Sussex",
        "South Wales"}


@pytest.mark.parametrize(("area", "date", "expected"), [
    ("Kent", None, "Kent Fire and Rescue Service"),
    ("Croydon", None, "London Fire Brigade"),
    ("Swansea", None, "Mid and West Wales Fire and Rescue Service"),  # South Wales Police, not SWFRS
    ("Portsmouth", "2019-06", "Hampshire Fire and Rescue Service"),  # before the 2021 merger
    ("Portsmouth", "2021-06", "Hampshire and Isle of Wight Fire and Rescue Service"),
    ("Isle of Wight", "2018", "Isle of Wight Fire and Rescue Service"),
    ("Poole", "2015-02", "Dorset Fire and Rescue Service"),
    ("Sussex", None, "Fire and rescue service"),  # two services: the plain label
    (None, None, "Fire and rescue service"),
])
def test_the_fire_service_is_the_areas_service_of_the_day(reg: AgencyRegistry, area: str | None,
                                                          date: str | None, expected: str) -> None:
    [match] = reg.resolve("the Fire Service", context=MatchContext(area=area, date=date))
    assert match.matched and match.canonical == expected


def test_icbs_health_boards_and_ccg_successors(reg: AgencyRegistry) -> None:
    icbs = [a for a in reg.list("health-commissioner") if a.canonical.endswith("Integrated Care Board")]
    assert len(icbs) == 42
    boards = [a for a in reg.list("health-commissioner") if a.canonical.endswith("Health Board") and a.current]
    assert len(boards) == 7
    ccgs = [a for a in reg.list("health-commissioner") if "Clinical Commissioning Group" in a.canonical]
    assert len(ccgs) >= 100
    for ccg in ccgs:  # every CCG's successor chain ends at an ICB (1 July 2022)
        seen, todo = set(), [ccg.canonical]
        while todo:
            name = todo.pop()
            body = reg.get(name)
            assert body is not None, f"{ccg.canonical}: successor {name} is not in the registry"
            if name.endswith("Integrated Care Board"):
                continue
            assert body.valid_to and body.successor, name
            seen.add(name)
            todo.extend(s for s in body.successor if s not in seen)


def test_councils_csps_and_probation(reg: AgencyRegistry) -> None:
    councils = [a for a in reg.list("local-authority") if a.current]
    assert len(councils) >= 317 + 22 - 5  # England (2023) + Wales, with a little slack
    london = [a for a in councils if a.region == "London"]
    assert len(london) == 33
    for council in councils:
        assert reg.get(f"{council.area} Community Safety Partnership"), council.canonical
    for name in ("National Probation Service",) + tuple(
        a.canonical for a in reg.list("probation") if a.canonical.endswith("Rehabilitation Company")
    ):
        body = reg.get(name)
        assert body and body.valid_to == "2021-06-25" and body.successor == ("Probation Service",)
    phe = reg.get("Public Health England")
    assert phe and phe.valid_to.startswith("2021") and "UK Health Security Agency" in phe.successor


def test_every_row_records_a_source(reg: AgencyRegistry) -> None:
    assert all(a.source for a in reg.agencies)


def test_references_between_rows_exist(reg: AgencyRegistry) -> None:
    """Successors and every area slot name a canonical row, so nothing dangles."""
    from extractor.agencies.registry import AREA_COLUMNS, bundled_text, read_area_rows

    for a in reg.agencies:
        for name in a.successor:
            assert reg.get(name), f"{a.canonical}: successor {name!r}"
        if a.valid_from and a.valid_to:
            assert a.valid_from <= a.valid_to, a.canonical
    areas, _ = read_area_rows(bundled_text("agency_areas.csv"))
    assert len(areas) > 380
    for area in areas:
        for slot in AREA_COLUMNS[2:-1]:
            value = area.slot(slot)
            assert not value or reg.get(value), f"{area.area}.{slot} = {value!r}"


def test_canonical_names_and_aliases_resolve_to_themselves(reg: AgencyRegistry) -> None:
    wrong = []
    for a in reg.agencies:
        if a.resolve_via:
            continue
        for name in (a.canonical, *a.aliases):
            got = [m.canonical for m in reg.resolve(name)]
            if got != [a.canonical]:
                wrong.append((name, a.canonical, got))
    assert not wrong, wrong[:10]


# --------------------------------------------------------------------------- evaluation set
def test_evaluation_accuracy(reg: AgencyRegistry, record_property: pytest.RecordProperty) -> None:
    rows = _cases()
    assert len(rows) >= 200
    by_cat: dict[str, Counter[str]] = defaultdict(Counter)
    failures, confident_wrong = [], []
    for row in rows:
        matches = reg.resolve(row["raw"], context=_context(row))
        got = sorted(m.canonical for m in matches if m.matched and m.canonical)
        expected = sorted(e.strip() for e in row["expected"].split("|") if e.strip())
        ok = got == expected
        by_cat[row["category"]]["ok" if ok else "bad"] += 1
        if not ok:
            failures.append((row["raw"], row["area"], expected, got))
        if row["category"] == "unresolved" and got:
            confident_wrong.append((row["raw"], got))
    accuracy = sum(c["ok"] for c in by_cat.values()) / len(rows)
    record_property("agency_accuracy", round(accuracy, 4))
    print(f"\nagency matching accuracy: {accuracy:.3f} on {len(rows)} cases")
    for cat, c in sorted(by_cat.items()):
        print(f"  {cat:15} {c['ok']}/{c['ok'] + c['bad']}")
    assert not confident_wrong, confident_wrong
    assert accuracy >= 0.95, failures[:20]


def test_evaluation_set_covers_required_categories() -> None:
    cats = Counter(row["category"] for row in _cases())
    for needed in ("acronym", "typo", "old-ccg", "generic-area", "multi", "unresolved", "acronym-report"):
        assert cats[needed] >= 5, needed


# --------------------------------------------------------------------------- behaviour
def test_generic_forms_need_an_area(reg: AgencyRegistry) -> None:
    [m] = reg.resolve("the Police")
    assert not m.matched and m.canonical is None and m.input == "the Police"
    [m] = reg.resolve("the Police", context=MatchContext(area="Stockport"))
    assert (m.canonical, m.method) == ("Greater Manchester Police", "area")


def test_a_role_prefixed_by_a_place_is_read_in_that_place(reg: AgencyRegistry) -> None:
    """The place printed in the name wins over the report's area. Only area bodies'
    labels are read this way: a body's own name is untouched, and a force that does not
    exist is not guessed."""
    kirklees = MatchContext(area="Kirklees")
    [m] = reg.resolve("Rotherham Safeguarding Adults Board", context=kirklees)
    assert (m.canonical, m.method) == ("Safeguarding Adults Board (Rotherham)", "place+area")
    [m] = reg.resolve("Leeds Children's Services", context=kirklees)
    assert m.canonical == "Children's social care (Leeds City Council)"
    [m] = reg.resolve("Cornwall Police")  # no such force: not turned into one
    assert not m.matched
    [m] = reg.resolve("Leeds Teaching Hospitals NHS Trust")
    assert (m.canonical, m.method) == ("Leeds Teaching Hospitals NHS Trust", "exact")
    [m] = reg.resolve("Kirklees Widget Board")
    assert not m.matched


def test_report_acronyms_win_over_registry(reg: AgencyRegistry) -> None:
    [m] = reg.resolve("NCA", context=MatchContext(area="Manchester"))
    assert m.canonical == "Northern Care Alliance NHS Foundation Trust"
    ctx = MatchContext(acronyms={"NCA": "National Crime Agency"}, area="Manchester")
    [m] = reg.resolve("NCA", context=ctx)
    assert (m.canonical, m.method) == ("National Crime Agency", "acronym-report")
    [m] = reg.resolve("NCA")  # two registry bodies, no area: not guessed
    assert not m.matched and m.method == "ambiguous"


def test_registry_acronym_when_the_reports_expansion_names_nothing(reg: AgencyRegistry) -> None:
    # a glossary cell cut at its wrap: the start of the registry's body for the acronym
    ctx = MatchContext(acronyms={"CWP": "Cheshire and Wirral Partnership NHS"}, area="Cheshire East")
    [m] = reg.resolve("CWP", context=ctx)
    assert (m.canonical, m.method) == ("Cheshire and Wirral Partnership NHS Foundation Trust", "acronym")
    # a body of the report's own, by the same letters: the report's meaning stands
    [m] = reg.resolve("CPS", context=MatchContext(acronyms={"CPS": "Children's Placement Service"}))
    assert not m.matched and m.method == "acronym-report"


def test_split_keeps_one_body_names_whole(reg: AgencyRegistry) -> None:
    names = [m.canonical for m in reg.resolve("Bassetlaw, Newark and Sherwood CSP")]
    assert names == ["Bassetlaw, Newark and Sherwood Community Safety Partnership"]
    matches = reg.resolve("Devon and Cornwall Police, the NPS and CRC")
    assert [m.input for m in matches] == ["Devon and Cornwall Police", "the NPS", "CRC"]
    assert matches[2].canonical == "Dorset, Devon and Cornwall Community Rehabilitation Company"


def test_unmatched_part_of_a_list_is_kept_raw(reg: AgencyRegistry) -> None:
    matches = reg.resolve("Home Office and the Delivering Differently Team")
    assert [(m.canonical, m.matched) for m in matches] == [("Home Office", True), (None, False)]
    assert matches[1].input == "the Delivering Differently Team"


def test_old_bodies_resolve_to_themselves(reg: AgencyRegistry) -> None:
    [m] = reg.resolve("Manchester CCG")
    assert m.canonical == "NHS Manchester Clinical Commissioning Group"
    body = reg.get(m.canonical)
    assert body and body.successor == ("NHS Greater Manchester Integrated Care Board",)


def test_fuzzy_thresholds_are_tunable() -> None:
    strict = AgencyRegistry.load(fuzzy_min_score=99.5)
    assert not strict.resolve("Greater Manchestr Police")[0].matched
    loose = AgencyRegistry.load()
    [m] = loose.resolve("Greater Manchestr Police")
    assert m.method == "fuzzy" and 88 <= m.score < 100
    wide_margin = AgencyRegistry.load(fuzzy_margin=60)
    assert not wide_margin.resolve("Nort Tyneside Council")[0].matched


def test_area_lookup_accepts_csp_and_council_names(reg: AgencyRegistry) -> None:
    for name in ("Manchester", "Manchester Community Safety Partnership", "Safer Stockport Partnership",
                 "Stockport Metropolitan Borough Council", "Brighton & Hove"):
        area = reg.area(name)
        assert area is not None and area.police in ("Greater Manchester Police", "Sussex Police"), name
    assert reg.area("Atlantis") is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_resolve_never_raises_and_keeps_input(text: str) -> None:
    reg = _shared_registry()
    for m in reg.resolve(text, context=MatchContext(area="Kent")):
        assert m.input and m.input in text
        assert m.matched == (m.canonical is not None)


_REG: list[AgencyRegistry] = []


def _shared_registry() -> AgencyRegistry:
    if not _REG:
        _REG.append(AgencyRegistry.load())
    return _REG[0]


def test_matching_speed_floor(reg: AgencyRegistry) -> None:
    """A loose floor (the real number comes from scripts/bench_agencies.py)."""
    names = [f"{a.canonical}" if i % 3 else key(a.canonical) for i, a in enumerate(reg.agencies)]
    fresh = AgencyRegistry.load()
    t0 = time.process_time()
    for name in names:
        fresh.resolve(name)
    assert len(names) / (time.process_time() - t0 + 1e-9) > 3000


def test_library_csp_names_all_give_an_area(reg: AgencyRegistry) -> None:
    """Every CSP on a saved page of the Home Office DHR Library maps to an area."""
    from conftest import shared_dir

    root = shared_dir()
    cards = (root / "realdata" / "cookie1986__dhr-information-extraction" / "data" / "raw" / "html"
             / "home_office_library.page0.cards.csv") if root else None
    if cards is None or not cards.is_file():
        pytest.skip("../shared DHR Library cards are not present")
    with cards.open(encoding="utf-8", newline="") as f:
        csps = {row["csp"] for row in csv.DictReader(f)}
    assert len(csps) >= 20
    missing = sorted(c for c in csps if reg.area(c) is None or not reg.area(c).police)
    assert not missing, missing


# --------------------------------------------------------------------------- registry data
def test_user_csv_overrides_and_extends(tmp_path: Path, reg: AgencyRegistry) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "canonical,kind,aliases,area\n"
        "Greater Manchester Police,police,Manc Police,Greater Manchester\n"
        "Stockport Domestic Abuse Forum,other,SDAF Forum,Stockport\n",
        encoding="utf-8",
    )
    mine = AgencyRegistry.load(extra)
    assert mine.version != reg.version
    assert mine.resolve("Manc Police")[0].canonical == "Greater Manchester Police"
    assert mine.resolve("SDAF Forum")[0].canonical == "Stockport Domestic Abuse Forum"
    assert len(mine.agencies) == len(reg.agencies) + 1
    assert AgencyRegistry.load().version == reg.version  # stable for unchanged data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,kind\nX,police\n", "missing column(s) canonical"),
        ("canonical,kind\nX,spaceship\n", "unknown kind 'spaceship'"),
        ("canonical,kind\n,police\n", "empty canonical name"),
    ],
)
def test_bad_user_csv_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        AgencyRegistry.load(path)
    assert message in str(err.value) and str(path) in str(err.value)
    with pytest.raises(RegistryError, match="not found"):
        AgencyRegistry.load(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- report context
def _doc(rows: list[list[tuple[str, float]]]) -> Document:
    lines = []
    for y, row in enumerate(rows):
        for text, x in row:
            lines.append(Line(text=text, page=1, bbox=(x, 100 + 14 * y, x + 200, 110 + 14 * y)))
    return Document(file="t.pdf", sha256="0", page_count=1,
                    pages=(Page(number=1, width=595, height=842, lines=tuple(lines)),))


def test_context_reads_glossary_forms_and_first_use() -> None:
    doc = _doc([
        [("This review was commissioned by Safer Stockport Partnership (SSP) in 2019.", 72)],
        [("GMP Greater Manchester Police", 72)],
        [("KMPT – Kent and Medway NHS and Social Care Partnership Trust", 72)],
        [("IDVA: Independent Domestic Violence Adviser", 72)],
        [("CRC", 72), ("Community Rehabilitation Company", 180)],  # two-column glossary
        [("The meeting (see above) was held in 2019 (ABC).", 72)],
    ])
    ctx = context_from_document(doc, area="Stockport")
    assert ctx.area == "Stockport"
    assert ctx.acronyms == {
        "SSP": "Safer Stockport Partnership",
        "GMP": "Greater Manchester Police",
        "KMPT": "Kent and Medway NHS and Social Care Partnership Trust",
        "IDVA": "Independent Domestic Violence Adviser",
        "CRC": "Community Rehabilitation Company",
    }
    reg = _shared_registry()
    [m] = reg.resolve("SSP", context=ctx)
    assert (m.canonical, m.method) == ("Stockport Community Safety Partnership", "acronym-report")
    assert context_from_document(None, area="Kent").acronyms == {}


def test_acronym_definitions_must_spell_the_acronym() -> None:
    from extractor.agencies.context import acronyms_from_lines

    found = acronyms_from_lines([
        "SLaM South London and Maudsley NHS Foundation Trust",
        "a referral to the Multi-Agency Risk Assessment Conference (MARAC) was made",
        "the Ministry of Justice (MoJ) replied",
        "GP review of the notes took place in 2016",  # a sentence, not a glossary line
        "He was seen by the GP (see below) and the Police (GMP) attended.",
        "NHS Manchester Clinical Commissioning Group (CCG)",
    ])
    assert found == {
        "SLaM": "South London and Maudsley NHS Foundation Trust",
        "MARAC": "Multi-Agency Risk Assessment Conference",
        "MoJ": "Ministry of Justice",
        "CCG": "Clinical Commissioning Group",
    }
