"""``dhr-extract batch``, ``export`` and ``diff`` from the command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from batch_helpers import make_corpus, make_pdf, numbered_rows
from typer.testing import CliRunner

from extractor.batch import BatchStore, LocalExecutor, run_batch
from extractor.cli import app
from extractor.normalise import AgencyRegistry

pytestmark = pytest.mark.timeout(120)


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def _build(store: Path, folder: Path, force: bool = False):
    """Fill a store with the stand-in extractor (so rows exist whatever the real stages do)."""
    with BatchStore(store) as opened:
        return run_batch([folder], store=opened, registry=AgencyRegistry.load(), force=force,
                         executor=LocalExecutor(2, fn=numbered_rows))


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Path, int]:
    folder = tmp_path / "in"
    make_corpus(folder, 3)
    (folder / "broken.pdf").write_bytes(b"<html><body>Not found</body></html>")
    store = tmp_path / "s.sqlite"
    summary = _build(store, folder)
    return store, folder, summary.rows


def test_batch_reports_failures_and_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_corpus(folder, 3)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.5\n%%garbage only")
    store = tmp_path / "s.sqlite"
    first = _invoke("batch", str(folder), "--store", str(store), "--workers", "2")
    assert first.exit_code == 1
    assert "broken.pdf: corrupt PDF" in first.stderr and "[corrupt]" in first.stderr
    assert "run 1 finished: 3 done, 0 skipped, 1 failed" in first.stderr
    assert "Traceback" not in first.output
    second = _invoke("batch", str(folder), "--store", str(store), "--json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout) | {"seconds": 0} == {
        "run_id": 2, "status": "finished", "done": 0, "skipped": 4, "failed": 0, "rows": 0,
        "pages": 0, "seconds": 0, "peak_rss_mb": 0.0}
    forced = _invoke("batch", str(folder), "--store", str(store), "--force", "--json", "--workers", "1")
    assert json.loads(forced.stdout)["done"] == 3


def test_batch_default_store_is_in_the_working_folder(tmp_path: Path, monkeypatch) -> None:
    make_pdf(tmp_path / "in" / "a.pdf")
    monkeypatch.chdir(tmp_path)
    result = _invoke("batch", "in")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dhr-extract.sqlite").is_file()


def test_batch_reads_a_fetch_manifest(tmp_path: Path) -> None:
    make_pdf(tmp_path / "dl" / "files" / "one.pdf")
    make_pdf(tmp_path / "dl" / "files" / "two.pdf", tag="two")
    make_pdf(tmp_path / "dl" / "files" / "unlisted.pdf", tag="three")
    manifest = tmp_path / "dl" / "manifest.csv"
    manifest.write_text("file,title,csp\nfiles/one.pdf,DHR One,Leeds\nfiles/two.pdf,DHR Two,York\n")
    store = tmp_path / "s.sqlite"
    result = _invoke("batch", str(manifest), "--store", str(store), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["done"] == 2
    with BatchStore(store) as opened:
        view = {Path(r.path).name: r.report for r in opened.view()}
    assert sorted(view) == ["one.pdf", "two.pdf"]
    assert (view["one.pdf"].metadata.title, view["one.pdf"].metadata.csp) == ("DHR One", "Leeds")
    assert view["two.pdf"].metadata.sources["csp"] == "manifest"
    jsonl = tmp_path / "dl" / "manifest.jsonl"
    jsonl.write_text('{"file": "files/unlisted.pdf"}\n\n')
    again = _invoke("batch", str(jsonl), "--store", str(store), "--json")
    assert json.loads(again.stdout)["done"] == 1


def test_batch_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = _invoke("batch", str(tmp_path / "empty"), "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 2 and "no PDF files" in result.output
    bad = tmp_path / "m.csv"
    bad.write_text("name,url\nx,y\n")
    result = _invoke("batch", str(bad), "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 1 and "m.csv: not a manifest" in result.output
    make_pdf(tmp_path / "y" / "a.pdf")
    result = _invoke("batch", str(tmp_path / "y"), "--manifest", str(tmp_path / "none.csv"),
                     "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 1 and "none.csv: manifest not found" in result.output
    with BatchStore(tmp_path / "s.sqlite") as opened:
        assert opened.runs() == []  # refused before a run was opened
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello" * 200)
    make_pdf(tmp_path / "x" / "a.pdf")
    result = _invoke("batch", str(tmp_path / "x"), "--store", str(junk))
    assert result.exit_code == 1 and "not a dhr-extract store" in result.output


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "parquet", "xlsx"])
def test_export_every_format(filled, tmp_path: Path, fmt: str) -> None:
    store, _, rows = filled
    out = tmp_path / f"out.{fmt}"
    result = _invoke("export", str(store), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        table = list(csv.DictReader(io.StringIO(out.read_text())))
        assert len(table) == rows and table[0]["id"] == "9.1"
    elif fmt == "json":
        data = json.loads(out.read_text())
        assert len(data) == 4 and sum(len(r["recommendations"]) for r in data) == rows
        assert sum(1 for r in data if r["error"]) == 1
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert len(lines) == 4 and {r["error"]["kind"] for r in lines if r["error"]} == {"not_a_pdf"}
    elif fmt == "md":
        text = out.read_text()
        assert text.count("| 9.1 |") == 3 and "Error: not_a_pdf" in text
    elif fmt == "parquet":
        assert len(pd.read_parquet(out)) == rows
    else:
        assert len(pd.read_excel(out)) == rows


def test_export_to_stdout_and_of_an_earlier_run(filled) -> None:
    store, folder, rows = filled
    make_pdf(folder / "report-000.pdf", recs=9, tag="v2")
    _build(store, folder)
    now = _invoke("export", str(store), "-f", "csv")
    before = _invoke("export", f"{store}@1", "-f", "csv")
    assert len(now.stdout.splitlines()) - 1 == rows + 6
    assert len(before.stdout.splitlines()) - 1 == rows
    assert _invoke("export", str(store), "-f", "parquet").exit_code == 2
    missing = _invoke("export", f"{store}@7")
    assert missing.exit_code == 1 and "no run 7" in missing.output


def test_diff_detects_added_removed_and_changed_rows(filled, tmp_path: Path) -> None:
    store, folder, _ = filled
    make_pdf(folder / "report-001.pdf", recs=6, tag="r1")       # 4 rows before: two added
    make_pdf(folder / "report-002.pdf", recs=2, tag="r2 again")  # 5 rows before: 2 changed, 3 removed
    make_pdf(folder / "report-new.pdf", recs=2, tag="fresh")     # a new report
    _build(store, folder)
    result = _invoke("diff", f"{store}@1", f"{store}@2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_file = {r["file"]: r for r in data["reports"]}
    assert set(by_file) == {"report-001.pdf", "report-002.pdf", "report-new.pdf"}
    assert by_file["report-001.pdf"]["status"] == "changed"
    assert [r["id"] for r in by_file["report-001.pdf"]["added"]] == ["9.5", "9.6"]
    assert by_file["report-001.pdf"]["changed"] == [] and by_file["report-001.pdf"]["removed"] == []
    r2 = by_file["report-002.pdf"]
    assert [c["fields"] for c in r2["changed"]] == [["text"], ["text"]]
    assert [r["id"] for r in r2["removed"]] == ["9.3", "9.4", "9.5"]
    assert by_file["report-new.pdf"]["status"] == "added"
    assert data["summary"]["reports_unchanged"] == 2
    table = _invoke("diff", str(store))  # the last two runs, as a table
    assert table.exit_code == 0
    assert "report-002.pdf" in table.stdout and "~ 9.1:" in table.stdout and "+ 9.5:" in table.stdout


def test_diff_between_stores_matches_moved_files_by_hash(filled, tmp_path: Path) -> None:
    store, folder, _ = filled
    moved = tmp_path / "elsewhere"
    shutil.copytree(folder, moved)
    (moved / "report-000.pdf").unlink()
    other = tmp_path / "other.sqlite"
    _build(other, moved)
    data = json.loads(_invoke("diff", str(store), str(other), "-f", "json").stdout)
    assert [(r["file"], r["status"], len(r["removed"])) for r in data["reports"]] == [
        ("report-000.pdf", "removed", 3)]
    assert data["summary"]["reports_unchanged"] == 3


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    from rich.console import Console

    from extractor.batch.progress import RichObserver

    make_corpus(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.pdf").write_bytes(b"")
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160, color_system=None)
    with BatchStore(tmp_path / "s.sqlite") as store, RichObserver(console) as observer:
        run_batch([tmp_path / "in"], store=store, executor=LocalExecutor(1), observer=observer)
    text = out.getvalue()
    assert "3/3" in text and "pages/s" in text and "ETA" in text
    assert "bad.pdf: empty file (0 bytes) [empty]" in text
    assert "run 1 finished: 2 done, 0 skipped, 1 failed" in text


def test_forced_rerun_reads_ocr_pages_from_the_cache(tmp_path: Path) -> None:
    from extractor import ocr
    from tests import pdf_factory

    if not ocr.tesseract_available():
        pytest.skip(ocr.INSTALL_HINT)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(pdf_factory.scanned_pdf(pdf_factory.report_pdf(), dpi=120))
    store, cache = tmp_path / "s.sqlite", tmp_path / "ocr"
    args = ("batch", str(folder), "--store", str(store), "--ocr-cache", str(cache), "--workers", "1", "--json")
    first = _invoke(*args)
    assert first.exit_code == 0, first.output
    entries = sorted(cache.rglob("*.json"))
    assert entries, "the worker kept no OCR'd page"
    written = [p.stat().st_mtime_ns for p in entries]
    exported = _invoke("export", str(store), "--format", "jsonl").stdout
    second = _invoke(*args, "--force")
    assert json.loads(second.stdout)["done"] == 1
    assert json.loads(second.stdout)["rows"] == json.loads(first.stdout)["rows"] > 0
    assert sorted(cache.rglob("*.json")) == entries
    assert [p.stat().st_mtime_ns for p in entries] == written  # read back, not OCR'd and rewritten
    assert _invoke("export", str(store), "--format", "jsonl").stdout == exported
