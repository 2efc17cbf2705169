"""First run: the couple's file does not exist yet, so ask who the two of you are.

The new notebook is sealed for this machine (and, once let in, the partner's); the App then
shows its recovery code, once (``RecoveryCodeScreen``).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Input, Label, Static

from app.domain.models import NAME_MAX
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.scroll import ScrollArea


class OnboardingScreen(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[tuple[str, str]]):
    """Your name and your partner's; dismisses with the two (the App makes the notebook, and
    if the store refuses, opens the form again with them and the words saying why: ``problem``)."""

    CSS_PATH = STYLES / "onboarding.tcss"
    AUTO_FOCUS = "#me-name"
    BINDINGS = [SAVE_KEY]
    SAVE_BUTTON = "#begin"

    def __init__(self, names: tuple[str, str] = ("", ""), problem: str = "") -> None:
        super().__init__()
        self.names, self.problem = names, problem

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(id="onboarding"), Vertical(id="onboarding-card"):
            yield Static(Text(text("onboarding.heading")), id="onboarding-heading")
            yield Static(Text(text("onboarding.intro")), classes="intro")
            yield Label(text("onboarding.your_name"), classes="field-label")
            with self.prevent(Input.Changed):  # its first value is no change: a problem shown stays
                yield Input(
                    self.names[0],
                    placeholder=text("onboarding.your_name_placeholder"),
                    max_length=NAME_MAX,
                    id="me-name",
                )
            yield Static("", id="me-name-problem", classes="problem")
            yield Label(text("onboarding.partner_name"), classes="field-label")
            with self.prevent(Input.Changed):
                yield Input(
                    self.names[1],
                    placeholder=text("onboarding.partner_name_placeholder"),
                    max_length=NAME_MAX,
                    id="partner-name",
                )
            yield Static("", id="partner-name-problem", classes="problem")
            yield Static("", id="form-problem", classes="problem")
            yield Button(text("onboarding.start"), variant="primary", id="begin")
            yield Static(Text(text("onboarding.sync_note")), classes="note")

    def on_mount(self) -> None:
        self._problem("form", self.problem)

    def _problem(self, where: str, message: str) -> None:
        problem = self.query_one(f"#{where}-problem", Static)
        problem.update(Text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        if event.input.id:
            self._problem(event.input.id, "")
        self._problem("form", "")

    @on(Input.Submitted, "#me-name")
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on to the partner's name, once there is a name here (else it says so)."""
        if not event.value.strip():
            self._problem("me-name", self.kintsugi.content.text("onboarding.need_your_name"))
            return
        self.query_one("#partner-name", Input).focus()

    @on(Input.Submitted, "#partner-name")
    @on(Button.Pressed, "#begin")
    def begin(self) -> None:
        text = self.kintsugi.content.text
        me = " ".join(self.query_one("#me-name", Input).value.split())
        partner = " ".join(self.query_one("#partner-name", Input).value.split())
        problems = {
            "me-name": "" if me else text("onboarding.need_your_name"),
            "partner-name": "" if partner else text("onboarding.need_partner_name"),
        }
        if me and partner and me.casefold() == partner.casefold():
            problems["partner-name"] = text("onboarding.names_differ")
        for where, message in problems.items():
            self._problem(where, message)
        first_wrong = next((where for where, message in problems.items() if message), None)
        if first_wrong:
            self.query_one(f"#{first_wrong}", Input).focus()
            return
        self.dismiss((me, partner))
