"""Shared fixtures: paths to the project, its samples and the read-only shared material."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/pdfbuilder.py


def shared_dir() -> Path | None:
    """../shared beside the checkout (also in CI), or $DHR_SHARED; None when absent."""
    for candidate in (os.environ.get("DHR_SHARED"), ROOT.parent / "shared", Path("/work/shared")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is not present")
    return path


@pytest.fixture
def samples_dir() -> Path:
    return ROOT / "samples"
