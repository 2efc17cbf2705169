"""A gentle countdown in whole seconds (a speaker's turn, a twenty-minute pause).

    yield Countdown(120, running="Turn timer {time}", paused="{time} · paused", done="Time's up")

It counts down once a second with ``set_interval``; ``tick()`` is that one
second, so tests call it directly instead of waiting. ``pause()``,
``resume()``, ``toggle()`` and ``restart()`` do what they say; reaching zero
posts ``Countdown.Finished`` once and shows the ``done`` words. The words are
format strings with ``{time}`` (m:ss) and come from content/ui.toml.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static


def clock_face(seconds: int) -> str:
    """``125`` -> ``"2:05"``."""
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}:{seconds:02d}"


class Countdown(Static):
    """Counts ``seconds`` down to zero, one tick a second (see the module docstring)."""

    DEFAULT_CSS = """
    Countdown {
        height: auto;
        width: auto;
    }
    Countdown.-paused {
        color: $text-muted;
    }
    Countdown.-done {
        color: $primary;
        text-style: italic;
    }
    """
    INTERVAL: ClassVar[float] = 1.0
    """Seconds between ticks (tests may make it very long and call ``tick()`` themselves)."""

    remaining: reactive[int] = reactive(0)
    paused: reactive[bool] = reactive(False)

    class Finished(Message):
        """The countdown reached zero."""

        def __init__(self, countdown: Countdown) -> None:
            super().__init__()
            self.countdown = countdown

        @property
        def control(self) -> Countdown:
            return self.countdown

    def __init__(
        self,
        seconds: int,
        *,
        running: str = "{time}",
        paused: str = "{time}",
        done: str = "",
        start_paused: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.seconds = seconds
        self.words = {"running": running, "paused": paused, "done": done}
        self._timer: Timer | None = None
        self.set_reactive(Countdown.remaining, seconds)
        self.set_reactive(Countdown.paused, start_paused)

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.INTERVAL, self.tick)
        self._show()

    def tick(self) -> None:
        """One second passes (unless paused or already done)."""
        if self.paused or self.remaining <= 0:
            return
        self.remaining -= 1
        if self.remaining == 0:
            self.post_message(self.Finished(self))

    @property
    def done(self) -> bool:
        return self.remaining <= 0

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def toggle(self) -> None:
        self.paused = not self.paused

    def restart(self, seconds: int | None = None, *, paused: bool = False) -> None:
        """Start again from ``seconds`` (by default the number it was made with)."""
        if seconds is not None:
            self.seconds = seconds
        self.remaining = self.seconds
        self.paused = paused

    def watch_remaining(self) -> None:
        self._show()

    def watch_paused(self) -> None:
        self._show()

    def _show(self) -> None:
        done = self.done and bool(self.words["done"])
        state = "done" if done else ("paused" if self.paused else "running")
        self.update(Text(self.words[state].format(time=clock_face(self.remaining))))
        self.set_class(self.paused and not done, "-paused")
        self.set_class(done, "-done")
