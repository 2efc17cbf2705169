"""Writing a file: durable before it takes the old one's place, whatever the file."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from app.store import files
from app.store.couple import CoupleStore
from app.store.local import LocalState


def watch_the_disk(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record, in order, every fsync (of what) and every rename into place (of what, to where)."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_rename_with = os.fsync, os.replace, files._rename_with

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source: os.PathLike[str] | str, target: os.PathLike[str] | str) -> None:
        events.append(("rename", f"{os.fspath(source)} -> {os.fspath(target)}"))
        real_replace(source, target)

    def rename_with(flags: int, source: Path, target: Path) -> int:
        events.append(("rename", f"{source} -> {target}"))
        return real_rename_with(flags, source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(files, "_rename_with", rename_with)
    return events


def assert_durable(events: list[tuple[str, str]], target: Path) -> None:
    """The temporary file was fsynced before it was renamed over ``target``; the folder after."""
    renames = [
        i for i, (what, which) in enumerate(events) if what == "rename" and which.endswith(f" {target}")
    ]
    assert renames, events
    last = renames[-1]
    source = events[last][1].split(" -> ")[0]
    synced_files = [i for i, (what, which) in enumerate(events) if what == "fsync" and which == source]
    assert synced_files and synced_files[-1] < last, events  # its bytes on disk before it counts
    folder = [i for i, (what, which) in enumerate(events) if what == "fsync" and which == str(target.parent)]
    assert folder and folder[-1] > last, events  # and the rename itself on disk after


def test_saving_the_couples_file_is_durable(store: CoupleStore, db_path: Path, monkeypatch) -> None:
    events = watch_the_disk(monkeypatch)
    store.add_celebration(store.partners[0].id, "on disk for good")
    assert_durable(events, db_path)


def test_saving_this_machines_file_is_durable(tmp_path: Path, monkeypatch) -> None:
    local = LocalState(tmp_path / "state" / "local.json")
    events = watch_the_disk(monkeypatch)
    local.set_preference("theme", "kintsugi")
    assert_durable(events, local.path)


def test_a_backup_is_durable(store: CoupleStore, monkeypatch) -> None:
    from app.store.backups import back_up

    events = watch_the_disk(monkeypatch)
    kept = back_up(store.places)
    assert_durable(events, kept)


def _body(records: dict[str, dict]) -> bytes:
    return files.encoded_table([files.encode_entry(key, records[key]) for key in sorted(records)])


def test_changed_records_walks_both_bodies_and_hands_back_both_sides_of_what_differs() -> None:
    ours = {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}, "e": {"n": 5}}
    theirs = {"a": {"n": 1}, "b": {"n": 20}, "d": {"n": 4}, "e": {"n": 5}}  # b changed, c gone, d new
    mine, text = b"xx" + _body(ours) + b"yy", b"zzz" + _body(theirs)
    walked = files.changed_records((mine, 2, len(mine) - 2), text, 3, len(text))
    assert walked is not None
    changed, held, lacks = walked
    assert json.loads(b"{" + b",".join(changed) + b"}") == {"b": {"n": 20}, "d": {"n": 4}}
    assert json.loads(b"{" + b",".join(held) + b"}") == {"b": {"n": 2}}  # ours of those we hold
    assert lacks  # theirs has no "c"
    same = files.changed_records((mine, 2, len(mine) - 2), mine, 2, len(mine) - 2)
    assert same == ([], [], False)
    empty = b"{}"
    assert files.changed_records((empty, 0, 2), text, 3, len(text))[:2] != ([], [])
    assert files.changed_records((mine, 2, len(mine) - 2), empty, 0, 2) == ([], [], True)


@pytest.mark.parametrize("seed", range(8))
def test_changed_records_finds_what_differs_among_long_runs_alike(seed: int) -> None:
    rng = random.Random(seed)
    ours = {f"{n:05d}": {"n": n, "words": "x" * rng.randrange(50, 900)} for n in range(0, 600, 1)}
    theirs = dict(ours)
    for key in rng.sample(sorted(ours), 25):  # changed
        theirs[key] = {**ours[key], "n": -1}
    for key in rng.sample(sorted(ours), 10):  # theirs lacks it
        theirs.pop(key, None)
    for n in rng.sample(range(600, 700), 10):  # theirs alone holds it
        theirs[f"{n:05d}"] = {"n": n}
    theirs.update({"00000": {"n": "first"}, "00599": {"n": "last"}})
    mine, text = _body(ours), _body(theirs)
    walked = files.changed_records((mine, 0, len(mine)), text, 0, len(text))
    assert walked is not None
    changed, held, lacks = walked
    differ = {key: value for key, value in theirs.items() if ours.get(key) != value}
    assert json.loads(b"{" + b",".join(changed) + b"}") == differ
    assert json.loads(b"{" + b",".join(held) + b"}") == {key: ours[key] for key in differ if key in ours}
    assert lacks == any(key not in theirs for key in ours)
