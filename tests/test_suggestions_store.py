"""Suggestions in the store (app/store/suggestions.py): one let pass stays on this machine, one
logged is gone on both, a commitment kept for a month offered once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.models import Celebration, StepStatus
from app.domain.practices.trust import Commitment
from app.store.couple import CoupleStore
from app.store.local import LocalState

TODAY = dt.date.today()


def test_dismissed_suggestions_stay_on_this_machine(store: CoupleStore, db_path: Path, other_machine) -> None:
    sam = store.partner_named("Sam")
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED)
    [offered] = store.open_suggestions(TODAY)
    store.dismiss_suggestion(offered.key)
    assert store.open_suggestions(TODAY) == []
    # Remembered in this machine's own file, across restarts ...
    again = CoupleStore(db_path, LocalState(store.local.path))
    assert again.dismissed_suggestions() == {offered.key}
    assert again.open_suggestions(TODAY) == []
    # ... and nowhere in the couple's file: the partner's machine still offers it.
    assert offered.key not in db_path.read_text(encoding="utf-8")
    assert [s.key for s in other_machine(db_path).open_suggestions(TODAY)] == [offered.key]


def test_a_logged_suggestion_is_gone_on_both_machines(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    agreement = store.add_agreement(alex.id, "Rest on Sundays")
    store.sign(agreement.id, alex.id)
    there = other_machine(db_path)
    assert there.open_suggestions(TODAY) == []  # one signature is not an agreement yet
    there.sign(agreement.id, sam.id)
    store.refresh()
    [offered] = store.open_suggestions(TODAY)
    assert offered.subject == "Rest on Sundays"
    store.add_celebration(alex.id, "We agreed to rest on Sundays", suggestion=offered.key)
    there.refresh()
    assert store.open_suggestions(TODAY) == [] and there.open_suggestions(TODAY) == []


def test_a_commitment_kept_for_a_month_is_offered_once(store: CoupleStore) -> None:
    sam = store.partner_named("Sam")
    since = TODAY - dt.timedelta(days=40)
    promise = store.create(Commitment, sam.id, partner=sam.id, what="Walk after dinner", since=since)
    # Kept on most days, with a few missed: a month counts three days in four, not a streak.
    for offset in range(40):
        if offset % 7 != 3:
            store.toggle_kept(promise.id, since + dt.timedelta(days=offset), sam.id)
    [offered] = store.open_suggestions(TODAY)
    assert offered.reason == "commitment_month" and offered.partner == sam.id
    assert offered.subject == "Walk after dinner" and offered.step == 5
    assert since + dt.timedelta(days=27) <= offered.day < TODAY  # the day the month was reached
    store.add_celebration(sam.id, "A month of walks", suggestion=offered.key)
    assert store.open_suggestions(TODAY) == []


def test_a_commitment_kept_only_now_and_then_is_not_offered(store: CoupleStore) -> None:
    sam = store.partner_named("Sam")
    since = TODAY - dt.timedelta(days=40)
    promise = store.create(Commitment, sam.id, partner=sam.id, what="Walk after dinner", since=since)
    for offset in range(0, 40, 3):
        store.toggle_kept(promise.id, since + dt.timedelta(days=offset), sam.id)
    assert store.open_suggestions(TODAY) == []


def test_the_celebrations_logged_from_suggestions_are_found_reading_only_them(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = store.partners[0].id
    for n in range(30):
        store.add_celebration(alex, f"Moment {n}")
    store.add_celebration(alex, "Step 1, integrated", suggestion='step-integrated/"quoted"/1')
    store.add_celebration(alex, "Agreed", suggestion="agreement-agreed/x")
    again = CoupleStore(db_path)
    again.load()
    built: list[str] = []
    real = Celebration.from_raw.__func__

    def counted(cls: type[Celebration], record_id: str, raw: dict) -> Celebration:
        built.append(record_id)
        return real(cls, record_id, raw)

    monkeypatch.setattr(Celebration, "from_raw", classmethod(counted))
    taken = again.from_suggestions()
    assert {c.from_suggestion for c in taken} == {'step-integrated/"quoted"/1', "agreement-agreed/x"}
    assert len(built) == 2  # of 32
    assert sorted(c.id for c in taken) == sorted(c.id for c in again.celebrations() if c.from_suggestion)
