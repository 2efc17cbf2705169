"""Step 1's records in the store: a wound kept private until shared, a bad one refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore
from app.store.storage import StoreError


@pytest.mark.parametrize(
    ("model", "fields", "where"),
    [
        (Wound, {"what": "x", "weight": 11}, "weight"),
    ],
)
def test_bad_wound_records_are_refused_in_one_sentence(
    store: CoupleStore, model, fields: dict, where: str
) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError) as raised:
        store.add_entry(model, alex.id, **fields)
    assert raised.value.details.get("field") == where
    assert "\n" not in str(raised.value)


def test_a_wound_is_private_until_shared(store: CoupleStore, db_path: Path, other_machine) -> None:
    alex, sam = store.partners
    wound = store.add_entry(
        Wound, alex.id, private=True, what="the missed birthday", weight=7, feeling="hurt"
    )
    assert "missed birthday" not in db_path.read_text()
    assert "missed birthday" in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    store.share_entry(Wound, wound.id, alex.id)
    fields = json.loads(db_path.read_text())["wound"][wound.id]["fields"]
    assert (fields["what"], fields["weight"], fields["feeling"]) == ("the missed birthday", 7, "hurt")
    assert [w.what for w in other_machine(db_path).entries(Wound, sam.id)] == ["the missed birthday"]
