"""Tesseract's hOCR output → lines of words with their boxes (pixels).

Parsing only: which lines, which words, where, how tall. What the OCR engine is asked
and how its lines become ``Line`` objects in PDF points is ``ocr``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_TITLE_FIELD = re.compile(r"(\w+)\s+([^;]+)")


@dataclass(slots=True)
class OcrLine:
    """One hOCR line in pixel coordinates."""

    bbox: tuple[float, float, float, float]
    x_size: float
    block: int
    baseline: float = 0.0  # hOCR's offset of the baseline from the bbox bottom (<= 0)
    words: list[str] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # one per word

    @property
    def text(self) -> str:
        return " ".join(self.words)


_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


def _title_fields(title: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for part in title.split(";"):
        match = _TITLE_FIELD.match(part.strip())
        if not match:
            continue
        try:
            out[match.group(1)] = [float(v) for v in match.group(2).split()]
        except ValueError:
            continue
    return out


class _HocrParser(HTMLParser):
    """Collect lines and their words from Tesseract's hOCR (nested spans)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[OcrLine] = []
        self.block = -1
        self._stack: list[str] = []  # the hOCR class of every open element
        self._word: list[str] | None = None
        self._word_conf = 100.0
        self._word_box: tuple[float, float, float, float] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        self._stack.append(cls)
        fields_ = _title_fields(a.get("title", ""))
        if cls == "ocr_par":
            self.block += 1
        elif cls in _LINE_CLASSES and len(fields_.get("bbox", [])) == 4:
            height = fields_["bbox"][3] - fields_["bbox"][1]
            size = (fields_.get("x_size") or [height])[0]
            offset = (fields_.get("baseline") or [0.0, 0.0])[-1]
            self.lines.append(
                OcrLine(tuple(fields_["bbox"]), size, max(self.block, 0), min(offset, 0.0))  # type: ignore[arg-type]
            )
        elif cls == "ocrx_word":
            self._word = []
            self._word_conf = (fields_.get("x_wconf") or [100.0])[0]
            box = fields_.get("bbox", [])
            self._word_box = (box[0], box[1], box[2], box[3]) if len(box) == 4 else None

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        cls = self._stack.pop()
        if cls == "ocrx_word" and self._word is not None:
            word = clean_word("".join(self._word).strip())
            # Specks of noise come back as low-confidence punctuation: drop those only.
            if word and self.lines and (self._word_conf >= 20 or any(c.isalnum() for c in word)):
                line = self.lines[-1]
                line.words.append(word)
                line.boxes.append(self._word_box or line.bbox)
            self._word = None

    def handle_data(self, data: str) -> None:
        if self._word is not None:
            self._word.append(data)


_JUNK = "_|~¢©®`"  # glyphs Tesseract reads from specks and underlines next to words


def clean_word(word: str) -> str:
    """Strip noise glyphs clinging to a word ("10.2a_" → "10.2a"); keep real words as read."""
    core = word.strip(_JUNK)
    return core if any(c.isalnum() for c in core) else word


def parse_hocr(hocr: str) -> list[OcrLine]:
    """The non-empty lines of an hOCR document, in Tesseract's reading order."""
    parser = _HocrParser()
    parser.feed(hocr)
    parser.close()
    return [line for line in parser.lines if line.words]
