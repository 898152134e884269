"""Read a fetch manifest and turn its rows into report ``Metadata``.

``dhr-extract fetch`` writes ``manifest.csv`` and ``manifest.jsonl`` beside the PDFs it
downloads. The Library's index knows things a PDF often does not say clearly (its title,
the Community Safety Partnership, the upload month, the date of death), so ``extract``
and ``batch`` look for a manifest beside each PDF (or take one given with
``--manifest``) and let its values take precedence over what is read from the PDF.

This module only reads; writing lives in :mod:`extractor.fetch.manifest`, so that
reading a manifest never imports the HTTP stack.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ManifestError
from .models import Metadata

log = logging.getLogger(__name__)

MANIFEST_CSV = "manifest.csv"
MANIFEST_JSONL = "manifest.jsonl"

#: Row statuses: ``ok`` = file downloaded and verified; ``pending`` = listed, not yet
#: downloaded (``--index-only`` or an interrupted run); ``failed`` = see ``error``.
STATUSES = ("ok", "pending", "failed")


@dataclass(slots=True)
class ManifestRow:
    """One downloadable report: what the index said about it and what became of it.

    ``uploaded`` and ``date_of_death`` are ``YYYY-MM`` (the Library gives months only).
    ``file`` is relative to the manifest's folder. ``bytes`` is ``None`` until the file
    is downloaded.
    """

    download_id: str = ""
    title: str | None = None
    csp: str | None = None
    csp_region: str | None = None
    uploaded: str | None = None
    date_of_death: str | None = None
    url: str = ""
    file: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    status: str = "pending"
    error: str | None = None
    label: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ManifestRow:
        """Build a row from a CSV/JSON record; empty strings become ``None``."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if isinstance(raw, str):
                raw = raw.strip()
                if raw == "" and f.name not in ("download_id", "url", "status"):
                    raw = None
            if f.name == "bytes" and raw is not None:
                try:
                    raw = int(raw)
                except (TypeError, ValueError):
                    raw = None
            if raw is None and f.name in ("download_id", "url"):
                raw = ""
            if raw is None and f.name == "status":
                raw = "pending"
            values[f.name] = raw
        return cls(**values)

    def to_mapping(self) -> dict[str, Any]:
        """The row as a plain dict in column order (``None`` for unknown values)."""
        return asdict(self)

    def metadata(self) -> Metadata:
        """The report metadata this row provides, each field marked as from the manifest."""
        meta = Metadata(
            title=self.title or None,
            csp=self.csp or None,
            published=self.uploaded or None,
            year_of_death=_year(self.date_of_death),
            source_url=self.url or None,
        )
        for name in ("title", "csp", "published", "year_of_death", "source_url"):
            if getattr(meta, name) is not None:
                meta.sources[name] = "manifest"
        return meta


MANIFEST_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ManifestRow))


@dataclass(slots=True)
class Manifest:
    """The rows of one manifest file, with look-ups by file name, id and sha256."""

    path: Path | None
    rows: list[ManifestRow] = field(default_factory=list)

    def row_for(self, pdf_path: str | Path, sha256: str | None = None) -> ManifestRow | None:
        """The row describing ``pdf_path``: matched by file name, then by
        ``download_id`` == the file's stem, then by ``sha256`` when one is given."""
        path = Path(pdf_path)
        for row in self.rows:
            if row.file and Path(row.file).name == path.name:
                return row
        for row in self.rows:
            if row.download_id and row.download_id == path.stem:
                return row
        if sha256:
            wanted = sha256.lower()
            for row in self.rows:
                if row.sha256 and row.sha256.lower() == wanted:
                    return row
        return None

    def metadata_for(self, pdf_path: str | Path, sha256: str | None = None) -> Metadata | None:
        """Metadata for ``pdf_path`` from its row, or ``None`` if no row matches."""
        row = self.row_for(pdf_path, sha256)
        return row.metadata() if row is not None else None

    def __len__(self) -> int:
        return len(self.rows)


def find_manifest(pdf_path: str | Path) -> Path | None:
    """The manifest beside ``pdf_path`` (``manifest.csv``, else ``manifest.jsonl``)."""
    folder = Path(pdf_path).parent
    for name in (MANIFEST_CSV, MANIFEST_JSONL):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load_manifest(path: str | Path) -> Manifest:
    """Read a ``.csv`` or ``.jsonl`` manifest. Raises ``ManifestError`` naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ManifestError("manifest not found", path=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read manifest ({exc})", path=str(path)) from exc
    is_jsonl = path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{")
    records = _parse_jsonl(text, path) if is_jsonl else _parse_csv(text, path)
    return Manifest(path=path, rows=[ManifestRow.from_mapping(r) for r in records])


class ManifestResolver:
    """Metadata for many PDFs, loading each manifest once (what ``batch`` needs).

    With ``manifest`` given (``--manifest FILE``) every PDF is looked up in that file,
    and a broken file is an error. Otherwise the manifest beside each PDF is used if
    there is one; a broken one is logged and ignored, so one bad manifest cannot stop
    a batch.
    """

    def __init__(self, manifest: str | Path | None = None) -> None:
        self._explicit = load_manifest(manifest) if manifest is not None else None
        self._cache: dict[Path, Manifest | None] = {}

    def manifest_for(self, pdf_path: str | Path) -> Manifest | None:
        """The manifest that applies to ``pdf_path``, if any."""
        if self._explicit is not None:
            return self._explicit
        found = find_manifest(pdf_path)
        if found is None:
            return None
        key = found.resolve()
        if key not in self._cache:
            try:
                self._cache[key] = load_manifest(found)
            except ManifestError as exc:
                log.warning("ignoring manifest: %s", exc)
                self._cache[key] = None
        return self._cache[key]

    def metadata_for(self, pdf_path: str | Path, sha256: str | None = None) -> Metadata | None:
        """Metadata for ``pdf_path`` from the applicable manifest, or ``None``."""
        manifest = self.manifest_for(pdf_path)
        return manifest.metadata_for(pdf_path, sha256) if manifest is not None else None


# --------------------------------------------------------------------------- helpers
def _year(month: str | None) -> int | None:
    if not month or len(month) < 4 or not month[:4].isdigit():
        return None
    return int(month[:4])


def _parse_csv(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    if "download_id" not in header and "file" not in header:
        raise ManifestError(
            "not a manifest: the CSV header has neither 'download_id' nor 'file'", path=str(path)
        )
    return [dict(r) for r in reader]


def _parse_jsonl(text: str, path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(f"line {number} is not JSON ({exc.msg})", path=str(path)) from exc
        if not isinstance(record, dict):
            raise ManifestError(f"line {number} is not a JSON object", path=str(path))
        records.append(record)
    return records
