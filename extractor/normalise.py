"""Stage 6, normalise: resolve raw addressee strings to canonical agency names.

Placeholder until the agency registry lands: every name stays raw and unmatched.
Interface (kept by the full implementation):

* ``AgencyRegistry.load(extra_csv=None)`` → registry (bundled + user overrides)
* ``registry.version`` → a string that changes whenever the registry data changes
* ``registry.resolve(raw, context=ctx)`` → ``list[AgencyMatch]`` (one per body named)
* ``context_from_document(document, area=None)`` → ``MatchContext`` (acronyms, area)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .models import AgencyMatch, Document


@dataclass(frozen=True, slots=True)
class MatchContext:
    """What the report itself tells us about names: its acronyms and its area."""

    acronyms: dict[str, str] = field(default_factory=dict)
    area: str | None = None


@dataclass(slots=True)
class AgencyRegistry:
    """The canonical agency names (placeholder: empty)."""

    version: str = "none"

    @classmethod
    def load(cls, extra_csv: str | Path | None = None) -> AgencyRegistry:
        return cls()

    def resolve(self, raw: str, *, context: MatchContext | None = None) -> list[AgencyMatch]:
        raw = raw.strip()
        if not raw:
            return []
        return [AgencyMatch(input=raw, canonical=None, kind=None, method="none", score=0.0, matched=False)]


def context_from_document(document: Document, area: str | None = None) -> MatchContext:
    """Collect acronym definitions and area context from a document."""
    return MatchContext(area=area)
