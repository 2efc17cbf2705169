"""Step 8, Stay present: box breathing, the grounding walk-through, the present-moment journal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, OptionList

from app.domain.practices.present import Grounding, PresentMoment
from app.store.couple import CoupleStore
from app.tui.screens.question import QuestionScreen
from app.tui.widgets.breathing import BoxBreathing
from tests.support.files import local_text, raw, records
from tests.support.tui import WIDE, open_practice, screen_text, share_after_asking

TODAY = dt.date(2026, 11, 21)


def widget_text(app, widget) -> str:
    """What the terminal shows inside one widget's region."""
    region = widget.region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


async def write_line(pilot, line: str, *, private: bool = False) -> None:
    await pilot.click("#moments-add")
    await pilot.pause()
    await pilot.press(*line)
    if private:
        await pilot.press("tab", "tab", "enter", "down", "enter")  # the day, then "who sees it": only me
        await pilot.pause()
        await pilot.click("#form-save")
    else:
        await pilot.press("enter")
    await pilot.pause()


async def test_a_journal_line_is_written_edited_and_deleted(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        await write_line(pilot, "Teacup")
        [fields] = records(db_path, "present_moment")
        assert fields["line"] == "Teacup" and fields["day"] == TODAY.isoformat()
        [stored] = raw(db_path, "present_moment").values()
        assert stored["author"] == alex.id
        assert "Teacup" in screen_text(app)

        await pilot.press("w")  # Sam edits it: the author stays, Sam is who edited it last
        await pilot.pause()
        await pilot.click("#moments-list")
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#form-line", Input)
        assert field.value == "Teacup"
        field.value = ""
        await pilot.press(*"Warmcup", "enter")
        await pilot.pause()
        [stored] = raw(db_path, "present_moment").values()
        assert stored["fields"]["line"] == "Warmcup"
        assert stored["author"] == alex.id and stored["fields"]["edited_by"] == sam.id
        assert "edited by Sam" in screen_text(app)

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        [stored] = raw(db_path, "present_moment").values()
        assert stored["fields"]["deleted"] is True
        assert "Warmcup" not in screen_text(app)


async def test_a_private_line_stays_in_the_local_file_until_shared(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        await write_line(pilot, "Mine-only", private=True)
        assert "Mine-only" not in db_path.read_text(encoding="utf-8")
        assert "Mine-only" in local_text()
        assert "only you" in screen_text(app)

        await pilot.press("w")  # Sam at the keyboard does not see it
        await pilot.pause()
        assert "Mine-only" not in screen_text(app)
        await pilot.press("w")
        await pilot.pause()

        await pilot.click("#moments-list")
        await share_after_asking(pilot)
        [fields] = records(db_path, "present_moment")
        assert fields["line"] == "Mine-only"
        assert "Mine-only" not in local_text()
    assert [m.line for m in store.entries(PresentMoment, viewer=alex.id)] == ["Mine-only"]


async def test_grounding_walks_through_five_senses_and_is_private_by_default(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        await pilot.press("g")
        await pilot.pause()
        assert "Name 5 things you can see." in screen_text(app)
        await pilot.press(*"lamplight", "enter")
        await pilot.pause()
        assert "Name 4 things you can touch." in screen_text(app)
        await pilot.press("enter", "enter")  # nothing typed for touch and hear
        await pilot.press(*"rain", "enter")
        await pilot.press("enter")
        await pilot.pause()
        assert "You came back to right now" in screen_text(app)
        await pilot.press("enter")  # Save, keeping it private
        await pilot.pause()
        assert "lamplight" not in db_path.read_text(encoding="utf-8")
        assert "lamplight" in local_text()
        [grounding] = store.entries(Grounding, viewer=alex.id)
        assert (grounding.see, grounding.touch, grounding.smell, grounding.day) == (
            "lamplight",
            "",
            "rain",
            TODAY,
        )
        assert grounding.author == alex.id
        assert store.entries(Grounding, viewer=sam.id) == []
        assert "Saw: lamplight" in screen_text(app)

        await pilot.press("g")  # this time shared: untick "keep it private"
        await pilot.pause()
        await pilot.press(*"skyblue", "enter", "enter", "enter", "enter", "enter")
        await pilot.pause()
        await pilot.click("#grounding-private")
        await pilot.click("#grounding-next")
        await pilot.pause()
        [fields] = records(db_path, "grounding")
        assert fields["see"] == "skyblue"


async def test_box_breathing_starts_and_stops(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        breathing = app.screen.query_one("#breathing", BoxBreathing)
        await pilot.press("b")
        await pilot.pause()
        assert breathing.running and breathing.word == "Breathe in"
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert breathing.word == "Hold"
        assert "●" in widget_text(app, breathing)  # the point of gold travels round the square
        await pilot.press("b")
        await pilot.pause()
        assert not breathing.running
        assert "●" not in widget_text(app, breathing)


async def test_with_animations_off_breathing_shows_the_words_without_motion(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store, today=TODAY)
    app.animation_level = "none"
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        breathing = app.screen.query_one("#breathing", BoxBreathing)
        assert breathing.still
        await pilot.press("b")
        await pilot.pause()
        for _ in range(breathing.steps_per_phase + 1):
            breathing.advance()
        await pilot.pause()
        shown = widget_text(app, breathing)
        assert "Hold" in shown and "Breathe in" in shown
        assert "●" not in shown


async def test_todays_question_opens_from_the_practice(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        assert app.content.question_for(TODAY) in screen_text(app)
        app.screen.query_one("#moments-list", OptionList)  # the practice is built
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)


async def test_years_of_journal_lines_fill_the_list_without_measuring_each_line(
    store: CoupleStore, make_app, monkeypatch
) -> None:
    """A list longer than the screen is as tall as it may be; its lines are not all wrapped to find out.

    Sizing a list by its content wraps every line on each layout: with a few hundred lines, as a
    few years of the journal hold, that made opening the practice take about a second.
    """
    alex, _ = store.partners
    for number in range(60):
        day = TODAY - dt.timedelta(days=number)
        store.add_entry(PresentMoment, alex.id, day=day, line=f"Moment {number}: rain on the window")
    measured: list[int] = []
    measure = OptionList.get_content_height

    def counted(self, container, viewport, width):
        measured.append(len(self.options))
        return measure(self, container, viewport, width)

    monkeypatch.setattr(OptionList, "get_content_height", counted)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 8)
        moments = app.screen.query_one("#moments-list", OptionList)
        assert moments.option_count == 60
        assert moments.size.height == int(WIDE[1] * 0.6)
        assert "Moment 0: rain on the window" in screen_text(app)  # the newest first
        assert not any(count >= 60 for count in measured)


def test_practice_tab(snap_compare, store: CoupleStore, make_app) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    alex, sam = store.partners
    store.add_entry(PresentMoment, alex.id, day=TODAY, line="Tea going cold while we talk")
    store.add_entry(PresentMoment, sam.id, day=TODAY - dt.timedelta(days=2), line="Rain on the skylight")
    store.add_entry(PresentMoment, alex.id, private=True, day=TODAY - dt.timedelta(days=1), line="Only mine")
    store.add_entry(
        Grounding, alex.id, private=True, day=TODAY - dt.timedelta(days=3), see="lamp, books", hear="traffic"
    )
    assert snap_compare(make_app(store, today=TODAY), press=["8", "p"], terminal_size=(100, 40))
