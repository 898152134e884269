"""Which rows of a recommendations table are recommendations: themes, repeats, glyphs.

Each test builds an invented report whose table once gave wrong rows.
"""

from __future__ import annotations

import pytest
from pdfbuilder import build_pdf, filler

import extractor

INTRO = [("h1", "Domestic Homicide Review"), ("p", "Report into the death of 'Adult P'."), ("pagebreak",),
         ("h1", "1. Introduction"), ("p", filler(8))]
RECS = [
    ("Eastvale Police", "Eastvale Police should note the names of all adults present when it attends a call."),
    ("Eastvale Borough Council", "The council should send each homelessness applicant details of local abuse services."),
    ("Eastvale Health Trust", "The trust should remind midwives to see each expectant mother alone at least once."),
    ("Eastvale Probation Service", "The Probation Service should share release dates with the victim's support worker."),
]


def _extract(table: tuple) -> list[extractor.Recommendation]:
    blocks = INTRO + [("h1", "2. Recommendations"), ("p", "The panel makes these recommendations."),
                      table, ("h1", "3. Glossary"), ("p", "MARAC: a risk conference.")]
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    assert report.error is None
    return report.recommendations


@pytest.mark.parametrize("spanned", [True, False])
def test_untitled_theme_rows_when_the_text_column_comes_first(spanned: bool) -> None:
    themes = {0: "Recording and sharing", 2: "Health and justice"}
    rows: list[list[str | None]] = [["Recommendation", "Lead agency", "Target date"]]
    spans = []
    for i, (agency, text) in enumerate(RECS):
        if i in themes:
            rows.append([themes[i], None if spanned else "", None if spanned else ""])
            if spanned:
                spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        rows.append([f"{i + 1}. {text}", agency, "April 2026"])
    recs = _extract(("table", rows, [290, 110, 60], spans))
    assert [r.id for r in recs] == ["1", "2", "3", "4"]
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


def test_a_full_width_recommendation_row_is_still_a_recommendation() -> None:
    # a sentence spanning the table is a recommendation, not a theme title
    rows = [["Recommendation", "Lead agency", "Target date"],
            [f"1. {RECS[0][1]}", RECS[0][0], "May 2026"],
            [f"2. {RECS[1][1]}", None, None],
            [f"3. {RECS[2][1]}", RECS[2][0], "May 2026"]]
    recs = _extract(("table", rows, [290, 110, 60], [("SPAN", (0, 2), (-1, 2))]))
    assert [r.id for r in recs] == ["1", "2", "3"]


def test_action_rows_that_repeat_their_recommendation_give_one_row() -> None:
    header = ["Recommendation", "Scope", "Action to take", "Lead agency", "Target date"]
    first, second = f"1. {RECS[0][1]}", f"2. {RECS[1][1]}"
    rows = [header,
            [first, "Local", "Brief the call handlers", RECS[0][0], "June 2026"],
            [first, "Local", "Add a field to the incident form", RECS[0][0], "June 2026"],
            [second, "Local", "Write to each applicant", RECS[1][0], "July 2026"],
            [second, "Local", "Publish the service list online", "Eastvale Housing Association", "July 2026"]]
    recs = _extract(("table", rows, [150, 45, 110, 90, 55]))
    assert [r.id for r in recs] == ["1", "2"]
    assert [r.text for r in recs] == [RECS[0][1], RECS[1][1]]
    assert recs[0].addressed_to_raw == RECS[0][0]
    assert recs[1].addressed_to_raw == f"{RECS[1][0]}; Eastvale Housing Association"


def test_unnumbered_rows_sharing_a_wording_for_different_agencies_stay_apart() -> None:
    wording = "The agency should nominate a domestic abuse lead for its front-line staff."
    rows = [["Recommendation", "Lead agency"], [wording, RECS[0][0]], [wording, RECS[1][0]], [RECS[2][1], RECS[2][0]]]
    recs = _extract(("table", rows, [300, 150]))
    assert [r.addressed_to_raw for r in recs] == [RECS[0][0], RECS[1][0], RECS[2][0]]


def test_word_symbol_font_bullets_are_dropped_inside_cells() -> None:
    # Word prints list bullets in the Symbol font as U+F0B7, which a cell must drop as
    # the page lines do
    from extractor.models import Section, Table, TableCell
    from extractor.tables import rows_from_tables

    def cell(text: str, x: float) -> TableCell:
        return TableCell(text=text, bbox=(x, 100.0, x + 100.0, 140.0))

    table = Table(page=3, bbox=(0.0, 80.0, 300.0, 140.0), rows=(
        (cell("No.", 0), cell("Recommendation", 100), cell("Agency", 200)),
        (cell("1", 0), cell("The council should:\n\uf0b7 train its officers;\n\uf0b7 record the answer.", 100),
         cell("Eastvale Borough Council", 200)),
    ))
    section = Section(heading="2. Recommendations", start_page=3, end_page=3)
    rows = rows_from_tables([table], section)
    assert [r.text for r in rows] == ["The council should: train its officers; record the answer."]


def _table_then_next_page(after: list[tuple]) -> list[extractor.Recommendation]:
    long = [f"{text} {filler(4)}" for _, text in RECS]
    rows = [["No.", "Recommendation", "Agency"]] + [[str(i), t, a] for i, (t, (a, _)) in enumerate(zip(long, RECS), 1)]
    blocks = INTRO + [("h1", "2. Recommendations"), ("p", "The panel makes these recommendations."),
                      ("table", rows, [35, 290, 125]), ("pagebreak",), *after, ("h1", "3. Glossary"), ("p", "IDVA: an adviser.")]
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    assert report.error is None
    assert [r.text for r in report.recommendations] == long
    return report.recommendations


ACTIONS = [["Agency", "Action already completed", "Status"], ["Eastvale Police", "Briefing issued to call handlers", "Complete"],
           ["Eastvale Borough Council", "Referral form amended", "Complete"]]


def test_a_new_table_under_a_heading_on_the_next_page_is_not_a_continuation() -> None:
    recs = _table_then_next_page([("h2", "Actions already taken by agencies"),
                                  ("p", "Agencies told the panel about the changes below."), ("table", ACTIONS, [150, 200, 100])])
    assert len(recs) == 4


def test_a_new_table_with_its_own_titles_at_the_top_of_the_next_page_is_not_a_continuation() -> None:
    recs = _table_then_next_page([("table", ACTIONS, [150, 200, 100])])
    assert len(recs) == 4


def _line(text: str, page: int, x: float, top: float) -> object:
    from extractor.models import Line

    return Line(text=text, page=page, bbox=(x, top, x + 150.0, top + 10.0), size=10.0)


def test_page_after_a_table_that_reaches_the_page_bottom_is_read_for_tables() -> None:
    # the tail of a row broken by the page sits alone in one column on the next page
    from extractor.models import Section
    from extractor.tables import likely_table_pages

    lines = [_line("Intro paragraph.", 3, 70, 80)]
    for k, top in enumerate(range(100, 760, 60)):
        lines += [_line(str(k + 1), 3, 70, top), _line("Text of the recommendation", 3, 110, top),
                  _line("Eastvale Police", 3, 400, top), _line("which wraps here", 3, 110, top + 12)]
    lines += [_line("tail of the last recommendation", 4, 110, 90), _line("which ends here.", 4, 110, 102)]
    section = Section(heading="2. Recommendations", start_page=3, end_page=4, lines=tuple(lines))
    assert likely_table_pages([section]) == [3, 4]


def test_page_after_a_table_followed_by_text_is_not_read_for_tables() -> None:
    from extractor.models import Section
    from extractor.tables import likely_table_pages

    lines = [_line("1", 3, 70, 100), _line("Text", 3, 110, 100), _line("Police", 3, 400, 100),
             _line("2", 3, 70, 130), _line("Text", 3, 110, 130), _line("Council", 3, 400, 130)]
    lines += [_line("A paragraph after the table.", 3, 70, 160)]
    lines += [_line(f"Narrative line {k}.", 4, 70, top) for k, top in enumerate(range(80, 760, 14))]
    section = Section(heading="2. Recommendations", start_page=3, end_page=4, lines=tuple(lines))
    assert likely_table_pages([section]) == [3]


def test_one_key_value_box_per_recommendation() -> None:
    blocks = INTRO + [("h1", "2. Recommendations"), ("p", "The panel makes these recommendations.")]
    for i, (agency, text) in enumerate(RECS[:3], 1):
        box = [[f"Recommendation {i}", text], ["Agency", agency], ["Timescale", "Within nine months"]]
        blocks.append(("table", box, [110, 340]))
    blocks += [("h1", "3. Glossary"), ("p", "MARAC: a risk conference.")]
    report = extractor.extract(build_pdf(blocks), name="t.pdf")
    recs = report.recommendations
    assert [r.id for r in recs] == ["Recommendation 1", "Recommendation 2", "Recommendation 3"]
    assert [r.text for r in recs] == [text for _, text in RECS[:3]]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS[:3]]


def test_a_two_column_recommendations_table_is_not_a_key_value_box() -> None:
    rows = [["Recommendation", "Agency"]] + [[text, agency] for agency, text in RECS[:3]]
    recs = _extract(("table", rows, [300, 150]))
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS[:3]]
