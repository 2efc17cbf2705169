"""The celebration log (``l``): month by month, filters and search, titles and names literal."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from pathlib import Path

from textual.widgets import Input, Select, Static

from app.content import Content
from app.domain.models import Celebration, CelebrationSize, fields_of
from app.domain.records import new_record
from app.store.couple import CoupleStore
from app.store.files import canonical_json
from app.tui.screens.celebration_dialog import CelebrationDialog
from app.tui.screens.log import LogFilter
from app.tui.widgets import timeline as timeline_module
from app.tui.widgets.timeline import Timeline, timeline_rows
from app.words import day_words
from tests.support.today import TODAY, days_ago
from tests.support.tui import SMALL, WIDE, screen_text


def write_many_celebrations(store: CoupleStore, count: int, seed: int = 7) -> None:
    """Put ``count`` celebrations straight into the file (one write, not ``count``)."""
    rng = random.Random(seed)
    partners = [p.id for p in store.partners]
    data = json.loads(store.path.read_text(encoding="utf-8"))
    table = data.setdefault(Celebration.KIND, {})
    for number in range(count):
        author = partners[number % 2]
        celebration = Celebration(
            id="-",
            author=author,
            created="",
            title=f"Step forward {number}",
            day=TODAY - dt.timedelta(days=rng.randint(0, 1500)),
            step=rng.choice([None, *range(1, 10)]),
            size=rng.choice(list(CelebrationSize)),
        )
        record_id = str(uuid.UUID(int=rng.getrandbits(128)))
        table[record_id] = new_record(author, store.clock.tick(), fields_of(celebration))
    store.path.write_text(canonical_json(data), encoding="utf-8")
    store.refresh()


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


async def test_the_log_words_the_days_of_the_rows_it_draws_only(
    store: CoupleStore, make_app, monkeypatch
) -> None:
    write_many_celebrations(store, 2000)
    worded: list[object] = []

    def counted(*args: object, **kwargs: object) -> str:
        worded.append(args)
        return day_words(*args, **kwargs)

    monkeypatch.setattr(timeline_module, "day_words", counted)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        assert len(timeline.rows) > 2000
        assert 0 < len(worded) <= 4 * timeline.size.height  # a screenful, drawn once or twice
        lines = [line for line in screen_text(app).splitlines() if "Step forward" in line]
        assert lines and all(
            line.split()[0] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} for line in lines
        )


def test_month_headings_come_before_each_months_first_celebration(
    store: CoupleStore, content: Content
) -> None:
    alex = store.partner_named("Alex")
    for day in (TODAY, days_ago(1), days_ago(40)):
        store.add_celebration(alex.id, "x", day=day)
    rows = timeline_rows(store.celebrations(), content)
    assert [row.heading for row in rows] == ["May 2026", "", "", "April 2026", ""]


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


async def test_the_log_counts_one_celebration_as_one(store: CoupleStore, make_app) -> None:
    store.add_celebration(store.partner_named("Alex").id, "Walked home together", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        shown = screen_text(app)
        assert "1 celebration, newest first" in shown and "1 celebrations" not in shown
