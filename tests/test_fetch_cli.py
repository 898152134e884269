"""``dhr-extract fetch library|urls`` end to end against the local fixture site."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from _fetch_site import FIXTURES, Site, body, new_site, real_library_page, serving, status
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from extractor.cli import app
from extractor.fetch.library import parse_month
from extractor.manifest import load_manifest

FAST = ["--delay", "0", "--retries", "1", "--concurrency", "1"]


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    with serving() as running:
        yield running


@pytest.fixture
def site(server: HTTPServer) -> Site:
    return new_site(server)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_acceptance_real_page_limit_5(site: Site, tmp_path: Path) -> None:
    """--base-url at a server serving the real saved Library page: 5 rows matching its
    cards and 5 valid PDFs."""
    found = real_library_page()
    if found is None:
        pytest.skip("shared realdata (saved Library page) not available")
    page_path, cards_path = found
    site.index_html = page_path.read_text(encoding="utf-8")
    with open(cards_path, encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))[:5]
    out = tmp_path / "lib"
    result = invoke("fetch", "library", "--base-url", site.base_url, "--limit", "5", "-o", str(out), *FAST)
    assert result.exit_code == 0, result.output
    rows = load_manifest(out / "manifest.csv").rows
    assert len(rows) == 5
    for row, card in zip(rows, expected, strict=True):
        assert row.download_id == card["download_id"]
        assert (row.title, row.csp, row.csp_region) == (card["title"], card["csp"], card["csp_region"])
        assert row.uploaded == parse_month(card["uploaded_on"])
        assert row.date_of_death == parse_month(card["date_of_death"])
        assert row.label == card["label"]
        assert row.url == f"{site.base_url}/download/{card['download_id']}"
        assert row.status == "ok"
        pdf = out / f"{card['download_id']}.pdf"
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row.sha256
        with pymupdf.open(pdf) as doc:
            assert doc.page_count == 1
    assert sorted(site.downloads()) == sorted(c["download_id"] for c in expected)
    assert "5 listed, 5 downloaded" in result.stdout


def test_library_failures_exit_1_with_one_line_each(site: Site, tmp_path: Path) -> None:
    bad = [site.cards[0]["download_id"], site.cards[2]["download_id"]]
    site.fault(f"/download/{bad[0]}", status(404))
    site.fault(f"/download/{bad[1]}", body("<html><body>Error</body></html>", "text/html"))
    result = invoke("fetch", "library", "--base-url", site.base_url, "--limit", "4", "-o", str(tmp_path), *FAST)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2
    assert bad[0] in lines[0] and "HTTP 404" in lines[0]
    assert bad[1] in lines[1] and "wrong content type 'text/html'" in lines[1]
    assert "Traceback" not in result.output
    rows = {r.download_id: r for r in load_manifest(tmp_path / "manifest.csv").rows}
    assert [rows[b].status for b in bad] == ["failed", "failed"]
    assert sum(r.status == "ok" for r in rows.values()) == 2


def test_library_shape_change_fails_loudly(site: Site, tmp_path: Path) -> None:
    site.index_html = (FIXTURES / "changed.html").read_text(encoding="utf-8")
    result = invoke("fetch", "library", "--base-url", site.base_url, "-o", str(tmp_path), *FAST)
    assert result.exit_code == 1
    assert "changed shape" in result.stderr and site.base_url in result.stderr
    assert "Traceback" not in result.output
    assert not site.downloads()


def test_library_zero_results_is_fine(site: Site, tmp_path: Path) -> None:
    site.index_html = (FIXTURES / "empty.html").read_text(encoding="utf-8")
    result = invoke("fetch", "library", "--base-url", site.base_url, "-o", str(tmp_path), *FAST)
    assert result.exit_code == 0, result.output
    assert "0 listed" in result.stdout


def test_library_index_only_and_since(site: Site, tmp_path: Path) -> None:
    result = invoke(
        "fetch", "library", "--base-url", site.base_url, "--since", "2026-01", "--index-only",
        "--page-size", "5", "-o", str(tmp_path), *FAST,
    )
    assert result.exit_code == 0, result.output
    rows = load_manifest(tmp_path / "manifest.jsonl").rows
    assert [r.uploaded for r in rows] == ["2026-03"] * 3 + ["2026-01"] * 2
    assert not site.downloads()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "March 2025"], "not YYYY-MM"),
        (["--base-url", "ftp://mirror.example.test"], "http:// or https://"),
        (["--page-size", "0"], "page-size"),
    ],
)
def test_library_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["fetch", "library", "-o", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_unreachable_library_is_one_clear_line(tmp_path: Path) -> None:
    with serving() as running:
        dead = f"http://127.0.0.1:{running.port}"
    result = invoke("fetch", "library", "--base-url", dead, "-o", str(tmp_path), *FAST, "--retries", "0")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: http://127.0.0.1:") and "connection failed" in line


def test_urls_from_args_and_file(site: Site, tmp_path: Path) -> None:
    site.routes["/a.pdf"] = body(site.pdf(site.cards[0]["download_id"]), "application/pdf")
    site.routes["/b.pdf"] = body(site.pdf(site.cards[1]["download_id"]), "application/pdf")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# CSP pages\n{site.url('/b.pdf')}\n\n{site.url('/gone.pdf')}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("fetch", "urls", site.url("/a.pdf"), str(listing), "-o", str(out), *FAST)
    assert result.exit_code == 1
    assert "gone.pdf" in result.stderr and "HTTP 404" in result.stderr
    rows = load_manifest(out / "manifest.csv").rows
    assert [r.status for r in rows] == ["ok", "ok", "failed"]
    assert all((out / r.file).is_file() for r in rows if r.status == "ok")


def test_urls_rejects_missing_file_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["fetch", "urls", "nope.txt", "-o", "out"])
    assert result.exit_code == 2 and "not a URL and no such file" in result.output


def test_commands_have_examples() -> None:
    for command in ("library", "urls"):
        result = CliRunner().invoke(app, ["fetch", command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
