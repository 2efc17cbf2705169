"""Box breathing (app/tui/widgets/breathing.py): round the square phase by phase, or still, or as a bar."""

from __future__ import annotations

import pytest

from app.tui.widgets.breathing import BOX_HEIGHT, BoxBreathing
from tests.support.tui import Harness, rendered

pytestmark = pytest.mark.usefixtures("still_clocks")  # ticks only when a test says so

PHASES = ("In", "Hold", "Out", "Rest")


async def test_box_breathing_goes_round_the_square_phase_by_phase() -> None:
    app = Harness(BoxBreathing(PHASES, stopped="Press b", still=False, id="breathing"))
    async with app.run_test(size=(60, 10)) as pilot:
        breathing = app.widget
        assert "Press b" in rendered(breathing) and "●" not in rendered(breathing)
        breathing.advance()  # nothing moves while stopped
        assert breathing.step == 0
        breathing.start()
        await pilot.pause()
        assert [m.word for m in app.heard] == ["In"]
        shown = rendered(breathing)
        assert shown.splitlines()[0].startswith("╭●")  # the point of gold sets off along the top
        assert "In" in shown and "4" in shown
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert (breathing.word, breathing.count) == ("Hold", 4)
        assert rendered(breathing).splitlines()[0].rstrip().split("  ")[0].endswith("●")  # top right corner
        for _ in range(3 * breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert [m.word for m in app.heard] == ["In", "Hold", "Out", "Rest", "In"]  # round again
        assert [m.index for m in app.heard] == [0, 1, 2, 3, 0]
        breathing.stop()
        await pilot.pause()
        assert not breathing.running and breathing.step == 0
        assert len(rendered(breathing).splitlines()) >= BOX_HEIGHT


async def test_box_breathing_without_motion_and_as_a_bar() -> None:
    app = Harness(BoxBreathing(PHASES, stopped="Press b", still=True, shape="bar", id="breathing"))
    async with app.run_test(size=(60, 6)) as pilot:
        breathing = app.widget
        breathing.start()
        await pilot.pause()
        first = rendered(breathing)
        assert "In 4" in first and "█" not in first  # reduced motion: an empty bar while breathing in
        breathing.advance()
        await pilot.pause()
        assert rendered(breathing) == first  # a quarter second later, nothing has moved
        for _ in range(breathing.steps_per_phase):
            breathing.advance()
        await pilot.pause()
        assert "Hold 4" in rendered(breathing) and "█" * 16 in rendered(breathing)
