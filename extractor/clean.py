"""Stage 2, clean (in progress)."""
from __future__ import annotations
from .models import Document
def clean_document(document: Document) -> Document:
    return document
