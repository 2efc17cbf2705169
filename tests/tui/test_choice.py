"""A choice among a few (app/tui/widgets/choice.py): Select's keys, its list, drawn by one widget."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input

from app.tui.widgets.choice import Choice, ChoiceList

SIZES = [("Small win", "small"), ("Milestone", "milestone"), ("Anniversary", "anniversary")]
STEPS = [("1 Acknowledge the wounds", 1), ("2 Understand the origins", 2), ("[b]3[/b] Communicate", 3)]


class Form(App[None]):
    """A choice with a prompt, one without, a field to take the focus away, and the footer."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str | None, object]] = []

    def compose(self) -> ComposeResult:
        yield Choice(STEPS, prompt="No particular step", close_words="Close the list", id="step")
        yield Choice(SIZES, value="milestone", id="size")
        yield Input(id="elsewhere")
        yield Footer()

    @on(Choice.Changed)
    def _heard(self, event: Choice.Changed) -> None:
        self.heard.append((event.choice.id, event.value))


def shown(choice: Choice) -> str:
    """The line the box shows inside its border."""
    [_, line, _] = choice.render_lines(choice.region.reset_offset)
    return "".join(segment.text for segment in line)


def parts(app: Form) -> tuple[Choice, ChoiceList]:
    step = app.query_one("#step", Choice)
    return step, step.query_one(ChoiceList)


async def test_it_shows_what_is_chosen_or_its_prompt_dimmed_and_words_as_they_are() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, size = app.query_one("#step", Choice), app.query_one("#size", Choice)
        assert step.value is None and size.value == "milestone"
        assert "No particular step" in shown(step) and shown(step).rstrip(" ▎").endswith("▼")
        assert "Milestone" in shown(size)
        step.value = 3
        await pilot.pause()
        assert "[b]3[/b] Communicate" in shown(step)  # not read as markup
        assert Choice(SIZES).value == "small"  # no prompt: the first is chosen
        with pytest.raises(ValueError):
            size.value = None  # no prompt: something is always chosen


@pytest.mark.parametrize("key", ["enter", "space", "down", "up"])
async def test_enter_space_up_or_down_open_the_list_on_what_is_chosen_and_escape_closes_it(key: str) -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, listed = parts(app)
        step.value = 2
        step.focus()
        await pilot.press(key)
        await pilot.pause()
        assert step.expanded and app.focused is listed and listed.highlighted == 2  # the prompt first
        assert "▲" in shown(step)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert not step.expanded and app.focused is step and step.value == 2  # nothing chosen


async def test_enter_in_the_list_chooses_closes_it_and_says_so_once() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, _ = parts(app)
        step.focus()
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert step.value == 2 and not step.expanded and app.focused is step
        assert "2 Understand the origins" in shown(step)
        await pilot.press("enter", "home", "enter")  # back to the prompt: nothing chosen
        await pilot.pause()
        assert step.value is None
        assert app.heard == [("step", 2), ("step", None)]


async def test_letters_typed_in_the_list_jump_to_the_option_holding_them_earliest() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        size = app.query_one("#size", Choice)
        size.focus()
        await pilot.press("enter", "a")  # "Anniversary" holds it first, before "Small win"
        assert size.query_one(ChoiceList).highlighted == 2
        await pilot.press("enter")
        await pilot.pause()
        assert size.value == "anniversary"


async def test_the_focus_going_elsewhere_closes_the_list_choosing_nothing() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, _ = parts(app)
        step.focus()
        await pilot.press("enter", "down", "tab")
        await pilot.pause()
        assert not step.expanded and step.value is None
        assert app.focused is not step and app.focused is not None


async def test_escape_in_the_list_is_told_in_the_footer_with_its_words() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, listed = parts(app)
        step.focus()
        await pilot.press("enter")
        await pilot.pause()
        escape = app.screen.active_bindings["escape"]
        assert escape.node is listed and escape.binding.description == "Close the list"
        assert escape.binding.show


async def test_a_click_opens_and_closes_the_list_and_a_click_on_an_option_chooses_it() -> None:
    app = Form()
    async with app.run_test(size=(60, 20)) as pilot:
        step, listed = parts(app)
        await pilot.click(step)
        await pilot.pause()
        assert step.expanded
        assert listed.region.y >= step.region.bottom  # beneath the box, as wide as it
        assert listed.region.x == step.region.x and listed.region.width == step.region.width
        await pilot.click(step)
        await pilot.pause()
        assert not step.expanded
        await pilot.click(step)
        await pilot.pause()
        await pilot.click(listed, offset=(3, 1 + 1))  # the border, then the prompt's row, then step 1
        await pilot.pause()
        assert step.value == 1 and not step.expanded
