"""The one question asked before something is done that is not lightly undone: deleting, retiring
an agreement you both signed, sharing a private entry, logging a done goal as a celebration.

It makes no store call: it dismisses with True (go ahead) or False (leave things as they are;
escape too), and whatever opened it acts on the answer. "No" has the focus unless the question
says otherwise (``focus_yes``), so a stray Enter changes nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text


class Confirm(QuietFocus, UsesKintsugi, ModalScreen[bool]):
    """A question and two answers, with a heading and the words it is about (both optional)."""

    CSS_PATH = STYLES / "confirm.tcss"
    BINDINGS = [Binding("escape", "cancel", id="dialog_cancel")]

    def __init__(
        self,
        question: Text | str,
        yes: str,
        no: str,
        *,
        heading: str = "",
        about: str = "",
        variant: ButtonVariant = "primary",
        focus_yes: bool = False,
    ) -> None:
        """``about``: the couple's own words the question is about (an agreement's wording),
        shown as they are; ``variant``: the yes button's (``"error"`` for a delete)."""
        super().__init__(classes="confirm-screen")
        describe_keys(self, self.kintsugi.content)
        self.question = question if isinstance(question, Text) else safe_text(question)
        self.yes, self.no, self.heading, self.about, self.variant = yes, no, heading, about, variant
        self.AUTO_FOCUS = "#confirm-yes" if focus_yes else "#confirm-no"

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-card"):
            if self.heading:
                yield Static(Text(self.heading), id="confirm-heading")
            if self.about:
                yield Static(safe_text(self.about, "bold"), id="confirm-about")
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes, variant=self.variant, id="confirm-yes", compact=True)
                yield Button(self.no, id="confirm-no", compact=True)
        yield KeyFooter()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
