"""The daily question: answered apart, revealed together.

The partner writing now answers; their words wait in this machine's local
file and only a commitment goes into the couple's file (app/store/question.py).
The other partner's words stay covered until both have answered, on screen as
in the file: switching the writer at one keyboard covers them again. The App
publishes this machine's waiting answers whenever it reads the file.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from app.domain.models import Partner
from app.domain.question import ANSWER_MAX, AnswerState, AnswerView
from app.store.storage import StoreError
from app.tui.base import SAVE_KEY, FollowsTheStore, SavesWithKey
from app.tui.messages import Saved
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus, SizedAtOnce
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

EARLIER_DAYS = 7


def leaving_keys() -> list[Binding]:
    """Hidden digit and ``d`` keys for a screen pushed over a mode: they close it first, so the
    step or the dashboard they open is not left hidden beneath it."""
    return [
        *(Binding(str(number), f"leave('step', {number})", show=False) for number in range(1, 10)),
        Binding("d", "leave('dashboard', 0)", show=False),
    ]


def leave(screen: Screen[None], where: str, step: int) -> None:
    """Close ``screen`` and go to that step (``where == "step"``) or the dashboard."""
    app = cast("KintsugiApp", screen.app)
    screen.dismiss()
    if where == "step":
        app.action_step(step)
    else:
        app.action_open_mode("dashboard")


class QuestionScreen(QuietFocus, SizedAtOnce, SavesWithKey, FollowsTheStore, Screen[None]):
    """Today's question (or ``day``'s), both partners' answers as the writer may see them."""

    CSS_PATH = STYLES / "question.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", id="back"),
        Binding("e", "change_answer", id="answer_change"),
        SAVE_KEY,
        *leaving_keys(),
    ]
    SAVE_BUTTON = "#answer-save"  # while there is an answer to give

    def __init__(self, day: dt.date | None = None) -> None:
        super().__init__()
        self.day = day or dt.date.today()
        self.changing = False  # the writer asked to change a waiting answer
        self._first_show = True
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(id="question-page"):
            yield Static(Text(text("question.heading")), classes="section-title")
            yield Static(Text(day_words(self.kintsugi.content, self.day, "long")), id="question-day")
            yield Static(Text(self.kintsugi.content.question_for(self.day)), id="question-text")
            with Horizontal(id="answers"):
                with Vertical(id="mine", classes="answer-card"):
                    yield Static(id="mine-name", classes="answer-name")
                    yield Static(id="mine-words", classes="answer-words")
                    with Horizontal(id="answer-form"):
                        yield Input(
                            placeholder=text("question.placeholder"),
                            max_length=ANSWER_MAX,
                            id="answer-input",
                        )
                        yield Button(text("question.save"), id="answer-save", variant="primary")
                with Vertical(id="theirs", classes="answer-card"):
                    yield Static(id="theirs-name", classes="answer-name")
                    yield Static(id="theirs-words", classes="answer-words")
            yield Static(id="question-note", classes="note")
            yield Static(Text(text("question.earlier")), classes="section-title")
            yield Static(id="earlier")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self.reread)
        self.watch(self.app, "acting", self._writer_switched, init=False)
        self.reread()

    def _writer_switched(self) -> None:
        """At one keyboard: what the previous writer typed and did not save is theirs, not shown."""
        self.changing = False
        self.query_one("#answer-input", Input).value = ""
        self.reread()

    # -- showing -----------------------------------------------------------------------

    def reread(self) -> None:
        app = self.kintsugi
        if not app.ready:
            return
        with self.reporting() as attempt:
            writer, other = app.writer_and_other()
            views = app.store.day_answers(self.day, writer.id)
            earlier = [day for day in app.store.answered_days() if day < self.day][:EARLIER_DAYS]
            earlier_views = {day: app.store.day_answers(day, writer.id) for day in earlier}
        if attempt.failed:
            return
        mine, theirs = views[writer.id], views[other.id]
        self._show_mine(writer, other, mine)
        self._show_theirs(other, mine, theirs)
        self._show_note(other, mine, theirs)
        self._show_earlier(writer, other, earlier_views)
        self.refresh_bindings()

    def _show_mine(self, writer: Partner, other: Partner, mine: AnswerView) -> None:
        text = self.kintsugi.content.text
        name = safe_text(writer.name, "bold", one_line=True)
        name.append(f"  ✎ {text('question.writing_now')}", "italic")
        self.query_one("#mine-name", Static).update(name)
        answering = mine.state == AnswerState.MISSING or (self.changing and mine.state == AnswerState.WAITING)
        words = self.query_one("#mine-words", Static)
        if answering:
            words.update(Text(text("question.private_until", name=safe_str(other.name)), style="italic"))
        elif mine.state == AnswerState.WAITING and not mine.text:
            words.update(Text(text("question.waiting_elsewhere", name=safe_str(other.name)), style="italic"))
        else:
            words.update(self._words(mine))
        form = self.query_one("#answer-form")
        opened = answering and (not form.display or self._first_show)
        form.display = answering
        self._first_show = False
        if opened:
            field = self.query_one("#answer-input", Input)
            if self.changing and not field.value:
                field.value = safe_str(mine.text)
            field.focus()

    def _show_theirs(self, other: Partner, mine: AnswerView, theirs: AnswerView) -> None:
        text = self.kintsugi.content.text
        self.query_one("#theirs-name", Static).update(safe_text(other.name, "bold", one_line=True))
        words = self.query_one("#theirs-words", Static)
        card = self.query_one("#theirs")
        card.set_class(theirs.state == AnswerState.HIDDEN, "-covered")
        if theirs.state == AnswerState.MISSING:
            words.update(Text(text("question.missing_theirs", name=safe_str(other.name)), style="italic"))
        elif theirs.state == AnswerState.HIDDEN:
            shown = Text(text("question.covered") + "\n", style="dim")
            shown.append(text("question.hidden_theirs", name=safe_str(other.name)), style="italic")
            words.update(shown)
        elif theirs.state == AnswerState.OPENING:
            words.update(Text(text("question.opening", name=safe_str(other.name)), style="italic"))
        else:
            words.update(self._words(theirs))

    def _words(self, view: AnswerView) -> Text:
        shown = Text()
        if view.state == AnswerState.CHANGED:
            shown.append("⚠ " + self.kintsugi.content.text("question.changed") + "\n", "bold")
        shown.append_text(safe_text(view.text))
        return shown

    def _show_note(self, other: Partner, mine: AnswerView, theirs: AnswerView) -> None:
        text = self.kintsugi.content.text
        note = ""
        if mine.state == AnswerState.WAITING:
            note = text("question.waiting_mine", name=safe_str(other.name))
        elif mine.state == AnswerState.OPENING:
            note = text("question.opening_mine")
        elif {mine.state, theirs.state} <= {AnswerState.SHOWN, AnswerState.CHANGED}:
            note = text("question.both_shown")
        shown = self.query_one("#question-note", Static)
        shown.update(Text(note))
        shown.display = bool(note)

    def _show_earlier(
        self, writer: Partner, other: Partner, earlier: dict[dt.date, dict[str, AnswerView]]
    ) -> None:
        content = self.kintsugi.content
        shown = self.query_one("#earlier", Static)
        if not earlier:
            shown.update(Text(content.text("question.no_earlier"), style="italic"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for index, (day, views) in enumerate(earlier.items()):
            if index:
                table.add_row("", "")
            heading = Text(day_words(content, day, "day_no_year"), style="bold")
            table.add_row(heading, Text(content.question_for(day), style="italic"))
            revealed = [
                p for p in (writer, other) if views[p.id].state in {AnswerState.SHOWN, AnswerState.CHANGED}
            ]
            if len(revealed) == 2:
                for partner in revealed:
                    table.add_row(safe_text(partner.name, one_line=True), self._words(views[partner.id]))
            else:
                answered = [p for p in (writer, other) if views[p.id].state != AnswerState.MISSING]
                if answered:
                    line = content.text("question.only_one", name=safe_str(answered[0].name))
                    table.add_row("", Text(line, style="dim"))
        shown.update(table)

    # -- answering ---------------------------------------------------------------------

    @on(Input.Submitted, "#answer-input")
    @on(Button.Pressed, "#answer-save")
    def save(self) -> None:
        app = self.kintsugi
        if app.acting is None:
            return
        field = self.query_one("#answer-input", Input)
        with self.reporting() as attempt:
            _, other = app.writer_and_other()
            words = field.value
            if self.changing:  # the answer was shown made safe: the words as they were, if left so
                words = kept(words, app.store.waiting_words(app.acting, self.day) or "")
            app.store.give_answer(app.acting, words, self.day)
            theirs = app.store.day_answers(self.day, app.acting)[other.id]
        if attempt.failed:
            return
        self.changing = False
        field.value = ""
        saved = "question.saved" if theirs.state == AnswerState.MISSING else "question.saved_both"
        self.notify(app.content.text(saved, name=safe_str(other.name)), markup=False)
        self.post_message(Saved())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change_answer":
            app = self.kintsugi
            if not app.ready or app.acting is None or self.changing:
                return False
            try:
                mine = app.store.day_answers(self.day, app.acting)[app.acting]
            except StoreError:
                return False
            return mine.state == AnswerState.WAITING and bool(mine.text)
        return super().check_action(action, parameters)

    def action_change_answer(self) -> None:
        self.changing = True
        self.reread()

    def action_leave(self, where: str, step: int) -> None:
        leave(self, where, step)

    def action_back(self) -> None:
        if self.changing:
            self.changing = False
            self.query_one("#answer-input", Input).value = ""
            self.reread()
            return
        self.app.pop_screen()
