"""Dates in the metadata: the year of death told by a holiday or a season, and the
publication date in the forms covers and version tables print it."""

from __future__ import annotations

import pytest

from extractor.metadata import extract_metadata, find_report_date, find_year_of_death
from extractor.models import Document, Line, Page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Adult A died on Christmas Day 2017 at her home.", 2017),
        ("On Boxing Day 2019, Adult A was killed by her partner.", 2019),
        ("Adult A was killed on New Year's Eve 2020 by her former husband.", 2020),
        ("Adult A was found dead on New Year’s Day 2021 by her daughter.", 2021),
        ("Adult A was murdered by her husband on Easter Sunday 2018.", 2018),
        ("Adult A was killed at her home on Valentine's Day 2018.", 2018),
        ("Adult A, who was born in 1961, lost her life on Boxing Day 2015.", 2015),
        ("Adult A died in Spring 2020 at her home.", 2020),
        ("Adult A died during the winter of 2016.", 2016),
        ("Adult A died on the 3rd of March 2019 at her home.", 2019),
        ("Adult A died on 3 March, 2019 at her home.", 2019),
        ("Following the death of Adult A on 3 March 2019, the partnership commissioned this review.", 2019),
        ("Adult A was stabbed to death by her partner on 4 March 2019.", 2019),
        ("Date of death: 2019-03-04. Adult A was 43.", 2019),
    ],
)
def test_year_of_death_told_by_a_holiday_season_or_long_date(text: str, expected: int) -> None:
    assert find_year_of_death(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a birth on a holiday is not the death
        ("Adult A was born on Christmas Day 1980. She died in the summer of 2019.", 2019),
        # a relative's death on a holiday is someone else's
        ("Adult A's father died on Christmas Day 2010. Adult A died in April 2019.", 2019),
        # the date before an undated "pronounced dead" is used, but never a birth date
        ("Adult A (born 12 May 1980) was pronounced dead at the scene.", None),
        ("On 4 March 2019 police were called to the home of Adult A. Adult A was pronounced dead at the scene.", 2019),
        # other events only: no year rather than a wrong one
        ("Adult B was sentenced in October 2020. Adult A's mother died in 2011. The review began in May 2020.", None),
        ("Christmas Day 2017 was the last time the family saw the perpetrator.", None),
        # the death of X, then a birth or another event's date (coroners' and reviews' stock phrasing)
        ("An investigation began into the death of Jane Doe, born on 27 May 1990.", None),
        ("The inquest into the death of Jane Doe was concluded on 15 April 2021.", None),
        ("Sadly, the death of Mrs M was certified at the hospital on the 11 February 2024.", 2024),
        # a relative's death at the start of a sentence is someone else's too
        ("Her mother died in 2016. Adult A was killed in 2019.", 2019),
        # a partner who kills is the perpetrator, not a relative who died
        ("On 3 May 2019 her husband fatally stabbed her.", 2019),
        ("Adult A's husband killed her in May 2019.", 2019),
    ],
)
def test_year_of_death_ignores_other_events(text: str, expected: int | None) -> None:
    assert find_year_of_death(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: 2021", "2021"),
        ("Final version – Published 2021", "2021"),
        ("Date of publication: 03/2021", "2021-03"),
        ("Final report 06/2021", "2021-06"),
        ("Spring 2020", "2020"),
        ("Published March 2021", "2021-03"),
        # a month of the same year is more precise than the year alone
        ("Published: 2021\nFinal version 14/06/2021", "2021-06"),
        # a version table: the final row is the latest
        ("Version Date Status\n0.1 12/01/2020 First draft\n1.0 14/01/2021 Final version – Published", "2021-01"),
        # a year that is a reference, a version number or before its cue is no date
        ("Final report DHR 2019", None),
        ("NCCN Guidelines Version 2.2020", None),
        ("Regional Review, 1998 (date of estimate not reported in source)", None),
        ("Report prepared by Jo Bloggs, 2020", None),
        ("Northtown 03/2021", None),  # month/year only where the line says it is a date
        ("Published by Northtown Borough Council 2021", "2021"),
        # a birth date in a key-people table on page 2 is never the report's date
        ("Date of birth: 1985", None),
        ("Adult A, DOB 12/03/1985", None),
    ],
)
def test_find_report_date_coarse_forms(text: str, expected: str | None) -> None:
    assert find_report_date(text) == expected


def test_published_year_on_the_cover_beats_the_file_date() -> None:
    pages = ("Domestic Homicide Review into the death of Adult A\nNorthtown Community Safety Partnership\nPublished: 2021",
             "1. Introduction\nAdult A died on Boxing Day 2019 at her home.")
    built = tuple(Page(n, 595, 842, tuple(Line(t, n, (0, 0, 1, 1)) for t in text.split("\n")))
                  for n, text in enumerate(pages, start=1))
    meta = extract_metadata(Document("t.pdf", "0" * 64, 2, built, {"creationDate": "D:20221015120000"}))
    assert (meta.published, meta.sources["published"], meta.year_of_death) == ("2021", "pdf:cover", 2019)
