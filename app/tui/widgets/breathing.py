"""Box breathing: in for four, hold for four, out for four, hold for four, round a square.

Reusable anywhere (the calm-down screen, step 8's practice)::

    yield BoxBreathing(id="breathing")            # words from content/ui.toml [breathing]
    self.query_one(BoxBreathing).toggle()          # start / stop (it starts stopped)

While it runs, a point of gold travels round a square, one side a phase, and
the seam it has drawn stays lit until the round is complete. When the app's
``animation_level`` is ``"none"`` nothing moves: the phase words and the count
change in place. ``shape="bar"`` draws one line instead of the square (a bar
that fills as you breathe in and empties as you breathe out), for small
spaces. ``advance()`` is one step of the animation (``STEPS_PER_SECOND`` a
second, driven by ``set_interval``); tests call it directly instead of
waiting. ``PhaseChanged`` is posted when a new phase begins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

Shape = Literal["box", "bar"]
BOX_WIDTH, BOX_HEIGHT = 18, 5
BAR_WIDTH = 16


class BoxBreathing(Widget):
    """Four phases of ``seconds`` each, drawn round a square or along a bar (see the module docstring)."""

    DEFAULT_CSS = """
    BoxBreathing {
        height: auto;
        width: 1fr;
    }
    BoxBreathing > .box-breathing--seam {
        color: $primary;
        text-style: bold;
    }
    BoxBreathing > .box-breathing--unlit {
        color: $text-muted;
    }
    BoxBreathing > .box-breathing--marker {
        color: $primary;
        text-style: bold;
    }
    BoxBreathing > .box-breathing--word {
        color: $foreground;
        text-style: bold;
    }
    BoxBreathing > .box-breathing--hint {
        color: $text-muted;
        text-style: italic;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "box-breathing--seam",
        "box-breathing--unlit",
        "box-breathing--marker",
        "box-breathing--word",
        "box-breathing--hint",
    }
    STEPS_PER_SECOND: ClassVar[int] = 4
    INTERVAL: ClassVar[float] = 1 / STEPS_PER_SECOND
    """Seconds between steps (tests may make it very long and call ``advance()`` themselves)."""

    running: reactive[bool] = reactive(False)
    step: reactive[int] = reactive(0)  # steps into the current round

    class PhaseChanged(Message):
        """A new phase began: ``index`` 0 in, 1 hold, 2 out, 3 hold; ``word`` its words."""

        def __init__(self, breathing: BoxBreathing, index: int, word: str) -> None:
            super().__init__()
            self.breathing, self.index, self.word = breathing, index, word

        @property
        def control(self) -> BoxBreathing:
            return self.breathing

    def __init__(
        self,
        phases: Sequence[str] | None = None,
        *,
        seconds: int = 4,
        shape: Shape = "box",
        stopped: str | None = None,
        still: bool | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``phases``: the four phases' words (default: [breathing] in, hold, out, hold);
        ``stopped``: shown while stopped (default: [breathing] stopped); ``still``: never
        move (default: when the app's animation level is "none")."""
        super().__init__(id=id, classes=classes)
        self._phases = tuple(phases) if phases else None
        self.seconds = seconds
        self.shape: Shape = shape
        self._stopped = stopped
        self._still = still
        self._timer: Timer | None = None

    # -- what it shows -------------------------------------------------------------------

    @property
    def phases(self) -> tuple[str, ...]:
        if self._phases is None:
            text = self.app.content.text  # type: ignore[attr-defined]
            self._phases = (
                text("breathing.in"),
                text("breathing.hold"),
                text("breathing.out"),
                text("breathing.hold"),
            )
        return self._phases

    @property
    def stopped_words(self) -> str:
        if self._stopped is None:
            self._stopped = self.app.content.text("breathing.stopped")  # type: ignore[attr-defined]
        return self._stopped

    @property
    def still(self) -> bool:
        return self._still if self._still is not None else self.app.animation_level == "none"

    @property
    def steps_per_phase(self) -> int:
        return self.seconds * self.STEPS_PER_SECOND

    @property
    def phase(self) -> int:
        """0 breathing in, 1 holding, 2 breathing out, 3 holding."""
        return self.step // self.steps_per_phase

    @property
    def word(self) -> str:
        return self.phases[self.phase]

    @property
    def count(self) -> int:
        """Seconds left in this phase: 4, 3, 2, 1."""
        return self.seconds - (self.step % self.steps_per_phase) // self.STEPS_PER_SECOND

    # -- moving --------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.INTERVAL, self.advance, pause=not self.running)

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def toggle(self) -> None:
        self.running = not self.running

    def watch_running(self, running: bool) -> None:
        self.step = 0
        self.refresh(layout=True)
        if self._timer is not None:
            self._timer.reset()
            if running:
                self._timer.resume()
            else:
                self._timer.pause()
        if running:
            self.post_message(self.PhaseChanged(self, 0, self.phases[0]))

    def advance(self) -> None:
        """One step on (a quarter of a second); nothing while stopped."""
        if not self.running:
            return
        before = self.phase
        self.step = (self.step + 1) % (4 * self.steps_per_phase)
        if self.phase != before:
            self.post_message(self.PhaseChanged(self, self.phase, self.word))

    # -- drawing -------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"box-breathing--{name}", partial=True)

    def render(self) -> RenderableType:
        if not self.running:
            drawing = self._square(lit=False) if self.shape == "box" else Text()
            hint = Text(self.stopped_words, style=self._style("hint"))
            return self._beside(drawing, hint) if self.shape == "box" else hint
        if self.shape == "bar":
            return self._bar()
        return self._beside(self._square(lit=not self.still), self._sequence())

    def _beside(self, left: RenderableType, right: RenderableType) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(width=BOX_WIDTH, no_wrap=True)
        table.add_column(ratio=1, vertical="middle")
        table.add_row(left, right)
        return table

    def _sequence(self) -> Text:
        """The four phases one a line (in 4, hold 4, out 4, hold 4), the one we are in standing out."""
        width = max(len(word) for word in self.phases)
        lines = Text()
        for index, word in enumerate(self.phases):
            now = self.running and index == self.phase
            lines.append("▸ " if now else "  ", style=self._style("marker"))
            lines.append(
                f"{word.ljust(width)}  {self.seconds}", style=self._style("word" if now else "unlit")
            )
            if index < len(self.phases) - 1:
                lines.append("\n")
        return lines

    def _path(self) -> list[tuple[int, int]]:
        """The cells of the current side, from the corner it starts at to the next (clockwise)."""
        side = self._side(self.phase)
        return side if self.phase < 2 else side[::-1]

    def _square(self, *, lit: bool) -> Text:
        right, bottom = BOX_WIDTH - 1, BOX_HEIGHT - 1
        grid = [[" "] * BOX_WIDTH for _ in range(BOX_HEIGHT)]
        for x in range(1, right):
            grid[0][x] = grid[bottom][x] = "─"
        for y in range(1, bottom):
            grid[y][0] = grid[y][right] = "│"
        grid[0][0], grid[0][right], grid[bottom][0], grid[bottom][right] = "╭", "╮", "╰", "╯"
        seam: set[tuple[int, int]] = set()
        marker: tuple[int, int] | None = None
        if lit:
            # The sides already travelled this round stay lit; the current one is lit up to the point.
            done = self.phase
            for side in range(done):
                seam.update(self._side(side))
            path = self._path()
            reached = (self.step % self.steps_per_phase + 1) * (len(path) - 1) // self.steps_per_phase
            seam.update(path[: reached + 1])
            marker = path[reached]
        if self.running:
            self._write(grid, 2, self.word)
            self._write(grid, 3, str(self.count))
        lines = Text()
        unlit, lit_style, word = self._style("unlit"), self._style("seam"), self._style("word")
        for y, row in enumerate(grid):
            for x, char in enumerate(row):
                if (x, y) == marker:
                    lines.append("●", style=self._style("marker"))
                elif (x, y) in seam:
                    lines.append(char, style=lit_style)
                elif 0 < x < right and 0 < y < bottom:
                    lines.append(char, style=word)
                else:
                    lines.append(char, style=unlit)
            if y < bottom:
                lines.append("\n")
        return lines

    def _side(self, index: int) -> list[tuple[int, int]]:
        right, bottom = BOX_WIDTH - 1, BOX_HEIGHT - 1
        return (
            [(x, 0) for x in range(right + 1)],
            [(right, y) for y in range(bottom + 1)],
            [(x, bottom) for x in range(right + 1)],
            [(0, y) for y in range(bottom + 1)],
        )[index]

    @staticmethod
    def _write(grid: list[list[str]], row: int, words: str) -> None:
        inner = BOX_WIDTH - 2
        words = words[:inner]
        start = 1 + (inner - len(words)) // 2
        for offset, char in enumerate(words):
            grid[row][start + offset] = char

    def _bar(self) -> Text:
        """One line: a bar that fills breathing in, stays full holding, empties breathing out."""
        progress = (self.step % self.steps_per_phase + 1) / self.steps_per_phase
        fill = {0: progress, 1: 1.0, 2: 1.0 - progress, 3: 0.0}[self.phase]
        if self.still:
            fill = 1.0 if self.phase in (1, 2) else 0.0
        cells = round(fill * BAR_WIDTH)
        line = Text()
        line.append("█" * cells, style=self._style("seam"))
        line.append("░" * (BAR_WIDTH - cells), style=self._style("unlit"))
        line.append(f"  {self.word} ", style=self._style("word"))
        line.append(str(self.count), style=self._style("word"))
        return line
