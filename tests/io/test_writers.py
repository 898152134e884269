"""Writers: every format round-trips the report columns; spreadsheets are injection-safe."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from extractor.io.writers import guard_formula, infer_format, markdown_table, write_reports
from extractor.models import Metadata, Recommendation, Report


@pytest.fixture
def report() -> Report:
    return Report(
        file="a.pdf",
        sha256="f" * 64,
        pages=3,
        metadata=Metadata(title="Adult K", csp="Northshire"),
        recommendations=[
            Recommendation(id="9.1 a", text="Review | the policy.", addressed_to=["Northshire Police"], page=2),
            Recommendation(id=None, text="=HYPERLINK(\"http://x\")", addressed_to=["Home Office", "Probation Service"], page=3),
        ],
    )


def test_markdown_table_matches_seed_shape(report):
    md = markdown_table(report).splitlines()
    assert md[0] == "| # | Recommendation | Addressed to |"
    assert md[2] == "| 9.1 a | Review \\| the policy. | Northshire Police |"
    assert md[3].endswith("| Home Office; Probation Service |")


def test_json_and_jsonl_hold_the_contract(report):
    buf = io.StringIO()
    write_reports([report], "json", buf)
    data = json.loads(buf.getvalue())
    assert data[0]["recommendations"][0]["id"] == "9.1 a"
    assert set(data[0]) >= {"file", "sha256", "pages", "extractor_version", "metadata", "sections", "recommendations", "warnings", "error"}
    buf = io.StringIO()
    write_reports([report, report], "jsonl", buf)
    assert len(buf.getvalue().splitlines()) == 2


def test_csv_one_row_per_recommendation_with_guard(report):
    buf = io.StringIO()
    write_reports([report], "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["id"] for r in rows] == ["9.1 a", ""]
    assert rows[1]["text"].startswith("'=")
    assert rows[0]["csp"] == "Northshire"


def test_parquet_and_xlsx(tmp_path, report):
    write_reports([report], "parquet", tmp_path / "o.parquet")
    assert len(pd.read_parquet(tmp_path / "o.parquet")) == 2
    write_reports([report], "xlsx", tmp_path / "o.xlsx")
    frame = pd.read_excel(tmp_path / "o.xlsx")
    assert frame["text"][1].startswith("'=")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_guard_formula(value):
    assert guard_formula(value).startswith("'")


def test_infer_format():
    assert infer_format("out.csv") == "csv"
    assert infer_format("out.unknown", default="json") == "json"
    assert infer_format(None) == "json"
