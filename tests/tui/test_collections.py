"""What the app holds for good is kept out of Python's full garbage collections, and what it lets
go of is still freed (KintsugiApp.keep_out_of_collections)."""

from __future__ import annotations

import gc
import weakref

from app.store.couple import CoupleStore
from app.tui.screens import CheckInDialog

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
