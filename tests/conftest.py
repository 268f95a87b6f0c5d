"""Shared test fixtures: fixture pages, the shared real-page set, and one demo crawl per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_crawl import DemoRun, demo_run

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


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One real ``filmscrape demo`` run per test session, shared by the demo and README tests."""
    run = demo_run(tmp_path_factory)
    assert run.returncode == 0, f"filmscrape demo failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    return run
