"""Read report objects for the site from JSON, JSONL or a batch SQLite store.

The site is built from what earlier runs wrote, not by re-extracting: ``dhr-extract
extract -f json`` / ``-f jsonl`` output, or the SQLite store of ``dhr-extract batch``.
The store is read tolerantly because its schema belongs to the batch feature: any table
(``reports`` first) with a column named ``json``, ``report_json`` or ``report`` holding
one report's ``Report.to_dict()`` JSON per row is accepted, opened read-only.

Example:
    >>> reports = load_reports(["out.json", "batch.sqlite"])
    >>> reports[0].metadata.csp
    'Manchester'
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ExtractorError
from ..models import Report

SQLITE_MAGIC = b"SQLite format 3\x00"
JSON_COLUMNS = ("json", "report_json", "report")
INPUT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".sqlite", ".sqlite3", ".db")


class SiteInputError(ExtractorError):
    """An input of ``dhr-extract site`` is missing or is not reports JSON/JSONL/SQLite."""

    kind = "site_input"


def load_reports(paths: Iterable[str | Path]) -> list[Report]:
    """All reports from all inputs, in order; a report seen twice (same sha256) is kept once."""
    seen: set[str] = set()
    out: list[Report] = []
    for path in _expand(paths):
        for report in read_input(path):
            key = report.sha256 or f"file:{report.file}"
            if key in seen:
                continue
            seen.add(key)
            out.append(report)
    return out


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    """Folders stand for the JSON, JSONL and SQLite files directly inside them."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
            if not found:
                raise SiteInputError("folder holds no .json, .jsonl or SQLite files", path=str(path))
            out.extend(found)
        else:
            out.append(path)
    return out


def read_input(path: str | Path) -> list[Report]:
    """The reports in one JSON, JSONL or SQLite file; raise ``SiteInputError`` otherwise."""
    p = Path(path)
    if not p.is_file():
        raise SiteInputError("no such file", path=str(path))
    with p.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return read_store(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SiteInputError("not a JSON, JSONL or SQLite file (binary data)", path=str(path)) from exc
    return [_to_report(obj, str(path)) for obj in _json_objects(text, str(path))]


def read_store(path: Path) -> list[Report]:
    """Reports from a batch SQLite store (see the module docstring for the assumption)."""
    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise SiteInputError(f"cannot open SQLite store ({exc})", path=str(path)) from exc
    try:
        tables = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        tables.sort(key=lambda name: name != "reports")
        for table in tables:
            columns = {row[1].lower(): row[1] for row in con.execute(f'PRAGMA table_info("{_ident(table)}")')}
            column = next((columns[c] for c in JSON_COLUMNS if c in columns), None)
            if column is None:
                continue
            rows = con.execute(f'SELECT "{_ident(column)}" FROM "{_ident(table)}"').fetchall()
            return [_to_report(_loads(value, str(path)), str(path)) for (value,) in rows if value]
    except sqlite3.Error as exc:
        raise SiteInputError(f"not a readable SQLite store ({exc})", path=str(path)) from exc
    finally:
        con.close()
    raise SiteInputError(
        f"SQLite store has no table with a column named {', '.join(JSON_COLUMNS)}", path=str(path)
    )


def _json_objects(text: str, name: str) -> list[Any]:
    stripped = text.strip()
    if not stripped:
        raise SiteInputError("empty file", path=name)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        data = None
        if not stripped.startswith("{"):
            raise SiteInputError("not JSON or JSONL", path=name) from None
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return data["reports"] if isinstance(data.get("reports"), list) else [data]
    objects = []
    for number, line in enumerate(stripped.splitlines(), start=1):
        if line.strip():
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SiteInputError(f"line {number} is not JSON ({exc.msg})", path=name) from exc
    return objects


def _loads(value: str | bytes, name: str) -> Any:
    try:
        return json.loads(value)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SiteInputError(f"a stored report is not JSON ({exc})", path=name) from exc


def _to_report(obj: Any, name: str) -> Report:
    if not isinstance(obj, dict) or not ("file" in obj or "recommendations" in obj):
        raise SiteInputError("holds something other than report objects", path=name)
    try:
        return Report.from_dict(obj)
    except (TypeError, ValueError, AttributeError) as exc:
        raise SiteInputError(f"a report object is malformed ({exc})", path=name) from exc


def _ident(name: str) -> str:
    return name.replace('"', '""')
