"""Render a ``StoreDiff`` for people: a summary table, then each changed report's rows.

Row texts are shortened to one line here; ``--format json`` keeps everything.
"""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console
from rich.table import Table

from .diff import ReportDiff, StoreDiff

_WIDTH = 110


def _short(text: str, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(row: dict[str, Any]) -> str:
    who = "; ".join(row.get("addressed_to") or [])
    return f"{row.get('id') or '–'}: {_short(row.get('text', ''))}" + (f"  → {who}" if who else "")


def _details(item: ReportDiff) -> list[str]:
    lines = [f"{item.file}  [{item.status}]"]
    if item.old_error or item.new_error:
        for side, error in (("old", item.old_error), ("new", item.new_error)):
            if error:
                lines.append(f"  {side} error: {error.get('kind')}: {error.get('message')}")
    for row in item.removed:
        lines.append(f"  - {_row(row)}")
    for row in item.added:
        lines.append(f"  + {_row(row)}")
    for change in item.changed:
        lines.append(f"  ~ {_row(change.new)}  (changed: {', '.join(change.fields)})")
        if "text" in change.fields:
            lines.append(f"      was: {_short(change.old.get('text', ''))}")
        for name in ("id", "addressed_to", "page"):
            if name in change.fields:
                lines.append(f"      {name} was: {change.old.get(name)!r}")
    return lines


def render_diff(result: StoreDiff, out: IO[str]) -> None:
    """Write the summary table and per-report details to ``out``."""
    console = Console(file=out, width=_WIDTH, highlight=False, soft_wrap=False)
    summary = result.summary()
    console.print(f"diff {result.old} → {result.new}: {summary['reports_changed']} report(s) differ, "
                  f"{summary['reports_unchanged']} unchanged; rows +{summary['rows_added']} "
                  f"-{summary['rows_removed']} ~{summary['rows_changed']}", markup=False)
    if not result.reports:
        return
    table = Table(show_lines=False, expand=False)
    for name, justify in (("File", "left"), ("Status", "left"), ("+rows", "right"),
                          ("-rows", "right"), ("~rows", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in result.reports:
        table.add_row(item.file, item.status, str(len(item.added)), str(len(item.removed)),
                      str(len(item.changed)))
    console.print(table)
    for item in result.reports:
        console.print()
        for line in _details(item):
            console.print(line, markup=False)
