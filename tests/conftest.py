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


@pytest.fixture(autouse=True)
def _private_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI keeps OCR'd pages in the per-user cache folder: a fresh one per test,
    never the real one (platformdirs follows XDG_CACHE_HOME on Linux)."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is not present")
    return path


@pytest.fixture
def samples_dir() -> Path:
    return ROOT / "samples"


# --------------------------------------------------------------------------- fetch site
@pytest.fixture(scope="module")
def server():
    """A local HTTP server on 127.0.0.1 for the fetch tests (see _fetch_site.py)."""
    from _fetch_site import serving

    with serving() as running:
        yield running


@pytest.fixture
def site(server):
    """A fresh fixture Library site on ``server`` (handlers reset per test)."""
    from _fetch_site import new_site

    return new_site(server)
