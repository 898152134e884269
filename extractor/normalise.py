"""Stage 6, normalise: resolve raw addressee strings to canonical agency names.

The work lives in :mod:`extractor.agencies`; this module is the stage entry the
pipeline calls, and it keeps the stage interface stable:

* ``AgencyRegistry.load(extra_csv=None)`` → registry (bundled + user overrides)
* ``registry.version`` → a short hash that changes whenever the registry data changes
* ``registry.resolve(raw, context=ctx)`` → ``list[AgencyMatch]`` (one per body named)
* ``context_from_document(document, area=None)`` → ``MatchContext`` (acronyms, area)
"""

from __future__ import annotations

from .agencies import Agency, AgencyRegistry, Area, MatchContext, context_from_document

__all__ = ["Agency", "AgencyRegistry", "Area", "MatchContext", "context_from_document"]
