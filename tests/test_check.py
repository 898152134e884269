"""Scoring unit tests for extractor.check, and proof that `check` catches a regression."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.check import check, match_rows, normalise_text, score_document, short_diff
from extractor.cli import app
from extractor.io.golden import read_golden, write_golden
from extractor.models import Metadata, Recommendation, Report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "manchester-2016.pdf"

TEXTS = [
    "Merseyside Police should review how officers record the presence of children at domestic abuse incidents.",
    "The ICB should work with GP practices to introduce routine enquiry about domestic abuse where a patient presents with low mood.",
    "Sefton Council Housing Options should include a question about domestic abuse in every homelessness assessment.",
]


def _report(rows: list[tuple[str | None, str, list[str]]], **meta: object) -> Report:
    return Report(
        file="x.pdf",
        metadata=Metadata(**meta),  # type: ignore[arg-type]
        recommendations=[Recommendation(id=i, text=t, addressed_to=a) for i, t, a in rows],
    )


GOLD = _report([("1", TEXTS[0], ["Merseyside Police"]), ("2", TEXTS[1], ["NHS Cheshire and Merseyside Integrated Care Board"]),
                ("3", TEXTS[2], ["Sefton Metropolitan Borough Council"])], title="T", csp="Sefton Community Safety Partnership",
               published="2021-02", year_of_death=2019)


def test_normalise_folds_layout_noise() -> None:
    assert normalise_text("“Multi‑agency”  risk –\nassess-\nment • ok") == normalise_text('"multi-agency" risk - assessment ok')
    assert normalise_text("A\u00a0B") == "a b"


def test_identical_prediction_scores_one() -> None:
    doc = score_document("x", GOLD, GOLD)
    assert (doc.precision, doc.recall, doc.f1, doc.id_accuracy, doc.addressee_accuracy) == (1, 1, 1, 1, 1)
    assert doc.metadata_correct == doc.metadata_total == 4
    assert doc.diffs == []


def test_small_wording_difference_still_matches_but_is_listed_as_changed() -> None:
    pred = _report([("1", TEXTS[0].replace("review how", "review the way"), ["Merseyside Police"]),
                    ("2", TEXTS[1], ["NHS Cheshire and Merseyside Integrated Care Board"]),
                    ("3", TEXTS[2], ["Sefton Metropolitan Borough Council"])])
    doc = score_document("x", GOLD, pred)
    assert doc.f1 == 1.0
    assert [d.kind for d in doc.diffs] == ["changed"]
    assert "review the way" in doc.diffs[0].changes[0]


def test_missing_spurious_and_wrong_fields_lower_scores() -> None:
    pred = _report([("1a", TEXTS[0], ["Merseyside Police"]),
                    ("2", TEXTS[1], ["Sefton Council"]),
                    (None, "An unrelated narrative paragraph about the chronology of events in 2018.", [])],
                   title="T", csp="Sefton", published="2021-02", year_of_death=2018)
    doc = score_document("x", GOLD, pred)
    assert doc.matched == 2
    assert doc.precision == pytest.approx(2 / 3) and doc.recall == pytest.approx(2 / 3)
    assert doc.id_accuracy == 0.5 and doc.addressee_accuracy == 0.5
    assert doc.metadata_correct == 2
    assert sorted(d.kind for d in doc.diffs) == ["changed", "changed", "missed", "spurious"]


def test_matching_is_one_to_one() -> None:
    gold = [Recommendation(id="1", text=TEXTS[0])]
    pred = [Recommendation(id="1", text=TEXTS[0]), Recommendation(id="1", text=TEXTS[0])]
    assert len(match_rows(gold, pred)) == 1
    doc = score_document("x", _report([("1", TEXTS[0], [])]), _report([("1", TEXTS[0], []), ("1", TEXTS[0], [])]))
    assert doc.precision == 0.5 and doc.recall == 1.0


def test_negative_sample_scores_one_only_when_nothing_is_extracted() -> None:
    empty = _report([])
    assert score_document("x", empty, empty).f1 == 1.0
    assert score_document("x", empty, _report([("1", TEXTS[0], [])])).f1 == 0.0


def test_id_normalisation() -> None:
    from extractor.check import normalise_id

    assert normalise_id("3") == normalise_id("3.") == "3"
    assert normalise_id("Recommendation 3:") == "recommendation 3" != normalise_id("3")
    assert normalise_id(" 9.1  a ") == "9.1 a"
    assert normalise_id("R1") != normalise_id("1")
    assert normalise_id("9.1a") != normalise_id("9.1 a")
    assert normalise_id(None) is None and normalise_id("Recommendation") == "recommendation"


def test_short_diff_names_the_changed_words() -> None:
    assert short_diff("a b c d", "a b x d") == "'b c d' → 'b x d'"
    assert short_diff("a b", "a  b") == "(whitespace only)"


def test_golden_round_trip(tmp_path: Path) -> None:
    path = write_golden(GOLD, tmp_path / "g.json")
    back = read_golden(path)
    assert [r.text for r in back.recommendations] == TEXTS
    assert set(json.loads(path.read_text())) == {"file", "pages", "metadata", "recommendations"}


def test_check_library_flags_missing_golden(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "g").mkdir()
    shutil.copy(SEED, tmp_path / "s" / "a.pdf")
    result = check(tmp_path / "s", tmp_path / "g", extract_fn=lambda p: GOLD)
    assert not result.passed and "golden missing" in result.failures[0]


def test_check_library_with_perturbed_prediction(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    shutil.copy(SEED, tmp_path / "s" / "a.pdf")
    write_golden(GOLD, tmp_path / "g" / "a.json")
    assert check(tmp_path / "s", tmp_path / "g", extract_fn=lambda p: GOLD).passed
    worse = _report([(r.id, r.text, r.addressed_to) for r in GOLD.recommendations[:2]])
    result = check(tmp_path / "s", tmp_path / "g", extract_fn=lambda p: worse)
    assert not result.passed
    assert result.overall.f1 < 1.0 and result.documents[0].recall == pytest.approx(2 / 3)


def _cli_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A one-sample corpus whose golden is what the current extractor outputs."""
    samples, golden = tmp_path / "samples", tmp_path / "golden"
    samples.mkdir()
    shutil.copy(SEED, samples / "seed.pdf")
    runner = CliRunner()
    res = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(golden), "--update", "seed"])
    assert res.exit_code == 0, res.output
    return samples, golden


@pytest.mark.skipif(not SEED.exists(), reason="seed sample not built")
def test_cli_catches_a_perturbed_golden(tmp_path: Path) -> None:
    samples, golden = _cli_corpus(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(golden), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["overall"]["f1"] == 1.0

    data = json.loads((golden / "seed.json").read_text())
    data["recommendations"].append({"id": "99", "text": "A recommendation the extractor never printed, about a subject nobody wrote.",
                                    "addressed_to": ["Home Office"], "addressed_to_raw": "Home Office"})
    for rec in data["recommendations"][:1]:
        rec["text"] = "Completely different wording that no longer resembles the printed recommendation at all."
    (golden / "seed.json").write_text(json.dumps(data))
    bad = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(golden), "--format", "json"])
    assert bad.exit_code == 1
    result = json.loads(bad.output)
    assert result["overall"]["f1"] < 1.0 and not result["passed"]
    kinds = {d["kind"] for d in result["documents"][0]["diffs"]}
    assert "missed" in kinds

    table = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(golden)])
    assert table.exit_code == 1 and "missed" in table.output and "FAILED" in table.output
    assert runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(golden), "--min-f1", "0"]).exit_code == 0


def test_cli_missing_golden_and_bad_update(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SEED, samples / "seed.pdf")
    (tmp_path / "golden").mkdir()
    runner = CliRunner()
    res = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(tmp_path / "golden")])
    assert res.exit_code == 1 and "golden missing" in res.output
    res = runner.invoke(app, ["check", "--samples", str(samples), "--golden", str(tmp_path / "golden"), "--update", "nope"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["check", "--samples", str(tmp_path / "none"), "--golden", str(tmp_path / "golden")])
    assert res.exit_code == 1 and "Traceback" not in res.output


def test_check_command_has_example() -> None:
    from extractor.cli.check import check_command

    assert "Example:" in (check_command.__doc__ or "")


def test_missed_row_names_its_closest_prediction_and_raw_addressee_is_scored() -> None:
    gold = Report(file="x.pdf", recommendations=[Recommendation(id="1", text=TEXTS[0], addressed_to_raw="Merseyside Police")])
    near = TEXTS[0] + " (Merseyside Police) and a long trailing clause that the golden does not have at all"
    doc = score_document("x", gold, Report(file="x.pdf", recommendations=[Recommendation(id="1", text=near)]))
    assert [d.kind for d in doc.diffs] == ["missed", "spurious"]
    assert doc.diffs[0].changes and doc.diffs[0].changes[0].startswith("closest [1]")
    same = Report(file="x.pdf", recommendations=[Recommendation(id="1", text=TEXTS[0], addressed_to_raw="Merseyside Police.")])
    assert score_document("x", gold, same).raw_addressee_accuracy == 1.0
    article = Report(file="x.pdf", recommendations=[Recommendation(id="1", text=TEXTS[0], addressed_to_raw="The Merseyside Police")])
    assert score_document("x", gold, article).raw_addressee_accuracy == 1.0
    other = Report(file="x.pdf", recommendations=[Recommendation(id="1", text=TEXTS[0], addressed_to_raw="Sefton Council")])
    assert score_document("x", gold, other).raw_addressee_accuracy == 0.0


@pytest.mark.skipif(not SEED.exists(), reason="seed sample not built")
def test_update_shows_diff_and_keeps_checked_metadata(tmp_path: Path) -> None:
    samples, golden = tmp_path / "samples", tmp_path / "golden"
    samples.mkdir()
    shutil.copy(SEED, samples / "seed.pdf")
    write_golden(_report([("1", "A recommendation that is not in the seed report at all, for the diff.", ["Home Office"])],
                         title="Kept title", csp="Manchester Community Safety Partnership", published="2023-07",
                         year_of_death=2016), golden / "seed.json")
    res = CliRunner().invoke(app, ["check", "--samples", str(samples), "--golden", str(golden), "--update", "seed"])
    assert res.exit_code == 0, res.output
    assert "missed" in res.output and "wrote" in res.output
    data = json.loads((golden / "seed.json").read_text())
    assert data["metadata"]["published"] == "2023-07"  # never printed in the PDF, so always kept
    assert data["metadata"]["title"]
    assert all(r["text"] != "A recommendation that is not in the seed report at all, for the diff." for r in data["recommendations"])


def test_golden_without_pdf_and_broken_files_are_reported_not_raised(tmp_path: Path) -> None:
    samples, golden = tmp_path / "samples", tmp_path / "golden"
    samples.mkdir()
    write_golden(GOLD, golden / "orphan.json")
    (golden / "broken.json").write_text("{not json")
    shutil.copy(SEED, samples / "broken.pdf")
    result = check(samples, golden, extract_fn=lambda p: GOLD)
    assert any("orphan: sample PDF missing" in f for f in result.failures)
    assert any("broken" in f and "not a readable golden" in f for f in result.failures)

    (golden / "thresholds.toml").write_text("[overall\nmin_f1 = ")
    res = CliRunner().invoke(app, ["check", "--samples", str(samples), "--golden", str(golden)])
    assert res.exit_code == 1
    assert "thresholds.toml" in res.output and "Traceback" not in res.output


def test_thresholds_file_overrides_defaults(tmp_path: Path) -> None:
    from extractor.check import load_thresholds

    (tmp_path / "thresholds.toml").write_text(
        '[overall]\nmin_f1 = 0.9\nmin_id_accuracy = 0.5\n[per_document]\nmin_f1 = 0.8\n[documents."a"]\nmin_f1 = 0.1\n'
    )
    limits, per_doc = load_thresholds(tmp_path)
    assert limits["min_f1"] == 0.9 and limits["min_id_accuracy"] == 0.5 and limits["per_document_min_f1"] == 0.8
    assert per_doc == {"a": 0.1}
