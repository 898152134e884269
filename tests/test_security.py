"""Security: a PDF is data. Extraction never runs, opens or fetches what a PDF points to,
never writes files named by it, and spreadsheet exports cannot run formulas.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
from pathlib import Path

import openpyxl
import pymupdf
import pytest
from pytest_httpserver import HTTPServer

from extractor import extract
from extractor.io.writers import write_reports
from extractor.models import Metadata, Recommendation, Report
from tests import pdf_factory

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_NAME = "../../../../../../tmp/dhr-pwned-by-pdf.txt"


def hostile_pdf(url: str) -> bytes:
    """A report that tries every trick: JavaScript, launch, URI, remote go-to, attachments."""
    doc = pymupdf.open(stream=pdf_factory.report_pdf(), filetype="pdf")
    catalog = doc.pdf_catalog()
    js = f"app.launchURL('{url}/js', true); this.exportDataObject({{cName: 'evil', nLaunch: 2}});"
    doc.xref_set_key(catalog, "OpenAction", f"<</S/JavaScript/JS({js})>>")
    doc.xref_set_key(catalog, "AA", f"<</WC<</S/URI/URI({url}/will-close)>>>>")
    page = doc[3]
    rect = pymupdf.Rect(72, 60, 300, 80)
    page.insert_link({"kind": pymupdf.LINK_URI, "from": rect, "uri": f"{url}/uri"})
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": rect + (0, 30, 0, 30), "file": "/bin/sh"})
    page.insert_link({"kind": pymupdf.LINK_GOTOR, "from": rect + (0, 60, 0, 60),
                      "file": ESCAPE_NAME, "page": 0})
    doc.xref_set_key(page.xref, "AA", f"<</O<</S/Launch/F(/usr/bin/touch)/P({ESCAPE_NAME})>>>>")
    doc.embfile_add("evil", b"#!/bin/sh\necho pwned\n", filename=ESCAPE_NAME, desc="payload")
    page.add_file_annot((400, 400), b"payload", filename=ESCAPE_NAME)
    doc.set_metadata({"title": ESCAPE_NAME, "subject": "=cmd|' /C calc'!A0"})
    return doc.tobytes()


class SideEffects:
    """Records every attempt to open a socket or start a process."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(what: str):  # type: ignore[no-untyped-def]
            def _blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
                self.calls.append(f"{what}{args[:2]!r}")
                raise OSError(f"blocked by test: {what}")
            return _blocked

        monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
        monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
        monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
        real_popen = subprocess.Popen

        def popen(args, *rest, **kwargs):  # type: ignore[no-untyped-def]
            # Our own OCR engine is the one program extraction may start.
            program = Path(str(args[0] if isinstance(args, (list, tuple)) else args)).name
            if program == "tesseract":
                return real_popen(args, *rest, **kwargs)
            return refuse("subprocess.Popen")(args, *rest, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", popen)
        monkeypatch.setattr(os, "system", refuse("os.system"))
        for name in ("execv", "execve", "execvp", "spawnv", "posix_spawn", "fork"):
            if hasattr(os, name):
                monkeypatch.setattr(os, name, refuse(f"os.{name}"))
        import webbrowser

        monkeypatch.setattr(webbrowser, "open", refuse("webbrowser.open"))


@pytest.mark.timeout(60)
def test_extract_ignores_actions_links_and_attachments(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = httpserver.url_for("").rstrip("/")
    data = hostile_pdf(url)
    source = tmp_path / "hostile.pdf"
    source.write_bytes(data)
    escape_target = (tmp_path / ESCAPE_NAME).resolve()
    assert not escape_target.exists()
    before = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    effects = SideEffects()
    effects.install(monkeypatch)
    for mode in ("auto", "never"):
        report = extract(source, settings={"ocr": mode})
        assert report.error is None, report.error
        assert report.file == "hostile.pdf"  # the caller's name, never one from the PDF
    monkeypatch.undo()
    assert effects.calls == []
    assert httpserver.log == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not escape_target.exists()
    text = repr(report.to_dict())
    assert "pwned" not in text  # attachment content is not read into the output


def test_bytes_source_is_labelled_not_named_by_the_pdf(httpserver: HTTPServer) -> None:
    report = extract(hostile_pdf(httpserver.url_for("")), settings={"ocr": "never"})
    assert report.file == "<bytes>"
    named = extract(hostile_pdf(httpserver.url_for("")), name="given.pdf", settings={"ocr": "never"})
    assert named.file == "given.pdf"


PAYLOADS = ["=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "=cmd|' /C calc'!A0", " =1+1"]


def _nasty_report(payloads: list[str] = PAYLOADS) -> Report:
    recs = [
        Recommendation(id=p, text=p, addressed_to=[p], addressed_to_raw=p, page=1, section=p)
        for p in payloads
    ]
    return Report(file="=evil().pdf", sha256="0" * 64, pages=1,
                  metadata=Metadata(title="=1+1", csp="@csp", published="-2020"),
                  recommendations=recs)


def _assert_guarded(value: object) -> None:
    if isinstance(value, str) and value:
        assert not value.startswith(FORMULA_START) or value.startswith("'"), repr(value)
        assert value[0] != "=" and value[0] not in "+-@\t\r", repr(value)


def test_csv_export_neutralises_formulas() -> None:
    buf = io.StringIO()
    write_reports([_nasty_report()], "csv", buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert len(rows) == 1 + len(PAYLOADS)
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        _assert_guarded(cell)
    assert "'=HYPERLINK(\"http://127.0.0.1/x\",\"click\")" in cells  # kept, just quoted


def test_xlsx_export_neutralises_formulas(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    write_reports([_nasty_report()], "xlsx", out)
    sheet = openpyxl.load_workbook(out).active
    values = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            _assert_guarded(cell.value)
            values.append(cell.value)
    assert "'@SUM(A1:A2)" in values


def test_csv_cell_with_carriage_return_stays_one_cell() -> None:
    buf = io.StringIO()
    write_reports([_nasty_report(["\r=1+1", "a\rb"])], "csv", buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    assert len(rows) == 3
    assert rows[1][rows[0].index("text")] == "'\r=1+1"
