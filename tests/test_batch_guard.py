"""The guarded child behind the dask executor: one document at a time in a process
that is killed when the document overruns its time or memory limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_pdf, numbered_rows

from extractor.batch.guard import GuardedChild
from extractor.batch.jobs import Job
from extractor.settings import Settings

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def child():
    with GuardedChild(numbered_rows, Settings(), None, max_memory_mb=300.0) as guarded:
        yield guarded


def test_documents_run_in_one_reused_child(tmp_path: Path, child: GuardedChild) -> None:
    first = child.run(Job(str(make_pdf(tmp_path / "a.pdf", recs=2)), "ha"), timeout=60)
    pid = child.pid
    second = child.run(Job(str(make_pdf(tmp_path / "b.pdf", recs=4)), "hb"), timeout=60)
    assert [len(o.report["recommendations"]) for o in (first, second)] == [2, 4]
    assert first.worker == second.worker == str(pid) and pid is not None


def test_a_hanging_document_is_killed_and_the_next_gets_a_fresh_child(tmp_path: Path, child: GuardedChild) -> None:
    child.run(Job(str(make_pdf(tmp_path / "warm.pdf")), "h0"), timeout=60)  # started, imports done
    hung_pid = child.pid
    outcome = child.run(Job(str(make_pdf(tmp_path / "hang.pdf")), "h1"), timeout=1.0)
    assert outcome.report["error"]["kind"] == "timeout"
    assert outcome.report["sha256"] == "h1" and 1.0 <= outcome.seconds < 10
    assert child.pid is None  # killed, not left running in the background
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(hung_pid, 0)
    after = child.run(Job(str(make_pdf(tmp_path / "fine.pdf", recs=3)), "h2"), timeout=60)
    assert len(after.report["recommendations"]) == 3 and after.worker != str(hung_pid)


def test_memory_and_crashes_are_failures_of_their_kind(tmp_path: Path, child: GuardedChild) -> None:
    hog = child.run(Job(str(make_pdf(tmp_path / "hog.pdf")), "h1"), timeout=60)
    assert hog.report["error"]["kind"] == "memory" and "300 MB" in hog.report["error"]["message"]
    crash = child.run(Job(str(make_pdf(tmp_path / "crash.pdf")), "h2"), timeout=60)
    assert crash.report["error"]["kind"] == "crashed" and "exit code 3" in crash.report["error"]["message"]
    fine = child.run(Job(str(make_pdf(tmp_path / "fine.pdf")), "h3"), timeout=60)
    assert fine.report.get("error") is None


def test_the_real_extractor_runs_in_the_child(tmp_path: Path) -> None:
    from extractor.batch.jobs import process_document
    from extractor.normalise import AgencyRegistry

    with GuardedChild(process_document, Settings(ocr="never"), AgencyRegistry.load()) as guarded:
        outcome = guarded.run(Job(str(make_pdf(tmp_path / "r.pdf", recs=3)), None), timeout=60)
        broken = tmp_path / "broken.pdf"
        broken.write_text("not a PDF, only words\n" * 4)
        bad = guarded.run(Job(str(broken), None), timeout=60)
    assert [r["id"] for r in outcome.report["recommendations"]] == ["9.1", "9.2", "9.3"]
    assert bad.report["error"]["kind"] == "not_a_pdf"


def test_an_idle_child_exits_and_the_next_document_starts_another(tmp_path: Path) -> None:
    import time

    with GuardedChild(numbered_rows, Settings(), None, idle_exit=0.5) as guarded:
        first = guarded.run(Job(str(make_pdf(tmp_path / "a.pdf", recs=2)), "ha"), timeout=60)
        deadline = time.monotonic() + 20
        while guarded.pid is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert guarded.pid is None  # left by itself once idle
        second = guarded.run(Job(str(make_pdf(tmp_path / "b.pdf", recs=4)), "hb"), timeout=60)
    assert len(second.report["recommendations"]) == 4 and second.report.get("error") is None
    assert first.worker != second.worker


def test_memory_is_read_without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no /proc (macOS, Windows) psutil reads a worker's memory, so the
    memory limit still holds; the /proc reading and psutil's agree."""
    import os

    from extractor.batch import pool

    from_proc = pool.rss_mb(os.getpid())
    monkeypatch.setattr(pool, "_proc_rss_mb", lambda pid: None)
    without_proc = pool.rss_mb(os.getpid())
    assert without_proc is not None and without_proc > 10
    if from_proc is not None:
        assert abs(without_proc - from_proc) < 0.2 * from_proc
    assert pool.rss_mb(2**22 + 12345) is None  # no such process
