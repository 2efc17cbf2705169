"""Repair talks in the store (app/store/repair.py): a half each, written apart and merged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.domain.repair import Repair
from app.store.couple import CoupleStore
from app.store.storage import StoreError

DAY = dt.date(2026, 11, 21)


def test_each_partner_writes_their_half_of_a_repair_on_their_own_machine(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    repair = store.save_half(alex.id, {}, about="The argument about the holidays", day=DAY)
    sams = other_machine(db_path)
    # Both write at once, each on their own machine, from the same starting point.
    store.save_half(
        alex.id,
        {"view": "I felt left out of the plan", "feelings": "hurt, lonely"},
        repair_id=repair.id,
    )
    sams.save_half(sam.id, {"view": "I thought we had agreed", "response": "accepted"}, repair_id=repair.id)
    for machine in (store, sams):
        merged = machine.get(Repair, repair.id)
        assert merged is not None
        assert merged.view == {alex.id: "I felt left out of the plan", sam.id: "I thought we had agreed"}
        assert merged.half(alex.id)["feelings"] == "hurt, lonely"
        assert merged.half(sam.id)["response"] == "accepted"
    [fields] = [raw["fields"] for raw in json.loads(db_path.read_text())["repair"].values()]
    assert fields[f"view.{alex.id}"] == "I felt left out of the plan"
    assert fields[f"view.{sam.id}"] == "I thought we had agreed"
    # Emptying a part takes it out of the map; the other half stays.
    store.save_half(alex.id, {"view": ""}, repair_id=repair.id)
    merged = store.get(Repair, repair.id)
    assert merged is not None and merged.view == {sam.id: "I thought we had agreed"}
    assert not merged.filled_by(alex.id) and merged.filled_by(sam.id)
    assert merged.about == "The argument about the holidays"


def test_a_repair_needs_to_say_what_it_is_about(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError):
        store.save_half(alex.id, {"view": "words"}, about="  ", day=DAY)
    assert "repair" not in json.loads(db_path.read_text())
