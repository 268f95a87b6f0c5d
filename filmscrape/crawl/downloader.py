"""Scrapy's Downloader with CONCURRENT_REQUESTS_PER_DOMAIN enforced when DOWNLOAD_DELAY is 0.

Scrapy 2.19's ``Downloader._process_queue`` schedules each queued request as a coroutine and counts it as
transferring only once that coroutine runs; with no download delay its loop therefore starts every queued
request of a slot at once (12 requests in flight against a cap of 2, measured in
tests/test_crawl_politeness.py). This subclass counts a request as transferring when it is scheduled.
With a delay (the polite default) Scrapy already starts one request per delay, so nothing changes there.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class SlotCappedDownloader(Downloader):
    """Downloader whose per-slot concurrency holds with or without a download delay."""

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return  # a delayed call will process the queue
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # the fix: counted now; _download() adds it again and removes it
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)  # sets the latercall for the next request
                break
