"""The screens read well at 80x24: the two of you and the nine steps without scrolling, and the
practices of steps 4 to 7 with their first entries and their keys in view."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from app.content import Content
from app.store.couple import CoupleStore
from app.tui.widgets.step_grid import StepGrid
from tests.support.practices import TODAY, fill_kindness, fill_patterns, fill_support, fill_trust
from tests.support.tui import SMALL, WIDE, open_practice, screen_text


async def test_dashboard_at_80x24_shows_both_partners_and_all_steps(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Alex" in shown and "Sam" in shown and "writing now" in shown
        for step in content.steps:
            assert step.title in shown
        grid = app.screen.query_one(StepGrid)
        assert grid.region.bottom <= app.screen.region.bottom - 1  # above the footer
        assert "1-9 Steps" in shown and "Quit" in shown


async def test_step_at_80x24_keeps_the_statuses_and_keys_in_view(
    store: CoupleStore, content: Content, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("4")
        await pilot.pause()
        shown = screen_text(app)
        assert content.step(4).title in shown
        for label in ("Not started", "Exploring", "Practising", "Integrated"):
            assert label in shown
        assert "Sam  ○ Not started" in shown
        assert "p Practice" in shown and "q Quit" in shown


async def test_a_footer_too_long_for_80_columns_ends_cleanly_at_the_palette_key(
    store: CoupleStore, make_app
) -> None:
    """Step 3's practice has more keys than 80 columns hold: they are cut off under the
    palette key on the right edge, and none shows through beside it."""
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3", "p")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith("n New")
        assert footer.endswith("▏^p palette"), footer


async def test_empty_sections_say_so_kindly(store: CoupleStore, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for where, key in (
            ("#celebrations", "no_celebrations"),
            ("#agreements", "no_agreements"),
            ("#checkins-beside", "no_checkins"),
        ):
            panel = app.screen.query_one(where, Static)
            assert str(panel.render()) == app.content.text(f"dashboard.{key}")
            assert panel.region.bottom <= app.screen.region.bottom - 1  # shown whole, no scrolling
            assert panel.region.height >= 1


@pytest.mark.parametrize("size", [SMALL, (100, 32), WIDE, (90, 30), (110, 36)])
async def test_the_also_here_line_wraps_between_its_entries_never_inside_one(
    store: CoupleStore, content: Content, make_app, size: tuple[int, int]
) -> None:
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        also = app.screen.query_one("#also-here")
        region = also.content_region
        lines = [line[region.x : region.right].strip() for line in screen_text(app).splitlines()]
        shown = lines[region.y : region.bottom]
        for entry in content.text("dashboard.also_here").split(" · "):
            assert any(entry in line for line in shown), (entry, shown)


async def test_steps_4_to_7_fit_80x24_with_their_keys_in_view(store: CoupleStore, make_app) -> None:
    for fill in (fill_support, fill_trust, fill_kindness, fill_patterns):
        fill(store)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 4)
        for step, first in ((4, "contacts"), (5, "commitments"), (6, "replies"), (7, "patterns")):
            if step > 4:
                await pilot.press(str(step))
            for _ in range(10):  # a practice is built the first time it is shown: let it settle
                await pilot.pause()
                if app.focused is not None and app.focused.id == f"{first}-list":
                    break
            focused = app.focused
            assert isinstance(focused, OptionList) and focused.id == f"{first}-list"
            area = app.screen.query_one("#practice-area").region
            assert area.height >= 10 and focused.region.y >= area.y
            assert focused.region.y + 3 <= area.bottom  # the first entry is in view
            shown = screen_text(app)
            assert "n New" in shown and "e Edit" in shown
