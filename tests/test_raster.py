"""Table borders found in page images (extractor.raster), tilted the way scanners tilt."""

from __future__ import annotations

import numpy as np
import pytest

from extractor import raster, ruling
from extractor.ruling import Segment

DPI = 200
SCALE = 72.0 / DPI
ROWS = (300, 620, 960, 1300)  # border rows (pixels, on the untilted page)
COLS = (200, 330, 1150, 1450)  # border columns


def _page(*, slope: float = 0.0, lean: float | None = None, seed: int = 1, text: bool = True,
          grid: bool = True, width: int = 1654, height: int = 2339, thick: int = 3) -> np.ndarray:
    """A grey page at 200 dpi: paper grain, word-sized ink blobs and (optionally) a grid.

    A point (u, v) of the untilted page lands at x = u + lean·v, y = v + slope·u, so
    horizontal borders tilt by ``slope`` and vertical ones lean by ``lean``; a pure
    rotation has lean = -slope.
    """
    lean = -slope if lean is None else lean
    rng = np.random.default_rng(seed)
    img = np.clip(rng.normal(242, 4, (height, width)), 0, 255).astype(np.uint8)
    if text:  # lines of "words": blobs 12 px tall, 20–90 px long, 10 px apart
        for top in range(1400, 2250, 40):
            x = 150
            while x < 1450:
                length = int(rng.integers(20, 90))
                img[top:top + 12, x:x + length:3] = 40  # strokes, not solid bars
                x += length + 10
    if grid:
        us, vs = np.arange(COLS[0], COLS[-1] + 3), np.arange(ROWS[0], ROWS[-1] + 3)
        for row in ROWS:
            for t in range(thick):
                img[np.rint(row + t + slope * us).astype(int), np.rint(us + lean * (row + t)).astype(int)] = 30
        for col in COLS:
            for t in range(thick):
                img[np.rint(vs + slope * (col + t)).astype(int), np.rint(col + t + lean * vs).astype(int)] = 30
    return img


def _h(rulings: raster.Rulings) -> list[Segment]:
    return sorted((s for s in rulings.segments if s.horizontal), key=lambda s: s.pos)


@pytest.mark.parametrize("slope", [0.0, 0.012, -0.02])
def test_a_tilted_grid_is_found_level_in_the_deskewed_frame(slope: float) -> None:
    rulings = raster.find_rulings(_page(slope=slope), DPI)
    assert rulings.slope == pytest.approx(slope, abs=0.001)
    assert rulings.lean == pytest.approx(-slope, abs=0.001)
    horizontal, vertical = _h(rulings), sorted(rulings.vertical, key=lambda s: s.pos)
    assert len(horizontal) == len(ROWS) and len(vertical) == len(COLS)
    # each border lies where it was drawn (1 px of thickness rounding either way)
    for seg, row in zip(horizontal, ROWS, strict=True):
        assert seg.pos == pytest.approx((row + 1) * SCALE, abs=2 * SCALE)
        assert seg.b - seg.a == pytest.approx((COLS[-1] - COLS[0]) * SCALE, rel=0.02)
    for seg, col in zip(vertical, COLS, strict=True):
        assert seg.pos == pytest.approx((col + 1) * SCALE, abs=2 * SCALE)


def test_a_scanner_that_stretches_one_axis_gets_its_own_lean() -> None:
    rulings = raster.find_rulings(_page(slope=-0.0045, lean=0.0035), DPI)
    assert rulings.slope == pytest.approx(-0.0045, abs=0.001)
    assert rulings.lean == pytest.approx(0.0035, abs=0.001)
    assert len(_h(rulings)) == len(ROWS) and len(rulings.vertical) == len(COLS)


def test_the_grid_reads_back_as_a_table_with_words_in_their_cells() -> None:
    rulings = raster.find_rulings(_page(slope=0.015), DPI)
    # a word in the middle of the second row, second column, where the tilt put it
    u, v = (COLS[1] + COLS[2]) / 2, (ROWS[1] + ROWS[2]) / 2
    x, y = (u - 0.015 * v) * SCALE, (v + 0.015 * u) * SCALE
    word = (*rulings.frame_box((x - 20, y - 4, x + 20, y + 4)), "Police")
    tables = ruling.tables_from_segments(list(rulings.segments), [word], page=3)
    assert len(tables) == 1
    cells = [[c.text if c else None for c in row] for row in tables[0].rows]
    assert len(cells) == 3 and len(cells[0]) == 3
    assert cells[1][1] == "Police"


def test_a_large_render_is_searched_shrunk_and_hairlines_survive() -> None:
    # 3308 x 4678 pixels (15 MP, a poster-sized OCR render) with one-pixel borders: the
    # search runs on a 2x2 min-pooled copy and still finds every border, in points
    big = _page(slope=0.01, width=3308, height=4678, thick=1)
    rulings = raster.find_rulings(big, DPI)
    assert len(_h(rulings)) == len(ROWS) and len(rulings.vertical) == len(COLS)
    assert _h(rulings)[0].pos == pytest.approx(ROWS[0] * SCALE, abs=3 * SCALE)


def test_text_and_underlines_alone_are_not_borders() -> None:
    img = _page(grid=False)
    img[850:853, 150:1400] = 30  # an underline: long, but it crosses nothing
    img[600:700, 500:515] = 30  # the stem of a large heading letter
    assert raster.find_rulings(img, DPI).segments == ()


def test_a_filled_bar_is_not_a_border() -> None:
    img = _page(text=False)
    img[100:160, 200:1450] = 20  # a black header band, 60 px thick
    rulings = raster.find_rulings(img, DPI)
    assert all(not (100 * SCALE <= s.pos <= 160 * SCALE) for s in _h(rulings))


def test_blank_and_degenerate_images() -> None:
    assert raster.find_rulings(np.full((400, 300), 250, np.uint8), DPI).segments == ()
    assert raster.find_rulings(np.zeros((0, 0), np.uint8), DPI).segments == ()


def test_frame_mapping_undoes_the_tilt() -> None:
    rulings = raster.Rulings((), slope=0.02, lean=-0.02)
    # two points on one tilted horizontal border map to the same frame y
    assert rulings.to_frame(0, 100)[1] == pytest.approx(rulings.to_frame(500, 110)[1])
    # and two on a tilted vertical border to the same frame x
    assert rulings.to_frame(300, 0)[0] == pytest.approx(rulings.to_frame(298, 100)[0])


def test_merge_joins_pieces_of_one_border_whatever_their_order() -> None:
    # A border read from a scan wavers: a short piece at 62.9 sorts before the long one
    # at 63.8 (both one border); the joined border must keep the long piece's start.
    pieces = [Segment(False, 63.36, 171.9, 201.6), Segment(False, 62.88, 651.9, 697.2),
              Segment(False, 63.77, 104.4, 710.4), Segment(True, 105.0, 63.0, 528.0)]
    merged = ruling.merge_segments(pieces)
    vertical = [s for s in merged if not s.horizontal]
    assert len(vertical) == 1
    assert (vertical[0].pos, vertical[0].a, vertical[0].b) == (63.77, 104.4, 710.4)


def test_merge_keeps_separate_pieces_apart() -> None:
    merged = ruling.merge_segments([Segment(True, 50.0, 0.0, 100.0), Segment(True, 50.5, 300.0, 400.0),
                                    Segment(True, 80.0, 0.0, 100.0)])
    assert sorted((s.pos, s.a, s.b) for s in merged) == [(50.0, 0.0, 100.0), (50.5, 300.0, 400.0),
                                                         (80.0, 0.0, 100.0)]
