"""Batch work items: what to extract (``Job``), what came back (``Outcome``), and the
per-document function both executors run.

``process_document`` is a plain top-level function of picklable arguments so that the
same code runs in a local worker process and on a dask.distributed worker. Executors
take the per-document callable as a parameter (tests pass a slow or crashing one), so
no test hook lives in the production path.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import manifest as manifest_mod
from ..api import extract
from ..models import Report
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

    ``peak_rss_mb`` is the worker process's peak resident memory (VmHWM) while it
    extracted this document (the peak is reset before each one where Linux allows), so
    the maximum over a run is the peak per worker. ``cpu_seconds`` is the CPU time spent
    on this document by the worker and its child processes (Tesseract), which unlike
    ``seconds`` is not inflated by other load on the machine.
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
    reset_peak_rss()  # so the peak reported below is this document's
    started = time.perf_counter()
    cpu_started = cpu_seconds()
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
        cpu_seconds=cpu_seconds() - cpu_started,
    )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (Tesseract runs as one)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def reset_peak_rss() -> None:
    """Reset this process's peak RSS (Linux ``clear_refs``); a no-op where unsupported.

    A worker's peak would otherwise be the largest document it has met so far, and
    every later outcome would report it.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass


def failure_report(path: str, kind: str, message: str) -> Report:
    """A report for a document whose worker timed out, ran out of memory or died."""
    from .._version import __version__

    return Report(file=Path(path).name, extractor_version=__version__,
                  error={"kind": kind, "message": message})


def failure_outcome(job: Job, kind: str, message: str, seconds: float, *,
                    rss: float | None = None, worker: str = "") -> Outcome:
    """The outcome an executor records for a document it had to stop or lost."""
    report = failure_report(job.path, kind, message)
    report.sha256 = job.sha256
    return Outcome(path=job.path, report=report.to_dict(), seconds=seconds, peak_rss_mb=rss, worker=worker)


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

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except (ImportError, OSError):  # pragma: no cover - non-POSIX
        return None
    # ru_maxrss is in kilobytes on Linux but in bytes on macOS
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


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
    """The PDFs a fetch manifest lists (``file`` column, relative to its folder).

    Rows that were never downloaded (``pending``/``failed`` with no file on disk) are
    left out; a listed file that has gone missing stays in, to be reported as missing.
    Raises ``ManifestError`` for a file that is not a manifest.
    """
    loaded = manifest_mod.load_manifest(manifest)
    out: list[Path] = []
    for row in loaded.rows:
        if not row.file:
            continue
        pdf = manifest.parent / row.file
        if row.status != "ok" and not pdf.is_file():
            continue
        out.append(pdf)
    return out


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
    """A function (pdf, sha256) → metadata dict from the fetch manifest that applies.

    ``manifest`` (``--manifest``) applies to every PDF; otherwise a PDF named by a
    manifest input uses that manifest, and any other PDF the manifest beside it.
    """
    resolver = manifest_mod.ManifestResolver(manifest)
    loaded: dict[Path, Any] = {}

    def lookup(pdf: Path, sha: str | None) -> dict | None:
        source = plan.manifests.get(pdf) if manifest is None else None
        if source is not None:
            if source not in loaded:
                loaded[source] = manifest_mod.load_manifest(source)
            meta = loaded[source].metadata_for(pdf, sha)
        else:
            meta = resolver.metadata_for(pdf, sha)
        return meta.to_dict() if meta is not None else None

    return lookup
