"""Run a batch: plan the inputs, skip what is unchanged, extract the rest in an executor
and write each result to the store the moment it arrives.

The driver (this module) is the only writer of the store; executors (the local guarded
pool, or dask.distributed) only run the per-document function and hand back outcomes.
That is what makes both executors write identical rows, and what keeps the store
consistent when the driver is killed: every finished document is already committed,
and documents in flight are simply redone by the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from .._version import __version__
from ..models import Report
from ..normalise import AgencyRegistry
from ..settings import Settings
from .jobs import Job, Outcome, metadata_lookup, plan_inputs, sha256_file
from .store import BatchStore, RunSummary

log = logging.getLogger(__name__)


class Executor(Protocol):
    """Anything that runs the per-document function over jobs and yields outcomes."""

    name: str
    workers: int

    def run(self, jobs: Iterable[Job], settings: Settings, registry: Any) -> Iterator[Outcome]: ...


class BatchObserver:
    """Hooks for progress display; the default does nothing."""

    def planned(self, total: int, skipped: int) -> None:
        """Called once: ``total`` documents to extract, ``skipped`` unchanged ones."""

    def document(self, report: Report, outcome: Outcome, summary: RunSummary) -> None:
        """Called after each document has been stored."""

    def finished(self, summary: RunSummary) -> None:
        """Called once at the end (also after an interruption)."""


def registry_version(registry: Any) -> str:
    """The registry's version string (part of the incremental-skip key)."""
    return str(getattr(registry, "version", "none"))


def run_batch(
    inputs: Iterable[str | Path],
    *,
    store: BatchStore,
    executor: Executor,
    settings: Settings | None = None,
    registry: Any = None,
    force: bool = False,
    manifest: Path | None = None,
    observer: BatchObserver | None = None,
) -> RunSummary:
    """Extract every PDF named by ``inputs`` into ``store``; return the run's summary.

    A document is skipped when the store already holds a result for its path from the
    same bytes (SHA-256), extractor version, agency registry version and output settings
    (``Settings.output_key``: OCR mode, anonymisation, ...), unless ``force``. Failures (bad PDFs, timeouts, memory, crashes) are stored with their kind
    and the run carries on.

    Example: run_batch(["reports/"], store=BatchStore("dhr.sqlite"), executor=LocalExecutor())
    """
    settings = settings or Settings()
    observer = observer or BatchObserver()
    registry = registry if registry is not None else AgencyRegistry.load(settings.agencies)
    reg_version = registry_version(registry)
    settings_key = settings.output_key()
    input_list = [str(i) for i in inputs]
    plan = plan_inputs(input_list)
    lookup = metadata_lookup(plan, manifest)  # a broken --manifest fails before the run starts
    summary = store.begin_run(
        extractor_version=__version__, registry_version=reg_version, executor=executor.name,
        workers=executor.workers, force=force, inputs=input_list, settings_key=settings_key,
    )
    started = time.perf_counter()
    status = "interrupted"
    try:
        jobs = _jobs(plan, store, lookup, reg_version, settings_key, force, summary)
        store.set_skipped(summary)
        observer.planned(len(jobs), summary.skipped)
        hashes = {job.path: job.sha256 for job in jobs}
        for outcome in executor.run(jobs, settings, registry):
            if outcome.report.get("sha256") is None:  # failed before the worker hashed it
                outcome.report["sha256"] = hashes.get(outcome.path)
            report = Report.from_dict(outcome.report)
            store.save_document(
                summary.run_id, outcome.path, report, sha256=hashes.get(outcome.path),
                registry_version=reg_version, seconds=outcome.seconds,
                peak_rss_mb=outcome.peak_rss_mb, report_json=outcome.report, settings_key=settings_key,
            )
            _count(summary, report, outcome)  # the stored counts were updated with the document
            summary.seconds = time.perf_counter() - started
            observer.document(report, outcome, summary)
        status = "finished"
    finally:
        summary.seconds = time.perf_counter() - started
        store.finish_run(summary, status)
        observer.finished(summary)
    return summary


def _jobs(plan: Any, store: BatchStore, lookup: Any, reg_version: str, settings_key: str,
          force: bool, summary: RunSummary) -> list[Job]:
    jobs: list[Job] = []
    for pdf in plan.pdfs:
        sha = sha256_file(pdf)
        key = str(pdf)
        if not force and sha is not None and store.is_current(key, sha, __version__, reg_version, settings_key):
            summary.skipped += 1
            continue
        jobs.append(Job(path=key, sha256=sha, metadata=lookup(pdf, sha) if sha else None))
    # Largest first: a long document started last would leave the other workers idle.
    return sorted(jobs, key=lambda job: -_size(job.path))


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _count(summary: RunSummary, report: Report, outcome: Outcome) -> None:
    if report.error:
        summary.failed += 1
    else:
        summary.done += 1
        summary.rows += len(report.recommendations)
    summary.pages += report.pages
    if outcome.peak_rss_mb is not None and report.error is None:
        summary.peak_rss_mb = max(summary.peak_rss_mb, outcome.peak_rss_mb)
