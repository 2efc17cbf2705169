"""Damaged files and failing disks: one plain sentence, exit 2, nothing overwritten, nothing typed lost."""

from __future__ import annotations

import errno
import json
import uuid
from pathlib import Path

import pytest

from app.cli import main
from app.store import storage_saving
from app.store.backups import back_up
from app.store.couple import CoupleStore
from app.store.storage import StoreError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def damage(db_path: Path, how: str) -> None:
    good = db_path.read_bytes()
    data = json.loads(good)
    if how == "truncated":
        db_path.write_bytes(good[: len(good) // 3])
    elif how == "zero bytes":
        db_path.write_bytes(b"")
    elif how == "not JSON":
        db_path.write_text("these are not the droids\n")
    elif how == "wrong shape":
        db_path.write_text(json.dumps([1, 2, 3]))
    elif how == "no meta":
        del data["_meta"]
        db_path.write_text(json.dumps(data))
    elif how == "from the future":
        data["_meta"]["file"]["schema_version"] = 7
        db_path.write_text(json.dumps(data))
    elif how == "binary":
        db_path.write_bytes(b"\xff\xfe\x00garbage")
    elif how == "a table not JSON":  # laid out as ever, but the comma between the partners gone
        start = good.index(b'\n "partner": {')
        cut = good.index(b'},\n  "', start) + 1
        db_path.write_bytes(good[:cut] + good[cut + 1 :])


CASES = [
    "truncated",
    "zero bytes",
    "not JSON",
    "wrong shape",
    "no meta",
    "from the future",
    "binary",
    "a table not JSON",
]


@pytest.mark.parametrize("how", CASES)
@pytest.mark.parametrize("command", [["check"], ["celebrate", "x"], ["agreements"], ["checkin", "3"]])
def test_damaged_file_one_line_exit_2_untouched(
    capsys, store: CoupleStore, db_path: Path, how, command
) -> None:
    damage(db_path, how)
    before = db_path.read_bytes()
    code, _, err = run(capsys, *command)
    assert code == 2
    assert err.startswith("kintsugi: ") and err.count("\n") == 1 and "Traceback" not in err
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("how", CASES)
def test_the_store_never_writes_over_a_damaged_file(store: CoupleStore, db_path: Path, how) -> None:
    store.add_celebration(store.partners[0].id, "before the damage")
    damage(db_path, how)
    before = db_path.read_bytes()
    with pytest.raises(StoreError):
        store.add_celebration(store.partners[0].id, "after the damage")
    assert db_path.read_bytes() == before


def test_damaged_records_are_listed_and_newer_ones_counted_by_check(
    capsys, store: CoupleStore, db_path: Path
) -> None:
    bad = store.add_celebration(store.partners[0].id, "fine for now")
    data = json.loads(db_path.read_text())
    data["celebration"][bad.id]["fields"]["size"] = "enormous"  # a value a newer Kintsugi knows
    newer = {**data["celebration"][bad.id], "fields": {**data["celebration"][bad.id]["fields"]}}
    data["mystery"] = {str(uuid.uuid4()): newer}  # a kind a newer Kintsugi knows
    data["celebration"][str(uuid.uuid4())] = {"what": "no envelope at all"}  # damage
    db_path.write_text(json.dumps(data))
    before = db_path.read_bytes()
    code, out, _ = run(capsys, "check")
    assert code == 2 and "1 problem," in out and "celebration" in out and "envelope" not in out
    assert "2 written by a newer Kintsugi: kept as they are" in out
    assert db_path.read_bytes() == before
    del data["celebration"][next(k for k, v in data["celebration"].items() if "what" in v)]
    db_path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "check")
    assert code == 0 and "OK" in out and "2 written by a newer Kintsugi: kept as they are" in out


def test_unreadable_file_is_one_sentence(capsys, store, db_path: Path, monkeypatch) -> None:
    real = Path.open

    def refuse(self: Path, *args, **kwargs):  # as root, chmod 000 would not stop us: simulate it
        if self == db_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, _, err = run(capsys, "--db", str(db_path), "check")
    assert code == 2 and "cannot be read" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "not saved yet"),
        (PermissionError(errno.EACCES, "Permission denied"), "cannot be written"),
    ],
)
def test_failed_write_keeps_the_change_in_memory_and_says_so(
    store: CoupleStore, db_path: Path, monkeypatch, error: OSError, words: str
) -> None:
    alex = store.partners[0]
    before = db_path.read_bytes()

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(storage_saving, "write_temp", fail)
    with pytest.raises(StoreError, match=words):
        store.add_celebration(alex.id, "typed while the disk was full")
    assert db_path.read_bytes() == before  # never half-written
    assert store.unsaved
    assert [c.title for c in store.celebrations()] == ["typed while the disk was full"]  # kept in memory
    monkeypatch.undo()
    store.refresh()  # space again: the held change is saved
    assert not store.unsaved
    assert "typed while the disk was full" in db_path.read_text()


def test_check_restore_puts_back_what_the_backup_holds(capsys, store: CoupleStore, db_path: Path) -> None:
    store.add_celebration(store.partners[0].id, "worth keeping")
    back_up(store.places)
    good = db_path.read_bytes()
    damage(db_path, "not JSON")
    code, _, err = run(capsys, "check")
    assert code == 2 and "--restore" in err
    code, _, err = run(capsys, "check", "--restore")  # no terminal to ask on: refuses without --yes
    assert code == 2 and "--yes" in err and "2 backups" in err  # the first write's and ours
    code, out, _ = run(capsys, "check", "--restore", "--yes")
    assert code == 0 and "Restored by merging 2 backups" in out
    assert db_path.read_bytes() == good
    assert run(capsys, "check")[0] == 0


def test_check_restore_without_any_backup(capsys, store: CoupleStore, db_path: Path) -> None:
    damage(db_path, "not JSON")
    code, _, err = run(capsys, "check", "--restore", "--yes")
    assert code == 2 and "nothing of" in err and "to restore from" in err


def test_an_error_quoting_the_file_writes_its_control_characters_out() -> None:
    error = StoreError("unknown_record", case="id", kind="celebration", id="\x1b[2J\x07")
    assert str(error) == "No celebration with id \\x1b[2J\\x07."
