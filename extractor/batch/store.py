"""The batch store: one SQLite file holding every run's results.

Why SQLite: a re-extraction of thousands of reports must survive ``kill -9`` and lose
nothing that finished. Each document is written in **one transaction** (its report row,
its recommendation rows and, for a failure, its error row), in WAL mode with
``synchronous=NORMAL``, so a crash at any point loses at most the documents still in
flight and never leaves half a document.

History is kept: ``reports`` holds one row per (path, run) that actually extracted the
document. The *view* of the store as of run ``R`` is, for every path, its newest row
with ``run_id <= R``; a skipped document therefore keeps showing its earlier result.
That view is what ``export`` writes and what ``diff`` compares (``STORE@RUN``).

Tables::

    meta(key, value)                       schema_version
    runs(run_id, started, finished, status, pid, extractor_version, registry_version,
         executor, workers, force, inputs, done, skipped, failed, rows, pages, seconds,
         peak_rss_mb, settings_key)
    reports(path, run_id, file, sha256, pages, extractor_version, registry_version,
            status, error_kind, seconds, peak_rss_mb, extracted_at, report_json,
            settings_key)

``settings_key`` is ``Settings.output_key()``: the options that change the output
(OCR mode, anonymisation, matching thresholds, size limits). Schema 1 stores lack it
and are upgraded in place; their documents count as extracted with unknown settings.
    recommendations(path, run_id, seq, rec_id, text, addressed_to, addressed_to_raw,
                    page, section)
    errors(error_id, run_id, path, sha256, kind, message, at)
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Report

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL, finished REAL, status TEXT NOT NULL, pid INTEGER,
    extractor_version TEXT, registry_version TEXT, executor TEXT, workers INTEGER,
    force INTEGER NOT NULL DEFAULT 0, inputs TEXT,
    done INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0, seconds REAL, peak_rss_mb REAL, settings_key TEXT
);
CREATE TABLE IF NOT EXISTS reports (
    path TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(run_id),
    file TEXT NOT NULL, sha256 TEXT, pages INTEGER NOT NULL DEFAULT 0,
    extractor_version TEXT NOT NULL, registry_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')), error_kind TEXT,
    seconds REAL, peak_rss_mb REAL, extracted_at REAL NOT NULL, report_json TEXT NOT NULL,
    settings_key TEXT,
    PRIMARY KEY (path, run_id)
);
CREATE TABLE IF NOT EXISTS recommendations (
    path TEXT NOT NULL, run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    rec_id TEXT, text TEXT NOT NULL, addressed_to TEXT NOT NULL, addressed_to_raw TEXT,
    page INTEGER, section TEXT,
    PRIMARY KEY (path, run_id, seq),
    FOREIGN KEY (path, run_id) REFERENCES reports(path, run_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS errors (
    error_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, path TEXT NOT NULL,
    sha256 TEXT, kind TEXT NOT NULL, message TEXT NOT NULL, at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_by_run ON errors(run_id);
"""

# Failures caused by the run's limits or the machine rather than the file itself; they are
# retried by the next run instead of being skipped as "unchanged".
TRANSIENT_KINDS = frozenset({"timeout", "memory", "crashed"})


class StoreError(Exception):
    """The store file is not a dhr-extract store or has a newer schema."""


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One row of the store's view: where the document is and what came out."""

    path: str
    run_id: int
    sha256: str | None
    status: str
    error_kind: str | None
    report: Report


@dataclass(slots=True)
class RunSummary:
    """The counts a run records (and the CLI prints at the end)."""

    run_id: int
    done: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    pages: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    status: str = "running"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "status": self.status, "done": self.done,
            "skipped": self.skipped, "failed": self.failed, "rows": self.rows,
            "pages": self.pages, "seconds": round(self.seconds, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


class BatchStore:
    """A connection to one store file (create it if missing). Not shared across threads."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no such store")
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._init_schema(create)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{self.path}: not a dhr-extract store ({exc})") from exc

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> BatchStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_schema(self, create: bool) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            if tables - {"sqlite_sequence"}:
                raise StoreError(f"{self.path}: not a dhr-extract store (unknown tables)")
            if not create:
                raise StoreError(f"{self.path}: empty file, not a dhr-extract store")
            self._db.executescript("BEGIN;" + _SCHEMA + "COMMIT;")
            self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {version} is newer than this dhr-extract ({SCHEMA_VERSION}); upgrade"
            )
        if version < 2:  # schema 1 → 2: the settings each document was extracted with
            self._db.executescript(
                "BEGIN;"
                "ALTER TABLE runs ADD COLUMN settings_key TEXT;"
                "ALTER TABLE reports ADD COLUMN settings_key TEXT;"
                "UPDATE meta SET value='2' WHERE key='schema_version';"
                "COMMIT;"
            )

    # ------------------------------------------------------------------ runs
    def begin_run(self, *, extractor_version: str, registry_version: str, executor: str,
                  workers: int, force: bool, inputs: list[str], settings_key: str | None = None) -> RunSummary:
        """Open a run; runs left ``running`` by a killed process become ``interrupted``."""
        self._mark_dead_runs()
        cur = self._db.execute(
            "INSERT INTO runs (started, status, pid, extractor_version, registry_version, executor,"
            " workers, force, inputs, settings_key) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), os.getpid(), extractor_version, registry_version, executor, workers,
             int(force), json.dumps(inputs[:1000]), settings_key),
        )
        return RunSummary(run_id=int(cur.lastrowid or 0))

    def finish_run(self, summary: RunSummary, status: str = "finished") -> None:
        """Close a run. The counts in ``summary`` are reloaded from the store, which
        updated them in each document's own transaction (so they always agree)."""
        summary.status = status
        self._db.execute(
            "UPDATE runs SET finished=?, status=?, skipped=?, seconds=?, peak_rss_mb=? WHERE run_id=?",
            (time.time(), status, summary.skipped, summary.seconds, summary.peak_rss_mb, summary.run_id),
        )
        row = self._db.execute(
            "SELECT done, failed, rows, pages FROM runs WHERE run_id=?", (summary.run_id,)
        ).fetchone()
        summary.done, summary.failed, summary.rows, summary.pages = (
            row["done"], row["failed"], row["rows"], row["pages"])

    def set_skipped(self, summary: RunSummary) -> None:
        """Record how many documents the run found unchanged (known once it is planned)."""
        self._db.execute("UPDATE runs SET skipped=? WHERE run_id=?", (summary.skipped, summary.run_id))

    def _mark_dead_runs(self) -> None:
        for row in self._db.execute("SELECT run_id, pid FROM runs WHERE status='running'").fetchall():
            if not _pid_alive(row["pid"]):
                self._db.execute("UPDATE runs SET status='interrupted' WHERE run_id=?", (row["run_id"],))

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._db.execute("SELECT * FROM runs ORDER BY run_id")]

    def last_run_id(self) -> int | None:
        row = self._db.execute("SELECT MAX(run_id) FROM runs").fetchone()
        return row[0]

    def has_run(self, run_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone() is not None

    # ------------------------------------------------------------------ documents
    def previous(self, path: str) -> sqlite3.Row | None:
        """The newest stored result for ``path`` (any run), or ``None``."""
        return self._db.execute(
            "SELECT sha256, extractor_version, registry_version, settings_key, status, error_kind FROM reports"
            " WHERE path=? ORDER BY run_id DESC LIMIT 1",
            (path,),
        ).fetchone()

    def is_current(self, path: str, sha256: str, extractor_version: str, registry_version: str,
                   settings_key: str | None = None) -> bool:
        """True when ``path`` was already extracted from these bytes with these versions
        (and, when ``settings_key`` is given, with these output settings)."""
        prev = self.previous(path)
        return (
            prev is not None
            and prev["sha256"] == sha256
            and prev["extractor_version"] == extractor_version
            and prev["registry_version"] == registry_version
            and (settings_key is None or prev["settings_key"] == settings_key)
            and prev["error_kind"] not in TRANSIENT_KINDS
        )

    def save_document(self, run_id: int, path: str, report: Report, *, sha256: str | None,
                      registry_version: str, seconds: float, peak_rss_mb: float | None,
                      report_json: dict[str, Any] | None = None, settings_key: str | None = None) -> None:
        """Write one document's report, rows, error and its run's counts in one transaction.

        ``report_json`` is the report exactly as the worker produced it (stored verbatim,
        so fields this version of ``Report.from_dict`` does not know survive); it
        defaults to ``report.to_dict()``.
        """
        status = "failed" if report.error else "done"
        kind = report.error.get("kind") if report.error else None
        now = time.time()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            # A rerun inside the same run id (never normally) replaces, never duplicates.
            db.execute("DELETE FROM recommendations WHERE path=? AND run_id=?", (path, run_id))
            db.execute("DELETE FROM reports WHERE path=? AND run_id=?", (path, run_id))
            db.execute(
                "INSERT INTO reports (path, run_id, file, sha256, pages, extractor_version,"
                " registry_version, status, error_kind, seconds, peak_rss_mb, extracted_at, report_json,"
                " settings_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, run_id, report.file, sha256 or report.sha256, report.pages,
                 report.extractor_version, registry_version, status, kind, seconds, peak_rss_mb,
                 now, json.dumps(report_json if report_json is not None else report.to_dict(),
                                 ensure_ascii=False), settings_key),
            )
            db.executemany(
                "INSERT INTO recommendations (path, run_id, seq, rec_id, text, addressed_to,"
                " addressed_to_raw, page, section) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (path, run_id, seq, rec.id, rec.text, json.dumps(rec.addressed_to),
                     rec.addressed_to_raw, rec.page, rec.section)
                    for seq, rec in enumerate(report.recommendations, start=1)
                ],
            )
            if report.error:
                db.execute(
                    "INSERT INTO errors (run_id, path, sha256, kind, message, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (run_id, path, sha256, kind or "error", report.error.get("message", ""), now),
                )
            ok = report.error is None
            db.execute(
                "UPDATE runs SET done=done+?, failed=failed+?, rows=rows+?, pages=pages+? WHERE run_id=?",
                (int(ok), int(not ok), len(report.recommendations) if ok else 0, report.pages, run_id),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ reading
    def resolve_run(self, run_id: int | None) -> int:
        """``None`` → the newest run; otherwise check the run exists."""
        if run_id is None:
            last = self.last_run_id()
            if last is None:
                raise StoreError(f"{self.path}: the store has no runs yet")
            return last
        if not self.has_run(run_id):
            raise StoreError(f"{self.path}: no run {run_id}")
        return run_id

    def view(self, run_id: int | None = None) -> Iterator[StoredReport]:
        """Every document's newest result as of ``run_id`` (default: the newest run), by path."""
        upto = self.resolve_run(run_id)
        query = (
            "SELECT r.path, r.run_id, r.sha256, r.status, r.error_kind, r.report_json FROM reports r"
            " JOIN (SELECT path, MAX(run_id) AS run_id FROM reports WHERE run_id <= ? GROUP BY path) l"
            " ON r.path = l.path AND r.run_id = l.run_id ORDER BY r.path"
        )
        with closing(self._db.execute(query, (upto,))) as cur:
            for row in cur:
                yield StoredReport(
                    path=row["path"], run_id=row["run_id"], sha256=row["sha256"],
                    status=row["status"], error_kind=row["error_kind"],
                    report=Report.from_dict(json.loads(row["report_json"])),
                )

    def row_counts(self, run_id: int | None = None) -> dict[str, int]:
        """Recommendation rows per path in the view (used by tests and ``diff``)."""
        upto = self.resolve_run(run_id)
        query = (
            "SELECT r.path, COUNT(c.seq) FROM reports r"
            " JOIN (SELECT path, MAX(run_id) AS run_id FROM reports WHERE run_id <= ? GROUP BY path) l"
            " ON r.path = l.path AND r.run_id = l.run_id"
            " LEFT JOIN recommendations c ON c.path = r.path AND c.run_id = r.run_id GROUP BY r.path"
        )
        return {row[0]: row[1] for row in self._db.execute(query, (upto,))}

    def errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        if run_id is None:
            return [dict(r) for r in self._db.execute("SELECT * FROM errors ORDER BY error_id")]
        return [dict(r) for r in self._db.execute("SELECT * FROM errors WHERE run_id=? ORDER BY error_id", (run_id,))]


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
