"""A disk cache of OCR'd pages, so that re-extracting a scanned report skips Tesseract.

Why: OCR is by far the most expensive step. On the shared corpus it took 286 of 299 s
of CPU, while the text it produces depends only on the page image and the OCR setup,
not on the extractor. After an improvement to the extractor, a batch re-extracts
every report (``batch --force``) and would otherwise OCR every scan again. With this
cache, a re-extraction reads those pages back in milliseconds.

A page is stored under the PDF's SHA-256, its page number and a *fingerprint* of the
OCR setup (render resolution, page segmentation, language, Tesseract version, and
the version of the line format below). Changing any of these starts a fresh set of
entries, and the old ones are simply never read again. Each page is one small JSON
file, written to a temporary name and renamed into place. Concurrent workers and a
``kill -9`` can therefore never leave a half-written entry, and a document that timed
out keeps the pages it finished. An unreadable or malformed entry counts as a miss.
The cache never fails an extraction: if the folder cannot be written, a warning is
logged and the pages are OCR'd as usual.

Layout: ``<directory>/<fingerprint>/<sha256[:2]>/<sha256>/<page>.json``.

Example:
    >>> cache = OcrCache(Path("~/.cache/dhr-extract/ocr").expanduser(), ocr.fingerprint())
    >>> cache.get(sha, 3) is None            # not OCR'd yet
    True
    >>> cache.put(sha, 3, OcrPage(lines)); cache.get(sha, 3) == OcrPage(lines)
    True
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .models import Line
from .ruling import Rulings, Segment

log = logging.getLogger(__name__)

FORMAT_VERSION = 3  # bump when the stored fields change (2: table borders kept; 3: the page's turn)


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What OCR read on one page: its lines, and the table borders found in its image.

    The borders are kept with the lines so that re-extracting a scanned table, which
    reads the page from this cache, does not render the page again to find them.
    ``rulings`` is ``None`` when nobody looked for borders (an OCR hook that returns
    bare lines), not the same as an empty ``Rulings`` (looked, found none).

    ``rotation`` is how far (degrees clockwise: 0, 90, 180, 270) the page image was
    turned to stand upright before it was read (a scan fed in sideways or upside
    down). Lines and borders are in that upright frame, whose width and height are
    the displayed page's swapped for 90 and 270; the loader sizes the ``Page`` so.
    """

    lines: tuple[Line, ...]
    rulings: Rulings | None = None
    rotation: int = 0


def default_directory() -> Path:
    """The per-user cache folder for OCR'd pages (``platformdirs``' user cache dir)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("dhr-extract")) / "ocr"


@dataclass(frozen=True, slots=True)
class OcrCache:
    """OCR'd pages on disk, for one OCR setup (``fingerprint``).

    ``fingerprint`` is the setup's string, or a module-level function that gives it
    (``ocr.fingerprint``), called only when a page is looked up: finding Tesseract's
    version runs it, which a document with a text layer never needs.

    Plain data (a folder and a string or function), so it pickles to batch workers, and
    stateless: two processes may share one folder.
    """

    directory: Path
    fingerprint: str | Callable[[], str]

    def path(self, sha256: str, page: int) -> Path:
        """Where the entry for ``page`` (1-based) of the PDF with this hash lives."""
        setup = self.fingerprint() if callable(self.fingerprint) else self.fingerprint
        return self.directory / setup / sha256[:2] / sha256 / f"{page}.json"

    def get(self, sha256: str, page: int) -> OcrPage | None:
        """The page as stored (no lines for a page OCR found blank), or ``None``."""
        try:
            data = json.loads(self.path(sha256, page).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return None
            lines = tuple(
                Line(text, page, (x0, y0, x1, y1), size, bold, italic, font, block)
                for text, x0, y0, x1, y1, size, bold, italic, font, block in data["lines"]
            )
            borders = data["rulings"]
            rotation = int(data.get("rotation", 0))
            if borders is None:
                return OcrPage(lines, None, rotation)
            segments = tuple(Segment(bool(h), pos, a, b) for h, pos, a, b in borders["segments"])
            return OcrPage(lines, Rulings(segments, float(borders["slope"]), float(borders["lean"])), rotation)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("OCR cache entry %s unreadable (%s); OCR'ing the page again",
                        self.path(sha256, page), exc)
            return None

    def put(self, sha256: str, page: int, read: OcrPage) -> None:
        """Store the page atomically; log (never raise) when that fails."""
        target = self.path(sha256, page)
        rows = [
            [ln.text, *ln.bbox, ln.size, ln.bold, ln.italic, ln.font, ln.block] for ln in read.lines
        ]
        found = read.rulings
        borders = None if found is None else {
            "slope": found.slope, "lean": found.lean,
            "segments": [[int(s.horizontal), s.pos, s.a, s.b] for s in found.segments]}
        payload = json.dumps({"format": FORMAT_VERSION, "page": page, "rotation": read.rotation, "lines": rows,
                              "rulings": borders},
                             ensure_ascii=False)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{page}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("cannot write the OCR cache at %s: %s", self.directory, exc)
