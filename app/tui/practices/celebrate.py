"""Step 9, Celebrate every step forward: the celebrations along the nine steps, and shared goals.

- The latest celebrations that belong to a step, newest first; ``o`` opens
  the celebration log filtered to them, Enter opens one.
- Things to do together (travel, learning, volunteering, rituals): planned,
  or done on a day. ``m`` marks one done (or not yet); marking it done
  *offers* to log it as a celebration, and only a yes posts ``CelebrateGoal``.

The goals list, keys and forms are those of ``app.tui.practices.sections``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.domain.models import TITLE_MAX, Celebration
from app.domain.practices.celebrate import GoalKind, SharedGoal, goals_in_order
from app.tui.messages import CelebrateGoal, SaveEntry
from app.tui.practices.entry_section import Section, View, byline
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.confirm import Confirm
from app.tui.screens.log import CelebrationsScreen
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_str, safe_text

LATEST = 5
LOG_MODE = "celebrations"


def along_the_steps(celebrations: list[Celebration]) -> list[Celebration]:
    """The celebrations that belong to one of the nine steps, newest first."""
    found = [c for c in celebrations if c.step is not None]
    return sorted(found, key=lambda c: (c.day, c.created), reverse=True)


class CelebratePractice(SectionedPractice):
    STEP: ClassVar[int] = 9
    TABLE: ClassVar[str] = "practice_celebrate"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mark_done", id="goal_done"),
        Binding("o", "open_log", id="celebrations_open"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.celebrations: list[Celebration] = []

    def build_sections(self) -> list[Section]:
        return [Section("goals", SharedGoal, self.TABLE, self._goal, self._goal_form, order=goals_in_order)]

    def compose_top(self) -> ComposeResult:
        yield Static(Text(self.words("latest")), id="celebrations-heading", classes="entry-heading")
        yield OptionList(id="celebrations-list", classes="entry-list")
        yield Static(id="celebrations-empty", classes="entry-empty")
        yield Static(id="celebrations-hint", classes="practice-note")

    # -- how goals look -------------------------------------------------------------------

    def _kind(self, kind: GoalKind) -> str:
        return self.kintsugi.content.text(f"goal_kinds.{kind.value}")

    def _goal(self, goal: SharedGoal, view: View) -> RenderableType:
        mark, style = ("✓ ", "dim") if goal.done else ("○ ", "bold")
        top = Text(mark, style)
        top.append_text(safe_text(goal.what, "" if goal.done else "bold", one_line=True))
        second = Text(self._kind(goal.kind), "italic")
        if goal.done_on is not None:
            second.append(f" · {self.words('done_on', day=view.day(goal.done_on))}")
        else:
            second.append(f" · {self.words('planned')}")
        return Group(top, second, byline(goal, view))

    def _goal_form(self, goal: SharedGoal | None, view: View) -> list[FormField]:
        fields = [
            FormField(
                "what",
                self.words("goals_what"),
                value=goal.what if goal else "",
                placeholder=self.words("goals_what_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "kind",
                self.words("goals_kind"),
                "choice",
                value=(goal.kind if goal else GoalKind.OTHER).value,
                choices=tuple((self._kind(kind), kind.value) for kind in GoalKind),
            ),
        ]
        if goal is not None and goal.done_on is not None:
            fields.append(
                FormField("done_on", self.words("done_on", day="").strip(), "date", value=goal.done_on)
            )
        return fields

    # -- what it holds ----------------------------------------------------------------------

    def refresh_more(self, view: View) -> None:
        with self.reporting() as attempt:
            everything = along_the_steps(self.kintsugi.store.records(Celebration))
        if attempt.failed:
            return
        self.celebrations = everything[:LATEST]
        options = self.query_one("#celebrations-list", OptionList)
        held = options.highlighted_option.id if options.highlighted_option else None
        options.set_options([Option(self._celebration(c, view), id=c.id) for c in self.celebrations])
        ids = [c.id for c in self.celebrations]
        if ids:
            options.highlighted = ids.index(held) if held in ids else 0
        options.display = bool(ids)
        empty = self.query_one("#celebrations-empty", Static)
        empty.display = not ids
        empty.update(Text(self.words("latest_none")))
        heading = Text(self.words("latest"))
        if everything:
            heading.append(f"  {len(everything)}", "dim")
        self.query_one("#celebrations-heading", Static).update(heading)
        self.query_one("#celebrations-hint", Static).update(Text(self.words("open_log")))
        self.query_one("#celebrations-hint", Static).display = bool(everything)

    def _celebration(self, celebration: Celebration, view: View) -> RenderableType:
        top = Text(f"{view.day(celebration.day)}  ", "bold")
        top.append_text(safe_text(celebration.title, "bold", one_line=True))
        second = Text(self.words("step_tag", number=celebration.step), "italic")
        second.append(" · ")
        second.append_text(byline(celebration, view))
        return Group(top, second)

    # -- the keys ----------------------------------------------------------------------------

    def _in_celebrations(self) -> bool:
        focused = self.screen.focused if self.is_mounted else None
        return focused is not None and focused.id == "celebrations-list"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit", "delete", "share"} and self._in_celebrations():
            return None
        if action == "mark_done":
            if not self.is_mounted or not self.sections or self._in_celebrations():
                return None
            return True if self.section_widget("goals").highlighted is not None else None
        return super().check_action(action, parameters)

    def action_mark_done(self) -> None:
        goal = self.section_widget("goals").highlighted
        if not isinstance(goal, SharedGoal):
            return
        if goal.done:
            self.post_message(SaveEntry(SharedGoal, {"done_on": None}, record_id=goal.id))
            return
        self.post_message(SaveEntry(SharedGoal, {"done_on": self.kintsugi.today()}, record_id=goal.id))
        self.offer_celebration(goal)

    def offer_celebration(self, goal: SharedGoal) -> None:
        """Ask whether to log a goal just done as a celebration; only a yes logs it."""
        question = Text(self.words("offer", what=safe_str(goal.what)))

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(CelebrateGoal(goal.id))
                self.notify(self.words("logged", what=safe_str(goal.what)), markup=False)

        self.app.push_screen(
            Confirm(question, self.words("offer_yes"), self.words("offer_no"), focus_yes=True), answered
        )

    def action_open_log(self) -> None:
        """The celebration log, showing the celebrations along the nine steps."""
        app = self.kintsugi
        app.action_open_mode(LOG_MODE)
        log = app.screen
        if isinstance(log, CelebrationsScreen):
            log.show_along_the_steps()

    @on(OptionList.OptionSelected, "#celebrations-list")
    def _celebration_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.kintsugi.show_celebration(event.option.id)

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text("practice_celebrate.commands.goal"),
                partial(self.action_new, "goals"),
                text("practice_celebrate.commands.goal_help"),
            ),
            (
                text("practice_celebrate.commands.log_here"),
                self.action_open_log,
                text("practice_celebrate.commands.log_here_help"),
            ),
        ]
