"""Stage 4, segment (in progress)."""
from __future__ import annotations
from .models import Row, Section, Table
def segment_sections(sections: list[Section], tables: list[Table]) -> list[Row]:
    return []
