"""The static HTML site: one page per report like the target page, plus a filterable index.

Example:
    >>> from extractor.site import build_site, load_reports
    >>> build_site(load_reports(["out.jsonl"]), "site").index
    PosixPath('site/index.html')
"""

from __future__ import annotations

from .build import SiteResult, build_site, esc, render_index, render_report, script_json
from .inputs import SiteInputError, load_reports, read_input

__all__ = [
    "SiteInputError",
    "SiteResult",
    "build_site",
    "esc",
    "load_reports",
    "read_input",
    "render_index",
    "render_report",
    "script_json",
]
