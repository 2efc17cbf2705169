"""Keeping a commitment day by day: one record a day, marking again un-marks, machines agree."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from app.domain.merge import merge_replicas
from app.domain.practices.trust import Commitment, CommitmentKept, Frequency
from app.store.couple import CoupleStore
from app.store.couple_file import records_of
from app.store.storage import StoreError

DAY = dt.date(2026, 11, 18)


def a_commitment(store: CoupleStore) -> Commitment:
    alex, _ = store.partners
    return store.create(
        Commitment, alex.id, partner=alex.id, what="Text when I'm late", since=DAY - dt.timedelta(days=9)
    )


def kept_records(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text())[CommitmentKept.KIND]


def test_marking_a_day_makes_one_record_and_marking_again_unmarks_it(
    store: CoupleStore, db_path: Path
) -> None:
    alex, sam = store.partners
    promise = a_commitment(store)
    assert store.toggle_kept(promise.id, DAY, alex.id) is True
    (record_id,) = kept_records(db_path)
    assert record_id == store.kept_id(promise.id, DAY)
    fields = kept_records(db_path)[record_id]["fields"]
    assert fields["commitment_id"] == promise.id and fields["day"] == DAY.isoformat()
    assert fields["deleted"] is False

    assert store.toggle_kept(promise.id, DAY, sam.id) is False  # un-marked: a tombstone
    assert kept_records(db_path)[record_id]["fields"]["deleted"] is True
    assert not store.is_kept(promise.id, DAY)
    assert store.kept_days() == {}

    assert store.toggle_kept(promise.id, DAY, alex.id) is True  # marked again: the same record
    assert list(kept_records(db_path)) == [record_id]
    assert store.kept_days() == {promise.id: {DAY}}


def test_two_machines_marking_the_same_day_make_one_record(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    promise = a_commitment(store)
    sams_path = tmp_path / "sam-machine" / "couple.json"
    sams_path.parent.mkdir()
    shutil.copyfile(store.path, sams_path)
    sams = other_machine(sams_path, "sam")

    store.toggle_kept(promise.id, DAY, alex.id)
    sams.toggle_kept(promise.id, DAY, sam.id)
    ours = records_of(json.loads(store.path.read_text()))
    theirs = records_of(json.loads(sams_path.read_text()))
    merged, _ = merge_replicas(ours, theirs)
    kept = merged[CommitmentKept.KIND]
    assert len(kept) == 1
    (raw,) = kept.values()
    assert raw["fields"]["deleted"] is False and raw["fields"]["day"] == DAY.isoformat()


def test_the_same_file_written_from_two_machines_holds_one_record(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    promise = a_commitment(store)
    sams = other_machine(db_path, "sam")
    store.toggle_kept(promise.id, DAY, alex.id)
    sams.toggle_kept(promise.id, DAY - dt.timedelta(days=1), sam.id)
    store.refresh()
    assert len(kept_records(db_path)) == 2
    assert store.kept_days() == {promise.id: {DAY, DAY - dt.timedelta(days=1)}}


def test_a_deleted_commitment_cannot_be_marked(store: CoupleStore) -> None:
    alex, _ = store.partners
    promise = a_commitment(store)
    store.delete(Commitment, promise.id, alex.id)
    with pytest.raises(StoreError) as caught:
        store.toggle_kept(promise.id, DAY, alex.id)
    assert "no longer here" in str(caught.value)


def test_commitments_come_with_their_consistency(store: CoupleStore) -> None:
    alex, _ = store.partners
    promise = a_commitment(store)
    later = store.create(
        Commitment,
        alex.id,
        partner=alex.id,
        what="Walk on Sundays",
        frequency=Frequency.WEEKLY,
        weekday=6,
        since=DAY,
    )
    for offset in range(3):
        store.toggle_kept(promise.id, DAY - dt.timedelta(days=offset), alex.id)
    assert [c.id for c in store.commitments()] == [promise.id, later.id]
    (first, held), (_, nothing) = store.commitments_with_consistency(DAY)
    assert first.id == promise.id
    assert (held.kept, held.expected) == (3, 10)
    assert (nothing.kept, nothing.expected) == (0, 0)
