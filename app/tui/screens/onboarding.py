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


class OnboardingScreen(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[str]):
    """Your name and your partner's; dismisses with the new "me" partner id.

    The store call is made here, not by the App after ``dismiss``: if it fails,
    the form stays with what was typed in it, and says why.
    """

    CSS_PATH = STYLES / "onboarding.tcss"
    AUTO_FOCUS = "#me-name"
    BINDINGS = [SAVE_KEY]
    SAVE_BUTTON = "#begin"

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(id="onboarding"), Vertical(id="onboarding-card"):
            yield Static(Text(text("onboarding.heading")), id="onboarding-heading")
            yield Static(Text(text("onboarding.intro")), classes="intro")
            yield Label(text("onboarding.your_name"), classes="field-label")
            yield Input(
                placeholder=text("onboarding.your_name_placeholder"), max_length=NAME_MAX, id="me-name"
            )
            yield Static("", id="me-name-problem", classes="problem")
            yield Label(text("onboarding.partner_name"), classes="field-label")
            yield Input(
                placeholder=text("onboarding.partner_name_placeholder"),
                max_length=NAME_MAX,
                id="partner-name",
            )
            yield Static("", id="partner-name-problem", classes="problem")
            yield Static("", id="form-problem", classes="problem")
            yield Button(text("onboarding.start"), variant="primary", id="begin")
            yield Static(Text(text("onboarding.sync_note")), classes="note")

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
        with self.reporting() as attempt:
            created, _ = self.kintsugi.store.init(me, partner, sealed=True)
        if attempt.failed:
            self._problem("form", attempt.words)
            return
        self.dismiss(created.id)
