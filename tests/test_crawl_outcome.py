"""``filmscrape crawl`` turns how a crawl ended into an exit code cron can act on (``scrapy crawl`` exits 0)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from filmscrape.crawl.outcome import ExitCode, judge

STARTED = datetime(2025, 6, 9, tzinfo=UTC)


def stats(**values: Any) -> dict[str, Any]:
    return {"start_time": STARTED, "finish_reason": "finished", "filmscrape/responses": 100, **values}


def test_a_clean_crawl_is_ok() -> None:
    assert judge(stats(), 0.2).code is ExitCode.OK


def test_errors_at_the_threshold_are_still_ok() -> None:
    assert judge(stats(**{"filmscrape/errors/not_found": 20}), 0.2).code is ExitCode.OK


def test_errors_above_the_threshold_fail() -> None:
    outcome = judge(stats(**{"filmscrape/errors/timeout": 15, "filmscrape/errors/server_error": 10,
                             "filmscrape/failures": 25}), 0.1)
    assert outcome.code is ExitCode.FAILED
    assert "25 errors" in outcome.reason


def test_a_crawl_that_fetched_nothing_fails() -> None:
    assert judge(stats(**{"filmscrape/responses": 0}), 0.2).code is ExitCode.FAILED


def test_a_crawl_stopped_by_a_signal_is_interrupted() -> None:
    assert judge(stats(finish_reason="shutdown"), 0.2).code is ExitCode.INTERRUPTED


def test_a_crawl_closed_by_a_closespider_limit_is_judged_on_its_errors() -> None:
    assert judge(stats(finish_reason="closespider_pagecount"), 0.2).code is ExitCode.OK


def test_a_crawl_that_never_started_is_not_started() -> None:
    assert judge({}, 0.2).code is ExitCode.NOT_STARTED


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "filmscrape.cli", "crawl", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("args", "message"), [
    (["ftp://films.example/"], "not an http(s) URL"),
    (["--site", "no-such-site", "http://127.0.0.1:9/"], "unknown site profile"),
    (["--max-error-rate", "3", "http://127.0.0.1:9/"], "--max-error-rate"),
    (["-s", "NOEQUALS", "http://127.0.0.1:9/"], "--set expects NAME=VALUE"),
])
def test_bad_arguments_exit_1_before_crawling(args: list[str], message: str) -> None:
    proc = cli(*args)
    assert proc.returncode == 1
    assert message in proc.stderr


def test_help_documents_the_exit_codes() -> None:
    proc = cli("--help")
    assert proc.returncode == 0
    for line in ("0  the crawl finished", "1  the crawl could not start", "2  the crawl finished with",
                 "3  the crawl was interrupted"):
        assert line in proc.stdout


@pytest.mark.slow
def test_a_crawl_of_an_unreachable_site_exits_2(tmp_path: Any) -> None:
    proc = cli("http://127.0.0.1:9/", "-o", str(tmp_path), "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=ERROR")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "exit 2" in proc.stdout
