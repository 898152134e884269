"""Recommendation tables drawn without vertical borders (``extractor.aligned``).

Word and LibreOffice tables are often printed with no borders, or with horizontal rules
only; their cells must not run together as lines of prose.
"""

from __future__ import annotations

from pdfbuilder import build_pdf, filler
from reportlab.lib import colors

import extractor
from extractor.aligned import aligned_tables

INTRO = [("h1", "Domestic Homicide Review"), ("p", "Report into the death of 'Adult K'."), ("pagebreak",),
         ("h1", "1. Introduction"), ("p", filler(10))]
RECS = [
    ("Westmere Police", "Westmere Police should record the names of all children present at a domestic incident."),
    ("Westmere Police", "Westmere Police should remind supervisors to check risk assessments made in the abuser's presence."),
    ("Westmere Integrated Care Board", "The Integrated Care Board should train GP surgeries to ask patients about abuse."),
    ("Westmere Borough Council", "Westmere Borough Council should ask about abuse at home in every homelessness assessment."),
]
NOGRID = [("NOGRID",)]
HLINES = [("NOGRID",), ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]


def run(table_block, after=(("h1", "3. Glossary"), ("p", "MARAC: multi-agency risk assessment conference."))):
    blocks = INTRO + [("h1", "2. Recommendations"), ("p", "The panel makes these recommendations."), table_block, *after]
    report = extractor.extract(build_pdf(blocks), name="t.pdf", settings={"ocr": "never"})
    assert report.error is None
    return report.recommendations


def test_borderless_table_with_ids_keeps_cells_apart():
    rows = [["No.", "Recommendation", "Lead agency", "Timescale"]]
    rows += [[str(i + 1), text, agency, "6 months"] for i, (agency, text) in enumerate(RECS)]
    recs = run(("table", rows, [40, 250, 110, 60], NOGRID))
    assert [r.id for r in recs] == ["1", "2", "3", "4"]
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


def test_horizontal_rules_only_split_rows_without_ids():
    rows = [["Recommendation", "Agency", "Target date"]] + [[text, agency, "March 2026"] for agency, text in RECS]
    recs = run(("table", rows, [260, 130, 70], HLINES))
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


def test_borderless_rows_without_ids_or_rules_split_at_the_padding():
    rows = [["Recommendation", "Lead agency"]] + [[text, agency] for agency, text in RECS]
    recs = run(("table", rows, [300, 140], NOGRID + [("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    assert [r.text for r in recs] == [text for _, text in RECS]
    assert [r.addressed_to_raw for r in recs] == [agency for agency, _ in RECS]


def test_borderless_table_over_two_pages_with_its_header_repeated():
    many = [(agency, f"{text[:-1]} within {k + 2} months.") for k in range(4) for agency, text in RECS]
    rows = [["No.", "Recommendation", "Lead agency"]] + [[str(i + 1), t, a] for i, (a, t) in enumerate(many)]
    recs = run(("table", rows, [40, 300, 120], NOGRID))
    assert [r.id for r in recs] == [str(i + 1) for i in range(len(many))]
    assert [r.text for r in recs] == [t for _, t in many]
    assert len({r.page for r in recs}) == 2


def test_borderless_table_of_panel_members_is_not_read_as_recommendations():
    panel = [["Name", "Role", "Organisation"], ["A. Author", "Independent chair", "Independent"],
             ["B. Member", "Detective inspector", "Westmere Police"]]
    blocks = INTRO + [("h1", "2. Recommendations"), ("item", "2.1", RECS[0][1]), ("item", "2.2", RECS[2][1]),
                      ("p", "The panel members were:"), ("table", panel, [120, 150, 150], NOGRID),
                      ("h1", "3. Glossary")]
    recs = extractor.extract(build_pdf(blocks), name="t.pdf", settings={"ocr": "never"}).recommendations
    assert [r.id for r in recs] == ["2.1", "2.2"]


# --------------------------------------------------------------------------- unit level
def _words(lines):
    """(x, top, text) lines → MuPDF-like words (x0, y0, x1, y1, text), 5 pt a letter."""
    out = []
    for x, top, text in lines:
        for word in text.split():
            out.append((x, top, x + 5 * len(word), top + 10, word))
            x += 5 * len(word) + 3
    return out


def test_two_column_prose_naming_recommendations_is_not_a_table():
    left = ["The recommendation made by the panel", "was accepted by every agency and the",
            "action plan was agreed in the spring."]
    right = ["Each agency reported its progress to", "the partnership, which checked that",
             "the recommendations were carried out."]
    lines = [(60, 100 + 13 * i, t) for i, t in enumerate(left)] + [(320, 100 + 13 * i, t) for i, t in enumerate(right)]
    assert aligned_tables(_words(lines), [], 1, 842.0) == ([], None)


def test_a_header_like_line_over_running_text_is_not_a_table():
    lines = [(60, 100, "Recommendation"), (300, 100, "Agency"),
             (60, 126, "The panel considered the agencies' contact with the family and found that the"),
             (60, 139, "risk was not shared between them at the time it was first recognised by the police.")]
    assert aligned_tables(_words(lines), [], 1, 842.0) == ([], None)


def test_contents_page_is_not_a_table():
    lines = [(60, 100, "Contents"), (60, 126, "8. Recommendations"), (500, 126, "24"),
             (60, 139, "Appendix A: Action plan"), (500, 139, "26"), (60, 152, "Appendix B: Agency"), (500, 152, "30")]
    assert aligned_tables(_words(lines), [], 1, 842.0) == ([], None)


def test_summary_of_counts_under_recommendations_is_not_a_table():
    lines = [(60, 100, "Agency"), (300, 100, "Number of recommendations"),
             (60, 126, "Westmere Police"), (300, 126, "3"), (60, 150, "Westmere Council"), (300, 150, "2")]
    assert aligned_tables(_words(lines), [], 1, 842.0) == ([], None)


def _table_page(top, rows, header=True):
    """Words of a borderless No. | Recommendation | Lead agency table, 13 pt a line."""
    lines = [(60, top, "No."), (100, top, "Recommendation"), (400, top, "Lead agency")] if header else []
    y = top + 24 if header else top
    for rid, text_lines, agency in rows:
        if rid:
            lines.append((60, y, rid))
        if agency:
            lines.append((400, y, agency))
        for k, text in enumerate(text_lines):
            lines.append((100, y + 13 * k, text))
        y += 13 * len(text_lines) + 10
    return _words(lines)


def test_rows_on_the_next_page_without_the_header_continue_the_table():
    first = _table_page(600, [("1", ["The council should train its staff in", "routine enquiry about abuse."], "Westmere Council"),
                              ("2", ["The police should audit its risk", "assessments each year and"], "Westmere Police")])
    tables, layout = aligned_tables(first, [], 1, 842.0)
    assert [len(t.rows) for t in tables] == [3] and layout is not None
    furniture = _words([(60, 40, "OFFICIAL"), (420, 40, "Westmere DHR")])
    second = furniture + _table_page(80, [("", ["publish the results to the partnership."], ""),
                                          ("3", ["The trust should record who attends", "appointments with patients."],
                                           "Westmere Trust")], header=False)
    tables, _ = aligned_tables(second, [], 2, 842.0, carried=layout)
    assert len(tables) == 1
    cells = [[c.text.replace("\n", " ") if c else None for c in row] for row in tables[0].rows]
    assert cells == [["", "publish the results to the partnership.", ""],
                     ["3", "The trust should record who attends appointments with patients.", "Westmere Trust"]]
