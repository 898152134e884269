"""Stage 3, locate (in progress)."""
from __future__ import annotations
from .models import Document, Section
def locate_sections(document: Document) -> list[Section]:
    return []
