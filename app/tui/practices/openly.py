"""Step 3, Communicate openly: I-statements, listening turns, and calm moments for hard talks.

- **I-statements** (private by default, like every first draft of hard words):
  When I see… / I feel… (the feelings picker) / because I need… / would you
  be willing to…; the form shows the sentence as it grows and, kindly and
  without blocking, a note on phrasings that tend to land as blame
  (``statement_warnings``).
- **Listening turns** (shared: made together): the speaker-listener turn of
  ``ListeningTurnPanel``; each finished turn is one record.
- **Calm moments** (shared: chosen together): when (a day, and a time or a
  moment in words) and the topic, the upcoming ones first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from app.domain.models import TEXT_MAX, TITLE_MAX, RecordModel
from app.domain.practices.openly import (
    CalmMoment,
    IStatement,
    ListeningTurn,
    assemble_statement,
    calm_moments_in_order,
    is_past,
    statement_warnings,
)
from app.tui.practices.entry_section import EntrySection, Section, View, byline
from app.tui.practices.feelings_practice import FeelingsPractice, short
from app.tui.practices.listening import ListeningTurnPanel
from app.tui.screens.feelings_form import Preview
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_text
from app.words import day_words


def moment_day(day: dt.date, view: View) -> str:
    """ "Sun 22 Nov", with the year when it is not this one."""
    return day_words(view.content, day, "turn", view.today)


class OpenlyPractice(FeelingsPractice):
    STEP: ClassVar[int] = 3
    TABLE: ClassVar[str] = "practice_openly"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("t", "take_turn", id="openly.turn")]

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "statements",
                IStatement,
                self.TABLE,
                self._statement,
                self._statement_form,
                private=True,
                own_only=True,
                by_author=True,
            ),
            Section(
                "turns",
                ListeningTurn,
                self.TABLE,
                self._turn,
                self._turn_form,
                order=lambda turns: sorted(turns, key=lambda t: (t.day, t.created), reverse=True),
            ),
            Section(
                "moments",
                CalmMoment,
                self.TABLE,
                self._moment,
                self._moment_form,
                order=lambda moments: calm_moments_in_order(moments, self.kintsugi.today()),
            ),
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(id="openly-summary", classes="practice-summary")

    def compose_between(self, section: Section) -> ComposeResult:
        if section.key == "turns":
            yield Static(id="turns-intro", classes="practice-intro")
            yield ListeningTurnPanel(id="listening-turn")

    @property
    def turn_panel(self) -> ListeningTurnPanel:
        return self.query_one("#listening-turn", ListeningTurnPanel)

    # -- I-statements --------------------------------------------------------------------

    def sentence(self, parts: dict[str, Any]) -> str:
        templates = self.kintsugi.content.value(f"{self.TABLE}.sentence")
        return assemble_statement({k: str(v or "") for k, v in parts.items()}, templates)

    def _statement(self, statement: IStatement, view: View) -> RenderableType:
        sentence = self.sentence(statement.model_dump(include={"when", "feeling", "need", "request"}))
        return Group(safe_text(sentence), byline(statement, view))

    def _statement_form(self, statement: IStatement | None, view: View) -> list[FormField]:
        def value(name: str) -> str:
            return getattr(statement, name) if statement else ""

        return [
            FormField(
                "when",
                self.words("when_label"),
                value=value("when"),
                placeholder=self.words("when_placeholder"),
                max_length=TEXT_MAX,
            ),
            FormField("feeling", self.words("feeling_label"), "feeling", value=value("feeling")),  # type: ignore[arg-type]
            FormField(
                "need",
                self.words("need_label"),
                value=value("need"),
                placeholder=self.words("need_placeholder"),
                max_length=TEXT_MAX,
            ),
            FormField(
                "request",
                self.words("request_label"),
                value=value("request"),
                placeholder=self.words("request_placeholder"),
                max_length=TEXT_MAX,
            ),
        ]

    def preview(self, section: Section) -> Preview | None:
        if section.key != "statements":
            return None
        return self.statement_preview

    def statement_preview(self, parts: dict[str, Any]) -> RenderableType:
        """The sentence as it stands, and a gentle thought for each phrasing that may land as blame."""
        sentence = self.sentence(parts)
        shown = Text()
        shown.append(self.words("preview_heading"), "bold")
        shown.append("\n")
        if sentence:
            shown.append_text(safe_text(sentence, "italic"))
        else:
            shown.append(self.words("preview_empty"), "dim italic")
        for key in statement_warnings(sentence):
            shown.append(f"\n{self.words('gentle')}: ", "bold")
            shown.append(self.kintsugi.content.text(f"statement_warnings.{key}"))
        return shown

    # -- listening turns -----------------------------------------------------------------

    def _turn(self, turn: ListeningTurn, view: View) -> RenderableType:
        top = Text(moment_day(turn.day, view), "bold")
        top.append("  ")
        top.append_text(
            safe_text(
                self.words("spoke", speaker=view.name(turn.speaker), listener=view.name(turn.listener)),
                "italic",
                one_line=True,
            )
        )
        heard = Text(self.words("heard_yes" if turn.confirmed else "heard_not_yet"), "dim")
        if len(turn.paraphrases) > 1:
            heard.append(f" · {self.words('tries', count=len(turn.paraphrases))}", "dim")
        return Group(top, safe_text(short(turn.said, 200), one_line=True), heard)

    def _turn_form(self, turn: ListeningTurn | None, view: View) -> list[FormField]:
        return [
            FormField(
                "said",
                self.words("said_label"),
                value=turn.said if turn else "",
                max_length=TEXT_MAX,
                required=True,
            )
        ]

    def open_form(self, widget: EntrySection, entry: RecordModel | None) -> None:
        if widget.section.key == "turns" and entry is None:
            self.action_take_turn()  # a turn is taken together, not filled in
            return
        super().open_form(widget, entry)

    def action_take_turn(self) -> None:
        app = self.kintsugi
        if app.acting is None:
            return
        with self.reporting() as attempt:
            _, listener = app.writer_and_other()
        if attempt.failed:
            return
        if not self.turn_panel.running:
            self.turn_panel.start(app.acting, listener.id)
        self.query_one("#turns-intro").display = False
        self.turn_panel.focus_turn()

    @on(ListeningTurnPanel.Ended)
    def _turn_ended(self) -> None:
        self.query_one("#turns-intro").display = True
        self.section_widget("turns").option_list.focus()
        self.refresh_bindings()

    # -- calm moments --------------------------------------------------------------------

    def _moment(self, moment: CalmMoment, view: View) -> RenderableType:
        when = Text()
        if moment.day is not None:
            when.append(moment_day(moment.day, view), "bold")
            if moment.at.strip():
                when.append(" · ", "bold")
        if moment.at.strip():
            when.append_text(safe_text(moment.at, "bold", one_line=True))
        if moment.day == view.today:
            when.append(f"  {self.words('today')}", "italic")
        elif is_past(moment, view.today):
            when.append(f"  {self.words('past')}", "dim italic")
            return Group(when, safe_text(moment.topic, "dim", one_line=True), byline(moment, view))
        return Group(when, safe_text(moment.topic, one_line=True), byline(moment, view))

    def _moment_form(self, moment: CalmMoment | None, view: View) -> list[FormField]:
        return [
            FormField(
                "day",
                self.words("day_label"),
                "date",
                value=moment.day if moment and moment.day else "",
                placeholder=self.words("day_placeholder"),
            ),
            FormField(
                "at",
                self.words("at_label"),
                value=moment.at if moment else "",
                placeholder=self.words("at_placeholder"),
                max_length=TITLE_MAX,
            ),
            FormField(
                "topic",
                self.words("topic_label"),
                value=moment.topic if moment else "",
                placeholder=self.words("topic_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
        ]

    # -- what it holds ------------------------------------------------------------------

    def refresh_more(self, view: View) -> None:
        store = self.kintsugi.store
        statements = [s for s in store.entries(IStatement, viewer=view.acting) if s.author == view.acting]
        turns = store.records(ListeningTurn)
        moments = store.records(CalmMoment)
        upcoming = sum(1 for m in moments if m.day is not None and m.day >= view.today)
        summary = self.query_one("#openly-summary", Static)
        if statements or turns or moments:
            summary.update(
                Text(self.words("summary", statements=len(statements), turns=len(turns), upcoming=upcoming))
            )
        else:
            summary.update(Text(self.words("intro")))
        intro = self.query_one("#turns-intro", Static)
        intro.update(
            safe_text(
                self.words("turns_intro", speaker=view.name(view.acting), listener=view.name(view.other))
            )
        )
        intro.display = not self.turn_panel.running

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_turn":
            return self.is_mounted and not self.turn_panel.running
        return super().check_action(action, parameters)

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text("practice_openly.commands.statements"),
                partial(self.action_new, "statements"),
                text("practice_openly.commands.statements_help"),
            ),
            (
                text("practice_openly.commands.turn"),
                self.action_take_turn,
                text("practice_openly.commands.turn_help"),
            ),
            (
                text("practice_openly.commands.moments"),
                partial(self.action_new, "moments"),
                text("practice_openly.commands.moments_help"),
            ),
        ]
