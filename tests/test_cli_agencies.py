"""`dhr-extract agencies match` and `dhr-extract agencies list`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import agencies as agencies_cli
from extractor.cli import app

runner = CliRunner()


def test_match_json_shape() -> None:
    result = runner.invoke(app, [
        "agencies", "match", "GMP", "the Police", "Police and Probation", "Nobody In Particular",
        "--area", "Manchester", "--format", "json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["input"] for d in data] == ["GMP", "the Police", "Police and Probation", "Nobody In Particular"]
    for d in data:
        assert set(d) >= {"input", "canonical", "kind", "method", "score", "matched"}
    assert data[0]["canonical"] == "Greater Manchester Police" and data[0]["method"] == "acronym"
    assert data[1]["canonical"] == "Greater Manchester Police" and data[1]["method"] == "area"
    assert data[2]["canonical"] == ["Greater Manchester Police", "Probation Service"]
    assert data[2]["matched"] is True
    assert data[3] == {"input": "Nobody In Particular", "canonical": None, "kind": None,
                       "method": "none", "score": 0.0, "matched": False}


def test_match_date_picks_the_service_of_the_day() -> None:
    def fire(*date: str) -> str:
        result = runner.invoke(app, ["agencies", "match", "the Fire Service", "--area", "Portsmouth",
                                     *date, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)[0]["canonical"]

    assert fire("--date", "2019-06") == "Hampshire Fire and Rescue Service"
    assert fire() == "Hampshire and Isle of Wight Fire and Rescue Service"


def test_match_table_and_fuzzy_options() -> None:
    result = runner.invoke(app, ["agencies", "match", "Greater Manchestr Police"])
    assert result.exit_code == 0
    assert "Greater Manchester Police" in result.stdout and "fuzzy" in result.stdout
    strict = runner.invoke(app, ["agencies", "match", "Greater Manchestr Police", "--min-score", "99.5",
                                 "--format", "json"])
    assert json.loads(strict.stdout)[0]["matched"] is False


def test_match_with_user_csv(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text("canonical,kind,aliases\nStockport Domestic Abuse Forum,other,SDAF Forum\n", encoding="utf-8")
    result = runner.invoke(app, ["agencies", "match", "SDAF Forum", "--agencies", str(extra), "--format", "json"])
    assert json.loads(result.stdout)[0]["canonical"] == "Stockport Domestic Abuse Forum"


def test_bad_user_csv_is_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("canonical,kind\nX,spaceship\n", encoding="utf-8")
    result = runner.invoke(app, ["agencies", "list", "--agencies", str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(bad) in lines[0] and "spaceship" in lines[0]
    assert "Traceback" not in result.output
    missing = runner.invoke(app, ["agencies", "match", "GMP", "--agencies", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "not found" in missing.stderr


def test_list_kind_and_unknown_kind() -> None:
    result = runner.invoke(app, ["agencies", "list", "--kind", "police", "--format", "json"])
    assert result.exit_code == 0
    names = {d["canonical"] for d in json.loads(result.stdout)}
    assert {"Greater Manchester Police", "British Transport Police", "Wiltshire Police"} <= names
    assert all(d["kind"] == "police" for d in json.loads(result.stdout))
    table = runner.invoke(app, ["agencies", "list", "--kind", "probation"])
    assert "Probation Service" in table.stdout and "agencies (registry" in table.stdout
    unknown = runner.invoke(app, ["agencies", "list", "--kind", "spaceship"])
    assert unknown.exit_code == 2 and "unknown kind" in unknown.stderr


def test_commands_document_an_example() -> None:
    for command in (agencies_cli.match_command, agencies_cli.list_command):
        assert "Example:" in (command.__doc__ or "")
