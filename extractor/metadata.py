"""Report metadata read from the PDF itself (title, CSP, report date, year of death).

Placeholder: returns empty metadata until the metadata feature lands.
"""

from __future__ import annotations

from .models import Document, Metadata


def extract_metadata(document: Document) -> Metadata:
    """Read what the cover and introduction say about the review."""
    return Metadata()
