"""Progress display for a batch: a rich bar on a terminal, plain log lines otherwise.

Both print each failure as one line naming the file and the reason, and both end with
the run's summary, so a log file of a long run says what happened without the bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..models import Report
from .jobs import Outcome
from .runner import BatchObserver
from .store import RunSummary


def summary_line(summary: RunSummary) -> str:
    """``run 3 finished: 118 done, 5 skipped, 2 failed, 1520 rows, 4300 pages in 81.2 s``."""
    rate = summary.pages / summary.seconds if summary.seconds > 0 else 0.0
    return (
        f"run {summary.run_id} {summary.status}: {summary.done} done, {summary.skipped} skipped, "
        f"{summary.failed} failed, {summary.rows} rows, {summary.pages} pages in "
        f"{summary.seconds:.1f} s ({rate:.1f} pages/s)"
    )


def failure_line(report: Report, outcome: Outcome) -> str:
    error = report.error or {}
    return f"error: {display_path(outcome.path)}: {error.get('message', 'failed')} [{error.get('kind', 'error')}]"


def _eta(done: int, total: int, elapsed: float) -> str:
    if not done or done >= total:
        return "0s"
    seconds = int(elapsed / done * (total - done))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class LogObserver(BatchObserver):
    """Plain lines via ``write``: the plan, failures, a progress line every ``every`` s."""

    def __init__(self, write: Callable[[str], None], every: float = 10.0) -> None:
        self.write = write
        self.every = every
        self.total = 0
        self.started = time.monotonic()
        self.last = self.started

    def planned(self, total: int, skipped: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        self.write(f"batch: {total} to extract, {skipped} unchanged (skipped)")

    def document(self, report: Report, outcome: Outcome, summary: RunSummary) -> None:
        if report.error:
            self.write(failure_line(report, outcome))
        now = time.monotonic()
        finished = summary.done + summary.failed
        if now - self.last >= self.every or finished == self.total:
            self.last = now
            elapsed = now - self.started
            rate = summary.pages / elapsed if elapsed > 0 else 0.0
            self.write(
                f"batch: {finished}/{self.total} ({summary.failed} failed), {summary.pages} pages, "
                f"{rate:.1f} pages/s, ETA {_eta(finished, self.total, elapsed)}"
            )

    def finished(self, summary: RunSummary) -> None:
        self.write(summary_line(summary))


class RichObserver(BatchObserver):
    """A rich progress bar with counts, pages/s and ETA (use as a context manager)."""

    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console
        self.progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=False,
        )
        self.task: Any = None
        self.started = time.monotonic()

    def __enter__(self) -> RichObserver:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def planned(self, total: int, skipped: int) -> None:
        self.started = time.monotonic()
        self.task = self.progress.add_task("batch", total=total, counts=f"skipped {skipped}", rate="")

    def document(self, report: Report, outcome: Outcome, summary: RunSummary) -> None:
        if report.error:
            self.progress.console.print(failure_line(report, outcome), markup=False, highlight=False)
        elapsed = time.monotonic() - self.started
        rate = summary.pages / elapsed if elapsed > 0 else 0.0
        self.progress.update(
            self.task, advance=1, rate=f"{rate:.1f} pages/s",
            counts=f"ok {summary.done} · failed {summary.failed} · skipped {summary.skipped} · rows {summary.rows}",
        )

    def finished(self, summary: RunSummary) -> None:
        self.progress.stop()
        self.console.print(summary_line(summary), markup=False, highlight=False)


def display_path(path: str) -> str:
    """A path relative to the working folder when it is inside it (shorter lines)."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
