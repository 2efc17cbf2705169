"""Step 3: the I-statement builder, a speaker-listener turn for two at one keyboard, calm moments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, OptionList, Static

from app.content import Content
from app.domain.practices.openly import CalmMoment, IStatement, ListeningTurn
from app.store.couple import CoupleStore
from app.tui.practices.listening import ListeningTurnPanel
from app.tui.screens.confirm import Confirm
from app.tui.screens.feelings_form import FeelingsForm
from tests.support.files import local_private, raw
from tests.support.practices import TODAY, fill_openly
from tests.support.tui import WIDE, fill_form, open_practice, screen_text, share_after_asking, words_within

pytestmark = pytest.mark.usefixtures("still_clocks")


def preview(app) -> str:
    return str(app.screen.query_one("#practice-form-preview", Static).render())


async def test_the_i_statement_builder_shows_the_sentence_and_warns_kindly(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 3)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        assert content.text("practice_openly.preview_empty") in preview(app)
        await pilot.press(*"you always")
        await pilot.pause()
        assert "When I see you always." in preview(app)
        assert content.text("statement_warnings.you_always") in preview(app)
        fill_form(app, when="the dishes in the sink", feeling="tired", need="help", request="share them")
        await pilot.pause()
        sentence = (
            "When I see the dishes in the sink, I feel tired, because I need help. "
            "Would you be willing to share them?"
        )
        assert sentence in preview(app)
        assert content.text("statement_warnings.you_always") not in preview(app)
        fill_form(app, feeling="like you don't care")  # a word of one's own: not on the list
        await pilot.pause()
        assert content.text("statement_warnings.feel_like_you") in preview(app)
        await pilot.press("ctrl+s")  # a warning never blocks saving
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)

        [(statement_id, record)] = local_private(IStatement.KIND).items()
        assert record["author"] == alex.id
        assert record["fields"]["feeling"] == "like you don't care"
        assert "dishes in the sink" not in db_path.read_text()
        assert "I feel like you don't care" in screen_text(app)

        app.screen.query_one("#statements-list", OptionList).focus()
        await share_after_asking(pilot)
        assert raw(db_path, IStatement.KIND)[statement_id]["fields"]["need"] == "help"

        await pilot.press("e")
        await pilot.pause()
        fill_form(app, feeling="lonely")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert raw(db_path, IStatement.KIND)[statement_id]["fields"]["feeling"] == "lonely"

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, IStatement.KIND)[statement_id]["fields"]["deleted"] is True


@pytest.mark.parametrize("size", [(80, 24), (100, 32), WIDE])
async def test_when_the_two_minutes_end_the_turn_card_still_reads_whole(
    store: CoupleStore, content: Content, size: tuple[int, int], make_app
) -> None:
    """The gentle "two minutes are up" words take a line of their own under who has the floor;
    they used to squeeze it into a column a letter or two wide, and were cut short themselves."""
    app = make_app(store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await open_practice(pilot, 3)
        await pilot.press("t")
        await pilot.pause()
        panel = app.screen.query_one(ListeningTurnPanel)
        for _ in range(120):
            panel.timer.tick()
        await pilot.pause()
        top = app.screen.query_one("#turn-top")
        shown = words_within(app, top)
        assert "Alex has the floor · Sam listens" in shown
        assert content.text("practice_openly.times_up") in shown
        await pilot.press(*"I miss us", "enter")  # and so it stays for the rest of the turn
        await pilot.pause()
        assert "Alex has the floor · Sam listens" in words_within(app, top)


async def test_a_listening_turn_goes_round_then_the_roles_swap(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 3)
        panel = app.screen.query_one(ListeningTurnPanel)
        assert not panel.display
        await pilot.press("t")
        await pilot.pause()
        assert panel.display
        assert "Alex has the floor · Sam listens" in screen_text(app)
        assert "Turn timer 2:00" in screen_text(app)
        panel.timer.tick()  # one second passes
        await pilot.pause()
        assert "Turn timer 1:59" in screen_text(app)
        await pilot.press("ctrl+t")  # pause the timer
        panel.timer.tick()
        await pilot.pause()
        assert "Turn timer 1:59 · paused" in screen_text(app)
        await pilot.press("ctrl+t")

        await pilot.press(*"I miss us", "enter")  # Alex notes what they said
        assert "Sam, say back what you heard" in screen_text(app)
        await pilot.press(*"you're cross", "enter")  # Sam tries
        await pilot.pause()
        assert "Alex, is that it?" in screen_text(app)
        await pilot.press("n")  # not quite
        await pilot.pause()
        assert "Not quite yet. Sam, try once more" in screen_text(app)
        await pilot.press(*"you miss us", "enter")
        await pilot.press("y")  # yes, that's it
        await pilot.pause()
        assert "Alex feels heard" in screen_text(app)

        [record] = raw(db_path, ListeningTurn.KIND).values()
        assert record["author"] == alex.id
        assert (
            record["fields"]
            | {
                "speaker": alex.id,
                "listener": sam.id,
                "said": "I miss us",
                "paraphrases": ["you're cross", "you miss us"],
                "confirmed": True,
                "day": TODAY.isoformat(),
            }
            == record["fields"]
        )

        assert app.focused is app.screen.query_one("#turn-swap", Button)
        await pilot.press("enter")  # swap roles
        await pilot.pause()
        assert "Sam has the floor · Alex listens" in screen_text(app)
        await pilot.press(*"me too", "enter")
        await pilot.press("escape")  # stop here: what was said is kept, unconfirmed
        await pilot.pause()
        assert not panel.display
        turns = [r["fields"] for r in raw(db_path, ListeningTurn.KIND).values()]
        assert {
            "speaker": sam.id,
            "listener": alex.id,
            "said": "me too",
            "paraphrases": [],
            "confirmed": False,
        }.items() <= next(t for t in turns if t["said"] == "me too").items()
        assert "Sam spoke, Alex listened" in screen_text(app)
        assert "heard: not yet" in screen_text(app)


async def test_calm_moments_are_planned_upcoming_first_changed_and_deleted(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    store.add_entry(CalmMoment, sam.id, day=TODAY + dt.timedelta(days=10), topic="The holiday budget")
    store.add_entry(CalmMoment, sam.id, day=TODAY - dt.timedelta(days=3), topic="Last week's talk")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 3)
        await pilot.click("#moments-add")
        await pilot.pause()
        fill_form(app, day="2026-11-20", at="after breakfast", topic="Evenings")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(moment_id, record)] = [
            (i, r) for i, r in raw(db_path, CalmMoment.KIND).items() if r["fields"]["topic"] == "Evenings"
        ]
        assert record["author"] == alex.id  # shared straight away: planned together
        assert record["fields"]["day"] == "2026-11-20" and record["fields"]["at"] == "after breakfast"
        shown = screen_text(app)
        assert "Fri 20 Nov · after breakfast" in shown
        assert shown.index("Evenings") < shown.index("The holiday budget") < shown.index("Last week's talk")

        moments = app.screen.query_one("#moments-list", OptionList)
        moments.focus()
        moments.highlighted = next(i for i, o in enumerate(moments.options) if o.id == moment_id)
        await pilot.press("e")
        await pilot.pause()
        fill_form(app, day="", at="")
        await pilot.press("ctrl+s")  # a moment needs a day or a time
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        fill_form(app, at="Sunday after our walk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        fields = raw(db_path, CalmMoment.KIND)[moment_id]["fields"]
        assert fields["day"] is None and fields["at"] == "Sunday after our walk"

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, CalmMoment.KIND)[moment_id]["fields"]["deleted"] is True


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_openly(store)
    assert snap_compare(make_app(store, today=TODAY), press=["3", "p"], terminal_size=(100, 40))
