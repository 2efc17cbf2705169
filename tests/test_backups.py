"""Backups: the last good versions are kept, and a damaged file can be restored."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from app.store import backups
from app.store.couple import CoupleStore


def test_first_write_of_a_session_backs_up_the_good_file(store: CoupleStore, db_path: Path) -> None:
    assert backups.backups(store.places) == []  # init creates the file: nothing to back up yet
    before = db_path.read_bytes()
    reopened = CoupleStore(db_path)
    reopened.add_celebration(reopened.partners[0].id, "a good day")
    (kept,) = backups.backups(store.places)
    assert kept.read_bytes() == before
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    reopened.add_celebration(reopened.partners[0].id, "another, within the hour")
    assert len(backups.backups(store.places)) == 1
    assert not (db_path.parent / ".kintsugi").exists()  # nothing of this machine's in the synced folder


def test_backups_rotate(store: CoupleStore, db_path: Path) -> None:
    start = dt.datetime(2026, 1, 1)
    for day in range(backups.KEEP + 5):
        backups.back_up(store.places, start + dt.timedelta(days=day))
    kept = backups.backups(store.places)
    assert len(kept) == backups.KEEP
    assert kept[0].name.startswith("couple-000015-20260115-")  # the newest first
    assert kept[-1].name.startswith("couple-000006-20260106-")
