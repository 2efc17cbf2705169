"""The soak: an open app, two command lines and a sync service, all writing one file at once.

Slow (CI runs it). ``KINTSUGI_SOAK_S`` sets how long each run lasts (default 30 s),
``KINTSUGI_SOAK_RUNS`` how many runs (default 1); docs/RELIABILITY.md gives the
figures of longer ones.

- The app: one long-lived store, as the TUI holds it, logging a celebration now
  and then and, like its file watcher, merging conflict copies and taking in
  the file whenever it changed.
- Two command lines: ``kintsugi celebrate`` run over and over (in-process, through
  ``app.cli.main``, each run a fresh store as a new process would have).
- The sync service, as Syncthing behaves: every 200 ms it takes the file as it
  is, adds what the partner wrote on the other machine, writes that to its own
  temporary file and renames it in, unless the file changed meanwhile (then it
  leaves a conflict copy instead). It never takes Kintsugi's lock.

Every write anyone acknowledged (the store returned; the service renamed its
copy in or left it beside the file) must be in the file at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.couple import CoupleStore
from app.store.sync import merge_conflict_copies

ROOT = Path(__file__).resolve().parent.parent

APP = """
import sys, time
from pathlib import Path
from app.store.couple import CoupleStore
from app.store.sync import merge_conflict_copies

store = CoupleStore(Path(sys.argv[1]))
store.load()
alex = store.partners[0].id
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    merge_conflict_copies(store)
    store.refresh()
    if n % 5 == 0:
        store.add_celebration(alex, f"{sys.argv[3]}-{n}")
        print(f"ACK {sys.argv[3]}-{n}", flush=True)
    n += 1
    time.sleep(0.05)
"""

CLI = """
import sys, time
from app.cli import main

end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    title = f"{sys.argv[3]}-{n}"
    if main(["--db", sys.argv[1], "--as", "Alex", "celebrate", title]) == 0:
        print(f"ACK {title}", flush=True)
    n += 1
"""

SERVICE = """
import json, os, sys, time, uuid
from pathlib import Path
from app.domain.clock import HybridClock
from app.domain.records import new_record
from app.store.files import canonical_json

path = Path(sys.argv[1])
end = time.monotonic() + float(sys.argv[2])
sam = sys.argv[3]
clock = HybridClock("samlaptop")
n = 0
while time.monotonic() < end:
    time.sleep(0.2)
    before = path.stat()
    data = json.loads(path.read_bytes())
    for table in data.values():
        for raw in table.values():
            for stamp in raw.get("stamps", {}).values():
                clock.observe(stamp)
    title = f"sam{sys.argv[4]}-{n}"
    fields = {"title": title, "note": "", "day": "2026-12-01", "step": None, "size": "small",
              "from_suggestion": ""}
    data.setdefault("celebration", {})[str(uuid.uuid4())] = new_record(sam, clock.tick(), fields)
    incoming = path.with_name(".syncthing.couple.json.tmp")
    incoming.write_text(canonical_json(data))
    now = path.stat()
    if (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns):
        os.replace(incoming, path)
    else:  # changed while we worked: keep both, as Syncthing does
        conflict = f"couple.sync-conflict-20261201-{n:06d}-SAM{sys.argv[4]}.json"
        os.replace(incoming, path.with_name(conflict))
    print(f"ACK {title}", flush=True)
    n += 1
"""


def start(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_an_app_two_command_lines_and_a_sync_service_lose_nothing(store: CoupleStore, db_path: Path) -> None:
    seconds = os.environ.get("KINTSUGI_SOAK_S", "30")
    sam = store.partners[1].id
    for run in range(int(os.environ.get("KINTSUGI_SOAK_RUNS", "1"))):
        writers = [
            start(APP, str(db_path), seconds, f"app{run}"),
            start(CLI, str(db_path), seconds, f"cli-a{run}"),
            start(CLI, str(db_path), seconds, f"cli-b{run}"),
            start(SERVICE, str(db_path), seconds, sam, str(run)),
        ]
        acknowledged: set[str] = set()
        for writer in writers:
            out, err = writer.communicate(timeout=float(seconds) + 120)
            assert writer.returncode == 0, err[-2000:]
            acknowledged |= {line[4:] for line in out.splitlines() if line.startswith("ACK ")}
        final = CoupleStore(db_path)
        final.load()
        merge_conflict_copies(final)
        titles = {raw["fields"]["title"] for raw in json.loads(db_path.read_text())["celebration"].values()}
        lost = {title for title in acknowledged if not title.startswith("sam")} - titles
        lost_of_sams = {title for title in acknowledged if title.startswith("sam")} - titles
        print(f"soak run {run}: {len(acknowledged)} acknowledged, {len(lost) + len(lost_of_sams)} lost")
        assert not lost and not lost_of_sams, (
            len(acknowledged),
            sorted(lost)[:10],
            sorted(lost_of_sams)[:10],
        )
        assert len(acknowledged) > 20  # the soak really wrote
        assert not list(db_path.parent.glob(".~couple.json.*.tmp"))
        assert not list(db_path.parent.glob("couple.sync-conflict-*"))
