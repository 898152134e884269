"""Scanned samples (image-only PDFs) reach the documented tolerance through OCR.

The goldens are copies of the source samples' hand-checked goldens
(scripts/make_scanned_samples.py); the tolerance is F1 >= 0.9 (golden/scanned/
thresholds.toml, docs/ROBUSTNESS.md), scored by the same ``check`` as the born-digital
samples, plus an independent minimal scorer so that a bug in one cannot hide the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
import pytest
from rapidfuzz import fuzz

from extractor import check, extract, ocr
from extractor.models import Report

ROOT = Path(__file__).resolve().parents[1]
SCANNED_SAMPLES, SCANNED_GOLDEN = ROOT / "samples" / "scanned", ROOT / "golden" / "scanned"
SCANNED = sorted(SCANNED_SAMPLES.glob("scanned-*.pdf"))
MIN_F1 = 0.9


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip().lower()


def _f1(golden: list[str], predicted: list[str]) -> float:
    spare = list(predicted)
    matched = 0
    for text in golden:
        best = max(spare, key=lambda p: fuzz.ratio(_norm(p), _norm(text)), default=None)
        if best is not None and fuzz.ratio(_norm(best), _norm(text)) >= 90:
            spare.remove(best)
            matched += 1
    if not golden or not predicted:
        return 1.0 if golden == predicted else 0.0
    precision, recall = matched / len(predicted), matched / len(golden)
    return 2 * precision * recall / (precision + recall) if matched else 0.0


def test_scanned_samples_exist_and_are_small_image_only_pdfs() -> None:
    assert len(SCANNED) >= 2
    for pdf in SCANNED:
        assert pdf.stat().st_size <= 1_500_000, pdf.name
        doc = pymupdf.open(pdf)
        assert sum(len(page.get_text().strip()) for page in doc) == 0, f"{pdf.name} has a text layer"
        golden = json.loads((SCANNED_GOLDEN / f"{pdf.stem}.json").read_text(encoding="utf-8"))
        assert golden["pages"] == doc.page_count
        assert golden["recommendations"] and all(r["ocr"] for r in golden["recommendations"])


@pytest.mark.parametrize("name", [p.stem for p in SCANNED] or ["missing"])
def test_golden_is_a_copy_of_the_source_golden(name: str) -> None:
    golden = json.loads((SCANNED_GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    source = ROOT / "golden" / golden["scanned_from"]["sample"].replace(".pdf", ".json")
    if not source.exists():
        pytest.skip(f"source golden {source.name} not in this checkout")
    original = json.loads(source.read_text(encoding="utf-8"))
    strip = [{k: v for k, v in r.items() if k not in ("ocr", "page", "bbox")}
             for r in golden["recommendations"]]
    assert strip == [{k: v for k, v in r.items() if k not in ("page", "bbox")}
                     for r in original["recommendations"]]
    assert golden["metadata"] == original["metadata"]


needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason=ocr.INSTALL_HINT)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    """Each scanned sample extracted once (OCR is the slow part: ~2 s a page)."""
    return {pdf.name: extract(pdf) for pdf in SCANNED}


@pytest.mark.timeout(300)
@needs_tesseract
@pytest.mark.parametrize("pdf", SCANNED, ids=[p.stem for p in SCANNED])
def test_scanned_sample_reaches_tolerance_with_ocr_rows(pdf: Path, reports: dict[str, Report]) -> None:
    golden = json.loads((SCANNED_GOLDEN / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    report = reports[pdf.name]
    assert report.error is None, report.error
    assert report.recommendations and all(r.ocr for r in report.recommendations)
    assert any("OCR used on" in w for w in report.warnings)
    f1 = _f1([r["text"] for r in golden["recommendations"]], [r.text for r in report.recommendations])
    assert f1 >= MIN_F1, f"{pdf.name}: F1 {f1:.2f} < {MIN_F1}"


@pytest.mark.timeout(300)
@needs_tesseract
def test_check_passes_on_scanned_samples_with_their_thresholds(reports: dict[str, Report]) -> None:
    result = check.check(SCANNED_SAMPLES, SCANNED_GOLDEN, extract_fn=lambda path: reports[path.name])
    assert result.thresholds["min_f1"] == MIN_F1
    assert not result.failures, result.failures
    assert result.overall.f1 >= MIN_F1


def test_scanned_sample_without_ocr_is_a_named_no_text_error() -> None:
    report = extract(SCANNED[0], settings={"ocr": "never"})
    assert report.error is not None and report.error["kind"] == "no_text"
    assert "--ocr never" in report.error["message"] or "OCR" in report.error["message"]
