"""The countdown (app/tui/widgets/countdown.py): it ticks, pauses and says when it is done."""

from __future__ import annotations

import pytest

from app.tui.widgets.countdown import Countdown, clock_face
from tests.support.tui import Harness

pytestmark = pytest.mark.usefixtures("still_clocks")  # ticks only when a test says so


async def test_the_countdown_ticks_pauses_and_says_when_it_is_done() -> None:
    app = Harness(Countdown(2, running="Left {time}", paused="{time} paused", done="Done", id="timer"))
    async with app.run_test(size=(40, 4)) as pilot:
        timer = app.widget
        assert str(timer.render()) == "Left 0:02"
        timer.pause()
        timer.tick()
        await pilot.pause()
        assert str(timer.render()) == "0:02 paused"
        timer.resume()
        timer.tick()
        timer.tick()
        timer.tick()  # past zero it stays done
        await pilot.pause()
        assert str(timer.render()) == "Done" and timer.done
        assert len([m for m in app.heard if isinstance(m, Countdown.Finished)]) == 1
        timer.restart(90, paused=True)
        await pilot.pause()
        assert str(timer.render()) == "1:30 paused"


def test_clock_face() -> None:
    assert [clock_face(s) for s in (0, 5, 60, 125, 1200, -3)] == [
        "0:00",
        "0:05",
        "1:00",
        "2:05",
        "20:00",
        "0:00",
    ]
