"""This machine's lock: another Kintsugi holding it is waited for and then named, and a Kintsugi
killed while holding it leaves nothing locked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.store import lock as lock_module
from app.store.couple import CoupleStore
from app.store.lock import MachineLock
from app.store.storage import StoreError

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def hold_lock(path: Path) -> subprocess.Popen[str]:
    """Another process taking the lock and keeping it (as another Kintsugi mid-save would)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


ROOT = Path(__file__).resolve().parents[1]
TAKE_BACK = """
import sys, time
from pathlib import Path
from app.store.lock import MachineLock
lock, log = MachineLock(Path(sys.argv[1])), Path(sys.argv[2])
for _ in range(400):
    with lock:  # held 50 ms, let go and taken straight back, as a script writing in a loop
        with log.open("a") as out:
            out.write("x")
        time.sleep(0.05)
"""


def titles(path: Path) -> set[str]:
    data = json.loads(path.read_text())
    return {raw["fields"]["title"] for raw in data.get("celebration", {}).values()}


def test_a_lock_held_elsewhere_is_named_and_nothing_is_written(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "LOCK_TIMEOUT_S", 0.3)
    holder = hold_lock(store.places.lock)
    try:
        before = db_path.read_bytes()
        with pytest.raises(StoreError) as caught:
            store.add_celebration(store.partners[0].id, "While the other one saves")
        assert caught.value.reason == "file_busy"
        assert "another Kintsugi" in str(caught.value)
        assert db_path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    store.add_celebration(store.partners[0].id, "Once it let go")
    assert "Once it let go" in titles(db_path)


def test_a_kintsugi_killed_holding_the_lock_leaves_nothing_locked(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "LOCK_TIMEOUT_S", 2.0)
    holder = hold_lock(store.places.lock)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    store.add_celebration(store.partners[0].id, "After the crash")
    assert "After the crash" in titles(db_path)


def test_the_lock_is_taken_again_freely_within_one_save_and_one_thread_at_a_time(tmp_path: Path) -> None:
    lock = MachineLock(tmp_path / "couple.lock")
    order: list[str] = []
    with lock:
        with lock:  # a save that re-reads under the lock takes it again
            order.append("outer")
        other = threading.Thread(target=lambda: (lock.__enter__(), order.append("thread"), lock.__exit__()))
        other.start()
        time.sleep(0.1)
        order.append("still ours")
    other.join(5)
    assert order == ["outer", "still ours", "thread"]
    assert (tmp_path / "couple.lock").stat().st_mode & 0o777 == 0o600


def test_a_process_taking_the_lock_straight_back_lets_the_one_waiting_go_first(tmp_path: Path) -> None:
    path, log = tmp_path / "lock", tmp_path / "turns"
    log.touch()
    looping = subprocess.Popen(
        [sys.executable, "-c", TAKE_BACK, str(path), str(log)], env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        while not log.read_text():
            time.sleep(0.01)
        turns_before = len(log.read_text())
        with MachineLock(path):  # LockBusy after 10 s, before the queue: the loop always took it first
            turns_taken = len(log.read_text()) - turns_before
        assert turns_taken <= 2  # the turn it held, and at most the one it had queued for
    finally:
        looping.kill()
        looping.wait()
