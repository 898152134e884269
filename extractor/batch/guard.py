"""One document at a time in a child process that can be killed: the time limit and
memory guard for executors whose own workers cannot be stopped (dask).

A dask worker runs tasks in threads. A thread cannot be killed, and a document stuck
in C code (MuPDF) or in a regular expression holds the GIL, so a limit enforced by a
second thread of the same process may never get to run. The dask task therefore hands
each document to a ``GuardedChild``: a long-lived Python process, started once per
worker thread, that runs the same per-document function as the local pool's workers.
The task waits for the child's answer and kills it (SIGKILL) when the document runs
past its time limit or its memory above the limit; the next document starts a fresh
child. The child is a plain ``subprocess`` (not ``multiprocessing``) because dask
workers are daemonic processes, which ``multiprocessing`` forbids to have children.

A child left idle for ``IDLE_EXIT_SECONDS`` (the batch is over) exits by itself, so a
shared cluster does not keep one extractor process per thread between runs; the next
document starts a new one.

Run as ``python -m extractor.batch.guard READ_FD WRITE_FD IDLE_SECONDS``, this module is
the child.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from ..settings import Settings
from .jobs import DocumentFn, Job, Outcome, failure_outcome
from .pool import POLL_SECONDS, death_reason, rss_mb, serve

log = logging.getLogger(__name__)

IDLE_EXIT_SECONDS = 60.0


class GuardedChild:
    """Run ``fn(job, settings, registry)`` in a child process with limits per document.

    The child starts on first use and is reused while it behaves; ``close`` (or the
    context manager) stops it. ``max_memory_mb`` is the resident memory the child may
    reach (``None``: no guard); ``idle_exit`` the seconds without a document after
    which the child leaves by itself.

    Example:
        >>> with GuardedChild(process_document, Settings(), registry, max_memory_mb=2048) as child:
        ...     outcome = child.run(Job("/data/report.pdf", sha), timeout=120)
    """

    def __init__(self, fn: DocumentFn, settings: Settings, registry: Any, *,
                 max_memory_mb: float | None = 2048.0, idle_exit: float = IDLE_EXIT_SECONDS) -> None:
        self.fn = fn
        self.idle_exit = idle_exit
        self.settings = settings
        self.registry = registry
        self.max_memory_mb = max_memory_mb
        self._process: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._receive: Connection | None = None

    def __enter__(self) -> GuardedChild:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def run(self, job: Job, timeout: float) -> Outcome:
        """The document's outcome, or a ``timeout``/``memory``/``crashed`` failure."""
        if self.pid is None:
            self._start()
        assert self._process is not None and self._send is not None and self._receive is not None
        started = time.monotonic()
        try:
            self._send.send(job)
        except OSError:  # the child died between documents: start again once
            self._start()
            self._send.send(job)
        outcome = self._wait(job, timeout, started)
        if outcome is None:  # it had just left, idle, without reading the job: once more
            self._start()
            self._send.send(job)
            outcome = self._wait(job, timeout, started)
        return outcome or failure_outcome(job, "crashed", "worker process exited", time.monotonic() - started)

    def _wait(self, job: Job, timeout: float, started: float) -> Outcome | None:
        """The child's answer, a failure, or ``None`` if the child exited cleanly (idle)."""
        assert self._process is not None and self._receive is not None
        while True:
            elapsed = time.monotonic() - started
            try:
                if self._receive.poll(max(0.0, min(POLL_SECONDS, timeout - elapsed))):
                    return self._receive.recv()
            except (EOFError, OSError):
                pass  # the child died: the exit code says why
            elapsed = time.monotonic() - started
            code = self._process.poll()
            if code == 0:
                self._stop()
                return None
            if code is not None:
                kind, why = death_reason(code)
                self._stop()
                return failure_outcome(job, kind, why, elapsed)
            if elapsed > timeout:
                log.warning("%s: timed out after %.0f s; killing its child process", job.path, elapsed)
                pid = str(self._process.pid)
                self._stop()
                return failure_outcome(job, "timeout", f"timed out after {timeout:g} s", elapsed, worker=pid)
            rss = rss_mb(self._process.pid) if self.max_memory_mb is not None else None
            if rss is not None and self.max_memory_mb is not None and rss > self.max_memory_mb:
                log.warning("%s: child process used %.0f MB; killing it", job.path, rss)
                pid = str(self._process.pid)
                self._stop()
                message = f"used more than {self.max_memory_mb:g} MB of memory ({rss:.0f} MB)"
                return failure_outcome(job, "memory", message, elapsed, rss=rss, worker=pid)

    def close(self) -> None:
        """Ask the child to finish (it exits on ``None``); kill it if it does not."""
        if self._send is not None and self.pid is not None:
            try:
                self._send.send(None)
                assert self._process is not None
                self._process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()

    # ------------------------------------------------------------------ internals
    def _start(self) -> None:
        self._stop()
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        # The child imports what the parent can (the extractor, and in tests the helper
        # module that defines ``fn``), whatever the working directory.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(child_reads), str(child_writes), str(self.idle_exit)],
                pass_fds=(child_reads, child_writes), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, env=env, close_fds=True,
            )
        finally:
            os.close(child_reads)
            os.close(child_writes)
        self._send = Connection(parent_writes, readable=False)
        self._receive = Connection(parent_reads, writable=False)
        self._send.send((self.fn, self.settings, self.registry))

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a process SIGKILL cannot stop
                log.warning("child process %d did not exit after SIGKILL", self._process.pid)
        for conn in (self._send, self._receive):
            if conn is not None:
                conn.close()
        self._process = self._send = self._receive = None


def _child_main(argv: list[str]) -> None:
    """The child: read ``(fn, settings, registry)``, then serve jobs until ``None``, EOF
    or ``IDLE_SECONDS`` without one."""
    receive = Connection(int(argv[0]), writable=False)
    send = Connection(int(argv[1]), readable=False)
    idle = float(argv[2])

    def next_job() -> Any:
        if not receive.poll(idle):
            return None  # idle: exit (cleanly, so the parent knows it was not a crash)
        return receive.recv()

    try:
        fn, settings, registry = receive.recv()
    except (EOFError, OSError):
        return
    serve(next_job, send.send, fn, settings, registry)


if __name__ == "__main__":
    _child_main(sys.argv[1:])
