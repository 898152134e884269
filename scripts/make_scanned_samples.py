"""Make scanned copies of sample reports: image-only PDFs plus goldens copied from the source.

Why: some published reviews are scans without a text layer. To score OCR with
``dhr-extract check`` we need scans whose correct output is known. Rather than writing
new goldens, each scanned sample is made from a born-digital sample whose golden was
hand-checked from its spec: its pages are rendered to grayscale images with a slight
rotation, blur and noise (what a flatbed scanner does), and its golden is copied with
the page numbers remapped.

To keep the files small (target ≤ 1.5 MB), a scanned sample holds only the pages that
matter: the cover, the contents page, and every page of the recommendations sections
and of the recommendations in the golden. The golden keeps every recommendation (they
all lie on kept pages; the script refuses a source where one does not) and records the
kept pages in ``scanned_from``. Metadata that only the dropped pages state (for example
a year of death from the narrative) may therefore be missed: the tolerance for scanned
samples (docs/ROBUSTNESS.md) is on rows, F1 ≥ 0.9.

Usage::

    python scripts/make_scanned_samples.py                 # the default sources
    python scripts/make_scanned_samples.py NAME [NAME...]  # samples/NAME.pdf → samples/scanned/scanned-NAME.pdf
    dhr-extract check --samples samples/scanned --golden golden/scanned   # score them

Output is deterministic: the noise and the angle are seeded from the sample name.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import logging
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parents[1]
# Scanned samples live in their own folders so that `check` scores them against their own
# thresholds (golden/scanned/thresholds.toml: F1 >= 0.9) and the born-digital samples keep
# F1 = 1.0: dhr-extract check --samples samples/scanned --golden golden/scanned
OUT_SAMPLES, OUT_GOLDEN = REPO / "samples" / "scanned", REPO / "golden" / "scanned"
# Sources: numbered paragraphs with agency subheadings, hyphenated lines with inline
# "Recommendation N:" labels, "2a"/"2b" paragraphs, and four ruled tables (an action
# plan, a landscape table grouped by agency, a table with theme rows, "R1" ids); all
# reach F1 = 1.0 through OCR (see docs/ROBUSTNESS.md for the layouts that do not yet).
DEFAULT_SOURCES: tuple[str, ...] = (
    "wiltshire-2017-10-2a", "swindon-2018-hyphenated", "sefton-2019-table",
    "northumberland-2021-landscape-agency-table", "south-lakeland-2019-themed-table",
    "croydon-2019-r-numbers", "leeds-2017-2a-2b",
)
MAX_BYTES = 1_500_000

log = logging.getLogger("make_scanned_samples")


@dataclass(frozen=True, slots=True)
class ScanStyle:
    """How rough the scan looks. Defaults: a tidy office scanner at 200 dpi.

    At 150 dpi with more blur, Tesseract loses the dots of paragraph numbers ("9.1a"
    read as "91a"), which no later stage can recover; 200 dpi is what councils' scanners
    commonly produce and still keeps a few pages under 1.5 MB.
    """

    dpi: int = 200
    max_angle: float = 1.2  # degrees, either way
    blur: float = 0.3  # Gaussian radius in pixels (ink spread)
    noise: float = 4.0  # standard deviation of grey-level noise
    specks: float = 0.0004  # fraction of pixels turned into dark dust
    background: int = 244  # paper is never pure white
    jpeg_quality: int = 50


def scan_page(page: pymupdf.Page, rng: np.random.Generator, style: ScanStyle) -> bytes:
    """Render one page the way a scanner would see it; return JPEG bytes."""
    pix = page.get_pixmap(dpi=style.dpi, colorspace=pymupdf.csGRAY, alpha=False)
    img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    angle = float(rng.uniform(-style.max_angle, style.max_angle))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(style.blur))
    arr = np.asarray(img, dtype=np.float32)
    arr = arr * (style.background / 255.0) + rng.normal(0.0, style.noise, arr.shape)
    dust = rng.random(arr.shape) < style.specks
    arr[dust] = rng.uniform(40, 140, int(dust.sum()))
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=style.jpeg_quality, optimize=True)
    return buf.getvalue()


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _rec_spans(pages: list[str], text: str) -> list[tuple[int, int]]:
    """(first, last) 1-based page pairs where a recommendation's text starts and ends.

    The golden's own text is looked up in the source's text layer (letters and digits
    only, so line breaks and hyphenation do not matter); the extractor is not used.
    """
    flat = _alnum(text)
    head, tail = flat[:40], flat[-40:]
    spans = []
    for start, page in enumerate(pages, start=1):
        if head and head in page:
            for end in range(start, min(start + 3, len(pages) + 1)):
                if tail in pages[end - 1]:
                    spans.append((start, end))
                    break
    return spans


def pages_to_keep(golden: dict[str, Any], source: pymupdf.Document) -> list[int]:
    """Cover, contents and the shortest page run that holds every recommendation.

    A recommendation may be printed several times (executive summary, main section,
    action plan); the shortest run of pages holding one copy of each is kept, plus the
    page before it when the section heading sits at its foot.
    """
    pages = [_alnum(page.get_text()) for page in source]
    recs = golden.get("recommendations") or []
    spans = [_rec_spans(pages, rec.get("text", "")) for rec in recs]
    missing = [rec.get("id") for rec, found in zip(recs, spans, strict=True) if not found]
    if missing:
        raise ValueError(f"recommendations not found in the source text: {missing}")
    keep = {1, 2}
    if spans:
        best: tuple[int, int] | None = None
        for a in range(1, len(pages) + 1):
            for b in range(a, len(pages) + 1):
                if best and b - a >= best[1] - best[0]:
                    break
                if all(any(a <= s and e <= b for s, e in found) for found in spans):
                    best = (a, b)
                    break
        assert best is not None  # the whole document always qualifies
        keep.update(range(best[0], best[1] + 1))
        if best[0] > 1 and "recommendation" in pages[best[0] - 2][-200:]:
            keep.add(best[0] - 1)
    return sorted(p for p in keep if 1 <= p <= len(pages))


def scanned_golden(golden: dict[str, Any], name: str, kept: list[int], pdf: bytes,
                   style: ScanStyle, seed: int) -> dict[str, Any]:
    """The source golden with pages remapped to the shortened scan and ``ocr`` set."""
    new_number = {old: new for new, old in enumerate(kept, start=1)}
    out = copy.deepcopy(golden)
    out["file"] = f"scanned-{name}.pdf"
    out["sha256"] = hashlib.sha256(pdf).hexdigest()
    out["pages"] = len(kept)
    for rec in out.get("recommendations") or []:
        page = rec.get("page")
        if page is not None:
            if page not in new_number:
                raise ValueError(f"{name}: recommendation {rec.get('id')} is on dropped page {page}")
            rec["page"] = new_number[page]
        rec["ocr"] = True
        rec.pop("bbox", None)  # positions on a rotated scan are not the source's
    if "sections" not in out:
        return _with_provenance(out, name, kept, style, seed)
    sections = []
    for section in out["sections"]:
        span = [new_number[p] for p in range(section["start_page"], section["end_page"] + 1)
                if p in new_number]
        if span:
            sections.append({**section, "start_page": min(span), "end_page": max(span)})
    out["sections"] = sections
    return _with_provenance(out, name, kept, style, seed)


def _with_provenance(out: dict[str, Any], name: str, kept: list[int], style: ScanStyle,
                     seed: int) -> dict[str, Any]:
    out["scanned_from"] = {
        "sample": f"{name}.pdf", "pages": kept, "dpi": style.dpi,
        "max_angle": style.max_angle, "seed": seed,
        "note": "golden copied from the source sample's hand-checked golden; pages remapped",
    }
    return out


def make_scanned(name: str, style: ScanStyle | None = None, *, source_root: Path = REPO,
                 out_samples: Path = OUT_SAMPLES, out_golden: Path = OUT_GOLDEN) -> tuple[Path, Path, int]:
    """Write scanned-NAME.pdf and scanned-NAME.json; return their paths and the PDF size.

    The source is ``samples/NAME.pdf`` and ``golden/NAME.json`` under ``source_root``.
    """
    style = style or ScanStyle()
    source = pymupdf.open(source_root / "samples" / f"{name}.pdf")
    golden = json.loads((source_root / "golden" / f"{name}.json").read_text(encoding="utf-8"))
    kept = pages_to_keep(golden, source)
    seed = zlib.crc32(name.encode())
    rng = np.random.default_rng(seed)
    out = pymupdf.open()
    for number in kept:
        page = source[number - 1]
        target = out.new_page(width=page.rect.width, height=page.rect.height)
        target.insert_image(target.rect, stream=scan_page(page, rng, style))
    out.set_metadata({"title": "", "producer": "make_scanned_samples", "creator": "",
                      "creationDate": "", "modDate": ""})
    pdf = out.tobytes(garbage=3, deflate=True, no_new_id=True)
    out_samples.mkdir(parents=True, exist_ok=True)
    out_golden.mkdir(parents=True, exist_ok=True)
    pdf_path = out_samples / f"scanned-{name}.pdf"
    golden_path = out_golden / f"scanned-{name}.json"
    pdf_path.write_bytes(pdf)
    data = scanned_golden(golden, name, kept, pdf, style, seed)
    golden_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if len(pdf) > MAX_BYTES:
        log.warning("%s is %.2f MB (> %.1f MB)", pdf_path.name, len(pdf) / 1e6, MAX_BYTES / 1e6)
    return pdf_path, golden_path, len(pdf)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="sample names (samples/NAME.pdf)")
    parser.add_argument("--dpi", type=int, default=ScanStyle().dpi)
    parser.add_argument("--from", dest="source_root", type=Path, default=REPO,
                        help="a checkout whose samples/ and golden/ hold the sources")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = args.names or list(DEFAULT_SOURCES)
    if not names:
        parser.error("no sample names given and no default sources configured")
    root = args.source_root
    for name in names:
        if not (root / "samples" / f"{name}.pdf").is_file() or not (root / "golden" / f"{name}.json").is_file():
            print(f"{name}: samples/{name}.pdf or golden/{name}.json is missing in {root}", file=sys.stderr)
            return 1
        pdf_path, golden_path, size = make_scanned(name, ScanStyle(dpi=args.dpi), source_root=root)
        log.info("%s (%.2f MB), %s", pdf_path.relative_to(REPO), size / 1e6, golden_path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
