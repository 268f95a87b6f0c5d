"""An extraction worker process: reads pages from its socket, answers with what :func:`read_page` found.

Started by :class:`filmscrape.crawl.pool.WorkerPool` as ``python -m filmscrape.crawl.worker FD``. Frames are a
4-byte big-endian length and a pickle of plain tuples (see :func:`job_message` and :func:`result_message`); an
empty frame says the worker is ready. The worker exits when the socket closes or its parent process is gone.
"""

from __future__ import annotations

import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time

from filmscrape.crawl.page import PageJob, PageResult, read_page

HEADER = struct.Struct(">I")
PROTOCOL = pickle.HIGHEST_PROTOCOL


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def job_message(job_id: int, job: PageJob) -> bytes:
    """One job as a frame: a tuple of plain values, cheap to pickle both ways."""
    return frame(pickle.dumps((job_id, job.url, job.body, job.content_type, job.fetched_at, job.want_record,
                               job.unless_sha), PROTOCOL))


def result_message(job_id: int, result: PageResult) -> bytes:
    return frame(pickle.dumps((job_id, result.sha, result.links, result.record, result.error, result.detail,
                               result.charset_problem), PROTOCOL))


def decode_result(payload: bytes) -> tuple[int, PageResult]:
    job_id, *fields = pickle.loads(payload)
    return job_id, PageResult(*fields)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _exit_with_parent(parent: int) -> None:
    """A worker stuck in a page must not outlive a crawl that was killed: poll the parent, exit when it is gone."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def serve(sock: socket.socket) -> None:
    """Answer jobs until the socket closes."""
    sock.sendall(frame(b""))
    while True:
        header = _recv_exactly(sock, HEADER.size)
        if header is None:
            return
        payload = _recv_exactly(sock, HEADER.unpack(header)[0])
        if payload is None:
            return
        job_id, *fields = pickle.loads(payload)
        sock.sendall(result_message(job_id, read_page(PageJob(*fields))))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # Ctrl-C (and a service manager's SIGTERM) reach the whole process group: the crawl decides when workers stop,
    # by closing their sockets once it has finished the pages in hand; they also go when the crawl is killed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    sock = socket.socket(fileno=int(args[0]))
    try:
        serve(sock)
    except (ConnectionError, OSError):
        return 0  # the crawl went away
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
