"""Nothing acknowledged is lost: kills mid-write and writers racing each other.

Slow: marked ``slow`` (CI runs them). ``KINTSUGI_KILLS`` changes how many kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
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
def test_kill_minus_nine_mid_write_loses_nothing_acknowledged(couple: CoupleStore, db_path: Path) -> None:
    kills = int(os.environ.get("KINTSUGI_KILLS", "200")) // (2 if couple.sealed else 1)
    rng = random.Random(20261122)
    acknowledged: set[str] = set()
    for round_ in range(kills):
        child = writer(db_path, f"r{round_}", round_ % 2, 10_000)
        assert child.stdout is not None
        first = child.stdout.readline()  # wait until it is writing
        acknowledged.add(first.strip())
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged |= {line for line in rest.splitlines() if line}
        acknowledged.discard("")
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
