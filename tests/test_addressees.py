"""Stage 5, addressees: labels, brackets, subjects and layout hints."""

from __future__ import annotations

import pytest

from extractor.addressees import attach_addressee, subject_of
from extractor.models import Row


def row(text: str, hint: str | None = None) -> Row:
    return Row(id="1", text=text, page=1, bbox=(0, 0, 1, 1), agency_hint=hint)


@pytest.mark.parametrize(
    "text,who",
    [
        ("That Greater Manchester Police review the guidance.", "Greater Manchester Police"),
        ("The Home Office should consider the issue.", "Home Office"),
        ("The Home Office are requested to consider", "Home Office"),
        ("Devon and Cornwall Police ensure all staff know", "Devon and Cornwall Police"),
        ("MSCP takes steps to promote", "MSCP"),
        ("Manchester Community Safety Partnership (MSCP) request partner agencies", "Manchester Community Safety Partnership (MSCP)"),
        ("GP practices should record", "GP practices"),
        ("There is a need to ensure that GP practices", None),
        ("Provide guidance to Detective Sergeants", None),
        ("Records should be completed", None),
        ("To notify the Senior Project Team", None),
        ("Consider the introduction of training", None),
        ("Remind GPs to ask about domestic abuse", None),
        ("Audit MARAC referrals each quarter", None),
        ("The ambulance service should record who was present.", "ambulance service"),
        ("That the drug and alcohol service reviews its policy.", "drug and alcohol service"),
        ("The use of the risk tool should be audited.", None),
    ],
)
def test_subject_of(text, who):
    assert subject_of(text) == who


def test_explicit_label_wins_and_is_removed_from_text():
    out = attach_addressee(row("Review the policy. Addressed to: Partner Agencies", hint="Northshire Police"))
    assert out.agency_hint == "Partner Agencies"
    assert out.text == "Review the policy."


def test_layout_hint_kept_over_subject():
    out = attach_addressee(row("The Home Office should act.", hint="Northshire Police"))
    assert out.agency_hint == "Northshire Police"


def test_generic_hint_gives_way_to_named_subject():
    out = attach_addressee(row("Northshire Police should act.", hint="All agencies"))
    assert out.agency_hint == "Northshire Police"


def test_trailing_bracket_names_addressee():
    out = attach_addressee(row("Audit the referral pathway (Northshire County Council)."))
    assert out.agency_hint == "Northshire County Council"


def test_acronym_definition_bracket_is_not_an_addressee():
    out = attach_addressee(row("Train staff in MARAC processes (Multi-Agency Risk Assessment Conference)."))
    assert out.agency_hint != "MARAC"


@pytest.mark.parametrize("label", ["Action", "Action by", "Led by", "Action owner"])
def test_action_labels_name_the_addressee(label):
    out = attach_addressee(row(f"Audit the use of the risk flag. {label}: Northshire Police"))
    assert (out.text, out.agency_hint) == ("Audit the use of the risk flag.", "Northshire Police")
