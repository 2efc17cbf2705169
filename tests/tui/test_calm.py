"""We're escalating: the calm-down screen from anywhere, its pause timer, breathing and repair phrases."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from app.content import Content
from app.domain.calm import RepairPhrase
from app.store.couple import CoupleStore
from app.tui.screens.calm import CalmScreen
from app.tui.screens.confirm import Confirm
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.feelings_form import FeelingsForm
from app.tui.screens.step import StepScreen
from app.tui.widgets.breathing import BoxBreathing
from app.tui.widgets.countdown import Countdown
from tests.support.files import raw
from tests.support.practices import TODAY, fill_calm
from tests.support.tui import SMALL, WIDE, fill_form, screen_text

pytestmark = pytest.mark.usefixtures("still_clocks")


async def escalate_and_leave(app, pilot) -> None:
    """Press ! and find the calm-down screen; Escape goes back to exactly where we were."""
    before = app.screen
    await pilot.press("exclamation_mark")
    await pilot.pause()
    assert isinstance(app.screen, CalmScreen)
    assert app.screen.query_one("#calm-timer", Countdown).remaining == 20 * 60
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is before


async def test_the_escalation_key_works_from_every_mode(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "! Pause" in screen_text(app)
        await escalate_and_leave(app, pilot)
        await pilot.press("3", "p")  # a step, keyboard in its practice
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        await escalate_and_leave(app, pilot)
        for mode_key in ("a", "l"):  # the agreements and the celebration log
            await pilot.press(mode_key)
            await pilot.pause()
            assert app.current_mode in {"agreements", "celebrations"}
            await escalate_and_leave(app, pilot)
        await pilot.press("question_mark")  # even over the help
        await pilot.pause()
        await escalate_and_leave(app, pilot)


@pytest.mark.parametrize("size", [SMALL, (100, 32), WIDE])
async def test_the_safety_line_is_always_in_sight_on_the_calm_screen(
    store: CoupleStore, content: Content, size: tuple[int, int], make_app
) -> None:
    """Near the top of the card, so even a long list of the couple's own phrases never hides it."""
    alex, _ = store.partners
    for number in range(12):
        store.create(RepairPhrase, alex.id, text=f"Our phrase number {number}")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert content.text("calm.safety") in screen_text(app)


async def test_the_palette_offers_the_pause(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"escalating")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CalmScreen)


async def test_the_pause_timer_counts_and_pauses_and_breathing_starts_and_stops(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    app.animation_level = "none"  # reduced motion: the guide shows its words without moving
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert "Animations are off" in screen_text(app)
        timer = app.screen.query_one("#calm-timer", Countdown)
        timer.tick()
        await pilot.pause()
        assert "Time apart: 19:59" in screen_text(app)
        await pilot.press("t")
        timer.tick()
        await pilot.pause()
        assert "Time apart: 19:59 · paused" in screen_text(app)
        await pilot.press("t")
        for _ in range(timer.remaining):
            timer.tick()
        await pilot.pause()
        assert content.text("calm.timer_done") in screen_text(app)

        breathing = app.screen.query_one(BoxBreathing)
        assert not breathing.running
        await pilot.press("b")
        await pilot.pause()
        assert breathing.running and breathing.still
        assert "Breathe in" in screen_text(app) and "●" not in screen_text(app)
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert breathing.word == "Hold" and breathing.count == 4
        await pilot.press("b")
        await pilot.pause()
        assert not breathing.running
        assert "Press b to begin" in screen_text(app)


async def test_repair_phrases_start_from_ideas_then_are_the_couples_own(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        ideas = content.value("calm.defaults")
        assert ideas[0] in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        await pilot.press(*"Time out", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CalmScreen)
        [(phrase_id, record)] = raw(db_path, RepairPhrase.KIND).items()
        assert record["author"] == alex.id and record["fields"]["text"] == "Time out"
        shown = screen_text(app)
        assert "“Time out”" in shown and ideas[0] not in shown  # the ideas step aside

        app.action_switch_writer()  # the list is the couple's: Sam may change it
        await pilot.pause()
        app.screen.query_one("#phrases-list", OptionList).focus()
        await pilot.press("e")
        await pilot.pause()
        fill_form(app, text="Time out, I love you")
        await pilot.press("ctrl+s")
        await pilot.pause()
        record = raw(db_path, RepairPhrase.KIND)[phrase_id]
        assert record["fields"]["text"] == "Time out, I love you" and record["fields"]["edited_by"] == sam.id
        assert "Time out, I love you" in screen_text(app)

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, CalmScreen)
        assert raw(db_path, RepairPhrase.KIND)[phrase_id]["fields"]["deleted"] is True
        assert ideas[0] in screen_text(app)


async def test_while_typing_an_exclamation_mark_is_just_a_character(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "p", "n")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        await pilot.press(*"Ouch!")
        assert app.screen.typed()["what"] == "Ouch!"
        assert "! Pause" not in screen_text(app)
        await pilot.press("tab", "tab", "tab", "tab")  # off the text fields, onto the Save button
        assert app.focused is app.screen.query_one("#form-save")
        await pilot.press("exclamation_mark")  # now it pauses, even over a dialog
        await pilot.pause()
        assert isinstance(app.screen, CalmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm) and app.screen.typed()["what"] == "Ouch!"


def test_calm_down_screen(store: CoupleStore, make_app, snap_compare) -> None:
    """The calm-down screen as drawn at 100x40, opened from step 1, with a phrase of their own."""
    fill_calm(store)
    assert snap_compare(
        make_app(store, today=TODAY), press=["1", "exclamation_mark"], terminal_size=(100, 40)
    )


def test_calm_down_screen_before_any_phrase_of_their_own(store: CoupleStore, make_app, snap_compare) -> None:
    assert snap_compare(make_app(store, today=TODAY), press=["exclamation_mark"], terminal_size=(80, 24))
