"""Run the per-document function on a dask.distributed cluster.

The driver submits one task per document and stores each outcome as it completes, in
the same store and through the same code as the local pool, so both executors write the
same rows. The settings and the agency registry are scattered once to every worker.

The limits are the local pool's: each task hands its document to a child process of
the dask worker (``guard.GuardedChild``, one per worker thread, reused from document
to document) and kills that child when the document runs past ``timeout`` or its
memory above ``max_memory_mb``. A dask worker thread cannot be stopped, and a document
stuck in C code or a regular expression would hold the worker's GIL; the child can be.
See ``dask_worker`` for the worker side.

``dask[distributed]`` is an optional dependency (``pip install 'dhr-extract[dask]'``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from ..settings import Settings
from .jobs import DocumentFn, Job, Outcome, failure_outcome, process_document

log = logging.getLogger(__name__)


class DaskExecutor:
    """Executor for ``--executor dask --scheduler tcp://HOST:PORT``.

    ``scheduler`` is an address or an existing ``distributed.Client`` (left open).
    """

    name = "dask"

    def __init__(self, scheduler: Any, *, timeout: float = 120.0, max_memory_mb: float | None = 2048.0,
                 fn: DocumentFn = process_document, connect_timeout: float = 20.0) -> None:
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
        self.max_memory_mb = max_memory_mb
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

        from .dask_worker import PLUGIN_NAME, GuardPlugin, guarded_call

        job_list = list(jobs)
        if not job_list:
            return
        client, owned = self._client()
        try:
            self.workers = sum(client.nthreads().values())
            client.register_plugin(GuardPlugin(), name=PLUGIN_NAME)
            settings_f = client.scatter(settings, broadcast=True)
            registry_f = client.scatter(registry, broadcast=True)
            batch = uuid.uuid4().hex[:8]
            futures = {
                client.submit(
                    guarded_call, self.fn, job, settings_f, registry_f, self.timeout, self.max_memory_mb,
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
            return failure_outcome(job, "crashed", f"dask task failed ({name}: {exc})", 0.0)
