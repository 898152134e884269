"""A guarded process pool: one document at a time per worker, with a time limit and a
memory limit per document.

Why not ``concurrent.futures.ProcessPoolExecutor``: it cannot stop a task that hangs,
and one worker killed by the kernel breaks the whole pool. Here the driver owns each
worker process and its pipe; a worker that runs past its deadline or above its memory
limit is killed (SIGKILL), its document recorded as a ``timeout``/``memory`` failure,
and a fresh worker takes its place. A worker that dies on its own (a segfault in a C
library) is recorded as ``crashed``. The rest of the run carries on.

Workers start with the ``forkserver`` method where available: forking from a clean
server process is quick, and safe although the driver runs a progress thread.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..settings import Settings
from .jobs import DocumentFn, Job, Outcome, failure_outcome, process_document

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # Import the extractor once in the server; each worker forked from it starts warm.
    # pdfplumber (~0.2 s to import) is otherwise imported by each worker on its first
    # table page: on a short batch, a cost paid once per worker. (Takes effect when the
    # server first starts; harmless afterwards; a module that fails to import is skipped.)
    ctx.set_forkserver_preload([__name__, "pdfplumber"])
    return ctx


def _worker_main(conn: Connection, fn: DocumentFn, settings: Settings, registry: bytes) -> None:
    """Worker loop over the pool's duplex pipe (see ``serve``).

    ``registry`` arrives pickled: the driver pickles it (~1 MB, ~20 ms) once per run
    rather than once for every worker it starts.
    """
    serve(conn.recv, conn.send, fn, settings, pickle.loads(registry))


def serve(receive: Callable[[], Any], send: Callable[[Any], None], fn: DocumentFn,
          settings: Settings, registry: Any) -> None:
    """A worker's loop: receive a job, run ``fn``, send the outcome; stop on ``None``/EOF.

    Shared by the pool's workers and the guarded child of ``guard`` (dask).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides how to stop
    _quiet_mupdf()
    while True:
        try:
            job = receive()
        except (EOFError, OSError):
            return
        if job is None:
            return
        outcome = fn(job, settings, registry)
        outcome.worker = str(os.getpid())
        try:
            send(outcome)
        except (BrokenPipeError, OSError):
            return


def death_reason(code: int | None) -> tuple[str, str]:
    """(failure kind, message) for a worker that exited with ``code`` mid-document.

    A SIGKILL nobody in dhr-extract sent is almost always the kernel's OOM killer.
    """
    why = f"worker process died (exit code {code})" if code and code > 0 else (
        f"worker process killed by signal {-code}" if code else "worker process exited")
    if code == -signal.SIGKILL:
        return "memory", why + " — most likely the kernel's out-of-memory killer"
    return "crashed", why


def _quiet_mupdf() -> None:
    """MuPDF prints parser complaints to stderr; in a batch they would bury the progress
    display. What matters reaches the store as the document's error or warnings."""
    try:
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    except (ImportError, AttributeError):  # pragma: no cover - older PyMuPDF
        pass


def rss_mb(pid: int) -> float | None:
    """Current resident memory of a process in MB, or ``None`` if it cannot be read.

    On Linux it is read from ``/proc`` (the guard polls it ten times a second per
    worker); elsewhere (macOS, Windows) psutil reads it, so the memory limit holds there
    too.
    """
    rss = _proc_rss_mb(pid)
    return rss if rss is not None else _psutil_rss_mb(pid)


def _proc_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        return None
    return None


def _psutil_rss_mb(pid: int) -> float | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        return None
    try:
        return psutil.Process(pid).memory_info().rss / (1024.0 * 1024.0)
    except psutil.Error:
        return None


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    job: Job | None = None
    started: float = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class LocalExecutor:
    """Run the per-document function over jobs in guarded worker processes.

    ``timeout`` is seconds per document, ``max_memory_mb`` the resident memory a worker
    may reach (``None`` turns the guard off). Outcomes are yielded as documents finish,
    so the driver can store each one at once.
    """

    name = "local"

    def __init__(self, workers: int | None = None, *, timeout: float = 120.0,
                 max_memory_mb: float | None = 2048.0, fn: DocumentFn = process_document) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.workers = workers or default_workers()
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.fn = fn
        self._ctx = _context()

    def run(self, jobs: Iterable[Job], settings: Settings, registry: Any) -> Iterator[Outcome]:
        pending = deque(jobs)
        pool: list[_Worker] = []
        pickled = pickle.dumps(registry, protocol=pickle.HIGHEST_PROTOCOL)  # once, not per worker
        try:
            for _ in range(min(self.workers, len(pending))):
                pool.append(self._spawn(settings, pickled))
            self._hand_out(pool, pending, settings, pickled)
            while any(w.job for w in pool):
                self._wait(pool)
                finished: list[Outcome] = []
                for index, worker in enumerate(pool):
                    outcome, dead = self._check(worker)
                    if outcome is not None:
                        finished.append(outcome)
                    if dead:
                        worker.kill()
                        pool[index] = self._spawn(settings, pickled)
                # Give idle workers their next document before handing the outcomes to
                # the caller: storing them (a SQLite transaction each) would otherwise
                # leave each worker waiting on the driver after every document.
                self._hand_out(pool, pending, settings, pickled)
                yield from finished
        finally:
            for worker in pool:
                try:
                    worker.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            deadline = time.monotonic() + 2
            for worker in pool:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
                worker.kill()

    # ------------------------------------------------------------------ internals
    def _spawn(self, settings: Settings, pickled_registry: bytes) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.fn, settings, pickled_registry), daemon=True,
            name="dhr-extract-worker",
        )
        process.start()
        child.close()
        return _Worker(process=process, conn=parent)

    def _hand_out(self, pool: list[_Worker], pending: deque[Job], settings: Settings,
                  pickled_registry: bytes) -> None:
        """Give each idle worker the next pending job, replacing one that died while idle."""
        for index, worker in enumerate(pool):
            if worker.job is None and pending:
                job = pending.popleft()
                if worker.process.is_alive():
                    try:
                        self._assign(worker, job)
                        continue
                    except (BrokenPipeError, OSError):  # it died after the check
                        pass
                worker.kill()
                pool[index] = worker = self._spawn(settings, pickled_registry)
                self._assign(worker, job)

    def _assign(self, worker: _Worker, job: Job) -> None:
        worker.job = job
        worker.started = time.monotonic()
        worker.conn.send(job)

    def _wait(self, pool: list[_Worker]) -> None:
        busy = [w for w in pool if w.job is not None]
        if not busy:
            return
        now = time.monotonic()
        next_deadline = min(w.started + self.timeout for w in busy) - now
        handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        wait(handles, timeout=max(0.0, min(POLL_SECONDS, next_deadline)))

    def _check(self, worker: _Worker) -> tuple[Outcome | None, bool]:
        """Collect a finished outcome, or decide the worker must be replaced."""
        job = worker.job
        if job is None:
            return None, False
        elapsed = time.monotonic() - worker.started
        try:
            if worker.conn.poll():
                outcome: Outcome = worker.conn.recv()
                worker.job = None
                return outcome, False
        except (EOFError, OSError):
            pass  # the worker died; fall through to the liveness check
        if not worker.process.is_alive():
            kind, why = death_reason(worker.process.exitcode)
            return self._failed(worker, kind, why, elapsed), True
        if elapsed > self.timeout:
            log.warning("%s: timed out after %.0f s; killing its worker", job.path, elapsed)
            return self._failed(worker, "timeout", f"timed out after {self.timeout:g} s", elapsed), True
        if self.max_memory_mb is not None:
            rss = rss_mb(worker.process.pid)
            if rss is not None and rss > self.max_memory_mb:
                log.warning("%s: worker used %.0f MB; killing it", job.path, rss)
                message = f"used more than {self.max_memory_mb:g} MB of memory ({rss:.0f} MB)"
                return self._failed(worker, "memory", message, elapsed, rss), True
        return None, False

    def _failed(self, worker: _Worker, kind: str, message: str, elapsed: float,
                rss: float | None = None) -> Outcome:
        job = worker.job
        assert job is not None
        worker.job = None
        return failure_outcome(job, kind, message, elapsed, rss=rss, worker=str(worker.process.pid))
