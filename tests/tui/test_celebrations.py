"""Logging a celebration from anywhere, the moment of gold, the log, and reactions."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from app.content import Content
from app.domain.models import CelebrationSize
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.screens.celebrate import CelebrateDialog
from app.tui.screens.celebration import CelebrationDialog
from app.tui.screens.celebrations import CelebrationsScreen, LogFilter
from app.tui.widgets.gold import SPARKLES, GoldMoment, flourish
from app.tui.widgets.timeline import Timeline, timeline_rows
from tests.support.app import notified
from tests.support.files import records
from tests.support.journey import TODAY, days_ago, write_many_celebrations
from tests.support.tui import SMALL, WIDE, click_settled, screen_text


def fill_in(app, **values: object) -> None:
    """Set the dialog's fields directly (typing every character would be slow)."""
    dialog = app.screen
    assert isinstance(dialog, CelebrateDialog)
    for name, value in values.items():
        widget = dialog.query_one(f"#celebrate-{name}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = str(value)
        else:
            widget.text = str(value)  # the note's TextArea


async def test_the_whole_date_stays_in_sight_after_visiting_its_field(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        day = app.screen.query_one("#celebrate-day", Input)
        while app.focused is not day:  # by keyboard, as a person would
            await pilot.press("tab")
        await pilot.press("tab")  # and on: the cursor was left after the date's last digit
        await pilot.pause()
        assert TODAY.isoformat() in screen_text(app)


async def test_c_logs_a_celebration_and_shows_a_moment_of_gold(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex = store.partner_named("Alex")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        assert app.screen.query_one("#celebrate-day", Input).value == TODAY.isoformat()
        await pilot.press(*"Walked the long way home")
        fill_in(
            app, note="Talked about\nnothing much.", day=days_ago(3).isoformat(), step=5, size="milestone"
        )
        app.animation_level = "none"  # as TEXTUAL_ANIMATIONS=none sets it
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert not isinstance(app.screen, CelebrateDialog)
        moment = app.screen.query_one(GoldMoment)
        assert moment.line in content.cheers
        assert str(moment.render()) == moment.line  # the warm line alone, nothing moving
        assert moment.line in screen_text(app)
        latest = str(app.screen.query_one("#celebrations", Static).render())
        assert "Walked the long way home" in latest  # the dashboard re-read
    [saved] = records(db_path, "celebration")
    assert saved["title"] == "Walked the long way home"
    assert saved["note"] == "Talked about\nnothing much."
    assert saved["day"] == days_ago(3).isoformat()
    assert saved["step"] == 5 and saved["size"] == "milestone"
    assert saved["edited_by"] == alex.id


async def test_the_palette_and_the_log_open_the_same_dialog(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    sam = store.partner_named("Sam")
    app = make_app(store, acting=sam.id, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Log a celebration", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        await pilot.press(*"Said sorry first", "enter")  # enter in the title saves
        await pilot.pause()
        assert isinstance(app.screen, CelebrationsScreen)
        assert "Said sorry first" in screen_text(app)
    [saved] = records(db_path, "celebration")
    assert saved["title"] == "Said sorry first" and saved["edited_by"] == sam.id
    assert saved["day"] == TODAY.isoformat() and saved["size"] == "small" and saved["step"] is None


async def test_a_day_that_is_not_one_or_not_yet_keeps_the_form(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        fill_in(app, title="Slept well", day="17/05/2026")
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.bad_day") in screen_text(app)
        fill_in(app, day="2026-05-18")  # tomorrow
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.future_day") in screen_text(app)
        fill_in(app, title="   ", day="2026-05-16")
        await click_settled(pilot, "#celebrate-save", "#celebrate-problem")
        assert content.text("celebrate.need_title") in screen_text(app)
        assert isinstance(app.screen, CelebrateDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
        assert not app.screen.query(GoldMoment)
    assert records(db_path, "celebration") == []


async def test_a_failed_save_says_why_and_keeps_what_was_typed(
    store: CoupleStore, db_path: Path, make_app, monkeypatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("disk_full", path="couple.json", why="No space left on device")

    monkeypatch.setattr(store, "create", refuse)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Kept our promise", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        assert app.screen.query_one("#celebrate-title", Input).value == "Kept our promise"
        told = (
            "couple.json could not be saved (No space left on device); "
            "your change is kept here but not saved yet."
        )
        assert told in [n.message for n in notified(app)]
    assert records(db_path, "celebration") == []


async def test_no_dialog_opens_on_top_of_a_dialog(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab", "tab")  # away from the title, onto the note
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("c")  # help is showing: c does nothing
        await pilot.pause()
        assert not isinstance(app.screen, CelebrateDialog)
        assert len(app.screen_stack) == 2


async def test_basic_animations_show_the_sparkles_still(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.animation_level = "basic"
        moment = GoldMoment.show(app.screen, "Lovely.")
        await pilot.pause()
        assert str(moment.render()) == flourish("Lovely.", len(SPARKLES)).plain
        await pilot.click(GoldMoment)  # a click sends it away
        await pilot.pause()
        assert not app.screen.query(GoldMoment)


def test_the_flourish_opens_out_from_the_line() -> None:
    assert flourish("Lovely.", 0).plain == "Lovely."
    assert (
        flourish("Lovely.", 2).plain == f"{SPARKLES[1]} {SPARKLES[0]}  Lovely.  {SPARKLES[0]} {SPARKLES[1]}"
    )


# -- the log ---------------------------------------------------------------------------------


def timeline_lines(app) -> list[str]:
    timeline = app.screen.query_one(Timeline)
    return [timeline.row_text(row, 100).plain.rstrip() for row in timeline.rows]


async def test_the_log_is_grouped_by_month_newest_first(store: CoupleStore, make_app) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.add_celebration(alex.id, "First walk", day=TODAY.replace(month=3, day=2), step=1)
    store.add_celebration(sam.id, "Ten years", day=TODAY.replace(month=4, day=30), size="anniversary")
    store.add_celebration(sam.id, "Dinner, no phones", day=days_ago(1), step=5)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        lines = timeline_lines(app)
        assert [line if "2026" in line else line[:6] for line in lines] == [
            "May 2026",
            "Sat 16",
            "April 2026",
            "Thu 30",
            "March 2026",
            "Mon  2",
        ]
        assert "Dinner, no phones" in lines[1] and lines[1].endswith("Sam")
        assert "❖  Ten years" in lines[3]
        assert "3 celebrations" in screen_text(app)
        timeline = app.screen.query_one(Timeline)
        assert app.focused is timeline
        assert timeline.cursor == 1  # on the newest celebration, not its month
        await pilot.press("down")
        assert timeline.cursor == 3  # month headings are skipped
        await pilot.press("end")
        assert timeline.cursor == 5
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CelebrationDialog)
        assert "First walk" in screen_text(app)


async def test_the_log_filters_by_step_partner_size_and_words(
    store: CoupleStore, content: Content, make_app
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.add_celebration(alex.id, "Walk by the river", day=days_ago(40), step=1, note="cold hands")
    store.add_celebration(sam.id, "River swim", day=days_ago(20), step=2, size="milestone")
    store.add_celebration(sam.id, "Quiet evening", day=days_ago(2), step=1)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#log-step", Select).value = 1
        await pilot.pause()
        assert [r.celebration.title for r in screen.query_one(Timeline).rows if r.celebration] == [
            "Quiet evening",
            "Walk by the river",
        ]
        assert "2 of 3 celebrations match" in screen_text(app)
        screen.query_one("#log-partner", Select).value = sam.id
        await pilot.pause()
        assert [r.celebration.title for r in screen.query_one(Timeline).rows if r.celebration] == [
            "Quiet evening"
        ]
        screen.query_one("#log-step", Select).clear()
        screen.query_one("#log-partner", Select).clear()
        screen.query_one("#log-size", Select).value = "milestone"
        await pilot.pause()
        assert [r.celebration.title for r in screen.query_one(Timeline).rows if r.celebration] == [
            "River swim"
        ]
        screen.query_one("#log-size", Select).clear()
        await pilot.press("slash")
        assert app.focused is screen.query_one("#log-search", Input)
        await pilot.press(*"COLD")  # the note is searched too, whatever the case
        await pilot.pause()
        assert [r.celebration.title for r in screen.query_one(Timeline).rows if r.celebration] == [
            "Walk by the river"
        ]
        await pilot.press(*" zebra")
        await pilot.pause()
        assert screen.query_one(Timeline).rows == []
        assert content.text("log.no_matches") in screen_text(app)


def test_a_filter_matches_every_word_it_is_given(store: CoupleStore) -> None:
    alex = store.partner_named("Alex")
    walk = store.add_celebration(alex.id, "Walk by the river", day=TODAY, size=CelebrationSize.SMALL)
    assert LogFilter(search="river walk").matches(walk)
    assert not LogFilter(search="river swim").matches(walk)
    assert LogFilter(step=None, size=CelebrationSize.SMALL, partner=alex.id).matches(walk)
    assert not LogFilter(step=3).matches(walk)


async def test_five_thousand_celebrations_show_and_filter(store: CoupleStore, make_app) -> None:
    write_many_celebrations(store, 5000)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        shown = [row.celebration for row in timeline.rows if row.celebration]
        assert len(shown) == 5000
        assert [c.day for c in shown] == sorted((c.day for c in shown), reverse=True)
        assert "5000 celebrations" in screen_text(app)
        await pilot.press("pagedown", "pagedown")
        assert timeline.scroll_offset.y > 0
        assert timeline.rows[timeline.cursor].celebration is not None
        app.screen.query_one("#log-search", Input).value = "forward 4999"
        await pilot.pause()
        assert [r.celebration.title for r in timeline.rows if r.celebration] == ["Step forward 4999"]


def test_month_headings_come_before_each_months_first_celebration(
    store: CoupleStore, content: Content
) -> None:
    alex = store.partner_named("Alex")
    for day in (TODAY, days_ago(1), days_ago(40)):
        store.add_celebration(alex.id, "x", day=day)
    rows = timeline_rows(store.celebrations(), content)
    assert [row.heading for row in rows] == ["May 2026", "", "", "April 2026", ""]


# -- reactions -------------------------------------------------------------------------------


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


async def test_the_log_shows_titles_and_names_literally(db_path: Path, make_app) -> None:
    store = CoupleStore(db_path)
    alex, _ = store.init("[b]Alex", "Sam")
    store.add_celebration(alex.id, "[@click=app.quit]boom \x1b[2J", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        shown = screen_text(app)
        assert "[@click=app.quit]boom \\x1b[2J" in shown
        assert "[b]Alex" in shown
        assert "\x1b" not in shown
        partner_filter = app.screen.query_one("#log-partner", Select)
        partner_filter.value = alex.id
        await pilot.pause()
        assert "[b]Alex" in str(app.screen.query_one("#log-partner", Select).query_one(Static).render())


async def test_the_logs_lines_are_drawn_anew_when_the_theme_the_cursor_or_the_focus_changes(
    store: CoupleStore, make_app
) -> None:
    """The timeline keeps the lines it drew; what it shows is always what drawing them now gives."""
    alex = store.partners[0]
    for number in range(3):
        store.add_celebration(alex.id, f"Walk number {number}")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)

        def as_drawn_now(row: int) -> bool:
            y = row - timeline.scroll_offset.y
            width = timeline.scrollable_content_region.width
            return list(timeline.render_line(y)) == list(timeline._draw(row, width, timeline.rich_style))

        first = timeline.cursor
        assert as_drawn_now(first)
        app.theme = "textual-light"
        await pilot.pause()
        assert as_drawn_now(first)
        await pilot.press("down")
        await pilot.pause()
        assert timeline.cursor != first and as_drawn_now(first) and as_drawn_now(timeline.cursor)
        await pilot.press("slash")  # the search box takes the focus: the cursor's line dims
        await pilot.pause()
        assert not timeline.has_focus and as_drawn_now(timeline.cursor)
