"""Compare two stores, or two runs of one store: which reports' rows were added,
removed or changed. This is how a re-extraction is reviewed.

Reports are matched by path, then by the PDF's SHA-256 (so two stores built on
different machines or folders still line up). Rows are matched within a report by
id and text similarity: a pair with the same printed id, or with texts at least
``MIN_SIMILARITY`` alike, is the same recommendation; the best-scoring pairs are taken
first. A matched pair whose id, text, addressees or page differ is "changed"; unmatched
old rows are "removed" and unmatched new rows "added".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .store import BatchStore, StoredReport, StoreError

MIN_SIMILARITY = 75.0
COMPARED_FIELDS = ("id", "text", "addressed_to", "page")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class RowChange:
    """One matched pair of rows that differ in ``fields``."""

    old: dict[str, Any]
    new: dict[str, Any]
    fields: list[str]
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "fields": self.fields,
                "similarity": round(self.similarity, 1)}


@dataclass(slots=True)
class ReportDiff:
    """How one report changed. ``status`` is ``added``, ``removed``, ``changed``,
    ``now_failed``, ``now_ok`` or ``error_changed``."""

    file: str
    path: str
    sha256: str | None
    status: str
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    old_error: dict[str, str] | None = None
    new_error: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "path": self.path, "sha256": self.sha256, "status": self.status,
            "added": self.added, "removed": self.removed,
            "changed": [c.to_dict() for c in self.changed],
            "old_error": self.old_error, "new_error": self.new_error,
        }


@dataclass(slots=True)
class StoreDiff:
    """Every report that differs between ``old`` and ``new`` (labels name the sides)."""

    old: str
    new: str
    reports: list[ReportDiff]
    unchanged: int

    def summary(self) -> dict[str, int]:
        return {
            "reports_changed": len(self.reports),
            "reports_unchanged": self.unchanged,
            "rows_added": sum(len(r.added) for r in self.reports),
            "rows_removed": sum(len(r.removed) for r in self.reports),
            "rows_changed": sum(len(r.changed) for r in self.reports),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "summary": self.summary(),
                "reports": [r.to_dict() for r in self.reports]}


# --------------------------------------------------------------------------- sides
def parse_side(spec: str) -> tuple[str, int | None]:
    """``store.sqlite`` → (path, None); ``store.sqlite@3`` → run 3; ``@-1`` → one before the last."""
    path, sep, run = spec.rpartition("@")
    if sep and re.fullmatch(r"-?\d+", run):
        return path, int(run)
    return spec, None


def load_side(spec: str) -> tuple[str, list[StoredReport]]:
    """Open ``STORE[@RUN]`` read-only and return its label and view."""
    path, run = parse_side(spec)
    with BatchStore(path, create=False) as store:
        run_id = _absolute_run(store, run)
        return f"{path}@{run_id}", list(store.view(run_id))


def _absolute_run(store: BatchStore, run: int | None) -> int:
    if run is None or run > 0:
        return store.resolve_run(run)
    ids = [r["run_id"] for r in store.runs()]
    if len(ids) < 1 - run:
        raise StoreError(f"{store.path}: has {len(ids)} run(s); run @{run} does not exist")
    return ids[run - 1]


# --------------------------------------------------------------------------- diff
def diff_views(old: Iterable[StoredReport], new: Iterable[StoredReport], *,
               old_label: str = "old", new_label: str = "new") -> StoreDiff:
    """Compare two views (lists of stored reports)."""
    reports: list[ReportDiff] = []
    unchanged = 0
    for before, after in pair_reports(list(old), list(new)):
        result = _diff_report(before, after)
        if result is None:
            unchanged += 1
        else:
            reports.append(result)
    reports.sort(key=lambda r: (r.file, r.path))
    return StoreDiff(old=old_label, new=new_label, reports=reports, unchanged=unchanged)


def pair_reports(old: list[StoredReport], new: list[StoredReport]
                 ) -> list[tuple[StoredReport | None, StoredReport | None]]:
    """Pair documents by path first (a re-downloaded PDF is the same report), then by
    SHA-256 (the same PDF in another folder or on another machine)."""
    pairs: list[tuple[StoredReport | None, StoredReport | None]] = []
    new_by_path = {item.path: item for item in new}
    rest_old: list[StoredReport] = []
    for item in old:
        match = new_by_path.pop(item.path, None)
        if match is not None:
            pairs.append((item, match))
        else:
            rest_old.append(item)
    new_by_sha: dict[str, StoredReport] = {}
    for item in new_by_path.values():
        if item.sha256:
            new_by_sha.setdefault(item.sha256, item)
    for item in rest_old:
        match = new_by_sha.pop(item.sha256, None) if item.sha256 else None
        if match is not None:
            new_by_path.pop(match.path, None)
        pairs.append((item, match))
    pairs.extend((None, item) for item in new_by_path.values())
    return pairs


def diff_specs(old_spec: str, new_spec: str) -> StoreDiff:
    """Compare ``OLD`` and ``NEW`` given as ``STORE`` or ``STORE@RUN``."""
    old_label, old = load_side(old_spec)
    new_label, new = load_side(new_spec)
    return diff_views(old, new, old_label=old_label, new_label=new_label)


def _rows(item: StoredReport) -> list[dict[str, Any]]:
    return [
        {"id": r.id, "text": r.text, "addressed_to": list(r.addressed_to), "page": r.page}
        for r in item.report.recommendations
    ]


def _diff_report(old: StoredReport | None, new: StoredReport | None) -> ReportDiff | None:
    some = new or old
    assert some is not None
    base = {"file": some.report.file, "path": some.path, "sha256": some.sha256}
    if old is None:
        return ReportDiff(**base, status="added", added=_rows(new), new_error=new.report.error)  # type: ignore[arg-type]
    if new is None:
        return ReportDiff(**base, status="removed", removed=_rows(old), old_error=old.report.error)
    old_err, new_err = old.report.error, new.report.error
    if old_err and new_err:
        if old_err.get("kind") == new_err.get("kind"):
            return None
        return ReportDiff(**base, status="error_changed", old_error=old_err, new_error=new_err)
    if new_err:
        return ReportDiff(**base, status="now_failed", removed=_rows(old), new_error=new_err)
    if old_err:
        return ReportDiff(**base, status="now_ok", added=_rows(new), old_error=old_err)
    changed, removed, added = match_rows(_rows(old), _rows(new))
    if not (changed or removed or added):
        return None
    return ReportDiff(**base, status="changed", added=added, removed=removed, changed=changed)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def match_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]
               ) -> tuple[list[RowChange], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pair old and new rows by id and text similarity; return (changed, removed, added)."""
    candidates: list[tuple[bool, float, int, int]] = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            same_id = a["id"] is not None and a["id"] == b["id"]
            sim = float(fuzz.ratio(_norm(a["text"]), _norm(b["text"])))
            if same_id or sim >= MIN_SIMILARITY:
                candidates.append((same_id and sim >= 30.0, sim, i, j))
    candidates.sort(key=lambda c: (c[0], c[1], -c[2], -c[3]), reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    changed: list[RowChange] = []
    for _, sim, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        fields = [f for f in COMPARED_FIELDS if _value(old[i], f) != _value(new[j], f)]
        if fields:
            changed.append(RowChange(old=old[i], new=new[j], fields=fields, similarity=sim))
    removed = [r for i, r in enumerate(old) if i not in used_old]
    added = [r for j, r in enumerate(new) if j not in used_new]
    return changed, removed, added


def _value(row: dict[str, Any], name: str) -> Any:
    return _norm(row[name]) if name == "text" else row[name]
