"""Backups: the last good versions are kept, and a damaged file can be restored."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

from app.store import backups
from app.store.couple import CoupleStore


def test_first_write_of_a_session_backs_up_the_good_file(store: CoupleStore, db_path: Path) -> None:
    assert backups.backups(db_path) == []  # init creates the file: nothing to back up yet
    before = db_path.read_bytes()
    reopened = CoupleStore(db_path)
    reopened.add_celebration(reopened.partners[0].id, "a good day")
    (kept,) = backups.backups(db_path)
    assert kept.read_bytes() == before
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    reopened.add_celebration(reopened.partners[0].id, "another, within the hour")
    assert len(backups.backups(db_path)) == 1


def test_backups_rotate(store: CoupleStore, db_path: Path) -> None:
    start = dt.datetime(2026, 1, 1)
    for day in range(backups.KEEP + 5):
        backups.back_up(db_path, start + dt.timedelta(days=day))
    kept = backups.backups(db_path)
    assert len(kept) == backups.KEEP
    assert kept[0].name.startswith("couple-20260115-")  # the newest first
    assert kept[-1].name.startswith("couple-20260106-")


def test_damaged_file_is_restored_from_newest_good_backup(store: CoupleStore, db_path: Path) -> None:
    alex = store.partners[0]
    store.add_celebration(alex.id, "worth keeping")
    good = db_path.read_bytes()
    soon = dt.datetime.now() + dt.timedelta(minutes=1)
    backups.back_up(db_path, soon)
    (
        backups.backup_folder(db_path) / f"couple-{soon + dt.timedelta(minutes=1):%Y%m%d-%H%M%S-%f}.json"
    ).write_text("{")
    db_path.write_bytes(good[: len(good) // 2])  # truncated, as after a bad copy
    best = backups.newest_good_backup(db_path)
    assert best is not None and best.name == f"couple-{soon:%Y%m%d-%H%M%S-%f}.json"
    kept = backups.restore(db_path, best)
    assert db_path.read_bytes() == good
    assert kept is not None and kept.read_bytes() == good[: len(good) // 2]  # the damaged one is kept aside
    assert [c.title for c in CoupleStore(db_path).celebrations()] == ["worth keeping"]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert json.loads(db_path.read_text())["_meta"]["file"]["file_id"] == store.file_id
