"""Letting a waiting machine in: its six words to compare, and whose machine it is."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content as Words
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from app.domain.machines import Machine
from app.domain.models import Partner
from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str, safe_text
from app.tui.widgets.words import WORDS_A_LINE, machine_words, word_lines


class LetInDialog(QuietFocus, UsesKintsugi, ModalScreen[str | None]):
    """Dismisses with the partner id the machine is let in as, or None (the screen makes the store call).

    "Not now" has the focus: a stray Enter lets nothing in.
    """

    CSS_PATH = STYLES / "sealing.tcss"
    AUTO_FOCUS = "#let-in-cancel"
    BINDINGS = [Binding("escape", "cancel", id="dialog_cancel")]

    def __init__(self, machine: Machine, partners: list[Partner]) -> None:
        super().__init__()
        self.machine, self.partners = machine, partners
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        machine = self.machine
        says = next((p for p in self.partners if p.id == machine.partner), None)
        with Vertical(classes="sealing-card"):
            yield Static(Text(text("machines.let_in_heading")), classes="sealing-heading")
            yield Static(Text(text("machines.let_in_intro")), classes="intro")
            words = machine_words(machine.sign_key, machine.box_key)
            yield Static(word_lines(words, WORDS_A_LINE), classes="words")
            if says is not None:
                yield Static(safe_text(text("machines.let_in_says", name=says.name)), classes="intro")
            yield Static(Text(text("machines.let_in_whose")), classes="intro")
            with Horizontal(classes="sealing-buttons"):
                for index, partner in enumerate(self.partners):
                    label = Words(text("machines.let_in_as", name=safe_str(partner.name)))
                    yield Button(
                        label, variant="primary", id=f"let-in-{index}", classes="let-in-as", compact=True
                    )
                yield Button(text("machines.not_now"), id="let-in-cancel", compact=True)
        yield KeyFooter()

    @on(Button.Pressed, ".let-in-as")
    def _chosen(self, event: Button.Pressed) -> None:
        index = int((event.button.id or "let-in-0").removeprefix("let-in-"))
        self.dismiss(self.partners[index].id)

    @on(Button.Pressed, "#let-in-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
