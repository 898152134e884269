"""Build the sample corpus: samples/specs/*.json -> samples/*.pdf and golden/*.json.

Usage::

    python scripts/make_samples.py                 # rebuild every sample and golden
    python scripts/make_samples.py manchester-2016 # rebuild some
    python scripts/make_samples.py --goldens       # rewrite goldens from specs only
    python scripts/make_samples.py --check         # rebuild into a temp dir and compare
    python scripts/make_samples.py --catalogue     # print the docs/SAMPLES.md table

The spec is the source of truth. Goldens are derived from the spec (plus the page count
of the built PDF) and never from the extractor. Rebuilds are byte-identical (reportlab
``invariant=1``; LibreOffice PDFs get fixed dates and a name-derived document id), as long
as the LibreOffice version is the same; otherwise ``--check`` compares their text (see
docs/SAMPLES.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the extractor package (manifest columns)

from sampledoc import render_docx, render_rl  # noqa: E402
from sampledoc.spec import build_blocks, footnotes, golden_from_spec, load_spec, toc_entries  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "samples" / "specs"
log = logging.getLogger("make_samples")
FIXED_PDF_DATE = "D:20240101090000Z"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def heading_pages(pdf: Path, headings: list[str]) -> tuple[dict[str, int], int]:
    """Page (1-based) where each contents entry's heading first appears after the contents."""
    with pymupdf.open(pdf) as doc:
        texts = [[_norm(line) for line in page.get_text("text").splitlines() if line.strip()] for page in doc]
        total = doc.page_count
    found: dict[str, int] = {}
    for head in headings:
        key = _norm(head)
        for exact in (True, False):  # "7. Conclusions" must not match "7. Conclusions and ..."
            for number in range(3, total + 1):
                lines = texts[number - 1]
                joined = [a + " " + b for a, b in zip(lines, lines[1:], strict=False)]
                if any(line == key or (not exact and line.startswith(key)) for line in lines + joined):
                    found[head] = number
                    break
            if head in found:
                break
    return found, total


def footnote_pages(pdf: Path, notes: list[dict]) -> dict[str, int]:
    """Page of each footnote marker ("Clare's Law" + superscript "2"), keyed "footnote:<mark>"."""
    if not notes:
        return {}
    with pymupdf.open(pdf) as doc:
        texts = ["".join(page.get_text("text").split()) for page in doc]
    found = {}
    for note in notes:
        key = "".join((note["after"] + note["mark"]).split())
        for number, text in enumerate(texts, 1):
            if number > 2 and key in text:
                found[f"footnote:{note['mark']}"] = number
                break
    return found


def soffice_convert(docx_files: list[Path], outdir: Path) -> None:
    """Convert .docx files to PDF with one LibreOffice run (own profile dir, so no clash)."""
    profile = Path(tempfile.gettempdir()) / "dhr-samples-lo-profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(outdir), *map(str, docx_files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)


def fix_pdf_metadata(pdf: Path, spec: dict) -> None:
    """Give a LibreOffice PDF fixed dates, a fixed id and the spec's title and author."""
    tmp = pdf.with_suffix(".tmp.pdf")
    with pymupdf.open(pdf) as doc:
        meta = dict(doc.metadata or {})
        meta.update(title=spec["metadata"]["title"], author=spec["cover"]["author"],
                    creationDate=FIXED_PDF_DATE, modDate=FIXED_PDF_DATE)
        doc.set_metadata(meta)
        # LibreOffice writes a random document id; derive it from the sample's name instead
        # so that a rebuild with the same LibreOffice is byte-identical.
        digest = hashlib.md5(spec["name"].encode()).hexdigest().upper()
        doc.xref_set_key(-1, "ID", f"[<{digest}><{digest}>]")
        doc.save(tmp, garbage=3, deflate=True, no_new_id=True)
    tmp.replace(pdf)


def build(specs: list[dict], outdir: Path, golden_dir: Path | None) -> None:
    """Build PDFs (two or three passes so contents page numbers are right) and goldens."""
    state = {s["name"]: {"pages": {}, "total": 0} for s in specs}
    blocks = {s["name"]: build_blocks(s) for s in specs}
    pending = list(specs)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for _ in range(4):
            if not pending:
                break
            docx_batch = []
            for spec in pending:
                name = spec["name"]
                if spec["producer"] == "reportlab":
                    render_rl.render(spec, blocks[name], state[name]["pages"], state[name]["total"], outdir / f"{name}.pdf")
                else:
                    path = tmpdir / f"{name}.docx"
                    render_docx.render(spec, blocks[name], state[name]["pages"], path)
                    docx_batch.append(path)
            if docx_batch:
                soffice_convert(docx_batch, tmpdir)
                for path in docx_batch:
                    shutil.move(str(path.with_suffix(".pdf")), outdir / f"{path.stem}.pdf")
            still = []
            for spec in pending:
                name = spec["name"]
                pages, total = heading_pages(outdir / f"{name}.pdf", toc_entries(blocks[name]) + spec.get("contents", {}).get("extra", []))
                pages.update(footnote_pages(outdir / f"{name}.pdf", footnotes(spec)))
                if pages != state[name]["pages"] or total != state[name]["total"]:
                    still.append(spec)
                state[name] = {"pages": pages, "total": total}
            pending = still
        if pending:
            log.warning("contents page numbers did not settle for %s", [s["name"] for s in pending])
    for spec in specs:
        name = spec["name"]
        missing = set(toc_entries(blocks[name])) - set(state[name]["pages"])
        if missing:
            log.warning("%s: headings not found in PDF: %s", name, sorted(missing))
        if spec["producer"] != "reportlab":
            fix_pdf_metadata(outdir / f"{name}.pdf", spec)
        if golden_dir is not None:
            write_golden(spec, state[name]["total"], golden_dir)


def write_golden(spec: dict, pages: int, golden_dir: Path) -> None:
    golden = golden_from_spec(spec, pages)
    (golden_dir / f"{spec['name']}.json").write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def pdf_text(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as doc:
        return [page.get_text("text") for page in doc]


def check(specs: list[dict]) -> int:
    """Rebuild into a temp dir and compare: bytes, or for LibreOffice PDFs at least the text."""
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        build(specs, Path(tmp), None)
        for spec in specs:
            name = f"{spec['name']}.pdf"
            old, new = ROOT / "samples" / name, Path(tmp) / name
            if old.read_bytes() == new.read_bytes():
                continue
            if spec["producer"] != "reportlab" and pdf_text(old) == pdf_text(new):
                # another LibreOffice version lays the file out differently: same text is enough
                log.warning("%s: same text, different bytes (LibreOffice version differs?)", name)
                continue
            bad += 1
            log.error("%s differs from a fresh build", name)
    return 1 if bad else 0


def straddles(pdf: Path, text: str) -> bool:
    """True when a recommendation starts on one page and ends on the next."""
    words = text.split()
    head, tail = " ".join(words[:5]), " ".join(words[-3:])
    with pymupdf.open(pdf) as doc:
        pages = [" ".join(page.get_text("text").split()) for page in doc]
    return any(head in a and tail not in a and tail in b for a, b in zip(pages, pages[1:], strict=False))


def find_straddle(spec: dict, rec_id: str, limit: int = 30) -> int | None:
    """Smallest ``intro_filler`` that makes recommendation ``rec_id`` cross a page break.

    A helper for writing specs (the result is then written into the spec by hand, so the
    spec stays declarative): real recommendations often run over a page break, with the
    running footer and header printed in the middle of their text.
    """
    section = next(s for s in spec["body"] if s["kind"] == "recs" and any(i.get("id") == rec_id for i in s["items"]))
    rec = next(i for i in section["items"] if i.get("id") == rec_id)
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(limit + 1):
            section["intro_filler"] = n
            build([spec], Path(tmp), None)
            if straddles(Path(tmp) / f"{spec['name']}.pdf", rec["text"]):
                return n
    return None


def catalogue(specs: list[dict]) -> str:
    """The markdown catalogue table for docs/SAMPLES.md (from specs and built PDFs)."""
    lines = ["| sample | producer | pages | recs | layout, numbering and traps |", "|---|---|---:|---:|---|"]
    for spec in specs:
        with pymupdf.open(ROOT / "samples" / f"{spec['name']}.pdf") as doc:
            pages = doc.page_count
        count = len(golden_from_spec(spec, pages)["recommendations"])
        producer = "LibreOffice (python-docx)" if spec["producer"] == "docx" else "reportlab"
        notes = spec.get("notes", "").replace("|", "\\|")
        lines.append(f"| `{spec['name']}` | {producer} | {pages} | {count} | {notes} |")
    return "\n".join(lines)


def write_manifest(samples_dir: Path) -> None:
    """``samples/manifest.csv``, as ``dhr-extract fetch`` would leave beside downloads.

    It carries only what the Library index says and a PDF cannot: the month the report
    was uploaded (``published``). Title, CSP and year of death are left empty so that
    ``check`` still scores reading them from the PDFs themselves.
    """
    import csv
    import hashlib

    from extractor.manifest import MANIFEST_COLUMNS

    rows = []
    for path in sorted(SPECS.glob("*.json")):
        spec = load_spec(path)
        pdf = samples_dir / f"{spec['name']}.pdf"
        if not pdf.exists():
            continue
        data = pdf.read_bytes()
        rows.append({
            "file": pdf.name, "uploaded": spec["metadata"]["published"], "status": "ok",
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
        })
    with (samples_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="spec names to build (default: all)")
    parser.add_argument("--goldens", action="store_true", help="rewrite goldens from specs only")
    parser.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare")
    parser.add_argument("--catalogue", action="store_true", help="print the docs/SAMPLES.md table")
    parser.add_argument("--straddle", metavar="ID", help="print the intro_filler that makes recommendation ID cross a page break")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    paths = sorted(SPECS.glob("*.json"))
    specs = [load_spec(p) for p in paths if not args.names or p.stem in args.names]
    if args.check:
        return check(specs)
    if args.straddle:
        for spec in specs:
            sys.stdout.write(f"{spec['name']} {args.straddle}: intro_filler = {find_straddle(spec, args.straddle)}\n")
        return 0
    if args.catalogue:
        sys.stdout.write(catalogue(specs) + "\n")
        return 0
    if args.goldens:
        for spec in specs:
            with pymupdf.open(ROOT / "samples" / f"{spec['name']}.pdf") as doc:
                write_golden(spec, doc.page_count, ROOT / "golden")
        write_manifest(ROOT / "samples")
        return 0
    build(specs, ROOT / "samples", ROOT / "golden")
    write_manifest(ROOT / "samples")
    for spec in specs:
        log.info("built %s", spec["name"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
