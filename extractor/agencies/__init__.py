"""The agency registry and addressee matching (issue 4).

``registry`` reads the CSVs, ``keys`` normalises names, ``context`` reads a report's
own acronym definitions, ``fuzzy`` is the guarded fuzzy lookup, ``match`` resolves names. ``extractor.normalise`` is the
pipeline stage that re-exports the public pieces.
"""

from __future__ import annotations

from .context import MatchContext, acronyms_from_lines, context_from_document
from .match import AgencyRegistry
from .registry import Agency, Area

__all__ = [
    "Agency", "AgencyRegistry", "Area", "MatchContext", "acronyms_from_lines", "context_from_document",
]
