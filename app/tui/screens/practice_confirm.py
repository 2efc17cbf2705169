"""Are you sure? A small dialog before a practice entry is deleted (steps 4 to 7).

Dismisses with True (delete it) or False / None (keep it). Keep has the focus,
so a stray Enter never deletes anything.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from app.tui.base import UsesKintsugi
from app.tui.screens import PRACTICE_STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text


class ConfirmRemove(QuietFocus, UsesKintsugi, ModalScreen[bool]):
    CSS_PATH = PRACTICE_STYLES
    BINDINGS = [Binding("escape", "keep", id="practice.cancel")]
    AUTO_FOCUS = "#confirm-keep"

    def __init__(self, question: str | Text) -> None:
        super().__init__(classes="practice-form-screen")
        describe_keys(self, self.kintsugi.content)
        self.question = question

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        question = self.question if isinstance(self.question, Text) else safe_text(self.question)
        with Vertical(id="confirm-remove"):
            yield Static(question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(text("practice_form.keep"), variant="primary", id="confirm-keep", compact=True)
                yield Button(text("practice_form.delete"), variant="error", id="confirm-delete", compact=True)
        yield KeyFooter()

    @on(Button.Pressed, "#confirm-delete")
    def _delete(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-keep")
    def action_keep(self) -> None:
        self.dismiss(False)
