"""Batch work items: what to extract (``Job``), what came back (``Outcome``), and the
per-document function both executors run.

``process_document`` is a plain top-level function of picklable arguments so that the
same code runs in a local worker process and on a dask.distributed worker. Executors
take the per-document callable as a parameter (tests pass a slow or crashing one), so
no test hook lives in the production path.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import extract
from ..models import Metadata, Report
from ..settings import Settings

log = logging.getLogger(__name__)

MANIFEST_SUFFIXES = (".csv", ".jsonl")


@dataclass(frozen=True, slots=True)
class Job:
    """One document to extract: its store key (absolute path), bytes' hash and metadata."""

    path: str
    sha256: str | None
    metadata: dict[str, Any] | None = None


@dataclass(slots=True)
class Outcome:
    """The result of one job: the report as a dict (the output contract) plus costs.

    ``peak_rss_mb`` is the worker process's peak resident memory so far (VmHWM), so the
    maximum over a run is the peak per worker. ``cpu_seconds`` is the worker's CPU time
    on this document (unlike ``seconds``, not inflated by other load on the machine).
    """

    path: str
    report: dict[str, Any]
    seconds: float
    peak_rss_mb: float | None = None
    worker: str = ""
    cpu_seconds: float | None = None

    @property
    def error_kind(self) -> str | None:
        error = self.report.get("error")
        return error.get("kind") if error else None


DocumentFn = Callable[[Job, Settings, Any], Outcome]


def process_document(job: Job, settings: Settings, registry: Any) -> Outcome:
    """Extract one PDF; never raises for bad input (the report carries the error)."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    try:
        report = extract(job.path, settings=settings, metadata=job.metadata, registry=registry)
    except MemoryError:
        report = failure_report(job.path, "memory", "ran out of memory while extracting")
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        log.exception("extraction crashed on %s", job.path)
        report = failure_report(job.path, "crashed", f"internal error: {type(exc).__name__}: {exc}")
    return Outcome(
        path=job.path,
        report=report.to_dict(),
        seconds=time.perf_counter() - started,
        peak_rss_mb=peak_rss_mb(),
        cpu_seconds=time.process_time() - cpu_started,
    )


def failure_report(path: str, kind: str, message: str) -> Report:
    """A report for a document whose worker timed out, ran out of memory or died."""
    from .._version import __version__

    return Report(file=Path(path).name, extractor_version=__version__,
                  error={"kind": kind, "message": message})


def peak_rss_mb() -> float | None:
    """This process's peak resident set size in MB (Linux ``VmHWM``), or ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    except (ImportError, OSError):  # pragma: no cover - non-POSIX
        return None


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or ``None`` when it cannot be read (the worker reports why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


# --------------------------------------------------------------------------- inputs
@dataclass(slots=True)
class InputPlan:
    """The PDFs named by the inputs and which manifest (if any) describes each."""

    pdfs: list[Path] = field(default_factory=list)
    manifests: dict[Path, Path] = field(default_factory=dict)


def is_manifest(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES


def manifest_files(manifest: Path) -> list[Path]:
    """The files listed in a fetch manifest's ``file`` column, relative to its folder."""
    names: list[str] = []
    if manifest.suffix.lower() == ".jsonl":
        for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{manifest}: line {number} is not JSON ({exc.msg})") from exc
            if isinstance(entry, dict) and entry.get("file"):
                names.append(str(entry["file"]))
    else:
        with manifest.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise ValueError(f"{manifest}: not a fetch manifest (no 'file' column)")
            names = [row["file"] for row in reader if row.get("file")]
    return [(manifest.parent / name) for name in names]


def plan_inputs(inputs: Iterable[str | Path]) -> InputPlan:
    """Expand PDFs, folders (recursively) and manifests into a de-duplicated PDF list."""
    plan = InputPlan()
    seen: set[Path] = set()

    def add(pdf: Path, manifest: Path | None = None) -> None:
        key = pdf.resolve()
        if key in seen:
            return
        seen.add(key)
        plan.pdfs.append(key)
        if manifest is not None:
            plan.manifests[key] = manifest

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() == ".pdf":
                    add(child)
        elif is_manifest(path):
            for pdf in manifest_files(path):
                add(pdf, path)
        else:
            add(path)
    return plan


def metadata_lookup(plan: InputPlan, manifest: Path | None) -> Callable[[Path, str | None], dict | None]:
    """A function (pdf, sha256) → metadata dict from the fetch manifest, if installed.

    The manifest reader belongs to the fetch feature; without it, PDFs get the metadata
    read from the PDF itself only.
    """
    try:
        from .. import manifest as manifest_mod  # type: ignore[attr-defined]
    except ImportError:
        if manifest is not None or plan.manifests:
            log.warning("manifest metadata ignored: the fetch feature is not installed")
        return lambda pdf, sha: None
    cache: dict[Path, Any] = {}

    def lookup(pdf: Path, sha: str | None) -> dict | None:
        found = manifest or plan.manifests.get(pdf) or manifest_mod.find_manifest(pdf)
        if found is None:
            return None
        if found not in cache:
            try:
                cache[found] = manifest_mod.load_manifest(found)
            except Exception as exc:  # noqa: BLE001 - a bad manifest costs metadata, not the run
                log.warning("%s: manifest unreadable (%s); using PDF metadata only", found, exc)
                cache[found] = None
        loaded = cache[found]
        meta = loaded.metadata_for(pdf, sha256=sha) if loaded is not None else None
        if meta is None:
            return None
        return meta.to_dict() if isinstance(meta, Metadata) else dict(meta)

    return lookup
