"""Text from the file is data: never markup, never terminal control codes."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Button, Static

from app.store.couple import CoupleStore
from app.tui.screens.dashboard import DashboardScreen
from app.tui.widgets.safe import safe_str, safe_text
from tests.support.tui import WIDE, screen_text

SAM = "[red]Sam[/red]"
TITLE = "[@click=app.quit]boom \x1b[2J"
SHOWN_TITLE = "[@click=app.quit]boom \\x1b[2J"


def test_safe_text_keeps_markup_and_shows_control_characters() -> None:
    assert safe_text("[b]x[/b]").plain == "[b]x[/b]"
    assert safe_text("a\x1b[2Jb\x07\u202e").plain == "a\\x1b[2Jb\\x07\\u202e"
    assert safe_text("one\ntwo\tthree", one_line=True).plain == "one two    three"
    assert safe_text("one\ntwo").plain == "one\ntwo"
    assert safe_str("[@click=app.quit]\x9b") == "[@click=app.quit]\\x9b"
    assert isinstance(safe_text("x"), Text)
    couple = "👩\u200d❤\ufe0f\u200d👨"  # emoji joiners are not controls
    assert safe_text(couple).plain == couple


async def test_markup_and_escapes_in_the_file_show_literally(db_path: Path, make_app) -> None:
    store = CoupleStore(db_path)
    _, sam = store.init("Alex", SAM)
    store.add_celebration(sam.id, TITLE)
    agreement = store.add_agreement(sam.id, "[bold]We[/bold] rest on Sundays")
    store.sign(agreement.id, sam.id)
    store.check_in(sam.id, 4, mood="[blink]ok")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "\x1b" not in shown
        assert SHOWN_TITLE in shown
        assert f"— {SAM}" in shown  # who logged it
        assert "[bold]We[/bold] rest on Sundays" in shown
        assert f"{SAM}  " in shown and "[blink]ok" in shown
        assert "1 waiting for Alex to sign" in shown
        await pilot.click("#celebrations", offset=(12, 0))  # right on the would-be link
        await pilot.pause()
        assert app.is_running
        await pilot.press("w")
        await pilot.pause()
        assert f"Writing as {SAM}" in screen_text(app)
        assert f"✎ {SAM}" in screen_text(app)  # the steps grid's column
        await pilot.press("1")
        await pilot.pause()
        assert f"{SAM}  ✎ writing now" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert f"{SAM}  ○ Not started" in screen_text(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Switch who")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_the_identify_buttons_show_names_literally(db_path: Path, other_machine, make_app) -> None:
    CoupleStore(db_path).init("[b]Alex", SAM)
    app = make_app(other_machine(db_path))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert [str(button.label) for button in app.screen.query(Button)] == ["[b]Alex", SAM]
        intro = str(app.screen.query_one(".intro", Static).render())
        assert f"belongs to [b]Alex and {SAM}." in intro
        await pilot.click("#partner-1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert f"Writing as {SAM}" in screen_text(app)
