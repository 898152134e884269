"""Downloads: verification, atomic writes, failures recorded with reasons, resume."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fetch_site import (
    Site,
    body,
    fast_config,
    new_site,
    redirect,
    serving,
    slow,
    status,
    truncated,
)
from pytest_httpserver import HTTPServer
from werkzeug import Response

from extractor.fetch.client import PoliteClient
from extractor.fetch.download import safe_name_for_url
from extractor.fetch.run import fetch_library, fetch_urls
from extractor.manifest import MANIFEST_COLUMNS, ManifestRow, load_manifest


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    with serving() as running:
        yield running


@pytest.fixture
def site(server: HTTPServer) -> Site:
    return new_site(server)


def rows_by_id(out: Path) -> dict[str, ManifestRow]:
    return {r.download_id: r for r in load_manifest(out / "manifest.csv").rows}


def assert_consistent(out: Path) -> None:
    """Nothing partial is left, and every PDF on disk is one the manifest vouches for."""
    assert not list(out.glob("*.part")), "partial downloads left behind"
    assert not list(out.glob(".*.tmp")), "temporary manifest files left behind"
    csv_rows = rows_by_id(out)
    jsonl_rows = {r.download_id: r for r in load_manifest(out / "manifest.jsonl").rows}
    assert csv_rows == jsonl_rows
    for pdf in out.glob("*.pdf"):
        row = csv_rows[pdf.stem]
        assert row.status == "ok", f"{pdf.name} on disk but its row is {row.status}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == row.sha256 and len(data) == row.bytes
    for row in csv_rows.values():
        if row.status == "ok":
            assert (out / row.file).is_file()
        if row.status == "failed":
            assert row.error


def run_library(site: Site, out: Path, **kwargs):  # type: ignore[no-untyped-def]
    config = kwargs.pop("config", None) or fast_config()
    with PoliteClient(config) as client:
        return fetch_library(client, site.base_url, out, page_size=5, **kwargs)


def first_id(site: Site, n: int = 0) -> str:
    return site.cards[n]["download_id"]


# --------------------------------------------------------------------------- happy path
def test_library_run_writes_manifest_and_verified_pdfs(site: Site, tmp_path: Path) -> None:
    summary = run_library(site, tmp_path)
    assert summary.ok and summary.listed == summary.downloaded == 12
    rows = rows_by_id(tmp_path)
    assert list(rows) == [c["download_id"] for c in site.cards]
    row = rows[first_id(site, 1)]
    assert (row.title, row.csp, row.csp_region, row.uploaded, row.date_of_death) == (
        "Marigold & Fen", "Eastbrook", "East", "2026-03", "2022-01",
    )
    assert row.url == site.url(f"/download/{row.download_id}")
    assert row.file == f"{row.download_id}.pdf" and row.sha256 == site.sha(row.download_id)
    assert rows[first_id(site, 2)].date_of_death is None  # "Not known"
    header = (tmp_path / "manifest.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(MANIFEST_COLUMNS)
    probe = tmp_path / "probe.txt"
    probe.write_text("x", encoding="utf-8")
    assert (tmp_path / "manifest.csv").stat().st_mode & 0o777 == probe.stat().st_mode & 0o777
    probe.unlink()
    first_json = json.loads((tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(first_json["bytes"], int)
    assert_consistent(tmp_path)


def test_concurrent_downloads(site: Site, tmp_path: Path) -> None:
    summary = run_library(site, tmp_path, config=fast_config(concurrency=3))
    assert summary.ok and summary.downloaded == 12
    assert all(n == 1 for n in site.downloads().values())
    assert_consistent(tmp_path)


def test_index_only_downloads_nothing(site: Site, tmp_path: Path) -> None:
    summary = run_library(site, tmp_path, index_only=True, limit=4)
    assert summary.ok and summary.pending == 4 and summary.downloaded == 0
    assert not site.downloads() and not list(tmp_path.glob("*.pdf"))
    assert {r.status for r in rows_by_id(tmp_path).values()} == {"pending"}


def test_rerun_skips_complete_files(site: Site, tmp_path: Path) -> None:
    run_library(site, tmp_path, limit=6)
    before = sum(site.downloads().values())
    again = run_library(site, tmp_path, limit=6)
    assert again.already == 6 and again.downloaded == 0
    assert sum(site.downloads().values()) == before == 6


def test_rerun_refetches_a_file_whose_hash_changed_on_disk(site: Site, tmp_path: Path) -> None:
    run_library(site, tmp_path, limit=3)
    victim = tmp_path / f"{first_id(site, 1)}.pdf"
    victim.write_bytes(b"%PDF-1.7 tampered")
    again = run_library(site, tmp_path, limit=3)
    assert again.downloaded == 1 and again.already == 2
    assert site.downloads()[first_id(site, 1)] == 2
    assert_consistent(tmp_path)


# --------------------------------------------------------------------------- faults
def fail_one(site: Site, tmp_path: Path, *responders, **kwargs) -> ManifestRow:  # type: ignore[no-untyped-def]
    target = first_id(site)
    site.fault(f"/download/{target}", *responders)
    summary = run_library(site, tmp_path, limit=2, **kwargs)
    assert [r.download_id for r in summary.failed] == [target]
    assert not (tmp_path / f"{target}.pdf").exists()
    assert (tmp_path / f"{first_id(site, 1)}.pdf").is_file()  # the others go on
    assert_consistent(tmp_path)
    row = rows_by_id(tmp_path)[target]
    assert row.status == "failed" and row.sha256 is None
    return row


def test_download_timeout_recorded(site: Site, tmp_path: Path) -> None:
    row = fail_one(site, tmp_path, *[slow(0.5)] * 3, config=fast_config(read_timeout=0.15))
    assert "timed out" in row.error


def test_download_500_then_success(site: Site, tmp_path: Path) -> None:
    site.fault(f"/download/{first_id(site)}", status(500))
    summary = run_library(site, tmp_path, limit=2)
    assert summary.ok and site.downloads()[first_id(site)] == 2
    assert_consistent(tmp_path)


def test_download_429_with_retry_after_then_success(site: Site, tmp_path: Path) -> None:
    waits: list[float] = []
    site.fault(f"/download/{first_id(site)}", status(429, {"Retry-After": "3"}))
    config = fast_config(sleep=waits.append, retry_after_max=10.0)
    summary = run_library(site, tmp_path, limit=1, config=config)
    assert summary.ok and waits == [3.0]


def test_truncated_body_never_looks_complete(site: Site, tmp_path: Path) -> None:
    data = site.pdf(first_id(site))
    row = fail_one(site, tmp_path, *[truncated(data, len(data) // 2)] * 3)
    assert row.error.startswith("truncated") and "gave up after 3 attempts" in row.error
    assert site.downloads()[first_id(site)] == 3  # retried: truncation is transient


def test_truncated_once_then_complete(site: Site, tmp_path: Path) -> None:
    data = site.pdf(first_id(site))
    site.fault(f"/download/{first_id(site)}", truncated(data, 100))
    assert run_library(site, tmp_path, limit=1).ok
    assert (tmp_path / f"{first_id(site)}.pdf").read_bytes() == data


def test_html_error_page_with_status_200(site: Site, tmp_path: Path) -> None:
    page = "<!DOCTYPE html><html><body><h1>Sorry, there is a problem</h1></body></html>"
    row = fail_one(site, tmp_path, body(page, "application/pdf"))
    assert "not a PDF" in row.error and "HTML" in row.error
    assert site.downloads()[first_id(site)] == 1  # not retried


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain", "image/png"])
def test_wrong_content_type(site: Site, tmp_path: Path, content_type: str) -> None:
    row = fail_one(site, tmp_path, body(site.pdf(first_id(site)), content_type))
    assert "wrong content type" in row.error and content_type.split(";")[0] in row.error


def test_octet_stream_pdf_is_accepted(site: Site, tmp_path: Path) -> None:
    site.fault(f"/download/{first_id(site)}", body(site.pdf(first_id(site)), "application/octet-stream"))
    assert run_library(site, tmp_path, limit=1).ok


def test_gzip_encoded_pdf_is_decoded_and_length_checked_on_the_wire(site: Site, tmp_path: Path) -> None:
    pdf = site.pdf(first_id(site))
    packed = gzip.compress(pdf)
    site.fault(f"/download/{first_id(site)}", body(packed, "application/pdf", {"Content-Encoding": "gzip"}))
    assert run_library(site, tmp_path, limit=1).ok
    assert (tmp_path / f"{first_id(site)}.pdf").read_bytes() == pdf


def test_oversized_by_content_length(site: Site, tmp_path: Path) -> None:
    row = fail_one(site, tmp_path, body(b"%PDF-1.7\n" + b"0" * 5000, "application/pdf"), max_bytes=4000)
    assert "too large" in row.error and "4000" in row.error


def test_oversized_without_content_length(site: Site, tmp_path: Path) -> None:
    streamed = lambda request: __import__("werkzeug").Response(  # noqa: E731
        iter([b"%PDF-1.7\n", b"0" * 3000, b"0" * 3000]), content_type="application/pdf"
    )
    row = fail_one(site, tmp_path, streamed, max_bytes=4000)
    assert "too large" in row.error


def test_slow_dribble_hits_the_attempt_deadline(site: Site, tmp_path: Path) -> None:
    def dribble(request):  # type: ignore[no-untyped-def]
        def chunks() -> Iterator[bytes]:
            yield b"%PDF-1.7\n"
            for _ in range(30):
                time.sleep(0.05)
                yield b"0"
        return Response(chunks(), content_type="application/pdf")

    config = fast_config(attempt_deadline=0.3, retries=0)
    row = fail_one(site, tmp_path, dribble, config=config)
    assert "took longer than 0.3 s" in row.error


def test_redirect_loop_recorded(site: Site, tmp_path: Path) -> None:
    target = first_id(site)
    site.routes["/elsewhere"] = redirect(f"/download/{target}")
    row = fail_one(site, tmp_path, redirect("/elsewhere"), redirect("/elsewhere"))
    assert "redirect loop" in row.error


def test_404_recorded_without_retry(site: Site, tmp_path: Path) -> None:
    row = fail_one(site, tmp_path, status(404))
    assert "HTTP 404" in row.error and site.downloads()[first_id(site)] == 1


def test_server_file_name_is_ignored(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    evil = {"Content-Disposition": 'attachment; filename="../../escaped.pdf"'}
    site.fault(f"/download/{first_id(site)}", body(site.pdf(first_id(site)), "application/pdf", evil))
    assert run_library(site, out, limit=1).ok
    assert (out / f"{first_id(site)}.pdf").is_file()
    assert not list(tmp_path.rglob("escaped.pdf"))


# --------------------------------------------------------------------------- resume
class Interrupt(Exception):
    """Stands in for Ctrl-C in the middle of a run."""


def test_interrupted_run_resumes_with_only_missing_downloads(site: Site, tmp_path: Path) -> None:
    done: list[str] = []

    def stop_after_four(row: ManifestRow, outcome: str) -> None:
        done.append(row.download_id)
        if len(done) == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_library(site, tmp_path, on_done=stop_after_four)
    first_run = site.downloads()
    assert sum(first_run.values()) == 4
    rows = rows_by_id(tmp_path)
    assert len(rows) == 12  # the whole index was recorded before downloading
    assert {i for i, r in rows.items() if r.status == "ok"} == set(done)
    assert_consistent(tmp_path)

    # A hard kill in the middle of file 5 would leave a partial file behind.
    fifth = first_id(site, 4)
    (tmp_path / f"{fifth}.pdf.part").write_bytes(b"%PDF-1.7 half of it")

    summary = run_library(site, tmp_path)
    assert summary.ok and summary.already == 4 and summary.downloaded == 8
    resumed = site.downloads() - first_run
    assert set(resumed) == {c["download_id"] for c in site.cards} - set(done)
    assert all(n == 1 for n in resumed.values())
    assert_consistent(tmp_path)
    assert len(list(tmp_path.glob("*.pdf"))) == 12


def test_ctrl_c_during_parallel_downloads_leaves_no_partial_file(site: Site, tmp_path: Path) -> None:
    slow_id = first_id(site, 1)

    def dribble(request):  # type: ignore[no-untyped-def]
        def chunks() -> Iterator[bytes]:
            yield b"%PDF-1.7\n"
            for _ in range(40):
                time.sleep(0.05)
                yield b"%" + b"0" * 65535
        return Response(chunks(), content_type="application/pdf")

    site.fault(f"/download/{slow_id}", dribble)

    def interrupt(row: ManifestRow, outcome: str) -> None:
        if row.download_id == first_id(site, 0):
            time.sleep(0.3)  # let the slow download get under way
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_library(site, tmp_path, limit=3, on_done=interrupt, config=fast_config(concurrency=2))
    assert not (tmp_path / f"{slow_id}.pdf").exists()
    assert rows_by_id(tmp_path)[slow_id].status == "pending"
    assert_consistent(tmp_path)


def test_failed_rows_are_retried_on_the_next_run(site: Site, tmp_path: Path) -> None:
    site.fault(f"/download/{first_id(site)}", status(404))
    assert not run_library(site, tmp_path, limit=2).ok
    again = run_library(site, tmp_path, limit=2)
    assert again.ok and again.downloaded == 1 and again.already == 1
    assert rows_by_id(tmp_path)[first_id(site)].error is None


def test_manifest_keeps_rows_outside_this_runs_listing(site: Site, tmp_path: Path) -> None:
    run_library(site, tmp_path)
    run_library(site, tmp_path, limit=2)
    assert len(rows_by_id(tmp_path)) == 12


# --------------------------------------------------------------------------- fetch urls
def test_fetch_urls_names_files_from_the_url(site: Site, tmp_path: Path) -> None:
    site.routes["/files/DHR Report A.pdf"] = body(site.pdf(first_id(site)), "application/pdf")
    site.routes["/files/x/../../passwd"] = body(site.pdf(first_id(site, 1)), "application/pdf")
    urls = [
        site.url("/files/DHR%20Report%20A.pdf"),
        site.url("/files/x/..%2F..%2Fpasswd"),
        site.url("/files/DHR%20Report%20A.pdf"),  # duplicate: fetched once
        "ftp://files.example.test/report.pdf",
        site.url("/missing.pdf"),
    ]
    with PoliteClient(fast_config()) as client:
        summary = fetch_urls(client, urls, tmp_path)
    assert summary.downloaded == 2 and len(summary.failed) == 2
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert names == sorted([safe_name_for_url(urls[0]) + ".pdf", safe_name_for_url(urls[1]) + ".pdf"])
    assert names[0].startswith("dhr-report-a-") or names[1].startswith("dhr-report-a-")
    assert all("/" not in n and not n.startswith(".") for n in names)
    errors = {r.url: r.error for r in load_manifest(tmp_path / "manifest.jsonl").rows if r.status == "failed"}
    assert "unsupported scheme 'ftp'" in errors[urls[3]]
    assert "HTTP 404" in errors[urls[4]]
    assert_consistent(tmp_path)


def test_safe_name_for_url_is_stable_and_plain() -> None:
    a = safe_name_for_url("https://csp.example.test/docs/Final%20DHR%20(Adult%20A).PDF?v=2")
    assert a == safe_name_for_url("https://csp.example.test/docs/Final%20DHR%20(Adult%20A).PDF?v=2")
    assert a.startswith("final-dhr-adult-a-") and len(a.rsplit("-", 1)[1]) == 10
    assert safe_name_for_url("https://csp.example.test/").startswith("document-")
    assert safe_name_for_url("https://x.test/../../etc/passwd").startswith("passwd-")
