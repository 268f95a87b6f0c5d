"""One real ``filmscrape demo`` run per test session, shared by the tests that need its output."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# A Twisted reactor starts once per process, so the crawl runs in a child process, exactly as a user runs it.
DEMO_TIMEOUT_SECONDS = 180
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DemoRun:
    """What one ``filmscrape demo -o DIR`` run left behind."""

    workdir: Path  # the directory the command ran in; README snippets run here too
    data_dir: Path  # workdir / "data"
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def dataset_dir(self) -> Path:
        return self.data_dir / "dataset"


def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """Run ``filmscrape demo`` in a fresh directory and return what it did (the session fixture calls it once)."""
    workdir = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "filmscrape.cli", "demo", "-o", "data", "--rows", "100"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=DEMO_TIMEOUT_SECONDS, check=False,
    )
    return DemoRun(workdir=workdir, data_dir=workdir / "data", returncode=proc.returncode, stdout=proc.stdout,
                   stderr=proc.stderr, seconds=time.monotonic() - started)
