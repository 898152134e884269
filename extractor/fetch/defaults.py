"""Defaults of the fetch commands, importable without loading the HTTP stack (so the
CLI can show them in ``--help`` and start quickly)."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://homicide-review.homeoffice.gov.uk"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_PAGE_SIZE = 100
DEFAULT_DELAY = 1.0
DEFAULT_CONCURRENCY = 2
