"""Durable file operations: fsync a file and its directory, publish a finished file by atomic rename."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (a rename, a new or deleted file) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a closed file's data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(staged: Path, dest: Path) -> None:
    """Move a complete, fsync'd staged file to ``dest`` atomically and make the rename durable.

    ``staged`` and ``dest`` must be on one filesystem (staging is a sibling of the dataset), so a reader
    sees either no file or the whole file, never part of one.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, dest)
    fsync_dir(dest.parent)
    fsync_dir(staged.parent)


def remove(path: Path) -> None:
    """Delete a file (if present) and make the deletion durable."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_dir(path.parent)


def held_by_live_process(path: Path) -> bool:
    """Whether a live process holds an exclusive ``flock`` on ``path`` (a crawl's open journal segment)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
