"""The extractive summary: up to three sentences from the report's own conclusions."""

from __future__ import annotations

from extractor.models import Document, Line, Page
from extractor.summary import pick_sentences, split_sentences, summarise


def make_doc(*pages: str) -> Document:
    """Lines starting with '#' are bold 14pt headings; the rest is 11pt body text."""
    built = []
    for n, text in enumerate(pages, start=1):
        lines = []
        for raw in text.split("\n"):
            heading = raw.startswith("#")
            lines.append(Line(raw.lstrip("#"), n, (0, 0, 1, 1), size=14 if heading else 11, bold=heading))
        built.append(Page(n, 595, 842, tuple(lines)))
    return Document("t.pdf", "0" * 64, len(built), tuple(built))


CONCLUSIONS = (
    "#8. Conclusions\n"
    "8.1 This section sets out the conclusions of the panel.\n"
    "8.2 The panel found that agencies failed to assess the risk posed by the perpetrator across multiple incidents and relation-\n"
    "ships. Victims were reluctant to cooperate with the police.\n"
    "8.3 There was no multi-agency forum for cases below the MARAC threshold, and information sharing was poor.\n"
    "8.4 It rained heavily on 3 May 2015 and on 4 May 2015.\n"
    "8.5 Cultural factors and GP awareness of domestic abuse were also a concern for the panel.\n"
    "#9. Recommendations\n"
    "9.1 The panel recommends that all GP practices identify the risk of domestic abuse and assess it."
)


def test_summary_takes_the_best_three_sentences_in_order() -> None:
    doc = make_doc("Contents\nConclusions .......... 2\nRecommendations ....... 2", CONCLUSIONS)
    assert summarise(doc) == (
        "The panel found that agencies failed to assess the risk posed by the perpetrator across multiple "
        "incidents and relationships. There was no multi-agency forum for cases below the MARAC threshold, "
        "and information sharing was poor. Cultural factors and GP awareness of domestic abuse were also a "
        "concern for the panel."
    )


def test_summary_is_deterministic_and_respects_the_limit() -> None:
    doc = make_doc(CONCLUSIONS)
    assert summarise(doc) == summarise(doc)
    one = summarise(doc, max_sentences=1)
    assert one is not None and one.count(". ") == 0 and one.startswith("The panel found")


def test_conclusions_are_preferred_over_the_executive_summary() -> None:
    doc = make_doc(
        "#Executive Summary\nThe executive summary says that agencies missed an opportunity to identify the risk.",
        CONCLUSIONS,
    )
    assert summarise(doc, 1).startswith("The panel found")


def test_falls_back_to_key_findings_then_none() -> None:
    doc = make_doc("#Key findings\nAgencies did not share information about the risk the perpetrator posed to her.")
    assert summarise(doc) == "Agencies did not share information about the risk the perpetrator posed to her."
    assert summarise(make_doc("#Introduction\nNothing to see here at all in this short report.")) is None


def test_split_sentences_keeps_abbreviations() -> None:
    assert split_sentences("Agencies, e.g. the police, met Mr. Smith. Then it ended.") == [
        "Agencies, e.g. the police, met Mr. Smith.", "Then it ended.",
    ]


def test_pick_sentences_skips_fragments_and_signposts() -> None:
    text = "Short one. This section describes the approach taken by the review panel in detail here. " \
           "Agencies failed to identify the risk and missed an opportunity to share information."
    assert pick_sentences(text) == ["Agencies failed to identify the risk and missed an opportunity to share information."]


def test_repeated_sentences_are_used_once() -> None:
    text = ("The panel concluded that the death could not have been predicted by any agency. " * 3
            + "Information was not shared between agencies, so the risk was never assessed as a whole.")
    assert pick_sentences(text) == [
        "The panel concluded that the death could not have been predicted by any agency.",
        "Information was not shared between agencies, so the risk was never assessed as a whole.",
    ]
