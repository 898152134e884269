"""The exception tree of dhr-extract.

Every error a user can cause is an ``ExtractorError`` with a non-empty message and a
short machine-readable ``kind``. The CLI turns any of them into one line on stderr and
exit code 1; a batch records ``kind`` and goes on::

    ExtractorError
    ├── InputError                 the file itself is unusable
    │   ├── FileMissing            kind "not_found"
    │   ├── NotAPDF                kind "not_a_pdf" (text, HTML error page saved as .pdf …)
    │   ├── EmptyFile              kind "empty" (0 bytes, or a PDF with 0 pages)
    │   ├── EncryptedPDF           kind "encrypted"
    │   ├── CorruptPDF             kind "corrupt"
    │   ├── NoTextLayer            kind "no_text" (scanned, OCR unavailable or off)
    │   ├── TooLarge               kind "too_large"
    │   └── ExtractionTimeout      kind "timeout"
    ├── FetchError                 kind "fetch" (downloads; see extractor.fetch)
    ├── ManifestError              kind "manifest" (a fetch manifest cannot be read)
    ├── RegistryError              kind "registry" (agency registry CSV)
    └── GoldenError                kind "golden" (golden files for `check`)

Foreign exceptions (PyMuPDF, httpx) are translated where they occur, with ``from exc``,
so callers only ever catch this tree.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class: a failure the user can understand and act on."""

    kind = "error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.message = message or self.__class__.__name__
        self.path = path
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def to_dict(self) -> dict[str, str]:
        """The ``error`` object of the output contract."""
        return {"kind": self.kind, "message": self.message}


class InputError(ExtractorError):
    """The input file cannot be read as a text PDF."""

    kind = "input"


class FileMissing(InputError):
    """The path does not exist or is not a readable file."""

    kind = "not_found"


class NotAPDF(InputError):
    """The bytes are not a PDF (plain text, an HTML page saved as .pdf, an image …)."""

    kind = "not_a_pdf"


class EmptyFile(InputError):
    """The file has no bytes, or the PDF has no pages."""

    kind = "empty"


class EncryptedPDF(InputError):
    """The PDF needs a password to open."""

    kind = "encrypted"


class CorruptPDF(InputError):
    """The PDF is damaged beyond what MuPDF can repair."""

    kind = "corrupt"


class NoTextLayer(InputError):
    """No page has extractable text and OCR is unavailable or disabled."""

    kind = "no_text"


class TooLarge(InputError):
    """The file exceeds the configured size or page limit."""

    kind = "too_large"


class ExtractionTimeout(InputError):
    """Extraction took longer than the per-document time limit."""

    kind = "timeout"


class FetchError(ExtractorError):
    """A download or index page could not be fetched or verified."""

    kind = "fetch"


class ManifestError(ExtractorError):
    """A fetch manifest (manifest.csv / manifest.jsonl) cannot be read."""

    kind = "manifest"


class RegistryError(ExtractorError):
    """The agency registry file is malformed."""

    kind = "registry"


class GoldenError(ExtractorError):
    """A golden file is missing or malformed."""

    kind = "golden"
