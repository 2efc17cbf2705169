"""A machine not let into a sealed notebook yet: it asks to join, shows its words, and waits.

The App opens this instead of the notebook when this machine cannot open the file. It adds
this machine's request to the file (``ask_to_join``) and shows its six words; on a machine
already let in, the partner compares them on "Our file" and lets it in. Whenever the file
changes, the App calls ``check``: once this machine is let in, the file is read and the screen
dismisses with the partner the machine was let in as (None when nobody said: the App asks).
Every machine lost, the recovery code opens the file instead (``RecoveryDialog``), and the
couple choose whose machine this is.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from app.store.joining import ask_to_join, is_let_in, recover
from app.store.storage import StoreError
from app.tui.base import UsesKintsugi
from app.tui.screens import STYLES
from app.tui.screens.identify import IdentifyScreen
from app.tui.screens.recovery import RecoveryDialog
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.safe import safe_text
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.words import WORDS_A_LINE, machine_words, word_lines


class JoinScreen(QuietFocus, UsesKintsugi, Screen[str | None]):
    """Asks to join and waits; dismisses with the partner id this machine is for, once let in.

    A screen, not a dialog: the App's keys work here (q quits; the others wait for the notebook).
    """

    CSS_PATH = STYLES / "sealing.tcss"
    AUTO_FOCUS = ""

    def __init__(self) -> None:
        super().__init__()
        self.asked = False
        self.recovering: str | None = None
        """The recovery code while the couple choose whose machine this is (file changes wait)."""

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(classes="sealing-page"), Vertical(classes="sealing-card"):
            yield Static(Text(text("join.heading")), classes="sealing-heading")
            yield Static(Text(text("join.intro")), classes="intro")
            yield Static(id="join-words", classes="words")
            yield Static(Text(text("join.what_to_do")), classes="intro")
            yield Static(Text(text("join.waiting")), classes="note")
            yield Static("", id="join-problem", classes="problem")
            with Horizontal(classes="sealing-buttons"):
                yield Static(Text(text("join.recovery_note")), classes="button-note")
                yield Button(text("join.recovery_button"), id="join-recovery", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.ask()

    def _problem(self, message: str) -> None:
        problem = self.query_one("#join-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    def ask(self) -> None:
        """Put this machine's request in the file (asking again changes nothing) and show its words."""
        try:
            machine = ask_to_join(self.kintsugi.store)
        except StoreError as error:
            self._problem(self.error_words(error))  # the next change to the file asks again
            return
        self.asked = True
        words = machine_words(machine.sign_key, machine.box_key)
        self.query_one("#join-words", Static).update(word_lines(words, WORDS_A_LINE))
        self._problem("")

    def check(self) -> None:
        """The file changed: if this machine is let in now, open it and go on."""
        if self.recovering is not None or not self.is_current:
            return  # a dialog is open: checked again when this screen is back (on_screen_resume)
        if not self.asked:
            self.ask()
        store = self.kintsugi.store
        try:
            if not is_let_in(store):
                return
            store.load()
            machine = store.this_machine()
            if store.me is None and machine is not None and machine.partner:
                store.set_me(machine.partner)  # the partner it was let in as, on the machine that let it in
            me = store.me
        except StoreError as error:
            self._problem(self.error_words(error))
            return
        self.dismiss(me.id if me is not None else None)

    def on_screen_resume(self) -> None:
        self.check()

    # -- every machine lost: the recovery code ------------------------------------------------

    @on(Button.Pressed, "#join-recovery")
    def _ask_for_code(self) -> None:
        self.app.push_screen(RecoveryDialog(), self._code_given)

    def _code_given(self, code: str | None) -> None:
        """Open the file with the code (the store holds its key for now); a code that does not
        open it goes back to the dialog, saying so."""
        if code is None:
            return
        try:
            self.kintsugi.store.open_with_code(code)
        except StoreError as error:
            self.app.push_screen(RecoveryDialog(code, self.error_words(error)), self._code_given)
            return
        try:
            partners = self.kintsugi.store.partners  # the code opened the file: the names can be read
        except StoreError as error:
            self._problem(self.error_words(error))
            return
        self.recovering = code
        self.app.push_screen(IdentifyScreen(partners), self._recovered)

    def _recovered(self, partner_id: str | None) -> None:
        code, self.recovering = self.recovering, None
        store = self.kintsugi.store
        if code is None or partner_id is None:
            return
        try:
            recover(store, code, store.partner(partner_id).name)
        except StoreError as error:
            self._problem(self.error_words(error))
            return
        self.notify(self.kintsugi.content.text("join.recovered"), markup=False)
        self.dismiss(partner_id)
