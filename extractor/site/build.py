"""Render reports into a static, self-contained site: one page each plus a filterable index.

Safety rule: every string that came out of a PDF or a manifest passes through
:func:`esc` before it reaches HTML, and the JSON that feeds the index filter goes through
:func:`script_json`, which escapes ``<``, ``>`` and ``&`` so that a recommendation text
such as ``</script><script>…`` can neither end the data block nor start a script. Links
only ever point at ``http(s)`` URLs or local files, never ``javascript:``.

Example:
    >>> result = build_site(reports, "site")
    >>> result.index
    PosixPath('site/index.html')
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .._version import __version__
from ..metadata import csp_area
from ..models import Report
from . import templates as t

log = logging.getLogger(__name__)

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
LIBRARY_HOSTS = ("homicide-review.homeoffice.gov.uk",)
STATUTORY_BASIS = (
    "A statutory review: domestic homicide reviews are held under section 9 of the "
    "Domestic Violence, Crime and Victims Act 2004."
)


@dataclass(slots=True)
class SiteResult:
    """What :func:`build_site` wrote: the index, one page per report, and what it skipped."""

    index: Path
    pages: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def esc(value: Any) -> str:
    """HTML-escape any value for text or a double-quoted attribute (``None`` → "")."""
    return "" if value is None else html.escape(str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&``, U+2028/9).

    Example:
        >>> script_json({"t": "</script>"})
        '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def month_year(value: str | None) -> str:
    """Show "2023-07" as "July 2023"; leave other forms ("July 2023", "2023") as they are."""
    if not value:
        return "Unknown"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", value.strip())
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return value


def heading_for(report: Report) -> str:
    """The page title: "<CSP area> review" like the target page (never a person's name)."""
    if area := csp_area(report.metadata.csp):
        return f"{area} review"
    return f"{Path(report.file).stem or 'Untitled'} review"


def source_label(report: Report) -> str:
    """Where the PDF came from, in words: the Home Office library, a website, or a file."""
    url = report.metadata.source_url or ""
    host = urlsplit(url).hostname or ""
    if host in LIBRARY_HOSTS:
        return "Home Office DHR Library"
    if host:
        return host
    return f"local file {Path(report.file).name}"


def pdf_href(report: Report, pdf_base: str | None = None) -> str:
    """A safe link to the PDF: its http(s) source URL, else ``pdf_base``/file, else the file."""
    url = (report.metadata.source_url or "").strip()
    if urlsplit(url).scheme in ("http", "https"):
        return url
    name = Path(report.file).name
    if pdf_base:
        return pdf_base.rstrip("/") + "/" + quote(name)
    path = Path(report.file)
    if path.is_absolute() and path.exists():
        return path.as_uri()
    return quote(report.file)


def render_report(report: Report, *, index_href: str = "../index.html", pdf_base: str | None = None) -> str:
    """The HTML page of one report, with the target page's content in the same order."""
    recs = report.recommendations
    rows = "\n".join(
        t.REC_ROW.substitute(
            id=esc(rec.id or str(n)), text=esc(rec.text),
            to=esc(rec.addressed_to_raw or "; ".join(rec.addressed_to)),
            canonical=esc("; ".join(rec.addressed_to)),
        )
        for n, rec in enumerate(recs, start=1)
    )
    anonymised = (report.extra.get("anonymisation") or {}).get("applied", False)
    about = (
        "It summarises one domestic homicide review and lists the recommendations extracted "
        "from the published report; the full report is linked below. "
        + ("The names of the victim, the perpetrator and their family are replaced by their roles."
           if anonymised else "Names are shown as printed in the report.")
    )
    source = source_label(report)
    body = t.REPORT_BODY.substitute(
        about=esc(about),
        heading=esc(heading_for(report)),
        csp=esc(csp_area(report.metadata.csp) or "Unknown"),
        published=esc(month_year(report.metadata.published)),
        year=esc(report.metadata.year_of_death or "Unknown"),
        count=len(recs),
        basis=esc(f"{STATUTORY_BASIS} Source: {source}."),
        pdf_href=esc(pdf_href(report, pdf_base)),
        source=esc(source),
        summary=esc(report.summary or "No summary could be extracted from this report."),
        rows=rows,
        table_note=esc(f"Recommendations as printed in the published report. Source: {source}."),
        index_href=esc(index_href),
        version=esc(__version__),
    )
    return t.PAGE.substitute(
        title=esc(f"{heading_for(report)} · DHR"), css=t.CSS, body=body, script="", version=esc(__version__)
    )


def render_index(reports: Sequence[Report], hrefs: Sequence[str]) -> str:
    """The index page: one row per report and the agency/CSP/year filter."""
    data = [
        {
            "csp": csp_area(r.metadata.csp) or "",
            "year": str(r.metadata.year_of_death or ""),
            "agencies": sorted({a for rec in r.recommendations for a in rec.addressed_to}),
        }
        for r in reports
    ]
    rows = "\n".join(
        t.INDEX_ROW.substitute(
            i=i, href=esc(href), heading=esc(heading_for(r)), csp=esc(csp_area(r.metadata.csp) or "Unknown"),
            year=esc(r.metadata.year_of_death or "Unknown"), published=esc(month_year(r.metadata.published)),
            count=len(r.recommendations),
        )
        for i, (r, href) in enumerate(zip(reports, hrefs, strict=True))
    )
    body = t.INDEX_BODY.substitute(
        count=len(reports),
        agency_options=_options(a for d in data for a in d["agencies"]),
        csp_options=_options(d["csp"] for d in data),
        year_options=_options(d["year"] for d in data),
        rows=rows,
        data=script_json(data),
        version=esc(__version__),
    )
    return t.PAGE.substitute(
        title="Domestic Homicide Reviews · recommendations", css=t.CSS, body=body,
        script=t.FILTER_SCRIPT, version=esc(__version__),
    )


def build_site(reports: Iterable[Report], out_dir: str | Path, *, pdf_base: str | None = None) -> SiteResult:
    """Write ``index.html`` and ``reports/<slug>.html`` for each report into ``out_dir``.

    Reports that failed extraction (``report.error``) get no page and are listed in
    ``SiteResult.skipped``. Existing files with the same names are overwritten.

    Example:
        >>> build_site([Report.from_dict(d) for d in json.load(open("out.json"))], "site").pages[0]
        PosixPath('site/reports/manchester-2016-1a2b3c4d.html')
    """
    out = Path(out_dir)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    kept: list[Report] = []
    result = SiteResult(index=out / "index.html")
    for report in reports:
        if report.error:
            result.skipped.append(f"{report.file}: {report.error.get('message', 'extraction failed')}")
            continue
        kept.append(report)
    kept.sort(key=lambda r: (r.metadata.csp or "~", -(r.metadata.year_of_death or 0), r.file))
    used: set[str] = set()
    hrefs = []
    for report in kept:
        slug = _unique(slugify(report), used)
        page = out / "reports" / f"{slug}.html"
        page.write_text(render_report(report, pdf_base=pdf_base), encoding="utf-8")
        result.pages.append(page)
        hrefs.append(f"reports/{slug}.html")
    result.index.write_text(render_index(kept, hrefs), encoding="utf-8")
    log.info("site: %d pages, %d skipped, in %s", len(result.pages), len(result.skipped), out)
    return result


def slugify(report: Report) -> str:
    """A stable file name: csp-year-sha8 (or the file stem when the CSP is unknown)."""
    parts = [csp_area(report.metadata.csp) or Path(report.file).stem, str(report.metadata.year_of_death or "")]
    if report.sha256:
        parts.append(report.sha256[:8])
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(p for p in parts if p).lower()).strip("-")
    return slug[:80] or "report"


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _options(values: Iterable[str]) -> str:
    return "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in sorted(set(values)) if v)
