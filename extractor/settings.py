"""One dataclass holding every tunable of an extraction run."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class Settings:
    """Options for :func:`extractor.extract`.

    ``max_bytes``/``max_pages`` guard against enormous inputs; ``ocr`` chooses when
    pages without a text layer are OCR'd; ``agencies`` is an extra registry CSV that
    extends or overrides the bundled one; ``keep_names`` turns anonymisation off.
    ``ocr_cache`` is a folder where OCR'd pages are kept and reused (see ``ocr_cache``);
    ``None``, the default for the Python API, OCRs every time and writes nothing to disk.
    The command line uses the per-user cache folder unless told ``--no-ocr-cache``.
    """

    ocr: str = "auto"
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 5000
    agencies: Path | None = None
    keep_names: bool = False
    fuzzy_min_score: float = 88.0
    fuzzy_margin: float = 4.0
    ocr_cache: Path | None = None

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        if self.max_bytes <= 0 or self.max_pages <= 0:
            raise ValueError("max_bytes and max_pages must be positive")
        if isinstance(self.ocr_cache, str):  # from a dict of settings or a config file
            object.__setattr__(self, "ocr_cache", Path(self.ocr_cache).expanduser())

    def output_key(self) -> str:
        """The settings that change what an extraction outputs, as one readable string.

        A batch stores it with each document and skips a document only when it is
        unchanged: a rerun with ``--ocr auto`` after ``--ocr never`` must read the
        scanned reports it could not read before. ``ocr_cache`` only saves time, and
        ``agencies`` is covered by the registry's own version, so neither is part of it.
        """
        return (f"ocr={self.ocr};keep_names={int(self.keep_names)};"
                f"fuzzy={self.fuzzy_min_score:g}/{self.fuzzy_margin:g};"
                f"max_bytes={self.max_bytes};max_pages={self.max_pages}")

    @classmethod
    def resolve(cls, value: Settings | dict[str, Any] | None = None, **overrides: Any) -> Settings:
        """Accept ``None``, a dict of field values or a ``Settings``; apply overrides."""
        if value is None:
            base = cls()
        elif isinstance(value, Settings):
            base = value
        elif isinstance(value, dict):
            names = {f.name for f in fields(cls)}
            unknown = set(value) - names
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            base = cls(**value)
        else:
            raise TypeError(f"settings must be a Settings, dict or None, not {type(value).__name__}")
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **overrides) if overrides else base
