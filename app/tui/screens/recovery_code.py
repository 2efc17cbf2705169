"""The recovery code, shown once, when the notebook is sealed (the first run, or "Our file")."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Static

from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.words import word_lines

CODE_WORDS_A_LINE = 4


class RecoveryCodeScreen(QuietFocus, UsesKintsugi, ModalScreen[None]):
    """The twelve words, what they are for, and a button to go on once they are written down.

    Nothing else closes it: no key sends the code away unread. The code is held by this
    screen alone, and is gone with it.
    """

    CSS_PATH = STYLES / "sealing.tcss"
    AUTO_FOCUS = "#recovery-written"

    def __init__(self, code: str) -> None:
        super().__init__()
        self.words = code.split()

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(classes="sealing-page"), Vertical(classes="sealing-card"):
            yield Static(Text(text("recovery_code.heading")), classes="sealing-heading")
            yield Static(Text(text("recovery_code.intro")), classes="intro")
            words = word_lines(self.words, CODE_WORDS_A_LINE, numbered=True)
            yield Static(words, id="recovery-words", classes="words")
            yield Static(Text(text("recovery_code.paper"), "bold"), classes="intro")
            yield Button(
                text("recovery_code.written"), variant="primary", id="recovery-written", compact=True
            )

    @on(Button.Pressed, "#recovery-written")
    def _written(self) -> None:
        self.dismiss(None)
