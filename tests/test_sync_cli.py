"""Sync from the shell: a copy handed over, conflict copies taken in on every open."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.store.couple import CoupleStore
from app.store.local import LocalState


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sams_copy(store: CoupleStore, db_path: Path, tmp_path: Path) -> Path:
    """Sam's copy of the file, handed over after Sam logged a celebration on their own machine."""
    copy = tmp_path / "usb" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    sams = CoupleStore(copy, LocalState(tmp_path / "sam-local.json"))
    sams.add_celebration(store.partners[1].id, "Sam's good news")
    return copy


def test_sync_dry_run_writes_nothing(capsys, store, db_path: Path, sams_copy: Path) -> None:
    ours, theirs = db_path.read_bytes(), sams_copy.read_bytes()
    code, out, _ = run(capsys, "sync", str(sams_copy), "--dry-run")
    assert code == 0 and "1 new celebration" in out and "nothing written" in out
    assert (db_path.read_bytes(), sams_copy.read_bytes()) == (ours, theirs)


def test_sync_both_leaves_two_identical_files(capsys, store, db_path: Path, sams_copy: Path) -> None:
    store.add_agreement(store.partners[0].id, "Alex's proposal")
    code, out, _ = run(capsys, "sync", str(sams_copy), "--both")
    assert code == 0
    assert "1 new celebration came in" in out and "1 new agreement" in out and "went out" in out
    assert db_path.read_bytes() == sams_copy.read_bytes()


def test_sync_refuses_another_couples_file(capsys, store, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "theirs" / "couple.json"
    CoupleStore(other, LocalState(tmp_path / "x.json")).init("Kim", "Lee")
    before = db_path.read_bytes()
    code, _, err = run(capsys, "sync", str(other))
    assert code == 2 and "another couple's file" in err and err.count("\n") == 1
    assert db_path.read_bytes() == before


def test_check_takes_in_a_syncthing_conflict_copy(capsys, store, db_path: Path, sams_copy: Path) -> None:
    conflict = db_path.with_name("couple.sync-conflict-20261121-101500-ABCDEFG.json")
    shutil.move(sams_copy, conflict)
    code, out, _ = run(capsys, "check")
    assert code == 0 and "1 new celebration came in" in out
    assert not conflict.exists()
    assert (store.places.merged / conflict.name).exists()
    titles = [r["fields"]["title"] for r in json.loads(db_path.read_text())["celebration"].values()]
    assert titles == ["Sam's good news"]
