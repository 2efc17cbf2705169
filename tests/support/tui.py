"""What the TUI tests read from the terminal and do as a person would: the text on screen, a
form filled in, a click once the form has settled, a practice opened, an entry shared; and a widget
on its own (``Harness``) and what it draws (``rendered``)."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from app.content import load_content
from app.tui.app import KintsugiApp
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import PracticeForm
from app.tui.widgets.breathing import BoxBreathing
from app.tui.widgets.countdown import Countdown
from app.tui.widgets.feelings import FeelingPicker

WIDE = (120, 40)
SMALL = (80, 24)


def screen_text(app: KintsugiApp) -> str:
    """Every line the terminal shows right now, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def words_within(app: KintsugiApp, widget) -> str:
    """The words the screen shows inside a widget (its scrollbars left out), lines joined with
    a space: a sentence reads whole however it wraps, and nothing beside the widget joins in."""
    region = widget.scrollable_content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(line[region.x : region.right].split()) for line in lines)


def news_shown(app: KintsugiApp) -> str:
    """The dashboard's "beside" news panel's text, or "" while the section is left out."""
    panel = app.screen.query_one("#news-beside", Static)
    return "" if "-none" in panel.classes else str(panel.render())


async def click_settled(pilot, button: str, problem: str) -> None:
    """Click a dialog's button as a person would: once the form on screen has settled.

    A changed field hides the dialog's last message (`problem`) and its buttons move up a line;
    a click aimed before that layout lands misses the button, so wait until the laid-out message
    is gone, and check that the click hit the button.
    """
    shown = pilot.app.screen.query_one(problem)
    for _ in range(100):
        await pilot.pause()
        if not shown.has_class("-shown") and not shown.region.height:
            break
    assert await pilot.click(button), f"the click missed {button}"
    await pilot.pause()


async def open_practice(pilot, step: int) -> None:
    """Open step ``step``'s Practice tab as the couple would: the step's key, then p."""
    await pilot.pause()
    await pilot.press(str(step), "p")
    await pilot.pause()


async def share_after_asking(pilot) -> None:
    """Share the highlighted private entry as a person would: s, then yes to the question."""
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, Confirm), pilot.app.screen
    assert await pilot.click("#confirm-yes")
    await pilot.pause()


def fill_form(app: KintsugiApp, **values: object) -> None:
    """Set the open practice form's fields directly (typing every character would be slow)."""
    form = app.screen
    assert isinstance(form, PracticeForm), form
    for name, value in values.items():
        widget = form.query_one(f"#form-{name.replace('_', '-')}")
        if isinstance(widget, FeelingPicker):
            widget.value = str(value)
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = str(value)
        else:
            assert isinstance(widget, TextArea)
            widget.text = str(value)


def count_styling(app, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every widget the stylesheet styles from now on."""
    styled: list[object] = []
    original = app.stylesheet.apply

    def counted(node, *args, **kwargs):
        styled.append(node)
        return original(node, *args, **kwargs)

    monkeypatch.setattr(app.stylesheet, "apply", counted)
    return styled


async def looks_as_restyled(app, pilot) -> bool:
    """True if the screen shown looks the same after a full restyle (what a skipped one would do)."""
    shown = app.export_screenshot()
    app.screen.update_node_styles(animate=False)
    await pilot.pause()
    return app.export_screenshot() == shown


class Harness(App[None]):
    """One widget, its messages kept."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.content = load_content()
        self.widget = widget
        self.heard: list[object] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    @on(FeelingPicker.Changed)
    @on(BoxBreathing.PhaseChanged)
    @on(Countdown.Finished)
    def _heard(self, message) -> None:
        self.heard.append(message)


def rendered(widget) -> str:
    """The lines a widget draws, as plain text."""
    return "\n".join(
        "".join(segment.text for segment in strip) for strip in widget.render_lines(widget.region)
    )
