"""Our file: where it lives, who can read it, what came in from the partner's copies, and text
written on both sides.

The "sync" mode (``f``). It shows the file's place and last change (whose, and at which
machine it was typed), whether it is sealed (``s`` seals a plain one and shows the recovery
code once), the couple's machines with their words and the machines waiting to be let in
(``i`` lets the chosen one in, as one partner's or the other's), the conflict copies already
merged and the backups kept, the copies left where they are (why, and what to do), every
record where both partners wrote the same text apart ("Sam also wrote…", with a way to
restore either version), and a field to merge another copy by its path.

The parts that show what the store holds are widgets, a module each: ``FileFacts``
(widgets/sync_facts.py), ``TrustedMachines`` and ``WaitingMachines`` (sync_machines.py),
``BothWrote`` (sync_both_wrote.py), ``MergedCopies`` and ``LeftCopies`` (sync_copies.py). The
screen lays them out, re-reads them when the store changes, and makes the couple's store calls.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from app.domain.machines import Machine
from app.store.alternatives import Alternative
from app.store.places import user_path
from app.store.sync import came_from, sync_with
from app.tui.base import FollowsTheStore
from app.tui.messages import Saved
from app.tui.screens import STYLES, RecoveryCodeScreen
from app.tui.screens.let_in import LetInDialog
from app.tui.textual_patches import KeepsItsStyles, QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.sync_both_wrote import BothWrote
from app.tui.widgets.sync_copies import LeftCopies, MergedCopies
from app.tui.widgets.sync_facts import FileFacts
from app.tui.widgets.sync_machines import TrustedMachines, WaitingMachines
from app.words import report_words


class SyncScreen(QuietFocus, KeepsItsStyles, FollowsTheStore, Screen[None]):
    """The "Our file" mode."""

    CSS_PATH = STYLES / "sync.tcss"
    AUTO_FOCUS = ""  # the table, while it shows (_show_both_wrote); else no field takes keys unasked
    BINDINGS = [
        Binding("r", "restore", id="restore_alternative"),
        Binding("k", "keep", id="keep_current"),
        Binding("i", "let_in", id="let_in"),
        Binding("s", "seal", id="seal"),
        # The page takes no focus (a Tab reaches the fields first): its keys scroll it all the same.
        *(
            Binding(key, f"scroll_page('{action}')", show=False)
            for key, action in (
                ("up", "scroll_up"),
                ("down", "scroll_down"),
                ("pageup", "page_up"),
                ("pagedown", "page_down"),
                ("home", "scroll_home"),
                ("end", "scroll_end"),
            )
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        # The page itself takes no focus: the first Tab reaches the table or the path field.
        with ScrollArea(id="sync-page", can_focus=False):
            yield Static(text("sync.where_heading"), classes="section-title")
            yield FileFacts(id="file-facts")
            yield Static(text("machines.heading"), classes="section-title")
            yield TrustedMachines(id="machines")
            yield Static(text("machines.waiting_heading"), classes="section-title waiting")
            yield Static(text("machines.waiting_intro"), classes="intro waiting")
            yield WaitingMachines(id="waiting-machines", classes="waiting")
            yield Static(text("sync.both_wrote_heading"), classes="section-title")
            yield Static(text("sync.both_wrote_intro"), classes="intro")
            yield BothWrote(id="alternatives")
            yield Static(id="no-alternatives", classes="note")
            yield Static(text("sync.copies_heading"), classes="section-title")
            yield MergedCopies(id="merged-copies")
            yield Static(text("sync.left_heading"), classes="section-title left-copies")
            yield LeftCopies(id="left-copies", classes="left-copies")
            yield Static(text("sync.merge_heading"), classes="section-title")
            with Horizontal(id="merge-row"):
                yield Input(placeholder=text("sync.merge_placeholder"), id="merge-path")
                yield Button(text("sync.merge_button"), id="merge-button", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self.show)
        self.show()

    def show(self) -> None:
        with self.reporting():
            self.query_one(FileFacts).show()
            self.query_one(TrustedMachines).show()
            self._show_waiting(self.query_one(WaitingMachines))
            self._show_both_wrote(self.query_one(BothWrote))
            self.query_one(MergedCopies).show()
            left = self.query_one(LeftCopies).show()
            for part in self.query(".left-copies"):
                part.display = left

    def _show_waiting(self, picker: WaitingMachines) -> None:
        """The waiting machines' part shows only while there are some, the list in focus."""
        waiting = picker.show()
        for part in self.query(".waiting"):
            part.display = bool(waiting)
        if waiting and self.focused is None:
            picker.focus()  # in sight, with the key that lets the highlighted one in
        elif not waiting and picker.has_focus:
            self.set_focus(None)
        self.refresh_bindings()

    def _show_both_wrote(self, table: BothWrote) -> None:
        alternatives = table.show()
        table.display = bool(alternatives)
        if table.display and self.focused is None:
            table.focus()
        elif not table.display and table.has_focus:  # keys must not go to a table out of sight
            self.set_focus(None)
        text = self.kintsugi.content.text
        self.query_one("#no-alternatives", Static).update(
            "" if alternatives else text("sync.no_alternatives")
        )
        self.refresh_bindings()

    # -- the couple's actions ---------------------------------------------------------

    def _chosen(self) -> Alternative | None:
        return self.query_one(BothWrote).chosen

    def _chosen_machine(self) -> Machine | None:
        return self.query_one(WaitingMachines).chosen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"restore", "keep"}:
            return self._chosen() is not None
        if action == "let_in":
            return self._chosen_machine() is not None
        if action == "seal":
            return not self.query_one(TrustedMachines).sealed
        return True

    def action_scroll_page(self, how: str) -> None:
        getattr(self.query_one("#sync-page", ScrollArea), f"action_{how}")()

    def action_restore(self) -> None:
        chosen, writer = self._chosen(), self.kintsugi.acting
        if chosen is not None and writer is not None:
            self._store_call(lambda: self.kintsugi.store.restore_alternative(chosen, writer), "sync.restored")

    def action_keep(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self._store_call(lambda: self.kintsugi.store.keep_current(chosen), "sync.kept")

    def action_let_in(self) -> None:
        """Let the chosen waiting machine in, as the partner the couple say it is (they compare its words)."""
        machine = self._chosen_machine()
        if machine is None:
            return
        with self.reporting() as attempt:
            partners = self.kintsugi.store.partners
        if attempt.failed:
            return
        self.app.push_screen(LetInDialog(machine, partners), lambda owner: self._let_in(machine, owner))

    def _let_in(self, machine: Machine, owner: str | None) -> None:
        writer, store = self.kintsugi.acting, self.kintsugi.store
        if owner is None or writer is None:
            return
        with self.reporting() as attempt:
            store.vouch(machine.id, owner, writer)
            name = store.partner(owner).name
        if attempt.failed:
            return
        self.notify(self.kintsugi.content.text("machines.let_in_done", name=safe_str(name)), markup=False)
        self.post_message(Saved())

    def action_seal(self) -> None:
        """Seal a plain notebook for the machines this one trusts; the recovery code is shown once."""
        writer = self.kintsugi.acting
        if writer is None:
            return
        # the partner's Kintsugi may not open it yet: the store says why, as a warning
        with self.reporting(severity="warning") as attempt:
            code = self.kintsugi.store.encrypt(writer)
        if attempt.failed:
            return
        self.post_message(Saved())
        self.app.push_screen(RecoveryCodeScreen(code))

    def _store_call(self, call: Callable[[], object], done: str) -> None:
        with self.reporting() as attempt:
            call()
        if attempt.failed:
            return
        self.notify(self.kintsugi.content.text(done))
        self.post_message(Saved())

    @on(Button.Pressed, "#merge-button")
    @on(Input.Submitted, "#merge-path")
    def merge_copy(self) -> None:
        field = self.query_one("#merge-path", Input)
        if not field.value.strip():
            return
        other = user_path(field.value.strip())
        with self.reporting() as attempt:
            outcome = sync_with(self.kintsugi.store, other)
        if attempt.failed:
            return
        said = report_words(
            self.kintsugi.content, outcome.came_in, came_from(outcome.came_in, self.kintsugi.store, other)
        )
        self.notify(safe_str(said), markup=False)
        field.value = ""
        self.post_message(Saved())
