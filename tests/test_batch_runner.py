"""The batch runner and its guarded pool: failures are recorded and the run carries on;
unchanged documents are skipped; ``force`` redoes; the real extractor runs in workers."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from batch_helpers import make_corpus, make_pdf, mark_started, numbered_rows

from extractor.batch import BatchStore, LocalExecutor, run_batch
from extractor.batch.jobs import Job
from extractor.batch.runner import BatchObserver
from extractor.normalise import AgencyRegistry
from extractor.settings import Settings

pytestmark = pytest.mark.timeout(120)


@dataclass
class FakeRegistry:
    """Only ``version`` matters to the runner; the stand-in extractor ignores the rest."""

    version: str = "reg-1"

    def resolve(self, raw: str, *, context: object = None) -> list:
        return []


def _run(inputs, store, *, fn=numbered_rows, workers=2, timeout=30.0, force=False,
         registry=None, max_memory_mb=2048.0, observer=None, settings=None):
    executor = LocalExecutor(workers, timeout=timeout, fn=fn, max_memory_mb=max_memory_mb)
    return run_batch([str(i) for i in inputs], store=store, executor=executor, force=force,
                     registry=registry or FakeRegistry(), observer=observer, settings=settings)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    make_corpus(folder, 4)
    return folder


def test_bad_and_hanging_documents_fail_and_the_rest_succeed(tmp_path: Path, corpus: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    (corpus / "notes.pdf").write_text("just some text, not a PDF at all\n" * 5)
    make_pdf(corpus / "hang.pdf")
    make_pdf(corpus / "crash.pdf")
    with BatchStore(tmp_path / "s.sqlite") as store:
        summary = _run([corpus], store, timeout=3.0)  # generous: good documents must never hit it
        kinds = {Path(e["path"]).name: e["kind"] for e in store.errors(summary.run_id)}
        view = {Path(r.path).name: r for r in store.view()}
    assert kinds == {"broken.pdf": "corrupt", "notes.pdf": "not_a_pdf", "hang.pdf": "timeout",
                     "crash.pdf": "crashed"}
    assert summary.failed == 4 and summary.done == 4
    for n in range(4):  # every good document finished, with its rows, despite the others
        item = view[f"report-{n:03d}.pdf"]
        assert item.status == "done"
        assert len(item.report.recommendations) == 3 + n % 3
    assert view["hang.pdf"].report.error["message"] == "timed out after 3 s"
    assert view["hang.pdf"].sha256 is not None


def test_memory_guard_kills_a_hungry_worker(tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "hog.pdf")
    make_pdf(tmp_path / "in" / "fine.pdf")
    with BatchStore(tmp_path / "s.sqlite") as store:
        summary = _run([tmp_path / "in"], store, workers=1, max_memory_mb=300.0)
        errors = store.errors(summary.run_id)
    assert [(Path(e["path"]).name, e["kind"]) for e in errors] == [("hog.pdf", "memory")]
    assert summary.done == 1


def test_second_run_skips_everything_and_force_redoes(tmp_path: Path, corpus: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nothing useful")
    with BatchStore(tmp_path / "s.sqlite") as store:
        first = _run([corpus], store)
        second = _run([corpus], store)
        forced = _run([corpus], store, force=True)
        runs = store.runs()
    assert (first.done, first.failed, first.skipped) == (4, 1, 0)
    assert (second.done, second.failed, second.skipped) == (0, 0, 5)  # deterministic failures too
    assert (forced.done, forced.failed, forced.skipped) == (4, 1, 0)
    assert [r["status"] for r in runs] == ["finished"] * 3
    assert runs[0]["rows"] == first.rows > 0 and runs[1]["rows"] == 0


def test_changes_to_bytes_or_registry_redo_only_what_changed(tmp_path: Path, corpus: Path) -> None:
    with BatchStore(tmp_path / "s.sqlite") as store:
        _run([corpus], store)
        make_pdf(corpus / "report-001.pdf", recs=7, tag="edited")
        edited = _run([corpus], store)
        assert (edited.done, edited.skipped) == (1, 3)
        assert store.row_counts()[str((corpus / "report-001.pdf").resolve())] == 7
        new_registry = _run([corpus], store, registry=FakeRegistry("reg-2"))
        assert (new_registry.done, new_registry.skipped) == (4, 0)


def test_a_change_of_output_settings_redoes_everything(tmp_path: Path, corpus: Path) -> None:
    """A rerun with OCR on after a run with it off must read what the first could not."""
    with BatchStore(tmp_path / "s.sqlite") as store:
        first = _run([corpus], store, settings=Settings(ocr="never"))
        same = _run([corpus], store, settings=Settings(ocr="never", ocr_cache=tmp_path / "ocr"))
        ocr_on = _run([corpus], store, settings=Settings(ocr="auto"))
        names = _run([corpus], store, settings=Settings(ocr="auto", keep_names=True))
        keys = [r["settings_key"] for r in store.runs()]
    assert (first.done, same.skipped) == (4, 4)  # the cache folder does not change the output
    assert (ocr_on.done, ocr_on.skipped) == (4, 0)
    assert (names.done, names.skipped) == (4, 0)
    assert keys[0].startswith("ocr=never;") and "keep_names=1" in keys[3]


def test_timeouts_are_retried_by_the_next_run(tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "hang.pdf")
    with BatchStore(tmp_path / "s.sqlite") as store:
        first = _run([tmp_path / "in"], store, workers=1, timeout=0.5)
        again = _run([tmp_path / "in"], store, workers=1, timeout=0.5)
        missing = _run([tmp_path / "in" / "gone.pdf"], store, workers=1)
        kinds = [e["kind"] for e in store.errors()]
    assert first.failed == 1
    assert again.failed == 1 and again.skipped == 0  # the timeout was not taken as final
    assert missing.failed == 1
    assert kinds == ["timeout", "timeout", "not_found"]


def test_real_extractor_runs_in_workers(tmp_path: Path, corpus: Path) -> None:
    """``process_document`` (the production per-document function) through the pool."""
    from extractor.batch import process_document

    (corpus / "empty.pdf").write_bytes(b"")
    seen: list[str] = []

    class Watch(BatchObserver):
        def planned(self, total: int, skipped: int) -> None:
            seen.append(f"planned {total} {skipped}")

        def document(self, report, outcome, summary) -> None:
            seen.append(report.file)

    with BatchStore(tmp_path / "s.sqlite") as store:
        summary = _run([corpus], store, fn=process_document, registry=AgencyRegistry.load(),
                       observer=Watch())
        view = list(store.view())
    assert (summary.done, summary.failed) == (4, 1)
    assert seen[0] == "planned 5 0" and sorted(seen[1:]) == sorted(Path(v.path).name for v in view)
    failed = [v for v in view if v.status == "failed"]
    assert [(Path(f.path).name, f.error_kind) for f in failed] == [("empty.pdf", "empty")]
    good = next(v for v in view if v.status == "done")
    assert good.report.pages == 3 and good.report.extractor_version
    # The real extractor reads the fixtures' numbered recommendations, one copy each.
    assert summary.rows == sum(3 + n % 3 for n in range(4))
    for item in view:
        if item.status == "done":
            n = int(Path(item.path).stem.split("-")[1])
            assert [r.id for r in item.report.recommendations] == [f"9.{k}" for k in range(1, 4 + n % 3)]
    assert 0 < summary.peak_rss_mb < 1000
    assert json.loads(json.dumps(good.report.to_dict()))["file"].startswith("report-")


def test_a_worker_starts_its_next_document_before_the_caller_stores_the_last(tmp_path: Path) -> None:
    """The driver stores each outcome (a SQLite transaction) while the pool waits; a
    worker must not sit idle through that. With one worker, the second document must be
    running while the caller still holds the first outcome."""
    paths = [tmp_path / f"d{n}.pdf" for n in range(3)]
    executor = LocalExecutor(1, timeout=30.0, fn=mark_started)
    outcomes = executor.run([Job(str(p), None) for p in paths], Settings(), FakeRegistry())
    seen = []
    for outcome in outcomes:
        seen.append(Path(outcome.path))
        follower = paths[len(seen)] if len(seen) < len(paths) else None
        if follower is not None:
            marker = Path(f"{follower}.started")
            deadline = time.monotonic() + 20
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert marker.exists(), f"{follower.name} was not handed out while the caller held {seen[-1].name}"
    assert seen == paths


def test_a_worker_that_dies_just_before_it_is_given_a_document_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document goes to a fresh worker, not down with the dead one."""
    paths = [tmp_path / f"d{n}.pdf" for n in range(2)]
    executor = LocalExecutor(1, timeout=30.0, fn=mark_started)
    assign = LocalExecutor._assign
    killed = []

    def die_first(self: LocalExecutor, worker, job: Job) -> None:
        if not killed:  # after the liveness check: the send is what fails
            worker.process.kill()
            worker.process.join()
            killed.append(worker.process.pid)
        assign(self, worker, job)

    monkeypatch.setattr(LocalExecutor, "_assign", die_first)
    outcomes = list(executor.run([Job(str(p), None) for p in paths], Settings(), FakeRegistry()))
    assert killed
    assert [Path(o.path) for o in outcomes] == paths
    assert all("error" not in o.report for o in outcomes)
    assert killed[0] not in {int(o.worker) for o in outcomes}


def test_executor_rejects_bad_limits() -> None:
    with pytest.raises(ValueError):
        LocalExecutor(1, timeout=0)
    with pytest.raises(ValueError):
        LocalExecutor(-1)


def test_outcome_peak_memory_is_the_documents_own(tmp_path):
    """The peak is reset before each document, so a big one does not shadow later ones."""
    import sys

    from extractor.batch.jobs import Job, peak_rss_mb, process_document
    from extractor.settings import Settings

    if not sys.platform.startswith("linux"):
        pytest.skip("VmHWM and clear_refs are Linux features")
    from pdfbuilder import build_pdf

    pdf = tmp_path / "small.pdf"
    pdf.write_bytes(build_pdf([("h1", "1. Introduction"), ("p", "Text. " * 50)]))
    ballast = bytearray(300 * 1024 * 1024)  # touch 300 MB so the process peak is high
    ballast[:: 4096] = b"x" * len(ballast[:: 4096])
    del ballast
    high = peak_rss_mb()
    assert high is not None
    outcome = process_document(Job(str(pdf), None), Settings(ocr="never"), None)
    assert outcome.peak_rss_mb is not None and outcome.peak_rss_mb < high - 200
    assert outcome.cpu_seconds is not None and outcome.cpu_seconds > 0
