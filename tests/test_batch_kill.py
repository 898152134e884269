"""kill -9 in mid-run: the rerun completes with exactly one copy of every document's rows,
and no document is ever half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import make_corpus, numbered_rows

from extractor.batch import BatchStore, LocalExecutor, run_batch

pytestmark = pytest.mark.timeout(120)

HELPERS = Path(__file__).with_name("batch_helpers.py")
DOCS = 16


def _done(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(store, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _assert_whole(store_path: Path) -> None:
    """Every stored report has exactly the recommendation rows its JSON lists."""
    with sqlite3.connect(store_path) as db:
        for path, run_id, report_json in db.execute("SELECT path, run_id, report_json FROM reports"):
            rows = db.execute(
                "SELECT rec_id, text FROM recommendations WHERE path=? AND run_id=? ORDER BY seq",
                (path, run_id),
            ).fetchall()
            expected = [(r["id"], r["text"]) for r in json.loads(report_json)["recommendations"]]
            assert rows == expected, path
        orphans = db.execute(
            "SELECT COUNT(*) FROM recommendations c LEFT JOIN reports r"
            " ON r.path = c.path AND r.run_id = c.run_id WHERE r.path IS NULL"
        ).fetchone()[0]
        assert orphans == 0


def test_sigkill_mid_run_then_rerun_keeps_one_copy_of_everything(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_corpus(folder, DOCS)
    store_path = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, str(HELPERS), str(store_path), str(folder), "0.25"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _done(store_path) < 1:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "batch never stored a document"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-run
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stored_at_kill = _done(store_path)
    assert 1 <= stored_at_kill < DOCS, "the kill did not land mid-run"
    _assert_whole(store_path)

    with BatchStore(store_path) as store:
        rerun = run_batch([folder], store=store, executor=LocalExecutor(2, fn=numbered_rows))
        counts = store.row_counts()
        runs = store.runs()
        view = {Path(item.path).name: item for item in store.view()}
    assert rerun.skipped == stored_at_kill
    assert rerun.done == DOCS - stored_at_kill and rerun.failed == 0
    assert [r["status"] for r in runs] == ["interrupted", "finished"]
    # The killed run's counts were written with each document, so they match what it stored.
    assert runs[0]["done"] == stored_at_kill and runs[1]["skipped"] == stored_at_kill
    assert len(counts) == DOCS
    for n in range(DOCS):  # exactly one copy of every document's rows
        name = f"report-{n:03d}.pdf"
        assert counts[str((folder / name).resolve())] == 3 + n % 3, name
        ids = [r.id for r in view[name].report.recommendations]
        assert ids == [f"9.{k}" for k in range(1, 4 + n % 3)]
    _assert_whole(store_path)
    with sqlite3.connect(store_path) as db:  # nothing extracted twice across the two runs
        assert db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == DOCS


def test_ctrl_c_marks_the_run_interrupted_and_keeps_finished_documents(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_corpus(folder, 8)
    store_path = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, str(HELPERS), str(store_path), str(folder), "0.3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _done(store_path) < 1:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with BatchStore(store_path) as store:
        runs = store.runs()
        stored = len(store.row_counts())
    assert runs[0]["status"] == "interrupted"
    assert 1 <= stored < 8 and runs[0]["done"] == stored
    _assert_whole(store_path)
