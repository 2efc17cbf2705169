"""Files from an older Kintsugi are backed up, then brought to the current format on open."""

from __future__ import annotations

import copy
import json
import shutil
import stat
from pathlib import Path

import pytest

from app.cli import main
from app.store import couple as couple_module
from app.store import couple_file, migrations, storage_taking_in
from app.store.backups import backups
from app.store.couple import CoupleStore

FIXTURE = Path(__file__).parent / "fixtures" / "couple-v1.json"


def test_the_v1_fixture_opens_and_checks(capsys, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copy(FIXTURE, db_path)
    assert main(["check"]) == 0
    assert "partners Alex and Sam" in capsys.readouterr().out
    store = CoupleStore(db_path)
    assert [c.title for c in store.celebrations()] == ["Our first calm talk"]


def shout_moods(data: dict) -> dict:
    """A test migration from format 1 to 2: moods are stored in capitals (idempotent)."""
    data = copy.deepcopy(data)
    for raw in data.get("checkin", {}).values():
        raw["fields"]["mood"] = raw["fields"]["mood"].upper()
    return data


@pytest.fixture
def format_two(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (migrations, couple_file, storage_taking_in, couple_module):
        monkeypatch.setattr(module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, shout_moods)


def test_old_file_is_backed_up_then_migrated_on_open(format_two, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copy(FIXTURE, db_path)
    original = db_path.read_bytes()
    store = CoupleStore(db_path)
    store.load()
    data = json.loads(db_path.read_text())
    assert data["_meta"]["file"]["schema_version"] == 2
    assert [r["fields"]["mood"] for r in data["checkin"].values()] == ["HOPEFUL"]
    (backup,) = backups(store.places)
    assert backup.read_bytes() == original  # the old format was kept before anything was written
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_migration_is_idempotent(format_two, db_path: Path) -> None:
    data = json.loads(FIXTURE.read_text())
    once = migrations.migrate(data)
    assert migrations.migrate(once) == once
    assert shout_moods(shout_moods(data)) == shout_moods(data)
    db_path.parent.mkdir(parents=True)
    shutil.copy(FIXTURE, db_path)
    CoupleStore(db_path).load()
    migrated = db_path.read_bytes()
    CoupleStore(db_path).load()  # opening again changes nothing and backs up nothing more
    assert db_path.read_bytes() == migrated
    assert len(backups(CoupleStore(db_path).places)) == 1


def test_a_partners_old_copy_is_migrated_before_it_merges(format_two, db_path: Path, tmp_path: Path) -> None:
    from app.store.sync import sync_with

    db_path.parent.mkdir(parents=True)
    shutil.copy(FIXTURE, db_path)
    store = CoupleStore(db_path)
    store.load()
    old_copy = tmp_path / "old" / "couple.json"
    old_copy.parent.mkdir()
    shutil.copy(FIXTURE, old_copy)
    outcome = sync_with(store, old_copy)
    assert not outcome.came_in.anything
    assert [c.mood for c in store.checkins()] == ["HOPEFUL"]
