"""Moving the focus repaints and restyles what it changes, and the terminal still shows the truth
(QuietFocus and FocusRestylesItself, under ScrollArea, in app/tui/textual_patches.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.segment import ControlType, Segment
from rich.style import Style
from textual._compositor import CompositorUpdate, LayoutUpdate
from textual.css.model import CombinatorType, RuleSet
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot

from app.store.couple import CoupleStore
from app.tui.screens.celebrate_dialog import CelebrateDialog
from app.tui.screens.step import StepScreen
from app.tui.taking_in import WATCH_CATCH_UP_S
from app.tui.widgets.scroll import ScrollArea
from tests.support.tui import WIDE, count_styling, looks_as_restyled

STYLES = Path(__file__).resolve().parents[2] / "styles"
Cells = list[list[tuple[str, Style | None]]]


def blank(width: int, height: int) -> Cells:
    return [[(" ", None)] * width for _ in range(height)]


def draw(cells: Cells, update: CompositorUpdate, console: Console) -> None:
    """Write ``update`` into ``cells`` as a terminal would: moves, then characters."""
    x = y = 0
    segments: list[Segment] = list(update.__rich_console__(console, console.options))  # type: ignore[arg-type]
    for segment in segments:
        if segment.control:
            for control in segment.control:
                if control[0] is ControlType.CURSOR_MOVE_TO:
                    x, y = control[1], control[2]  # type: ignore[misc]
        elif segment.text == "\n":
            x, y = 0, y + 1
        else:
            for char in segment.text:
                if 0 <= y < len(cells) and 0 <= x < len(cells[y]):
                    cells[y][x] = (char, segment.style)
                x += cell_len(char)


class Terminal:
    """A terminal of the test's own, drawn from every frame the app writes."""

    def __init__(self, app, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app = app
        self.cells = blank(*WIDE)
        self.full_frames = 0
        self.drop_next = False
        display = app._display

        def drawn(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is None or app._batch_count:  # what the real driver skips
                return
            assert isinstance(renderable, CompositorUpdate)
            if self.drop_next:
                self.drop_next = False
                return
            self.full_frames += isinstance(renderable, LayoutUpdate)
            draw(self.cells, renderable, app.console)

        monkeypatch.setattr(app, "_display", drawn)

    def shows_a_full_redraw(self) -> bool:
        """True if every cell is what drawing the whole screen again would put there."""
        app = self.app
        full = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
        cells = blank(*WIDE)
        draw(cells, full, app.console)
        return cells == self.cells


async def warmed_up(app, pilot) -> None:
    """Wait for the warm-up: loading the sections' styles restyles the screen (KintsugiApp.warm_up)."""
    while not app.warm:
        await pilot.pause()
    await pilot.pause()


@contextlib.asynccontextmanager
async def drawn_to_a_terminal(app, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Pilot, Terminal]]:
    """The app running, warmed up, every frame it writes drawn into a Terminal."""
    terminal = Terminal(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await warmed_up(app, pilot)
        yield pilot, terminal


async def tab_around(app, pilot, terminal: Terminal) -> list[str]:
    """Tab once round the screen's focus chain; the terminal is checked after every tab."""
    went: list[str] = []
    for _ in range(len(app.screen.focus_chain) + 1):
        await pilot.press("tab")
        await pilot.pause()
        went.append(type(app.focused).__name__)
        assert terminal.shows_a_full_redraw(), went
    return went


async def test_the_terminal_check_sees_a_frame_gone_missing(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        assert terminal.shows_a_full_redraw()
        terminal.drop_next = True  # as if a frame had left out what the tab changed
        await pilot.press("tab")
        await pilot.pause()
        assert not terminal.shows_a_full_redraw()


async def test_tabbing_round_the_dashboard_repaints_only_what_changed(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        assert terminal.shows_a_full_redraw()
        full = terminal.full_frames
        went = await tab_around(app, pilot, terminal)
        assert {"ScrollArea", "StepGrid"} <= set(went)
        assert terminal.full_frames == full  # Textual alone redraws the whole screen on each tab


async def test_the_first_look_at_an_unchanged_file_redraws_nothing(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        full, revision = terminal.full_frames, app.revision
        await asyncio.sleep(WATCH_CATCH_UP_S + 0.5)  # the look at the file once the watcher started
        await pilot.pause()
        assert (terminal.full_frames, app.revision) == (full, revision)


async def test_tabbing_in_a_dialog_leaves_the_screen_beneath_alone(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        full = terminal.full_frames
        went = await tab_around(app, pilot, terminal)
        assert {"Input", "TextArea", "Choice", "Button"} <= set(went)
        assert terminal.full_frames == full  # and the dimmed dashboard beneath with it


async def test_tabbing_through_a_step_keeps_the_terminal_true(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        await tab_around(app, pilot, terminal)
        await pilot.press("p")  # the practice: forms, lists, buttons
        await pilot.pause()
        await tab_around(app, pilot, terminal)


@pytest.mark.parametrize("key", ["l", "a", "f", "k", "question_mark"])
async def test_tabbing_round_every_other_section_keeps_the_terminal_true(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    # the log, the agreements, our file, the check-in dialog, the help
    app = make_app(store)
    async with drawn_to_a_terminal(app, monkeypatch) as (pilot, terminal):
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not app.get_screen_stack("dashboard")[0]
        await tab_around(app, pilot, terminal)


async def test_the_focus_on_a_scroll_area_restyles_only_itself(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await warmed_up(app, pilot)
        area = app.screen.query_one("#dashboard", ScrollArea)
        inside = list(area.walk_children())
        assert len(inside) > 30  # the dashboard's sections
        styled = count_styling(app, monkeypatch)
        for onto in (True, False):
            while True:
                left = app.focused
                styled.clear()
                await pilot.press("tab")
                await pilot.pause()
                if (app.focused is area) == onto:
                    break
            # what a tab restyles anyway: the widget it left (a button on the dashboard, say)
            expected = {area, *(left.walk_children(with_self=True) if left else ())}
            assert [node for node in styled if node in inside and node not in expected] == []
            assert styled  # (Textual restyles every widget inside it here)
            assert await looks_as_restyled(app, pilot)


def focus_rules_inside(area: ScrollArea, rules: list[RuleSet]) -> list[str]:
    """The rules that style something inside ``area`` by ``area``'s own focus (``#x:focus Static``)."""
    found = []
    for rule in rules:
        for selector_set in rule.selector_set:
            selectors = selector_set.selectors
            # compound selectors ("Select:focus.big" is three): the last one is what is styled
            starts = [
                i
                for i, selector in enumerate(selectors)
                if i == 0 or selector.combinator != CombinatorType.SAME
            ]
            for start, end in itertools.pairwise(starts):
                compound = selectors[start:end]
                if any(part.pseudo_classes & {"focus", "blur"} for part in compound) and all(
                    part._check(area) for part in compound
                ):
                    found.append(selector_set.css)
    return found


def test_the_rule_check_finds_a_rule_that_styles_inside_by_focus() -> None:
    area = ScrollArea(id="dashboard")
    sheet = Stylesheet()
    sheet.add_source(
        "#dashboard:focus Static { color: red; }\n"
        "#elsewhere:focus Static { color: red; }\n"
        "ScrollArea:focus { color: red; }\n"
        "ScrollArea > Static:focus { color: red; }\n"
    )
    sheet.parse()
    assert focus_rules_inside(area, sheet.rules) == ["#dashboard:focus Static"]


async def test_no_rule_styles_what_a_scroll_area_holds_by_its_focus(store: CoupleStore, make_app) -> None:
    # what ScrollArea.watch_has_focus relies on, for every rule of the app and of Textual's widgets
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for key in ("3", "l", "a", "f", "question_mark"):
            await pilot.press(key)
            await pilot.pause()
        ours = Stylesheet(variables=app.get_css_variables())
        for path in sorted(STYLES.rglob("*.tcss")):  # the sections and dialogs not opened here too
            ours.read(path)
        ours.parse()
        rules = [*app.stylesheet.rules, *ours.rules]
        areas = [
            area
            for stack in app._screen_stacks.values()
            for screen in stack
            for area in screen.query(ScrollArea)
        ]
        assert len({area.id for area in areas}) >= 4
        for area in areas:
            assert focus_rules_inside(area, rules) == [], area.id
