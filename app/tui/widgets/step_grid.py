"""The nine steps against both partners: one row a step, one column a partner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from app.content import Content
from app.domain.models import Partner, StepStatus
from app.tui.widgets.safe import safe_text
from app.tui.widgets.status import status_class, status_words

NAME_WIDTH = 16


class StepGrid(DataTable[Text]):
    """A row per step; each partner's status as a mark, a word and a colour.

    Selecting a row (enter, or one click) posts ``DataTable.RowSelected`` with
    the step number as the row key.
    """

    COMPONENT_CLASSES = {
        "step-grid--writing",
        *(f"step-grid--{status_class(status)}" for status in StepStatus),
    }

    DEFAULT_CSS = """
    StepGrid {
        height: auto;
        max-height: 100%;
        background: $surface;
        & > .step-grid--writing { color: $primary; text-style: bold; }
        & > .step-grid--status-not-started { color: $text-muted; }
        & > .step-grid--status-exploring { color: $secondary; }
        & > .step-grid--status-practising { color: $accent; }
        & > .step-grid--status-integrated { color: $background; background: $primary; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
            cursor_background_priority="renderable",
        )

    def show(
        self,
        content: Content,
        partners: Sequence[Partner],
        progress: Mapping[str, Mapping[int, StepStatus]],
        writing: str | None,
    ) -> None:
        """Show both partners' progress; ``writing`` is the partner whose column is marked."""
        row = self.cursor_row
        self.clear(columns=True)
        self.add_column(Text("#"), key="number")
        self.add_column(Text(content.text("dashboard.step_column")), key="step")
        for partner in partners:
            name = partner.name if len(partner.name) <= NAME_WIDTH else partner.name[: NAME_WIDTH - 1] + "…"
            heading = safe_text(name, one_line=True)
            if partner.id == writing:
                heading = Text("✎ ", style=self._style("writing")) + heading
                heading.stylize(self._style("writing"))
            self.add_column(heading, key=partner.id)
        for step in content.steps:
            cells = [Text(str(step.number), style="dim"), Text(step.title)]
            for partner in partners:
                status = progress[partner.id][step.number]
                cells.append(
                    Text(f" {status_words(content, status)} ", style=self._style(status_class(status)))
                )
            self.add_row(*cells, key=str(step.number))
        self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def _style(self, name: str):
        return self.get_component_rich_style(f"step-grid--{name}", partial=True)

    def on_click(self, event: events.Click) -> None:
        """One click on a step opens it (a plain DataTable needs two)."""
        row = event.style.meta.get("row")
        if isinstance(row, int) and row >= 0:
            event.prevent_default()
            event.stop()
            self.move_cursor(row=row, animate=False)
            self.action_select_cursor()
