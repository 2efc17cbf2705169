"""Step 3's records in the store: a listening turn's paraphrases in order, a bad record refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.domain.practices.openly import CalmMoment, IStatement, ListeningTurn, ListeningTurnFlow
from app.store.couple import CoupleStore
from app.store.storage import StoreError

TODAY = dt.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("model", "fields", "where"),
    [
        (IStatement, {"when": " ", "feeling": ""}, "content"),
        (CalmMoment, {"topic": "money"}, "content"),
        (ListeningTurn, {"speaker": "a", "listener": "b", "said": "", "day": TODAY}, "said"),
    ],
)
def test_bad_openly_records_are_refused_in_one_sentence(
    store: CoupleStore, model, fields: dict, where: str
) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError) as raised:
        store.add_entry(model, alex.id, **fields)
    assert raised.value.details.get("field") == where
    assert "\n" not in str(raised.value)


def test_a_listening_turn_keeps_its_paraphrases_in_order(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    flow = ListeningTurnFlow(alex.id, sam.id).say("I need rest").paraphrase("you're lazy").confirm(False)
    flow = flow.paraphrase("you need rest").confirm(True)
    turn = store.add_entry(ListeningTurn, alex.id, **flow.record_fields(TODAY))
    stored = json.loads(db_path.read_text())["listening_turn"][turn.id]["fields"]
    assert stored["paraphrases"] == ["you're lazy", "you need rest"]
    assert stored["confirmed"] is True and stored["day"] == "2026-11-18"
    assert store.get(ListeningTurn, turn.id).paraphrases == ["you're lazy", "you need rest"]
