"""Celebrations in the store (app/store/celebrations.py): one logged from a suggestion keeps its
key; reactions, one short text a partner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.models import Celebration
from app.store.celebrations import REACTION_MAX
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from tests.support.files import records

TODAY = dt.date.today()


def test_a_celebration_logged_from_a_suggestion_keeps_its_key(store: CoupleStore, db_path: Path) -> None:
    alex = store.partner_named("Alex")
    logged = store.add_celebration(alex.id, "Step 1, integrated", step=1, size="milestone", suggestion="k/1")
    assert logged.from_suggestion == "k/1"
    [saved] = records(db_path, "celebration")
    assert saved["from_suggestion"] == "k/1" and saved["size"] == "milestone" and saved["step"] == 1
    with pytest.raises(StoreError):
        store.add_celebration("nobody", "x")


def test_reactions_are_one_short_text_per_partner(store: CoupleStore, db_path: Path, other_machine) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk", day=TODAY)
    there = other_machine(db_path)
    there.react(walk.id, sam.id, "  so   glad  ")
    store.react(walk.id, alex.id, "me too")  # written apart from Sam's: both are kept
    store.refresh()
    assert store.get(Celebration, walk.id).reactions == {sam.id: "so glad", alex.id: "me too"}
    [saved] = records(db_path, "celebration")
    assert saved[f"reaction.{sam.id}"] == "so glad"
    store.react(walk.id, sam.id, "")  # empty takes it away
    assert store.get(Celebration, walk.id).reactions == {alex.id: "me too"}
    with pytest.raises(StoreError, match="at most"):
        store.react(walk.id, alex.id, "x" * (REACTION_MAX + 1))
    with pytest.raises(StoreError):
        store.react("no-such-id", alex.id, "hi")
    assert store.get(Celebration, walk.id).reactions == {alex.id: "me too"}
