"""The seed report: our sample of it must reproduce the target page's 12 rows.

The target table is read from ../shared/seed/ (skipped when absent). Ids and texts must
match exactly; the target's "Addressed to" column is the raw addressee as printed, which
we keep in ``addressed_to_raw`` (``addressed_to`` holds the canonical registry names).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractor
from extractor.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED_PDF = ROOT / "samples" / "manchester-2016.pdf"


def target_rows(shared: Path) -> list[tuple[str, str, str]]:
    text = (shared / "seed" / "manchester-2016-target-page.txt").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 3 and cells[0][:1].isdigit():
            rows.append((cells[0], cells[1], cells[2]))
    return rows


@pytest.fixture
def seed_rows(shared):
    if not SEED_PDF.exists():
        pytest.skip("seed sample not built")
    rows = target_rows(shared)
    assert len(rows) == 12
    return rows


def test_seed_sample_reproduces_target_rows(seed_rows):
    report = extractor.extract(SEED_PDF)
    got = [(r.id, r.text, r.addressed_to_raw) for r in report.recommendations]
    assert got == seed_rows


def test_seed_sample_markdown(seed_rows):
    result = CliRunner().invoke(app, ["extract", str(SEED_PDF), "--format", "md"])
    assert result.exit_code == 0
    body = result.stdout.splitlines()[2:]
    assert len(body) == 12
    for line, (rid, text, _) in zip(body, seed_rows):
        assert line.startswith(f"| {rid} | {text} | ")


def test_seed_sample_markdown_with_printed_addressees_is_the_target_table(seed_rows):
    result = CliRunner().invoke(app, ["extract", str(SEED_PDF), "--format", "md", "--raw-addressees"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [f"| {a} | {b} | {c} |" for a, b, c in seed_rows]
