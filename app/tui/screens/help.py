"""Help: content/help.md in a dialog over whatever screen is showing."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.scroll import ScrollArea


class HelpScreen(QuietFocus, UsesKintsugi, ModalScreen[None]):
    CSS_PATH = STYLES / "help.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", id="close"),
        Binding("question_mark", "dismiss", show=False),
        Binding("q", "dismiss", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        content = self.kintsugi.content
        with Vertical(id="help-dialog"), ScrollArea(id="help-scroll"):
            yield Static(Text(content.text("help.heading")), id="help-heading")
            yield Markdown(content.help, id="help-text")
        yield KeyFooter()
