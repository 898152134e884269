"""Writers: reports → JSON, JSONL, CSV, Markdown, Parquet, XLSX.

Text formats are written to a text stream, binary formats (Parquet, XLSX) to a path or
binary stream. Spreadsheet cells that start with ``= + - @`` (or a tab/CR) are prefixed
with an apostrophe, so that a recommendation text can never run as a formula when an
analyst opens the file in Excel (CSV/formula injection).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ..models import Report

TEXT_FORMATS = ("json", "jsonl", "csv", "md")
BINARY_FORMATS = ("parquet", "xlsx")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
_SUFFIX_FORMAT = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md",
    ".markdown": "md", ".parquet": "parquet", ".xlsx": "xlsx",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

RECORD_COLUMNS = [
    "file", "sha256", "title", "csp", "published", "year_of_death", "row", "id", "text",
    "addressed_to", "addressed_to_raw", "page", "section", "ocr",
]


def infer_format(path: str | Path | None, default: str = "json") -> str:
    """The format implied by an output path's suffix (``out.csv`` → ``csv``)."""
    if path is None or str(path) == "-":
        return default
    return _SUFFIX_FORMAT.get(Path(path).suffix.lower(), default)


def guard_formula(value: Any) -> Any:
    """Neutralise a spreadsheet formula at the start of a string cell."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def records(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """One flat row per recommendation across all reports (errors contribute none)."""
    return [row for report in reports for row in report.to_records()]


def write_json(reports: Sequence[Report], out: IO[str]) -> None:
    json.dump([r.to_dict() for r in reports], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(reports: Sequence[Report], out: IO[str]) -> None:
    for report in reports:
        out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")


def write_csv(reports: Sequence[Report], out: IO[str]) -> None:
    # CRLF rows (RFC 4180): with "\n" the csv module would leave a bare CR unquoted
    writer = csv.DictWriter(out, fieldnames=RECORD_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in records(reports):
        writer.writerow({k: guard_formula(v) for k, v in row.items()})


def markdown_table(report: Report) -> str:
    """The seed page's ``| # | Recommendation | Addressed to |`` table for one report."""
    lines = ["| # | Recommendation | Addressed to |", "|---|---|---|"]
    for rec in report.recommendations:
        cells = [rec.id or "", rec.text, "; ".join(rec.addressed_to)]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_md(reports: Sequence[Report], out: IO[str]) -> None:
    many = len(reports) > 1
    for n, report in enumerate(reports):
        if many:
            if n:
                out.write("\n")
            out.write(f"## {report.metadata.title or report.file}\n\n")
        if report.error:
            out.write(f"Error: {report.error['kind']}: {report.error['message']}\n")
            continue
        out.write(markdown_table(report))


def write_parquet(reports: Sequence[Report], out: str | Path | IO[bytes]) -> None:
    _dataframe(reports).to_parquet(out, index=False)


def write_xlsx(reports: Sequence[Report], out: str | Path | IO[bytes]) -> None:
    frame = _dataframe(reports)
    for column in frame.columns:
        # pandas 3 stores text as "str", not object: test values, not dtypes
        frame[column] = frame[column].map(guard_formula).astype(object)
    frame.to_excel(out, index=False, sheet_name="recommendations")


TEXT_WRITERS: dict[str, Callable[[Sequence[Report], IO[str]], None]] = {
    "json": write_json, "jsonl": write_jsonl, "csv": write_csv, "md": write_md,
}
BINARY_WRITERS: dict[str, Callable[[Sequence[Report], Any], None]] = {
    "parquet": write_parquet, "xlsx": write_xlsx,
}


def write_reports(reports: Sequence[Report], fmt: str, out: IO[str] | IO[bytes] | str | Path) -> None:
    """Write reports in ``fmt`` to a stream or a path (paths are written atomically)."""
    if fmt in TEXT_WRITERS:
        if isinstance(out, (str, Path)):
            _atomic_text(Path(out), lambda f: TEXT_WRITERS[fmt](reports, f))
        else:
            TEXT_WRITERS[fmt](reports, out)  # type: ignore[arg-type]
    elif fmt in BINARY_WRITERS:
        if isinstance(out, (str, Path)):
            target = Path(out)
            tmp = target.with_name(target.name + ".part")
            BINARY_WRITERS[fmt](reports, tmp)
            tmp.replace(target)
        else:
            BINARY_WRITERS[fmt](reports, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _atomic_text(target: Path, write: Callable[[IO[str]], None]) -> None:
    tmp = target.with_name(target.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        write(handle)
    tmp.replace(target)


def _dataframe(reports: Sequence[Report]) -> Any:
    import pandas as pd

    return pd.DataFrame(records(reports), columns=RECORD_COLUMNS)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
