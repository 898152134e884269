"""Layouts found by the fourth probe round (whole Word-made reports): each test builds a
small PDF at test time with its own wording and pins one structure the extractor got
wrong before.
"""

from __future__ import annotations

from pdfbuilder import build_pdf, filler

import extractor

INTRO = [
    ("h1", "Domestic Homicide Review"),
    ("p", "Report into the death of 'Adult M'. Eastmoor Community Safety Partnership."),
    ("pagebreak",),
    ("h1", "1. Introduction"),
    ("item", "1.1", filler(4)),
    ("item", "1.2", filler(4)),
]


def run(source: bytes):
    report = extractor.extract(source, name="probe.pdf", settings={"ocr": "never"})
    assert report.error is None, report.error
    return report


def ids(report) -> list[str | None]:
    return [r.id for r in report.recommendations]


def test_letter_prefixed_ids_name_their_list():
    """'OR1' (overview) and 'SA2.1' (single agency) ids, and 'R1.1' under themes."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("h2", "Overview recommendations"),
        ("item", "OR1", "The partnership should publish a plain-language guide to its domestic abuse services."),
        ("item", "OR2", "The partnership should ask every member to confirm its staff policy covers disclosure at work."),
        ("h2", "Single agency recommendations"),
        ("bold", "Eastmoor Police"),
        ("item", "SA1.1", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("bold", "Eastmoor County Council"),
        ("item", "SA2.1", "Eastmoor County Council should share violence histories with housing providers at allocation."),
        ("item", "SA2.2", "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."),
        ("h2", "Themes"),
        ("item", "R1.1", "The trust should document a discussion of risk to others before every discharge."),
        ("item", "DHR 3", "The Home Office should consider guidance on reviews of abuse by adult children."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["OR1", "OR2", "SA1.1", "SA2.1", "SA2.2", "R1.1", "DHR 3"]
    texts = [r.text for r in report.recommendations]
    assert texts[0].startswith("The partnership should publish")
    assert texts[5].startswith("The trust should document")  # not "1 The trust …"
    assert report.recommendations[2].addressed_to_raw == "Eastmoor Police"


def _canvas_pdf(pages: list[list[tuple[float, float, str, str]]]) -> bytes:
    """PDF from (x, y-from-top, font size, font, text) lines drawn where they are given."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for number, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, A4[1] - 36, "Eastmoor DHR - Overview Report - OFFICIAL")
        c.drawCentredString(A4[0] / 2, 30, f"Page {number} of {len(pages)}")
        for x, top, size, font, text in lines:
            c.setFont(font, size)
            c.drawString(x, A4[1] - top - size, text)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _paragraph(x: float, top: float, lines: list[str], size: float = 11) -> list[tuple]:
    return [(x, top + k * size * 1.3, size, "Helvetica", t) for k, t in enumerate(lines)]


def test_footnote_between_the_halves_of_a_recommendation_is_not_its_text():
    """A footnote printed at the foot of the page a recommendation breaks over."""
    body = [filler(1)[:80], filler(1)[:80], filler(1)[:80]]
    intro = [(72, 80, 16, "Helvetica-Bold", "Domestic Homicide Review"), *_paragraph(72, 110, body)]
    page2 = [(72, 80, 16, "Helvetica-Bold", "3. Recommendations"),
             *_paragraph(72, 110, body * 10),
             (72, 560, 11, "Helvetica-Bold", "Recommendation 1"),
             *_paragraph(72, 580, ["Eastmoor Police should audit a sample of stalking reports each",
                                   "quarter for the full history of contact. The audit should"]),
             (72, 700, 8, "Helvetica", "1 College of Policing, guidance on domestic abuse, 2022 revision."),
             (72, 711, 8, "Helvetica", "2 See also the panel's terms of reference at Appendix B.")]
    page3 = [*_paragraph(72, 80, ["compare call records with officers' notes and report any gaps."]),
             (72, 120, 11, "Helvetica-Bold", "Recommendation 2"),
             *_paragraph(72, 140, ["Eastmoor County Council should repeat a declined carer's assessment offer."]),
             (72, 200, 16, "Helvetica-Bold", "4. Glossary"),
             *_paragraph(72, 230, ["ICB Integrated Care Board"])]
    report = run(_canvas_pdf([intro, page2, page3]))
    assert ids(report) == ["Recommendation 1", "Recommendation 2"]
    assert report.recommendations[0].text == (
        "Eastmoor Police should audit a sample of stalking reports each quarter for the full history of "
        "contact. The audit should compare call records with officers' notes and report any gaps.")


def test_paragraph_after_unpunctuated_bullets_is_not_the_last_bullet():
    """SAR shape: agency-first bullets with no full stops, then a closing paragraph."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("p", "The Safeguarding Adults Board agreed the following recommendations:"),
        ("bullet", "Eastmoor Police ensure all call handlers can see the previous incidents at an address when a new call comes in"),
        ("bullet", "The Probation Service ensure information on people released on licence is shared promptly after an arrest"),
        ("bullet", "Eastmoor County Council ensure the capacity of family carers to contribute to a safety plan is assessed"),
        ("p", "Action has been taken to address these recommendations and the Board will monitor progress through its learning subgroup."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == [None, None, None]
    assert report.recommendations[2].text.endswith("to a safety plan is assessed")


def test_paragraph_at_the_bullet_margin_after_a_gap_ends_the_list():
    """Word's bullets: the glyph sits at the body margin and wrapped lines hang right of it."""
    body = [filler(1)[:80]] * 3
    page1 = [(72, 80, 16, "Helvetica-Bold", "Domestic Homicide Review"), *_paragraph(72, 110, body)]
    page2 = [(72, 80, 16, "Helvetica-Bold", "3. Recommendations"),
             *_paragraph(72, 110, ["The Board agreed the following recommendations:"]),
             (72, 140, 11, "Helvetica", "\u2022     Eastmoor Police ensure all call handlers can see previous incidents at"),
             (90, 154.3, 11, "Helvetica", "an address when a new call is received"),
             (72, 168.6, 11, "Helvetica", "\u2022     Eastmoor County Council ensure the capacity of family carers to"),
             (90, 182.9, 11, "Helvetica", "contribute to a safety plan is assessed"),
             *_paragraph(72, 212, ["Action has been taken on these recommendations and the Board will monitor",
                                   "progress through its learning subgroup."]),
             (72, 300, 16, "Helvetica-Bold", "4. Glossary"),
             *_paragraph(72, 330, ["ICB Integrated Care Board"])]
    report = run(_canvas_pdf([page1, page2]))
    assert ids(report) == [None, None]
    assert report.recommendations[1].text.endswith("contribute to a safety plan is assessed")


def test_numbered_lead_in_over_a_lettered_list_numbers_the_list():
    """'2.1 The panel recommends that:' then (i) … (iii): three recommendations, not one."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("item", "2.1", "The panel recommends that:"),
        ("item", "(i)", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("item", "(ii)", "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."),
        ("item", "(iii)", "The partnership should publish a plain-language guide to its domestic abuse services."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["2.1 i", "2.1 ii", "2.1 iii"]
    assert report.recommendations[1].text.startswith("Eastmoor County Council should repeat")
    assert report.recommendations[0].addressed_to_raw == "Eastmoor Police"


def test_lower_case_sub_points_under_word_o_bullets_lose_the_glyph():
    """Word's second-level bullet prints as a letter 'o'; lower-case sub-points follow it."""
    body = [filler(1)[:80]] * 3
    page1 = [(72, 80, 16, "Helvetica-Bold", "Domestic Homicide Review"), *_paragraph(72, 110, body)]
    page2 = [(72, 80, 16, "Helvetica-Bold", "3. Recommendations"),
             (72, 110, 11, "Helvetica", "1.   Eastmoor Police should audit stalking reports for the history of contact."),
             (72, 135, 11, "Helvetica", "2.   Eastmoor County Council should update its carers' guidance to include:"),
             (90, 155, 11, "Helvetica", "o   a private conversation with the carer"),
             (90, 170, 11, "Helvetica", "o   a record of any refusal and its reasons"),
             (72, 195, 11, "Helvetica", "3.   The partnership should publish a guide to its domestic abuse services."),
             (72, 260, 16, "Helvetica-Bold", "4. Glossary"),
             *_paragraph(72, 290, ["ICB Integrated Care Board"])]
    report = run(_canvas_pdf([page1, page2]))
    assert ids(report) == ["1", "2", "3"]
    assert report.recommendations[1].text == (
        "Eastmoor County Council should update its carers' guidance to include: "
        "a private conversation with the carer a record of any refusal and its reasons")


def test_generic_agencies_field_after_a_recommendation_is_not_its_text():
    """'Agencies: all Board partners' under each label-numbered recommendation."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("bold", "Recommendation 1"),
        ("p", "The Safeguarding Adults Board should publish a briefing on self-neglect and domestic abuse."),
        ("p", "Agencies: all Board partners"),
        ("bold", "Recommendation 2"),
        ("p", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("p", "Agencies: all Board partners"),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["Recommendation 1", "Recommendation 2"]
    assert report.recommendations[0].text.endswith("self-neglect and domestic abuse.")
    assert report.recommendations[0].addressed_to_raw == "Safeguarding Adults Board"
    assert report.recommendations[1].addressed_to_raw == "Eastmoor Police"


def test_boxed_label_recommendations_end_where_the_narrative_resumes():
    """Each recommendation in a small-print box ('Recommendation N' / text / 'Agency: …')
    with unnumbered narrative paragraphs between the boxes."""
    blocks = INTRO + [("h1", "2. Recommendations")]
    texts = ["Eastmoor Police should audit stalking reports each quarter for the full history of contact.",
             "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."]
    for k, text in enumerate(texts, 1):
        blocks += [("p", filler(3)), ("table", [[f"Recommendation {k}"], [text], ["Agency: Eastmoor Police"]], None)]
    blocks += [("p", filler(3)), ("h1", "3. Glossary"), ("p", "ICB Integrated Care Board")]
    report = run(build_pdf(blocks))
    assert ids(report) == ["Recommendation 1", "Recommendation 2"]
    assert [r.text for r in report.recommendations] == texts


def test_box_title_repeated_on_the_next_page_continues_the_recommendation():
    body = [filler(1)[:80]] * 3
    page1 = [(72, 80, 16, "Helvetica-Bold", "Domestic Homicide Review"), *_paragraph(72, 110, body)]
    page2 = [(72, 80, 16, "Helvetica-Bold", "3. Recommendations"),
             (72, 110, 10, "Helvetica-Bold", "Recommendation 1"),
             *_paragraph(72, 125, ["Eastmoor Police should audit stalking reports for the history of contact."], 10),
             (72, 150, 10, "Helvetica", "Agency: Eastmoor Police"),
             *_paragraph(72, 180, body * 2),
             (72, 700, 10, "Helvetica-Bold", "Recommendation 2"),
             *_paragraph(72, 715, ["Eastmoor County Council should repeat a declined carer's assessment offer",
                                   "at the next review of the care plan."], 10)]
    page3 = [(72, 80, 10, "Helvetica-Bold", "Recommendation 2"),
             (72, 95, 10, "Helvetica", "Agency: Eastmoor County Council"),
             *_paragraph(72, 130, body),
             (72, 200, 16, "Helvetica-Bold", "4. Glossary"),
             *_paragraph(72, 230, ["ICB Integrated Care Board"])]
    report = run(_canvas_pdf([page1, page2, page3]))
    assert ids(report) == ["Recommendation 1", "Recommendation 2"]
    assert report.recommendations[1].text == (
        "Eastmoor County Council should repeat a declined carer's assessment offer at the next review of the care plan.")
    assert report.recommendations[1].addressed_to_raw == "Eastmoor County Council"


def test_recommendations_printed_in_bold_are_not_headings():
    """Short bold numbered recommendations, one without a full stop, under a numbered chapter."""
    texts = ["Eastmoor Police should refresh stalking training for all call handlers.",
             "The ICB should issue guidance on recording third-party disclosures",
             "Eastmoor County Council should audit declined carers' assessments annually."]
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("p", "The panel makes three recommendations."),
        *[("item", f"<b>{k}.</b>", f"<b>{t}</b>") for k, t in enumerate(texts, 1)],
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["1", "2", "3"]
    assert [r.text for r in report.recommendations] == texts


def test_chapter_running_header_is_neither_heading_nor_text():
    """Word STYLEREF-style headers: 'RECOMMENDATIONS' in the top margin of the chapter's
    pages and 'APPENDICES' on the next part's first page."""
    body = [filler(1)[:80]] * 3
    text1 = ["Eastmoor Police should audit a sample of stalking reports each quarter to",
             "confirm that officers considered the full history of contact between the",
             "parties and report the findings to the partnership."]
    page1 = [(72, 80, 16, "Helvetica-Bold", "Domestic Homicide Review"), *_paragraph(72, 110, body)]
    page2 = [(72, 30, 9, "Helvetica", "RECOMMENDATIONS"),
             (72, 80, 16, "Helvetica-Bold", "3. Recommendations"),
             *_paragraph(72, 110, body * 12),
             (72, 700, 11, "Helvetica", "3.1  " + text1[0]),
             *_paragraph(72, 714.3, text1[1:2])]
    page3 = [(72, 30, 9, "Helvetica", "RECOMMENDATIONS"),
             *_paragraph(72, 80, text1[2:]),
             (72, 110, 11, "Helvetica", "3.2  Eastmoor County Council should repeat a declined carer's assessment offer."),
             ]
    page4 = [(72, 30, 9, "Helvetica", "APPENDICES"),
             (72, 80, 16, "Helvetica-Bold", "Appendix A - Glossary"),
             *_paragraph(72, 110, ["ICB Integrated Care Board"])]
    report = run(_canvas_pdf([page1, page2, page3, page4]))
    assert [s.heading for s in report.sections] == ["3. Recommendations"]
    assert ids(report) == ["3.1", "3.2"]
    assert report.recommendations[0].text == " ".join(text1)
    assert report.recommendations[1].text.endswith("assessment offer.")


def test_numbered_context_paragraphs_opening_the_chapter_are_not_recommendations():
    """'2.1 … 2.4' narrative, then '2.5 … 2.7' recommendations, one numbering throughout."""
    context = ["The panel examined how the agencies worked together over the three years before the homicide.",
               "Records held by the housing provider were incomplete and the chronology was assembled from several systems.",
               "Practitioners described a busy service in which information was not always passed on promptly.",
               "Family members contributed their recollections and the panel is grateful for their help."]
    recs = ["Eastmoor Police should audit stalking reports each quarter for the full history of contact.",
            "Remind GP practices to ask about abuse when a patient attends twice with injuries.",
            "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."]
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        *[("item", f"2.{k}", t) for k, t in enumerate(context + recs, 1)],
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["2.5", "2.6", "2.7"]
    assert [r.text for r in report.recommendations] == recs


def test_agency_without_an_agency_word_is_named_even_before_the_others():
    """'Refuge' and 'Change Grow Live' as the first agency subheadings, imperative items."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("p", "Single agency recommendations are listed under each agency."),
        ("bold", "Refuge"),
        ("item", "1.", "Review the case closure policy so that a high-risk client is not closed after unanswered calls."),
        ("bold", "Change Grow Live"),
        ("item", "1.", "Include the partner's safety in every review of a recovery plan."),
        ("bold", "Eastmoor Police"),
        ("item", "1.", "Remind officers to record the views of children present at domestic incidents."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["1", "1", "1"]
    assert [r.addressed_to_raw for r in report.recommendations] == ["Refuge", "Change Grow Live", "Eastmoor Police"]


def test_agency_lists_after_numbered_context_paragraphs_keep_their_own_numbers():
    """'2.1 … 2.3' context paragraphs, then agency subheadings each with a '1.', '2.' list."""
    context = ["The panel examined how the agencies worked together before the homicide.",
               "Records held by the housing provider were incomplete in places.",
               "The review heard that interpreters were not routinely offered."]
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        *[("item", f"2.{k}", t) for k, t in enumerate(context, 1)],
        ("bold", "Eastmoor Police"),
        ("item", "1.", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("item", "2.", "Eastmoor Police should record the views of children present at domestic incidents."),
        ("bold", "Eastmoor County Council"),
        ("item", "1.", "Eastmoor County Council should repeat a declined carer's assessment offer at the next review."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["1", "2", "1"]
    assert [r.addressed_to_raw for r in report.recommendations] == ["Eastmoor Police", "Eastmoor Police", "Eastmoor County Council"]


def test_theme_subheadings_do_not_overrule_the_addressee_a_recommendation_names():
    """Bold themes ('Care Planning', 'Police Liaison') look like agencies by their words."""
    blocks = INTRO + [
        ("h1", "2. Recommendations"),
        ("bold", "Care Planning"),
        ("item", "1.", "The trust should document a discussion of risk to others before every discharge."),
        ("bold", "Police Liaison"),
        ("item", "2.", "Eastmoor Police should audit stalking reports each quarter for the full history of contact."),
        ("bold", "Family Involvement"),
        ("item", "3.", "NHS England should consider how learning from investigations is shared across the region."),
        ("bold", "Eastmoor County Council"),
        ("item", "4.", "Repeat a declined carer's assessment offer at the next review."),
        ("h1", "3. Glossary"),
        ("p", "ICB Integrated Care Board"),
    ]
    report = run(build_pdf(blocks))
    assert ids(report) == ["1", "2", "3", "4"]
    # "The trust" is a body named by its type, which may be the subheading's own agency:
    # only a recommendation naming its addressee by name is kept from the theme
    assert [r.addressed_to_raw for r in report.recommendations] == [
        "Care Planning", "Eastmoor Police", "NHS England", "Eastmoor County Council"]


def test_numbered_table_row_without_number_continues_the_recommendation_above():
    """A recommendation typed over two table rows: the second has no number and no agency."""
    rows = [["No.", "Recommendation", "Agency"],
            ["1", "Eastmoor Police should audit stalking reports each quarter for the full history of contact.", "Eastmoor Police"],
            ["2", "The partnership should commission a review of how services are publicised in rural areas.", "Community Safety Partnership"],
            ["", "It should publish the findings and agree an action plan with each member within three months.", ""],
            ["3", "Eastmoor County Council should repeat a declined carer's assessment offer at the next review.", "Eastmoor County Council"]]
    blocks = INTRO + [("h1", "2. Recommendations"), ("table", rows, [40, 300, 110]),
                      ("h1", "3. Glossary"), ("p", "ICB Integrated Care Board")]
    report = run(build_pdf(blocks))
    assert ids(report) == ["1", "2", "3"]
    assert report.recommendations[1].text == rows[2][1] + " " + rows[3][1]
