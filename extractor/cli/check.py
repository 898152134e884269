"""``dhr-extract check``: score the extractor against the golden samples (regression test).

The body only parses options, calls :func:`extractor.check.check` and renders the
result; the exit status is what CI acts on (0 = at or above every threshold).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..check import CheckResult, DocScore, score_document
from ..check import check as run_check
from ..errors import ExtractorError
from ..io.golden import META_FIELDS, read_golden, write_golden
from ._common import report_failure, usage_error


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``check`` to the app."""
    app.command("check")(check_command)


def check_command(
    samples: Annotated[Path, typer.Option("--samples", help="Folder of sample PDFs.")] = Path("samples"),
    golden: Annotated[Path, typer.Option("--golden", help="Folder of golden JSON files and thresholds.toml.")] = Path("golden"),
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table or json.")] = CheckFormat.table,
    min_f1: Annotated[float | None, typer.Option("--min-f1", min=0.0, max=1.0, help="Override the F1 thresholds (overall and per document).")] = None,
    update: Annotated[str | None, typer.Option("--update", metavar="NAME", help="Rewrite golden/NAME.json from the current extraction, after showing the diff (metadata the extractor leaves empty keeps its golden value).")] = None,
) -> None:
    """Score extraction of every sample against its golden; exit 1 on a regression.

    Rows are matched one-to-one by normalised text (rapidfuzz ratio ≥ 90). Exit status is
    1 when the overall F1, id accuracy or addressee accuracy, or any document's F1, is
    below golden/thresholds.toml (or --min-f1), or when a golden is missing.

    Example: dhr-extract check --samples samples --golden golden --format table
    """
    if update:
        _update(samples, golden, update)
        return
    try:
        result = run_check(samples, golden, min_f1=min_f1)
    except ExtractorError as exc:
        report_failure(exc.path or str(golden), exc.message)
        raise typer.Exit(1) from exc
    if fmt is CheckFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_result(result, _console())
    if not result.passed:
        raise typer.Exit(1)


def _update(samples: Path, golden: Path, name: str) -> None:
    from ..api import extract

    stem = Path(name).stem
    pdf = samples / f"{stem}.pdf"
    if not pdf.is_file():
        raise usage_error(f"no sample named {stem!r} ({pdf} not found)")
    from ..manifest import ManifestResolver

    report = extract(pdf, metadata=ManifestResolver(None).metadata_for(pdf))
    if report.error:
        report_failure(str(pdf), report.error.get("message", "extraction failed"))
        raise typer.Exit(1)
    target = golden / f"{stem}.json"
    console = _console()
    if target.exists():
        try:
            old = read_golden(target)
        except ExtractorError:
            old = None
        if old is not None:
            doc = score_document(stem, old, report)
            for key in META_FIELDS:  # a field the extractor cannot read yet keeps its checked value
                from_pdf = report.metadata.sources.get(key, "").startswith("pdf:")
                if getattr(report.metadata, key) is None or (key == "published" and from_pdf):
                    setattr(report.metadata, key, getattr(old.metadata, key))
            console.print(f"Changes to {target} (golden → new):")
            _print_diffs(console, doc)
            if not doc.diffs:
                console.print("  (no row changes)")
    write_golden(report, target)
    console.print(f"wrote {target} ({len(report.recommendations)} recommendations)")
    spec = samples / "specs" / f"{stem}.json"
    if spec.exists():
        typer.echo(f"warning: {target} is generated from {spec}; the corpus test will flag it until the spec agrees", err=True)


def _console() -> Console:
    """Stdout console; when piped (CI logs) use a wide fixed width so the table stays legible."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=150)


def _pct(value: float) -> str:
    return f"{value:.2f}"


def render_result(result: CheckResult, console: Console) -> None:
    """A per-document score table, then each document's row diffs, then failures."""
    table = Table(title="dhr-extract check", show_lines=False)
    for col, just in (("document", "left"), ("gold", "right"), ("pred", "right"), ("match", "right"),
                      ("P", "right"), ("R", "right"), ("F1", "right"), ("id acc", "right"),
                      ("addr acc", "right"), ("raw addr", "right"), ("meta", "right"), ("", "center")):
        table.add_column(col, justify=just, no_wrap=col == "document")  # type: ignore[arg-type]
    for doc in [*result.documents, result.overall]:
        status = "" if doc is result.overall else ("[green]ok[/green]" if doc.passed else "[red]FAIL[/red]")
        style = "bold" if doc is result.overall else None
        table.add_row(
            doc.name, str(doc.golden), str(doc.predicted), str(doc.matched), _pct(doc.precision),
            _pct(doc.recall), _pct(doc.f1), _pct(doc.id_accuracy), _pct(doc.addressee_accuracy),
            _pct(doc.raw_addressee_accuracy),
            f"{doc.metadata_correct}/{doc.metadata_total}", status, style=style,
        )
    console.print(table)
    for doc in result.documents:
        if doc.diffs or doc.error:
            console.print(f"[bold]{doc.name}[/bold]" + (f"  [red]{doc.error}[/red]" if doc.error else ""))
            _print_diffs(console, doc)
    if result.failures:
        console.print("[red]FAILED:[/red]")
        for failure in result.failures:
            console.print(f"  - {failure}", markup=False)
    else:
        console.print("[green]all thresholds met[/green]")


def _print_diffs(console: Console, doc: DocScore) -> None:
    for d in doc.diffs:
        if d.kind == "missed":
            console.print(f"  - missed   [{d.golden_id}] {d.text}", markup=False)
            for change in d.changes:
                console.print(f"             {change}", markup=False)
        elif d.kind == "spurious":
            console.print(f"  + spurious [{d.predicted_id}] {d.text}", markup=False)
        else:
            console.print(f"  ~ changed  [{d.golden_id}] " + "; ".join(d.changes), markup=False)
