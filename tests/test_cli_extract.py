"""CLI: extract, errors as one line, exit codes, --version, python -m extractor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pdfbuilder import build_pdf, filler
from typer.testing import CliRunner

from extractor import __version__
from extractor.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "review.pdf"
    path.write_bytes(
        build_pdf([
            ("h1", "1. Introduction"), ("p", filler(8)),
            ("h1", "2. Recommendations"),
            ("item", "2.1", "Northshire Police should review its guidance on stalking."),
            ("item", "2.2", "The Home Office should consider issuing statutory guidance."),
            ("h1", "3. Glossary"),
        ])
    )
    return path


def test_extract_md(report_pdf):
    result = runner.invoke(app, ["extract", str(report_pdf), "--format", "md"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "| # | Recommendation | Addressed to |"
    assert lines[2].startswith("| 2.1 | Northshire Police should review")


def test_extract_json_to_file(report_pdf, tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", str(report_pdf), "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert [r["id"] for r in data[0]["recommendations"]] == ["2.1", "2.2"]
    assert data[0]["recommendations"][0]["page"] == 1


def test_extract_csv_stdout(report_pdf):
    result = runner.invoke(app, ["extract", str(report_pdf), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("file,sha256,title")


def test_text_file_fails_with_one_line(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Just some meeting notes.\n" * 3)
    result = runner.invoke(app, ["extract", str(notes), "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {notes}: not a PDF: it is a text file (no %PDF- header)"
    assert json.loads(result.stdout)[0]["error"]["kind"] == "not_a_pdf"


def test_truncated_pdf_fails_and_others_still_written(report_pdf, tmp_path):
    broken = tmp_path / "broken.pdf"
    data = report_pdf.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    result = runner.invoke(app, ["extract", str(broken), str(report_pdf), "--format", "jsonl"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(broken) in result.stderr and "Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["error"]["kind"] == "corrupt"
    assert len(rows[1]["recommendations"]) == 2


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["extract"]).exit_code == 2
    assert runner.invoke(app, ["extract", str(tmp_path)]).exit_code == 2  # no PDFs found
    assert runner.invoke(app, ["extract", "x.pdf", "--format", "docx"]).exit_code == 2


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.stdout.strip() == f"dhr-extract {__version__}"


def test_python_dash_m(tmp_path):
    notes = tmp_path / "n.pdf"
    notes.write_text("<html><body>Not found</body></html>")
    proc = subprocess.run([sys.executable, "-m", "extractor", "extract", str(notes)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {notes}: not a PDF: it is an HTML page (an error page saved as .pdf?)"
    assert "Traceback" not in proc.stderr


@pytest.fixture
def fake_ocr(monkeypatch):
    """OCR without Tesseract: one fixed recommendation per page, and a count of calls."""
    from extractor import ocr
    from extractor.models import Line

    calls: list[int] = []

    def engine(page, number):
        calls.append(number)
        return [Line("1. Recommendations", number, (72.0, 80.0, 300.0, 96.0), 16.0, True, False, "ocr", 0),
                Line("1.1 Northshire Police should review its stalking guidance.", number,
                     (72.0, 110.0, 520.0, 122.0), 11.0, False, False, "ocr", 1)]

    monkeypatch.setattr(ocr, "tesseract_available", lambda language=ocr.LANGUAGE: True)
    monkeypatch.setattr(ocr, "ocr_page", engine)
    monkeypatch.setattr(ocr, "fingerprint", lambda: "test-setup")
    return calls


@pytest.fixture
def scanned_pdf(report_pdf, tmp_path):
    from pdf_factory import scanned_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(report_pdf.read_bytes(), dpi=40))
    return path


def test_ocr_cache_default_folder_then_reused(scanned_pdf, fake_ocr, _private_cache_folder):
    first = runner.invoke(app, ["extract", str(scanned_pdf), "--format", "json"])
    assert first.exit_code == 0, first.output
    calls = len(fake_ocr)
    assert calls > 0
    assert list((_private_cache_folder / "dhr-extract" / "ocr" / "test-setup").rglob("*.json"))
    second = runner.invoke(app, ["extract", str(scanned_pdf), "--format", "json"])
    assert len(fake_ocr) == calls  # every page came from the cache
    assert json.loads(second.stdout) == json.loads(first.stdout)


def test_ocr_cache_folder_option_and_off_switch(scanned_pdf, fake_ocr, tmp_path, _private_cache_folder):
    chosen = tmp_path / "my-cache"
    assert runner.invoke(app, ["extract", str(scanned_pdf), "--ocr-cache", str(chosen), "-f", "csv"]).exit_code == 0
    assert list(chosen.rglob("*.json"))
    calls = len(fake_ocr)
    assert runner.invoke(app, ["extract", str(scanned_pdf), "--no-ocr-cache", "-f", "csv"]).exit_code == 0
    assert len(fake_ocr) == 2 * calls  # OCR'd again
    assert not (_private_cache_folder / "dhr-extract").exists()
