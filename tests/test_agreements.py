"""The store calls the agreements screen makes: propose on a list, edit, revisit, retire, delete, archive."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from app.domain.models import AgreementStatus, wording_key
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.store.sync import sync_with


def raw_agreement(db_path: Path, agreement_id: str) -> dict:
    return json.loads(db_path.read_text(encoding="utf-8"))["agreement"][agreement_id]


def test_propose_on_a_chosen_list_with_a_review_date(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    home = store.agreement_list_named("Home", alex.id)
    review = dt.date(2026, 9, 1)
    added = store.add_agreement(
        alex.id, "  Tea at five  ", list_id=home.id, why=" it helps ", review_on=review
    )
    fields = raw_agreement(db_path, added.id)["fields"]
    assert (fields["list_id"], fields["text"], fields["why"], fields["review_on"]) == (
        home.id,
        "Tea at five",
        "it helps",
        "2026-09-01",
    )
    assert added.due_for_review(review) and not added.due_for_review(review - dt.timedelta(days=1))


def test_propose_on_an_unknown_list_is_refused_and_nothing_written(store: CoupleStore, db_path: Path) -> None:
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="No agreement list"):
        store.add_agreement(store.partners[0].id, "Tea at five", list_id="not-a-list")
    assert db_path.read_bytes() == before


def test_editing_the_wording_unbinds_signatures_and_keeps_the_old_text(
    store: CoupleStore, db_path: Path
) -> None:
    alex, sam = store.partners
    ids = [alex.id, sam.id]
    agreement = store.add_agreement(alex.id, "We pause when voices rise")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    # The same words with other spaces are not a new wording: both signatures still count.
    same = store.edit_agreement(agreement.id, sam.id, text=" We pause when voices rise\n", why="we get loud")
    assert same.status(ids) is AgreementStatus.AGREED and same.why == "we get loud"
    changed = store.edit_agreement(agreement.id, sam.id, text="We pause, and come back within the hour")
    assert changed.status(ids) is AgreementStatus.CHANGED
    assert changed.changed_since_signed_by(alex.id) and changed.changed_since_signed_by(sam.id)
    raw = raw_agreement(db_path, agreement.id)
    assert [entry["value"] for entry in raw["history"]["text"].values()] == ["We pause when voices rise"]
    assert raw["fields"][f"signature.{alex.id}"] == wording_key("We pause when voices rise")
    assert raw["fields"]["why"] == ""


def test_an_empty_wording_is_refused_and_nothing_written(store: CoupleStore, db_path: Path) -> None:
    agreement = store.add_agreement(store.partners[0].id, "Tea at five")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="needs some words"):
        store.edit_agreement(agreement.id, store.partners[0].id, text="  \n ")
    assert db_path.read_bytes() == before


def test_revisit_note_is_set_and_cleared(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    asked = store.set_revisit(agreement.id, "  five is early  ", sam.id)
    assert asked.status([alex.id, sam.id]) is AgreementStatus.TO_REVISIT
    assert raw_agreement(db_path, agreement.id)["fields"]["revisit"] == "five is early"
    cleared = store.set_revisit(agreement.id, "", alex.id)
    assert cleared.status([alex.id, sam.id]) is AgreementStatus.PROPOSED
    assert raw_agreement(db_path, agreement.id)["history"]["revisit"]  # the note is kept in history


def test_retire_and_bring_back(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    assert store.retire(agreement.id, sam.id).status([alex.id, sam.id]) is AgreementStatus.RETIRED
    assert raw_agreement(db_path, agreement.id)["fields"]["retired"] is True
    assert (
        store.retire(agreement.id, sam.id, retired=False).status([alex.id, sam.id])
        is AgreementStatus.PROPOSED
    )


def test_delete_leaves_a_tombstone_and_unknown_ids_are_refused(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    store.delete_agreement(agreement.id, alex.id)
    assert raw_agreement(db_path, agreement.id)["fields"]["deleted"] is True
    assert store.agreements() == []
    with pytest.raises(StoreError):
        store.delete_agreement(agreement.id, alex.id)
    with pytest.raises(StoreError):
        store.set_revisit("nope", "x", alex.id)


def test_archive_a_list_and_bring_it_back(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    home = store.agreement_list_named("Home", alex.id)
    store.add_agreement(alex.id, "Tea at five", list_id=home.id)
    assert store.archive_list(home.id, alex.id).archived
    (raw,) = json.loads(db_path.read_text())["agreement_list"].values()
    assert raw["fields"]["archived"] is True
    assert len(store.agreements()) == 1  # its agreements are kept
    assert not store.archive_list(home.id, alex.id, archived=False).archived


def test_two_lists_cannot_share_a_name(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    store.agreement_list_named("Home", alex.id)
    money = store.agreement_list_named("Money", alex.id)
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="already a list called 'Home'"):
        store.rename_list(money.id, " home ", alex.id)
    assert db_path.read_bytes() == before
    assert store.rename_list(money.id, "Money and time", alex.id).name == "Money and time"


def test_rewording_on_one_copy_while_the_other_signs_the_old_wording(
    store: CoupleStore, db_path: Path, tmp_path: Path, other_machine
) -> None:
    """Sam rewrites an agreement on one copy while Alex signs the old words on another."""
    alex, sam = store.partners
    agreement = store.add_agreement(sam.id, "We pause when voices rise")
    copy = tmp_path / "alex-laptop" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    store.edit_agreement(agreement.id, sam.id, text="We pause, and come back within the hour")
    laptop = other_machine(copy, "laptop")
    laptop.sign(agreement.id, alex.id)  # the laptop still holds the old wording

    sync_with(store, copy)

    merged = store.agreement(agreement.id)
    assert merged.text == "We pause, and come back within the hour"
    assert merged.signatures[alex.id] == wording_key("We pause when voices rise")
    assert merged.changed_since_signed_by(alex.id) and not merged.signed_by(alex.id)
    assert merged.status([alex.id, sam.id]) is AgreementStatus.CHANGED
    assert [text for _, text in store.agreement_history(agreement.id)] == ["We pause when voices rise"]


def test_a_read_right_after_another_machine_wrote_sees_its_change(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    assert store.agreement(agreement.id).text == "Tea at five"  # now held in memory
    other_machine(db_path, "sam").edit_agreement(agreement.id, sam.id, text="Tea at six")
    assert store.agreement(agreement.id).text == "Tea at six"


def test_signing_words_that_changed_meanwhile_is_refused(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    other_machine(db_path, "sam").edit_agreement(agreement.id, sam.id, text="Tea at six")
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as refused:
        store.sign(agreement.id, alex.id, wording="Tea at five")
    assert refused.value.reason == "wording_changed"
    assert db_path.read_bytes() == before
    assert store.sign(agreement.id, alex.id, wording="Tea at six").signed_by(alex.id)
