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
    uncap,
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
        ("IN CASE OF COLUMNS 3 AND 4", None),  # the idiom, not "the Case of Rose"
        ("Keep the form in case of fire", None),
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
    # the largest type is only a heading: the title is the pseudonym from the smaller line
    assert (meta.title, meta.csp, meta.published, meta.year_of_death) == (
        "Hope", "Riverton Community Safety Partnership", "2019-06", 2017,
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


def _cover(*lines: tuple[str, float]) -> Document:
    """A one-page cover whose lines have the given type sizes."""
    built = tuple(Line(text, 1, (0, 0, 1, 1), size=size) for text, size in lines)
    return Document("c.pdf", "0" * 64, 1, (Page(1, 595, 842, built),))


@pytest.mark.parametrize(
    ("small", "expected"),
    [
        ("Overview Report into the death of Mrs K", "Mrs K"),
        ("“Delia”", "Delia"),
        ("Adult Q", "Adult Q"),
        ("Tamsin\nDied August 2015", "Tamsin"),
    ],
)
def test_generic_heading_gives_way_to_the_pseudonym_on_smaller_lines(small: str, expected: str) -> None:
    for heading in ("Domestic Homicide Review", "Adolygiad Dynladdiad Domestig", "Overview Report"):
        doc = _cover((heading, 24), *((x, 11) for x in small.split("\n")), ("Westmere Community Safety Partnership", 11))
        assert find_cover_title(doc) is None
        meta = extract_metadata(doc)
        assert meta.title == expected and meta.sources["title"] == "pdf:cover"


def test_generic_heading_is_kept_when_no_pseudonym_is_found() -> None:
    doc = _cover(("Domestic Homicide Review", 24), ("Overview Report", 11), ("Westmere Community Safety Partnership", 11))
    assert extract_metadata(doc).title == "Domestic Homicide Review"


def test_pseudonym_declared_in_the_introduction() -> None:
    doc = make_doc("Domestic Homicide Review\nOverview Report", "Contents",
                   "1. Introduction\nThe victim (known in this review as Pippa) died in May 2016.")
    assert extract_metadata(doc).title == "Pippa"
    # a name declared for someone else is not the title
    other = make_doc("Overview Report", "Contents", "Her brother, referred to as Col, gave evidence.")
    assert extract_metadata(other).title is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Domestic Homicide Review into the death of ‘May’", "May"),
        ("DHR – ‘October’", "October"),
        ("Report into the death of June", None),  # unquoted: as likely a date
        ("Domestic Homicide Review (Adult K)", "Adult K"),
        ("Domestic Homicide Review (Westmere)", None),  # a place in brackets, not a name
        ("Domestic Homicide Review in respect of ‘Nell’", "Nell"),
        ("Domestic Homicide Review concerning Imogen", "Imogen"),
        ("DHR 2017/05 – Cliff", "Cliff"),
        ("Report into the death of Mrs. T", "Mrs. T"),
        ("Review into the death of Mr and Mrs R", "Mr and Mrs R"),
        ("Domestic Homicide Review into the deaths of ‘Ivy’ and ‘Bo’", "Ivy & Bo"),
        ("Report into the death of Adult K and her daughter", "Adult K"),
        ("DOMESTIC HOMICIDE REVIEW INTO THE DEATH OF MRS K", "Mrs K"),
    ],
)
def test_find_pseudonym_more_forms(text: str, expected: str | None) -> None:
    assert find_pseudonym(text) == expected


def test_all_caps_cover_in_ordinary_case() -> None:
    assert uncap("REVIEW INTO THE DEATH OF ADULT K") == "Review into the death of Adult K"
    assert uncap("SAFER STOKE-ON-TRENT DHR") == "Safer Stoke-on-Trent DHR"
    assert uncap("“JB”") == "“JB”" and uncap("Mixed Case") == "Mixed Case"
    doc = _cover(("DOMESTIC HOMICIDE REVIEW INTO THE DEATH OF ADULT K", 24), ("OVERVIEW REPORT", 11),
                 ("WESTMERE COMMUNITY SAFETY PARTNERSHIP", 11), ("PUBLISHED: JULY 2020", 11))
    meta = extract_metadata(doc)
    assert (meta.title, meta.csp, meta.published) == (
        "Domestic Homicide Review into the death of Adult K", "Westmere Community Safety Partnership", "2020-07",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Overview Report\nWestmere\nCommunity Safety Partnership", "Westmere Community Safety Partnership"),
        ("Prepared for the Westmere\nCommunity Safety Partnership", "Westmere Community Safety Partnership"),
        ("Westmere Borough Council\nCommunity Safety Partnership", "Westmere Community Safety Partnership"),
        ("Safer Westmere\nPartnership", "Safer Westmere Partnership"),
        ("Overview Report\nCommunity Safety Partnership", None),
        ("Community Safety Partnership for Westmere", "Westmere Community Safety Partnership"),
        ("Community Safety Partnership (Westmere)", "Westmere Community Safety Partnership"),
        ("Community Safety Partnership – Westmere", "Westmere Community Safety Partnership"),
        ("The review was commissioned by Westmere CSP.", "Westmere Community Safety Partnership"),
        ("The CSP agreed the terms of reference.", None),
        ("It was commissioned by the Safer Westmere Board.", "Safer Westmere Board"),
        ("Westmere Safer Communities Board", "Westmere Safer Communities Board"),
        ("Commissioned by Ashby and Dale Community Safety Partnerships", "Ashby and Dale Community Safety Partnerships"),
        ("The Westmere Partnership Against Domestic Abuse", None),
        ("Westmere Community Safety Partnership (Westmere CSP)", "Westmere Community Safety Partnership"),
    ],
)
def test_find_csp_more_forms(text: str, expected: str | None) -> None:
    assert find_csp(text) == expected


def test_csp_split_over_lines_beats_a_safeguarding_partnership_in_the_text() -> None:
    doc = make_doc("Domestic Homicide Review\nWestmere\nCommunity Safety Partnership", "Contents",
                   "The Westmere Safeguarding Adults Partnership was kept informed.")
    assert extract_metadata(doc).csp == "Westmere Community Safety Partnership"
    # and a CSP named only in the text beats a safeguarding partnership on the cover
    doc = make_doc("Westmere Safeguarding Adults Partnership", "Contents",
                   "The review was commissioned by Westmere Community Safety Partnership.")
    meta = extract_metadata(doc)
    assert meta.csp == "Westmere Community Safety Partnership" and meta.sources["csp"] == "pdf:text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date: 9 Sept 2020", "2020-09"),
        ("Published: 9th Sept. 2020", "2020-09"),
        ("Version 2 – 2020-11-09", "2020-11"),
        ("Final 09/11/20", "2020-11"),
        ("Publication date: 09-11-2020", "2020-11"),
        ("FINAL Version\n11/23/2020", "2020-11"),  # month-first: the day is over 12
        ("09/11/20", None),  # a two-digit year only on a cued line
        ("Chair: A Person, appointed 3 March 2019", None),
        ("The panel met four times and the final meeting was on 4 May 2020.", None),
        ("She first told her GP about the abuse in March 2014.", None),
    ],
)
def test_find_report_date_more_forms(text: str, expected: str | None) -> None:
    assert find_report_date(text) == expected


def test_report_date_after_a_contents_page() -> None:
    doc = make_doc("Domestic Homicide Review\nOverview Report", "Contents\n1. Introduction 3",
                   "Date of report: 4 October 2021\n1. Introduction", info={"creationDate": "D:20230101000000Z"})
    meta = extract_metadata(doc)
    assert meta.published == "2021-10" and meta.sources["published"] == "pdf:text"


def test_file_date_before_the_death_does_not_blank_the_year() -> None:
    doc = make_doc("Overview Report", "Contents", "Adult K died in May 2019 at her home.",
                   info={"creationDate": "D:20120101000000Z"})
    meta = extract_metadata(doc)
    assert meta.year_of_death == 2019 and meta.published is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 9 July 2016, Adult K was found at home and was pronounced dead at the scene.", 2016),
        ("In the early hours of 2 March 2015, officers found that Adult K had been fatally injured.", 2015),
        ("On Tuesday 4 April 2017 Adult K was killed.", 2017),
        ("On the evening of 4 April 2017 Adult K was stabbed.", 2017),
        ("The homicide took place on 8 August 2018 at the flat.", 2018),
        ("The killing took place in 2011.", 2011),
        ("Adult K's death in October 2016 shocked her friends.", 2016),
        ("Adult K was found deceased on 2 June 2016.", 2016),
        ("Adult K's body was discovered on 2 June 2016.", 2016),
        ("Adult K (died 2.6.2016)", 2016),
        ("Date of death: 2.6.16", 2016),
        ("Name Relationship Age Date of death Adult K Victim 50 02/06/2016 Adult L Perpetrator 51", 2016),
        ("Officers went to the house on 3 May 2018. Adult K was pronounced dead soon after.", 2018),
    ],
)
def test_find_year_of_death_more_forms(text: str, expected: int) -> None:
    assert find_year_of_death(text) == expected


def test_relatives_deaths_do_not_outvote_the_victims() -> None:
    text = ("Adult K died in October 2020. Her mother died in 2009 and her brother was killed in 2012. "
            "Adult K's father died in 2015; the death of her father in 2015 changed her.")
    assert find_year_of_death(text, victim="Adult K") == 2020
    # the victim's statement outweighs two others
    text = "Adult K died in 2020. Someone died in 2014. A man was killed in 2014."
    assert find_year_of_death(text, victim="Adult K") == 2020
    # a relative who kills is not someone else's death
    assert find_year_of_death("On 3 May 2018 her son killed her at home.") == 2018
