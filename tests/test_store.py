"""The store: what it writes, how it reads, how it survives other writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import TinyDB

from app.domain.models import Agreement, Celebration, StepStatus
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.store.storage import StoreError

UUID_LEN = 36


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_records_are_keyed_by_uuid_strings(store: CoupleStore, db_path: Path) -> None:
    me = store.me
    assert me is not None
    store.add_celebration(me.id, "First walk without phones")
    data = load(db_path)
    ids = list(data["celebration"]) + list(data["partner"])
    assert len(ids) == 3
    assert all(len(record_id) == UUID_LEN and record_id.count("-") == 4 for record_id in ids)


def test_a_write_survives_reopening(store: CoupleStore, db_path: Path) -> None:
    me = store.me
    assert me is not None
    store.add_celebration(me.id, "We laughed at dinner", note="first time in weeks")
    again = CoupleStore(db_path)
    (found,) = again.celebrations()
    assert (found.title, found.note, found.author) == ("We laughed at dinner", "first time in weeks", me.id)
    assert again.me == me


def test_canonical_bytes_do_not_depend_on_insertion_order(
    tmp_path: Path, store: CoupleStore, db_path: Path
) -> None:
    me = store.me
    assert me is not None
    for title in ("one", "two", "three"):
        store.add_celebration(me.id, title)
    data = load(db_path)
    forward = tmp_path / "forward" / "couple.json"
    backward = tmp_path / "backward" / "couple.json"
    for path, flip in ((forward, False), (backward, True)):
        path.parent.mkdir()
        tables = list(data.items())[::-1] if flip else list(data.items())
        path.write_text(json.dumps({t: dict(list(r.items())[::-1] if flip else r) for t, r in tables}))
        reopened = CoupleStore(path, store.local)
        reopened.storage.write(reopened.storage.read())  # rewrite what it holds, canonically
    assert forward.read_bytes() == backward.read_bytes() == db_path.read_bytes()


def test_file_is_canonical(store: CoupleStore, db_path: Path) -> None:
    text = db_path.read_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=True) + "\n"


def test_change_from_another_process_is_seen_on_next_read(store: CoupleStore, db_path: Path) -> None:
    me = store.me
    assert me is not None
    code = f"""
import sys
from pathlib import Path
from app.store.couple import CoupleStore
s = CoupleStore(Path({str(db_path)!r}))
s.add_celebration(s.partners[1].id, "Sam's news from the other process")
"""
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert [c.title for c in store.celebrations()] == ["Sam's news from the other process"]


def test_plain_tinydb_writer_is_seen_and_nothing_is_lost(store: CoupleStore, db_path: Path) -> None:
    """Another program rewriting the file in place: we take its change in and keep ours."""
    me = store.me
    assert me is not None
    store.add_celebration(me.id, "ours")
    raw = load(db_path)
    raw["partner"][me.id]["fields"]["colour"] = "teal"
    raw["partner"][me.id]["stamps"]["colour"] = "9999999999999-0000-zzz"
    other = TinyDB(db_path)  # plain JSONStorage: truncates and writes in place
    other.storage.write(raw)
    other.close()
    store.add_celebration(me.id, "ours again")
    assert {c.title for c in store.celebrations()} == {"ours", "ours again"}
    assert store.partner(me.id).colour == "teal"
    assert len(load(db_path)["celebration"]) == 2


def test_two_stores_writing_apart_both_keep_their_change(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    sams = other_machine(db_path)
    alex, sam = store.partners
    sams.set_me(sam.id)
    store.add_celebration(alex.id, "from Alex")
    sams.add_celebration(sam.id, "from Sam")  # Sam's store had read the file before Alex wrote
    store.set_progress(alex.id, 3, StepStatus.PRACTISING)
    assert {c.title for c in CoupleStore(db_path).celebrations()} == {"from Alex", "from Sam"}
    assert CoupleStore(db_path).progress(alex.id)[3] is StepStatus.PRACTISING


def test_what_came_in_from_the_partner_is_told_once_with_the_last_change(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    sams = other_machine(db_path)
    alex, sam = store.partners
    sams.set_me(sam.id)  # Sam's machine is published in the file
    store.refresh()
    assert [kind for report in store.came_in() for kind, _ in report.added] == ["machine"]
    store.add_celebration(alex.id, "from Alex")
    assert store.came_in() == []  # our own write came from nowhere else
    mine = store.last_change()
    assert mine is not None and mine.editor == alex.id
    assert mine.machine is not None and mine.machine.id == store.keyring.machine_id
    sams.add_celebration(sam.id, "from Sam")
    generation = store.generation
    assert store.refresh()
    assert store.generation != generation
    (report,) = store.came_in()
    assert [kind for kind, _ in report.added] == ["celebration"]
    assert store.came_in() == []  # told once
    change = store.last_change()
    assert change is not None and change.editor == sam.id
    assert change.machine is not None and change.machine.id == sams.keyring.machine_id
    assert abs(change.when - dt.datetime.now()) < dt.timedelta(minutes=5)


def test_file_and_folder_modes(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "couple.json"
    CoupleStore(path).init("Alex", "Sam")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    local = Path(os.environ["KINTSUGI_LOCAL"])
    assert stat.S_IMODE(local.stat().st_mode) == 0o600
    assert stat.S_IMODE(local.parent.stat().st_mode) == 0o700


def test_existing_file_is_made_private_on_write(store: CoupleStore, db_path: Path) -> None:
    db_path.chmod(0o644)
    store.add_celebration(store.partners[0].id, "private again")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_meta_has_file_id_and_schema_version(store: CoupleStore, db_path: Path) -> None:
    meta = load(db_path)["_meta"]["file"]
    assert meta["schema_version"] == 1
    assert len(meta["file_id"]) == UUID_LEN
    assert store.file_id == meta["file_id"]


def test_identity_lives_in_the_local_file_not_the_shared_one(store: CoupleStore, db_path: Path) -> None:
    local = load(Path(os.environ["KINTSUGI_LOCAL"]))
    assert local["files"][store.file_id]["me"] == store.partners[0].id
    shared = db_path.read_text()
    assert local["replica_id"] not in json.dumps(load(db_path)["_meta"])
    assert "me" not in load(db_path)["_meta"]["file"]
    assert shared.count(local["replica_id"]) > 0  # only as part of clock stamps


def test_progress_is_saved_per_partner(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    store.set_progress(alex.id, 2, StepStatus.EXPLORING)
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED, editor=sam.id)
    store.set_progress(alex.id, 2, StepStatus.PRACTISING)
    statuses = {
        (r["fields"]["partner"], r["fields"]["step"]): r["fields"]["status"]
        for r in load(db_path)["progress"].values()
    }
    assert statuses == {(alex.id, 2): "practising", (sam.id, 2): "integrated"}


def test_edit_keeps_old_text_in_history(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We pause when voices rise")
    store.update(Agreement, agreement.id, sam.id, text="We pause and breathe when voices rise")
    raw = load(db_path)["agreement"][agreement.id]
    assert raw["fields"]["text"] == "We pause and breathe when voices rise"
    assert [e["value"] for e in raw["history"]["text"].values()] == ["We pause when voices rise"]
    assert raw["fields"]["edited_by"] == sam.id


def test_signature_binds_to_wording(store: CoupleStore) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Phones away at dinner")
    store.sign(agreement.id, alex.id)
    signed = store.sign(agreement.id, sam.id)
    assert signed.signed_by(alex.id) and signed.signed_by(sam.id)
    changed = store.update(Agreement, agreement.id, alex.id, text="Phones away at dinner, most nights")
    assert not changed.signed_by(alex.id) and not changed.signed_by(sam.id)


def test_unsigning_removes_the_signature(store: CoupleStore) -> None:
    alex, sam = store.partners
    agreement = store.sign(store.add_agreement(alex.id, "Walk on Sundays").id, alex.id)
    store.sign(agreement.id, sam.id)
    unsigned = store.unsign(agreement.id, alex.id)
    assert not unsigned.signed_by(alex.id) and unsigned.signed_by(sam.id)
    assert set(CoupleStore(store.path).get(Agreement, agreement.id).signatures) == {sam.id}


def test_delete_leaves_a_tombstone(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    celebration = store.add_celebration(alex.id, "oops")
    store.delete(Celebration, celebration.id, alex.id)
    assert store.celebrations() == []
    assert load(db_path)["celebration"][celebration.id]["fields"]["deleted"] is True


def test_checkin_once_a_day_per_partner(store: CoupleStore) -> None:
    alex, _ = store.partners
    day = dt.date(2026, 11, 1)
    store.check_in(alex.id, 2, mood="tired", day=day)
    store.check_in(alex.id, 4, mood="hopeful", day=day)
    (only,) = store.checkins(alex.id)
    assert (only.connection, only.mood) == (4, "hopeful")


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"title": "   "}, "title"), ({"title": "x", "step": 12}, "step"), ({"title": "x" * 400}, "title")],
)
def test_invalid_records_are_refused_with_a_sentence(
    store: CoupleStore, db_path: Path, fields, message
) -> None:
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=message):
        store.create(Celebration, store.partners[0].id, day=dt.date.today(), **fields)
    assert db_path.read_bytes() == before


def test_unreadable_json_is_reported_and_never_overwritten(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text('{"_meta": {"file": ')
    store = CoupleStore(db_path)
    with pytest.raises(StoreError, match="not valid JSON"):
        store.load()
    with pytest.raises(StoreError):
        store.add_celebration("someone", "x")
    assert db_path.read_text() == '{"_meta": {"file": '


def test_file_from_the_future_is_refused(store: CoupleStore, db_path: Path) -> None:
    data = load(db_path)
    data["_meta"]["file"]["schema_version"] = 99
    db_path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="newer Kintsugi"):
        CoupleStore(db_path).load()


def test_another_couples_file_replacing_ours_is_refused(
    store: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "couple.json"
    CoupleStore(elsewhere, LocalState(tmp_path / "l2.json")).init("Kim", "Lee")
    store.add_celebration(store.partners[0].id, "ours")
    os.replace(elsewhere, db_path)
    with pytest.raises(StoreError, match="another couple"):
        store.add_celebration(store.partners[0].id, "would clobber")
    assert "Kim" in db_path.read_text()


def test_a_record_this_version_cannot_read_is_counted_and_kept(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    good = store.add_celebration(alex.id, "good")
    bad = store.add_celebration(alex.id, "bad")
    data = load(db_path)
    data["celebration"][bad.id]["fields"]["day"] = "not a date"  # a newer Kintsugi's kind of day, say
    db_path.write_text(json.dumps(data))
    reopened = CoupleStore(db_path)
    assert [c.id for c in reopened.celebrations()] == [good.id]
    assert reopened.problems() == []  # its envelope is whole: not damaged
    assert reopened.from_newer() == 1
    reopened.add_celebration(alex.id, "another")
    assert load(db_path)["celebration"][bad.id]["fields"]["day"] == "not a date"  # kept aside, not dropped


def test_partner_lookup_by_name(store: CoupleStore) -> None:
    assert store.partner_named("sam").name == "Sam"
    with pytest.raises(StoreError, match="no partner called 'Kim'"):
        store.partner_named("Kim")


def test_clock_observes_stamps_from_the_file(store: CoupleStore, db_path: Path, other_machine) -> None:
    data = load(db_path)
    alex = store.partners[0]
    future = "4000000000000-0003-zz"
    data["partner"][alex.id]["stamps"]["colour"] = future
    db_path.write_text(json.dumps(data))
    sams = other_machine(db_path)
    written = sams.add_celebration(alex.id, "after the future stamp")
    assert written.created > future


def test_writes_are_canonical_after_edits_and_another_writer(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    me = store.me
    assert me is not None
    for title in ("one", "two", "three"):
        store.add_celebration(me.id, title)
    first = store.celebrations()[-1]
    store.update(Celebration, first.id, me.id, note="changed once")
    other_machine(db_path).add_celebration(me.id, "from the other process")
    store.delete(Celebration, first.id, me.id)
    store.add_celebration(me.id, "after the other writer")
    text = db_path.read_text()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=True) + "\n"
    assert len(load(db_path)["celebration"]) == 5


def test_a_record_changed_in_place_is_caught_by_the_check(store: CoupleStore) -> None:
    me = store.me
    assert me is not None
    store.add_celebration(me.id, "one")
    (raw,) = store.raw_table("celebration").values()
    raw["fields"]["title"] = "changed in place, behind the store's back"
    with pytest.raises(AssertionError, match="changed in place"):
        store.add_celebration(me.id, "two")


def test_clock_observes_stamps_written_through_the_storage(store: CoupleStore) -> None:
    me = store.me
    assert me is not None
    store.add_celebration(me.id, "one")
    data = store.storage.read()
    assert data is not None
    future = "4000000000000-0003-zz"
    (record_id, raw) = next(iter(data["celebration"].items()))
    changed = {**raw, "stamps": {**raw["stamps"], "note": future}}
    store.storage.write({**data, "celebration": {**data["celebration"], record_id: changed}})
    assert store.add_celebration(me.id, "after").created > future


def test_partner_edit_to_the_same_record_just_before_ours_is_kept(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    celebration = store.add_celebration(alex.id, "First walk")
    sams = other_machine(db_path)
    real_put = store._put

    def sam_writes_first(*args: object) -> None:  # Sam's change lands between our read and our write
        sams.update(Celebration, celebration.id, sam.id, note="I loved the bakery stop")
        real_put(*args)

    store._put = sam_writes_first  # type: ignore[method-assign]
    store.update(Celebration, celebration.id, alex.id, title="Our first long walk")
    again = CoupleStore(db_path).get(Celebration, celebration.id)
    assert again is not None
    assert (again.title, again.note) == ("Our first long walk", "I loved the bakery stop")


def test_the_file_is_a_tinydb_database_tinydbs_queries_read(store: CoupleStore) -> None:
    """The store writes records through its storage; TinyDB's own API reads the same file."""
    from tinydb import Query

    alex = store.partners[0].id
    walk = store.add_celebration(alex, "A walk by the river")
    store.add_celebration(alex, "Tea at five")
    record = Query()
    (found,) = store.db.table("celebration").search(record.fields.title == "A walk by the river")
    assert found.doc_id == walk.id and found["author"] == alex
    assert len(store.db.table("celebration")) == 2
