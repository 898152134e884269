"""The OCR page cache: stored lines come back unchanged, a re-extraction skips the OCR
engine, and a broken or unwritable cache never fails an extraction."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from extractor import api, load, ocr
from extractor.models import Line
from extractor.ocr_cache import FORMAT_VERSION, OcrCache, OcrPage, default_directory
from extractor.ruling import Rulings, Segment
from extractor.settings import Settings
from tests import pdf_factory

SHA = "ab" + "0" * 62


@pytest.fixture
def cache(tmp_path: Path) -> OcrCache:
    return OcrCache(tmp_path / "ocr", "setup-1")


@pytest.fixture(scope="module")
def scanned() -> bytes:
    """A report whose every page is a picture: each one goes to the OCR hook."""
    return pdf_factory.scanned_pdf(pdf_factory.report_pdf(), dpi=50)


class CountingOcr:
    """A stand-in OCR engine: one line per page naming it, and a count of its calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, page: object, number: int) -> list[Line]:
        self.calls.append(number)
        return [Line(f"9.{number} The police should review page {number} of this report.", number,
                     (72.0, 100.0 + number, 500.0, 112.0 + number), 11.0, number == 1, False, "ocr", 0)]


def test_lines_round_trip_exactly(cache: OcrCache) -> None:
    lines = [
        Line("9.1 Recommendations", 3, (72.0, 90.5, 300.25, 104.0), 14.0, True, False, "ocr", 0),
        Line("Ünïcode – “quoted” text", 3, (72.0, 110.0, 520.0, 122.0), 11.0, False, True, "ocr", 2),
    ]
    cache.put(SHA, 3, OcrPage(tuple(lines)))
    assert cache.get(SHA, 3) == OcrPage(tuple(lines))


def test_table_borders_round_trip_and_unsought_ones_stay_unsought(cache: OcrCache) -> None:
    line = Line("Merseyside Police", 3, (393.0, 128.0, 466.0, 140.0), 9.1, False, False, "ocr", 4)
    borders = Rulings((Segment(True, 105.4, 63.7, 528.8), Segment(False, 100.1, 104.4, 710.4)),
                      slope=-0.0045, lean=0.0035)
    cache.put(SHA, 3, OcrPage((line,), borders))
    assert cache.get(SHA, 3) == OcrPage((line,), borders)
    cache.put(SHA, 4, OcrPage((line,)))  # a hook that did not look for borders
    assert cache.get(SHA, 4).rulings is None


def test_a_blank_page_is_remembered_as_blank(cache: OcrCache) -> None:
    cache.put(SHA, 7, OcrPage((), Rulings(())))
    assert cache.get(SHA, 7) == OcrPage((), Rulings(()))


def test_miss_other_page_other_document_other_setup(cache: OcrCache) -> None:
    cache.put(SHA, 1, OcrPage((Line("text", 1, (0.0, 0.0, 1.0, 1.0)),)))
    assert cache.get(SHA, 2) is None
    assert cache.get("cd" + "0" * 62, 1) is None
    assert OcrCache(cache.directory, "setup-2").get(SHA, 1) is None  # a new Tesseract, say


@pytest.mark.parametrize("content", ["{not json", '{"format": 2}', '{"format": 2, "lines": [["too few"]]}',
                                     '{"format": 2, "lines": []}', '{"format": 1, "lines": []}',
                                     '{"format": 999, "lines": []}', "[]"])
def test_a_damaged_or_foreign_entry_is_a_miss(cache: OcrCache, content: str) -> None:
    path = cache.path(SHA, 1)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    assert cache.get(SHA, 1) is None


def test_writes_leave_no_temporary_files(cache: OcrCache) -> None:
    for page in (1, 2, 2):
        cache.put(SHA, page, OcrPage((Line("x", page, (0.0, 0.0, 1.0, 1.0)),)))
    folder = cache.path(SHA, 1).parent
    assert sorted(p.name for p in folder.iterdir()) == ["1.json", "2.json"]
    assert f'"format": {FORMAT_VERSION}' in cache.path(SHA, 1).read_text(encoding="utf-8")


def test_an_unwritable_cache_warns_and_carries_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    broken = OcrCache(blocker, "setup-1")
    with caplog.at_level(logging.WARNING):
        broken.put(SHA, 1, OcrPage(()))
    assert "cannot write the OCR cache" in caplog.text
    assert broken.get(SHA, 1) is None


def test_loader_ocrs_once_then_reads_the_cache(cache: OcrCache, scanned: bytes) -> None:
    engine = CountingOcr()
    first = load.load_document(scanned, name="scan.pdf", ocr_hook=engine, ocr_cache=cache)
    pages = first.page_count
    assert engine.calls == list(range(1, pages + 1))
    second = load.load_document(scanned, name="scan.pdf", ocr_hook=engine, ocr_cache=cache)
    assert engine.calls == list(range(1, pages + 1))  # not called again
    assert second.pages == first.pages
    assert all(page.ocr for page in second.pages)


def test_a_failed_ocr_is_not_remembered(cache: OcrCache, scanned: bytes) -> None:
    calls: list[int] = []

    def failing(page: object, number: int) -> None:
        calls.append(number)
        return None  # Tesseract crashed or timed out

    for _ in range(2):
        with pytest.raises(Exception, match="no text"):
            load.load_document(scanned, name="scan.pdf", ocr_hook=failing, ocr_cache=cache)
    assert len(calls) == 2 * len(set(calls))  # asked again on the second run
    assert not cache.directory.exists()


def test_extract_reuses_the_cache_and_gives_the_same_report(
    tmp_path: Path, scanned: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = CountingOcr()
    monkeypatch.setattr(ocr, "tesseract_available", lambda language=ocr.LANGUAGE: True)
    monkeypatch.setattr(ocr, "ocr_page", engine)
    monkeypatch.setattr(ocr, "fingerprint", lambda: "test-setup")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scanned)
    settings = Settings(ocr_cache=tmp_path / "cache")
    first = api.extract(pdf, settings=settings).to_dict()
    calls = len(engine.calls)
    second = api.extract(pdf, settings=settings).to_dict()
    assert calls > 0 and len(engine.calls) == calls
    assert second == first
    assert (tmp_path / "cache" / "test-setup").is_dir()
    api.extract(pdf)  # the API default keeps no cache
    assert len(engine.calls) == 2 * calls


def test_settings_accept_a_string_folder() -> None:
    assert Settings.resolve({"ocr_cache": "~/ocr"}).ocr_cache == Path("~/ocr").expanduser()


def test_default_folder_is_the_per_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if not str(default_directory()).startswith(str(tmp_path)):
        pytest.skip("this platform's cache folder does not follow XDG_CACHE_HOME")
    assert default_directory() == tmp_path / "dhr-extract" / "ocr"


def test_fingerprint_names_the_setup() -> None:
    assert len(ocr.fingerprint()) == 16
    assert ocr.fingerprint() == ocr.fingerprint()


def test_a_text_layer_document_never_asks_for_tesseract(monkeypatch, tmp_path):
    """Neither the OCR engine nor its version (the cache key) is looked up when no page
    needs OCR: a batch of born-digital reports never starts ``tesseract``."""
    from pdfbuilder import build_pdf

    import extractor

    def refuse(*args, **kwargs):
        raise AssertionError("tesseract was asked for")

    monkeypatch.setattr(ocr, "tesseract_available", refuse)
    monkeypatch.setattr(ocr, "tesseract_version", refuse)
    pdf = tmp_path / "born-digital.pdf"
    pdf.write_bytes(build_pdf([("h1", "9. Recommendations"), ("p", "9.1 Agencies should share records. " * 5)]))
    report = extractor.extract(pdf, settings={"ocr": "auto", "ocr_cache": tmp_path / "cache"})
    assert report.error is None and report.pages == 1


def test_only_a_rendered_document_empties_mupdfs_store(
    cache: OcrCache, scanned: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emptying the process-wide store frees decoded images after OCR; after text alone
    it would only throw away colour links the next document rebuilds (see PdfFile.close)."""
    emptied: list[int] = []
    monkeypatch.setattr(load.pymupdf.TOOLS, "store_shrink", emptied.append)
    engine = CountingOcr()
    load.load_document(pdf_factory.report_pdf(), name="text.pdf", ocr_hook=engine, ocr_cache=cache)
    assert engine.calls == [] and emptied == []  # text layer: nothing rendered
    load.load_document(scanned, name="scan.pdf", ocr_hook=engine, ocr_cache=cache)
    assert engine.calls and emptied == [100]  # rendered for OCR
    load.load_document(scanned, name="scan.pdf", ocr_hook=engine, ocr_cache=cache)
    assert emptied == [100]  # every page came from the cache: nothing rendered
