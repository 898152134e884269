"""Write the fetch manifest (``manifest.csv`` + ``manifest.jsonl``) safely.

The manifest is what makes a run resumable: it is rewritten after every file, each time
to a temporary file that replaces the old one in one step, so an interrupted run leaves
either the previous manifest or the new one, never half of one. Rows are keyed by
``download_id`` so a re-run merges fresh index data with what was already downloaded.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..manifest import (
    MANIFEST_COLUMNS,
    MANIFEST_CSV,
    MANIFEST_JSONL,
    ManifestError,
    ManifestRow,
    load_manifest,
)

log = logging.getLogger(__name__)


def row_key(row: ManifestRow) -> str:
    """Rows are identified by their download id (or URL when there is none)."""
    if row.download_id:
        return row.download_id
    return f"url:{row.url}" if row.url else f"label:{row.label}"


class ManifestStore:
    """The rows of one output folder's manifest, saved atomically on every change.

    Thread-safe: download workers call :meth:`update` as each file finishes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._rows: dict[str, ManifestRow] = {}
        for row in _read_existing(folder):
            self._rows[row_key(row)] = row

    # ----------------------------------------------------------------- reading
    def get(self, key: str) -> ManifestRow | None:
        with self._lock:
            row = self._rows.get(key)
            return replace(row) if row is not None else None

    def rows(self) -> list[ManifestRow]:
        with self._lock:
            return [replace(r) for r in self._rows.values()]

    # ----------------------------------------------------------------- writing
    def merge_listing(self, listed: Iterable[ManifestRow]) -> list[ManifestRow]:
        """Put freshly indexed rows first (in index order), keeping what earlier runs
        recorded about each file; rows not listed this time are kept after them.
        Returns the merged rows for the listed ids."""
        merged: dict[str, ManifestRow] = {}
        listed_keys: list[str] = []
        with self._lock:
            for row in listed:
                key = row_key(row)
                if key in merged:
                    continue
                listed_keys.append(key)
                old = self._rows.get(key)
                if old is not None:
                    row = replace(
                        row, file=old.file, sha256=old.sha256, bytes=old.bytes,
                        status=old.status, error=old.error,
                    )
                merged[key] = row
            for key, row in self._rows.items():
                merged.setdefault(key, row)
            self._rows = merged
            self._save()
            return [replace(merged[k]) for k in listed_keys]

    def update(self, row: ManifestRow) -> None:
        """Record one row's new state and rewrite the manifest."""
        with self._lock:
            self._rows[row_key(row)] = replace(row)
            self._save()

    def save(self) -> None:
        with self._lock:
            self._save()

    def _save(self) -> None:
        rows = list(self._rows.values())
        _atomic_write(self.folder / MANIFEST_CSV, _to_csv(rows))
        _atomic_write(self.folder / MANIFEST_JSONL, _to_jsonl(rows))


# --------------------------------------------------------------------------- helpers
def _read_existing(folder: Path) -> list[ManifestRow]:
    """Rows of a previous run (JSONL preferred: it keeps types exactly)."""
    for name in (MANIFEST_JSONL, MANIFEST_CSV):
        path = folder / name
        if path.is_file():
            try:
                return load_manifest(path).rows
            except ManifestError as exc:
                log.warning("ignoring unreadable previous manifest: %s", exc)
    return []


def _to_csv(rows: list[ManifestRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.to_mapping().items()})
    return buffer.getvalue()


def _to_jsonl(rows: list[ManifestRow]) -> str:
    return "".join(json.dumps(row.to_mapping(), ensure_ascii=False) + "\n" for row in rows)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name opened with "x" (not mkstemp, whose files are 0600) so the manifest
    # gets the same permissions as any other file the user creates.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
