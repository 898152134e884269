"""Reading fetch manifests and turning rows into report metadata (used by extract/batch)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pymupdf
import pytest

from extractor.api import extract
from extractor.fetch.manifest import ManifestStore
from extractor.manifest import (
    MANIFEST_COLUMNS,
    ManifestError,
    ManifestResolver,
    ManifestRow,
    find_manifest,
    load_manifest,
)

ROW_A = ManifestRow(
    download_id="69bd1aa03cf6fe13c306ed9c", title="Adult Q", csp="Riverton", csp_region="North West",
    uploaded="2026-03", date_of_death="2023-06",
    url="https://library.example.test/download/69bd1aa03cf6fe13c306ed9c",
    file="69bd1aa03cf6fe13c306ed9c.pdf", sha256="a" * 64, bytes=1234, status="ok",
    label="Adult Q - Riverton - 2023/a - DHR",
)
ROW_B = ManifestRow(
    download_id="final-dhr-adult-b-0123456789", url="https://csp.example.test/final-dhr-adult-b.pdf",
    file="final-dhr-adult-b-0123456789.pdf", sha256="b" * 64, bytes=99, status="ok",
)
ROW_FAILED = ManifestRow(
    download_id="69bbc92076c12c2bbec00960", title="Marigold & Fen", csp="Eastbrook", uploaded="2026-03",
    url="https://library.example.test/download/69bbc92076c12c2bbec00960",
    file="69bbc92076c12c2bbec00960.pdf", status="failed", error="HTTP 404 NOT FOUND",
)


def write_manifest(folder: Path, rows: list[ManifestRow]) -> ManifestStore:
    store = ManifestStore(folder)
    store.merge_listing(rows)
    return store


def make_pdf(path: Path) -> str:
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [f"Line {n} of an invented domestic homicide review used as a test fixture." for n in range(40)]
    page.insert_text((72, 72), "\n".join(lines), fontsize=9)
    doc.save(path)
    doc.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["manifest.csv", "manifest.jsonl"])
def test_round_trip_through_both_formats(tmp_path: Path, name: str) -> None:
    write_manifest(tmp_path, [ROW_A, ROW_B, ROW_FAILED])
    manifest = load_manifest(tmp_path / name)
    assert manifest.rows == [ROW_A, ROW_B, ROW_FAILED]
    assert manifest.path == tmp_path / name and len(manifest) == 3


def test_csv_header_is_the_documented_column_list(tmp_path: Path) -> None:
    write_manifest(tmp_path, [ROW_A])
    header = (tmp_path / "manifest.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(MANIFEST_COLUMNS)
    assert header[:12] == [
        "download_id", "title", "csp", "csp_region", "uploaded", "date_of_death", "url", "file",
        "sha256", "bytes", "status", "error",
    ]


def test_metadata_for_matches_by_file_name(tmp_path: Path) -> None:
    write_manifest(tmp_path, [ROW_A, ROW_B])
    meta = load_manifest(tmp_path / "manifest.csv").metadata_for(tmp_path / ROW_A.file)
    assert meta is not None
    assert (meta.title, meta.csp, meta.published, meta.year_of_death, meta.source_url) == (
        "Adult Q", "Riverton", "2026-03", 2023, ROW_A.url,
    )
    assert meta.sources == {
        "title": "manifest", "csp": "manifest", "published": "manifest",
        "year_of_death": "manifest", "source_url": "manifest",
    }


def test_metadata_for_matches_by_stem_and_by_sha(tmp_path: Path) -> None:
    write_manifest(tmp_path, [ROW_A, ROW_B])
    manifest = load_manifest(tmp_path / "manifest.jsonl")
    # Renamed elsewhere but keeping the id as its stem.
    by_stem = ROW_A.download_id + ".pdf"
    assert manifest.row_for(Path("/elsewhere") / by_stem) == ROW_A
    # Renamed completely: only the hash identifies it.
    assert manifest.row_for("renamed.pdf") is None
    assert manifest.row_for("renamed.pdf", sha256="B" * 64) == ROW_B
    meta = manifest.metadata_for("renamed.pdf", sha256="b" * 64)
    assert meta is not None and meta.title is None and meta.source_url == ROW_B.url
    assert set(meta.sources) == {"source_url"}


def test_missing_values_give_none_not_empty_strings(tmp_path: Path) -> None:
    write_manifest(tmp_path, [ROW_B])
    (row,) = load_manifest(tmp_path / "manifest.csv").rows
    assert row.title is None and row.date_of_death is None and row.error is None
    assert row.metadata().year_of_death is None


def test_find_manifest_beside_the_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    assert find_manifest(pdf) is None
    (tmp_path / "manifest.jsonl").write_text("", encoding="utf-8")
    assert find_manifest(pdf) == tmp_path / "manifest.jsonl"
    write_manifest(tmp_path, [ROW_A])
    assert find_manifest(pdf) == tmp_path / "manifest.csv"


def test_bad_manifests_name_the_file_and_reason(tmp_path: Path) -> None:
    broken = tmp_path / "manifest.jsonl"
    broken.write_text('{"download_id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="line 2 is not JSON") as info:
        load_manifest(broken)
    assert str(broken) in str(info.value)
    other = tmp_path / "other.csv"
    other.write_text("name,age\nA,3\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="not a manifest"):
        load_manifest(other)
    with pytest.raises(ManifestError, match="not found"):
        load_manifest(tmp_path / "absent.csv")
    assert ManifestError("x").kind == "manifest"


def test_hand_written_csv_with_only_some_columns(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("file,title,uploaded,date_of_death,bytes\nreport.pdf,Adult Z,2024-05,2019-11,n/a\n", encoding="utf-8")
    meta = load_manifest(path).metadata_for(tmp_path / "report.pdf")
    assert meta is not None and (meta.title, meta.published, meta.year_of_death) == ("Adult Z", "2024-05", 2019)
    assert load_manifest(path).rows[0].bytes is None


def test_resolver_uses_manifest_beside_each_pdf_and_caches(tmp_path: Path) -> None:
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    for folder in (one, two, three):
        folder.mkdir()
    write_manifest(one, [ROW_A])
    write_manifest(two, [ROW_B])
    resolver = ManifestResolver()
    assert resolver.metadata_for(one / ROW_A.file).title == "Adult Q"  # type: ignore[union-attr]
    assert resolver.metadata_for(two / ROW_B.file).source_url == ROW_B.url  # type: ignore[union-attr]
    assert resolver.metadata_for(three / "x.pdf") is None
    assert resolver.manifest_for(one / "other.pdf") is resolver.manifest_for(one / ROW_A.file)


def test_resolver_ignores_a_broken_manifest_beside_pdfs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "manifest.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert ManifestResolver().metadata_for(tmp_path / "a.pdf") is None
    assert "ignoring manifest" in caplog.text and "not a JSON object" in caplog.text


def test_resolver_with_explicit_manifest(tmp_path: Path) -> None:
    elsewhere = tmp_path / "meta"
    elsewhere.mkdir()
    write_manifest(elsewhere, [ROW_A])
    write_manifest(tmp_path, [ROW_B])  # beside the PDF, but --manifest wins
    resolver = ManifestResolver(elsewhere / "manifest.csv")
    assert resolver.metadata_for(tmp_path / ROW_A.file).title == "Adult Q"  # type: ignore[union-attr]
    assert resolver.metadata_for(tmp_path / ROW_B.file) is None
    with pytest.raises(ManifestError):
        ManifestResolver(tmp_path / "absent.csv")


def test_extract_takes_metadata_from_the_manifest(tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    sha = make_pdf(pdf)
    row = ManifestRow(
        download_id="review", title="Adult Q", csp="Riverton", uploaded="2026-03",
        date_of_death="2023-06", url="https://library.example.test/download/x", file="review.pdf",
        sha256=sha, bytes=pdf.stat().st_size, status="ok",
    )
    write_manifest(tmp_path, [row])
    meta = ManifestResolver().metadata_for(pdf, sha256=sha)
    report = extract(pdf, metadata=meta)
    assert report.error is None
    out = report.to_dict()["metadata"]
    assert (out["title"], out["csp"], out["published"], out["year_of_death"], out["source_url"]) == (
        "Adult Q", "Riverton", "2026-03", 2023, row.url,
    )
    assert out["sources"]["title"] == "manifest"
