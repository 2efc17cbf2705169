"""When both partners rewrote the same text apart, the losing text is kept and can be restored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.domain.models import Agreement
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.store.sync import sync_with


def rewritten_apart(store: CoupleStore, tmp_path: Path) -> tuple[CoupleStore, Agreement]:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We talk on Sundays")
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(store.path, copy)
    sams = CoupleStore(copy, LocalState(tmp_path / "sam.json"))
    sams.update(Agreement, agreement.id, sam.id, text="We talk on Sunday mornings")
    store.update(Agreement, agreement.id, alex.id, text="We talk on Sunday evenings")  # the later write
    sync_with(store, copy)
    return store, agreement


def test_both_texts_are_kept_and_listed(store: CoupleStore, tmp_path: Path) -> None:
    store, agreement = rewritten_apart(store, tmp_path)
    (alternative,) = store.alternatives()
    assert (alternative.kind, alternative.record_id, alternative.field) == ("agreement", agreement.id, "text")
    assert alternative.current == "We talk on Sunday evenings"
    assert alternative.value == "We talk on Sunday mornings"


def test_restoring_the_kept_text_keeps_the_other_in_history(
    store: CoupleStore, db_path: Path, tmp_path
) -> None:
    store, agreement = rewritten_apart(store, tmp_path)
    (alternative,) = store.alternatives()
    store.restore_alternative(alternative, store.partners[0].id)
    assert store.agreement(agreement.id).text == "We talk on Sunday mornings"
    assert store.alternatives() == []
    texts = [
        e["value"]
        for e in json.loads(db_path.read_text())["agreement"][agreement.id]["history"]["text"].values()
    ]
    assert "We talk on Sunday evenings" in texts and "We talk on Sundays" in texts


def test_keeping_the_current_text_clears_the_notice_but_not_the_history(store: CoupleStore, tmp_path) -> None:
    store, agreement = rewritten_apart(store, tmp_path)
    (alternative,) = store.alternatives()
    store.keep_current(alternative)
    assert store.alternatives() == []
    assert store.agreement(agreement.id).text == "We talk on Sunday evenings"
    assert "We talk on Sunday mornings" in [text for _, text in store.agreement_history(agreement.id)]
