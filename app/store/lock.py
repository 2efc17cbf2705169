"""This machine's lock on a file: one Kintsugi at a time changes it.

An advisory ``fcntl.flock`` on a lock file of its own (0600, in this
machine's folder: never synced), waited for up to ``LOCK_TIMEOUT_S``. The
kernel lets go of it when the process ends, however it ends, so a killed
Kintsugi never leaves the file locked. Sync services take no lock: the
storage does not rely on one against them (``app.store.files.swap_in``).

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
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockBusy(self.path) from None
                time.sleep(_POLL_S)
            except BaseException:
                os.close(fd)
                raise
