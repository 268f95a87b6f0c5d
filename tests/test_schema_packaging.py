"""The wheel ships the record schema and the demo site, and an installed filmscrape loads them from itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

SCHEMA = REPO / "schemas" / "film_article.schema.json"
PACKAGED_SCHEMA = "filmscrape/_schemas/film_article.schema.json"
DEMO_SITE = REPO / "filmscrape" / "demo" / "site"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree with the installed hatchling: no build isolation, no index, no network.

    Building takes about a second here, so the test builds a real wheel instead of trusting the config.
    """
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
         "--wheel-dir", str(out), str(REPO)],
        check=True, capture_output=True, text=True, timeout=120,
    )
    (built,) = out.glob("filmscrape-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked_wheel(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    return target


def test_the_wheel_ships_the_schema_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read(PACKAGED_SCHEMA) == SCHEMA.read_bytes()


def test_the_wheel_ships_every_demo_site_file(wheel: Path) -> None:
    expected = {"filmscrape/demo/site/" + p.relative_to(DEMO_SITE).as_posix() for p in DEMO_SITE.rglob("*")
                if p.is_file()}
    with zipfile.ZipFile(wheel) as zf:
        shipped = {name for name in zf.namelist() if name.startswith("filmscrape/demo/site/")}
    assert expected and shipped == expected


def test_an_installed_copy_reads_its_packaged_schema_and_serves_its_demo_site(unpacked_wheel: Path) -> None:
    # A child process imports filmscrape from the unpacked wheel (PYTHONPATH puts it ahead of the editable
    # checkout). There is no schemas/ directory beside it, so the schema can only come from _schemas/.
    script = """
import json, urllib.request
from importlib import resources
import filmscrape, filmscrape.schema as schema
from filmscrape.demo.server import DemoServer
packaged = resources.files("filmscrape") / "_schemas" / "film_article.schema.json"
with DemoServer() as server:
    sitemap = urllib.request.urlopen(server.url("/sitemap.xml")).read().decode()
print(json.dumps({"package": filmscrape.__file__, "packaged": packaged.is_file(),
                  "schema": schema.json_schema(), "sitemap_has_index": "/echo/" in sitemap}))
"""
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, cwd=unpacked_wheel, capture_output=True,
                          text=True, check=True, timeout=60)
    seen = json.loads(proc.stdout)
    assert Path(seen["package"]).is_relative_to(unpacked_wheel)
    assert seen["packaged"] is True
    assert seen["schema"] == json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert seen["sitemap_has_index"] is True
