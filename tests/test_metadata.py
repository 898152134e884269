"""Metadata read from the PDF itself: pseudonym, CSP, report date, year of death."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.api import _merge_metadata
from extractor.load import load_document
from extractor.metadata import (
    csp_area,
    extract_metadata,
    find_cover_title,
    find_csp,
    find_pseudonym,
    find_report_date,
    find_year_of_death,
)
from extractor.models import Document, Line, Page

sys.path.insert(0, str(Path(__file__).parent))
from pdfbuilder import build_pdf, filler  # noqa: E402


def make_doc(*pages: str, info: dict[str, str] | None = None) -> Document:
    built = tuple(
        Page(n, 595, 842, tuple(Line(t, n, (0, 0, 1, 1)) for t in text.split("\n")))
        for n, text in enumerate(pages, start=1)
    )
    return Document("t.pdf", "0" * 64, len(built), built, info or {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Report into the death of Adult A", "Adult A"),
        ("Domestic Homicide Review – 'Sarah'", "Sarah"),
        ("DHR into the death of ‘Rose’ (March 2016)", "Rose"),
        ("Overview report into the homicide of Mrs B", "Mrs B"),
        ("Domestic Homicide Review Overview Report", None),
        ("Report into the death of Mr", None),
        ("into the death of the victim", None),
        ("Safer Ealing Partnership Case of Rose Independent Chair J Smith", "Rose"),
        ("DOMESTIC HOMICIDE\nREVIEW\nSouthampton\n“TL”\nAuthor – J Smith", "TL"),
        ("Domestic Homicide Review\nSarah\nDied April 2016\nOverview Report", "Sarah"),
    ],
)
def test_find_pseudonym(text: str, expected: str | None) -> None:
    assert find_pseudonym(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Manchester Community Safety Partnership", "Manchester Community Safety Partnership"),
        ("Commissioned by Safer Brent Partnership", "Safer Brent Partnership"),
        ("for the Newcastle upon Tyne Community Safety Partnership", "Newcastle upon Tyne Community Safety Partnership"),
        ("On behalf of Telford & Wrekin Community Safety Partnership (CSP)", "Telford & Wrekin Community Safety Partnership"),
        ("Brighton & Hove\nSafe in the City Partnership", "Safe in the City Partnership"),
        ("Overview Report\nSafer Plymouth\nSeptember 2020", "Safer Plymouth"),
        ("The Domestic Homicide Review was commissioned by the council.", None),
        ("The Partnership agreed the terms of reference.", None),
    ],
)
def test_find_csp(text: str, expected: str | None) -> None:
    assert find_csp(text) == expected


def test_most_often_named_csp_wins() -> None:
    text = "Safer Leeds Partnership\nA note about Bradford Community Safety Partnership\nSafer Leeds Partnership"
    assert find_csp(text) == "Safer Leeds Partnership"
    # a CSP-like name beats a safeguarding partnership named more often
    text = "Leeds Safeguarding Partnership\nLeeds Safeguarding Partnership\nLeeds Community Safety Partnership"
    assert find_csp(text) == "Leeds Community Safety Partnership"


@pytest.mark.parametrize(
    ("csp", "area"),
    [
        ("Manchester Community Safety Partnership", "Manchester"),
        ("Safer Cornwall Community Safety Partnership", "Cornwall"),
        ("Keeping Bristol Safe Partnership", "Bristol"),
        ("Oxford Safer Communities Partnership", "Oxford"),
        ("Safer Plymouth", "Plymouth"),
        ("Manchester", "Manchester"),
        ("Community Safety Partnership", None),
        (None, None),
    ],
)
def test_csp_area(csp: str | None, area: str | None) -> None:
    assert csp_area(csp) == area


def test_report_date_prefers_cued_line_and_ignores_the_death() -> None:
    cover = "Adult A died in March 2012\nChair appointed April 2012\nDate: 5 March 2013"
    assert find_report_date(cover) == "2013-03"
    assert find_report_date("Version 3, 12/06/2014") == "2014-06"
    assert find_report_date("no dates here") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sarah died in March 2016 at her home.", 2016),
        ("On 21 August 2012 police officers found Adult A dead in her flat.", 2012),
        ("Rose was killed in 2019 by her former partner.", 2019),
        ("Date of death: 03/04/2015", 2015),
        ("Domestic Homicide Review Sarah Died April 2016 Overview", 2016),
        ("The review began in 2018 and reported in 2019.", None),
    ],
)
def test_find_year_of_death(text: str, expected: int | None) -> None:
    assert find_year_of_death(text) == expected


def test_year_of_death_ignores_years_after_the_report() -> None:
    text = "Adult A died in May 2014. The perpetrator died in 2030 according to a typo."
    assert find_year_of_death(text, latest=2016) == 2014


def test_extract_metadata_records_sources() -> None:
    doc = make_doc(
        "Domestic Homicide Review\nReport into the death of Adult A\nGuildford Community Safety Partnership\nDate: 5 March 2013",
        "1. Introduction\nAdult A died in August 2012 at her home.",
    )
    meta = extract_metadata(doc)
    assert (meta.title, meta.csp, meta.published, meta.year_of_death) == (
        "Adult A", "Guildford Community Safety Partnership", "2013-03", 2012,
    )
    assert meta.sources == {
        "title": "pdf:cover", "csp": "pdf:cover", "published": "pdf:cover", "year_of_death": "pdf:text",
    }


def test_csp_from_the_introduction_and_date_from_pdf_metadata() -> None:
    doc = make_doc(
        "Overview Report", "Contents",
        "1. Introduction\nThis review was commissioned by Safer Stockton Partnership.",
        info={"creationDate": "D:20170405120000Z"},
    )
    meta = extract_metadata(doc)
    assert meta.csp == "Safer Stockton Partnership" and meta.sources["csp"] == "pdf:text"
    assert meta.published == "2017-04" and meta.sources["published"] == "pdf:metadata"
    assert meta.title is None and "title" not in meta.sources


def test_manifest_values_take_precedence() -> None:
    doc = make_doc("Report into the death of Adult A\nGuildford Community Safety Partnership\nDate: March 2013")
    merged = _merge_metadata(extract_metadata(doc), {"csp": "Surrey", "published": "July 2023"})
    assert merged.csp == "Surrey" and merged.sources["csp"] == "manifest"
    assert merged.published == "July 2023" and merged.title == "Adult A"
    assert merged.sources["title"] == "pdf:cover"


def test_metadata_from_a_real_pdf() -> None:
    pdf = build_pdf([
        ("h1", "Domestic Homicide Review"), ("p", "Report into the death of ‘Hope’"),
        ("p", "Riverton Community Safety Partnership"), ("p", "Final report: 14 June 2019"),
        ("pagebreak",), ("h1", "1. Introduction"),
        ("p", "1.1 Hope died in March 2017 at her home. " + filler(3)),
    ])
    meta = extract_metadata(load_document(pdf, name="hope.pdf"))
    assert (meta.title, meta.csp, meta.published, meta.year_of_death) == (
        "Domestic Homicide Review", "Riverton Community Safety Partnership", "2019-06", 2017,
    )
    assert meta.sources["title"] == "pdf:cover"


def test_cover_title_is_the_largest_type_on_the_cover() -> None:
    lines = (
        Line("OFFICIAL – SENSITIVE", 1, (0, 0, 1, 1), size=11),
        Line("Domestic Homicide Review into the", 1, (0, 0, 1, 1), size=23, bold=True),
        Line("death of ‘Adult F’", 1, (0, 0, 1, 1), size=23, bold=True),
        Line("Overview Report", 1, (0, 0, 1, 1), size=11),
        Line("Manchester Community Safety Partnership", 1, (0, 0, 1, 1), size=11),
        Line("Final report, March 2018", 1, (0, 0, 1, 1), size=11),
    )
    doc = Document("m.pdf", "0" * 64, 1, (Page(1, 595, 842, lines),))
    assert find_cover_title(doc) == "Domestic Homicide Review into the death of ‘Adult F’"
    meta = extract_metadata(doc)
    assert (meta.title, meta.csp, meta.published) == (
        "Domestic Homicide Review into the death of ‘Adult F’", "Manchester Community Safety Partnership", "2018-03",
    )
    plain = Document("p.pdf", "0" * 64, 1, (Page(1, 595, 842, tuple(Line(x.text, 1, x.bbox, size=11) for x in lines)),))
    assert find_cover_title(plain) is None
    assert extract_metadata(plain).title == "Adult F"  # no title type: the pseudonym
