"""``dhr-extract extract``: the CLI face of :func:`extractor.extract`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from ..api import extract_many, iter_pdf_paths
from ..io.writers import infer_format, write_reports
from ..models import Metadata, Report
from ..settings import Settings
from ._common import (
    OutputFormat,
    ocr_cache_folder,
    render_reports_table,
    report_failure,
    text_output,
    usage_error,
)


def register(app: typer.Typer) -> None:
    """Add ``extract`` to the app."""
    app.command("extract")(extract_command)


def extract_command(
    inputs: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR...", help="PDF files or folders of PDFs."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout ('-' = stdout)."),
    fmt: OutputFormat | None = typer.Option(
        None, "--format", "-f", help="table (default on a terminal), csv, json, jsonl, md, parquet, xlsx."
    ),
    agencies: Path | None = typer.Option(None, "--agencies", help="Extra agency registry CSV (extends/overrides)."),
    manifest: Path | None = typer.Option(None, "--manifest", help="Fetch manifest with report metadata."),
    ocr: str = typer.Option("auto", "--ocr", help="OCR pages without text: auto, always or never."),
    ocr_cache: Path | None = typer.Option(
        None, "--ocr-cache", help="Folder to keep OCR'd pages in and reuse (default: your cache folder)."
    ),
    no_ocr_cache: bool = typer.Option(False, "--no-ocr-cache", help="OCR every time; keep nothing on disk."),
    keep_names: bool = typer.Option(False, "--keep-names", help="Do not anonymise names in the text."),
    raw_addressees: bool = typer.Option(
        False, "--raw-addressees", help="In table and md output, show addressees as printed, not canonical."
    ),
) -> None:
    """Extract the recommendations table from DHR PDFs.

    Exit status is 0 when every file succeeded and 1 when any failed (the others are
    still written); each failure is one line on stderr naming the file and the reason.

    Example: dhr-extract extract samples/manchester-2016.pdf --format md
    """
    paths = iter_pdf_paths(inputs)
    if not paths:
        raise usage_error("no PDF files found in the given inputs")
    try:
        settings = Settings.resolve(None, agencies=agencies, ocr=ocr, keep_names=keep_names or None,
                                    ocr_cache=ocr_cache_folder(ocr_cache, no_ocr_cache))
    except ValueError as exc:
        raise usage_error(str(exc)) from exc
    chosen = fmt.value if fmt else _default_format(output)
    reports = list(_run(paths, settings, manifest))
    for path, report in zip(paths, reports):
        if report.error:
            report_failure(str(path), report.error["message"])
    if raw_addressees and chosen in ("table", "md"):
        reports = [_with_raw_addressees(r) for r in reports]
    if chosen == "table":
        render_reports_table(reports)
    elif chosen in ("parquet", "xlsx"):
        if output is None or str(output) == "-":
            raise usage_error(f"--format {chosen} needs --output FILE")
        write_reports(reports, chosen, output)
    else:
        with text_output(output) as handle:
            write_reports(reports, chosen, handle)
    if any(r.error for r in reports):
        raise typer.Exit(code=1)


def _with_raw_addressees(report: Report) -> Report:
    """A display copy whose addressee column is the name as printed."""
    from dataclasses import replace

    recs = [replace(r, addressed_to=[r.addressed_to_raw] if r.addressed_to_raw else []) for r in report.recommendations]
    return replace(report, recommendations=recs)


def _default_format(output: Path | None) -> str:
    if output is not None and str(output) != "-":
        return infer_format(output, default="json")
    return "table" if sys.stdout.isatty() else "json"


def _run(paths: list[Path], settings: Settings, manifest: Path | None) -> list[Report]:
    lookup = _metadata_lookup(paths, manifest)
    if lookup is None:
        return list(extract_many(paths, settings=settings))
    from ..api import extract, load_registry

    registry = load_registry(settings)
    return [extract(p, settings=settings, registry=registry, metadata=lookup(p)) for p in paths]


def _metadata_lookup(paths: list[Path], manifest: Path | None) -> Callable[[Path], Metadata | None] | None:
    """A function path → Metadata from a manifest (given, or found beside the PDFs)."""
    from ..manifest import ManifestError, ManifestResolver, find_manifest

    if manifest is None and not any(find_manifest(p) for p in paths):
        return None
    try:
        resolver = ManifestResolver(manifest)  # broken manifests beside PDFs: logged and ignored
    except ManifestError as exc:  # an explicit --manifest that is broken: usage error
        raise usage_error(str(exc)) from exc
    return resolver.metadata_for
