"""Plain typed data passed between the pipeline stages, and the public ``Report``.

Stage data (``Line``, ``Page``, ``Document``, ``Row``) is frozen so that no stage can
change what an earlier stage produced; a stage returns new objects instead.

``Report.to_dict()`` is the output contract that later features and outside checks rely
on. Fields may be added to it, never renamed or removed::

    {"file", "sha256", "pages", "extractor_version",
     "metadata": {"title", "csp", "published", "year_of_death", ...},
     "sections": [{"heading", "start_page", "end_page", ...}],
     "recommendations": [{"id", "text", "addressed_to", "addressed_to_raw",
                          "page", "bbox", ...}],
     "warnings": [...], "error": null | {"kind", "message"}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

BBox = tuple[float, float, float, float]


# --------------------------------------------------------------------------- stage data
@dataclass(frozen=True, slots=True)
class Line:
    """One visual line of text on a page, as PyMuPDF reports it.

    ``size`` is the dominant font size of the line, ``bold``/``italic`` are true when most
    of its characters are. ``page`` is 1-based. ``bbox`` is (x0, y0, x1, y1) in PDF points
    from the top-left corner.
    """

    text: str
    page: int
    bbox: BBox
    size: float = 10.0
    bold: bool = False
    italic: bool = False
    font: str = ""
    block: int = 0

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def bottom(self) -> float:
        return self.bbox[3]


@dataclass(frozen=True, slots=True)
class Page:
    """A page's lines in reading order plus its size (points)."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class TableCell:
    """The text of one table cell with its position."""

    text: str
    bbox: BBox


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table found on one page: rows of cells (``None`` where a cell is merged)."""

    page: int
    bbox: BBox
    rows: tuple[tuple[TableCell | None, ...], ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded PDF: its identity and its pages' text lines."""

    file: str
    sha256: str
    page_count: int
    pages: tuple[Page, ...]
    pdf_metadata: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[Line]:
        """All lines of the document in reading order."""
        return [line for page in self.pages for line in page.lines]


@dataclass(frozen=True, slots=True)
class Section:
    """A located recommendations section: its heading, page span and body lines.

    ``kind`` says what part of the report the section belongs to: ``main`` (the report's
    own recommendations chapter), ``agency`` (a single-agency subsection),
    ``conclusions``, ``exec_summary``, ``appendix`` or ``action_plan``. The output keeps one copy of each
    recommendation and prefers ``main`` wording.
    """

    heading: str
    start_page: int
    end_page: int
    kind: str = "main"
    lines: tuple[Line, ...] = ()
    level: int = 1
    parent: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "start_page": self.start_page,
            "end_page": self.end_page,
            "kind": self.kind,
            "parent": self.parent,
        }


@dataclass(frozen=True, slots=True)
class Row:
    """A recommendation as segmented, before addressees are normalised.

    ``agency_hint`` is an addressee found by layout (a table column, an agency
    subheading, an "Addressed to:" line); the addressees stage may fall back to the
    sentence's subject when it is empty.
    """

    id: str | None
    text: str
    page: int
    bbox: BBox
    section: str = ""
    section_kind: str = "main"
    agency_hint: str | None = None
    order: int = 0
    ocr: bool = False


# --------------------------------------------------------------------------- public output
@dataclass(slots=True)
class AgencyMatch:
    """How one raw addressee string was resolved against the agency registry."""

    input: str
    canonical: str | None
    kind: str | None
    method: str
    score: float
    matched: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "canonical": self.canonical,
            "kind": self.kind,
            "method": self.method,
            "score": round(self.score, 1),
            "matched": self.matched,
        }


@dataclass(slots=True)
class Recommendation:
    """One row of the output table."""

    id: str | None
    text: str
    addressed_to: list[str] = field(default_factory=list)
    addressed_to_raw: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    section: str = ""
    ocr: bool = False
    matches: list[AgencyMatch] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "addressed_to": list(self.addressed_to),
            "addressed_to_raw": self.addressed_to_raw,
            "page": self.page,
            "bbox": [round(v, 1) for v in self.bbox] if self.bbox else None,
            "section": self.section,
            "ocr": self.ocr,
            "matches": [m.to_dict() for m in self.matches],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recommendation:
        bbox = data.get("bbox")
        return cls(
            id=data.get("id"),
            text=data.get("text", ""),
            addressed_to=list(data.get("addressed_to") or []),
            addressed_to_raw=data.get("addressed_to_raw"),
            page=data.get("page"),
            bbox=tuple(bbox) if bbox else None,  # type: ignore[arg-type]
            section=data.get("section", ""),
            ocr=bool(data.get("ocr", False)),
            matches=[AgencyMatch(**m) for m in data.get("matches") or []],
        )


@dataclass(slots=True)
class Metadata:
    """Report-level facts. ``sources`` records where each field came from
    (``manifest``, ``pdf:cover``, ``pdf:text`` …).

    ``published`` is ``YYYY-MM``, or just ``YYYY`` when the report itself prints only a
    year or a season ("Published: 2021", "Spring 2020") and no manifest gives the month.
    """

    title: str | None = None
    csp: str | None = None
    published: str | None = None
    year_of_death: int | None = None
    source_url: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "csp": self.csp,
            "published": self.published,
            "year_of_death": self.year_of_death,
            "source_url": self.source_url,
            "sources": dict(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Metadata:
        data = data or {}
        return cls(
            title=data.get("title"),
            csp=data.get("csp"),
            published=data.get("published"),
            year_of_death=data.get("year_of_death"),
            source_url=data.get("source_url"),
            sources=dict(data.get("sources") or {}),
        )


@dataclass(slots=True)
class Report:
    """Everything extracted from one PDF. ``to_dict()`` is the output contract."""

    file: str
    sha256: str | None = None
    pages: int = 0
    extractor_version: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    sections: list[Section] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "sha256": self.sha256,
            "pages": self.pages,
            "extractor_version": self.extractor_version,
            "metadata": self.metadata.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "recommendations": [r.to_dict() for r in self.recommendations],
            "warnings": list(self.warnings),
            "error": self.error,
            "summary": self.summary,
        }
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON form (``to_dict`` output)."""
        known = {
            "file", "sha256", "pages", "extractor_version", "metadata", "sections",
            "recommendations", "warnings", "error", "summary",
        }
        return cls(
            file=data.get("file", ""),
            sha256=data.get("sha256"),
            pages=data.get("pages") or 0,
            extractor_version=data.get("extractor_version", ""),
            metadata=Metadata.from_dict(data.get("metadata")),
            sections=[
                Section(
                    heading=s.get("heading", ""),
                    start_page=s.get("start_page", 0),
                    end_page=s.get("end_page", 0),
                    kind=s.get("kind", "main"),
                    parent=s.get("parent", ""),
                )
                for s in data.get("sections") or []
            ],
            recommendations=[Recommendation.from_dict(r) for r in data.get("recommendations") or []],
            warnings=list(data.get("warnings") or []),
            error=data.get("error"),
            summary=data.get("summary"),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per recommendation, with the report's columns (for CSV/Parquet)."""
        base = {
            "file": self.file,
            "sha256": self.sha256,
            "title": self.metadata.title,
            "csp": self.metadata.csp,
            "published": self.metadata.published,
            "year_of_death": self.metadata.year_of_death,
        }
        rows = []
        for n, rec in enumerate(self.recommendations, start=1):
            rows.append(
                {
                    **base,
                    "row": n,
                    "id": rec.id,
                    "text": rec.text,
                    "addressed_to": "; ".join(rec.addressed_to),
                    "addressed_to_raw": rec.addressed_to_raw,
                    "page": rec.page,
                    "section": rec.section,
                    "ocr": rec.ocr,
                }
            )
        return rows

    def to_dataframe(self) -> pd.DataFrame:
        """The recommendations as a pandas DataFrame, one row each (see ``to_records``)."""
        import pandas as pd

        columns = [
            "file", "sha256", "title", "csp", "published", "year_of_death", "row", "id",
            "text", "addressed_to", "addressed_to_raw", "page", "section", "ocr",
        ]
        return pd.DataFrame(self.to_records(), columns=columns)
