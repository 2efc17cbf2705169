"""Typing the recovery code on a machine that cannot open the sealed notebook (every machine lost)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text


class RecoveryDialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[str | None]):
    """Dismisses with the code typed, or None (the join screen opens the file with it).

    A code that does not open it comes back (``code``) with the words saying so (``problem``),
    for another look.
    """

    CSS_PATH = STYLES / "sealing.tcss"
    AUTO_FOCUS = "#recovery-code"
    BINDINGS = [Binding("escape", "cancel", id="dialog_cancel"), SAVE_KEY]
    SAVE_BUTTON = "#recovery-open"

    def __init__(self, code: str = "", problem: str = "") -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.code, self.problem = code, problem

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        with Vertical(classes="sealing-card"):
            yield Static(Text(text("recovery.heading")), classes="sealing-heading")
            yield Static(Text(text("recovery.intro")), classes="intro")
            yield Label(text("recovery.label"), classes="field-label")
            with self.prevent(Input.Changed):  # its first value is no change: a problem shown stays
                yield Input(self.code, placeholder=text("recovery.placeholder"), id="recovery-code")
            yield Static("", id="recovery-problem", classes="problem")
            with Horizontal(classes="sealing-buttons"):
                yield Button(text("recovery.open"), variant="primary", id="recovery-open", compact=True)
                yield Button(text("common.cancel"), id="recovery-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._problem(self.problem)

    def _problem(self, message: str) -> None:
        problem = self.query_one("#recovery-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Changed, "#recovery-code")
    def _typing(self) -> None:
        self._problem("")

    @on(Input.Submitted, "#recovery-code")
    @on(Button.Pressed, "#recovery-open")
    def open_notebook(self) -> None:
        code = " ".join(self.query_one("#recovery-code", Input).value.split())
        if not code:
            self._problem(self.kintsugi.content.text("recovery.need_words"))
            return
        self.dismiss(code)

    @on(Button.Pressed, "#recovery-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
