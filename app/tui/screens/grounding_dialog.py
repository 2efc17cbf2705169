"""The dialog of step 8's grounding: ``GroundingDialog`` walks through 5-4-3-2-1 one sense at a
time, in a framed card over the dimmed screen, and dismisses with what was noticed.

It makes no store call: the practice that opened it does, with what it returns.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from app.domain.practices.present import SENSE_MAX, SENSES
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys


class GroundingDialog(SavesWithKey, QuietFocus, UsesKintsugi, ModalScreen[dict[str, Any] | None]):
    """5-4-3-2-1, one sense at a time; dismisses with the words per sense and ``private``;
    escape cancels (dismisses with None)."""

    CSS_PATH = STYLES / "grounding_dialog.tcss"
    AUTO_FOCUS = "#grounding-words"
    BINDINGS = [Binding("escape", "cancel", id="dialog_cancel"), SAVE_KEY]
    SAVE_BUTTON = "#grounding-next"  # "Save" on the last page

    def __init__(self) -> None:
        super().__init__(classes="grounding-dialog")
        describe_keys(self, self.kintsugi.content)
        self.index = 0
        self.words: dict[str, str] = dict.fromkeys(SENSES, "")

    def text(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(key, **fmt)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="grounding-frame", id="grounding-card"):
            yield Static(Text(self.text("grounding.heading")), classes="grounding-heading")
            yield Static(Text(self.text("grounding.intro")), classes="grounding-intro")
            yield Static(id="grounding-progress")
            yield Static(id="grounding-prompt")
            yield Input(
                placeholder=self.text("grounding.placeholder"),
                max_length=SENSE_MAX,
                id="grounding-words",
                compact=True,
            )
            yield Checkbox(self.text("grounding.private"), value=True, id="grounding-private", compact=True)
            with Horizontal(classes="grounding-buttons"):
                yield Button(
                    self.text("grounding.next"), variant="primary", id="grounding-next", compact=True
                )
                yield Button(self.text("common.cancel"), id="grounding-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    @property
    def finished(self) -> bool:
        return self.index >= len(SENSES)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_form" and not self.finished:
            return False  # Enter moves on a sense at a time; ctrl+s saves on the last page
        return super().check_action(action, parameters)

    def _show(self) -> None:
        """The current prompt; after the fifth, a word of thanks and the Save button."""
        progress = self.query_one("#grounding-progress", Static)
        prompt = self.query_one("#grounding-prompt", Static)
        field = self.query_one("#grounding-words", Input)
        self.query_one("#grounding-private").display = self.finished
        progress.display = not self.finished
        if self.finished:
            progress.update("")
            prompt.update(Text(self.text("grounding.done")))
            field.display = False
            self.query_one("#grounding-next", Button).label = self.text("grounding.save")
            self.query_one("#grounding-next", Button).focus()
            return
        sense = SENSES[self.index]
        progress.update(Text(self.text("grounding.progress", number=self.index + 1), style="dim"))
        prompt.update(Text(self.text(f"grounding.{sense}"), style="bold"))
        field.value = self.words[sense]
        field.focus()

    @on(Input.Submitted, "#grounding-words")
    @on(Button.Pressed, "#grounding-next")
    def _next(self) -> None:
        if self.finished:
            private = self.query_one("#grounding-private", Checkbox).value
            self.dismiss({**self.words, "private": private})
            return
        self.words[SENSES[self.index]] = self.query_one("#grounding-words", Input).value.strip()
        self.index += 1
        self._show()

    @on(Button.Pressed, "#grounding-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
