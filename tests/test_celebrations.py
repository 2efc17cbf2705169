"""Celebrations in the store (app/store/celebrations.py): one logged from a suggestion keeps its
key; reactions, one short text a partner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.models import Celebration
from app.store import lazy
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


def test_the_latest_celebrations_are_the_first_of_all_of_them_and_only_they_are_read(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = (p.id for p in store.partners)
    first = dt.date(2026, 3, 1)
    for n in range(40):  # days repeat, so some share a day and are ordered by when they were logged
        store.add_celebration(alex if n % 3 else sam, f"Moment {n}", day=first + dt.timedelta(days=n % 7))
    gone = next(c for c in store.celebrations() if c.title == "Moment 6")
    store.delete(Celebration, gone.id, alex)  # the newest day's first: a tombstone is passed over
    again = CoupleStore(db_path)
    again.load()
    built: list[str] = []
    real = Celebration.from_raw.__func__

    def counted(cls: type[Celebration], record_id: str, raw: dict) -> Celebration:
        built.append(record_id)
        return real(cls, record_id, raw)

    monkeypatch.setattr(Celebration, "from_raw", classmethod(counted))
    parsed: list[object] = []
    real_loads = lazy.json.loads
    monkeypatch.setattr(
        lazy.json, "loads", lambda text, *a, **k: parsed.append(text) or real_loads(text, *a, **k)
    )
    latest = again.latest_celebrations(5)
    assert len(built) == 5  # five read as models, not forty
    assert len(parsed) == 6  # and parsed: the tombstone passed over, and the five
    assert latest == again.celebrations()[:5]
    assert "Moment 6" not in [c.title for c in latest]
    assert again.latest_celebrations(100) == again.celebrations()


def test_the_latest_celebrations_of_a_file_where_one_stores_its_day_otherwise(
    store: CoupleStore, db_path: Path
) -> None:
    alex = store.partners[0].id
    for n in range(12):
        store.add_celebration(alex, f"Moment {n}", day=dt.date(2026, 3, 1) + dt.timedelta(days=n))
    text = db_path.read_text()
    db_path.write_text(text.replace('"day": "2026-03-04"', '"day": 1900022400', 1))  # a number: 2030-03-18
    again = CoupleStore(db_path)
    again.load()
    latest = again.latest_celebrations(3)
    assert [c.title for c in latest] == ["Moment 3", "Moment 11", "Moment 10"]
    assert latest == again.celebrations()[:3]
