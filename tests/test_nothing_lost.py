"""Nothing lost, tried the way a couple's worst week would try it.

One test (or a few) per way the file used to lose or leak what someone wrote:
a partner on a newer Kintsugi, a sync service renaming the file in during our
save, a long run of edits on one side, two machines sharing a replica id, a
clock far off, a restore on a bad day, a symlink, a private draft, two
Kintsugi at once on one machine, git running the wrong ``app``, numbers and
choices, temporary files, a file that has not arrived yet, names in two
Unicode forms. Each failed on the code before it was fixed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.domain.clock import HybridClock, format_stamp
from app.domain.merge import merge_record, merge_replicas
from app.domain.models import Celebration
from app.domain.practices.wounds import Wound
from app.domain.records import HISTORY_LIMIT, new_record, unseen_history, with_changes
from app.store import backups, couple_file, files, storage_saving, storage_taking_in, written
from app.store import storage as storage_module
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.store.storage import StoreError
from app.store.sync import merge_conflict_copies, sync_with
from tests.support.words import describe

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 1)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, sort_keys=True, indent=1), encoding="utf-8")


def copy_for(store: CoupleStore, tmp_path: Path, other_machine, name: str = "sam") -> CoupleStore:
    """The partner's machine holding a copy of the file as it is now."""
    target = tmp_path / f"{name}-machine" / "couple.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(store.path, target)
    return other_machine(target, name)


# -- 1. a partner on a newer Kintsugi ------------------------------------------------------------

NEWER_STAMP = format_stamp(1_900_000_000_000, 0, "newer")


def newer_record(author: str, fields: dict[str, Any]) -> dict[str, Any]:
    raw = new_record(author, NEWER_STAMP, fields)
    return {**raw, "typed_at": "sam-laptop"}  # an envelope key this version has never seen


def write_as_newer_version(store: CoupleStore, path: Path, alex_celebration: str) -> dict[str, Any]:
    """What Sam's newer Kintsugi writes into Sam's copy at ``path``; returns what must survive."""
    sam = store.partners[1].id
    data = load(path)
    data["gratitude"] = {"g-1": newer_record(sam, {"for": "the tea you made"})}  # an unknown kind
    enormous = newer_record(sam, {"title": "We moved house", "day": "2026-11-20", "size": "enormous"})
    data["celebration"]["c-enormous"] = enormous  # a value this version cannot validate
    edited = data["celebration"][alex_celebration]
    edited = with_changes(edited, {"note": "Sam added this", "sparkle": 3}, NEWER_STAMP, sam)
    data["celebration"][alex_celebration] = {**edited, "typed_at": "sam-laptop"}  # an edit to Alex's
    data["_meta"]["file"]["sealed_with"] = "nothing yet"  # a _meta key
    data["_meta"]["keys"] = {"sam": "a public key"}  # a _meta document
    save(path, data)
    return data


def assert_newer_things_kept(path: Path, alex_celebration: str) -> None:
    data = load(path)
    assert data["gratitude"]["g-1"]["fields"]["for"] == "the tea you made"
    assert data["gratitude"]["g-1"]["typed_at"] == "sam-laptop"
    assert data["celebration"]["c-enormous"]["fields"]["size"] == "enormous"
    edited = data["celebration"][alex_celebration]
    assert edited["fields"]["note"] == "Sam added this"
    assert edited["fields"]["sparkle"] == 3
    assert edited["typed_at"] == "sam-laptop"
    assert data["_meta"]["file"]["sealed_with"] == "nothing yet"
    assert data["_meta"]["keys"] == {"sam": "a public key"}


@pytest.fixture
def newer(store: CoupleStore, tmp_path: Path, other_machine) -> tuple[CoupleStore, Path, str]:
    """Alex's store and file, and Sam's copy written by a newer Kintsugi (with Alex's record edited)."""
    alex = store.partners[0].id
    ours = store.add_celebration(alex, "Our first walk", day=DAY)
    sams = copy_for(store, tmp_path, other_machine)
    write_as_newer_version(store, sams.path, ours.id)
    store.add_celebration(alex, "Alex's own news", day=DAY)  # so the two copies really differ
    return store, sams.path, ours.id


def test_newer_records_survive_the_file_being_replaced_under_an_open_app(newer) -> None:
    store, theirs, ours_id = newer
    os.replace(theirs, store.path)  # Sam's sync service renames Sam's copy in
    assert store.refresh()  # what the app's watcher does: merge, and write back what was missing
    assert "Alex's own news" in store.path.read_text()
    assert_newer_things_kept(store.path, ours_id)
    store.add_celebration(store.partners[0].id, "and one more")  # and the next write keeps it all
    assert_newer_things_kept(store.path, ours_id)


def test_newer_records_survive_a_conflict_copy(newer, capsys) -> None:
    store, theirs, ours_id = newer
    shutil.move(theirs, store.path.with_name("couple.sync-conflict-20261121-101500-ABCDEFG.json"))
    (outcome,) = merge_conflict_copies(store)
    assert outcome.merged
    assert_newer_things_kept(store.path, ours_id)
    assert "1 new record from a newer Kintsugi" in describe(outcome.report, store)
    code, out, _ = run(capsys, "check")
    assert code == 0 and "2 written by a newer Kintsugi: kept as they are" in out


def test_newer_records_survive_the_git_merge_driver(newer, tmp_path: Path) -> None:
    store, theirs, ours_id = newer
    ours = tmp_path / "ours.json"
    shutil.copyfile(store.path, ours)
    assert main(["merge-driver", str(tmp_path / "base"), str(ours), str(theirs)]) == 0
    assert_newer_things_kept(ours, ours_id)
    assert "Alex's own news" in ours.read_text()


def test_newer_records_survive_sync_both(newer, capsys) -> None:
    store, theirs, ours_id = newer
    code, _, _ = run(capsys, "sync", str(theirs), "--both")
    assert code == 0
    assert_newer_things_kept(store.path, ours_id)
    assert_newer_things_kept(theirs, ours_id)
    assert store.path.read_bytes() == theirs.read_bytes()


def test_an_older_reading_never_overwrites_a_newer_edit(newer) -> None:
    """Alex's app read the record before Sam's newer edit arrived, then edits another field."""
    store, theirs, ours_id = newer
    alex = store.partners[0].id
    store.celebrations()  # the old reading, held in memory
    os.replace(theirs, store.path)
    store.update(Celebration, ours_id, alex, title="Our first long walk")
    data = load(store.path)["celebration"][ours_id]
    assert data["fields"]["title"] == "Our first long walk"
    assert data["fields"]["note"] == "Sam added this" and data["fields"]["sparkle"] == 3
    assert data["typed_at"] == "sam-laptop"


def test_unknown_tables_are_kept_byte_for_byte_on_save(store: CoupleStore, db_path: Path) -> None:
    data = load(db_path)
    data["wizard"] = {"w1": {"anything": ["at", {"all": 1}]}, "w2": newer_record("x", {"spell": "mend"})}
    save(db_path, data)
    store.add_celebration(store.partners[0].id, "a save after it")
    assert load(db_path)["wizard"] == data["wizard"]


# -- 2. a sync service renaming the file in during our save --------------------------------------


def test_a_copy_renamed_in_while_we_save_is_merged_not_overwritten(
    store: CoupleStore, tmp_path: Path, other_machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = (p.id for p in store.partners)
    sams = copy_for(store, tmp_path, other_machine)
    sams.add_celebration(sam, "Sam's news, arriving mid-save")
    incoming = store.path.with_name(".syncthing.couple.json.tmp")
    shutil.copyfile(sams.path, incoming)
    real_fsync = os.fsync
    renamed = []

    def fsync_then_the_service_renames(fd: int) -> None:
        real_fsync(fd)
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists(f"/proc/self/fd/{fd}") else ""
        if not renamed and name.endswith(".tmp") and "couple.json" in name and "syncthing" not in name:
            renamed.append(name)
            os.replace(incoming, store.path)  # after our read, before our rename: no lock taken

    monkeypatch.setattr(os, "fsync", fsync_then_the_service_renames)
    store.add_celebration(alex, "Alex's news")
    monkeypatch.undo()
    assert renamed, "the service's rename never happened"
    titles = {r["fields"]["title"] for r in load(store.path)["celebration"].values()}
    assert titles == {"Sam's news, arriving mid-save", "Alex's news"}
    assert not list(store.path.parent.glob(".~couple.json.*.tmp"))


def celebration_titles(path: Path) -> set[str]:
    return {raw["fields"]["title"] for raw in load(path).get("celebration", {}).values()}


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
def test_a_save_a_sync_service_renames_over_comes_back_at_the_next_read(
    sealed: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Syncthing's own window: it has checked the file, a whole save of ours lands, then it renames
    in its copy, made before our save. Our acknowledged save is gone from the file, unseen by
    anyone; the next Kintsugi on this machine to read the file holds it again, and writes it back."""
    path = tmp_path / "synced" / "couple.json"
    CoupleStore(path).init("Alex", "Sam", sealed=sealed)
    assert run(capsys, "--db", str(path), "--as", "Alex", "celebrate", "Our first")[0] == 0
    services_copy = path.with_name(".syncthing.couple.json.tmp")
    shutil.copyfile(path, services_copy)
    assert run(capsys, "--db", str(path), "--as", "Alex", "celebrate", "Alex's news")[0] == 0
    os.replace(services_copy, path)  # the service's rename, past its check: our save is replaced

    again = CoupleStore(path)
    again.load()
    assert {c.title for c in again.celebrations()} == {"Our first", "Alex's news"}
    again.refresh()  # written back
    again.places.recent_writes.unlink()  # the file itself holds it now, not only this machine
    fresh = CoupleStore(path)
    fresh.load()
    assert {c.title for c in fresh.celebrations()} == {"Our first", "Alex's news"}


def test_what_this_machine_wrote_is_taken_back_only_from_a_file_its_last_save_did_not_leave(
    store: CoupleStore,
) -> None:
    alex = store.partners[0].id
    for n in range(30):
        store.add_celebration(alex, f"Moment {n}")
    as_left = files.identity(store.path.stat())
    assert written.recent_writes(store.places, store.file_id, as_left) == {}
    other = (as_left[0] + 1, *as_left[1:])  # a file renamed in since
    kept = written.recent_writes(store.places, store.file_id, other)
    assert {raw["fields"]["title"] for raw in kept["celebration"].values()} == {
        f"Moment {n}" for n in range(30)
    }
    assert written.recent_writes(store.places, "another couple's file", other) == {}


def test_without_the_exchange_the_file_is_checked_just_before_the_rename(
    store: CoupleStore, tmp_path: Path, other_machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that cannot exchange two names (a FAT USB stick): the re-check catches it."""
    alex, sam = (p.id for p in store.partners)
    sams = copy_for(store, tmp_path, other_machine)
    sams.add_celebration(sam, "Sam's news")
    monkeypatch.setattr(files, "_RENAME", None)
    real_write_temp = storage_saving.write_temp
    done = []

    def write_then_the_service_renames(path: Path, content: Any) -> Any:
        out = real_write_temp(path, content)
        if not done:
            done.append(True)
            shutil.copyfile(sams.path, path.with_name(".incoming"))
            os.replace(path.with_name(".incoming"), path)
        return out

    monkeypatch.setattr(storage_saving, "write_temp", write_then_the_service_renames)
    store.add_celebration(alex, "Alex's news")
    titles = {r["fields"]["title"] for r in load(store.path)["celebration"].values()}
    assert titles == {"Sam's news", "Alex's news"}


def test_a_swapped_out_file_that_cannot_be_read_is_put_back_untouched(
    store: CoupleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_temp = storage_saving.write_temp
    done = []

    def write_then_damage(path: Path, content: Any) -> Any:
        out = real_write_temp(path, content)
        if not done:
            done.append(True)
            path.with_name(".incoming").write_text("{ half a file")
            os.replace(path.with_name(".incoming"), path)
        return out

    monkeypatch.setattr(storage_saving, "write_temp", write_then_damage)
    with pytest.raises(StoreError, match="not valid JSON"):
        store.add_celebration(store.partners[0].id, "Alex's news")
    assert store.path.read_text() == "{ half a file"  # never written over
    assert store.unsaved
    assert not list(store.path.parent.glob(".~couple.json.*.tmp"))


# -- 3. the history limit never drops a conflict's losing side ------------------------------------


def test_one_edit_against_thirty_three_on_the_other_side_is_kept() -> None:
    alex = HybridClock("alexlaptop", now_ms=lambda: 1_800_000_000_000)
    sam_now = [1_800_000_000_100]
    sam = HybridClock("samlaptop", now_ms=lambda: sam_now[0])
    base = new_record("alex", alex.tick(), {"title": "A walk", "note": "first words"})
    mine = with_changes(base, {"note": "Alex's words"}, alex.tick(), "alex")
    theirs = base
    for n in range(33):
        sam_now[0] += 1
        theirs = with_changes(theirs, {"note": f"Sam's draft {n}"}, sam.tick(), "sam")
    for a, b in ((mine, theirs), (theirs, mine)):
        merged, conflicts = merge_record(a, b)
        kept = {entry["value"] for entry in merged["history"]["note"].values()}
        assert "Alex's words" in kept
        assert conflicts == ["note"]
        assert [value for _, value in unseen_history(merged)["note"]] == ["Alex's words"]


def test_a_machines_own_superseded_versions_are_still_trimmed() -> None:
    clock = HybridClock("onlyme", now_ms=lambda: 1_800_000_000_000)
    raw = new_record("alex", clock.tick(), {"note": "v0"})
    for n in range(1, HISTORY_LIMIT + 10):
        raw = with_changes(raw, {"note": f"v{n}"}, clock.tick(), "alex")
    assert len(raw["history"]["note"]) == HISTORY_LIMIT


# -- 4. equal stamps ---------------------------------------------------------------------------


def test_a_local_file_copied_to_another_machine_gets_its_own_replica_id(tmp_path: Path) -> None:
    first = LocalState(tmp_path / "laptop" / "local.json")
    replica = first.replica_id
    copied = tmp_path / "second-laptop" / "local.json"  # a copied home folder
    copied.parent.mkdir()
    shutil.copyfile(first.path, copied)
    assert LocalState(copied).replica_id != replica
    assert LocalState(first.path).replica_id == replica  # the first machine keeps its own
    assert LocalState(copied, machine="another machine").replica_id != LocalState(copied).replica_id


def test_equal_stamps_with_different_values_keep_both() -> None:
    stamp = format_stamp(1_800_000_000_000, 0, "shared")
    base = new_record("alex", format_stamp(1_700_000_000_000, 0, "shared"), {"note": "", "connection": 3})
    one = with_changes(base, {"note": "from the laptop", "connection": 1}, stamp, "alex")
    two = with_changes(base, {"note": "from the copied laptop", "connection": 4}, stamp, "alex")
    a, report_a = merge_replicas({"checkin": {"r": one}}, {"checkin": {"r": two}})
    b, _ = merge_replicas({"checkin": {"r": two}}, {"checkin": {"r": one}})
    assert a == b
    raw = a["checkin"]["r"]
    for name, values in (("note", {"from the laptop", "from the copied laptop"}), ("connection", {1, 4})):
        kept = {raw["fields"][name]} | {e["value"] for e in raw["history"][name].values()}
        assert values <= kept
    assert {name for _, _, name in report_a.conflicts} == {"note", "connection"}


# -- 5. a clock far off --------------------------------------------------------------------------


def test_a_clock_past_2286_is_refused_with_a_sentence(store: CoupleStore, db_path: Path) -> None:
    before = db_path.read_bytes()
    store.clock = HybridClock(store.clock.replica, now_ms=lambda: 10**13 + 5_000)
    with pytest.raises(StoreError, match=r"clock says it is 2286.*set the clock right"):
        store.add_celebration(store.partners[0].id, "from the far future")
    assert db_path.read_bytes() == before


def test_the_counter_carries_into_the_next_millisecond_and_refuses_past_the_last() -> None:
    clock = HybridClock("abc", now_ms=lambda: 1_800_000_000_000)
    stamps = [clock.tick() for _ in range(0x10000 + 1)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert stamps[-2] == format_stamp(1_800_000_000_000, 0xFFFF, "abc")
    assert stamps[-1] == format_stamp(1_800_000_000_001, 0, "abc")
    last = HybridClock("abc", now_ms=lambda: 0)
    last.observe(format_stamp(10**13 - 1, 0xFFFF, "zz"))
    with pytest.raises(ValueError):
        last.tick()
    last.observe(format_stamp(10**13 - 1, 0xFFFE, "zz"))
    with pytest.raises(ValueError):  # still at the very last stamp: nothing after it
        last.tick()


def test_a_backup_from_the_future_does_not_stop_backups(store: CoupleStore, db_path: Path) -> None:
    later = dt.datetime.now() + dt.timedelta(days=5 * 365)  # the clock was set years ahead once
    first = backups.back_up(store.places, later)
    os.utime(first, (later.timestamp(), later.timestamp()))
    assert backups.back_up_if_due(store.places) is not None  # taken: the newest is not "recent"
    assert backups.back_up_if_due(store.places) is None  # and now the hour counts from it
    newest = backups.backups(store.places)[0]
    assert newest != first  # the order they were taken in, not the dates in their names


# -- 6. a restore is a merge ---------------------------------------------------------------------


def damage_one_record(path: Path, record_id: str) -> None:
    text = path.read_text()
    start = text.index(f'  "{record_id}": {{')
    cut = text.index('"fields"', start)
    path.write_text(text[:cut] + '"fie\x00lds" ::: ' + text[cut + 9 :])


def test_check_restore_keeps_the_present_and_says_what_it_does(
    capsys, store: CoupleStore, db_path: Path, tmp_path: Path, other_machine
) -> None:
    alex, sam = (p.id for p in store.partners)
    store.add_celebration(alex, "before the backup")
    assert backups.back_up_if_due(store.places, force=True)
    acknowledged = [store.add_celebration(alex, f"acknowledged {n}").id for n in range(40)]
    sams = copy_for(store, tmp_path, other_machine)
    sams.add_celebration(sam, "Sam's words")
    sync_with(store, sams.path)
    damage_one_record(db_path, store.partners[0].id)  # a record the backup holds too
    code, _, err = run(capsys, "check")
    assert code == 2 and "--restore" in err
    code, out, err = run(capsys, "check", "--restore", "--yes")
    assert code == 0, err
    assert "1 unreadable record of the file comes back from the backup" in out
    data = load(db_path)
    titles = {r["fields"]["title"] for r in data["celebration"].values()}
    assert set(acknowledged) <= set(data["celebration"])
    assert {"before the backup", "Sam's words"} <= titles
    assert data["partner"][alex]["fields"]["name"] == "Alex"
    assert run(capsys, "check")[0] == 0


def test_check_restore_counts_what_no_backup_holds(capsys, store: CoupleStore, db_path: Path) -> None:
    alex = store.partners[0].id
    store.add_celebration(alex, "before the backup")
    lost = store.add_celebration(alex, "after the backup, then damaged").id
    damage_one_record(db_path, lost)
    code, _, err = run(capsys, "check", "--restore")
    assert code == 2
    assert "1 record of the file cannot be read and no backup holds it" in err
    code, out, _ = run(capsys, "check", "--restore", "--yes")
    assert code == 0 and "kept at" in out
    kept = next(store.places.damaged.iterdir())
    assert "after the backup" in kept.read_text()  # the copy set aside still has its bytes


def test_a_clock_skewed_backup_set_does_not_win(capsys, store: CoupleStore, db_path: Path) -> None:
    alex = store.partners[0].id
    store.add_celebration(alex, "an early moment")
    stale = backups.back_up(store.places, dt.datetime(2031, 1, 1))  # named in a wrong clock's future
    os.utime(stale, (dt.datetime(2031, 1, 1).timestamp(),) * 2)
    store.add_celebration(alex, "the newest moment")
    fresh = backups.back_up(store.places)
    assert backups.backups(store.places)[0] == fresh
    db_path.write_text("{ damaged")
    assert run(capsys, "check", "--restore", "--yes")[0] == 0
    titles = {r["fields"]["title"] for r in load(db_path)["celebration"].values()}
    assert titles == {"an early moment", "the newest moment"}


# -- 7. a symlinked file -------------------------------------------------------------------------


def test_a_symlinked_file_is_written_through_its_link(tmp_path: Path, other_machine) -> None:
    synced = tmp_path / "Sync" / "us" / "couple.json"
    synced.parent.mkdir(parents=True)
    link = tmp_path / "home" / "couple.json"
    link.parent.mkdir(exist_ok=True)
    store = CoupleStore(synced)
    store.init("Alex", "Sam")
    link.symlink_to(synced)
    via_link = CoupleStore(link)
    via_link.add_celebration(via_link.partners[0].id, "written through the link")
    assert link.is_symlink() and os.readlink(link) == str(synced)
    assert "written through the link" in synced.read_text()
    sams = other_machine(synced)
    sams.add_celebration(sams.partners[1].id, "Sam's, in the synced folder")
    assert {c.title for c in via_link.celebrations()} == {
        "written through the link",
        "Sam's, in the synced folder",
    }
    shutil.copyfile(synced, synced.with_name("couple.sync-conflict-20261121-101500-ABCDEFG.json"))
    assert len(merge_conflict_copies(via_link)) == 1  # found beside the real file
    assert not list(link.parent.glob(".~*")) and not (link.parent / ".kintsugi").exists()


# -- 8. private drafts never leak ----------------------------------------------------------------


def test_sharing_shares_the_current_wording_only(store: CoupleStore, db_path: Path) -> None:
    alex = store.partners[0].id
    wound = store.add_entry(Wound, alex, private=True, what="the first thing I could say")
    store.edit_entry(Wound, wound.id, alex, what="what I really mean, said gently")
    store.share_entry(Wound, wound.id, alex)
    shared = db_path.read_text()
    assert "said gently" in shared
    assert "the first thing I could say" not in shared
    assert "the first thing I could say" in Path(os.environ["KINTSUGI_LOCAL"]).read_text()


# -- 9. two Kintsugi on one machine share the local file -----------------------------------------


def test_two_processes_writing_the_local_file_lose_nothing(store: CoupleStore, db_path: Path) -> None:
    alex, sam = (p.id for p in store.partners)
    other = CoupleStore(db_path)  # the TUI and a CLI command, say: each holds the local file
    mine = store.add_entry(Wound, alex, private=True, what="Alex's private wound")
    theirs = other.add_entry(Wound, alex, private=True, what="written in another terminal")
    answer = other.give_answer(sam, "Sam's words for today", day=DAY)
    store.add_entry(Wound, alex, private=True, what="and another")
    again = CoupleStore(db_path)
    titles = {w.what for w in again.entries(Wound, alex)}
    assert titles == {"Alex's private wound", "written in another terminal", "and another"}
    assert {mine.id, theirs.id} <= {w.id for w in again.entries(Wound, alex)}
    again.give_answer(alex, "Alex's words", day=DAY)
    published = again.publish_answers()
    assert {a.id for a in published} >= {answer.id}


LOCAL_WRITER = """
import sys
from pathlib import Path
from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore

store = CoupleStore(Path(sys.argv[1]))
alex = store.partners[0].id
for i in range(int(sys.argv[3])):
    store.add_entry(Wound, alex, private=True, what=f"{sys.argv[2]}-{i}")
    print(i, flush=True)
"""


@pytest.mark.slow
def test_two_processes_racing_on_the_local_file_keep_every_private_entry(
    store: CoupleStore, db_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", LOCAL_WRITER, str(db_path), prefix, "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for prefix in ("one", "two")
    ]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    kept = {w.what for w in CoupleStore(db_path).entries(Wound, store.partners[0].id)}
    assert kept == {f"{p}-{i}" for p in ("one", "two") for i in range(60)}


# -- 10. the git merge driver runs Kintsugi, whatever the repository holds -------------------------


def test_the_merge_driver_is_kintsugi_even_with_an_app_folder_in_the_repository(
    store: CoupleStore, tmp_path: Path, capsys
) -> None:
    from app.store.sync import git_setup

    repo = store.path.parent
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)

    git("init", "-q", "--initial-branch=main")
    git("config", "user.name", "Alex")
    git("config", "user.email", "alex@example.org")
    git_setup(store.path)
    (repo / "app").mkdir()
    (repo / "app" / "__init__.py").write_text("")
    (repo / "app" / "__main__.py").write_text(f"open({str(tmp_path / 'pwned')!r}, 'w').write('ran')\n")
    git("add", "-A")
    git("commit", "-q", "-m", "start")
    alex, sam = (p.id for p in store.partners)
    git("checkout", "-q", "-b", "sam")
    store.add_celebration(sam, "Sam's branch")
    git("commit", "-q", "-am", "sam")
    git("checkout", "-q", "main")
    store.refresh()
    store.add_celebration(alex, "Alex's branch")
    git("commit", "-q", "-am", "alex")
    merged = git("merge", "--no-edit", "sam")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert not (tmp_path / "pwned").exists()
    titles = {r["fields"]["title"] for r in load(store.path)["celebration"].values()}
    assert titles == {"Sam's branch", "Alex's branch"}


# -- 11. numbers and choices are kept too ----------------------------------------------------------


def test_a_check_in_score_set_apart_keeps_the_losing_score(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    alex = store.partners[0].id
    store.check_in(alex, 3, day=DAY)
    second = copy_for(store, tmp_path, other_machine, "second-laptop")  # Alex's second laptop
    store.check_in(alex, 1, day=DAY)
    second.check_in(alex, 4, day=DAY)
    sync_with(store, second.path, both=True)
    (checkin,) = store.checkins(alex)
    (alternative,) = [a for a in store.alternatives() if a.kind == "checkin"]
    assert {checkin.connection, alternative.value} == {1, 4}
    store.restore_alternative(alternative, alex)
    assert store.checkins(alex)[0].connection == alternative.value


# -- 12. temporary files ------------------------------------------------------------------------


def test_a_killed_saves_temporary_file_is_merged_and_removed_on_the_next_open(
    store: CoupleStore, db_path: Path, tmp_path: Path, other_machine
) -> None:
    sams = copy_for(store, tmp_path, other_machine)
    sams.add_celebration(store.partners[1].id, "only in a leftover")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    pid = int(dead.stdout)
    for name in (f".couple.json.{pid}.tmp", f".~couple.json.{pid}.tmp"):  # older and newer names
        shutil.copyfile(sams.path, db_path.with_name(name))
    db_path.with_name(f".~couple.json.{pid + 1}.tmp").write_text("half a fi")  # unreadable: removed
    os.utime(db_path.with_name(f".~couple.json.{pid + 1}.tmp"), (0, 0))
    reopened = CoupleStore(db_path)
    reopened.load()
    assert not list(db_path.parent.glob(".*.tmp"))
    assert "only in a leftover" in db_path.read_text()


def test_nothing_of_this_machines_is_kept_in_the_synced_folder(store: CoupleStore, db_path: Path) -> None:
    for n in range(3):
        store.add_celebration(store.partners[0].id, f"moment {n}")
    backups.back_up(store.places)
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["couple.json"]


def test_old_work_folders_move_to_this_machine(store: CoupleStore, db_path: Path) -> None:
    legacy = db_path.parent / ".kintsugi"
    (legacy / "backups").mkdir(parents=True)
    (legacy / "backups" / "couple-20260101-101010-000000.json").write_bytes(db_path.read_bytes())
    (legacy / "couple.json.lock").write_text("")
    CoupleStore(db_path).load()
    assert not legacy.exists()
    assert [p.name for p in backups.backups(store.places)] == ["couple-20260101-101010-000000.json"]


# -- 13. a file that has not arrived yet ---------------------------------------------------------


def test_a_file_briefly_missing_is_waited_for(
    capsys, store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(couple_file, "SETTLE_S", 3.0)
    monkeypatch.setattr(storage_module, "SETTLE_S", 3.0)
    aside = db_path.with_name(".syncthing.couple.json.tmp")
    db_path.rename(aside)  # Syncthing moved the old version away; the new one comes in a moment

    def arrive() -> None:
        time.sleep(0.3)
        os.replace(aside, db_path)

    arriving = threading.Thread(target=arrive)
    arriving.start()
    code, _, err = run(capsys, "celebrate", "We waited")
    arriving.join()
    assert code == 0, err
    assert "We waited" in db_path.read_text()


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_where_a_file_was_nothing_new_starts_without_being_asked(
    capsys, store: CoupleStore, db_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_celebration(store.partners[0].id, "worth keeping")  # the first save backs the file up
    if how == "missing":
        db_path.unlink()
    else:
        db_path.write_bytes(b"")
    code, _, err = run(capsys, "celebrate", "now")
    assert code == 2 and "on its way from your sync service" in err and "--restore" in err
    code, _, err = run(capsys, "init", "--me", "Kim", "--partner", "Lee")
    assert code == 2 and "--start-over" in err
    opened = []
    monkeypatch.setattr("app.cli.launch_tui", lambda *args: opened.append(args))
    code, _, err = run(capsys)  # the app would have asked for two names and started over
    assert code == 2 and "on its way" in err and not opened
    code, _, err = run(capsys, "check", "--restore", "--yes")
    assert code == 0, err
    assert [p.name for p in CoupleStore(db_path).partners] == ["Alex", "Sam"]


def test_starting_over_is_possible_when_asked(capsys, store: CoupleStore, db_path: Path) -> None:
    store.add_celebration(store.partners[0].id, "from before")
    db_path.unlink()
    code, _, _ = run(capsys, "init", "--me", "Kim", "--partner", "Lee", "--start-over")
    assert code == 0 and [p.name for p in CoupleStore(db_path).partners] == ["Kim", "Lee"]


# -- 14. names in two Unicode forms --------------------------------------------------------------


def test_names_in_another_unicode_form_are_the_same_name(capsys, db_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Zoë")
    assert run(capsys, "init", "--me", nfd, "--partner", "Sam")[0] == 0
    code, _, err = run(capsys, "--as", "Zoë", "celebrate", "Named alike")
    assert code == 0, err
    code, _, err = run(capsys, "--as", unicodedata.normalize("NFD", "ZOË"), "agree", "A", "--list", "Café")
    assert code == 0, err
    code, _, err = run(capsys, "--as", "Sam", "agree", "B", "--list", unicodedata.normalize("NFD", "café"))
    assert code == 0, err
    store = CoupleStore(db_path)
    assert [lst.name for lst in store.agreement_lists()] == ["Café"]
    assert store.partners[0].name == "Zoë" == unicodedata.normalize("NFC", store.partners[0].name)


def test_list_names_from_two_machines_in_two_forms_make_one_list(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    alex, sam = (p.id for p in store.partners)
    sams = copy_for(store, tmp_path, other_machine)
    store.add_agreement(alex, "We rest on Sundays", list_name="Café")
    sams.add_agreement(sam, "We share the dishes", list_name=unicodedata.normalize("NFD", "Café"))
    sync_with(store, sams.path, both=True)
    assert len(store.agreement_lists()) == 1


def test_a_damaged_file_is_waited_for_once_not_on_every_read(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.celebrations()
    db_path.write_text("{ half")
    reads = []
    real = couple_file.read_couple_bytes
    for module in (couple_file, storage_taking_in):  # load_couple_file's reads, and the take-in's
        monkeypatch.setattr(module, "read_couple_bytes", lambda path: reads.append(path) or real(path))
    with pytest.raises(StoreError):
        store.celebrations()
    tried = len(reads)
    assert tried >= 1
    for _ in range(5):
        with pytest.raises(StoreError):
            store.celebrations()
    assert len(reads) == tried  # the same damaged file: told at once, not read and waited for again
    db_path.write_text("{ still half")  # but a file that changed is read again
    with pytest.raises(StoreError):
        store.celebrations()
    assert len(reads) > tried
