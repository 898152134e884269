"""Row matching for ``diff``: by id and text similarity."""

from __future__ import annotations

from extractor.batch.diff import match_rows, parse_side


def _row(rid, text, who=("Police",), page=4):
    return {"id": rid, "text": text, "addressed_to": list(who), "page": page}


def test_reordered_identical_rows_are_unchanged() -> None:
    old = [_row("1", "Train staff on coercive control."), _row("2", "Share risk assessments.")]
    changed, removed, added = match_rows(old, list(reversed(old)))
    assert (changed, removed, added) == ([], [], [])


def test_same_id_new_text_is_a_change_not_an_add_and_remove() -> None:
    old = [_row("9.1", "Review the policy."), _row("9.2", "Audit referrals within six months.")]
    new = [_row("9.1", "Review the domestic abuse policy and publish it by March."),
           _row("9.2", "Audit referrals within six months.", who=("Police", "NHS England"))]
    changed, removed, added = match_rows(old, new)
    assert not removed and not added
    assert sorted((c.old["id"], tuple(c.fields)) for c in changed) == [
        ("9.1", ("text",)), ("9.2", ("addressed_to",))]


def test_similar_text_matches_when_ids_differ_or_are_missing() -> None:
    old = [_row(None, "The CCG should commission specialist IDVA provision for older victims.")]
    new = [_row("3", "The CCG should commission specialist IDVA provision for older victims")]
    changed, removed, added = match_rows(old, new)
    assert not removed and not added
    assert changed[0].fields == ["id", "text"]  # the full stop went missing


def test_unrelated_rows_are_added_and_removed() -> None:
    old = [_row("1", "Improve information sharing between GP surgeries.")]
    new = [_row("2", "Publish a leaflet on stalking for housing officers.")]
    changed, removed, added = match_rows(old, new)
    assert changed == [] and removed == old and added == new


def test_whitespace_only_differences_are_ignored() -> None:
    old = [_row("1", "Share   risk\nassessments.")]
    new = [_row("1", "Share risk assessments.")]
    assert match_rows(old, new) == ([], [], [])


def test_parse_side() -> None:
    assert parse_side("store.sqlite") == ("store.sqlite", None)
    assert parse_side("store.sqlite@3") == ("store.sqlite", 3)
    assert parse_side("a@b.sqlite@-1") == ("a@b.sqlite", -1)
    assert parse_side("me@host.sqlite") == ("me@host.sqlite", None)
