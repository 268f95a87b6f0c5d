"""Makes JOBDIR resume safe after ``kill -9``: Scrapy's on-disk scheduler state only survives a clean stop.

With JOBDIR, Scrapy appends seen request fingerprints to ``requests.seen`` as requests are scheduled, but
writes the queue's index (``requests.queue/active.json``) only when the crawl closes. After a kill the
resumed crawl finds the seen set but no queue: the start URLs are filtered as seen, nothing is pending, and
the crawl "finishes" having skipped every page it had not fetched yet. So a marker file is kept in JOBDIR
while the crawl runs and removed when it closes; when a crawl starts and finds the marker, the previous
run was killed, and the unreliable scheduler state is removed so the crawl starts over from its start
URLs. Nothing is lost or duplicated: records already journaled or published stay, and the dedupe pipeline
drops a re-fetched page whose content has not changed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from filmscrape.dataset.durable import fsync_dir

logger = logging.getLogger(__name__)

MARKER = "filmscrape.running"
SCHEDULER_STATE = ("requests.seen", "requests.queue")


class JobdirGuard:
    """Detects a JOBDIR left by a killed crawl and clears its scheduler state before the scheduler opens."""

    def __init__(self, jobdir: str | Path) -> None:
        self.jobdir = Path(jobdir)
        self.marker = self.jobdir / MARKER

    def arm(self) -> bool:
        """Mark the crawl as running; returns True when the previous run was killed (its state is reset)."""
        self.jobdir.mkdir(parents=True, exist_ok=True)
        killed = self.marker.exists()
        if killed:
            previous = self.marker.read_text(encoding="utf-8", errors="replace").strip()
            logger.warning("JOBDIR %s was left by a crawl that did not stop cleanly (%s); Scrapy's scheduler "
                           "state is not kill-safe, so the crawl restarts from its start URLs", self.jobdir, previous)
            for name in SCHEDULER_STATE:
                path = self.jobdir / name
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.exists():
                    path.unlink()
        info = {"pid": os.getpid(), "started_at": datetime.now(UTC).isoformat()}
        self.marker.write_text(json.dumps(info), encoding="utf-8")
        fsync_dir(self.jobdir)
        return killed

    def disarm(self) -> None:
        """The crawl closed cleanly (the scheduler has written its state): drop the marker."""
        try:
            self.marker.unlink()
        except FileNotFoundError:
            return
        fsync_dir(self.jobdir)
