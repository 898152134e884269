"""Read and write golden files: the expected extraction of one sample PDF.

A golden is a subset of the output contract (``Report.to_dict()``)::

    {"file": "x.pdf", "pages": 24,
     "metadata": {"title", "csp", "published", "year_of_death"},
     "recommendations": [{"id", "text", "addressed_to": [...], "addressed_to_raw"}]}

Only what a person can check by reading the PDF is kept: page numbers, bounding boxes
and warnings are the extractor's business and would make goldens churn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import GoldenError
from ..models import Report

META_FIELDS = ("title", "csp", "published", "year_of_death")
REC_FIELDS = ("id", "text", "addressed_to", "addressed_to_raw")


def golden_dict(report: Report | dict[str, Any]) -> dict[str, Any]:
    """The golden form of a report (or of a report dict): only the checked fields."""
    data = report.to_dict() if isinstance(report, Report) else report
    meta = data.get("metadata") or {}
    return {
        "file": data.get("file"),
        "pages": data.get("pages"),
        "metadata": {k: meta.get(k) for k in META_FIELDS},
        "recommendations": [
            {k: (list(r.get(k) or []) if k == "addressed_to" else r.get(k)) for k in REC_FIELDS}
            for r in data.get("recommendations") or []
        ],
    }


def read_golden(path: str | Path) -> Report:
    """Load one golden as a ``Report`` (so it compares like a prediction)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GoldenError("golden file not found", path=str(path)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldenError(f"not a readable golden JSON file ({exc})", path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("recommendations"), list):
        raise GoldenError("golden has no 'recommendations' list", path=str(path))
    return Report.from_dict(golden_dict(data))


def write_golden(report: Report | dict[str, Any], path: str | Path) -> Path:
    """Write a golden (UTF-8, indented, trailing newline) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(golden_dict(report), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
