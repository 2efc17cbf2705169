"""Step 9, Celebrate every step forward: celebrations along the steps, and shared goals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.widgets import Input

from app.domain.models import CelebrationSize
from app.domain.practices.celebrate import GoalKind, SharedGoal
from app.store.couple import CoupleStore
from app.tui.screens.celebration_dialog import CelebrationDialog
from app.tui.screens.confirm import Confirm
from tests.support.files import raw, records
from tests.support.tui import WIDE, open_practice, screen_text

TODAY = dt.date(2026, 11, 21)


async def test_a_shared_goal_is_planned_edited_and_deleted(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 9)
        await pilot.click("#goals-add")
        await pilot.pause()
        await pilot.press(*"The sea", "tab", "enter", "up", "up", "up", "up", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [stored] = raw(db_path, "shared_goal").values()
        assert stored["author"] == alex.id
        assert stored["fields"]["what"] == "The sea"
        assert stored["fields"]["kind"] == "travel"
        assert stored["fields"]["done_on"] is None
        assert "The sea" in screen_text(app)
        assert "Travel · planned" in screen_text(app)

        await pilot.press("w")
        await pilot.pause()
        await pilot.click("#goals-list")
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#form-what", Input)
        field.value = ""
        await pilot.press(*"The lake", "enter")
        await pilot.pause()
        [stored] = raw(db_path, "shared_goal").values()
        assert stored["fields"]["what"] == "The lake"
        assert stored["author"] == alex.id and stored["fields"]["edited_by"] == sam.id

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        [stored] = raw(db_path, "shared_goal").values()
        assert stored["fields"]["deleted"] is True


async def test_marking_a_goal_done_offers_a_celebration_and_never_adds_one_unasked(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    store.create(SharedGoal, sam.id, kind="ritual", what="Sunday pancakes")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 9)
        await pilot.click("#goals-list")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "“Sunday pancakes” is done" in screen_text(app)
        [fields] = records(db_path, "shared_goal")
        assert fields["done_on"] == TODAY.isoformat()
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert records(db_path, "celebration") == []
        assert "done Sat 21 Nov" in screen_text(app)

        await pilot.press("m")  # not done after all
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        [fields] = records(db_path, "shared_goal")
        assert fields["done_on"] is None

        await pilot.press("m")  # done again: this time, yes
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        [celebration] = json.loads(db_path.read_text(encoding="utf-8"))["celebration"].values()
        assert celebration["author"] == alex.id
        assert celebration["fields"]["title"] == "Sunday pancakes"
        assert celebration["fields"]["step"] == 9
        assert celebration["fields"]["day"] == TODAY.isoformat()
        assert "step 9 · by Alex" in screen_text(app)  # now among the celebrations along the steps


async def test_the_latest_celebrations_along_the_steps_are_shown(store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    store.add_celebration(alex.id, "Talked about the move calmly", day=TODAY - dt.timedelta(days=9), step=3)
    store.add_celebration(sam.id, "First Sunday walk", day=TODAY - dt.timedelta(days=3), step=5)
    store.add_celebration(alex.id, "A birthday", day=TODAY)  # not tied to a step
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 9)
        shown = screen_text(app)
        assert "First Sunday walk" in shown and "Talked about the move calmly" in shown
        assert shown.index("First Sunday walk") < shown.index("Talked about the move calmly")
        assert "A birthday" not in shown
        assert "step 5 · by Sam" in shown
        await pilot.click("#celebrations-list")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationDialog)
        assert "First Sunday walk" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        assert app.current_mode == "celebrations"
        log = screen_text(app)
        assert "On any step" in log
        assert "First Sunday walk" in log and "Talked about the move calmly" in log
        assert "A birthday" not in log
        assert "2 of 3 celebrations match" in log


async def test_an_empty_practice_invites(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 9)
        shown = screen_text(app)
        assert "Nothing celebrated on the steps yet" in shown
        assert "Trips, things to learn" in shown


def test_practice_tab(snap_compare, store: CoupleStore, make_app) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    alex, sam = store.partners
    store.add_celebration(alex.id, "Talked about the move calmly", day=TODAY - dt.timedelta(days=9), step=3)
    store.add_celebration(sam.id, "First Sunday walk", day=TODAY - dt.timedelta(days=3), step=5)
    store.add_celebration(alex.id, "A birthday", day=TODAY, size=CelebrationSize.MILESTONE)
    store.create(SharedGoal, alex.id, kind=GoalKind.TRAVEL, what="See the sea in winter")
    store.create(SharedGoal, sam.id, kind=GoalKind.LEARNING, what="Learn to make bread together")
    done = store.create(SharedGoal, sam.id, kind=GoalKind.RITUAL, what="Sunday pancakes")
    store.update(SharedGoal, done.id, alex.id, done_on=TODAY - dt.timedelta(days=1))
    assert snap_compare(make_app(store, today=TODAY), press=["9", "p"], terminal_size=(100, 40))
