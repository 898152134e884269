"""Stage 2, clean: furniture found by repetition; characters folded."""

from __future__ import annotations

import pytest

from extractor._text import clean_chars, join_lines
from extractor.clean import clean_document, is_page_number
from extractor.models import Document, Line, Page


def make_doc(pages: list[list[tuple[str, float]]]) -> Document:
    out = []
    for n, lines in enumerate(pages, start=1):
        out.append(Page(n, 595, 842, tuple(Line(t, n, (50, y, 500, y + 12)) for t, y in lines)))
    return Document("t.pdf", "0" * 64, len(out), tuple(out))


def test_running_header_footer_and_page_numbers_removed():
    pages = [
        [("OFFICIAL – SENSITIVE", 20), (f"Body text of page {n}.", 300), (f"Page {n} of 5", 810), ("Adult K Overview Report", 30)]
        for n in range(1, 6)
    ]
    cleaned = clean_document(make_doc(pages))
    texts = [ln.text for p in cleaned.pages for ln in p.lines]
    assert texts == [f"Body text of page {n}." for n in range(1, 6)]


def test_repeated_body_lines_are_kept():
    pages = [[("Recommendation", 300), ("Text", 320)] for _ in range(5)]
    cleaned = clean_document(make_doc(pages))
    assert sum(len(p.lines) for p in cleaned.pages) == 10


@pytest.mark.parametrize("text", ["12", "Page 3 of 48", "- 7 -", "3 | P a g e", "iv", "page 4"])
def test_is_page_number(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["1. Introduction", "2016", "Page layout matters"])
def test_is_not_page_number(text):
    assert not is_page_number(text)


def test_clean_chars_folds_ligatures_spaces_and_html():
    assert clean_chars("ofﬁcer\u00a0and\u00adsta\ufb00<br />") == "officer andstaff "
    assert clean_chars("\uf0b7 item") == "• item"
    assert clean_chars("the ‘in box’ – kept") == "the ‘in box’ – kept"


def test_join_lines_dehyphenates_but_keeps_compounds():
    assert join_lines(["the organis-", "ation should"]) == "the organisation should"
    assert join_lines(["a multi-", "agency meeting"]) == "a multi-agency meeting"
    assert join_lines(["Greater Manchester", "Police"]) == "Greater Manchester Police"
