"""Extraction worker processes driven from the crawl's event loop, without threads in the crawl process.

Each worker (``filmscrape/crawl/worker.py``) gets one Unix socket; the loop watches it with ``add_reader`` and
writes to it without blocking. No feeder or management thread contends for the GIL with the reactor, and a
page costs one pickled tuple each way. A worker holds at most ``PER_WORKER`` jobs; the rest wait here.

A worker that dies (kill -9, a crash in lxml) or exceeds ``timeout`` seconds on one page (it is killed) costs
that page only: its job ends with an ``extract_crashed`` / ``extract_timeout`` error (the body's hash and links
are still read here), the jobs queued behind it go to the other workers, and a new worker starts.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

from filmscrape.crawl.page import EXTRACT_CRASHED, EXTRACT_TIMEOUT, PageJob, PageResult, read_page
from filmscrape.crawl.worker import HEADER, decode_result, job_message

logger = logging.getLogger(__name__)

# Jobs sent ahead to one worker. Deep enough that a worker never idles while the loop is busy with a burst of
# responses (with 2, workers starved and the crawl ran at half speed); a dead worker's queue goes to the others.
PER_WORKER = 16
RECV_SIZE = 64 * 1024  # under malloc's mmap threshold: a read costs no mmap/munmap
MAX_EARLY_DEATHS = 3  # workers dying before they are ready: give up the pool and read pages inline


@dataclass
class _Job:
    job: PageJob
    message: bytes
    future: asyncio.Future[PageResult]


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    sock: socket.socket
    ready: bool = False
    inbuf: bytearray = field(default_factory=bytearray)
    outbuf: bytearray = field(default_factory=bytearray)  # jobs not yet sent
    writing: bool = False  # ``outbuf`` waits for the socket to take more (a writer callback is registered)
    inflight: collections.deque[int] = field(default_factory=collections.deque)
    head_since: float = 0.0  # when the job at the head of ``inflight`` started being read
    kill_reason: str | None = None


class WorkerPool:
    """``workers`` extraction processes fed from the running asyncio loop; ``submit`` returns a future."""

    def __init__(self, workers: int, timeout: float = 60.0) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.broken = False
        self.restarts = 0
        self._workers: list[_Worker] = []
        self._jobs: dict[int, _Job] = {}
        self._pending: collections.deque[int] = collections.deque()
        self._next_id = 0
        self._early_deaths = 0
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watchdog: asyncio.TimerHandle | None = None
        self._to_flush: dict[_Worker, None] = {}
        self._flush_handle: asyncio.Handle | None = None

    # -- life cycle -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the workers (they import the extractor while the crawl goes on); needs the running loop."""
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        for _ in range(self.size):
            if not self.broken:
                self._spawn()
        logger.info("extracting in %d worker processes", self.size)

    @property
    def ready(self) -> bool:
        """True once at least one worker can take pages."""
        return any(w.ready for w in self._workers)

    def _spawn(self) -> None:
        assert self._loop is not None
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            proc = subprocess.Popen([sys.executable, "-m", "filmscrape.crawl.worker", str(theirs.fileno())],
                                    pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        except (OSError, ValueError) as exc:  # no usable interpreter to start
            ours.close()
            logger.error("cannot start an extraction worker (%s)", exc)
            self._give_up()
            return
        finally:
            theirs.close()
        ours.setblocking(False)
        worker = _Worker(proc, ours)
        self._workers.append(worker)
        self._loop.add_reader(ours.fileno(), self._readable, worker)

    def close(self) -> None:
        """Stop the workers (closing a socket ends its worker); jobs still waiting are cancelled."""
        self._closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        for worker in self._workers:
            self._detach(worker)
        for worker in self._workers:
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()
        self._workers.clear()
        for entry in self._jobs.values():
            entry.future.cancel()
        self._jobs.clear()
        self._pending.clear()

    # -- jobs -----------------------------------------------------------------------------------------------------

    def submit(self, job: PageJob) -> asyncio.Future[PageResult]:
        assert self._loop is not None, "start() the pool first"
        future: asyncio.Future[PageResult] = self._loop.create_future()
        if self.broken:
            future.set_result(read_page(job))
            return future
        job_id = self._next_id
        self._next_id += 1
        self._jobs[job_id] = _Job(job, job_message(job_id, job), future)
        self._pending.append(job_id)
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        while self._pending:
            idle = [w for w in self._workers if w.ready and len(w.inflight) < PER_WORKER]
            if not idle:
                break
            worker = min(idle, key=lambda w: len(w.inflight))
            job_id = self._pending.popleft()
            entry = self._jobs.get(job_id)
            if entry is None or entry.future.cancelled():
                self._jobs.pop(job_id, None)
                continue
            if not worker.inflight:
                worker.head_since = time.monotonic()
            worker.inflight.append(job_id)
            worker.outbuf += entry.message
            self._to_flush[worker] = None
        if self._to_flush and self._flush_handle is None:
            assert self._loop is not None
            self._flush_handle = self._loop.call_soon(self._flush)
        self._arm_watchdog()

    def _flush(self) -> None:
        """Send the jobs dispatched since the last flush, one ``send`` per worker.

        A send that wakes a sleeping worker costs the crawl process ~0.1 ms (in a VM, an interrupt to the other
        CPU), whatever the size: jobs dispatched while a burst of responses is processed go together.
        """
        self._flush_handle = None
        workers, self._to_flush = self._to_flush, {}
        for worker in workers:
            if not worker.writing and worker.outbuf and worker in self._workers:
                self._send(worker)

    def _send(self, worker: _Worker) -> None:
        try:
            sent = worker.sock.send(worker.outbuf)
        except BlockingIOError:
            sent = 0
        except OSError:
            worker.outbuf.clear()  # the reader sees the worker gone
            sent = 0
        del worker.outbuf[:sent]
        if worker.outbuf and not worker.writing:
            assert self._loop is not None
            self._loop.add_writer(worker.sock.fileno(), self._writable, worker)
            worker.writing = True

    def _writable(self, worker: _Worker) -> None:
        try:
            sent = worker.sock.send(worker.outbuf)
        except BlockingIOError:
            return
        except OSError:
            sent = len(worker.outbuf)
        del worker.outbuf[:sent]
        if not worker.outbuf and self._loop is not None:
            self._loop.remove_writer(worker.sock.fileno())
            worker.writing = False

    def _readable(self, worker: _Worker) -> None:
        try:
            data = worker.sock.recv(RECV_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost(worker)
            return
        buf = worker.inbuf
        buf += data
        offset = 0
        while len(buf) - offset >= HEADER.size:
            (size,) = HEADER.unpack_from(buf, offset)
            end = offset + HEADER.size + size
            if len(buf) < end:
                break
            payload = bytes(buf[offset + HEADER.size:end])
            offset = end
            if not payload:
                worker.ready = True
                continue
            self._finished(worker, payload)
        del buf[:offset]
        self._dispatch()

    def _finished(self, worker: _Worker, payload: bytes) -> None:
        job_id, result = decode_result(payload)
        if worker.inflight and worker.inflight[0] == job_id:
            worker.inflight.popleft()
        worker.head_since = time.monotonic()
        entry = self._jobs.pop(job_id, None)
        if entry is not None and not entry.future.done():
            entry.future.set_result(result)

    # -- failures -------------------------------------------------------------------------------------------------

    def _detach(self, worker: _Worker) -> None:
        if self._loop is not None and worker.sock.fileno() >= 0:
            self._loop.remove_reader(worker.sock.fileno())
            if worker.writing:
                self._loop.remove_writer(worker.sock.fileno())
                worker.writing = False
        worker.sock.close()

    def _lost(self, worker: _Worker) -> None:
        """A worker's socket closed: it died, or was killed for a page that took too long."""
        self._detach(worker)
        if worker in self._workers:
            self._workers.remove(worker)
        try:
            code = worker.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.proc.kill()
            code = worker.proc.wait()
        if self._closing:
            return
        inflight = list(worker.inflight)
        if inflight:
            culprit = self._jobs.pop(inflight[0], None)
            if culprit is not None and not culprit.future.done():
                kind = EXTRACT_TIMEOUT if worker.kill_reason else EXTRACT_CRASHED
                detail = worker.kill_reason or f"the extraction worker died (exit status {code}) on this page"
                culprit.future.set_result(self._without_record(culprit.job, kind, detail))
            self._pending.extendleft(reversed(inflight[1:]))  # not their fault: they go to another worker
        logger.warning("extraction worker %d ended (exit status %s) with %d pages in hand", worker.proc.pid, code,
                       len(inflight))
        if not worker.ready:
            self._early_deaths += 1
        if self._early_deaths >= MAX_EARLY_DEATHS:
            self._give_up()
            return
        self.restarts += 1
        self._spawn()
        self._dispatch()

    @staticmethod
    def _without_record(job: PageJob, kind: str, detail: str) -> PageResult:
        result = read_page(PageJob(job.url, job.body, job.content_type, job.fetched_at, want_record=False))
        result.error, result.detail = kind, detail
        return result

    def _give_up(self) -> None:
        """Workers cannot start here: read every waiting page inline, and from now on all of them."""
        logger.error("extraction workers keep dying before they start; reading pages in the crawl process")
        self.broken = True
        for worker in list(self._workers):
            self._detach(worker)
            worker.proc.kill()
            worker.proc.wait()
            self._pending.extendleft(reversed(worker.inflight))
        self._workers.clear()
        while self._pending:
            entry = self._jobs.pop(self._pending.popleft(), None)
            if entry is not None and not entry.future.done():
                entry.future.set_result(read_page(entry.job))

    def _arm_watchdog(self) -> None:
        if self._watchdog is None and self._loop is not None and self.timeout > 0 and not self._closing:
            self._watchdog = self._loop.call_later(min(1.0, self.timeout / 2), self._check_timeouts)

    def _check_timeouts(self) -> None:
        """Kill a worker whose current page has taken longer than ``timeout``; ``_lost`` does the rest."""
        self._watchdog = None
        now = time.monotonic()
        busy = False
        for worker in self._workers:
            if not worker.inflight:
                continue
            busy = True
            if worker.kill_reason is None and now - worker.head_since > self.timeout:
                worker.kill_reason = f"extract() took longer than {self.timeout:g} s; its worker was killed"
                os.kill(worker.proc.pid, signal.SIGKILL)
        if busy:
            self._arm_watchdog()
