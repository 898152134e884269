"""Incremental, resumable, parallel re-extraction of many reports into one SQLite store.

* :mod:`.store` — the SQLite store (one document per transaction, WAL, run history);
* :mod:`.jobs` — work items and the per-document function;
* :mod:`.pool` — the local guarded process pool (time and memory limit per document);
* :mod:`.dask_executor` — the same work on a dask.distributed cluster;
* :mod:`.dask_worker` and :mod:`.guard` — on each dask worker thread, a child process
  that is killed when a document overruns its time or memory limit;
* :mod:`.runner` — plan, skip unchanged documents, run, store;
* :mod:`.diff` — compare two stores or two runs.
"""

from __future__ import annotations

from .jobs import Job, Outcome, process_document
from .pool import LocalExecutor, default_workers
from .runner import BatchObserver, run_batch
from .store import BatchStore, RunSummary, StoreError

__all__ = [
    "BatchObserver", "BatchStore", "Job", "LocalExecutor", "Outcome", "RunSummary", "StoreError",
    "default_workers", "process_document", "run_batch",
]
