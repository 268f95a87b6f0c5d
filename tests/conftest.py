"""Shared test fixtures: paths to fixture pages and to the shared real-page set."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
REALPAGES = REPO.parent / "shared" / "realpages"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def realpages_dir() -> Path:
    """The shared real-page set, read in place; tests using it skip where it is absent."""
    if not (REALPAGES / "manifest.json").is_file():
        pytest.skip(f"real-page set not found at {REALPAGES} (it lives in ../shared/realpages beside the repo)")
    return REALPAGES
