"""Check in: how close the partner writing now feels today, a word for it, and a note.

One check-in per partner per day (checking in again the same day changes
it), so the dialog opens with today's if there is one. It dismisses with what
was chosen and typed (a ``CheckInDraft``), or None; the App saves it. If the
store refuses, the App opens it again with the draft and the words saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from app.domain.models import NAME_MAX, CheckIn, Connection
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.feelings import FeelingPicker
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words


@dataclass(frozen=True)
class CheckInDraft:
    """What the dialog holds: how close (1-5, None before one is chosen), a word, a note."""

    connection: int | None = None
    mood: str = ""
    note: str = ""


class CheckInDialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[CheckInDraft | None]):
    CSS_PATH = STYLES / "checkin.tcss"
    BINDINGS = [Binding("escape", "cancel", id="close"), SAVE_KEY]
    SAVE_BUTTON = "#checkin-save"
    AUTO_FOCUS = "#checkin-connection"

    def __init__(
        self, name: str, held: CheckIn | None, draft: CheckInDraft | None = None, problem: str = ""
    ) -> None:
        """``held``: today's check-in by ``name``, the partner writing now, if there is one (the
        form starts from it, unless from a ``draft`` the store refused, with its ``problem``)."""
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.writer_name, self.again, self.problem = name, held is not None, problem
        self.draft = draft or (
            CheckInDraft(held.connection, held.mood, held.note) if held else CheckInDraft()
        )

    def compose(self) -> ComposeResult:
        app = self.kintsugi
        text = app.content.text
        draft, name = self.draft, self.writer_name
        today = app.today()
        heading = Text(text("checkin.heading_for", name=name, day=day_words(app.content, today, "weekday")))
        with ScrollArea(id="checkin-dialog", can_focus=False):  # scrolls if the feelings list needs room
            yield Static(safe_text(heading.plain), id="checkin-heading")
            yield Static(Text(text("checkin.again" if self.again else "checkin.intro")), classes="intro")
            with Horizontal(id="checkin-body"):
                with Vertical(id="checkin-left"):
                    yield Label(text("checkin.score_label"), classes="field-label")
                    with RadioSet(id="checkin-connection", compact=True):
                        for level in Connection:
                            yield RadioButton(
                                f"{int(level)}  {text(f'checkin.scale.{int(level)}')}",
                                value=draft.connection == level,
                                name=str(int(level)),
                            )
                with Vertical(id="checkin-right"):
                    yield Label(text("checkin.mood_label"), classes="field-label")
                    yield FeelingPicker(draft.mood, compact=True, id="checkin-mood")
                    yield Label(text("checkin.note_label"), classes="field-label")
                    yield Input(
                        safe_str(draft.note),
                        placeholder=text("checkin.note_placeholder"),
                        id="checkin-note",
                    )
            yield Static("", id="checkin-problem", classes="problem")
            with Horizontal(id="checkin-buttons"):
                yield Button(text("checkin.save"), variant="primary", id="checkin-save")
                yield Button(text("common.cancel"), id="checkin-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        # RadioSet highlights its first button; start from the one pressed, if any (a key down
        # for each button before it, as the couple would).
        radios = self.query_one("#checkin-connection", RadioSet)
        for _ in range(radios.pressed_index):
            radios.action_next_button()
        self._problem(self.problem)

    def _problem(self, message: str) -> None:
        problem = self.query_one("#checkin-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(RadioSet.Changed)
    @on(Input.Changed)
    @on(FeelingPicker.Changed)
    def _changed(self) -> None:
        """Something was chosen or typed: a problem goes once the form differs from what it
        opened with (a radio pressed or a note given as it opens is no change)."""
        if self.typed() != self.draft:
            self._problem("")

    def typed(self) -> CheckInDraft:
        mood = self.query_one(FeelingPicker).value[:NAME_MAX]
        note = kept(self.query_one("#checkin-note", Input).value, self.draft.note).strip()
        return CheckInDraft(self.connection, mood, note)

    @property
    def connection(self) -> int | None:
        pressed = self.query_one("#checkin-connection", RadioSet).pressed_button
        return int(pressed.name) if pressed is not None and pressed.name else None

    @on(Input.Submitted, "#checkin-note")
    @on(Button.Pressed, "#checkin-save")
    def save(self) -> None:
        connection = self.connection
        if connection is None:
            self._problem(self.kintsugi.content.text("checkin.need_connection"))
            self.query_one("#checkin-connection", RadioSet).focus()
            return
        self.dismiss(self.typed())

    @on(Button.Pressed, "#checkin-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
