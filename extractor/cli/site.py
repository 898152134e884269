"""``dhr-extract site``: build the browsable HTML pages from extracted reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import report_failure, usage_error


def register(app: typer.Typer) -> None:
    """Add ``site`` to the app."""
    app.command("site")(site_command)


def site_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="STORE_OR_JSON...", help="Report JSON/JSONL files, batch SQLite stores, or folders of them."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the site into.")] = Path("site"),
    pdf_base: Annotated[
        str | None,
        typer.Option("--pdf-base", help="URL or folder the PDF links point to when a report has no source URL."),
    ] = None,
) -> None:
    """Build a static, offline site: one page per report and a filterable index.

    Inputs are what `extract -f json/jsonl` or `batch` wrote; nothing is re-extracted.
    Reports that failed extraction are listed on stderr and get no page.

    Example: dhr-extract site out.jsonl batch.sqlite -o site
    """
    from ..site import SiteInputError, build_site, load_reports

    if output.exists() and not output.is_dir():
        raise usage_error(f"--output {output} exists and is not a folder")
    try:
        reports = load_reports(inputs)
    except SiteInputError as exc:
        report_failure(exc.path or "", exc.message)
        raise typer.Exit(code=1) from exc
    if not reports:
        raise usage_error("the inputs hold no reports")
    result = build_site(reports, output, pdf_base=pdf_base)
    for skipped in result.skipped:
        typer.echo(f"skipped: {skipped}", err=True)
    typer.echo(f"{len(result.pages)} report pages and {result.index} written")
