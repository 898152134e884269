"""Benchmark: end-to-end extraction vs raw PyMuPDF text extraction, in one run.

Usage:
    python scripts/bench_extract.py [PDF_OR_DIR ...] [--repeat N] [--write docs/PERFORMANCE.md]

With no inputs it uses samples/. For each file it times (best of N) PyMuPDF opening the
file and calling ``page.get_text()`` on every page, and ``extractor.extract`` on the same
file, then reports pages/s for both and their ratio (our throughput / raw). Both run in
this process, one after the other, so the ratio is robust to the machine's speed.
Times are CPU times of this process (``time.process_time``), so other load on the
machine does not skew the comparison.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import extractor  # noqa: E402
from extractor.api import iter_pdf_paths  # noqa: E402
from extractor.normalise import AgencyRegistry  # noqa: E402


def raw_pymupdf(path: Path) -> int:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text()
        return doc.page_count


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the fastest counts")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the whole set this many times and report every round's ratio")
    parser.add_argument("--write", type=Path, help="update the 'extract' section of this Markdown file")
    args = parser.parse_args()
    # default: the born-digital samples (samples/scanned/ measures OCR, not extraction)
    paths = iter_pdf_paths(args.inputs) if args.inputs else sorted((ROOT / "samples").glob("*.pdf"))
    registry = AgencyRegistry.load()
    rounds: list[tuple[float, float, float]] = []  # (pages, raw seconds, our seconds)
    failed = 0
    for _ in range(max(1, args.rounds)):
        pages = raw_total = ours_total = 0.0
        failed = 0
        for path in paths:
            try:
                n = raw_pymupdf(path)
            except Exception:  # noqa: BLE001 - unreadable files are not part of the comparison
                failed += 1
                continue
            raw = best_of(lambda p=path: raw_pymupdf(p), args.repeat)
            ours = best_of(lambda p=path: extractor.extract(p, registry=registry), args.repeat)
            pages += n
            raw_total += raw
            ours_total += ours
        rounds.append((pages, raw_total, ours_total))
    pages = rounds[0][0]
    if not pages:
        print("no readable PDFs")
        return 1
    ratios = sorted((raw / ours) for _, raw, ours in rounds)
    median = rounds[sorted(range(len(rounds)), key=lambda i: rounds[i][1] / rounds[i][2])[len(rounds) // 2]]
    raw_pps, ours_pps = pages / median[1], pages / median[2]
    ratio = ours_pps / raw_pps
    command = "python scripts/bench_extract.py " + " ".join(str(p) for p in args.inputs) if args.inputs else "python scripts/bench_extract.py"
    table = (
        f"| files | pages | raw PyMuPDF get_text (pages/s) | dhr-extract end to end (pages/s) | ratio |\n"
        f"|---|---|---|---|---|\n"
        f"| {len(paths) - failed} | {int(pages)} | {raw_pps:,.0f} | {ours_pps:,.0f} | {ratio:.2f}× |\n"
    )
    if len(rounds) > 1:
        table += (f"\nThe median of {len(rounds)} rounds is shown; the rounds' ratios were "
                  f"{', '.join(f'{r:.2f}×' for r in ratios)}.\n")
    print(table)
    if args.write:
        section = (
            "<!-- extract:start -->\n## End-to-end extraction vs raw PyMuPDF\n\n"
            f"Command: `{command.strip()} --repeat {args.repeat}{f' --rounds {args.rounds}' if args.rounds > 1 else ''}` "
            f"(best of {args.repeat} per file, one process, "
            f"PyMuPDF {pymupdf.VersionBind}, Python {platform.python_version()}, {platform.machine()}).\n\n"
            + table + "\nTarget: ratio ≥ 0.5×.\n<!-- extract:end -->"
        )
        text = args.write.read_text(encoding="utf-8") if args.write.exists() else "# Performance\n"
        if "<!-- extract:start -->" in text:
            text = re.sub(r"<!-- extract:start -->.*?<!-- extract:end -->", lambda _: section, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
