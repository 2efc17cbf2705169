"""Moments worth celebrating are offered on the dashboard and in the palette, never logged by themselves."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from app.content import Content
from app.domain.models import StepStatus
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.tui.screens.celebrate_dialog import CelebrateDialog
from app.tui.widgets.choice import Choice
from app.tui.widgets.suggestions import SuggestionPanel
from tests.support.files import records
from tests.support.today import TODAY
from tests.support.tui import WIDE, screen_text

OFFER = "Sam marked step 2, Understand the origins, as integrated."


def panel_shown(app) -> bool:
    panel = app.screen.query_one(SuggestionPanel)
    return panel.display and "-none" not in panel.classes


async def test_celebrate_it_opens_the_dialog_filled_in_and_logs_only_on_save(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    sam = store.partner_named("Sam")
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED)
    assert records(db_path, "celebration") == []
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert content.text("suggest.heading") in screen_text(app)
        assert OFFER in screen_text(app)
        assert records(db_path, "celebration") == []  # offered, not logged
        await pilot.click("#suggestion-0 .suggestion-celebrate")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CelebrateDialog)
        title = dialog.query_one("#celebrate-title", Input).value
        assert title == "Sam made step 2 part of everyday life: Understand the origins"
        assert dialog.query_one("#celebrate-step", Choice).value == 2
        assert dialog.query_one("#celebrate-size", Choice).value == "milestone"
        await pilot.click("#celebrate-save")
        await pilot.pause()
        await pilot.pause()
        assert not panel_shown(app)
        assert OFFER not in screen_text(app)
    [saved] = records(db_path, "celebration")
    assert saved["from_suggestion"] == f"step-integrated/{sam.id}/2"
    assert saved["title"] == title and saved["step"] == 2


async def test_cancelling_the_dialog_keeps_the_offer(store: CoupleStore, db_path: Path, make_app) -> None:
    store.set_progress(store.partner_named("Sam").id, 2, StepStatus.INTEGRATED)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.click("#suggestion-0 .suggestion-celebrate")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert OFFER in screen_text(app)
    assert records(db_path, "celebration") == []


async def test_let_it_pass_is_remembered_on_this_machine(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED)
    agreement = store.add_agreement(alex.id, "Phones stay in the hall")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert OFFER in shown and "You both signed: Phones stay in the hall" in shown
        row = next(i for i, s in enumerate(app.screen.query_one(SuggestionPanel).suggestions) if s.step == 2)
        await pilot.click(f"#suggestion-{row} .suggestion-pass")
        await pilot.pause()
        shown = screen_text(app)
        assert OFFER not in shown and "You both signed: Phones stay in the hall" in shown
    assert records(db_path, "celebration") == []
    local = json.loads(store.local.path.read_text(encoding="utf-8"))
    assert f"step-integrated/{sam.id}/2" in local["preferences"]["journey"][store.file_id]["dismissed"]
    again = make_app(CoupleStore(db_path, LocalState(store.local.path)), today=TODAY)
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert OFFER not in screen_text(again)


async def test_the_palette_offers_the_moments_too(store: CoupleStore, db_path: Path, make_app) -> None:
    store.set_progress(store.partner_named("Sam").id, 2, StepStatus.INTEGRATED)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Celebrate: Sam")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        assert app.screen.draft.suggestion.startswith("step-integrated/")


async def test_names_in_offers_are_shown_literally(db_path: Path, make_app) -> None:
    store = CoupleStore(db_path)
    _, sam = store.init("Alex", "[b]Sam\x1b[2J")
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "[b]Sam\\x1b[2J marked step 2" in screen_text(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Celebrate:")
        await pilot.pause()
        assert "[b]Sam\\x1b[2J marked step 2" in screen_text(app)
