"""Download DHR reports politely, resumably and safely (``dhr-extract fetch``).

- :mod:`.library` parses the Home Office DHR Library's result pages by caption text;
- :mod:`.client` is the polite HTTP client (User-Agent, timeouts, pacing, retries,
  safe redirects);
- :mod:`.download` writes each PDF atomically after verifying it;
- :mod:`.manifest` keeps ``manifest.csv``/``manifest.jsonl`` (read back by
  :mod:`extractor.manifest`);
- :mod:`.run` composes them into ``fetch_library`` and ``fetch_urls``.

Names are imported lazily so that ``import extractor.fetch.defaults`` (the CLI's
``--help``) does not load httpx.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ClientConfig": "client",
    "PoliteClient": "client",
    "USER_AGENT": "client",
    "safe_name_for_url": "download",
    "DEFAULT_BASE_URL": "defaults",
    "DEFAULT_MAX_BYTES": "defaults",
    "Card": "library",
    "IndexPage": "library",
    "LayoutChanged": "library",
    "page_url": "library",
    "parse_index": "library",
    "FetchSummary": "run",
    "crawl_library": "run",
    "fetch_library": "run",
    "fetch_urls": "run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
