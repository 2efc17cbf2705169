"""Live: another process writes the file while the app runs, and the screen shows it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.domain.models import Celebration
from app.domain.records import new_record, with_changes
from app.store.couple import CoupleStore
from app.store.local import LocalState
from tests.support.app import notified
from tests.support.tui import WIDE, screen_text

ROOT = Path(__file__).resolve().parents[2]
SAM_WRITES = """
import sys
from pathlib import Path
from app.domain.models import Celebration
from app.domain.records import new_record, with_changes
from app.store.couple import CoupleStore
from app.store.local import LocalState
store = CoupleStore(Path(sys.argv[1]), LocalState(Path(sys.argv[2])))
store.add_celebration(store.partners[1].id, "Sam booked the cabin")
"""


async def wait_for(pilot, condition, tries: int = 80) -> bool:
    """Let the app run until ``condition()`` holds (a bounded wait, not a timing assertion)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_partner_write_from_another_process_shows_up(
    store: CoupleStore, db_path: Path, make_app, tmp_path
):
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert "Sam booked the cabin" not in screen_text(app)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-c", SAM_WRITES, str(db_path), str(tmp_path / "sam-local.json")],
            env=env,
            check=True,
        )
        assert await wait_for(pilot, lambda: "Sam booked the cabin" in screen_text(app))
        assert any("1 new celebration" in str(n.message) for n in notified(app))


async def test_a_conflict_copy_appearing_is_merged_and_moved(
    store: CoupleStore, db_path: Path, make_app, tmp_path
):
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    CoupleStore(copy, LocalState(tmp_path / "sam-local.json")).add_celebration(
        store.partners[1].id, "From a copy"
    )
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        conflict = db_path.with_name("couple (Sam's conflicted copy 2026-11-21).json")
        shutil.copy(copy, conflict)
        assert await wait_for(pilot, lambda: "From a copy" in screen_text(app))
        assert not conflict.exists()
        assert (store.places.merged / conflict.name).exists()


async def test_words_written_on_both_sides_are_announced_and_f_shows_both(
    store: CoupleStore, db_path: Path, make_app, tmp_path
):
    alex, sam = store.partners
    ours = store.add_celebration(alex.id, "A walk")
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    CoupleStore(copy, LocalState(tmp_path / "sam-local.json")).update(
        Celebration, ours.id, sam.id, title="A walk by the sea"
    )
    store.update(Celebration, ours.id, alex.id, title="A long walk")
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        shutil.copy(copy, db_path.with_name("couple.sync-conflict-20261121-101010-SAMS.json"))
        assert await wait_for(
            pilot, lambda: any("Press f to see both" in str(n.message) for n in notified(app))
        )
        await pilot.press("f")
        await pilot.pause()
        shown = screen_text(app)
        assert "A long walk" in shown and "A walk by the sea" in shown
        assert "Alex's celebration, its title" in shown


async def test_a_write_from_this_machine_is_not_announced_as_the_partners(
    store: CoupleStore, db_path: Path, make_app
):
    """Alex's own `kintsugi celebrate` in another terminal: it came from here, not "from Alex"."""
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        app.workers.cancel_group(app, "watch")
        this_machine = CoupleStore(db_path, LocalState(store.local.path))  # what the command opens
        this_machine.add_celebration(store.partners[0].id, "Logged from the terminal")
        app.take_in_changes()  # what the file watcher calls
        await pilot.pause()
        told = [str(n.message) for n in notified(app)]
        assert "1 new celebration came in from another Kintsugi on this machine." in told
        assert "Logged from the terminal" in screen_text(app)


async def test_a_newer_partners_copy_arriving_while_the_app_is_idle_loses_nothing(
    store: CoupleStore, db_path: Path, make_app, tmp_path
):
    """Sam's newer Kintsugi wrote kinds, values and keys this version cannot read; Alex's app is open."""
    alex, sam = (p.id for p in store.partners)
    ours = store.add_celebration(alex, "Our first walk")
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    data = json.loads(copy.read_text())
    stamp = "1900000000000-0000-newer"
    data["gratitude"] = {"g-1": {**new_record(sam, stamp, {"for": "the tea"}), "typed_at": "sam-laptop"}}
    edited = with_changes(data["celebration"][ours.id], {"note": "Sam added this", "sparkle": 3}, stamp, sam)
    data["celebration"][ours.id] = edited
    data["_meta"]["file"]["sealed_with"] = "nothing yet"
    copy.write_text(json.dumps(data))
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        store.add_celebration(alex, "Alex's own news")  # the app holds something Sam's copy lacks
        os.replace(copy, db_path)  # Sam's sync service renames Sam's copy in
        assert await wait_for(pilot, lambda: "Alex's own news" in db_path.read_text())
        await pilot.press("f")
        await pilot.pause()
        assert await wait_for(pilot, lambda: "One record was written by a newer Kintsugi" in screen_text(app))
        assert ".~couple.json.*.tmp" in screen_text(app)  # what a sync service may ignore
    kept = json.loads(db_path.read_text())
    assert kept["gratitude"]["g-1"]["typed_at"] == "sam-laptop"
    assert kept["celebration"][ours.id]["fields"]["sparkle"] == 3
    assert kept["_meta"]["file"]["sealed_with"] == "nothing yet"
