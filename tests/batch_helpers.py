"""Test helpers for the batch tests: PDF fixtures and per-document functions.

The runner takes its per-document callable as a parameter, so the slow, hanging,
crashing and memory-hungry documents of the tests are simulated here, never in the
production code. ``numbered_rows`` is a tiny stand-in extractor (numbered lines after a
"Recommendations" heading) so that store tests have real rows to count whatever stage
of development the real extractor is in.

Run as a script, it is the batch driver the SIGKILL test kills:
``python tests/batch_helpers.py STORE FOLDER DELAY``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # when run as a script
    sys.path.insert(0, str(ROOT))

from extractor._version import __version__  # noqa: E402
from extractor.batch.jobs import Job, Outcome, peak_rss_mb, process_document  # noqa: E402
from extractor.models import Recommendation, Report  # noqa: E402
from extractor.settings import Settings  # noqa: E402

_NUMBERED = re.compile(r"^(\d+\.\d+)\s+(.*)$")


def make_pdf(path: Path, *, title: str = "Review", recs: int = 3, pages: int = 3, tag: str = "") -> Path:
    """A small text PDF: background pages, then "Recommendations" and numbered items."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page()
        y = 72.0
        if number < pages:
            page.insert_text((72, y), f"{title}: chapter {number}", fontsize=16)
            for k in range(4):
                y += 20
                page.insert_text((72, y), f"Background paragraph {k} about the agencies involved {tag}.", fontsize=10)
            continue
        page.insert_text((72, y), "Recommendations", fontsize=16)
        for k in range(1, recs + 1):
            y += 22
            page.insert_text((72, y), f"9.{k} The partnership should review procedure {k} {tag}.", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def make_corpus(folder: Path, count: int, *, recs: int = 3) -> list[Path]:
    return [make_pdf(folder / f"report-{n:03d}.pdf", recs=recs + n % 3, tag=f"r{n}") for n in range(count)]


def numbered_rows(job: Job, settings: Settings, registry: Any) -> Outcome:
    """Stand-in extractor: rows are the numbered lines of the PDF; real errors via extract().

    Behaviour switches on the file name: ``hang`` sleeps for an hour, ``crash`` kills its
    own process, ``hog`` allocates memory until stopped; ``DHR_TEST_DELAY`` (seconds)
    slows every document down so a test can interrupt a run.
    """
    name = Path(job.path).name
    delay = float(os.environ.get("DHR_TEST_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)
    if "hang" in name:
        time.sleep(3600)
    if "crash" in name:
        os._exit(3)
    if "hog" in name:
        hoard = []
        while True:
            hoard.append(bytearray(50 * 1024 * 1024))
            time.sleep(0.02)
    started = time.perf_counter()
    real = process_document(job, settings, registry)
    if real.report.get("error"):  # bad input: keep the real extractor's error report
        return real
    doc = pymupdf.open(job.path)
    texts = [page.get_text() for page in doc]
    pages = doc.page_count
    doc.close()
    recs = []
    for number, text in enumerate(texts, start=1):
        for line in text.splitlines():
            match = _NUMBERED.match(line.strip())
            if match:
                recs.append(Recommendation(id=match.group(1), text=match.group(2), page=number))
    report = Report(file=name, sha256=job.sha256, pages=pages, extractor_version=__version__,
                    recommendations=recs)
    return Outcome(path=job.path, report=report.to_dict(), seconds=time.perf_counter() - started,
                   peak_rss_mb=peak_rss_mb())


def mark_started(job: Job, settings: Settings, registry: Any) -> Outcome:
    """Stand-in that only leaves ``<path>.started`` behind, so a test can see when the
    pool handed a document to a worker."""
    Path(job.path + ".started").touch()
    return Outcome(path=job.path, report={"file": Path(job.path).name}, seconds=0.0)


def _main(argv: list[str]) -> None:
    from batch_helpers import numbered_rows as fn  # by module name, so workers can import it

    from extractor.batch import BatchStore, LocalExecutor, run_batch

    store_path, folder = argv[0], argv[1]
    os.environ["DHR_TEST_DELAY"] = argv[2]
    with BatchStore(store_path) as store:
        run_batch([folder], store=store, executor=LocalExecutor(2, fn=fn))


if __name__ == "__main__":
    _main(sys.argv[1:])
