"""The file came from the partner's machine: ask which of the two is at this one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content as Words
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Static

from app.domain.models import Partner
from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.safe import safe_str


class IdentifyScreen(QuietFocus, UsesKintsugi, ModalScreen[str]):
    """One button a partner; dismisses with the chosen partner's id (the App saves it)."""

    CSS_PATH = STYLES / "identify.tcss"

    def __init__(self, partners: list[Partner]) -> None:
        super().__init__()
        self.partners = partners

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        names = [safe_str(partner.name) for partner in self.partners]
        yield Header()
        with Vertical(id="identify-card"):
            yield Static(Text(text("identify.heading")), id="identify-heading")
            yield Static(Text(text("identify.intro", first=names[0], second=names[-1])), classes="intro")
            with Horizontal(id="identify-choices"):
                for index, name in enumerate(names):
                    yield Button(Words(name), variant="primary", id=f"partner-{index}", classes="partner")

    @on(Button.Pressed, ".partner")
    def _chosen(self, event: Button.Pressed) -> None:
        index = int((event.button.id or "partner-0").removeprefix("partner-"))
        self.dismiss(self.partners[index].id)
