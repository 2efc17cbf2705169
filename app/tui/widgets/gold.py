"""A moment of gold: the short flourish shown when a celebration is logged.

A warm line from content with a little gold on either side. How much moves
follows ``App.animation_level`` (``TEXTUAL_ANIMATIONS``): "full" lets the
sparkles open out from the line and fade away; "basic" shows them still;
"none" shows the line alone. Either way it leaves by itself after a few
seconds, or at once when clicked.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

SPARKLES = ("✦", "✧", "⋆", "·")
FRAME_SECONDS = 0.09
SHOWN_SECONDS = 4.0
FADE_SECONDS = 0.6


def flourish(line: str, opened: int) -> Text:
    """The line with ``opened`` sparkles (0-4) on each side, the nearest brightest."""
    text = Text(justify="center")
    left = " ".join(reversed(SPARKLES[:opened]))
    right = " ".join(SPARKLES[:opened])
    if left:
        text.append(left + "  ", "bold")
    text.append(line, "bold")
    if right:
        text.append("  " + right, "bold")
    return text


class GoldMoment(Static):
    """Mount it on a screen with ``GoldMoment.show(screen, line)``."""

    DEFAULT_CSS = """
    GoldMoment {
        dock: bottom;
        layer: gold;
        width: 100%;
        height: 3;
        margin: 0 4 2 4;
        content-align: center middle;
        color: $primary;
        background: $surface;
        border: tall $primary;
    }
    """

    def __init__(self, line: str) -> None:
        super().__init__(classes="gold-moment")
        self.line = line
        self._opened = 0

    @classmethod
    def show(cls, screen: Screen, line: str) -> GoldMoment:
        """Show ``line`` on ``screen``, replacing a moment still showing there."""
        for old in screen.query(GoldMoment):
            old.remove()
        moment = cls(line)
        layers = tuple(screen.styles.layers or ("default",))
        if "gold" not in layers:
            screen.styles.layers = (*layers, "gold")
        screen.mount(moment)
        return moment

    def on_mount(self) -> None:
        level = self.app.animation_level
        if level == "full":
            self.update(flourish(self.line, 0))
            self.set_interval(FRAME_SECONDS, self._open_out, repeat=len(SPARKLES))
        elif level == "basic":
            self.update(flourish(self.line, len(SPARKLES)))
        else:
            self.update(Text(self.line, style="bold", justify="center"))
        self.set_timer(SHOWN_SECONDS, self._leave)

    def _open_out(self) -> None:
        self._opened = min(len(SPARKLES), self._opened + 1)
        self.update(flourish(self.line, self._opened))

    def _leave(self) -> None:
        if self.app.animation_level == "full":
            self.styles.animate("opacity", 0.0, duration=FADE_SECONDS, on_complete=self.remove)
        else:
            self.remove()

    def on_click(self) -> None:
        self.remove()
