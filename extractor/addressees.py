"""Stage 5, addressees (in progress)."""
from __future__ import annotations
from .models import Row
def attach_addressees(rows: list[Row]) -> list[Row]:
    return rows
