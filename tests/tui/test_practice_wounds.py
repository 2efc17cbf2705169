"""Step 1: naming a wound privately, changing it, sharing it (after asking) and taking it back, deleting it;
the partner's note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from app.content import Content
from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore
from app.tui.practices.wounds import SHOWN_PREFERENCE
from app.tui.screens.confirm import Confirm
from app.tui.screens.feelings_form import FeelingsForm
from app.tui.widgets.feelings import FeelingPicker
from tests.support.files import local_private, local_text, raw
from tests.support.practices import TODAY, fill_wounds
from tests.support.tui import (
    SMALL,
    WIDE,
    fill_form,
    open_practice,
    screen_text,
    share_after_asking,
    words_within,
)

pytestmark = pytest.mark.usefixtures("still_clocks")


async def test_a_wound_is_private_until_shared_then_changed_and_deleted(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 1)
        assert app.screen.query_one("#wounds-empty", Static).display
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        await pilot.press(*"The missed birthday")
        fill_form(app, where="I go quiet when plans change", weight="7", feeling="hurt")
        await pilot.press("enter")  # Enter in a line saves
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)

        # Private: only in this machine's local file, and only Alex sees it.
        assert "missed birthday" not in db_path.read_text()
        [(wound_id, record)] = local_private(Wound.KIND).items()
        assert record["author"] == alex.id
        fields = record["fields"]
        assert (fields["what"], fields["where"], fields["weight"], fields["feeling"]) == (
            "The missed birthday",
            "I go quiet when plans change",
            7,
            "hurt",
        )
        shown = screen_text(app)
        assert "The missed birthday" in shown and "7/10" in shown and "only you" in shown

        # Changing it keeps it private.
        await pilot.press("e")
        await pilot.pause()
        fill_form(app, weight="5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert local_private(Wound.KIND)[wound_id]["fields"]["weight"] == 5
        assert "missed birthday" not in db_path.read_text()

        # s asks first, saying who will read it; Enter answers "Not yet": nothing is shared.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Sam will be able to read this. Share it with Sam?" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert wound_id in local_private(Wound.KIND) and "missed birthday" not in db_path.read_text()
        # A yes moves it into the couple's file, by Alex.
        await share_after_asking(pilot)
        record = raw(db_path, Wound.KIND)[wound_id]
        assert record["author"] == alex.id and record["fields"]["what"] == "The missed birthday"
        assert wound_id not in local_private(Wound.KIND)
        assert "only you" not in screen_text(app)

        # Sam sees it, but it is Alex's to change.
        app.action_switch_writer()
        await pilot.pause()
        assert "The missed birthday" in screen_text(app)
        app.screen.query_one("#wounds-list", OptionList).focus()
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)
        assert raw(db_path, Wound.KIND)[wound_id]["fields"]["edited_by"] == alex.id

        # Alex deletes it: a tombstone, so the delete reaches Sam's copy too.
        app.action_switch_writer()
        await pilot.pause()
        app.screen.query_one("#wounds-list", OptionList).focus()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, Wound.KIND)[wound_id]["fields"]["deleted"] is True
        assert "The missed birthday" not in screen_text(app)


async def test_a_shared_wound_is_taken_back_after_asking_and_saying_what_sam_keeps(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partners
    wound = store.add_entry(Wound, alex.id, private=True, what="Said too soon", weight=4)
    store.share_entry(Wound, wound.id, alex.id)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 1)
        assert "s Take back" in screen_text(app) and "only you" not in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = words_within(app, app.screen.query_one("#confirm-question"))
        assert "Take this back?" in question and "Sam may have read it" in question
        await pilot.press("enter")  # "Leave it shared" has the focus
        await pilot.pause()
        assert raw(db_path, Wound.KIND)[wound.id]["fields"]["deleted"] is False
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, Wound.KIND)[wound.id]["fields"]["deleted"] is True  # Sam's copy: gone once synced
        [(back_id, record)] = local_private(Wound.KIND).items()
        assert record["author"] == alex.id and record["fields"]["what"] == "Said too soon"
        shown = screen_text(app)
        assert "Said too soon" in shown and "only you" in shown and "s Share" in shown
        assert other_machine(db_path).entries(Wound, sam.id) == []
        await share_after_asking(pilot)  # and shared again, the same way
        assert raw(db_path, Wound.KIND)[back_id]["fields"]["what"] == "Said too soon"


async def test_the_partner_does_not_see_a_private_wound_at_one_keyboard(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    store.add_entry(Wound, alex.id, private=True, what="Only mine for now", weight=3)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 1)
        assert "Only mine for now" in screen_text(app)
        await pilot.press("w")  # Sam takes the keyboard
        await pilot.pause()
        assert "Only mine for now" not in screen_text(app)
        assert "Only mine for now" not in db_path.read_text()


async def test_a_feeling_is_picked_from_the_list_in_the_form(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 1)
        await pilot.click(".entry-add")  # the mouse works too
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        await pilot.press(*"Words at the party")
        app.screen.query_one(FeelingPicker).focus()
        await pilot.press(*"lon")  # typing finds it on the list
        await pilot.press("enter")  # takes it (the form is not saved yet)
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        await pilot.pause()
        assert app.screen.query_one(FeelingPicker).value == "lonely"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = local_private(Wound.KIND).values()
    assert record["fields"]["feeling"] == "lonely"


async def test_the_feelings_list_stays_inside_the_form_and_leaves_the_footer_in_sight(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 1)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(FeelingPicker).focus()
        await pilot.press("down")  # the whole list, hard words first
        await pilot.pause()
        words = app.screen.query_one("#feeling-list")
        assert words.display and words.region.height > 1
        assert app.screen.query_one("#practice-form").region.contains_region(words.region)
        assert screen_text(app).splitlines()[-1].startswith("^s Save")  # the footer, uncovered
        assert "lonely" in screen_text(app)


async def test_a_shared_wound_is_noted_gently_once(
    store: CoupleStore, db_path: Path, content: Content, other_machine, make_app
) -> None:
    alex, sam = store.partners
    sams = other_machine(db_path)
    shared = sams.add_entry(Wound, sam.id, private=True, what="Being talked over", weight=5)
    sams.share_entry(Wound, shared.id, sam.id)
    store.refresh()
    note = content.text("practice_wounds.shared_note.one", name="Sam")

    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 1)
        assert note in screen_text(app)
        assert "Being talked over" in screen_text(app)
        await pilot.press("w")  # Sam's own wound is no news to Sam
        await pilot.pause()
        assert note not in screen_text(app)
    shown = json.loads(local_text())["preferences"][SHOWN_PREFERENCE]
    assert shown == {alex.id: [shared.id]}

    app = make_app(store, today=TODAY)  # the next time Alex opens the step, it is not news any more
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 1)
        assert "Being talked over" in screen_text(app)
        assert note not in screen_text(app)
        assert not app.screen.query_one("#wounds-shared-note", Static).display


async def test_a_form_keeps_what_was_typed_when_the_weight_is_not_a_number(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 1)
        await pilot.press("n")
        await pilot.pause()
        fill_form(app, what="Too heavy to say", weight="eleven")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        problem = app.screen.query_one("#practice-form-problem", Static)
        assert problem.display and "How heavy" in str(problem.render())
        fill_form(app, weight="11")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        assert app.screen.typed()["what"] == "Too heavy to say"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)
    assert local_private(Wound.KIND) == {}


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_wounds(store)
    assert snap_compare(make_app(store, today=TODAY), press=["1", "p"], terminal_size=(100, 40))
