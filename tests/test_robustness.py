"""Robustness: damaged, hostile and enormous PDFs, and the shared real-world corpus.

Every input must end as a ``Report`` that either has results or names an error kind from
``extractor.errors``, in bounded time, with no traceback. For files that open, the
results must match the committed snapshot (``tests/data/corpus_snapshot.json``,
regenerated on purpose with ``python scripts/run_corpus.py --update-snapshot``).
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import errors, extract, ocr
from extractor.models import Report
from scripts import run_corpus
from tests import pdf_factory

REPO = Path(__file__).resolve().parents[1]
KINDS = {
    cls.kind for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, errors.ExtractorError)
}
NO_OCR = {"ocr": "never"}


def _named_or_ok(report: Report) -> None:
    """The report either succeeded or carries a known kind and a non-empty message."""
    assert isinstance(report, Report)
    if report.error is not None:
        assert report.error["kind"] in KINDS, report.error
        assert report.error["message"].strip()
        assert report.recommendations == []


# --------------------------------------------------------------------------- damaged copies
@pytest.fixture(scope="module")
def original() -> bytes:
    return pdf_factory.report_pdf()


@pytest.fixture(scope="module")
def baseline(original: bytes) -> Report:
    report = extract(original, name="original.pdf", settings=NO_OCR)
    assert report.error is None
    return report


def _flip(data: bytes, count: int = 64, seed: int = 7) -> bytes:
    out = bytearray(data)
    step = max(len(out) // (count + 1), 1)
    for i in range(1, count + 1):
        out[(i * step + seed) % len(out)] ^= 0xFF
    return bytes(out)


def _broken_xref(data: bytes) -> bytes:
    """Point startxref at the wrong offset and blank the xref keyword."""
    head, _, tail = data.rpartition(b"startxref")
    number = tail.split()[0]
    broken = head + b"startxref" + tail.replace(number, b"1" * len(number), 1)
    return broken.replace(b"\nxref\n", b"\nxxxx\n", 1)


def _encrypted(data: bytes, user: str) -> bytes:
    doc = pymupdf.open(stream=data, filetype="pdf")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user, owner_pw="owner-secret")


DAMAGED = {
    # name: (make bytes from the original, expected kind or None for "opens like the original")
    "truncated-half": (lambda d: d[: len(d) // 2], "corrupt"),
    "truncated-tail": (lambda d: d[:-40], "corrupt"),
    "xref-broken": (_broken_xref, None),
    "encrypted-user-password": (lambda d: _encrypted(d, "user-secret"), "encrypted"),
    "encrypted-empty-user-password": (lambda d: _encrypted(d, ""), None),
    "zero-pages": (lambda d: pdf_factory.raw_pdf(0), "empty"),
    "html-error-page": (lambda d: b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "not_a_pdf"),
    "zero-bytes": (lambda d: b"", "empty"),
    "header-only": (lambda d: b"%PDF-1.7\n", "corrupt"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_damaged_copy_fails_by_name_or_matches_original(case: str, original: bytes,
                                                         baseline: Report) -> None:
    make, expected = DAMAGED[case]
    report = extract(make(original), name=f"{case}.pdf", settings=NO_OCR)
    _named_or_ok(report)
    if expected is None:
        assert report.error is None, report.error
        assert len(report.recommendations) == len(baseline.recommendations)
        assert report.pages == baseline.pages
    else:
        assert report.error is not None and report.error["kind"] == expected, report.error


@pytest.mark.timeout(60)
def test_flipped_bytes_never_crash(original: bytes) -> None:
    for seed in range(12):
        _named_or_ok(extract(_flip(original, seed=seed), name=f"flipped-{seed}.pdf", settings=NO_OCR))


@pytest.mark.timeout(60)
def test_ten_thousand_pages_is_refused_fast_and_finishes_when_allowed() -> None:
    data = pdf_factory.raw_pdf(10_000)
    start = time.perf_counter()
    refused = extract(data, name="10k.pdf")
    assert refused.error is not None and refused.error["kind"] == "too_large"
    assert "10000" in refused.error["message"]
    assert time.perf_counter() - start < 5.0
    start = time.perf_counter()
    allowed = extract(data, name="10k.pdf", settings={"max_pages": 20_000, "ocr": "never"})
    elapsed = time.perf_counter() - start
    _named_or_ok(allowed)
    assert allowed.error is None and allowed.pages == 10_000
    assert elapsed < 45.0, f"10,000 pages took {elapsed:.1f} s"  # measured ~2 s (load only)


@pytest.mark.timeout(60)
def test_huge_image_page_is_bounded(baseline: Report) -> None:
    start = time.perf_counter()
    report = extract(pdf_factory.huge_image_pdf(12_000), name="huge-image.pdf")
    assert time.perf_counter() - start < 30.0
    assert report.error is None
    assert len(report.recommendations) == len(baseline.recommendations)


@pytest.mark.timeout(90)
@pytest.mark.skipif(not ocr.tesseract_available(), reason=ocr.INSTALL_HINT)
def test_poster_page_with_only_an_image_is_ocrd_in_bounded_time() -> None:
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8000, 8000), False)
    pix.clear_with(255)
    doc = pymupdf.open()
    page = doc.new_page(width=14_400, height=14_400)  # the largest page PDF allows
    page.insert_image(page.rect, pixmap=pix)
    start = time.perf_counter()
    report = extract(doc.tobytes(deflate=True), name="poster.pdf")
    assert time.perf_counter() - start < 60.0
    _named_or_ok(report)


@pytest.mark.timeout(120)
def test_cli_names_every_failure_without_traceback(tmp_path: Path, original: bytes) -> None:
    for case, (make, _) in DAMAGED.items():
        (tmp_path / f"{case}.pdf").write_bytes(make(original))
    (tmp_path / "flipped.pdf").write_bytes(_flip(original))
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(tmp_path), "--ocr", "never", "-o", str(out)],
        capture_output=True, text=True, timeout=110, cwd=REPO,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    reports = {Path(r["file"]).stem: r for r in json.loads(out.read_text())}
    for case, (_, expected) in DAMAGED.items():
        got = reports[case]["error"]
        assert (got or {}).get("kind") == expected, (case, got)
        if expected is not None:
            assert any(f"{case}.pdf" in line for line in done.stderr.splitlines()), done.stderr


# --------------------------------------------------------------------------- property-based
_OPS = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]),
              st.floats(0.0, 1.0, allow_nan=False), st.integers(0, 255), st.integers(1, 64)),
    min_size=1, max_size=6,
)


def _mutate(data: bytes, ops: list[tuple[str, float, int, int]]) -> bytes:
    out = bytearray(data)
    for op, where, value, length in ops:
        pos = int(where * max(len(out) - 1, 0))
        if op == "flip" and out:
            for i in range(pos, min(pos + length, len(out))):
                out[i] ^= value or 0xFF
        elif op == "insert":
            out[pos:pos] = bytes([value]) * length
        elif op == "delete":
            del out[pos: pos + length]
        elif op == "truncate":
            del out[pos:]
    return bytes(out)


@pytest.mark.timeout(180)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(ops=_OPS)
def test_mutated_bytes_never_raise(ops: list[tuple[str, float, int, int]]) -> None:
    data = _mutate(_FUZZ_BASE, ops)
    report = extract(data, name="mutated.pdf", settings=NO_OCR)
    _named_or_ok(report)


_FUZZ_BASE = pdf_factory.report_pdf()


# --------------------------------------------------------------------------- shared corpus
def _corpus() -> tuple[Path, list[dict[str, str]], dict[str, dict]]:
    shared = run_corpus.shared_dir()
    if shared is None:
        pytest.skip("shared pdfcorpus not found (set DHR_SHARED)")
    if not run_corpus.SNAPSHOT.exists():
        pytest.fail("tests/data/corpus_snapshot.json is missing: run scripts/run_corpus.py --update-snapshot")
    snapshot = json.loads(run_corpus.SNAPSHOT.read_text())
    return shared / "pdfcorpus", run_corpus.read_manifest(shared / "pdfcorpus"), snapshot


def _check_against_snapshot(names: list[str], corpus: Path, snapshot: dict[str, dict],
                            timeout: float) -> None:
    outcomes = run_corpus.run_files([corpus / n for n in names], timeout=timeout)
    problems = []
    can_ocr = ocr.tesseract_available()
    for path, got in outcomes.items():
        name = str(path.relative_to(corpus))
        if got.error in ("exception", "crash", "timeout") or (got.error and got.error not in KINDS):
            problems.append(f"{name}: {got.error} ({got.seconds} s) {got.detail[-400:]}")
            continue
        want = snapshot.get(name)
        if want is None:
            problems.append(f"{name}: not in the snapshot (run scripts/run_corpus.py --update-snapshot)")
        elif want.get("ocr") and not can_ocr:
            continue  # OCR'd in the snapshot; without Tesseract the result legitimately differs
        elif (got.error, got.recommendations) != (want["error"], want["recommendations"]):
            problems.append(f"{name}: now {got.error}/{got.recommendations} rows, "
                            f"snapshot {want['error']}/{want['recommendations']} rows")
    assert not problems, "\n".join(problems)


@pytest.mark.timeout(300)
def test_corpus_subset_matches_snapshot() -> None:
    corpus, rows, snapshot = _corpus()
    names = run_corpus.select_subset(rows, snapshot)
    assert len(names) >= 60
    _check_against_snapshot(names, corpus, snapshot, timeout=60.0)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_full_corpus_matches_snapshot() -> None:
    corpus, rows, snapshot = _corpus()
    assert set(snapshot) == {r["file"] for r in rows}, "snapshot and MANIFEST.csv disagree"
    _check_against_snapshot([r["file"] for r in rows], corpus, snapshot, timeout=run_corpus.DEFAULT_TIMEOUT)
