"""Checking in from the TUI, and each partner's connection plotted on the dashboard with gaps."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioSet, Static

from app.content import Content
from app.store.couple import CoupleStore
from app.tui.screens.checkin import CheckInDialog
from app.tui.widgets.connection_plot import BARS, ConnectionPlot
from app.tui.widgets.feelings import FeelingPicker
from tests.support.app import notified
from tests.support.files import records
from tests.support.today import TODAY, days_ago
from tests.support.tui import SMALL, WIDE, click_settled, screen_text


async def test_k_checks_in_as_the_partner_writing_now(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    sam = store.partner_named("Sam")
    app = make_app(store, acting=sam.id, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CheckInDialog)
        assert "Check in · Sam · Sunday 17 May" in screen_text(app)
        assert app.focused is dialog.query_one(RadioSet)
        await pilot.press("down", "down", "down", "enter")  # 1 -> 4, Close
        dialog.query_one(FeelingPicker).value = "hopeful"
        dialog.query_one("#checkin-note", Input).value = "A quiet evening"
        await click_settled(pilot, "#checkin-save", "#checkin-problem")
        assert not isinstance(app.screen, CheckInDialog)
        assert content.text("checkin.saved") in [n.message for n in notified(app)]
    [saved] = records(db_path, "checkin")
    assert saved["partner"] == sam.id and saved["day"] == TODAY.isoformat()
    assert saved["connection"] == 4 and saved["mood"] == "hopeful" and saved["note"] == "A quiet evening"


async def test_checking_in_again_the_same_day_changes_it(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex = store.partner_named("Alex")
    store.check_in(alex.id, 2, mood="tired", note="long day", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        dialog = app.screen
        assert str(dialog.query_one(".intro", Static).render()) == content.text("checkin.again")
        assert dialog.connection == 2
        assert dialog.query_one(FeelingPicker).value == "tired"
        assert dialog.query_one("#checkin-note", Input).value == "long day"
        await pilot.press("down", "enter")  # from the pressed one: 2 -> 3
        await pilot.click("#checkin-save")
        await pilot.pause()
    [saved] = records(db_path, "checkin")
    assert saved["connection"] == 3 and saved["mood"] == "tired"


async def test_a_check_in_needs_a_connection_and_a_typed_word_is_kept(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Check in", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CheckInDialog)
        dialog.query_one(FeelingPicker).value = "[b]wobbly"  # not on the list: typed
        await pilot.click("#checkin-save")
        assert content.text("checkin.need_connection") in screen_text(app)
        assert records(db_path, "checkin") == []
        await pilot.press("enter")  # the connection list has focus again: 1, Far apart
        await click_settled(pilot, "#checkin-save", "#checkin-problem")
    [saved] = records(db_path, "checkin")
    assert saved["connection"] == 1 and saved["mood"] == "[b]wobbly"


def bars_of(app, plot_id: str) -> list[str]:
    plot = app.screen.query_one(f"#{plot_id}", ConnectionPlot)
    lines = plot.render().plain.split("\n")
    return [lines[1], lines[3], lines[4]]  # each partner's bars, then the axis


async def test_the_dashboard_plots_both_partners_with_gaps(store: CoupleStore, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.check_in(alex.id, 4, mood="hopeful", day=TODAY)
    store.check_in(alex.id, 2, day=days_ago(2))
    store.check_in(sam.id, 5, day=days_ago(1))
    store.check_in(sam.id, 1, day=days_ago(29))
    store.check_in(sam.id, 3, day=days_ago(30))  # just outside the 30 days
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        alex_bars, sam_bars, axis = bars_of(app, "plot-beside")
        assert alex_bars == " " * 27 + f"{BARS[2]} {BARS[4]}"
        assert sam_bars == f"{BARS[1]}" + " " * 27 + f"{BARS[5]} "
        assert axis.startswith("30 days ago") and axis.endswith("today") and len(axis) == 30
        shown = screen_text(app)
        assert "Alex  17 May  Close  ·  hopeful" in shown
        assert "Sam  16 May  Very close" in shown
        assert "streak" not in shown.casefold()
        assert app.screen.query_one("#checkins-beside").region.height == 0  # no "No check-ins yet"


async def test_a_roomy_screen_plots_ninety_days(store: CoupleStore, make_app) -> None:
    alex = store.partner_named("Alex")
    store.check_in(alex.id, 3, day=days_ago(89))
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        plot = app.screen.query_one("#plot-across", ConnectionPlot)
        assert plot.region.width > 0 and all(p.region.width == 0 for p in app.screen.query("#plot-beside"))
        alex_bars, sam_bars, axis = bars_of(app, "plot-across")
        assert alex_bars == BARS[3] + " " * 89
        assert sam_bars == " " * 90
        assert axis.startswith("90 days ago")
        assert "hasn't checked in yet" in screen_text(app)


async def test_the_check_ins_follow_the_width_as_the_terminal_is_resized(
    store: CoupleStore, make_app
) -> None:
    """Made for the width the app starts at; a resize shows them where the new width puts them,
    filled in, and back again."""
    alex = store.partner_named("Alex")
    store.check_in(alex.id, 4, mood="hopeful", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for size, where in ((WIDE, "beside"), ((160, 50), "across"), ((100, 60), "below"), (WIDE, "beside")):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            plots = [plot for plot in app.screen.query(ConnectionPlot) if plot.region.width > 0]
            assert [plot.id for plot in plots] == [f"plot-{where}"], size
            assert bars_of(app, f"plot-{where}")[0].endswith(BARS[4])
            assert "Alex  17 May  Close  ·  hopeful" in screen_text(app)


async def test_no_check_ins_yet_says_so_kindly(store: CoupleStore, content: Content, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#checkins-beside", Static).render()) == content.text(
            "dashboard.no_checkins"
        )
        assert app.screen.query_one("#plot-beside").region.height == 0
