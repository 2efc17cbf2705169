"""The weekly "state of us" talk: five parts, one record, a proposed agreement, last week's notes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TextArea

from app.content import Content
from app.store.couple import CoupleStore
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.meeting import MeetingScreen
from tests.support.app import notified
from tests.support.files import records
from tests.support.today import TODAY, days_ago
from tests.support.tui import SMALL, WIDE, screen_text


def write(app, widget_id: str, words: str) -> None:
    widget = app.screen.query_one(f"#{widget_id}")
    if isinstance(widget, TextArea):
        widget.text = words
    else:
        assert isinstance(widget, Input)
        widget.value = words


def title(app) -> str:
    return str(app.screen.query_one("#meeting-title", Static).render())


async def test_a_weekly_talk_is_saved_as_one_record_with_a_proposed_agreement(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert title(app) == "Appreciations"
        shown = screen_text(app)
        assert "What Alex appreciated about Sam" in shown and "What Sam appreciated about Alex" in shown
        last = str(app.screen.query_one("#meeting-last-text", Static).render())
        assert last == content.text("meeting.first_meeting")
        assert app.focused is app.screen.query_one("#meeting-appreciation-0")
        write(app, "meeting-appreciation-0", "You made tea every morning")
        write(app, "meeting-appreciation-1", "You listened")
        await pilot.press("ctrl+n")
        assert title(app) == "What went well"
        write(app, "meeting-went-well", "Our Sunday walk")
        await pilot.click("#meeting-next")
        assert title(app) == "One thing to talk through"
        guide = str(app.screen.query_one("#meeting-guide", Static).render())
        assert "the listener says back what they heard" in guide
        write(app, "meeting-issue", "Phones at dinner")
        write(app, "meeting-issue-notes", "Sam: I feel alone. Alex heard: you miss me.")
        await pilot.press("ctrl+n")
        write(app, "meeting-need-0", "A quiet hour on Saturday")
        await pilot.press("ctrl+b")  # back, and nothing typed is lost
        assert app.screen.query_one("#meeting-issue", Input).value == "Phones at dinner"
        await pilot.press("ctrl+n", "ctrl+n")
        assert title(app) == "Any new agreement?"
        write(app, "meeting-agreement", "Phones stay in the hall at dinner")
        await pilot.click("#meeting-save")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert content.text("meeting.saved_with_agreement") in [n.message for n in notified(app)]
        await pilot.pause()
        assert "Last talk: 17 May" in screen_text(app)
    [meeting] = records(db_path, "meeting")
    assert meeting["day"] == TODAY.isoformat()
    assert meeting[f"appreciation.{alex.id}"] == "You made tea every morning"
    assert meeting[f"appreciation.{sam.id}"] == "You listened"
    assert meeting["went_well"] == "Our Sunday walk" and meeting["issue"] == "Phones at dinner"
    assert meeting["issue_notes"] == "Sam: I feel alone. Alex heard: you miss me."
    assert meeting[f"need.{alex.id}"] == "A quiet hour on Saturday" and f"need.{sam.id}" not in meeting
    [agreement] = records(db_path, "agreement")
    assert agreement["text"] == "Phones stay in the hall at dinner"
    assert meeting["agreement_id"] in {a.id for a in store.agreements()}
    assert not [name for name in agreement if name.startswith("signature.")]  # proposed: nobody signed


async def test_last_weeks_notes_open_the_next_talk(store: CoupleStore, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.hold_meeting(
        sam.id,
        day=days_ago(7),
        appreciations={alex.id: "[b]Tea\x1b[2J", sam.id: "You listened"},
        went_well="Sunday walk",
        needs={sam.id: "Dinner without phones"},
        agreement="Phones in the hall",
    )
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        last = str(app.screen.query_one("#meeting-last-text", Static).render())
        assert last.split("\n") == ["Sunday 10 May", "Alex: [b]Tea\\x1b[2J", "Sam: You listened"]
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        last = str(app.screen.query_one("#meeting-last-text", Static).render())
        assert last.split("\n") == ["Sunday 10 May", "Sam: Dinner without phones"]
        await pilot.press("ctrl+n")
        assert "Phones in the hall" in str(app.screen.query_one("#meeting-last-text", Static).render())


async def test_leaving_with_words_written_asks_twice_and_saves_nothing(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")  # nothing written yet: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"thank you")
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)
        problem = app.screen.query_one("#meeting-problem", Static)
        message = content.text("meeting.leave_again")
        assert str(problem.render()) == message
        # It is scrolled into view after the next refresh: wait for that (however loaded the
        # machine; it used to be checked at once, a row short under load), then read the screen.
        for _ in range(100):
            if " ".join(message.split()) in " ".join(screen_text(app).split()):
                break
            await pilot.pause(0.05)
        assert " ".join(message.split()) in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert records(db_path, "meeting") == []


async def test_an_empty_talk_is_not_saved(store: CoupleStore, db_path: Path, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Weekly talk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        for _ in range(4):
            await pilot.press("ctrl+n")
        await pilot.click("#meeting-save")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert "nothing written" in screen_text(app)
    assert records(db_path, "meeting") == [] and records(db_path, "agreement") == []
