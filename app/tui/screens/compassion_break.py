"""A self-compassion pause (step 6): three short parts stepped through with a key, then a note.

Noticing ("this is hard"), remembering ("others feel this too") and offering
kindness ("may I be gentle with myself"), in the words of
``[practice_break]``; Enter or the button moves on. After the third part an
optional one-line note can be kept. The screen dismisses with the note (""
for none) when the pause is finished, or None when it is stopped early; the
practice saves it, privately.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from app.domain.practices.kindness import NOTE_MAX
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import PRACTICE_STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys

PARTS = 3


class CompassionBreakScreen(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[str | None]):
    CSS_PATH = PRACTICE_STYLES
    BINDINGS = [
        # A priority binding: Enter moves on however fast it is pressed, and saves from the note.
        Binding("enter", "next", id="practice.next", priority=True),
        Binding("escape", "stop", id="practice.stop"),
        SAVE_KEY,
    ]
    SAVE_BUTTON = "#break-next"  # "Finish" on the last part
    AUTO_FOCUS = "#break-next"

    part: reactive[int] = reactive(0, init=False)

    def __init__(self) -> None:
        super().__init__(classes="practice-form-screen")
        describe_keys(self, self.kintsugi.content)

    def words(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(f"practice_break.{key}", **fmt)

    def compose(self) -> ComposeResult:
        with Vertical(id="compassion-break"):
            yield Static(Text(self.words("heading")), id="break-heading-text", classes="break-muted")
            yield Static(id="break-progress")
            yield Static(id="break-title")
            yield Static(id="break-text")
            yield Static(Text(self.words("note_label")), id="break-note-label")
            yield Input(
                placeholder=self.words("note_placeholder"), max_length=NOTE_MAX, id="break-note", compact=True
            )
            with Horizontal(id="break-buttons"):
                yield Button(self.words("next"), variant="primary", id="break-next", compact=True)
            yield Static(Text(self.words("hint")), id="break-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    def watch_part(self) -> None:
        self._show()

    def _show(self) -> None:
        content = self.kintsugi.content
        titles, texts = content.value("practice_break.titles"), content.value("practice_break.texts")
        last = self.part == PARTS - 1
        self.query_one("#break-progress", Static).update(Text(self.words("progress", number=self.part + 1)))
        self.query_one("#break-title", Static).update(Text(titles[self.part]))
        self.query_one("#break-text", Static).update(Text(texts[self.part]))
        self.query_one("#break-note-label").display = last
        note = self.query_one("#break-note", Input)
        note.display = last
        self.query_one("#break-next", Button).label = self.words("finish" if last else "next")
        if last:
            note.focus()

    @on(Button.Pressed, "#break-next")
    def action_next(self) -> None:
        if self.part < PARTS - 1:
            self.part += 1
            return
        self.dismiss(self.query_one("#break-note", Input).value.strip())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_form" and self.part < PARTS - 1:
            return False  # ctrl+s finishes; it does not hurry the pause along
        return super().check_action(action, parameters)

    def action_stop(self) -> None:
        self.dismiss(None)
