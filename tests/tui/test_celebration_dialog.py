"""One celebration in full, and the other partner's reaction to it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from app.store.couple import CoupleStore
from app.tui.screens.celebration_dialog import CelebrationDialog
from app.tui.screens.log import CelebrationsScreen
from tests.support.files import records
from tests.support.today import TODAY, days_ago
from tests.support.tui import SMALL, screen_text


async def test_the_other_partner_reacts_to_a_celebration(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk by the river", day=days_ago(2), note="Cold hands, warm talk.")
    app = make_app(store, acting=sam.id, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationDialog)
        shown = screen_text(app)
        assert "Cold hands, warm talk." in shown and "Logged by Alex" in shown
        assert app.focused is app.screen.query_one("#celebration-reaction", Input)
        await pilot.press(*"So glad we went", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationsScreen)
        assert "♥ Sam" in screen_text(app)
    [saved] = records(db_path, "celebration")
    assert saved[f"reaction.{sam.id}"] == "So glad we went"
    assert saved["title"] == walk.title and saved["edited_by"] == sam.id


async def test_the_one_who_logged_it_sees_the_reaction_and_has_no_box(store: CoupleStore, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk [b]by[/b] the river", day=days_ago(2))
    app = make_app(store, acting=alex.id, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.show_celebration(walk.id)
        await pilot.pause()
        assert not app.screen.query("#celebration-reaction")
        assert "Sam hasn't added a reaction yet." in screen_text(app)
        await pilot.press("escape")
        store.react(walk.id, sam.id, "[red]me too\x1b[2J")
        app.show_celebration(walk.id)
        await pilot.pause()
        shown = screen_text(app)
        assert "♥ Sam  [red]me too\\x1b[2J" in shown
        assert "Walk [b]by[/b] the river" in shown
        await pilot.click("#celebration-close")
        await pilot.pause()
        assert not isinstance(app.screen, CelebrationDialog)
