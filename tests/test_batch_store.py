"""The SQLite store: one document per transaction, history per run, schema checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extractor.batch.store import SCHEMA_VERSION, BatchStore, StoreError
from extractor.models import Recommendation, Report


def _report(name: str, texts: list[str], error: dict | None = None) -> Report:
    recs = [Recommendation(id=f"1.{n}", text=t, addressed_to=["Police"], page=2)
            for n, t in enumerate(texts, start=1)]
    return Report(file=name, sha256="h-" + name, pages=3, extractor_version="x",
                  recommendations=recs, error=error)


def _begin(store: BatchStore):
    return store.begin_run(extractor_version="x", registry_version="r", executor="local",
                           workers=1, force=False, inputs=["in"])


def test_a_failing_write_leaves_nothing_of_that_document(tmp_path: Path) -> None:
    with BatchStore(tmp_path / "s.sqlite") as store:
        run = _begin(store)
        store.save_document(run.run_id, "/a.pdf", _report("a.pdf", ["one", "two"]), sha256="h1",
                            registry_version="r", seconds=0.1, peak_rss_mb=50)
        bad = _report("b.pdf", ["fine", "also fine"])
        bad.recommendations[1].text = None  # type: ignore[assignment]  # violates NOT NULL mid-write
        with pytest.raises(sqlite3.IntegrityError):
            store.save_document(run.run_id, "/b.pdf", bad, sha256="h2", registry_version="r",
                                seconds=0.1, peak_rss_mb=50)
        assert store.row_counts() == {"/a.pdf": 2}  # no report row, no first recommendation
        store.save_document(run.run_id, "/b.pdf", _report("b.pdf", ["x"]), sha256="h2",
                            registry_version="r", seconds=0.1, peak_rss_mb=50)
        assert store.row_counts() == {"/a.pdf": 2, "/b.pdf": 1}


def test_view_as_of_a_run_keeps_history(tmp_path: Path) -> None:
    with BatchStore(tmp_path / "s.sqlite") as store:
        first = _begin(store)
        store.save_document(first.run_id, "/a.pdf", _report("a.pdf", ["old"]), sha256="h",
                            registry_version="r", seconds=0, peak_rss_mb=None)
        store.finish_run(first)
        second = _begin(store)
        store.save_document(second.run_id, "/a.pdf", _report("a.pdf", ["new", "newer"]),
                            sha256="h", registry_version="r", seconds=0, peak_rss_mb=None)
        store.save_document(second.run_id, "/c.pdf", _report("c.pdf", [], {"kind": "corrupt", "message": "bad"}),
                            sha256="hc", registry_version="r", seconds=0, peak_rss_mb=None)
        store.finish_run(second)
        assert [r.report.recommendations[0].text for r in store.view(first.run_id)] == ["old"]
        latest = {r.path: r for r in store.view()}
        assert [x.text for x in latest["/a.pdf"].report.recommendations] == ["new", "newer"]
        assert latest["/c.pdf"].status == "failed" and latest["/c.pdf"].error_kind == "corrupt"
        assert [e["kind"] for e in store.errors(second.run_id)] == ["corrupt"]
        with pytest.raises(StoreError, match="no run 9"):
            list(store.view(9))


def test_runs_left_running_by_a_dead_process_become_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with BatchStore(path) as store:
        _begin(store)
    with sqlite3.connect(path) as db:  # pretend it belonged to a process that no longer exists
        db.execute("UPDATE runs SET pid=999999999")
    with BatchStore(path) as store:
        _begin(store)
        assert [r["status"] for r in store.runs()] == ["interrupted", "running"]


def test_refuses_foreign_or_newer_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a dhr-extract store"):
        BatchStore(junk)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(StoreError, match="unknown tables"):
        BatchStore(other)
    newer = tmp_path / "newer.sqlite"
    BatchStore(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer"):
        BatchStore(newer)
    with pytest.raises(StoreError, match="no such store"):
        BatchStore(tmp_path / "missing.sqlite", create=False)
    with pytest.raises(StoreError, match="no runs"):
        list(BatchStore(tmp_path / "empty.sqlite").view())


def test_a_schema_1_store_is_upgraded_and_its_documents_redone(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with BatchStore(path) as store:
        run = _begin(store)
        store.save_document(run.run_id, "/a.pdf", _report("a.pdf", ["kept"]), sha256="h",
                            registry_version="r", seconds=0, peak_rss_mb=None)
        store.finish_run(run)
    with sqlite3.connect(path) as db:  # what a schema 1 store looked like
        db.execute("ALTER TABLE reports DROP COLUMN settings_key")
        db.execute("ALTER TABLE runs DROP COLUMN settings_key")
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    with BatchStore(path) as store:
        assert store._db.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
        assert [r.report.recommendations[0].text for r in store.view()] == ["kept"]
        assert store.is_current("/a.pdf", "h", "x", "r")  # the same versions, settings not asked
        assert not store.is_current("/a.pdf", "h", "x", "r", "ocr=auto")  # settings unknown: redo


def test_wal_mode(tmp_path: Path) -> None:
    with BatchStore(tmp_path / "s.sqlite") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
