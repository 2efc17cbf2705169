"""Step 4: support contacts, the session log and questions for next time, through the keyboard and mouse."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from app.content import Content
from app.domain.practices.support import SessionQuestion, SupportContact, SupportSession
from app.store.couple import CoupleStore
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import PracticeForm
from tests.support.files import raw
from tests.support.practices import TODAY, days_ago, fill_support
from tests.support.tui import SMALL, WIDE, fill_form, open_practice, screen_text


async def test_a_contact_is_added_changed_and_deleted(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 4)
        empty = app.screen.query_one("#contacts-empty", Static)
        assert empty.display and str(empty.render()) == content.text("practice_support.contacts_empty")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)
        await pilot.press(*"Dr Lee")
        fill_form(app, kind="therapist", reach="020 7946 0000", notes="Tuesdays.\nSliding scale.")
        await pilot.press("enter")  # Enter in a line saves
        await pilot.pause()
        assert not isinstance(app.screen, PracticeForm)
        [(contact_id, record)] = raw(db_path, SupportContact.KIND).items()
        assert record["author"] == alex.id
        assert (
            record["fields"] | {"name": "Dr Lee", "kind": "therapist", "reach": "020 7946 0000"}
            == record["fields"]
        )
        assert record["fields"]["notes"] == "Tuesdays.\nSliding scale."
        shown = screen_text(app)
        assert "Dr Lee" in shown and "therapist" in shown and "020 7946 0000" in shown

        app.action_switch_writer()  # Sam changes how to reach them
        await pilot.pause()
        app.screen.query_one("#contacts-list", OptionList).focus()
        await pilot.press("e")
        await pilot.pause()
        fill_form(app, reach="Book online")
        await pilot.press("ctrl+s")
        await pilot.pause()
        fields = raw(db_path, SupportContact.KIND)[contact_id]["fields"]
        assert fields["reach"] == "Book online" and fields["edited_by"] == sam.id
        assert raw(db_path, SupportContact.KIND)[contact_id]["author"] == alex.id

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, SupportContact.KIND)[contact_id]["fields"]["deleted"] is True
        assert "Dr Lee" not in screen_text(app)
        assert app.screen.query_one("#contacts-empty", Static).display  # the invitation again


async def test_a_form_keeps_what_was_typed_when_something_is_missing(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 4)
        await pilot.press("n")
        await pilot.pause()
        fill_form(app, reach="0300 003 0396")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)  # still open, nothing lost
        label = content.text("practice_support.name_label")
        assert content.text("practice_form.needs_words", label=label) in screen_text(app)
        assert SupportContact.KIND not in json_kinds(db_path)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PracticeForm)


def json_kinds(db_path: Path) -> set[str]:
    import json

    return set(json.loads(db_path.read_text()))


async def test_a_session_is_logged_with_the_mouse_and_shown_newest_first(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partners
    store.create(SupportSession, alex.id, day=days_ago(20), takeaways="An older one")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 4)
        await pilot.click("#sessions-add")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)
        assert app.screen.query_one("#form-day").value == TODAY.isoformat()
        fill_form(app, day=days_ago(2).isoformat(), who=sam.id, takeaways="Slow down.", homework="Notice it.")
        await pilot.click("#form-save")
        await pilot.pause()
        newest = next(
            r for r in raw(db_path, SupportSession.KIND).values() if r["fields"]["takeaways"] == "Slow down."
        )
        assert (
            newest["fields"] | {"who": sam.id, "day": days_ago(2).isoformat(), "homework": "Notice it."}
            == newest["fields"]
        )
        assert newest["author"] == alex.id
        shown = screen_text(app)
        assert shown.index("Sam went") < shown.index("An older one")
        assert content.text("practice_support.last_session", day="Mon 16 Nov") in shown


async def test_a_question_is_marked_asked_and_back(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    question = store.create(SessionQuestion, alex.id, text="Why do we avoid money talk?")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 4)
        app.screen.query_one("#questions-list", OptionList).focus()
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        fields = raw(db_path, SessionQuestion.KIND)[question.id]["fields"]
        assert fields["asked"] is True and fields["asked_on"] == TODAY.isoformat()
        assert content.text("practice_support.asked_on", day="Wed 18 Nov") in screen_text(app)
        assert content.text("practice_support.no_questions_waiting") in screen_text(app)
        await pilot.press("m")
        await pilot.pause()
        fields = raw(db_path, SessionQuestion.KIND)[question.id]["fields"]
        assert fields["asked"] is False and fields["asked_on"] is None
        commands = {title: callback for title, callback, _ in app.screen.practice_commands()}
        commands[content.text("practice_support.commands.asked", question="Why do we avoid money talk?")]()
        await pilot.pause()
        assert raw(db_path, SessionQuestion.KIND)[question.id]["fields"]["asked"] is True


async def test_words_from_the_file_show_as_typed(store: CoupleStore, make_app) -> None:
    alex, _ = store.partners
    store.create(SupportContact, alex.id, name="[@click=app.quit]Lee", reach="[b]not bold[/b] \x1b[2J")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 4)
        shown = screen_text(app)
        assert "[@click=app.quit]Lee" in shown
        assert "[b]not bold[/b] \\x1b[2J" in shown


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_support(store)
    assert snap_compare(make_app(store, today=TODAY), press=["4", "p"], terminal_size=(100, 40))
