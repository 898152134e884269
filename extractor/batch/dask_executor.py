"""Run the per-document function on a dask.distributed cluster.

The driver submits one task per document and stores each outcome as it completes, in
the same store and through the same code as the local pool, so both executors write the
same rows. The settings and the agency registry are scattered once to every worker.

Limits differ from the local pool because dask runs tasks in worker threads that cannot
be killed one at a time:

* the time limit is applied on the worker: the document runs in a helper thread and the
  task returns a ``timeout`` failure when the limit passes (the stray thread finishes in
  the background);
* memory is guarded by dask's own nanny (``distributed.worker.memory.terminate``): a
  worker that exceeds it is restarted, and a document that keeps killing workers ends
  as ``KilledWorker``, recorded as ``crashed``.

``dask[distributed]`` is an optional dependency (``pip install 'dhr-extract[dask]'``).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from ..settings import Settings
from .jobs import DocumentFn, Job, Outcome, failure_report, process_document

log = logging.getLogger(__name__)


def timed_call(fn: DocumentFn, job: Job, settings: Settings, registry: Any, timeout: float) -> Outcome:
    """Run ``fn`` in a helper thread; return a ``timeout`` outcome if it overruns."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["outcome"] = fn(job, settings, registry)
        except BaseException as exc:  # noqa: BLE001 - carried back to the driver below
            box["error"] = exc

    started = time.perf_counter()
    thread = threading.Thread(target=target, name=f"dhr-extract:{job.path}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return _failure(job, "timeout", f"timed out after {timeout:g} s", time.perf_counter() - started)
    if "error" in box:
        exc = box["error"]
        kind = "memory" if isinstance(exc, MemoryError) else "crashed"
        return _failure(job, kind, f"internal error: {type(exc).__name__}: {exc}", time.perf_counter() - started)
    return box["outcome"]


def _failure(job: Job, kind: str, message: str, seconds: float) -> Outcome:
    report = failure_report(job.path, kind, message)
    report.sha256 = job.sha256
    return Outcome(path=job.path, report=report.to_dict(), seconds=seconds)


class DaskExecutor:
    """Executor for ``--executor dask --scheduler tcp://HOST:PORT``.

    ``scheduler`` is an address or an existing ``distributed.Client`` (left open).
    """

    name = "dask"

    def __init__(self, scheduler: Any, *, timeout: float = 120.0, fn: DocumentFn = process_document,
                 connect_timeout: float = 20.0) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise RuntimeError(
                "the dask executor needs dask.distributed: pip install 'dhr-extract[dask]'"
            ) from exc
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.scheduler = scheduler
        self.timeout = timeout
        self.fn = fn
        self.connect_timeout = connect_timeout
        self.workers = 0

    def _client(self) -> tuple[Any, bool]:
        from distributed import Client

        if isinstance(self.scheduler, Client):
            return self.scheduler, False
        try:
            return Client(self.scheduler, timeout=f"{self.connect_timeout}s"), True
        except (OSError, TimeoutError) as exc:
            raise RuntimeError(f"cannot reach the dask scheduler at {self.scheduler}: {exc}") from exc

    def run(self, jobs: Iterable[Job], settings: Settings, registry: Any) -> Iterator[Outcome]:
        from distributed import as_completed

        job_list = list(jobs)
        if not job_list:
            return
        client, owned = self._client()
        try:
            self.workers = sum(client.nthreads().values())
            settings_f = client.scatter(settings, broadcast=True)
            registry_f = client.scatter(registry, broadcast=True)
            batch = uuid.uuid4().hex[:8]
            futures = {
                client.submit(
                    timed_call, self.fn, job, settings_f, registry_f, self.timeout,
                    key=f"dhr-extract-{batch}-{n}", pure=False, retries=0,
                ): job
                for n, job in enumerate(job_list)
            }
            for future in as_completed(futures):
                job = futures.pop(future)
                yield self._result(future, job)
                future.release()
        finally:
            if owned:
                client.close()

    def _result(self, future: Any, job: Job) -> Outcome:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, …
            name = type(exc).__name__
            log.warning("%s: dask task failed: %s: %s", job.path, name, exc)
            kind = "crashed"
            return _failure(job, kind, f"dask task failed ({name}: {exc})", 0.0)
