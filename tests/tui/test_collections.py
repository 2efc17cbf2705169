"""What the app holds for good is kept out of Python's full garbage collections, and what it lets
go of is still freed (KintsugiApp.keep_out_of_collections); a section is built with no collection
until it is drawn (KintsugiApp.collect_once_drawn)."""

from __future__ import annotations

import gc
import weakref

import pytest

from app.store.couple import CoupleStore
from app.tui.screens import CheckInDialog
from app.tui.screens.step import StepScreen

SIZE = (120, 40)


async def test_once_the_dashboard_is_up_what_it_holds_is_out_of_the_collectors_reach(
    store: CoupleStore, make_app
) -> None:
    gc.unfreeze()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # once the warm-up has built what it builds ahead
            await pilot.pause(0.01)
            if gc.get_freeze_count():
                break
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the code, the couple's records, the dashboard
    assert gc.get_freeze_count() == 0  # given back on exit: tests and embedders do not leak


async def test_a_dialog_closed_after_that_is_freed(store: CoupleStore, make_app) -> None:
    # (the celebrate dialog is not one: the app keeps it, test_celebrate_dialog.py)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.01)
            if gc.get_freeze_count():
                break
        assert gc.get_freeze_count() > 0
        await pilot.press("k")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CheckInDialog)
        gone = weakref.ref(dialog)
        del dialog
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        gc.collect()
        assert gone() is None


async def test_nothing_is_frozen_while_a_dialog_is_open(store: CoupleStore, make_app) -> None:
    gc.unfreeze()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        gc.unfreeze()
        app.keep_out_of_collections()
        assert gc.get_freeze_count() == 0
        await pilot.press("escape")
        await pilot.pause()
        app.keep_out_of_collections()
        assert gc.get_freeze_count() > 0


async def test_no_collection_runs_while_a_section_is_first_built(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what the step screen is made of lives as long as it does: collections wait until it is drawn
    collecting: list[bool] = []
    compose = StepScreen.compose

    def composed(screen: StepScreen):
        collecting.append(gc.isenabled())
        return compose(screen)

    monkeypatch.setattr(StepScreen, "compose", composed)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert collecting == [False]  # off while it was built
        assert gc.isenabled()  # on again once it is drawn
        await pilot.press("d", "3")  # shown again: built already, the collector left alone
        await pilot.pause()
        assert gc.isenabled() and collecting == [False]


async def test_an_app_ending_before_its_new_screen_is_drawn_leaves_the_collector_on(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.collect_once_drawn()
        assert not gc.isenabled()
    assert gc.isenabled()
