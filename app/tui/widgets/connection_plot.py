"""Each partner's connection over the last weeks: one small bar a day, a gap where they did not
check in.

For each partner: their name with their latest check-in, then their bars.
The two share one scale and one colour, in the order the file lists them:
nothing adds them up, counts days in a row, or puts one above the other.
The plot shows 90 days when its line has room, else 30.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from app.content import Content
from app.domain.checkins import connection_series
from app.domain.models import CheckIn, Partner
from app.tui.widgets.safe import safe_text
from app.words import day_words

BARS = {1: "▁", 2: "▃", 3: "▄", 4: "▆", 5: "█"}
GAP = " "
SPANS = (90, 30)


class ConnectionPlot(Widget):
    """Call ``show`` with the content, partners, their check-ins and today; it draws for its width."""

    COMPONENT_CLASSES = {"connection-plot--bars", "connection-plot--axis"}
    DEFAULT_CSS = """
    ConnectionPlot {
        width: 1fr;
        height: auto;
        & > .connection-plot--bars { color: $primary; }
        & > .connection-plot--axis { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.content: Content | None = None
        self.partners: Sequence[Partner] = ()
        self.checkins: Mapping[str, Sequence[CheckIn]] = {}
        self.today = dt.date.today()

    def show(
        self,
        content: Content,
        partners: Sequence[Partner],
        checkins: Mapping[str, Sequence[CheckIn]],
        today: dt.date,
    ) -> None:
        self.content, self.partners, self.checkins, self.today = content, partners, checkins, today
        self.refresh(layout=True)

    @staticmethod
    def days_shown(width: int) -> int:
        return next((days for days in SPANS if days <= width), SPANS[-1])

    def _ink(self, name: str) -> Style:
        """A component's text colour, blended (``$text-muted`` has alpha), without its background."""
        style = self.get_component_rich_style(f"connection-plot--{name}")
        return Style(color=style.color, bold=style.bold)

    def _latest(self, partner: Partner) -> Text:
        assert self.content is not None
        text = self.content.text
        line = Text()
        line.append_text(safe_text(partner.name, "bold", one_line=True))
        held = self.checkins.get(partner.id, ())
        latest = max(held, key=lambda c: c.day) if held else None
        if latest is None:
            line.append("  ")
            line.append(text("dashboard.plot_no_checkin"), "italic")
            return line
        line.append(f"  {day_words(self.content, latest.day, 'day', self.today)}  ", self._ink("axis"))
        line.append(text(f"checkin.scale.{int(latest.connection)}"))
        if latest.mood:
            line.append("  ·  ", self._ink("axis"))
            line.append_text(safe_text(latest.mood, "italic", one_line=True))
        return line

    def render(self) -> Text:
        if self.content is None:
            return Text()
        days = self.days_shown(self.size.width or SPANS[-1])
        lines = Text(no_wrap=True, overflow="ellipsis")
        for partner in self.partners:
            series = connection_series(self.checkins.get(partner.id, ()), partner.id, self.today, days)
            lines.append_text(self._latest(partner))
            lines.append("\n")
            lines.append(
                "".join(GAP if value is None else BARS[value] for value in series), self._ink("bars")
            )
            lines.append("\n")
        left = self.content.text("dashboard.plot_start", days=days)
        right = self.content.text("dashboard.plot_end")
        room = days - cell_len(left) - cell_len(right)
        lines.append(left + " " * max(1, room) + right, self._ink("axis"))
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[override]
        return 2 * len(self.partners) + 1 if self.content else 0
