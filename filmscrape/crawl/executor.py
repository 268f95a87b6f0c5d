"""Where pages are read (hash, links, extract()) during a crawl: worker processes, the crawl's thread, or a thread.

``auto`` (the default) uses worker processes on a machine with more than one core (one per core but the one the
crawl process needs for itself), else the crawl's thread. ``process`` always uses workers, ``inline`` never;
``thread`` frees the reactor only while lxml releases the GIL. Until the first worker has started (about half a
second), pages are read inline, so short crawls never wait for workers.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from filmscrape.crawl.page import PageJob, PageResult, read_page
from filmscrape.crawl.pool import WorkerPool

logger = logging.getLogger(__name__)

MODES = ("auto", "inline", "thread", "process")


def usable_cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def resolve(mode: str, workers: int = 0) -> tuple[str, int]:
    """The mode and pool size a setting means: ``auto`` picks ``process`` with several cores, else ``inline``;
    ``workers`` 0 means one per core but one: the crawl process (downloads, validation, Parquet) needs a core
    of its own. On 2 cores one worker read as many pages per second as two (benchmarks/crawl_speed.py, 3
    interleaved runs each) for 0.4 ms less CPU per page: one start-up less, no three-way contention."""
    if mode not in MODES:
        raise ValueError(f"FILMSCRAPE_EXTRACT_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    cores = usable_cores()
    if mode == "auto":
        mode = "process" if cores > 1 else "inline"
    return mode, workers if workers > 0 else max(1, cores - 1)


class ExtractRunner:
    """Runs :func:`read_page` in the configured place; ``start`` once the event loop runs, ``close`` at the end."""

    def __init__(self, mode: str = "auto", workers: int = 0, timeout: float = 60.0) -> None:
        self.mode, self.workers = resolve(mode, workers)
        self.timeout = timeout
        self._pool: WorkerPool | None = None
        self._threads: ThreadPoolExecutor | None = None
        self.inline_while_starting = 0  # pages read inline because no worker was ready yet

    def start(self) -> None:
        """Start the worker processes now, so they are ready by the time the first pages arrive."""
        if self.mode == "process" and self._pool is None:
            self._pool = WorkerPool(self.workers, self.timeout)
            self._pool.start()
        elif self.mode == "thread" and self._threads is None:
            self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="extract")
            logger.info("extracting in %d threads", self.workers)

    @property
    def restarts(self) -> int:
        """Worker processes started again after one died or was killed."""
        return self._pool.restarts if self._pool is not None else 0

    async def read(self, job: PageJob) -> PageResult:
        """What ``job``'s page says; extraction errors come back in the result, never raised."""
        if self.mode == "inline":
            return read_page(job)
        self.start()
        if self._threads is not None:
            return await asyncio.wrap_future(self._threads.submit(read_page, job))
        assert self._pool is not None
        if not self._pool.ready:
            self.inline_while_starting += 1
            return read_page(job)
        return await self._pool.submit(job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._threads is not None:
            self._threads.shutdown(wait=True, cancel_futures=True)
            self._threads = None
