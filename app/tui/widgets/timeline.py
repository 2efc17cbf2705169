"""The celebration timeline: a light list that draws only the lines on screen.

A month heading, then that month's celebrations, newest first. Setting the
rows is a plain list assignment and each frame renders the twenty-odd
visible lines, so a log of many thousands filters as fast as a short one
(a DataTable builds every row's cells up front). A line drawn is kept until
the rows, the width, the cursor or the styles change: Textual draws a new
screen twice on its first showing (once while it holds the mode switch back).

Keys: up/down, page up/down, home/end move between celebrations (month
headings are skipped); enter or a click posts ``Timeline.Selected``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from app.content import Texts
from app.domain.models import Celebration, CelebrationSize
from app.tui.widgets.safe import safe_text
from app.words import day_words

SIZE_MARKS = {
    CelebrationSize.SMALL: "·",
    CelebrationSize.MILESTONE: "✦",
    CelebrationSize.ANNIVERSARY: "❖",
}
DAY_WIDTH = 6
STEP_WIDTH = 4
NAME_WIDTH = 12
REACTION_WIDTH = 12
GAP = 2
MIN_TITLE_WIDTH = 12
LINES_KEPT = 256  # lines drawn, kept: a few screens' worth


@dataclass(frozen=True)
class TimelineRow:
    """A month heading (``celebration`` None) or one celebration, on ``date``.

    What it says of its day (``heading``: "May 2026"; ``day``: "Thu  5") is worded when it is
    read, when the row is drawn: a log lists every celebration, and the screen shows a few dozen.
    """

    celebration: Celebration | None
    date: dt.date
    words: Texts = field(compare=False, repr=False)

    @property
    def heading(self) -> str:
        return day_words(self.words, self.date, "month") if self.celebration is None else ""

    @property
    def day(self) -> str:
        return day_words(self.words, self.date, "timeline") if self.celebration is not None else ""


def timeline_rows(celebrations: Sequence[Celebration], words: Texts) -> list[TimelineRow]:
    """Celebrations (newest first) with a heading before each month's first one."""
    rows: list[TimelineRow] = []
    month = None
    for celebration in celebrations:
        day = celebration.day
        if (day.year, day.month) != month:
            month = (day.year, day.month)
            rows.append(TimelineRow(None, day, words))
        rows.append(TimelineRow(celebration, day, words))
    return rows


def title_width(width: int) -> int:
    fixed = DAY_WIDTH + 1 + STEP_WIDTH + NAME_WIDTH + REACTION_WIDTH + 5 * GAP
    return max(MIN_TITLE_WIDTH, width - fixed)


def _cell(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def line_for(cells: Sequence[Text], width: int) -> Text:
    """The six columns of one line (day, size mark, title, step, by, reactions) for ``width`` cells."""
    day, mark, title, step, by, reacted = cells
    gap = " " * GAP
    line = Text()
    line.append_text(_cell(day, DAY_WIDTH))
    line.append(gap)
    line.append_text(_cell(mark, 1))
    line.append(gap)
    line.append_text(_cell(title, title_width(width)))
    line.append(gap)
    line.append_text(_cell(step, STEP_WIDTH))
    line.append(gap)
    line.append_text(_cell(by, NAME_WIDTH))
    line.append(gap)
    line.append_text(_cell(reacted, REACTION_WIDTH))
    return line


class Timeline(ScrollView, can_focus=True):
    """See the module docstring. ``names`` maps partner ids to names for the "by" columns."""

    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move_to(0)", show=False),
        Binding("end", "move_to(-1)", show=False),
        Binding("enter", "select", show=False),
    ]
    COMPONENT_CLASSES = {"timeline--month", "timeline--cursor", "timeline--dim"}
    DEFAULT_CSS = """
    Timeline {
        background: $surface;
        & > .timeline--month { color: $primary; text-style: bold; }
        & > .timeline--cursor { background: $primary 22%; text-style: bold; }
        & > .timeline--dim { color: $text-muted; }
        &:blur > .timeline--cursor { background: $primary 10%; text-style: none; }
    }
    """

    cursor: reactive[int] = reactive(-1, init=False)

    class Selected(Message):
        def __init__(self, celebration_id: str) -> None:
            super().__init__()
            self.celebration_id = celebration_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TimelineRow] = []
        self.names: dict[str, str] = {}
        self._drawn: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(LINES_KEPT)

    # -- what it shows ---------------------------------------------------------------

    def show(self, rows: list[TimelineRow], names: dict[str, str]) -> None:
        """Show these rows, keeping the cursor on the same celebration when it is still here."""
        selected = self.selected_id
        self.rows, self.names = rows, names
        self._drawn.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        ids = [row.celebration.id if row.celebration else "" for row in rows]
        if selected and selected in ids:
            self.cursor = ids.index(selected)
        else:
            self.cursor = self._next_celebration(0, 1)
            self.scroll_home(animate=False)
        self.refresh()

    @property
    def selected_id(self) -> str:
        if 0 <= self.cursor < len(self.rows):
            celebration = self.rows[self.cursor].celebration
            return celebration.id if celebration else ""
        return ""

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    def watch_cursor(self, old: int, new: int) -> None:
        if 0 <= new < len(self.rows):
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
        self.refresh()

    def notify_style_update(self) -> None:
        self._drawn.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- moving ----------------------------------------------------------------------

    def _next_celebration(self, start: int, direction: int) -> int:
        """The first celebration row from ``start`` going ``direction``, or -1."""
        index = start
        while 0 <= index < len(self.rows):
            if self.rows[index].celebration is not None:
                return index
            index += direction
        return -1

    def action_move(self, offset: int) -> None:
        found = self._next_celebration(self.cursor + offset, offset)
        if found >= 0:
            self.cursor = found

    def action_page(self, direction: int) -> None:
        target = max(0, min(len(self.rows) - 1, self.cursor + direction * max(1, self.size.height - 1)))
        found = self._next_celebration(target, direction)
        if found < 0:
            found = self._next_celebration(target, -direction)
        if found >= 0:
            self.cursor = found

    def action_move_to(self, where: int) -> None:
        start, direction = (0, 1) if where == 0 else (len(self.rows) - 1, -1)
        found = self._next_celebration(start, direction)
        if found >= 0:
            self.cursor = found

    def action_select(self) -> None:
        if self.selected_id:
            self.post_message(self.Selected(self.selected_id))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows) and self.rows[row].celebration is not None:
            event.stop()
            self.cursor = row
            self.action_select()

    # -- drawing -----------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A component's colours blended over the background ($primary 22% is a real colour)."""
        return self.get_component_rich_style(f"timeline--{name}")

    def _ink(self, name: str) -> Style:
        """A component's text colour and weight only, so the row's background shows through."""
        style = self._style(name)
        return Style(color=style.color, bold=style.bold, italic=style.italic)

    def row_text(self, row: TimelineRow, width: int) -> Text:
        if row.celebration is None:
            return Text(row.heading, style=self._ink("month"))
        celebration = row.celebration
        dim = self._ink("dim")
        reactors = [self.names.get(p, "?") for p in celebration.reactions if p != celebration.author]
        reacted = Text()
        if reactors:
            reacted.append("♥ ", "bold")
            reacted.append_text(safe_text(", ".join(reactors), one_line=True))
        return line_for(
            [
                Text(row.day, style=dim),
                Text(SIZE_MARKS[celebration.size], style="bold"),
                safe_text(celebration.title, one_line=True),
                Text(str(celebration.step or "").rjust(2), style=dim),
                safe_text(self.names.get(celebration.author, ""), "italic", one_line=True),
                reacted,
            ],
            width,
        )

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        key = (index, width, index == self.cursor, self.has_focus)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._draw(index, width, base)
        return drawn

    def _draw(self, index: int, width: int, base: Style) -> Strip:
        style = base + self._style("cursor") if index == self.cursor else base
        text = self.row_text(self.rows[index], width)
        # Text.render leaves out the Text's own style: add it over the row's.
        segments = Segment.apply_style(
            text.render(self.app.console), style + self.app.console.get_style(text.style)
        )
        return Strip(segments, text.cell_len).adjust_cell_length(width, style)
