"""The feelings picker (app/tui/widgets/feelings.py): type to filter, the whole list by family, a
word of one's own."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from app.tui.widgets.feelings import FeelingPicker
from tests.support.tui import Harness


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
