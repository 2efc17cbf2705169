"""Logging a celebration from anywhere (the celebrate dialog, ``c``) and the moment of gold."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from app.content import Content
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.screens.celebrate_dialog import CelebrateDialog
from app.tui.screens.log import CelebrationsScreen
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
        if isinstance(widget, Select):
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
