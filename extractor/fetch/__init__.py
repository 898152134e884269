"""Download DHR reports politely, resumably and safely (``dhr-extract fetch``).

- :mod:`.library` parses the Home Office DHR Library's result pages by caption text;
- :mod:`.client` is the polite HTTP client (User-Agent, timeouts, pacing, retries,
  safe redirects);
- :mod:`.download` writes each PDF atomically after verifying it;
- :mod:`.manifest` keeps ``manifest.csv``/``manifest.jsonl`` (read back by
  :mod:`extractor.manifest`);
- :mod:`.run` composes them into ``fetch_library`` and ``fetch_urls``.
"""

from .client import USER_AGENT, ClientConfig, PoliteClient
from .download import DEFAULT_MAX_BYTES, safe_name_for_url
from .library import DEFAULT_BASE_URL, Card, IndexPage, LayoutChanged, page_url, parse_index
from .run import FetchSummary, crawl_library, fetch_library, fetch_urls

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_BYTES",
    "USER_AGENT",
    "Card",
    "ClientConfig",
    "FetchSummary",
    "IndexPage",
    "LayoutChanged",
    "PoliteClient",
    "crawl_library",
    "fetch_library",
    "fetch_urls",
    "page_url",
    "parse_index",
    "safe_name_for_url",
]
