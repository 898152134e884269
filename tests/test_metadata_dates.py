"""Dates in the metadata: the year of death told by a holiday or a season, and the
publication date in the forms covers and version tables print it."""

from __future__ import annotations

import pytest

from extractor.metadata import find_year_of_death


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
    ],
)
def test_year_of_death_ignores_other_events(text: str, expected: int | None) -> None:
    assert find_year_of_death(text) == expected
