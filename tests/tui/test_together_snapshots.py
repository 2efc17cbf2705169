"""Snapshots of steps 8 and 9 on the Practice tab at 100x40, with fixed data and a fixed day."""

from __future__ import annotations

import datetime as dt

from app.domain.models import CelebrationSize
from app.domain.practices.celebrate import GoalKind, SharedGoal
from app.domain.practices.present import Grounding, PresentMoment
from app.store.couple import CoupleStore

TODAY = dt.date(2026, 11, 21)
SIZE = (100, 40)


def test_step_8_practice(snap_compare, store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    store.add_entry(PresentMoment, alex.id, day=TODAY, line="Tea going cold while we talk")
    store.add_entry(PresentMoment, sam.id, day=TODAY - dt.timedelta(days=2), line="Rain on the skylight")
    store.add_entry(PresentMoment, alex.id, private=True, day=TODAY - dt.timedelta(days=1), line="Only mine")
    store.add_entry(
        Grounding, alex.id, private=True, day=TODAY - dt.timedelta(days=3), see="lamp, books", hear="traffic"
    )
    assert snap_compare(make_app(store, today=TODAY), press=["8", "p"], terminal_size=SIZE)


def test_step_9_practice(snap_compare, store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    store.add_celebration(alex.id, "Talked about the move calmly", day=TODAY - dt.timedelta(days=9), step=3)
    store.add_celebration(sam.id, "First Sunday walk", day=TODAY - dt.timedelta(days=3), step=5)
    store.add_celebration(alex.id, "A birthday", day=TODAY, size=CelebrationSize.MILESTONE)
    store.create(SharedGoal, alex.id, kind=GoalKind.TRAVEL, what="See the sea in winter")
    store.create(SharedGoal, sam.id, kind=GoalKind.LEARNING, what="Learn to make bread together")
    done = store.create(SharedGoal, sam.id, kind=GoalKind.RITUAL, what="Sunday pancakes")
    store.update(SharedGoal, done.id, alex.id, done_on=TODAY - dt.timedelta(days=1))
    assert snap_compare(make_app(store, today=TODAY), press=["9", "p"], terminal_size=SIZE)
