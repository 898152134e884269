"""Shared CLI plumbing: one way to report errors, open outputs and render tables."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.table import Table

from ..io.writers import FORMATS
from ..models import Report

# The writers' formats as CLI choices (one list: a new writer appears in every command).
ExportFormat = StrEnum("ExportFormat", {f: f for f in FORMATS})  # type: ignore[misc]
OutputFormat = StrEnum("OutputFormat", {f: f for f in ("table", *FORMATS)})  # type: ignore[misc]


def err_console() -> Console:
    """A console on stderr (created per call: no global state)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def report_failure(file: str, reason: str) -> None:
    """Print the one-line error for a failed input: ``<file>: <reason>``."""
    typer.echo(f"error: {file}: {reason}", err=True)


def usage_error(message: str) -> typer.Exit:
    """Print a usage error and return the Exit(2) to raise."""
    typer.echo(f"Usage error: {message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def text_output(path: Path | None) -> Iterator[IO[str]]:
    """Yield stdout for ``None``/``-``, else a file written atomically on success."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        yield handle
    tmp.replace(path)


def render_reports_table(reports: Sequence[Report], console: Console | None = None) -> None:
    """Render each report as a rich table like the target page."""
    console = console or Console()
    for report in reports:
        if report.error:
            continue
        title = report.metadata.title or report.file
        meta = [f"{len(report.recommendations)} recommendations", f"{report.pages} pages"]
        if report.metadata.csp:
            meta.insert(0, f"CSP: {report.metadata.csp}")
        table = Table(title=f"{title}", caption=" · ".join(meta), show_lines=True, expand=True)
        table.add_column("#", no_wrap=True, style="bold")
        table.add_column("Recommendation", ratio=3)
        table.add_column("Addressed to", ratio=1)
        table.add_column("Page", justify="right", no_wrap=True)
        for rec in report.recommendations:
            table.add_row(rec.id or "", rec.text, "; ".join(rec.addressed_to), str(rec.page or ""))
        console.print(table)
        for warning in report.warnings:
            console.print(f"[yellow]warning:[/yellow] {report.file}: {warning}")


def ocr_cache_folder(path: Path | None, off: bool) -> Path | None:
    """The OCR cache folder for a command: ``--ocr-cache PATH``, else the per-user cache
    folder; ``None`` (OCR every time, write nothing) with ``--no-ocr-cache``."""
    if off:
        return None
    from ..ocr_cache import default_directory

    return path if path is not None else default_directory()
