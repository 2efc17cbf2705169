"""Step 9's shared goals in the store (app/store/practices/celebrate.py): one done is celebrated only
when asked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.domain.models import Celebration
from app.domain.practices.celebrate import SharedGoal
from app.store.couple import CoupleStore
from app.store.storage import StoreError

DAY = dt.date(2026, 11, 21)


def test_a_done_goal_is_celebrated_only_when_asked(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    goal = store.create(SharedGoal, alex.id, kind="travel", what="See the sea in winter")
    store.update(SharedGoal, goal.id, sam.id, done_on=DAY)
    assert store.records(Celebration) == []
    celebration = store.celebrate_goal(sam.id, goal.id)
    assert (celebration.title, celebration.day, celebration.step) == ("See the sea in winter", DAY, 9)
    [fields] = [raw["fields"] for raw in json.loads(db_path.read_text())["celebration"].values()]
    assert fields["title"] == "See the sea in winter"
    with pytest.raises(StoreError):
        store.celebrate_goal(sam.id, "no-such-goal")
