"""``dhr-extract batch``, ``export`` and ``diff``: re-extract a whole collection into a
SQLite store, write the store out in any format, and review what changed.

The default store is ``dhr-extract.sqlite`` in the current folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..batch.runner import BatchObserver, Executor
from ..batch.store import RunSummary
from ..errors import ExtractorError
from ..io.writers import infer_format, write_reports
from ..settings import Settings
from ._common import ExportFormat, err_console, ocr_cache_folder, text_output, usage_error

DEFAULT_STORE = Path("dhr-extract.sqlite")


class ExecutorName(StrEnum):
    local = "local"
    dask = "dask"




class DiffFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``batch``, ``export`` and ``diff`` to the app."""
    app.command("batch")(batch_command)
    app.command("export")(export_command)
    app.command("diff")(diff_command)


def batch_command(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT...", help="PDFs, folders of PDFs, or fetch manifests (manifest.csv/.jsonl).")],
    store_path: Annotated[Path, typer.Option("--store", help="SQLite store to write (created if missing).")] = DEFAULT_STORE,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Worker processes (default: all cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract every document, even unchanged ones.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.001, help="Seconds allowed per document.")] = 120.0,
    max_memory: Annotated[float, typer.Option("--max-memory", min=1.0, help="MB of memory a worker may use per document.")] = 2048.0,
    manifest: Annotated[Path | None, typer.Option("--manifest", help="Fetch manifest with report metadata.")] = None,
    executor: Annotated[ExecutorName, typer.Option("--executor", help="local (process pool) or dask.")] = ExecutorName.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    agencies: Annotated[Path | None, typer.Option("--agencies", help="Extra agency registry CSV (extends/overrides).")] = None,
    ocr: Annotated[str, typer.Option("--ocr", help="OCR pages without text: auto, always or never (a change of mode re-extracts the documents).")] = "auto",
    ocr_cache: Annotated[Path | None, typer.Option("--ocr-cache", help="Folder to keep OCR'd pages in and reuse (default: your cache folder).")] = None,
    no_ocr_cache: Annotated[bool, typer.Option("--no-ocr-cache", help="OCR every time; keep nothing on disk.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")] = False,
) -> None:
    """Extract many PDFs into a store: incremental, resumable, in parallel.

    Unchanged documents (same bytes, extractor version and agency registry) are
    skipped; an interrupted run is resumed by running the same command again. Exit
    status is 1 when any document failed in this run (each failure is one line on
    stderr), else 0.

    Pages OCR'd once are kept in your cache folder (``--ocr-cache`` to choose another,
    ``--no-ocr-cache`` to keep none), so a re-extraction with ``--force`` after an
    improvement to the extractor does not OCR the scans again.

    Example: dhr-extract batch reports/ --store dhr.sqlite --workers 4
    """
    from ..batch import BatchStore, StoreError, run_batch
    from ..batch.jobs import plan_inputs

    if executor is ExecutorName.dask and not scheduler:
        raise usage_error("--executor dask needs --scheduler tcp://HOST:PORT")
    try:
        plan = plan_inputs(inputs)
    except ExtractorError as exc:  # a manifest input that is not a manifest
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if not plan.pdfs:
        raise usage_error("no PDF files found in the given inputs")
    try:
        settings = Settings.resolve(None, agencies=agencies, ocr=ocr,
                                    ocr_cache=ocr_cache_folder(ocr_cache, no_ocr_cache))
    except ValueError as exc:
        raise usage_error(str(exc)) from exc
    runner = _executor(executor, scheduler, workers, timeout, max_memory)
    try:
        with BatchStore(store_path) as store:
            summary = _run_with_progress(lambda obs: run_batch(
                [str(p) for p in inputs], store=store, executor=runner, settings=settings,
                force=force, manifest=manifest, observer=obs))
    except (StoreError, ExtractorError) as exc:  # bad store, bad --manifest
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    except RuntimeError as exc:  # dask unreachable / not installed
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    except KeyboardInterrupt:
        typer.echo("interrupted: finished documents are saved; run again to resume", err=True)
        raise typer.Exit(code=130) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
    if summary.failed:
        raise typer.Exit(code=1)


def _executor(name: ExecutorName, scheduler: str | None, workers: int | None, timeout: float,
              max_memory: float) -> Executor:
    if name is ExecutorName.dask:
        from ..batch.dask_executor import DaskExecutor

        try:
            return DaskExecutor(scheduler, timeout=timeout, max_memory_mb=max_memory)
        except RuntimeError as exc:
            raise usage_error(str(exc)) from exc
    from ..batch import LocalExecutor

    return LocalExecutor(workers, timeout=timeout, max_memory_mb=max_memory)


def _run_with_progress(run: Callable[[BatchObserver], RunSummary]) -> RunSummary:
    """Show a progress bar on a terminal, plain log lines otherwise."""
    from ..batch.progress import LogObserver, RichObserver

    console = err_console()
    if console.is_terminal:
        with RichObserver(console) as observer:
            return run(observer)
    return run(LogObserver(lambda line: typer.echo(line, err=True)))


def export_command(
    store: Annotated[str, typer.Argument(metavar="STORE[@RUN]", help="Store file; @RUN exports the state as of that run.")],
    fmt: Annotated[ExportFormat | None, typer.Option("--format", "-f", help="csv, json, jsonl, md, parquet or xlsx (default: from -o, else jsonl).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Write the reports in a store (newest result per document) in another format.

    Example: dhr-extract export dhr.sqlite --format csv -o recommendations.csv
    """
    from ..batch import StoreError
    from ..batch.diff import load_side

    chosen = fmt.value if fmt else infer_format(output, default="jsonl")
    if chosen in ("parquet", "xlsx") and (output is None or str(output) == "-"):
        raise usage_error(f"--format {chosen} needs --output FILE")
    try:
        _, view = load_side(store)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    reports = [item.report for item in view]
    if chosen in ("parquet", "xlsx"):
        assert output is not None
        output.parent.mkdir(parents=True, exist_ok=True)
        write_reports(reports, chosen, output)
    else:
        with text_output(output) as handle:
            write_reports(reports, chosen, handle)


def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Store or STORE@RUN (@-1 = the run before the last).")],
    new: Annotated[str | None, typer.Argument(metavar="[NEW]", help="Store or STORE@RUN (default: OLD's last run, comparing it with the one before).")] = None,
    fmt: Annotated[DiffFormat | None, typer.Option("--format", "-f", help="table (default) or json.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """List the reports whose rows were added, removed or changed between two stores or runs.

    Example: dhr-extract diff before.sqlite after.sqlite
    Example: dhr-extract diff dhr.sqlite@4 dhr.sqlite@5 --format json
    """
    from ..batch import StoreError
    from ..batch.diff import diff_specs, parse_side

    if new is None:
        path, run = parse_side(old)
        if run is not None:
            raise usage_error("give NEW, or OLD as a plain store to compare its last two runs")
        old, new = f"{path}@-1", f"{path}@0"
    try:
        result = diff_specs(old, new)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    chosen = fmt.value if fmt else "table"
    with text_output(output) as handle:
        if chosen == "json":
            handle.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            from ..batch.diff_render import render_diff

            render_diff(result, handle)
