"""Each partner's status on a step: chosen on the step screen, saved at once, shown everywhere."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RadioButton, RadioSet

from app.domain.models import StepStatus
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.step import StepScreen
from app.tui.widgets.step_grid import StepGrid
from tests.support.app import notified
from tests.support.files import records
from tests.support.tui import WIDE, screen_text


def grid_row(app, step: int) -> list[str]:
    grid = app.screen.query_one(StepGrid)
    return [cell.plain.strip() for cell in grid.get_row(str(step))]


def chosen(app) -> str | None:
    pressed = app.screen.query_one("#my-status", RadioSet).pressed_button
    return pressed.name if pressed else None


async def test_both_partners_set_their_status_at_one_keyboard(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("4", "w", "w", "3")  # looking at a step, as either of you, writes nothing
        await pilot.pause()
        assert "Alex  ✎ writing now" in screen_text(app)
        await pilot.click("#choose-exploring")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        shown = screen_text(app)
        assert "Writing as Sam" in shown  # the header
        assert "Sam  ✎ writing now" in shown
        assert "Alex  ◔ Exploring" in shown  # Alex's status, read-only now
        assert chosen(app) == "not_started"  # the radio set is Sam's now
        await pilot.click("#choose-practising")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert grid_row(app, 3) == ["3", "Communicate openly", "◔ Exploring", "◑ Practising"]
        assert grid_row(app, 4)[2:] == ["○ Not started", "○ Not started"]
        assert "✎ Sam" in screen_text(app)  # whose column is being written
    saved = {(p["partner"], p["step"]): p for p in records(db_path, "progress")}
    assert saved[(alex.id, 3)]["status"] == "exploring"
    assert saved[(alex.id, 3)]["edited_by"] == alex.id
    assert saved[(sam.id, 3)]["status"] == "practising"
    assert saved[(sam.id, 3)]["edited_by"] == sam.id
    assert len(saved) == 2  # showing a status never writes one


async def test_the_palette_sets_a_status(store: CoupleStore, db_path: Path, make_app) -> None:
    alex = store.partner_named("Alex")
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Mark this step: Integrated")
        for _ in range(50):
            await pilot.pause()
            if app.screen.query_one("CommandList").option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert chosen(app) == "integrated"
        # Offered, never logged for them.
        assert any("Step 5 is part of how you live now" in str(n.message) for n in notified(app))
        await pilot.press("d")
        await pilot.pause()
        assert "Alex marked step 5, Rebuild trust gradually, as integrated." in screen_text(app)
    assert records(db_path, "celebration") == []
    assert store.progress(alex.id)[5] == StepStatus.INTEGRATED
    assert [(p["step"], p["status"]) for p in records(db_path, "progress")] == [(5, "integrated")]


async def test_a_failed_save_is_told_and_nothing_breaks(
    store: CoupleStore, db_path: Path, make_app, monkeypatch
) -> None:
    message = "x could not be saved (No space left on device); your change is kept here but not saved yet."

    def full_disk(*args, **kwargs):
        raise StoreError("disk_full", path="x", why="No space left on device")

    monkeypatch.setattr(store, "set_progress", full_disk)
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.click("#choose-integrated")
        await pilot.pause()
        assert [(n.message, n.severity) for n in notified(app)] == [(message, "error")]
        assert app.is_running
        assert chosen(app) == "not_started"  # shows what the store holds
        buttons = app.screen.query(RadioButton)
        assert [button.name for button in buttons if button.value] == ["not_started"]
        monkeypatch.undo()  # the disk has room again
        await pilot.click("#choose-exploring")
        await pilot.pause()
        assert [button.name for button in app.screen.query(RadioButton) if button.value] == ["exploring"]
    assert [(p["step"], p["status"]) for p in records(db_path, "progress")] == [(2, "exploring")]


async def test_a_change_synced_in_from_the_partner_shows_up(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.reload() is False  # nothing new yet
        sams_machine = other_machine(db_path)
        sam = sams_machine.partner_named("Sam")
        sams_machine.set_me(sam.id)
        sams_machine.set_progress(sam.id, 6, StepStatus.PRACTISING)
        assert app.reload() is True
        await pilot.pause()
        assert grid_row(app, 6)[3] == "◑ Practising"
        await pilot.press("6")
        await pilot.pause()
        assert "Sam  ◑ Practising" in screen_text(app)
