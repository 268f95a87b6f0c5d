"""README.md says what is true: its snippets run on a real demo dataset, its tables match the schema and the
dependencies, its commands exist, and every CLI command it lists answers --help."""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from types import ModuleType
from typing import Any

import lxml.html
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from filmscrape.cli import COMMANDS, build_parser
from filmscrape.sites.profiles import parse_profile
from tests.conftest import REPO
from tests.demo_crawl import DemoRun

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    """The README's fenced code blocks in ``language``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", README, re.M | re.S)


def snippet(importing: str) -> str:
    (block,) = [b for b in code_blocks("python") if re.search(rf"^import {importing}\b", b, re.M)]
    return block


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the reading snippets, run on what the demo wrote -------------------------------------------------------------


@pytest.fixture(scope="module")
def expected(demo: DemoRun) -> pa.Table:
    """The demo dataset as plain pyarrow reads it, file by file, ignoring the partitioning."""
    return ds.dataset(demo.dataset_dir, format="parquet", partitioning=None).to_table()


def run_snippet(code: str, demo: DemoRun, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(demo.workdir)  # the snippets read data/dataset, relative, as a user would
    namespace: dict[str, Any] = {"__name__": "readme_snippet"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


@pytest.mark.slow
def test_pandas_snippet_reads_every_row_with_nullable_integers_and_utc_timestamps(
        demo: DemoRun, expected: pa.Table, monkeypatch: pytest.MonkeyPatch) -> None:
    ns = run_snippet(snippet("pandas"), demo, monkeypatch)
    df = ns["df"]
    assert len(df) == expected.num_rows > 0
    assert set(expected.column_names) | {"site_key", "crawl_date"} == set(df.columns)
    assert str(df["year"].dtype) == "int32[pyarrow]"
    assert str(df["fetched_at"].dtype) == "timestamp[us, tz=UTC][pyarrow]"
    assert all(isinstance(v, list) for v in df["directors"])
    assert len(ns["films"]) == sum(1 for y in expected.column("year").to_pylist() if y is not None)


@pytest.mark.slow
def test_polars_snippet_reads_every_row_with_the_arrow_types(
        demo: DemoRun, expected: pa.Table, monkeypatch: pytest.MonkeyPatch) -> None:
    import polars as pl

    ns = run_snippet(snippet("polars"), demo, monkeypatch)
    df = ns["df"]
    assert df.height == expected.num_rows > 0
    assert df.schema["year"] == pl.Int32
    assert df.schema["fetched_at"] == pl.Datetime("us", "UTC")
    assert df.schema["directors"] == pl.List(pl.String)
    assert {"site_key", "crawl_date"} <= set(df.columns)
    scored = ns["scores"]
    assert scored.height == expected.column("score").drop_null().length() > 0
    assert all(0 <= v <= 1 for v in scored["score_0_1"])


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")  # inside duckdb's .df(), not ours
def test_duckdb_snippet_reads_every_row_and_the_latest_version_per_url(
        demo: DemoRun, expected: pa.Table, monkeypatch: pytest.MonkeyPatch) -> None:
    ns = run_snippet(snippet("duckdb"), demo, monkeypatch)
    df, latest = ns["df"], ns["latest"]
    assert len(df) == expected.num_rows > 0
    assert len(latest) == len(set(expected.column("url").to_pylist()))
    assert str(df["year"].dtype) == "Int32"
    assert str(df["updated_at"].dtype).startswith("datetime64[us, ")
    assert df["score"].dropna().between(0, 1).all()


# -- the generated and hand-written tables ------------------------------------------------------------------------


def test_readme_schema_table_matches_the_json_schema() -> None:
    tool = load_tool("schema_table")
    schema = json.loads((REPO / "schemas" / "film_article.schema.json").read_text(encoding="utf-8"))
    assert tool.readme_table(README) == tool.schema_table(schema), "run: python tools/schema_table.py --write"


def test_readme_schema_table_has_a_row_per_schema_field_in_order() -> None:
    schema = json.loads((REPO / "schemas" / "film_article.schema.json").read_text(encoding="utf-8"))
    rows = re.findall(r"^\| `(\w+)` \|", load_tool("schema_table").readme_table(README), re.M)
    assert rows == list(schema["properties"])


def test_readme_explains_every_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = project["project"]["dependencies"] + [
        r for extra in project["project"]["optional-dependencies"].values() for r in extra]
    names = {re.split(r"[^A-Za-z0-9_.-]", r, maxsplit=1)[0].lower() for r in requirements}
    names.discard("filmscrape")
    section = README.split("## Dependencies", 1)[1].split("\n## ", 1)[0]
    explained = {n.strip().lower() for row in re.findall(r"^\| ([^|]+) \|", section, re.M) for n in row.split(",")}
    assert names - explained == set()


IMPORT_NAMES = {"beautifulsoup4": "bs4", "charset-normalizer": "charset_normalizer", "jsonschema-rs": "jsonschema_rs"}
DESIGN_CARD_ONLY = {"beautifulsoup4"}  # named by the design card, deliberately kept off the per-page path


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = {re.split(r"[^A-Za-z0-9_.-]", r, maxsplit=1)[0].lower() for r in project["project"]["dependencies"]}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "filmscrape").rglob("*.py"))
    unused = {name for name in names - DESIGN_CARD_ONLY
              if not re.search(rf"^\s*(?:import|from) {IMPORT_NAMES.get(name, name)}\b", source, re.M)}
    assert unused == set()


def test_readme_site_profile_example_is_a_valid_profile() -> None:
    (example,) = code_blocks("toml")
    profile = parse_profile(tomllib.loads(example), "README.md")
    assert profile.matches("https://www.echoscreen.example/movie/x-2025/ending-explained/")
    assert profile.page_kind_for("https://echoscreen.example/movie/x-2025/ending-explained/") == "ending_explained"
    assert not profile.crawl.should_follow("https://echoscreen.example/drafts/x/")


def test_readme_site_profile_selectors_pick_the_facts_on_a_page_built_that_way() -> None:
    # The example describes Echo Screen's markup; the demo site has a page of exactly that build.
    (example,) = code_blocks("toml")
    profile = parse_profile(tomllib.loads(example), "README.md")
    page = REPO / "filmscrape/demo/site/echo/movie/iron-lullaby-2025/ending-explained/index.html"
    root = lxml.html.fromstring(page.read_bytes())
    expected = {"film_title": "Iron Lullaby", "score": "66", "directors": "Sofia Marchetti"}
    assert set(profile.fields) == set(expected)
    for field, selectors in profile.fields.items():
        for selector in selectors:
            found = root.xpath(selector) if selector.startswith(("/", "(")) else root.cssselect(selector)
            assert [e.text_content().strip() for e in found][:1] == [expected[field]], selector
    path = "/echo/movie/iron-lullaby-2025/ending-explained/"
    assert profile.page_kind_for("https://echoscreen.example" + path) == "ending_explained"


# -- the commands it names ----------------------------------------------------------------------------------------


def test_readme_set_up_commands_are_make_targets_and_ci_runs_the_test_one() -> None:
    (setup,) = [b for b in code_blocks("sh") if "make demo" in b]
    commands = [line.split("#")[0].strip() for line in setup.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert ci[-1] == "make test"


def test_readme_lists_every_cli_command() -> None:
    listed = re.findall(r"^\| `filmscrape (\w+)", README, re.M)
    assert listed == COMMANDS


def test_every_cli_command_is_registered() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(subparsers.choices) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_answers_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: filmscrape {command}")


@pytest.mark.slow
def test_filmscrape_help_runs_as_a_program() -> None:
    proc = subprocess.run([sys.executable, "-m", "filmscrape.cli", "--help"], capture_output=True, text=True,
                          cwd=REPO, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert all(re.search(rf"^\s+{c}\s", proc.stdout, re.M) for c in COMMANDS)
