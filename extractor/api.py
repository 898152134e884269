"""The Python API: compose the pipeline stages into ``extract`` and ``extract_many``.

This is the only module that knows the order of the stages::

    load → clean → locate → (tables on located pages) → segment → addressees → normalise
         → metadata → Report

Each stage is a module with one job and a pure entry function; data flows one way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import addressees, anonymise, clean, load, locate, metadata, normalise, ocr, segment, summary
from . import tables as table_parser
from ._version import __version__
from .errors import ExtractorError, NoTextLayer
from .models import Document, Metadata, Recommendation, Report, Row, Section
from .ocr_cache import OcrCache
from .settings import Settings

log = logging.getLogger(__name__)

Source = str | Path | bytes


@dataclass(slots=True)
class Trace:
    """Every intermediate of one extraction, for debugging (``debug_extract``)."""

    document: Document | None = None
    cleaned: Document | None = None
    sections: list[Section] | None = None
    rows: list[Row] | None = None
    report: Report | None = None


def extract(
    source: Source,
    *,
    settings: Settings | dict[str, Any] | None = None,
    metadata: Metadata | dict[str, Any] | None = None,
    name: str | None = None,
    registry: normalise.AgencyRegistry | None = None,
) -> Report:
    """Extract the recommendations table from one PDF (a path or the PDF's bytes).

    Never raises for a bad input file: the returned ``Report`` carries ``error`` instead
    and no rows, so a batch can go on. ``metadata`` (for example from a fetch manifest)
    takes precedence over what is read from the PDF itself.
    """
    return debug_extract(source, settings=settings, metadata=metadata, name=name, registry=registry).report  # type: ignore[return-value]


def debug_extract(
    source: Source,
    *,
    settings: Settings | dict[str, Any] | None = None,
    metadata: Metadata | dict[str, Any] | None = None,
    name: str | None = None,
    registry: normalise.AgencyRegistry | None = None,
) -> Trace:
    """Like :func:`extract` but keep every stage's output in a ``Trace``."""
    opts = Settings.resolve(settings)
    label = name or (Path(source).name if isinstance(source, (str, Path)) else "<bytes>")
    trace = Trace()
    # Tesseract is looked for (and its version read for the cache key) only when a page
    # needs OCR: a batch of born-digital reports never starts it.
    ocr_hook = ocr.ocr_page_if_available if opts.ocr != "never" else None
    cache = OcrCache(opts.ocr_cache, ocr.fingerprint) if ocr_hook and opts.ocr_cache else None
    try:
        # the PDF stays open until its tables are read, which needs the located section
        with load.PdfFile(source, name=label, settings=opts) as pdf:
            document = pdf.document(ocr_hook=ocr_hook, ocr_cache=cache)
            trace.document = document
            trace.cleaned = cleaned = clean.clean_document(document)
            trace.sections = sections = locate.locate_sections(cleaned)
            tables = pdf.tables(table_parser.likely_table_pages(sections)) if sections else []
    except NoTextLayer as exc:
        reason = "OCR is off (--ocr never)" if opts.ocr == "never" else ocr.unavailable_reason()
        message = f"{exc.message}; {reason}" if reason else exc.message
        trace.report = _error_report(label, NoTextLayer(message, path=label))
        return trace
    except ExtractorError as exc:
        trace.report = _error_report(label, exc)
        return trace
    rows = segment.segment_sections(sections, tables)
    rows = addressees.attach_addressees(rows)
    trace.rows = rows
    reg = registry or load_registry(opts)
    meta = _merge_metadata(metadata_from_pdf := _safe_metadata(cleaned), metadata)
    del metadata_from_pdf
    # acronym definitions serve only to resolve addressees: skip the scan when none is named
    named = any(row.agency_hint for row in rows)
    context = normalise.context_from_document(cleaned if named else None, area=meta.csp, date=meta.published)
    ocr_pages = {page.number for page in document.pages if page.ocr}
    recommendations = [
        _to_recommendation(
            row,
            reg.resolve(row.agency_hint, context=context) if row.agency_hint else [],
            from_ocr=row.ocr or row.page in ocr_pages,
        )
        for row in rows
    ]
    warnings = _warnings(cleaned, sections, recommendations)
    trace.report = Report(
        file=document.file,
        sha256=document.sha256,
        pages=document.page_count,
        extractor_version=__version__,
        metadata=meta,
        sections=sections,
        recommendations=recommendations,
        warnings=warnings,
        summary=summary.summarise(cleaned),
        extra={"registry_version": reg.version},
    )
    if not opts.keep_names:
        if trace.report.recommendations or trace.report.summary:
            trace.report = anonymise.anonymise_report(trace.report, cleaned)
        else:  # nothing to clean: spare the scan for people
            trace.report.extra["anonymisation"] = {"applied": True, "replaced": []}
    return trace


def extract_many(
    paths: Iterable[Source],
    *,
    settings: Settings | dict[str, Any] | None = None,
    registry: normalise.AgencyRegistry | None = None,
) -> Iterator[Report]:
    """Extract several PDFs in turn (one registry shared); yields one Report each."""
    opts = Settings.resolve(settings)
    reg = registry or load_registry(opts)
    for path in paths:
        yield extract(path, settings=opts, registry=reg)


def load_registry(settings: Settings | None = None) -> normalise.AgencyRegistry:
    """The agency registry for these settings (bundled + ``settings.agencies`` overrides).

    Loading takes a few hundred milliseconds: load it once and pass ``registry=`` when
    extracting many files.
    """
    opts = settings or Settings()
    return normalise.AgencyRegistry.load(
        opts.agencies, fuzzy_min_score=opts.fuzzy_min_score, fuzzy_margin=opts.fuzzy_margin
    )


def iter_pdf_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively, ``*.pdf``) into a sorted, de-duplicated list."""
    found: dict[Path, None] = {}
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() == ".pdf":
                    found[child] = None
        else:
            found[path] = None
    return list(found)


# --------------------------------------------------------------------------- helpers
def _safe_metadata(document: Document) -> Metadata:
    try:
        return metadata.extract_metadata(document)
    except Exception:  # noqa: BLE001 - metadata is best-effort, never fatal
        log.exception("metadata extraction failed for %s", document.file)
        return Metadata()


def _merge_metadata(from_pdf: Metadata, given: Metadata | dict[str, Any] | None) -> Metadata:
    if given is None:
        return from_pdf
    override = given if isinstance(given, Metadata) else Metadata.from_dict(given)
    merged = Metadata(
        title=from_pdf.title, csp=from_pdf.csp, published=from_pdf.published,
        year_of_death=from_pdf.year_of_death, source_url=from_pdf.source_url,
        sources=dict(from_pdf.sources),
    )
    for field_name in ("title", "csp", "published", "year_of_death", "source_url"):
        value = getattr(override, field_name)
        if value not in (None, ""):
            setattr(merged, field_name, value)
            merged.sources[field_name] = override.sources.get(field_name, "manifest")
    return merged


def _to_recommendation(row: Row, matches: list[Any], *, from_ocr: bool = False) -> Recommendation:
    canonical: list[str] = []
    for m in matches:
        # an unresolved name is kept as printed, less a leading "the"
        name = m.canonical if m.matched and m.canonical else re.sub(r"^[Tt]he\s+", "", m.input).strip()
        if name and name not in canonical:
            canonical.append(name)
    return Recommendation(
        id=row.id,
        text=row.text,
        addressed_to=canonical,
        addressed_to_raw=row.agency_hint,
        page=row.page,
        bbox=row.bbox,
        section=row.section,
        ocr=from_ocr,
        matches=list(matches),
    )


def _warnings(document: Document, sections: list[Section], recs: list[Recommendation]) -> list[str]:
    warnings: list[str] = []
    if not sections:
        warnings.append("no recommendations section found")
    elif not recs:
        warnings.append("a recommendations section was found but no recommendations were parsed")
    ocr_pages = [p.number for p in document.pages if p.ocr]
    if ocr_pages:
        warnings.append(f"OCR used on {len(ocr_pages)} page(s)")
    return warnings


def _error_report(label: str, exc: ExtractorError) -> Report:
    return Report(
        file=label,
        extractor_version=__version__,
        error=exc.to_dict(),
        warnings=[],
    )
