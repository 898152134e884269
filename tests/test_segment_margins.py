"""Segmenting lines whose layout varies inside one section: lists at different indents,
and styled subheadings that are themes rather than agencies."""

from __future__ import annotations

from extractor.models import Line, Section
from extractor.segment import _could_be_a_name, _names_an_agency, segment_lines

SECTION = Section(heading="Recommendations", start_page=1, end_page=2, lines=(), kind="main")


def _line(text: str, page: int, x: float, top: float, *, size: float = 10.0, bold: bool = False) -> Line:
    return Line(text, page, (x, top, x + 400.0, top + 12.0), size, bold, False, "Arial")


def test_a_bullet_list_set_left_of_the_sections_usual_bullets_keeps_its_wrapped_lines() -> None:
    """Most bullets sit at x=104 (page 2); a list on page 1 sits at x=53 with its lines
    hanging at x=64. Its wrapped lines belong to its bullets, not after them."""
    lines = [
        _line("• Agencies should offer testing to everyone at ongoing risk of harm", 1, 53, 100),
        _line("who has been referred more than once.", 1, 64.4, 114),
        _line("• The service should offer treatment without delay to people with", 1, 53, 128),
        _line("a recent diagnosis and an ongoing risk.", 1, 64.4, 142),
    ]
    lines += [_line(f"• The trust should review pathway {k} every year.", 2, 104, 100 + 14 * k) for k in range(5)]
    rows = segment_lines(lines, SECTION)
    assert [r.text for r in rows[:2]] == [
        "Agencies should offer testing to everyone at ongoing risk of harm who has been referred more than once.",
        "The service should offer treatment without delay to people with a recent diagnosis and an ongoing risk.",
    ]
    assert len(rows) == 7


def test_theme_subheadings_are_not_agency_names() -> None:
    assert _names_an_agency("Kent Police") and _names_an_agency("Recommendations for the Probation Service")
    assert not _names_an_agency("Simplified service delivery")
    assert _could_be_a_name("Change Grow Live") and not _could_be_a_name("Detection of")


def test_a_small_print_list_of_sources_after_the_recommendations_is_not_rows() -> None:
    big = [
        "1. Northshire Police should review its guidance on voluntary interviews.",
        "2. The trust should offer every patient who discloses abuse a referral to the IDVA.",
        "3. The partnership should seek assurance that partners have a workplace policy.",
    ]
    small = ["1. Home Office statutory guidance for domestic homicide reviews, 2016, section 4.",
             "2. Home Office statutory guidance for domestic homicide reviews, 2016, section 5."]
    lines = [_line(t, 1, 72, 100 + 30 * i, size=11.0) for i, t in enumerate(big)]
    lines += [_line(t, 1, 72, 220 + 14 * i, size=8.0) for i, t in enumerate(small)]
    rows = segment_lines(lines, SECTION)
    assert [r.id for r in rows] == ["1", "2", "3"]
    # set in the same size, the same lines are rows: size alone does not make notes
    same = [_line(t, 1, 72, 100 + 30 * i, size=11.0) for i, t in enumerate(big + small)]
    assert len(segment_lines(same, SECTION)) == 5
