"""Logging a celebration from anywhere (the celebrate dialog, ``c``) and the moment of gold."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from app.content import Content
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.screens.celebrate_dialog import CelebrateDialog, CelebrationDraft
from app.tui.screens.log import CelebrationsScreen
from app.tui.widgets.choice import Choice
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.gold import SPARKLES, GoldMoment, flourish
from tests.support.app import notified
from tests.support.files import records
from tests.support.today import TODAY, days_ago
from tests.support.tui import SMALL, WIDE, click_settled, screen_text


def fill_in(app, **values: object) -> None:
    """Set the dialog's fields directly (typing every character would be slow)."""
    dialog = app.screen
    assert isinstance(dialog, CelebrateDialog)
    for name, value in values.items():
        widget = dialog.query_one(f"#celebrate-{name}")
        if isinstance(widget, Choice):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = str(value)
        else:
            widget.text = str(value)  # the note's TextArea


async def test_the_whole_date_stays_in_sight_after_visiting_its_field(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        day = app.screen.query_one("#celebrate-day", Input)
        while app.focused is not day:  # by keyboard, as a person would
            await pilot.press("tab")
        await pilot.press("tab")  # and on: the cursor was left after the date's last digit
        await pilot.pause()
        assert TODAY.isoformat() in screen_text(app)


async def test_c_logs_a_celebration_and_shows_a_moment_of_gold(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex = store.partner_named("Alex")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        assert app.screen.query_one("#celebrate-day", Input).value == TODAY.isoformat()
        await pilot.press(*"Walked the long way home")
        fill_in(
            app, note="Talked about\nnothing much.", day=days_ago(3).isoformat(), step=5, size="milestone"
        )
        app.animation_level = "none"  # as TEXTUAL_ANIMATIONS=none sets it
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert not isinstance(app.screen, CelebrateDialog)
        moment = app.screen.query_one(GoldMoment)
        assert moment.line in content.cheers
        assert str(moment.render()) == moment.line  # the warm line alone, nothing moving
        assert moment.line in screen_text(app)
        latest = str(app.screen.query_one("#celebrations", Static).render())
        assert "Walked the long way home" in latest  # the dashboard re-read
    [saved] = records(db_path, "celebration")
    assert saved["title"] == "Walked the long way home"
    assert saved["note"] == "Talked about\nnothing much."
    assert saved["day"] == days_ago(3).isoformat()
    assert saved["step"] == 5 and saved["size"] == "milestone"
    assert saved["edited_by"] == alex.id


async def test_the_step_and_the_size_are_chosen_with_the_keys_as_before(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        order = []
        for _ in range(7):
            order.append(app.focused.id)
            await pilot.press("tab")
        fields = ("title", "note", "day", "step", "size", "save", "cancel")
        assert order == [f"celebrate-{field}" for field in fields] and app.focused.id == "celebrate-title"
        await pilot.press(*"Cooked together", "tab", "tab", "tab")  # the note, the day, the step
        await pilot.press("enter", "down", "down")  # the list opens on "no particular step"
        await pilot.pause()
        assert f"esc {content.text('keys.close_list')}" in screen_text(app).splitlines()[-1]
        await pilot.press("enter", "tab", "space", "a", "enter")  # step 2; the size, "Anniversary"
        await pilot.pause()
        assert f"esc {content.text('keys.close')}" in screen_text(app).splitlines()[-1]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
    [saved] = records(db_path, "celebration")
    assert saved["title"] == "Cooked together" and saved["step"] == 2 and saved["size"] == "anniversary"


async def test_at_80x24_every_field_its_name_the_problem_and_both_buttons_are_in_sight(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        fill_in(app, title="Slept well", day="2026-05-18")  # tomorrow
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = screen_text(app)
        names = ("heading", "title_label", "note_label", "day_label", "step_short_label", "size_short_label")
        for words in [
            *(content.text(f"celebrate.{name}") for name in names),
            content.text("celebrate.future_day"),
        ]:
            assert words in shown
        dialog = app.screen.query_one("#celebrate-dialog")
        assert dialog.region.bottom <= app.screen.query_one(KeyFooter).region.y
        for part in dialog.query("Input, TextArea, Choice, Button, #celebrate-problem"):
            assert dialog.content_region.contains_region(part.region), part  # whole, none cut off
        assert content.text("celebrate.save") in shown and content.text("common.cancel") in shown


async def test_the_palette_and_the_log_open_the_same_dialog(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    sam = store.partner_named("Sam")
    app = make_app(store, acting=sam.id, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Log a celebration", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        await pilot.press(*"Said sorry first", "enter")  # enter in the title saves
        await pilot.pause()
        assert isinstance(app.screen, CelebrationsScreen)
        assert "Said sorry first" in screen_text(app)
    [saved] = records(db_path, "celebration")
    assert saved["title"] == "Said sorry first" and saved["edited_by"] == sam.id
    assert saved["day"] == TODAY.isoformat() and saved["size"] == "small" and saved["step"] is None


async def test_a_day_that_is_not_one_or_not_yet_keeps_the_form(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        fill_in(app, title="Slept well", day="17/05/2026")
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.bad_day") in screen_text(app)
        fill_in(app, day="2026-05-18")  # tomorrow
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.future_day") in screen_text(app)
        fill_in(app, title="   ", day="2026-05-16")
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.need_title") in screen_text(app)
        assert isinstance(app.screen, CelebrateDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
        assert not app.screen.query(GoldMoment)
    assert records(db_path, "celebration") == []


async def test_a_failed_save_says_why_and_keeps_what_was_typed(
    store: CoupleStore, db_path: Path, make_app, monkeypatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("disk_full", path="couple.json", why="No space left on device")

    monkeypatch.setattr(store, "create", refuse)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Kept our promise", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        assert app.screen.query_one("#celebrate-title", Input).value == "Kept our promise"
        told = (
            "couple.json could not be saved (No space left on device); "
            "your change is kept here but not saved yet."
        )
        assert told in [n.message for n in notified(app)]
    assert records(db_path, "celebration") == []


async def test_no_dialog_opens_on_top_of_a_dialog(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab", "tab")  # away from the title, onto the note
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("c")  # help is showing: c does nothing
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
        assert len(app.screen_stack) == 2


async def test_basic_animations_show_the_sparkles_still(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.animation_level = "basic"
        moment = GoldMoment.show(app.screen, "Lovely.")
        await pilot.pause()
        assert str(moment.render()) == flourish("Lovely.", len(SPARKLES)).plain
        await pilot.click(GoldMoment)  # a click sends it away
        await pilot.pause()
        assert not app.screen.query(GoldMoment)


def test_the_flourish_opens_out_from_the_line() -> None:
    assert flourish("Lovely.", 0).plain == "Lovely."
    assert (
        flourish("Lovely.", 2).plain == f"{SPARKLES[1]} {SPARKLES[0]}  Lovely.  {SPARKLES[0]} {SPARKLES[1]}"
    )


# -- the dialog kept: built ahead, started again each time (the key pressed most) -------------


async def built_ahead(app, pilot) -> CelebrateDialog:
    """The celebrate dialog the warm-up builds once the dashboard is up, once it is built."""
    for _ in range(200):
        dialog = app.kept_celebrate
        if dialog is not None and dialog.is_mounted:
            return dialog
        await pilot.pause(0.01)
    raise AssertionError("the celebrate dialog was not built ahead")


async def steady_look(app, pilot) -> str:
    """The screen as an SVG, its text cursors shown steadily (not caught mid-blink)."""
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()
    return app.export_screenshot()


def form(dialog: CelebrateDialog) -> dict[str, object]:
    """Everything a person sees or can bring back in the form."""
    title, day = dialog.query_one("#celebrate-title", Input), dialog.query_one("#celebrate-day", Input)
    note = dialog.query_one("#celebrate-note", TextArea)
    step, size = dialog.query_one("#celebrate-step", Choice), dialog.query_one("#celebrate-size", Choice)
    problem = dialog.query_one("#celebrate-problem", Static)
    return {
        "title": (title.value, title.cursor_position, title.selection),
        "day": (day.value, day.cursor_position),
        "note": (note.text, note.selection, note.history.undo_stack),
        "step": (step.value, step.expanded),
        "size": (size.value, size.expanded),
        "problem": (str(problem.render()), problem.has_class("-shown")),
    }


async def test_the_dialog_is_built_before_c_is_pressed_and_holds_nothing_until_shown(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dashboard, focused = app.screen, app.focused
        dialog = await built_ahead(app, pilot)
        assert dialog.query_one("#celebrate-day", Input).value == TODAY.isoformat()
        assert dialog.focused is None  # out of sight: nothing in it has the focus
        assert app.screen is dashboard and app.focused is focused
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is dialog  # the very dialog built ahead
        assert app.focused is dialog.query_one("#celebrate-title", Input)


async def test_the_dialog_opens_again_as_a_new_one_would(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dialog = await built_ahead(app, pilot)
        app.push_screen(CelebrateDialog())  # a dialog made for this opening only, as before
        await pilot.pause()
        fresh, fresh_look = form(app.screen), await steady_look(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is dialog
        assert form(dialog) == fresh and await steady_look(app, pilot) == fresh_look
        await pilot.press(*"Danced", "tab", *"in the kitchen", "ctrl+z", "ctrl+z", *"again")
        fill_in(app, day=days_ago(2).isoformat(), step=4, size="milestone")
        dialog.query_one("#celebrate-size", Choice).expanded = True
        dialog._problem("Something to say")
        await pilot.pause()
        assert form(dialog) != fresh
        dialog.action_cancel()  # as a click on Cancel does, the list of sizes open
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is dialog
        assert form(dialog) == fresh  # nothing typed, chosen or undoable is left
        assert app.focused is dialog.query_one("#celebrate-title", Input)
        assert await steady_look(app, pilot) == fresh_look
        await pilot.press("tab", "ctrl+z")  # the note's undo brings nothing back
        await pilot.pause()
        assert dialog.query_one("#celebrate-note", TextArea).text == ""


async def test_the_dialog_kept_opens_on_the_day_it_is_opened(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dialog = await built_ahead(app, pilot)
        app.today = lambda: TODAY + dt.timedelta(days=1)  # past midnight since it was built
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#celebrate-day", Input).value == (TODAY + dt.timedelta(days=1)).isoformat()


async def test_the_dialog_kept_logs_each_celebration_once(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await built_ahead(app, pilot)
        for title in ("First swim", "Second swim"):
            await pilot.press("c")
            await pilot.pause()
            await pilot.press(*title, "enter")
            await pilot.pause()
            assert not isinstance(app.screen, CelebrateDialog)
            app.screen.query(GoldMoment).remove()
            await pilot.pause()
    titles = sorted(saved["title"] for saved in records(db_path, "celebration"))
    assert titles == ["First swim", "Second swim"]


async def test_a_suggestions_draft_fills_the_dialog_kept_and_c_then_opens_it_empty(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dialog = await built_ahead(app, pilot)
        app.action_celebrate(CelebrationDraft("Signed together", "Both of us", 4, day=days_ago(1)))
        await pilot.pause()
        assert app.screen is dialog
        assert form(dialog)["title"][0] == "Signed together"
        assert form(dialog)["note"][0] == "Both of us" and form(dialog)["step"][0] == 4
        assert form(dialog)["day"][0] == days_ago(1).isoformat()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert form(dialog)["title"][0] == "" and form(dialog)["step"][0] is None


async def test_c_pressed_before_the_dialog_is_built_ahead_builds_it_once(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        app.action_celebrate()  # as soon as the dashboard is up, before the warm-up
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CelebrateDialog) and dialog is app.kept_celebrate
        await pilot.press(*"Early")
        while not app.warm:
            await pilot.pause(0.01)
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#celebrate-title", Input).value == "Early"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is dialog and form(dialog)["title"][0] == ""


async def test_a_dialog_asked_for_while_it_is_being_built_shows_its_draft(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        while app.kept_celebrate is None:  # the warm-up has begun building it
            await pilot.pause(0.001)
        app.action_celebrate(CelebrationDraft("Picked mid-build", step=2))
        await pilot.pause()
        dialog = app.screen
        assert dialog is app.kept_celebrate
        assert form(dialog)["title"][0] == "Picked mid-build" and form(dialog)["step"][0] == 2
        assert app.focused is dialog.query_one("#celebrate-title", Input)


@pytest.mark.parametrize("ticks", [0, 1, 3])
async def test_the_app_ends_cleanly_while_the_dialog_is_being_built(
    store: CoupleStore, make_app, ticks: int
) -> None:
    # The test harness ends the app directly, as a terminal closed does: at once, and a few turns of
    # the loop into the dialog's building (each widget's mount handlers still to come).
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL):
        while app.kept_celebrate is None:
            await asyncio.sleep(0)
        for _ in range(ticks):
            await asyncio.sleep(0)
        assert not app.kept_celebrate.is_mounted


async def test_q_while_the_dialog_is_being_built_quits_cleanly(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        while app.kept_celebrate is None:
            await pilot.pause(0.001)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
