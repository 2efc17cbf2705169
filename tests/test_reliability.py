"""Nothing acknowledged is lost: kills mid-write and writers racing each other.

Slow: marked ``slow`` (CI runs them). ``KINTSUGI_KILLS`` changes how many kills.

The killed writers are forked from one process that has imported the app already (``FORKER``):
each is a process of its own, killed with SIGKILL mid-write as before, without paying for
Python's start and the app's imports at every one of the 300 kills (most of the test's time).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.domain.models import record_problem
from app.store.couple import CoupleStore
from app.store.keys import sealing_of

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from pathlib import Path
from app.store.couple import CoupleStore
from app.store.keys import sealing_of

store = CoupleStore(Path(sys.argv[1]))
author = store.partners[int(sys.argv[3])].id
for i in range(int(sys.argv[4])):
    title = f"{sys.argv[2]}-{i}"
    store.add_celebration(author, title)
    print(title, flush=True)  # acknowledged: add_celebration has returned
"""


def writer(db_path: Path, prefix: str, partner: int, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), prefix, str(partner), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


FORKER = """
import os, sys
from pathlib import Path
from app.store.couple import CoupleStore
from app.store.keys import sealing_of


def write(db, prefix, partner, count, acks):
    out = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    store = CoupleStore(Path(db))
    author = store.partners[int(partner)].id
    for i in range(int(count)):
        title = f"{prefix}-{i}"
        store.add_celebration(author, title)
        os.write(out, f"{title}\\n".encode())  # acknowledged: add_celebration has returned


for line in sys.stdin:
    command, *args = line.split()
    if command == "start":
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                write(*args)
                status = 0
            finally:
                os._exit(status)
        print(pid, flush=True)
    else:  # "reap PID": once it has ended (killed), say so
        os.waitpid(int(args[0]), 0)
        print("reaped", flush=True)
"""


class Forker:
    """Starts writers (``WRITER``'s loop, acknowledging into a file), each forked from ``FORKER``."""

    def __init__(self, process: subprocess.Popen[str], folder: Path) -> None:
        self.process = process
        self.folder = folder

    def ask(self, *words: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(" ".join(words) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, self.process.communicate()[1][-2000:]
        return answer.strip()

    def start(self, db_path: Path, prefix: str, partner: int, count: int) -> tuple[int, Path]:
        """A writer started; its process id and the file its acknowledged titles go to, one a line."""
        acks = self.folder / f"{prefix}.acks"
        return int(self.ask("start", str(db_path), prefix, str(partner), str(count), str(acks))), acks

    def reap(self, pid: int) -> None:
        assert self.ask("reap", str(pid)) == "reaped"

    def first_acknowledged(self, acks: Path, patience: float = 60.0) -> str:
        """Wait until a writer has acknowledged its first title (it is writing); that title."""
        deadline = time.monotonic() + patience
        while not (titles := acknowledged_in(acks)):
            if time.monotonic() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                errors = self.process.communicate()[1][-2000:]
                raise AssertionError(f"no write acknowledged in {patience:.0f} s: {errors}")
            time.sleep(0.001)
        return titles[0]


@contextmanager
def forker(folder: Path) -> Iterator[Forker]:
    folder.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", FORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # it and every writer it forks: one process group, ended together
    )
    try:
        yield Forker(process, folder)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def acknowledged_in(acks: Path) -> list[str]:
    """The titles a writer acknowledged (whole lines only)."""
    return acks.read_text().split("\n")[:-1] if acks.exists() else []


def titles_in(db_path: Path) -> set[str]:
    """Parse (and open, if sealed) and validate the file as a fresh reader would; list its celebrations."""
    data = json.loads(db_path.read_text())
    if sealing_of(data) is not None:
        data = CoupleStore(db_path).storage.read() or {}
    for kind, table in data.items():
        if kind == "_meta":
            continue
        for record_id, raw in table.items():
            assert record_problem(kind, record_id, raw) is None
    return {raw["fields"]["title"] for raw in data.get("celebration", {}).values()}


@pytest.fixture(params=["plain", "sealed"])
def couple(request: pytest.FixtureRequest, db_path: Path) -> CoupleStore:
    """A plain and a sealed couple's file: each test below runs on both."""
    store = CoupleStore(db_path)
    store.init("Alex", "Sam", sealed=request.param == "sealed")
    return store


@pytest.mark.slow
def test_kill_minus_nine_mid_write_loses_nothing_acknowledged(
    couple: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    kills = int(os.environ.get("KINTSUGI_KILLS", "200")) // (2 if couple.sealed else 1)
    rng = random.Random(20261122)
    acknowledged: set[str] = set()
    with forker(tmp_path / "writers") as writers:
        for round_ in range(kills):
            pid, acks = writers.start(db_path, f"r{round_}", round_ % 2, 10_000)
            acknowledged.add(writers.first_acknowledged(acks))  # wait until it is writing
            time.sleep(rng.uniform(0, 0.05))
            os.kill(pid, signal.SIGKILL)
            writers.reap(pid)  # it has ended: nothing more is written or acknowledged
            acknowledged |= set(acknowledged_in(acks))
            missing = acknowledged - titles_in(db_path)
            assert not missing, f"after kill {round_ + 1}, acknowledged but lost: {sorted(missing)[:5]}"
    assert len(acknowledged) >= kills
    left = list(db_path.parent.glob(".*.tmp"))  # a killed save's temporary file, a whole copy
    CoupleStore(db_path).load()  # the next open merges them in and removes them
    assert not list(db_path.parent.glob(".*.tmp")), f"{len(left)} left, some still there"
    assert acknowledged <= titles_in(db_path)


@pytest.mark.slow
def test_two_processes_writing_at_once_keep_all_600(couple: CoupleStore, db_path: Path) -> None:
    children = [writer(db_path, "alex", 0, 300), writer(db_path, "sam", 1, 300)]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    titles = titles_in(db_path)
    assert len(titles) == 600
    assert {f"alex-{i}" for i in range(300)} | {f"sam-{i}" for i in range(300)} == titles
    assert len(CoupleStore(db_path).celebrations()) == 600
