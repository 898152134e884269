"""CLI: ``dhr-extract agencies match`` and ``dhr-extract agencies list``.

Both commands load the bundled agency registry, extended by ``--agencies my.csv`` when
given, so a user can check an override file before running an extraction with it.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..agencies import AgencyRegistry, MatchContext
from ..errors import ExtractorError
from ..models import AgencyMatch

agencies_app = typer.Typer(
    name="agencies",
    help="Look up canonical agency names in the registry.",
    no_args_is_help=True,
)


class Format(StrEnum):
    table = "table"
    json = "json"


def _load(path: Path | None) -> AgencyRegistry:
    try:
        return AgencyRegistry.load(path)
    except ExtractorError as exc:
        typer.echo(str(exc) if exc.path else f"{path}: {exc}", err=True)
        raise typer.Exit(1) from exc


def match_record(raw: str, matches: list[AgencyMatch]) -> dict[str, Any]:
    """The JSON object for one input: scalars for one body, lists when it names several."""
    if len(matches) == 1:
        m = matches[0]
        return {"input": raw, "canonical": m.canonical, "kind": m.kind, "method": m.method,
                "score": round(m.score, 1), "matched": m.matched}
    return {
        "input": raw,
        "canonical": [m.canonical if m.matched else None for m in matches],
        "kind": [m.kind for m in matches],
        "method": [m.method for m in matches],
        "score": [round(m.score, 1) for m in matches],
        "matched": bool(matches) and all(m.matched for m in matches),
        "parts": [m.input for m in matches],
    }


@agencies_app.command("match")
def match_command(
    names: list[str] = typer.Argument(..., help="Addressee strings as printed in a report."),
    area: str | None = typer.Option(None, "--area", help="The report's CSP or police-force area."),
    date: str | None = typer.Option(None, "--date", help="The report's date (2019-06): picks a merged body's predecessor."),
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
    agencies: Path | None = typer.Option(None, "--agencies", help="Extra registry CSV (overrides)."),
    min_score: float = typer.Option(88.0, "--min-score", help="Fuzzy: lowest accepted score."),
    margin: float = typer.Option(4.0, "--margin", help="Fuzzy: lead needed over the runner-up."),
) -> None:
    """Resolve addressee names to canonical agencies.

    Example: dhr-extract agencies match "GMP" "the Police" "Police and Probation" --area Manchester --format json

    Example: dhr-extract agencies match "the Fire Service" --area Portsmouth --date 2019-06
    """
    reg = _load(agencies)
    reg.fuzzy_min_score, reg.fuzzy_margin = min_score, margin
    context = MatchContext(area=area, date=date)
    results = [(name, reg.resolve(name, context=context)) for name in names]
    if fmt is Format.json:
        typer.echo(json.dumps([match_record(n, ms) for n, ms in results], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("input", "canonical", "kind", "method", "score", "matched")
    for name, matches in results:
        for i, m in enumerate(matches or [AgencyMatch(name, None, None, "none", 0.0, False)]):
            table.add_row(name if i == 0 else "", m.canonical or "—", m.kind or "", m.method,
                          f"{m.score:.0f}", "yes" if m.matched else "no")
    Console(file=sys.stdout, width=160).print(table)


@agencies_app.command("list")
def list_command(
    kind: str | None = typer.Option(None, "--kind", help="Only this kind (police, csp, role …)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
    agencies: Path | None = typer.Option(None, "--agencies", help="Extra registry CSV (overrides)."),
) -> None:
    """List the registry's canonical agencies.

    Example: dhr-extract agencies list --kind police
    """
    reg = _load(agencies)
    kinds = sorted({a.kind for a in reg.agencies})
    if kind is not None and kind not in kinds:
        typer.echo(f"unknown kind {kind!r}; one of: {', '.join(kinds)}", err=True)
        raise typer.Exit(2)
    rows = reg.list(kind)
    if fmt is Format.json:
        typer.echo(json.dumps([a.to_dict() for a in rows], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("canonical", "kind", "acronyms", "area", "valid", "successor")
    for a in rows:
        valid = f"{a.valid_from or '…'} – {a.valid_to or '…'}" if a.valid_from or a.valid_to else ""
        table.add_row(a.canonical, a.kind, ", ".join(a.acronyms), a.area, valid, "; ".join(a.successor))
    Console(file=sys.stdout, width=200).print(table)
    typer.echo(f"{len(rows)} agencies (registry {reg.version})")


def register(app: typer.Typer) -> None:
    """Add the ``agencies`` command group to the app."""
    app.add_typer(agencies_app, name="agencies")
