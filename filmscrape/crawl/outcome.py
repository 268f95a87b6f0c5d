"""Maps how a crawl ended to the exit code ``filmscrape crawl`` returns (``scrapy crawl`` always exits 0)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from filmscrape.crawl.errors import STATS_PREFIX


class ExitCode(IntEnum):
    """The exit codes of ``filmscrape crawl``, as documented in its ``--help``."""

    OK = 0            # finished; errors (if any) at or under the threshold
    NOT_STARTED = 1   # bad arguments or settings: the crawl could not start
    FAILED = 2        # finished, but errors above the threshold, or nothing at all was fetched
    INTERRUPTED = 3   # stopped early by a signal (Ctrl-C, SIGTERM); resume it with the same --jobdir


EXIT_CODES_HELP = """exit codes:
  0  the crawl finished; fetch errors, if any, at or under --max-error-rate
  1  the crawl could not start (bad arguments, unreadable site profiles, bad settings)
  2  the crawl finished with a fetch-error rate above --max-error-rate, or fetched nothing at all
  3  the crawl was interrupted (SIGINT/SIGTERM); rerun with the same --jobdir to resume"""


@dataclass(frozen=True)
class Outcome:
    """The exit code and a one-line reason for it."""

    code: ExitCode
    reason: str


def error_count(stats: Mapping[str, Any]) -> int:
    """All ``filmscrape/errors/<kind>`` counters added up."""
    return sum(int(v) for k, v in stats.items() if k.startswith(STATS_PREFIX))


def judge(stats: Mapping[str, Any], max_error_rate: float) -> Outcome:
    """Decide the exit code from a finished crawl's stats."""
    if "start_time" not in stats:
        return Outcome(ExitCode.NOT_STARTED, "the crawl did not start (see the log above)")
    reason = str(stats.get("finish_reason", ""))
    if reason == "shutdown":
        return Outcome(ExitCode.INTERRUPTED, "interrupted by a signal")
    if reason and reason != "finished" and not reason.startswith("closespider_"):
        return Outcome(ExitCode.FAILED, f"the crawl ended abnormally: {reason}")
    responses = int(stats.get("filmscrape/responses", 0))
    if responses == 0:
        return Outcome(ExitCode.FAILED, "nothing was fetched")
    errors = error_count(stats)
    attempts = responses + int(stats.get("filmscrape/failures", 0))
    rate = errors / max(attempts, 1)
    if rate > max_error_rate:
        return Outcome(ExitCode.FAILED, f"error rate {rate:.1%} ({errors} errors) is above {max_error_rate:.1%}")
    return Outcome(ExitCode.OK, f"finished with {errors} errors ({rate:.1%})")
