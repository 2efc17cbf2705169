"""This machine's lock on a file: one Kintsugi at a time changes it.

An advisory ``fcntl.flock`` on a lock file of its own (0600, in this
machine's folder: never synced), waited for up to ``LOCK_TIMEOUT_S``. The
kernel lets go of it when the process ends, however it ends, so a killed
Kintsugi never leaves the file locked. Sync services take no lock: the
storage does not rely on one against them (``app.store.files.swap_in``).

Waited for in turn: a process waiting for the lock first takes a second
one, the queue's (``lock.queue``), and keeps it until it has the lock, so a
process that lets go of the lock and wants it straight back (a script
writing in a loop, an app saving again) waits behind it instead of taking
it again at once, for as long as the timeout, while the other polls.

Reentrant, and shared by the threads of one process (one at a time): a
save that re-reads under the lock takes it again freely.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from app.store.files import FILE_MODE

LOCK_TIMEOUT_S = 10.0
_POLL_S = 0.02


class LockBusy(Exception):
    """Another process held the lock for the whole timeout."""


class MachineLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def __enter__(self) -> None:
        if not self._thread.acquire(timeout=LOCK_TIMEOUT_S):
            raise LockBusy(self.path)
        try:
            if self._depth == 0:
                self._fd = self._take()
            self._depth += 1
        except BaseException:
            self._thread.release()
            raise

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor lets go of the lock
        self._thread.release()

    def _take(self) -> int:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        queue = _wait_for(self.path.with_name(self.path.name + ".queue"), deadline)
        try:
            return _wait_for(self.path, deadline)
        finally:
            os.close(queue)  # the next in line may queue now


def _wait_for(path: Path, deadline: float) -> int:
    """A descriptor of ``path`` holding its ``flock``, polled for until ``deadline``."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockBusy(path) from None
            time.sleep(_POLL_S)
        except BaseException:
            os.close(fd)
            raise
