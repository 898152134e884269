"""What runs on the dask workers: each task hands its document to a guarded child.

``guarded_call`` is the task. It finds this worker's ``GuardPlugin``, which keeps one
``GuardedChild`` per worker thread (started on the thread's first document, kept while
it behaves, replaced when the run's function, settings or registry change), and waits
for the document there under the run's time and memory limits. Children stop when the
worker closes (the plugin's teardown) and, should the worker die, on their own when
their pipe closes.

Imported only by the dask executor and on dask workers: it needs ``distributed``.
"""

from __future__ import annotations

import threading
from typing import Any

from distributed import WorkerPlugin, get_worker

from ..settings import Settings
from .guard import GuardedChild
from .jobs import DocumentFn, Job, Outcome

PLUGIN_NAME = "dhr-extract-guard"


class GuardPlugin(WorkerPlugin):
    """One guarded child process per worker thread, for the tasks of a batch."""

    idempotent = True  # registering again (the next run) keeps the running children

    def __init__(self) -> None:
        self._children: dict[int, tuple[tuple[Any, ...], GuardedChild]] = {}
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()

    def teardown(self, worker: Any) -> None:
        for _, child in list(self._children.values()):
            child.close()
        self._children.clear()

    def child(self, fn: DocumentFn, settings: Settings, registry: Any,
              max_memory_mb: float | None) -> GuardedChild:
        """This thread's child, started (or restarted) for this run's setup."""
        signature = (fn, settings, getattr(registry, "version", id(registry)), max_memory_mb)
        key = threading.get_ident()
        lock = self._lock or threading.Lock()
        with lock:
            current = self._children.get(key)
        if current is not None and current[0] == signature:
            return current[1]
        if current is not None:
            current[1].close()
        child = GuardedChild(fn, settings, registry, max_memory_mb=max_memory_mb)
        with lock:
            self._children[key] = (signature, child)
        return child

    def __getstate__(self) -> dict[str, Any]:  # sent to the workers before setup: no lock yet
        return {"_children": {}, "_lock": None}


def guarded_call(fn: DocumentFn, job: Job, settings: Settings, registry: Any, timeout: float,
                 max_memory_mb: float | None) -> Outcome:
    """The dask task: run one document in this thread's guarded child."""
    try:
        plugin = get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not on a dask worker (a direct call)
        plugin = None
    if plugin is None:  # no plugin registered: a child for this document alone
        with GuardedChild(fn, settings, registry, max_memory_mb=max_memory_mb) as child:
            return child.run(job, timeout)
    return plugin.child(fn, settings, registry, max_memory_mb).run(job, timeout)
