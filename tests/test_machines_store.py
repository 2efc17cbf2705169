"""Two small reads the app needs from the store: the machine a change was typed at, and opening a
sealed file with the recovery code in a store that has already failed to open it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.models import Celebration
from app.store import sealing
from app.store.couple import CoupleStore
from app.store.joining import ask_to_join
from app.store.local import LocalState
from app.store.storage import StoreError
from tests.conftest import SHIPPED_SCRYPT_N


def machine(path: Path, tmp_path: Path, name: str) -> CoupleStore:
    return CoupleStore(path, LocalState(tmp_path / f"local-{name}" / "local.json"))


def test_the_machine_a_stamp_was_made_at(db_path: Path, tmp_path: Path) -> None:
    alex = CoupleStore(db_path)
    alex.init("Alex", "Sam", sealed=True)
    sam = machine(db_path, tmp_path, "sam")
    asked = ask_to_join(sam)
    alex.refresh()
    alex.vouch(asked.id, alex.partner_named("Sam").id, alex.partners[0].id)
    sam.load()
    sams_walk = sam.add_celebration(sam.partners[1].id, "Sam's walk")
    alex.refresh()
    stamp = alex.raw_table(Celebration.KIND)[sams_walk.id]["created"]
    assert alex.machine_of(stamp).id == sam.keyring.machine_id
    alexs_walk = alex.add_celebration(alex.partners[1].id, "Written as Sam at Alex's keyboard")
    assert alex.machine_of(alexs_walk.created).id == alex.keyring.machine_id
    assert alex.machine_of("1795312773829-0000-aaaaaaaaaaaa") is None  # a replica no machine names


def test_the_recovery_code_opens_a_file_this_store_could_not_open(db_path: Path, tmp_path: Path) -> None:
    alex = CoupleStore(db_path)
    alex.init("Alex", "Sam", sealed=True)
    code = alex.recovery_code
    assert code is not None
    fresh = machine(db_path, tmp_path, "new-laptop")
    with pytest.raises(StoreError) as failed:
        fresh.load()
    assert failed.value.reason == "file_locked"
    with pytest.raises(StoreError, match="recovery code does not open"):
        fresh.open_with_code("acorn " * 12)
    fresh.open_with_code(code)  # the very file that failed a moment ago: it opens now
    assert [p.name for p in fresh.partners] == ["Alex", "Sam"]


def test_the_recovery_code_is_stretched_at_the_shipped_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py makes scrypt cheap for the suite; the code as shipped stretches a
    recovery code at 2**17, and writes that cost beside the wrapped key for any reader."""
    assert SHIPPED_SCRYPT_N == 2**17 and sealing.SCRYPT_N < SHIPPED_SCRYPT_N
    monkeypatch.setattr(sealing, "SCRYPT_N", SHIPPED_SCRYPT_N)
    assert (sealing.SCRYPT_R, sealing.SCRYPT_P) == (8, 1)
    key, code = bytes(32), "acorn " * 12
    wrap = sealing.wrap_with_code(key, code, "file")
    assert (wrap["n"], wrap["r"], wrap["p"]) == (2**17, 8, 1)
    assert sealing.unwrap_with_code(wrap, code, "file") == key
