"""Run extraction over the shared real-world PDF corpus, each file in its own process.

Why a process per file: a PDF that makes MuPDF or Tesseract hang or crash must cost one
row of the table, not the whole run. Each file runs in a forked child with a hard
timeout; a child that is killed is recorded as ``timeout``, one that dies without
answering as ``crash``, and a Python exception escaping ``extract()`` as ``exception``
(a bug: ``extract`` must turn every failure into a named error kind).

Usage::

    python scripts/run_corpus.py                      # full run, print the summary
    python scripts/run_corpus.py --write-docs         # also refresh docs/ROBUSTNESS.md
    python scripts/run_corpus.py --update-snapshot    # deliberately rewrite the snapshot
    python scripts/run_corpus.py --subset             # only the stratified test subset

The snapshot (``tests/data/corpus_snapshot.json``) records, per corpus file, the error
kind (or null) and the number of recommendations. ``tests/test_robustness.py`` compares
new runs against it, so any change of behaviour on real-world PDFs is seen and must be
accepted on purpose with ``--update-snapshot``.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from extractor import extract  # noqa: E402

SNAPSHOT = REPO / "tests" / "data" / "corpus_snapshot.json"
DOC = REPO / "docs" / "ROBUSTNESS.md"
BEGIN, END = "<!-- corpus-run:begin -->", "<!-- corpus-run:end -->"
DEFAULT_TIMEOUT = 180.0
# Files slower than this (in the snapshot) are left out of the quick test subset.
SUBSET_MAX_SECONDS = 2.0
_OCR_WARNING = re.compile(r"OCR used on (\d+) page")
SUBSET_PER_KIND = {"text": 14, "scanned": 4, "mixed": 3, "large": 1, "malformed": 30, "encrypted": 12}


def shared_dir() -> Path | None:
    """The shared reference folder: $DHR_SHARED, else <repo>/../shared, else /work/shared."""
    candidates = [os.environ.get("DHR_SHARED"), REPO.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "pdfcorpus" / "MANIFEST.csv").is_file():
            return Path(candidate)
    return None


def read_manifest(corpus: Path) -> list[dict[str, str]]:
    """The corpus MANIFEST.csv rows (file, kind, pages, bytes, ...)."""
    with (corpus / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(slots=True)
class Outcome:
    """What one file did: its error kind (or None), row count, OCR'd pages and time."""

    error: str | None
    recommendations: int = 0
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    detail: str = ""

    def snapshot(self) -> dict[str, Any]:
        return {"error": self.error, "recommendations": self.recommendations, "ocr": self.ocr_pages > 0}


def _child(path: str, settings: dict[str, Any], conn: Connection) -> None:
    start = time.perf_counter()
    try:
        report = extract(path, settings=settings)
        ocr_pages = sum(int(m.group(1)) for w in report.warnings if (m := _OCR_WARNING.search(w)))
        result = Outcome(
            error=report.error["kind"] if report.error else None,
            recommendations=len(report.recommendations),
            pages=report.pages,
            ocr_pages=ocr_pages or sum(r.ocr for r in report.recommendations),
            detail=report.error["message"] if report.error else "",
        )
    except BaseException as exc:  # noqa: BLE001 - the point is to record it, not to die
        result = Outcome(error="exception", detail="".join(traceback.format_exception(exc))[-2000:])
    result.seconds = round(time.perf_counter() - start, 2)
    conn.send(result)
    conn.close()


def run_files(paths: list[Path], *, settings: dict[str, Any] | None = None, jobs: int = 2,
              timeout: float = DEFAULT_TIMEOUT, progress: bool = False) -> dict[Path, Outcome]:
    """Extract every path in a forked child, ``jobs`` at a time, killing any over ``timeout``."""
    ctx = mp.get_context("fork")
    pending = list(paths)
    running: dict[Path, tuple[Any, Connection, float]] = {}
    results: dict[Path, Outcome] = {}
    while pending or running:
        while pending and len(running) < jobs:
            path = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(str(path), settings or {}, child), daemon=True)
            proc.start()
            child.close()
            running[path] = (proc, parent, time.perf_counter())
        for path, (proc, conn, started) in list(running.items()):
            elapsed = time.perf_counter() - started
            alive = proc.is_alive()
            # A child may send its answer and exit between two checks: look again before
            # calling a finished child a crash.
            if conn.poll() or (not alive and conn.poll(1.0)):
                try:
                    results[path] = conn.recv()
                except EOFError:
                    results[path] = Outcome(error="crash", seconds=round(elapsed, 2))
            elif not alive:
                results[path] = Outcome(error="crash", seconds=round(elapsed, 2),
                                        detail=f"exit code {proc.exitcode}")
            elif elapsed > timeout:
                proc.kill()
                results[path] = Outcome(error="timeout", seconds=round(elapsed, 2))
            else:
                continue
            proc.join(5)
            conn.close()
            del running[path]
            if progress:
                done = results[path]
                print(f"[{len(results)}/{len(paths)}] {path.name}: {done.error or 'ok'} "
                      f"{done.recommendations} rows {done.seconds:.1f} s", file=sys.stderr)
        time.sleep(0.02)
    return results


def select_subset(rows: list[dict[str, str]], snapshot: dict[str, dict[str, Any]]) -> list[str]:
    """A stratified, deterministic subset: per kind, evenly spaced files that were fast."""
    chosen: list[str] = []
    for kind, count in SUBSET_PER_KIND.items():
        files = sorted(
            r["file"] for r in rows
            if r["kind"] == kind and snapshot.get(r["file"], {}).get("seconds", 0) <= SUBSET_MAX_SECONDS
        )
        step = max(len(files) / count, 1.0)
        chosen.extend(files[int(i * step)] for i in range(min(count, len(files))))
    return chosen


def summary_markdown(results: dict[str, Outcome], kinds: dict[str, str], seconds: float,
                     command: str) -> str:
    """The summary table for docs/ROBUSTNESS.md."""
    errors = Counter(o.error for o in results.values() if o.error)
    ok = sum(o.error is None for o in results.values())
    slowest = sorted(results.items(), key=lambda kv: kv[1].seconds, reverse=True)[:5]
    lines = [
        f"Command: `{command}` (2 cores, {len(results)} files, wall time {seconds:.0f} s).",
        "",
        "| files | ok | with rows | OCR'd | " + " | ".join(f"{k}" for k in sorted(errors)) + " | seconds |",
        "|---|---|---|---|" + "---|" * len(errors) + "---|",
        f"| {len(results)} | {ok} | {sum(o.recommendations > 0 for o in results.values())} | "
        f"{sum(o.ocr_pages > 0 for o in results.values())} | "
        + " | ".join(str(errors[k]) for k in sorted(errors)) + f" | {seconds:.0f} |",
        "",
        "By corpus kind (MANIFEST `kind`):",
        "",
        "| kind | files | ok | errors by kind |",
        "|---|---|---|---|",
    ]
    for kind in sorted(set(kinds.values())):
        group = [o for f, o in results.items() if kinds.get(f) == kind]
        if not group:
            continue
        errs = Counter(o.error for o in group if o.error)
        detail = ", ".join(f"{k} {n}" for k, n in sorted(errs.items())) or "-"
        lines.append(f"| {kind} | {len(group)} | {sum(o.error is None for o in group)} | {detail} |")
    lines += ["", "Slowest files:", ""]
    lines += [f"- `{f}`: {o.seconds:.1f} s ({o.error or 'ok'}, {o.pages} pages)" for f, o in slowest]
    return "\n".join(lines) + "\n"


def write_docs(block: str, doc: Path = DOC) -> None:
    """Replace the generated block of docs/ROBUSTNESS.md (the rest is hand-written)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Robustness\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{block}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subset", action="store_true", help="only the stratified test subset")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per file")
    parser.add_argument("--ocr", default="auto", choices=["auto", "always", "never"])
    parser.add_argument("--progress", action="store_true", help="one line per file on stderr")
    parser.add_argument("--update-snapshot", action="store_true", help="rewrite the snapshot")
    parser.add_argument("--write-docs", action="store_true", help="refresh docs/ROBUSTNESS.md")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("no shared corpus found (set DHR_SHARED)", file=sys.stderr)
        return 2
    corpus = shared / "pdfcorpus"
    rows = read_manifest(corpus)
    kinds = {r["file"]: r["kind"] for r in rows}
    snapshot = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    names = select_subset(rows, snapshot) if args.subset else [r["file"] for r in rows]
    start = time.perf_counter()
    outcomes = run_files([corpus / n for n in names], settings={"ocr": args.ocr},
                         jobs=args.jobs, timeout=args.timeout, progress=args.progress)
    seconds = time.perf_counter() - start
    results = {str(p.relative_to(corpus)): o for p, o in outcomes.items()}
    command = "python scripts/run_corpus.py " + " ".join(argv if argv is not None else sys.argv[1:])
    block = summary_markdown(results, kinds, seconds, command.strip())
    print(block)
    for name, outcome in sorted(results.items()):
        if outcome.error in ("exception", "crash", "timeout"):
            print(f"{name}: {outcome.error} {outcome.detail}", file=sys.stderr)
    if args.update_snapshot:
        merged = dict(snapshot) if args.subset else {}
        for name, outcome in results.items():
            merged[name] = {**outcome.snapshot(), "seconds": outcome.seconds}
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n")
    if args.write_docs:
        write_docs(block)
    return 1 if any(o.error in ("exception", "crash", "timeout") for o in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
