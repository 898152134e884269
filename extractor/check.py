"""Score extraction against golden files, for regression testing (``dhr-extract check``).

Rows are matched one-to-one by text: both texts are normalised (case, quotes, dashes,
bullet glyphs, line-end hyphenation, whitespace) and a golden row and a predicted row can
pair when rapidfuzz ``fuzz.ratio`` is at least 90. Pairs are assigned greedily by score,
best first (ties go to the pair closest in reading order), which is optimal in practice
because distinct recommendations score far below 90 against each other.

Per document and overall (micro-averaged) we report precision, recall, F1, id accuracy
and addressee accuracy over matched rows, and how many metadata fields are right. Every
missed, spurious and changed row is listed with a short diff so a regression can be read
row by row.
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .errors import ExtractorError, GoldenError
from .io.golden import META_FIELDS, read_golden
from .models import Recommendation, Report

log = logging.getLogger(__name__)

MATCH_THRESHOLD = 90.0
DEFAULT_THRESHOLDS: dict[str, float] = {
    "min_f1": 1.0, "min_id_accuracy": 0.98, "min_addressee_accuracy": 0.0, "min_metadata_accuracy": 0.0, "per_document_min_f1": 1.0,
}
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "´": "'", "`": "'"})
_DASHES = re.compile(r"[‐‑‒–—―−]")
_BULLETS = re.compile(r"[•▪●◦■□➢✓\uf0b7\uf0a7]")


def normalise_text(text: str | None) -> str:
    """Fold the differences a PDF layout introduces but a reader ignores."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    text = _DASHES.sub("-", text)
    text = _BULLETS.sub(" ", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # hyphen at a line end
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)  # the same, once lines were joined
    return re.sub(r"\s+", " ", text).strip().casefold()


def normalise_id(value: str | None) -> str | None:
    """Ids compare without surrounding space, case, or a trailing full stop or colon;
    everything else ("Recommendation 3", "9.1 a" vs "9.1a") must be as printed."""
    if value is None:
        return None
    value = re.sub(r"\s+", " ", str(value)).strip().rstrip(".:").casefold()
    return value or None


def _raw_name(value: str | None) -> str:
    """A raw addressee for comparison: "That the Home Office …" may be read with or without "the"."""
    return re.sub(r"^the\s+", "", normalise_text(value))


def _names(values: list[str] | None) -> set[str]:
    return {normalise_text(v) for v in values or [] if v and v.strip()}


@dataclass(slots=True)
class RowDiff:
    """One row that is missing, spurious or changed, with a short human-readable diff."""

    kind: str  # missed | spurious | changed
    golden_id: str | None = None
    predicted_id: str | None = None
    text: str = ""
    score: float | None = None
    changes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DocScore:
    """Scores for one document (or, for ``CheckResult.overall``, for all of them)."""

    name: str
    golden: int = 0
    predicted: int = 0
    matched: int = 0
    id_correct: int = 0
    addressee_correct: int = 0
    raw_addressee_correct: int = 0
    metadata_correct: int = 0
    metadata_total: int = 0
    min_f1: float | None = None
    error: str | None = None
    diffs: list[RowDiff] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0 if not self.error else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.golden if self.golden else 1.0 if not self.error else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def id_accuracy(self) -> float:
        return self.id_correct / self.matched if self.matched else 1.0

    @property
    def addressee_accuracy(self) -> float:
        return self.addressee_correct / self.matched if self.matched else 1.0

    @property
    def raw_addressee_accuracy(self) -> float:
        """Raw addressee strings that agree (ratio ≥ 90): useful before normalisation exists."""
        return self.raw_addressee_correct / self.matched if self.matched else 1.0

    @property
    def passed(self) -> bool:
        return self.error is None and (self.min_f1 is None or self.f1 >= self.min_f1 - 1e-9)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("name", "golden", "predicted", "matched", "metadata_correct", "metadata_total", "min_f1", "error")}
        for k in ("precision", "recall", "f1", "id_accuracy", "addressee_accuracy", "raw_addressee_accuracy"):
            out[k] = round(getattr(self, k), 4)
        out["passed"] = self.passed
        out["diffs"] = [asdict(d) for d in self.diffs]
        return out


@dataclass(slots=True)
class CheckResult:
    """All documents' scores, the overall score, the thresholds and what failed."""

    documents: list[DocScore]
    overall: DocScore
    thresholds: dict[str, float]
    failures: list[str]

    @property
    def raw_addressee_accuracy(self) -> float:
        """Raw addressee strings that agree (ratio ≥ 90): useful before normalisation exists."""
        return self.raw_addressee_correct / self.matched if self.matched else 1.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "failures": list(self.failures),
            "thresholds": dict(self.thresholds),
            "overall": self.overall.to_dict(),
            "documents": [d.to_dict() for d in self.documents],
        }


def load_thresholds(golden_dir: str | Path) -> tuple[dict[str, float], dict[str, float]]:
    """Overall thresholds and per-document F1 overrides from ``golden/thresholds.toml``."""
    path = Path(golden_dir) / "thresholds.toml"
    limits = dict(DEFAULT_THRESHOLDS)
    per_doc: dict[str, float] = {}
    if not path.exists():
        return limits, per_doc
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GoldenError(f"cannot read thresholds ({exc})", path=str(path)) from exc
    for key in ("min_f1", "min_id_accuracy", "min_addressee_accuracy", "min_metadata_accuracy"):
        if key in data.get("overall", {}):
            limits[key] = float(data["overall"][key])
    if "min_f1" in data.get("per_document", {}):
        limits["per_document_min_f1"] = float(data["per_document"]["min_f1"])
    for name, values in data.get("documents", {}).items():
        if "min_f1" in values:
            per_doc[name] = float(values["min_f1"])
    return limits, per_doc


def match_rows(golden: list[Recommendation], predicted: list[Recommendation]) -> list[tuple[int, int, float]]:
    """One-to-one (golden index, predicted index, score) pairs with score ≥ 90."""
    gtexts = [normalise_text(r.text) for r in golden]
    ptexts = [normalise_text(r.text) for r in predicted]
    candidates = []
    for i, g in enumerate(gtexts):
        for j, p in enumerate(ptexts):
            score = fuzz.ratio(g, p, score_cutoff=MATCH_THRESHOLD)
            if score:
                candidates.append((-score, abs(i - j), i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for neg, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j, -neg))
    return sorted(pairs)


def short_diff(old: str, new: str, width: int = 60) -> str:
    """The first differing stretch of two texts (with a word of context), as ``'old' → 'new'``."""
    a, b = old.split(), new.split()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            lo = " ".join(a[max(0, i1 - 1) : i2 + 1])[:width]  # one word of context each side
            hi = " ".join(b[max(0, j1 - 1) : j2 + 1])[:width]
            return f"'{lo}' → '{hi}'"
    return "(whitespace only)"


def _clip(text: str, width: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def score_document(name: str, golden: Report, predicted: Report) -> DocScore:
    """Compare one prediction with its golden."""
    doc = DocScore(name=name, golden=len(golden.recommendations), predicted=len(predicted.recommendations))
    if predicted.error:
        doc.error = f"extraction failed: {predicted.error.get('kind')}: {predicted.error.get('message')}"
    pairs = match_rows(golden.recommendations, predicted.recommendations)
    doc.matched = len(pairs)
    seen_g, seen_p = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    for i, j, score in pairs:
        g, p = golden.recommendations[i], predicted.recommendations[j]
        changes = []
        if normalise_id(g.id) == normalise_id(p.id):
            doc.id_correct += 1
        else:
            changes.append(f"id {g.id!r} → {p.id!r}")
        if _names(g.addressed_to) == _names(p.addressed_to):
            doc.addressee_correct += 1
        else:
            changes.append(f"addressed_to {g.addressed_to} → {p.addressed_to}")
        if fuzz.ratio(_raw_name(g.addressed_to_raw), _raw_name(p.addressed_to_raw)) >= MATCH_THRESHOLD:
            doc.raw_addressee_correct += 1
        if normalise_text(g.text) != normalise_text(p.text):
            changes.append(f"text ({score:.0f}): {short_diff(g.text, p.text)}")
        if changes:
            doc.diffs.append(RowDiff("changed", g.id, p.id, _clip(g.text), score, changes))
    spare = [p for j, p in enumerate(predicted.recommendations) if j not in seen_p]
    for i, g in enumerate(golden.recommendations):
        if i not in seen_g:
            doc.diffs.append(RowDiff("missed", g.id, None, _clip(g.text), changes=_closest(g, spare)))
    for j, p in enumerate(predicted.recommendations):
        if j not in seen_p:
            doc.diffs.append(RowDiff("spurious", None, p.id, _clip(p.text)))
    gm, pm = golden.metadata, predicted.metadata
    for key in META_FIELDS:
        want = getattr(gm, key)
        if want is None:
            continue
        doc.metadata_total += 1
        if normalise_text(str(want)) == normalise_text(str(getattr(pm, key) or "")):
            doc.metadata_correct += 1
    return doc


def _closest(golden: Recommendation, spare: list[Recommendation]) -> list[str]:
    """For a missed row, the nearest unmatched prediction (why did it not match?)."""
    text = normalise_text(golden.text)
    best = max(spare, key=lambda p: fuzz.ratio(text, normalise_text(p.text)), default=None)
    if best is None:
        return []
    score = fuzz.ratio(text, normalise_text(best.text))
    if score < 50:
        return []
    return [f"closest [{best.id}] ({score:.0f}): {short_diff(golden.text, best.text)}"]


def _overall(docs: list[DocScore]) -> DocScore:
    total = DocScore(name="overall")
    for d in docs:
        for k in ("golden", "predicted", "matched", "id_correct", "addressee_correct", "raw_addressee_correct", "metadata_correct", "metadata_total"):
            setattr(total, k, getattr(total, k) + getattr(d, k))
    return total


def _default_extract(path: Path, registry: Any, manifests: Any) -> Report:
    """Extract as ``dhr-extract extract`` does, including a fetch manifest beside the PDF."""
    from .api import extract

    return extract(path, registry=registry, metadata=manifests.metadata_for(path))


def check(
    samples_dir: str | Path,
    golden_dir: str | Path,
    *,
    min_f1: float | None = None,
    registry: Any = None,
    extract_fn: Callable[[Path], Report] | None = None,
) -> CheckResult:
    """Extract every ``samples_dir/*.pdf`` and score it against ``golden_dir/<stem>.json``.

    ``min_f1`` overrides both the overall and the per-document F1 threshold.
    ``extract_fn`` replaces the extractor (tests use it to feed perturbed predictions).
    A PDF without a golden, or a golden without a PDF, is a failure.
    """
    samples, goldens = Path(samples_dir), Path(golden_dir)
    if not samples.is_dir():
        raise GoldenError("samples directory not found", path=str(samples))
    if not goldens.is_dir():
        raise GoldenError("golden directory not found", path=str(goldens))
    limits, per_doc = load_thresholds(goldens)
    if min_f1 is not None:
        limits["min_f1"] = limits["per_document_min_f1"] = float(min_f1)
        per_doc = {}
    from .manifest import ManifestResolver

    manifests = ManifestResolver(None)
    run = extract_fn or (lambda p: _default_extract(p, registry, manifests))
    pdfs = {p.stem: p for p in sorted(samples.glob("*.pdf"))}
    golden_files = {p.stem: p for p in sorted(goldens.glob("*.json"))}
    docs: list[DocScore] = []
    failures: list[str] = []
    for stem in sorted(set(pdfs) | set(golden_files)):
        if stem not in golden_files:
            failures.append(f"{stem}: golden missing ({goldens / (stem + '.json')})")
            docs.append(DocScore(name=stem, error="golden missing"))
            continue
        if stem not in pdfs:
            failures.append(f"{stem}: sample PDF missing ({samples / (stem + '.pdf')})")
            docs.append(DocScore(name=stem, error="sample missing"))
            continue
        try:
            golden = read_golden(golden_files[stem])
        except ExtractorError as exc:
            failures.append(f"{stem}: {exc}")
            docs.append(DocScore(name=stem, error=str(exc)))
            continue
        log.info("checking %s", stem)
        doc = score_document(stem, golden, run(pdfs[stem]))
        doc.min_f1 = per_doc.get(stem, limits["per_document_min_f1"])
        if not doc.passed:
            failures.append(doc.error and f"{stem}: {doc.error}" or f"{stem}: F1 {doc.f1:.3f} < {doc.min_f1:.3f}")
        docs.append(doc)
    overall = _overall([d for d in docs if d.error is None or d.error.startswith("extraction")])
    for key, value, label in (
        ("min_f1", overall.f1, "overall F1"),
        ("min_id_accuracy", overall.id_accuracy, "overall id accuracy"),
        ("min_addressee_accuracy", overall.addressee_accuracy, "overall addressee accuracy"),
        ("min_metadata_accuracy", overall.metadata_correct / max(overall.metadata_total, 1), "overall metadata accuracy"),
    ):
        if value < limits[key] - 1e-9:
            failures.append(f"{label} {value:.3f} < {limits[key]:.3f}")
    return CheckResult(documents=docs, overall=overall, thresholds=limits, failures=failures)
