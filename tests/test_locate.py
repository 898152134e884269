"""Stage 3, locate: contents-page traps, section ends, several sections."""

from __future__ import annotations

from pdfbuilder import build_pdf, filler

from extractor.clean import clean_document
from extractor.load import load_document
from extractor.locate import REC_HEADING, locate_sections


def sections_of(blocks):
    doc = clean_document(load_document(build_pdf(blocks), name="t.pdf"))
    return locate_sections(doc)


BODY = [("h1", "1. Introduction"), ("p", filler(12)), ("h1", "2. Analysis"), ("p", filler(12))]
RECS = [("h1", "3. Recommendations"), ("item", "3.1", "Northshire Police should review its policy."), ("h1", "4. Glossary"), ("p", "ICB Integrated Care Board")]


def test_dotted_leader_contents_page_is_skipped():
    toc = [("h1", "Contents"), ("toc", [("1. Introduction", 3), ("2. Analysis", 4), ("3. Recommendations", 5), ("4. Glossary", 6)]), ("pagebreak",)]
    found = sections_of(toc + BODY + RECS)
    assert [s.heading for s in found] == ["3. Recommendations"]
    assert found[0].start_page == 2


def test_heading_with_page_number_on_next_line_is_skipped():
    toc = [("h1", "Index")]
    for title, page in [("Introduction", 3), ("Analysis", 4), ("Recommendations", 5), ("Glossary", 6)]:
        toc += [("bold", title), ("p", str(page))]
    found = sections_of(toc + [("pagebreak",)] + BODY + RECS)
    assert [s.start_page for s in found] == [2]


def test_flattened_contents_line_and_bookmark_errors_are_skipped():
    flat = "Contents 1. Introduction 3 Details of the incident 3 The review 4 2. The Facts 9 Analysis 30 7. Recommendations 50 National 56 Appendix One 59"
    toc = [("h1", "Table of Contents"), ("p", flat), ("p", "5. Review process ........ Error! Bookmark not defined."), ("pagebreak",)]
    found = sections_of(toc + BODY + RECS)
    assert [s.start_page for s in found] == [2]


def test_section_ends_at_next_same_level_heading():
    found = sections_of(BODY + RECS)
    texts = [ln.text for ln in found[0].lines]
    assert texts == ["3.1 Northshire Police should review its policy."]


def test_subsections_stay_inside_the_section():
    blocks = BODY + [
        ("h1", "3. Recommendations"),
        ("h2", "3.1 Single agency recommendations"),
        ("bold", "Northshire Police"),
        ("item", "a.", "Review the policy."),
        ("h2", "3.2 Panel recommendations"),
        ("item", "a.", "The partnership should publish the review."),
        ("h1", "4. Glossary"),
    ]
    found = sections_of(blocks)
    assert len(found) == 1
    assert found[0].lines[-1].text.endswith("publish the review.")


def test_executive_summary_copy_is_classed():
    blocks = [("h1", "Executive Summary"), ("p", filler(3)), ("h2", "Recommendations"), ("item", "1.", "Northshire Police should act."), ("pagebreak",)] + BODY + RECS
    found = sections_of(blocks)
    assert [s.kind for s in found] == ["exec_summary", "main"]


def test_recommendations_inside_agency_chapters():
    blocks = [
        ("h1", "3. Northshire Police"),
        ("h2", "Analysis of involvement"),
        ("p", filler(4)),
        ("h2", "Recommendations"),
        ("item", "1.", "Review call handling."),
        ("h1", "4. Northshire Hospital NHS Foundation Trust"),
        ("h2", "Recommendations"),
        ("item", "1.", "Train triage staff."),
        ("h1", "5. Conclusions"),
        ("p", filler(3)),
    ]
    found = sections_of(blocks)
    assert [(s.kind, s.parent) for s in found] == [
        ("agency", "3. Northshire Police"),
        ("agency", "4. Northshire Hospital NHS Foundation Trust"),
    ]


def test_action_plan_appendix_is_its_own_kind():
    blocks = BODY + RECS + [("h1", "Appendix C: Action Plan"), ("table", [["Recommendation", "Lead agency"], ["Review the policy.", "Northshire Police"]], None)]
    assert [s.kind for s in sections_of(blocks)] == ["main", "action_plan"]


def test_heading_wording():
    for text in [
        "Recommendations", "9. Recommendations", "Conclusions and recommendations", "Executive summary and recommendations",
        "Summary Recommendations", "Chapter 8 – Recommendations", "Single agency recommendations", "RECOMMENDATIONS",
        "7 Overall analysis and recommendations", "Recommendations of the Review",
        # whose recommendations, what follows them, and other numberings
        "6. The Review Panel’s Recommendations", "Final Recommendations", "Overview Report Recommendations",
        "Independent Chair's Recommendations", "Home Office Recommendations", "6) Recommendations",
        "(6) Recommendations", "Recommendations and Lessons Learned", "Recommendations and learning",
        "Recommendations by Agency", "Appendix 1 – Recommendations", "Annex B: Recommendations",
    ]:
        assert REC_HEADING.match(text), text
    for text in ["Implementation of recommendations", "Key findings", "The panel recommends that", "Recommendations 15"]:
        m = REC_HEADING.match(text)
        assert not m or (m.group("suffix") or "").strip(), text


def test_recommendations_printed_only_in_an_appendix():
    blocks = BODY + [("h1", "3. Conclusions"), ("p", filler(4)), ("pagebreak",),
                     ("h1", "Appendix 1 – Recommendations"), ("item", "1", "Northshire Police should review its policy."),
                     ("h1", "Appendix 2 – Glossary"), ("p", "ICB Integrated Care Board")]
    found = sections_of(blocks)
    assert [(s.heading, s.kind) for s in found] == [("Appendix 1 – Recommendations", "appendix")]
    assert [line.text for line in found[0].lines][-1].endswith("review its policy.")


def test_an_appendix_copy_ends_the_main_section_and_ranks_below_it():
    blocks = BODY + RECS[:2] + [("pagebreak",), ("h1", "Appendix A – Recommendations"),
                                ("item", "1", "Northshire Police should review its policy.")]
    assert [s.kind for s in sections_of(blocks)] == ["main", "appendix"]
