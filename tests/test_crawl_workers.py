"""An extraction worker that dies or hangs costs its page only: a typed error for it, the other pages go on."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

import pytest

from filmscrape.crawl.page import EXTRACT_CRASHED, EXTRACT_TIMEOUT, PageJob, PageResult, read_page
from filmscrape.crawl.pool import PER_WORKER, WorkerPool
from tests.crawl_support.faults import film_page

pytestmark = pytest.mark.slow

ORIGIN = "http://films.example"
FETCHED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def job(n: int) -> PageJob:
    return PageJob(f"{ORIGIN}/film-{n}/", film_page(n), "text/html; charset=utf-8", FETCHED,
                   want_record=True)


async def started(pool: WorkerPool) -> int:
    """Start the pool, wait until its worker is ready, and return that worker's pid."""
    pool.start()
    for _ in range(600):
        if pool.ready:
            break
        await asyncio.sleep(0.01)
    assert pool.ready, "the worker did not start"
    (worker,) = pool._workers
    return worker.proc.pid


async def frozen_then(pool: WorkerPool, jobs: list[PageJob], sig: signal.Signals) -> list[PageResult]:
    """Freeze the worker (SIGSTOP), hand it ``jobs``, send it ``sig`` (SIGKILL), and await every result."""
    pid = await started(pool)
    os.kill(pid, signal.SIGSTOP)
    futures = [pool.submit(j) for j in jobs]
    await asyncio.sleep(0.2)
    if sig is not signal.SIGSTOP:
        os.kill(pid, sig)
    try:
        return list(await asyncio.wait_for(asyncio.gather(*futures), 60))
    finally:
        pool.close()


def test_a_killed_worker_costs_the_page_it_held_and_a_new_worker_reads_the_rest() -> None:
    pool = WorkerPool(1, timeout=0)
    results = asyncio.run(frozen_then(pool, [job(1), job(2), job(3)], signal.SIGKILL))
    first, *rest = results
    assert first.record is None and first.error == EXTRACT_CRASHED
    assert "died" in first.detail
    assert first.sha == read_page(job(1)).sha and first.links == read_page(job(1)).links  # still followed
    assert [r.record["fetched_url"] for r in rest if r.record] == [f"{ORIGIN}/film-2/", f"{ORIGIN}/film-3/"]
    assert pool.restarts == 1


def test_a_page_that_takes_longer_than_the_timeout_is_an_error_and_its_worker_is_replaced() -> None:
    pool = WorkerPool(1, timeout=0.5)
    results = asyncio.run(frozen_then(pool, [job(1), job(2)], signal.SIGSTOP))  # a stopped worker hangs
    assert results[0].record is None and results[0].error == EXTRACT_TIMEOUT
    assert results[1].record is not None and results[1].error is None
    assert pool.restarts == 1


def test_a_worker_returns_what_read_page_returns_inline() -> None:
    async def through_pool() -> PageResult:
        pool = WorkerPool(1)
        await started(pool)
        try:
            return await asyncio.wait_for(pool.submit(job(4)), 60)
        finally:
            pool.close()

    assert asyncio.run(through_pool()) == read_page(job(4))


def test_more_jobs_than_a_worker_holds_at_once_all_get_their_results() -> None:
    async def through_pool() -> list[PageResult]:
        pool = WorkerPool(1)
        await started(pool)
        try:
            futures = [pool.submit(job(n)) for n in range(PER_WORKER * 2 + 3)]  # sent in batches, the rest wait
            return list(await asyncio.wait_for(asyncio.gather(*futures), 60))
        finally:
            pool.close()

    results = asyncio.run(through_pool())
    assert [r.record["fetched_url"] for r in results if r.record] == [
        f"{ORIGIN}/film-{n}/" for n in range(PER_WORKER * 2 + 3)]


def test_workers_that_cannot_start_leave_the_pages_to_the_crawl_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.executable", "/bin/false")  # every worker exits before it is ready

    async def through_pool() -> PageResult:
        pool = WorkerPool(2)
        pool.start()
        try:
            for _ in range(500):
                if pool.broken:
                    break
                await asyncio.sleep(0.01)
            assert pool.broken
            return await asyncio.wait_for(pool.submit(job(5)), 60)
        finally:
            pool.close()

    assert asyncio.run(through_pool()) == read_page(job(5))
