"""Where extract() runs during a crawl: inline on the reactor thread, in a thread, or in a pool of processes."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime

from filmscrape.extract import extract
from filmscrape.schema import Record

logger = logging.getLogger(__name__)

MODES = ("inline", "thread", "process")


class ExtractRunner:
    """Runs ``extract(body, url, fetched_at=..., headers=...)`` in the configured place.

    ``inline`` blocks the reactor for the duration of each extraction (simplest, no copies). ``thread`` frees
    the reactor only while extract() releases the GIL (lxml parsing). ``process`` runs extract() in ``workers``
    spawned processes: real parallelism on several cores, at the cost of pickling each body and record.
    """

    def __init__(self, mode: str = "inline", workers: int = 2) -> None:
        if mode not in MODES:
            raise ValueError(f"FILMSCRAPE_EXTRACT_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.workers = max(1, workers)
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.mode == "thread":
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="extract")
            else:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            logger.info("extracting in a %s pool of %d", self.mode, self.workers)
        return self._pool

    async def run(self, body: bytes, url: str, *, fetched_at: datetime, headers: Mapping[str, str]) -> Record:
        """The record for one page; raises what extract() raises."""
        if self.mode == "inline":
            return extract(body, url, fetched_at=fetched_at, headers=headers)
        future = self._executor().submit(extract, body, url, fetched_at=fetched_at, headers=dict(headers))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
