"""Anonymisation: names found from the report's own declarations, replaced by roles."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.anonymise import (
    Person,
    anonymise_report,
    anonymise_text,
    find_people,
    role_from_phrase,
)
from extractor.models import Document, Line, Page, Recommendation, Report

sys.path.insert(0, str(Path(__file__).parent))
from pdfbuilder import build_pdf, filler  # noqa: E402


def make_doc(*pages: str) -> Document:
    built = tuple(
        Page(n, 595, 842, tuple(Line(t, n, (0, 0, 1, 1)) for t in text.split("\n")))
        for n, text in enumerate(pages, start=1)
    )
    return Document("t.pdf", "0" * 64, len(built), built)


def roles(doc: Document) -> dict[str, str]:
    return {p.name: p.role for p in find_people(doc)}


VICTIM = Person("Sarah", "the victim")
PERP = Person("Adam", "the perpetrator")


@pytest.mark.parametrize(
    ("phrase", "role"),
    [
        ("Victim", "the victim"),
        ("the perpetrator", "the perpetrator"),
        ("Victim's son", "the victim's son"),
        ("son of the perpetrator", "the perpetrator's son"),
        ("Mother of victim", "the victim's mother"),
        ("Perpetrator (victim's partner)", "the perpetrator"),
        ("Relationship", None),
    ],
)
def test_role_from_phrase(phrase: str, role: str | None) -> None:
    assert role_from_phrase(phrase) == role


def test_people_from_title_declarations_and_acts() -> None:
    doc = make_doc(
        "Domestic Homicide Review\nReport into the death of Adult A",
        "Adult A was killed by her husband. Adult B was convicted of her murder.\n"
        "The victim's daughter, Chloe, gave evidence. Her brother, referred to as 'Dev', did not.",
    )
    found = roles(doc)
    assert found["Adult A"] == "the victim"
    assert found["Adult B"] == "the perpetrator"
    assert found["Chloe"] == "the victim's daughter"
    assert found["Dev"] == "the victim's brother"


def test_killing_by_husband_makes_him_the_perpetrator_not_a_relative() -> None:
    doc = make_doc("Report into the death of Mrs B", "The unlawful killing of Mrs B by her husband Mr B.")
    assert roles(doc) == {"Mrs B": "the victim", "Mr B": "the perpetrator"}


def test_key_people_table() -> None:
    doc = make_doc(
        "Overview report",
        "2.3 Key people\nName Relationship\nJune Victim's mother\nMark Stone\nPerpetrator's brother\n"
        "Kayla – Victim\nRyan (perpetrator)",
    )
    found = roles(doc)
    assert found["Kayla"] == "the victim" and found["Ryan"] == "the perpetrator"
    assert found["June"] == "the victim's mother"
    assert found["Mark Stone"] == "the perpetrator's brother"
    assert found["Mark"] == "the perpetrator's brother"  # first-name variant of a full name
    assert "Name" not in found and "Name Relationship" not in found


def test_replacement_keeps_case_and_possessives() -> None:
    text, counts = anonymise_text(
        "Adam's risk was high. Staff spoke to Sarah. Sarah’s GP knew of Adam's drinking.", [VICTIM, PERP]
    )
    assert text == (
        "The perpetrator's risk was high. Staff spoke to the victim. "
        "The victim's GP knew of the perpetrator's drinking."
    )
    assert counts == {"Adam": 2, "Sarah": 2}


def test_quoted_pseudonym_loses_its_quotes_and_appositives_collapse() -> None:
    text, _ = anonymise_text(
        "The death of 'Sarah' was reviewed. The victim, Sarah, had no GP. (the perpetrator) Adam left.",
        [VICTIM, PERP],
    )
    assert text == "The death of the victim was reviewed. The victim had no GP. The perpetrator left."


def test_names_inside_agency_names_are_untouched() -> None:
    people = [Person("Victoria", "the victim"), Person("Hope", "the victim"), Person("Sarah Jones", "the perpetrator")]
    text = "Victoria Police and the Hope Hospital NHS Trust met Victoria. Sarah Jones House is a hostel."
    out, counts = anonymise_text(text, people)
    assert out == "Victoria Police and the Hope Hospital NHS Trust met the victim. Sarah Jones House is a hostel."
    assert counts == {"Victoria": 1}


def test_names_listed_as_protected_are_untouched() -> None:
    out, _ = anonymise_text("Refer to Rose Centre Services or Rose Kinship.", [Person("Rose", "the victim")],
                            protected=["Rose Kinship"])
    assert out == "Refer to Rose Centre Services or Rose Kinship."


def test_names_that_are_common_words() -> None:
    undeclared = [Person("Hope", "the victim", declared=False), Person("May", "the victim's mother", declared=False)]
    text = "Hope is what the panel has. We hope Hope was heard. In May 2016 May called. On 3 May, May left."
    out, _ = anonymise_text(text, undeclared)
    # sentence-initial "Hope" is ambiguous unless declared; lower-case "hope" and the month never change
    assert out == (
        "Hope is what the panel has. We hope the victim was heard. "
        "In May 2016 the victim's mother called. On 3 May, the victim's mother left."
    )
    declared, _ = anonymise_text("Hope is what the panel has.", [Person("Hope", "the victim", declared=True)])
    assert declared == "The victim is what the panel has."


def test_word_boundaries() -> None:
    out, counts = anonymise_text("Adamson and Adam-Smith met Adam.", [PERP])
    assert out == "Adamson and Adam-Smith met the perpetrator." and counts == {"Adam": 1}


def test_anonymise_report_replaces_rows_and_summary_and_records_it() -> None:
    doc = make_doc("Report into the death of 'Sarah'", "The perpetrator, Adam, was her partner.")
    report = Report(
        file="t.pdf",
        recommendations=[
            Recommendation("1", "Adam's probation officer should have told Sarah.", ["Probation Service"], "Adam's officer"),
            Recommendation("2", "Victoria Police should train staff.", ["Victoria Police"]),
        ],
        summary="Agencies did not see the risk Adam posed.",
    )
    out = anonymise_report(report, doc)
    assert out.recommendations[0].text == "The perpetrator's probation officer should have told the victim."
    assert out.recommendations[1].text == "Victoria Police should train staff."
    assert out.recommendations[0].addressed_to == ["Probation Service"]
    assert out.summary == "Agencies did not see the risk the perpetrator posed."
    assert out.extra["anonymisation"] == {
        "applied": True,
        "replaced": [{"name": "Adam", "role": "the perpetrator", "count": 2},
                     {"name": "Sarah", "role": "the victim", "count": 1}],
    }
    assert report.recommendations[0].text.startswith("Adam's")  # the input is not mutated


def test_named_perpetrator_becomes_the_perpetrator_in_every_row_of_a_pdf() -> None:
    """Acceptance: a named sample's perpetrator name is 'the perpetrator' everywhere in its rows."""
    from extractor.api import debug_extract

    pdf = build_pdf([
        ("h1", "Domestic Homicide Review"), ("p", "Report into the death of ‘Hope’"),
        ("p", "Riverton Community Safety Partnership"), ("pagebreak",),
        ("h1", "1. Introduction"),
        ("p", "1.1 The victim will be referred to as Hope. The perpetrator, Adam Hurst, was her partner. " + filler(3)),
        ("h1", "8. Recommendations"),
        ("item", "8.1", "Riverton Police should consider the history of a perpetrator such as Adam Hurst."),
        ("item", "8.2", "The Hope Street Surgery should review how GPs record what patients like Hope disclose."),
        ("item", "8.3", "Adam's probation officer should share information; Riverton Council should review its protocol."),
    ])
    trace = debug_extract(pdf, name="named.pdf")
    report = trace.report
    assert report is not None and len(report.recommendations) == 3, report
    out = anonymise_report(report, trace.cleaned)
    texts = [r.text for r in out.recommendations]
    assert not any("Adam" in t for t in texts)
    assert texts[0].endswith("such as the perpetrator.")
    assert texts[2].startswith("The perpetrator's probation officer")
    assert "The Hope Street Surgery" in texts[1] and texts[1].endswith("patients like the victim disclose.")


def test_registry_matched_agency_names_are_protected() -> None:
    from extractor.models import AgencyMatch

    doc = make_doc("Report into the death of 'Rose'")
    match = AgencyMatch("Rose Kinship", "Rose Kinship", "charity", "exact", 100.0, True)
    report = Report(file="t.pdf", recommendations=[
        Recommendation("1", "Rose Kinship should contact families like Rose's.", ["Rose Kinship"], matches=[match]),
    ])
    out = anonymise_report(report, doc)
    assert out.recommendations[0].text == "Rose Kinship should contact families like the victim's."


def test_ordinary_capitalised_words_are_not_taken_for_names() -> None:
    doc = make_doc(
        "Overview report",
        "Staff spoke to the victim, Children's Services were informed. The perpetrator, Housing staff said, "
        "was known to children's services and housing officers.",
    )
    assert roles(doc) == {}


def test_role_of_a_referred_to_name_comes_from_the_nearest_clause() -> None:
    doc = make_doc(
        "Overview report",
        "Following the death of the victim, her son will be referred to as Tom. "
        "The perpetrator's mother, who cared for the victim, is referred to as Ann. "
        "The pseudonym 'Bella' is used for the victim's sister.",
    )
    assert roles(doc) == {"Tom": "the victim's son", "Ann": "the perpetrator's mother",
                          "Bella": "the victim's sister"}


def test_manifest_title_is_used_only_when_it_looks_like_a_pseudonym() -> None:
    doc = make_doc("Overview report", "Susan lived in Manchester with her children.")
    assert find_people(doc, title="Susan") == [Person("Susan", "the victim", True, "declared")]
    assert find_people(doc, title="Manchester review") == []
    assert find_people(doc, title="Bobo") == []  # not mentioned in the text at all


def test_first_name_variants_of_full_names() -> None:
    doc = make_doc("Report into the death of Mrs Jane Anne Doe", "The perpetrator, Mr Will Roe, was her partner.")
    found = {p.name: p for p in find_people(doc)}
    assert found["Jane"].role == "the victim" and found["Jane Anne Doe"].role == "the victim"
    assert found["Will Roe"].role == "the perpetrator"
    assert found["Will"].declared is False  # a common word: not replaced sentence-initially
    out, _ = anonymise_text("Will Roe met Jane. Will she agree? Jane's GP called Will.", list(found.values()))
    assert out == "The perpetrator met the victim. Will she agree? The victim's GP called the perpetrator."


def test_perpetrator_from_conviction_clause_and_risk_posed_by() -> None:
    doc = make_doc(
        "Report into the death of Adult F",
        "Agencies responded to Adult F, who died in March 2016, and to Mr K, who was later convicted of her "
        "manslaughter. No agency saw the risk posed by Mr K.",
    )
    assert roles(doc) == {"Adult F": "the victim", "Mr K": "the perpetrator"}


def test_people_search_limited_to_the_names_the_texts_can_contain() -> None:
    """Reading only the sentences that share a word with the texts finds the same roles
    for the people those texts name, and skips everyone else."""
    doc = make_doc(
        "Domestic Homicide Review\nReport into the death of Adult A",
        "Adult A was killed by her husband. The perpetrator, Mark Jones, was convicted. "
        "Her son, referred to as 'Dev', gave evidence.\n"
        + "Agencies met the family many times over several years before the homicide. " * 30
        + "\nTom (the victim's brother) did not.",
    )
    full = {p.name: p.role for p in find_people(doc)}
    texts = ["That the GP asks Mark Jones about his drinking.", "Dev was not seen by the school."]
    limited = {p.name: p.role for p in find_people(doc, mentioned_in=texts)}
    assert limited["Mark Jones"] == full["Mark Jones"] == "the perpetrator"
    assert limited["Dev"] == full["Dev"] == "the victim's son"
    assert "Tom" in full and "Tom" not in limited  # named nowhere in the texts: not looked for


def test_title_and_surname_variant_of_a_full_name() -> None:
    doc = make_doc(
        "Domestic Homicide Review into the death of Mrs Alys Prior",
        "Key people\nMrs Alys Prior – Victim\nMr Gwyn Prior – Perpetrator, husband of the victim",
    )
    people = roles(doc)
    assert people["Mr Prior"] == "the perpetrator" and people["Mrs Prior"] == "the victim"
    text, _ = anonymise_text("Probation should review how Mr Prior was supervised.", find_people(doc))
    assert text == "Probation should review how the perpetrator was supervised."


def test_shared_title_and_surname_is_not_a_variant() -> None:
    doc = make_doc("Report", "Key people\nMr Gwyn Prior – Perpetrator\nMr Rhys Prior – Victim's son")
    assert "Mr Prior" not in roles(doc)


def test_perpetrator_with_an_appositive_before_the_act() -> None:
    doc = make_doc("Review into the death of Adult K", "Adult K died in 2019. Adult L, her partner, was convicted of murder.")
    assert roles(doc)["Adult L"] == "the perpetrator"


def test_relation_in_apposition_before_the_name() -> None:
    doc = make_doc(
        "Domestic Homicide Review into the death of ‘Edna’",
        "Edna died in 2019. Her grandson, Rory, was convicted of manslaughter. Edna's friend, Val, raised the alarm.",
    )
    people = roles(doc)
    assert people["Rory"] == "the perpetrator" and people["Val"] == "the victim's friend"
    # an owner who is neither victim nor perpetrator names nobody
    doc = make_doc("Overview", "Bristow's friend, Val, visited.")
    assert "Val" not in roles(doc)


def test_quoted_month_pseudonym_is_replaced_but_not_the_month() -> None:
    doc = make_doc("Domestic Homicide Review into the death of ‘June’", "June died in 2018.")
    text, _ = anonymise_text("Police should review June's calls by June 2022.", find_people(doc))
    assert text == "Police should review the victim's calls by June 2022."


def test_a_name_met_only_in_a_possessive_and_a_conviction_is_the_perpetrator() -> None:
    """"Daniel's access" in a recommendation names Daniel, whom the report introduces
    only as convicted of her murder: no role word, yet as sure as a declaration."""
    doc = make_doc(
        "Domestic Homicide Review into the death of Hope",
        "Hope died in June 2018. Daniel was convicted of her murder in 2019 and sentenced to life.",
    )
    texts = ["Agencies should consider how Daniel's access to weapons could have been recognised."]
    limited = {p.name: p.role for p in find_people(doc, mentioned_in=texts)}
    assert limited == {"Hope": "the victim", "Daniel": "the perpetrator"}
    people = find_people(doc, mentioned_in=texts)
    protected: set[str] = set()
    assert anonymise_text(texts[0], people, protected)[0].startswith(
        "Agencies should consider how the perpetrator's access")
