"""Moving around: digits, d, [ and ], the command palette, help."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import Markdown, Static

from app.content import Content
from app.store.couple import CoupleStore
from app.tui.practices import PRACTICES
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.help import HelpScreen
from app.tui.screens.step import StepScreen
from app.tui.widgets.step_grid import StepGrid
from tests.support.tui import WIDE, screen_text, words_within


def shown_step_title(app) -> str:
    assert isinstance(app.screen, StepScreen)
    return str(app.screen.query_one("#step-title", Static).render())


async def test_each_digit_opens_its_step(store: CoupleStore, content: Content, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        for step in content.steps:
            await pilot.press(str(step.number))
            await pilot.pause()
            assert shown_step_title(app) == step.title
            shown = screen_text(app)
            assert step.title in shown
            assert f"Step {step.number} of 9" in shown
            assert step.tagline in shown


async def test_brackets_move_between_steps_and_d_goes_home(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert shown_step_title(app) == content.step(9).title
        await pilot.press("right_square_bracket")  # there is no step 10: stays
        await pilot.pause()
        assert shown_step_title(app) == content.step(9).title
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert shown_step_title(app) == content.step(7).title
        body = app.screen.query_one("#step-text", Markdown)
        assert body.source == content.step(7).body
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_keeps_its_place(store: CoupleStore, content: Content, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        await pilot.press("down", "down", "down", "down")
        assert dashboard.query_one(StepGrid).cursor_row == 4
        await pilot.press("enter")  # opens the step under the cursor
        await pilot.pause()
        assert shown_step_title(app) == content.step(5).title
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard
        assert dashboard.query_one(StepGrid).cursor_row == 4


async def test_clicking_a_step_opens_it(store: CoupleStore, content: Content, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        grid = app.screen.query_one(StepGrid)
        await pilot.click(StepGrid, offset=(10, 1 + 2))  # header row, then steps 1, 2, 3
        await pilot.pause()
        assert shown_step_title(app) == content.step(3).title
        assert grid.cursor_row == 2


async def open_palette_and_run(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    for _ in range(50):  # the palette searches in the background: wait for its first hit
        await pilot.pause()
        if palette._list_visible and palette.query_one("CommandList").option_count:
            break
    await pilot.press("enter")
    await pilot.pause()


async def test_the_palette_opens_each_step_by_title(store: CoupleStore, content: Content, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for number in (8, 2):
            await open_palette_and_run(pilot, content.step(number).title)
            assert shown_step_title(app) == content.step(number).title
        await open_palette_and_run(pilot, "Dashboard")
        assert isinstance(app.screen, DashboardScreen)


async def test_the_palette_lists_ours_first_then_textuals_in_our_words(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        prompts: list[str] = []
        for _ in range(50):  # the palette gathers in the background: wait for the whole list
            await pilot.pause()
            prompts = [str(option.prompt) for option in palette.query_one("CommandList").options]
            if any(content.text("commands.system.screenshot") in prompt for prompt in prompts):
                break
        listed = [prompt.split("\n")[0] for prompt in prompts]  # the titles (each has its help below)
        assert listed[0] == content.text("commands.dashboard")
        ours = listed.index(content.text("commands.quit"))
        theirs = [listed.index(content.text(f"commands.system.{key}")) for key in ("theme", "screenshot")]
        assert ours < min(theirs)
        everything = "\n".join(prompts)
        for textuals in ("as soon as possible", "Save an SVG", "Change the current theme"):
            assert textuals not in everything
        assert listed.count(content.text("commands.quit")) == 1  # Textual's own Quit is ours
        assert content.text("commands.placeholder") in screen_text(app)


async def test_help_opens_and_closes(store: CoupleStore, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for close in ("escape", "question_mark", "q"):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert "Your file" in screen_text(app)
            await pilot.press(close)
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
        assert app.is_running  # q closed help, it did not quit
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


SAFETY = "If anyone is unsafe, contact a local emergency line or crisis service first."


@pytest.mark.parametrize("size", [(80, 24), (100, 32), (120, 40)])
async def test_the_help_scrolls_to_its_safety_line_by_keys_and_wheel(
    store: CoupleStore, make_app, size: tuple[int, int]
) -> None:
    """The help is longer than these terminals: its last paragraph is reached by End, and by Down,
    PageDown and the wheel (it used to end where the dialog did, and nothing scrolled)."""
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        area = app.screen.query_one("#help-scroll")
        assert "Help" in words_within(app, area) and SAFETY not in words_within(app, area)
        await pilot.press("end")
        await pilot.pause()
        assert SAFETY in words_within(app, area)
        await pilot.press("home")
        await pilot.pause()
        for key in ("down", "pagedown"):
            before = area.scroll_y
            await pilot.press(key)
            await pilot.pause()
            assert area.scroll_y > before, key
        await pilot.press("home")
        await pilot.pause()
        x, y = area.region.center
        for _ in range(60):  # the wheel, as the terminal sends it, over the dialog
            app.post_message(events.MouseScrollDown(None, x, y, 0, 1, 0, False, False, False, x, y))
        await pilot.pause()
        assert SAFETY in words_within(app, area)


@pytest.mark.parametrize("key", ["3", "l", "a", "f", "k", "m"])
@pytest.mark.parametrize("building", [False, True])
async def test_quitting_straight_after_opening_something_ends_cleanly(
    store: CoupleStore, make_app, key: str, building: bool
) -> None:
    """Ctrl+Q straight after a key that opens a section or a dialog, as a hurried hand does.

    The keys are posted as the terminal sends them, without Pilot's waiting for each to be
    handled: both at once (Ctrl+Q, a priority key, overtakes the other), or the moment Textual
    has begun building the new screen. Either used to end in a traceback.
    """
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        app.post_message(events.Key(key, key))
        while building and app.screen is dashboard:
            await asyncio.sleep(0)
        app.post_message(events.Key("ctrl+q", None))
        for _ in range(100):  # up to 2 s: the quit waits for the screen being built
            if not app.is_running:
                break
            await asyncio.sleep(0.02)
        assert not app.is_running
    assert app.return_code == 0


async def test_moving_to_another_step_on_the_practice_tab_shows_that_steps_practice(
    store: CoupleStore, make_app
) -> None:
    """A step's practice is built just after its words show; never the last step's in its place."""
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("3", "p")
        await pilot.pause()
        step_three = app.screen.query_one(PRACTICES[3])
        assert step_three.display and app.focused in step_three.query("*")
        app.step = 4  # what ] does: the step shows at once, the Practice tab still open
        assert not step_three.display and not app.screen.query(PRACTICES[4])  # not built yet
        await pilot.pause()
        step_four = app.screen.query_one(PRACTICES[4])
        assert step_four.display and not step_three.display
        assert app.focused in step_four.query("*")
        assert "Practice" in screen_text(app) and shown_step_title(app) == app.content.step(4).title
        await pilot.press("left_square_bracket")  # back to 3: the same practice, kept
        await pilot.pause()
        assert app.screen.query_one(PRACTICES[3]) is step_three and step_three.display


async def test_a_steps_first_visit_draws_its_words_before_building_its_practice(
    store: CoupleStore, content: Content, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the first frame of a step holds: its words and statuses, not yet its practice, which
    is built once they are on the terminal (a frame drawn while Textual holds the screen back on
    the mode switch is not written, and does not count)."""
    app = make_app(store)
    drawn: list[bool] = []  # for each frame written while a step shows: was its practice built?
    display = app._display

    def written(screen, renderable) -> None:
        if renderable is not None and not app._batch_count and isinstance(screen, StepScreen):
            drawn.append(bool(screen.query("#practice-3")))
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", written)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("3")
        while not app.screen.query("#practice-3"):
            await pilot.pause()
        await pilot.pause()
        assert drawn and drawn[0] is False  # the words first, the practice built after them
        assert content.step(3).title in screen_text(app)


async def test_a_sections_first_frame_already_shows_its_keys(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section is drawn as soon as it is ready (``KintsugiApp.delay_update``): what Textual's
    50 ms hold on a mode switch masked, a footer composed again once its keys are known, does not
    happen here. The first frame written of each section holds the keys it keeps."""
    app = make_app(store)
    first: dict[type, list[str]] = {}
    display = app._display

    def written(screen, renderable) -> None:
        if renderable is not None and not app._batch_count and screen is app.screen:
            first.setdefault(type(screen), [key.key for key in screen.query("FooterKey")])
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", written)
    async with app.run_test(size=WIDE) as pilot:
        for key in ("3", "l", "a"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            keys = [shown.key for shown in app.screen.query("FooterKey")]
            assert keys and first[type(app.screen)] == keys, type(app.screen).__name__


async def test_the_keys_look_for_the_couples_file_once_not_at_every_check(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks: list[object] = []
    exists = CoupleStore.exists.fget
    assert exists is not None

    def counted(self: CoupleStore) -> bool:
        looks.append(self)
        return exists(self)

    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(CoupleStore, "exists", property(counted))
        for key in ("tab", "tab", "3", "d"):  # each refreshes the keys, each key asking app.ready
            await pilot.press(key)
            await pilot.pause()
        assert app.ready
        assert len(looks) <= 1  # three system calls each, ~40 times a tab before


async def test_a_couples_file_gone_is_seen_at_the_watchers_next_look(
    store: CoupleStore, make_app, db_path
) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.ready
        db_path.unlink()
        app.take_in_changes()  # as the watcher does when the file changes
        await pilot.pause()
        assert not app.ready
        await pilot.press("3")  # a step needs the file: nothing opens
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
