"""Step 6: the inner critic and a kinder reply (private until shared), and the self-compassion pause."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList, Static

from app.content import Content
from app.domain.practices.kindness import CompassionBreak, KindReply
from app.store.couple import CoupleStore
from app.tui.screens.compassion_break import CompassionBreakScreen
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import PracticeForm
from tests.support.files import local_text, raw
from tests.support.practices import TODAY, fill_kindness
from tests.support.tui import WIDE, fill_form, screen_text, share_after_asking

HARSH = "You never get anything right"
KIND = "You are learning, and that takes time"


async def test_a_kind_reply_stays_private_until_shared(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6", "p", "n")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)
        fill_form(app, harsh=HARSH, kind=KIND)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert HARSH not in db_path.read_text() and KIND not in db_path.read_text()
        assert HARSH in local_text()
        [entry] = store.entries(KindReply, alex.id)
        assert (entry.author, entry.harsh, entry.kind) == (alex.id, HARSH, KIND)
        assert store.is_private(KindReply, entry.id)
        shown = screen_text(app)
        assert HARSH in shown and KIND in shown and "only you" in shown

        await pilot.press("w")  # Sam at the same keyboard does not see it
        await pilot.pause()
        assert HARSH not in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#replies-list", OptionList).focus()
        await share_after_asking(pilot)
        record = raw(db_path, KindReply.KIND)[entry.id]
        assert record["author"] == alex.id and record["fields"]["harsh"] == HARSH
        assert HARSH not in local_text()
        assert "shared with Sam" in screen_text(app)
        sams_view = [e.harsh for e in store.entries(KindReply, sam.id)]
        assert sams_view == [HARSH]


async def test_a_private_reply_is_edited_and_deleted_in_the_local_file(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    entry = store.add_entry(KindReply, alex.id, private=True, harsh=HARSH, kind="")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6", "p")
        await pilot.pause()
        assert content.text("practice_kindness.no_kind_reply") in screen_text(app)
        await pilot.press("enter")  # Enter on an entry opens it
        await pilot.pause()
        fill_form(app, kind=KIND)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert KIND in local_text() and KIND not in db_path.read_text()
        [changed] = store.entries(KindReply, alex.id)
        assert changed.kind == KIND and changed.id == entry.id
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#form-delete")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert store.entries(KindReply, alex.id) == []
        assert HARSH not in local_text()
        assert KindReply.KIND not in json.loads(db_path.read_text())


async def test_a_partners_shared_reply_is_for_reading(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    _, sam = store.partners
    theirs = store.add_entry(KindReply, sam.id, private=True, harsh="Too needy", kind="Allowed to ask")
    store.share_entry(KindReply, theirs.id, sam.id)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("6", "p")
        await pilot.pause()
        assert "Shared by Sam" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, PracticeForm)
        assert content.text("practice_form.not_yours", name="Sam") in screen_text(app)
        assert raw(db_path, KindReply.KIND)[theirs.id]["fields"]["edited_by"] == sam.id


async def test_the_pause_steps_through_three_parts_and_keeps_the_note_privately(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    titles = content.value("practice_break.titles")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6", "p", "b")
        await pilot.pause()
        assert isinstance(app.screen, CompassionBreakScreen)
        for number, title in enumerate(titles):
            assert str(app.screen.query_one("#break-title", Static).render()) == title
            assert content.text("practice_break.progress", number=number + 1) in screen_text(app)
            if number < 2:
                await pilot.press("enter")
        await pilot.press(*"gentle")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CompassionBreakScreen)
        [taken] = store.entries(CompassionBreak, alex.id)
        assert (taken.note, taken.day, taken.author) == ("gentle", TODAY, alex.id)
        assert "gentle" in local_text()
        assert CompassionBreak.KIND not in json.loads(db_path.read_text())
        assert content.text("practice_kindness.breaks.one", day="Wed 18 Nov") in screen_text(app)

        await pilot.press("b", "enter", "escape")  # stopped early: nothing kept
        await pilot.pause()
        assert len(store.entries(CompassionBreak, alex.id)) == 1


async def test_the_palette_offers_the_pause_and_sharing(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    secret = store.add_entry(KindReply, alex.id, private=True, harsh="[b]Lazy[/b]", kind="Resting")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6", "p")
        await pilot.pause()
        commands = {title: callback for title, callback, _ in app.screen.practice_commands()}
        share = content.text(
            "practice_kindness.commands.share_reply", harsh="\\[b]Lazy\\[/b]"
        )  # escaped: not markup
        assert set(commands) == {
            content.text("practice_kindness.commands.replies"),
            content.text("practice_kindness.commands.take_break"),
            share,
        }
        commands[share]()  # asks first, as s does
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "Sam will be able to read this" in screen_text(app)
        assert await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, KindReply.KIND)[secret.id]["fields"]["harsh"] == "[b]Lazy[/b]"
        commands[content.text("practice_kindness.commands.take_break")]()
        await pilot.pause()
        assert isinstance(app.screen, CompassionBreakScreen)


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_kindness(store)
    assert snap_compare(make_app(store, today=TODAY), press=["6", "p"], terminal_size=(100, 40))
