"""The latest-version view: per URL the version fetched last, as a table, a Parquet file and a CLI command."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from filmscrape.cli import main
from filmscrape.dataset.latest import latest_table, write_latest
from filmscrape.schema import Record
from tests.support_dataset import fixture_records, run_pipelines


def version(record: Record, days: int, sha: str, crawl_id: str) -> Record:
    return {**record, "fetched_at": record["fetched_at"] + timedelta(days=days), "content_sha256": sha,
            "crawl_id": crawl_id, "title": f"{record['title']} (v{days})"}


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    first = fixture_records()[0]
    run_pipelines(tmp_path, fixture_records(), crawl_id="c1")
    run_pipelines(tmp_path, [version(first, 7, "7" * 64, "c2")], crawl_id="c2")
    run_pipelines(tmp_path, [version(first, 3, "3" * 64, "c3")], crawl_id="c3")  # fetched later, dated earlier
    return tmp_path


def test_latest_picks_the_greatest_fetched_at_per_url(versions: Path) -> None:
    latest = latest_table(versions)
    assert latest.num_rows == 4
    by_site = {r["site"]: r for r in latest.to_pylist()}
    assert by_site["echo-reviews.net"]["content_sha256"] == "7" * 64


def test_latest_view_file_is_one_parquet_file(versions: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "latest.parquet"
    assert write_latest(versions, out) == 4
    assert pq.read_table(out).num_rows == 4
    assert not list(out.parent.glob(".*"))


def test_cli_latest_writes_a_file(versions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "latest.parquet"
    assert main(["latest", str(versions), "-o", str(out)]) == 0
    assert "4 latest rows" in capsys.readouterr().out
    assert pq.read_table(out).num_rows == 4


def test_cli_latest_prints_jsonl(versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latest", str(versions / "dataset")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 4 and len({r["url"] for r in rows}) == 4


def test_latest_of_an_empty_dataset_is_empty(tmp_path: Path) -> None:
    assert latest_table(tmp_path).num_rows == 0


def test_cli_latest_jsonl_rows_are_valid_records_in_json_form(versions: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Printed rows match what ``filmscrape extract`` prints: ISO 8601 UTC timestamps, provenance as an object."""
    from filmscrape.schema import validator

    assert main(["latest", str(versions / "dataset")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(r["fetched_at"].endswith("Z") and "T" in r["fetched_at"] for r in rows)
    assert all(list(validator().iter_errors(r)) == [] for r in rows)


def test_cli_latest_piped_into_a_reader_that_stops_early_exits_quietly(versions: Path) -> None:
    import subprocess
    import sys

    cmd = f"{sys.executable} -m filmscrape.cli latest {versions / 'dataset'} | head -n 1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, check=False)
    assert len(done.stdout.splitlines()) == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
