"""dhr-extract: Domestic Homicide Review PDFs → a checkable table of recommendations.

    >>> import extractor
    >>> report = extractor.extract("samples/manchester-2016.pdf")
    >>> report.to_dataframe()[["id", "addressed_to"]]
"""

from ._version import __version__
from .api import Trace, debug_extract, extract, extract_many, load_registry
from .errors import (
    CorruptPDF,
    EmptyFile,
    EncryptedPDF,
    ExtractorError,
    InputError,
    NotAPDF,
    NoTextLayer,
    TooLarge,
)
from .models import AgencyMatch, Metadata, Recommendation, Report, Section
from .normalise import AgencyRegistry
from .settings import Settings

__all__ = [
    "AgencyMatch",
    "AgencyRegistry",
    "CorruptPDF",
    "EmptyFile",
    "EncryptedPDF",
    "ExtractorError",
    "InputError",
    "Metadata",
    "NoTextLayer",
    "NotAPDF",
    "Recommendation",
    "Report",
    "Section",
    "Settings",
    "TooLarge",
    "Trace",
    "__version__",
    "debug_extract",
    "extract",
    "extract_many",
    "load_registry",
]
