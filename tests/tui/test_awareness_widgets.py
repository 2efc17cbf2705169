"""The small shared widgets of steps 1-3: the feelings picker, box breathing and the countdown."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList

from app.content import load_content
from app.tui.widgets.breathing import BOX_HEIGHT, BoxBreathing
from app.tui.widgets.countdown import Countdown, clock_face
from app.tui.widgets.feelings import FeelingPicker

PHASES = ("In", "Hold", "Out", "Rest")


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


@pytest.fixture(autouse=True)
def no_real_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Countdown, "INTERVAL", 3600.0)
    monkeypatch.setattr(BoxBreathing, "INTERVAL", 3600.0)


def rendered(widget) -> str:
    return "\n".join(
        "".join(segment.text for segment in strip) for strip in widget.render_lines(widget.region)
    )


def listed(picker) -> list[str]:
    """The rows of the picker's list as it shows them (family names, then their words)."""
    return [str(option.prompt).strip() for option in picker.query_one(OptionList).options]


async def test_typing_filters_the_feelings_and_enter_takes_the_one_highlighted() -> None:
    app = Harness(FeelingPicker(id="feeling"))
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.widget
        picker.focus()
        await pilot.pause()
        assert not picker.open  # the list waits to be asked for
        await pilot.press(*"dis")
        await pilot.pause()
        assert picker.open and listed(picker) == ["hard", "dismissed", "disappointed"]
        assert picker.value == "dis" and app.heard[-1].value == "dis"  # a word of one's own, so far
        await pilot.press("enter")
        await pilot.pause()
        assert picker.value == "dismissed" and not picker.open
        assert picker.query_one(Input).value == "dismissed"
        assert app.heard[-1].control is picker and app.heard[-1].value == "dismissed"

        picker.value = ""
        await pilot.press(*"peckish")  # nothing on the list: simply the word typed
        await pilot.pause()
        assert not picker.open and picker.value == "peckish"


async def test_down_opens_every_word_by_family_and_pagedown_jumps_a_family() -> None:
    app = Harness(FeelingPicker(id="feeling"))
    async with app.run_test(size=(80, 24)) as pilot:
        picker, content = app.widget, app.content
        picker.focus()
        await pilot.press("down")
        await pilot.pause()
        families = list(content.feelings)
        assert families[0] == "hard"  # the words a hurt needs come first
        assert listed(picker) == [row for f in families for row in (f, *content.feelings[f])]
        options = picker.query_one(OptionList)
        assert options.highlighted_option.id == "lonely"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert picker.value == "hurt"
        await pilot.press("down", "pagedown", "pagedown", "enter")  # two families on: pleasant
        await pilot.pause()
        assert picker.value == content.feelings[families[2]][0]
        await pilot.press("down", "pagedown", "pageup", "pageup")
        assert options.highlighted_option.id == "lonely"
        await pilot.press("escape")
        await pilot.pause()
        assert not picker.open and picker.query_one(Input).has_focus


async def test_typing_a_familys_name_lists_that_family() -> None:
    app = Harness(FeelingPicker(id="feeling"))
    async with app.run_test(size=(80, 24)) as pilot:
        picker, content = app.widget, app.content
        picker.focus()
        await pilot.press(*"tend")
        await pilot.pause()
        assert listed(picker) == ["tender", *content.feelings["tender"]]


async def test_the_feelings_picker_starts_with_a_word_of_ones_own() -> None:
    app = Harness(FeelingPicker("like glass", id="feeling"))
    async with app.run_test(size=(80, 24)):
        assert app.widget.query_one(Input).value == "like glass" and app.widget.value == "like glass"
        assert app.heard == []  # nothing changed yet


async def test_box_breathing_goes_round_the_square_phase_by_phase() -> None:
    app = Harness(BoxBreathing(PHASES, stopped="Press b", still=False, id="breathing"))
    async with app.run_test(size=(60, 10)) as pilot:
        breathing = app.widget
        assert "Press b" in rendered(breathing) and "●" not in rendered(breathing)
        breathing.advance()  # nothing moves while stopped
        assert breathing.step == 0
        breathing.start()
        await pilot.pause()
        assert [m.word for m in app.heard] == ["In"]
        shown = rendered(breathing)
        assert shown.splitlines()[0].startswith("╭●")  # the point of gold sets off along the top
        assert "In" in shown and "4" in shown
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert (breathing.word, breathing.count) == ("Hold", 4)
        assert rendered(breathing).splitlines()[0].rstrip().split("  ")[0].endswith("●")  # top right corner
        for _ in range(3 * breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert [m.word for m in app.heard] == ["In", "Hold", "Out", "Rest", "In"]  # round again
        assert [m.index for m in app.heard] == [0, 1, 2, 3, 0]
        breathing.stop()
        await pilot.pause()
        assert not breathing.running and breathing.step == 0
        assert len(rendered(breathing).splitlines()) >= BOX_HEIGHT


async def test_box_breathing_without_motion_and_as_a_bar() -> None:
    app = Harness(BoxBreathing(PHASES, stopped="Press b", still=True, shape="bar", id="breathing"))
    async with app.run_test(size=(60, 6)) as pilot:
        breathing = app.widget
        breathing.start()
        await pilot.pause()
        first = rendered(breathing)
        assert "In 4" in first and "█" not in first  # reduced motion: an empty bar while breathing in
        breathing.advance()
        await pilot.pause()
        assert rendered(breathing) == first  # a quarter second later, nothing has moved
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert "Hold 4" in rendered(breathing) and "█" * 16 in rendered(breathing)


async def test_the_countdown_ticks_pauses_and_says_when_it_is_done() -> None:
    app = Harness(Countdown(2, running="Left {time}", paused="{time} paused", done="Done", id="timer"))
    async with app.run_test(size=(40, 4)) as pilot:
        timer = app.widget
        assert str(timer.render()) == "Left 0:02"
        timer.pause()
        timer.tick()
        await pilot.pause()
        assert str(timer.render()) == "0:02 paused"
        timer.resume()
        timer.tick()
        timer.tick()
        timer.tick()  # past zero it stays done
        await pilot.pause()
        assert str(timer.render()) == "Done" and timer.done
        assert len([m for m in app.heard if isinstance(m, Countdown.Finished)]) == 1
        timer.restart(90, paused=True)
        await pilot.pause()
        assert str(timer.render()) == "1:30 paused"


def test_clock_face() -> None:
    assert [clock_face(s) for s in (0, 5, 60, 125, 1200, -3)] == [
        "0:00",
        "0:05",
        "1:00",
        "2:05",
        "20:00",
        "0:00",
    ]
