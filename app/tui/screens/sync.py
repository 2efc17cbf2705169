"""Our file: where it lives, who can read it, what came in from the partner's copies, and text
written on both sides.

The "sync" mode (``f``). It shows the file's place and last change (whose, and at which
machine it was typed), whether it is sealed (``s`` seals a plain one and shows the recovery
code once), the couple's machines with their words and the machines waiting to be let in
(``i`` lets the chosen one in, as one partner's or the other's), the conflict copies already
merged and the backups kept, the copies left where they are (why, and what to do), every
record where both partners wrote the same text apart ("Sam also wrote…", with a way to
restore either version), and a field to merge another copy by its path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from app.domain.machines import Machine
from app.store.alternatives import Alternative
from app.store.backups import backups
from app.store.places import user_path
from app.store.reading import LastChange
from app.store.sync import came_from, copies_left_alone, sync_with
from app.tui.base import FollowsTheStore
from app.tui.messages import Saved
from app.tui.screens import STYLES, RecoveryCodeScreen
from app.tui.screens.let_in import LetInDialog
from app.tui.textual_patches import KeepsItsStyles, QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.words import machine_words
from app.words import counted, day_words, left_copy_words, report_words

PREVIEW = 50


class SyncScreen(QuietFocus, KeepsItsStyles, FollowsTheStore, Screen[None]):
    """The "Our file" mode."""

    CSS_PATH = STYLES / "sync.tcss"
    AUTO_FOCUS = ""  # the table, while it shows (_show_alternatives); else no field takes keys unasked
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
        self._alternatives: list[Alternative] = []
        self._waiting: list[Machine] = []
        self._sealed = True

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        # The page itself takes no focus: the first Tab reaches the table or the path field.
        with ScrollArea(id="sync-page", can_focus=False):
            yield Static(text("sync.where_heading"), classes="section-title")
            yield Static(id="file-facts")
            yield Static(text("machines.heading"), classes="section-title")
            yield Static(id="machines")
            yield Static(text("machines.waiting_heading"), classes="section-title waiting")
            yield Static(text("machines.waiting_intro"), classes="intro waiting")
            yield OptionList(id="waiting-machines", classes="waiting")
            yield Static(text("sync.both_wrote_heading"), classes="section-title")
            yield Static(text("sync.both_wrote_intro"), classes="intro")
            yield DataTable(id="alternatives", cursor_type="row", zebra_stripes=True)
            yield Static(id="no-alternatives", classes="note")
            yield Static(text("sync.copies_heading"), classes="section-title")
            yield Static(id="merged-copies")
            yield Static(text("sync.left_heading"), classes="section-title left-copies")
            yield Static(id="left-copies", classes="left-copies")
            yield Static(text("sync.merge_heading"), classes="section-title")
            with Horizontal(id="merge-row"):
                yield Input(placeholder=text("sync.merge_placeholder"), id="merge-path")
                yield Button(text("sync.merge_button"), id="merge-button", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#alternatives", DataTable)
        text = self.kintsugi.content.text
        table.add_columns(text("sync.column_what"), text("sync.column_now"), text("sync.column_also"))
        self.follow_the_store(self.show)
        self.show()

    def show(self) -> None:
        with self.reporting():
            self._show_facts()
            self._show_machines()
            self._show_alternatives()
            self._show_copies()
            self._show_left_alone()

    def _when(self, moment: dt.datetime) -> str:
        return day_words(self.kintsugi.content, moment, "moment")

    def _show_facts(self) -> None:
        store, content, text = self.kintsugi.store, self.kintsugi.content, self.kintsugi.content.text
        path = store.path
        changed = dt.datetime.fromtimestamp(store.places.real.stat().st_mtime)
        newest = store.last_change()
        facts = Text()
        facts.append(text("sync.file_is") + " ")
        facts.append_text(safe_text(str(path), "bold"))
        facts.append("\n" + text("sync.changed_at", when=self._when(changed)))
        if newest is not None:
            facts.append(" " + self._newest_change(newest))
        kept = backups(store.places)
        if kept:
            stamp = dt.datetime.fromtimestamp(kept[0].stat().st_mtime)
            facts.append("\n" + counted(content, "sync.backups", len(kept), when=self._when(stamp)))
        for count, key in ((store.from_newer(), "sync.from_newer"), (len(store.problems()), "sync.damaged")):
            if count:
                facts.append("\n" + counted(content, key, count))
        facts.append("\n")
        facts.append_text(
            safe_text(
                text("sync.ignore", pattern=store.places.ignore_pattern, folder=str(store.places.machine))
            )
        )
        self.query_one("#file-facts", Static).update(facts)

    def _newest_change(self, change: LastChange) -> str:
        """ "The newest change is Sam's, typed at Alex's keyboard, from ...": where, when the machine
        that stamped it is one this machine trusts (and so knows whose it is)."""
        store, text = self.kintsugi.store, self.kintsugi.content.text
        editor, machine = change.editor, change.machine
        names = {p.id: p.name for p in store.partners}
        name = safe_str(names.get(editor, "?"))
        when = self._when(change.when)
        owner = store.trusted().get(machine.id) if machine is not None else None
        if machine is not None and machine.id == store.keyring.machine_id:
            return text("sync.last_by_here", name=name, when=when)
        if owner == editor:
            return text("sync.last_by_own", name=name, when=when)
        if owner in names:
            return text("sync.last_by_at", name=name, owner=safe_str(names[owner]), when=when)
        return text("sync.last_by", name=name, when=when)

    def _show_machines(self) -> None:
        """Sealed or plain; this machine and the ones it trusts, with their words; those waiting."""
        store, text = self.kintsugi.store, self.kintsugi.content.text
        names = {p.id: p.name for p in store.partners}
        trusted, machines = store.trusted(), store.machines()
        self._sealed = store.sealed
        shown = Text(text("machines.sealed" if self._sealed else "machines.plain"))
        mine = store.keyring.machine_id
        for machine_id in sorted(trusted, key=lambda m: (m != mine, names.get(trusted[m], ""), m)):
            owner = safe_str(names.get(trusted[machine_id], "?"))
            label = text("machines.this_machine" if machine_id == mine else "machines.theirs", name=owner)
            keys = machines.get(machine_id)
            shown.append(f"\n{label}: ")
            if keys is not None:
                shown.append("  ".join(machine_words(keys.sign_key, keys.box_key)), "bold")
        self.query_one("#machines", Static).update(shown)
        self._waiting = store.waiting_machines()
        picker = self.query_one("#waiting-machines", OptionList)
        highlighted = picker.highlighted
        picker.set_options(Option(self._waiting_prompt(m, names), id=m.id) for m in self._waiting)
        if self._waiting:
            picker.highlighted = min(highlighted or 0, len(self._waiting) - 1)
        for part in self.query(".waiting"):
            part.display = bool(self._waiting)
        if self._waiting and self.focused is None:
            picker.focus()  # in sight, with the key that lets the highlighted one in
        elif not self._waiting and picker.has_focus:
            self.set_focus(None)
        self.refresh_bindings()

    def _waiting_prompt(self, machine: Machine, names: dict[str, str]) -> Text:
        text = self.kintsugi.content.text
        says = names.get(machine.partner)
        prompt = safe_text(text("machines.says", name=says) if says else text("machines.asks"), one_line=True)
        prompt.append(": ")
        prompt.append("  ".join(machine_words(machine.sign_key, machine.box_key)), "bold")
        return prompt

    def _show_alternatives(self) -> None:
        store, text = self.kintsugi.store, self.kintsugi.content.text
        self._alternatives = store.alternatives()
        table = self.query_one("#alternatives", DataTable)
        table.clear()
        names = {partner.id: partner.name for partner in store.partners}
        for alternative in self._alternatives:
            what = self._what(alternative, names)
            table.add_row(
                safe_text(what, one_line=True),
                safe_text(str(alternative.current or ""), one_line=True)[:PREVIEW],
                safe_text(str(alternative.value), one_line=True)[:PREVIEW],
            )
        table.display = bool(self._alternatives)
        if table.display and self.focused is None:
            table.focus()
        elif not table.display and table.has_focus:  # keys must not go to a table out of sight
            self.set_focus(None)
        self.query_one("#no-alternatives", Static).update(
            "" if self._alternatives else text("sync.no_alternatives")
        )
        self.refresh_bindings()

    def _what(self, alternative: Alternative, names: dict[str, str]) -> str:
        """Whose record, what kind, which field: "Sam's check-in, its note"."""
        content = self.kintsugi.content
        whose = names.get(alternative.author, "")
        kinds: dict[str, str] = content.value("sync.kinds")
        kind = kinds.get(alternative.kind, alternative.kind.replace("_", " "))
        field, _, partner = alternative.field.partition(".")  # a map's field: one per partner
        field = field.replace("_", " ")
        if partner in names:
            return content.text("sync.what_theirs", whose=whose, kind=kind, name=names[partner], field=field)
        return content.text("sync.what", whose=whose, kind=kind, field=field)

    def _show_copies(self) -> None:
        text = self.kintsugi.content.text
        folder = self.kintsugi.store.places.merged
        copies = (
            sorted(folder.glob("*"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
        )
        shown = Text()
        if not copies:
            shown.append(text("sync.no_copies"), "italic")
        for copy in copies[:8]:
            when = self._when(dt.datetime.fromtimestamp(copy.stat().st_mtime))
            shown.append_text(safe_text(copy.name, one_line=True))
            shown.append(f"  {when}\n", "dim")
        self.query_one("#merged-copies", Static).update(shown)

    def _show_left_alone(self) -> None:
        """Copies a sync left that cannot be merged: each with why, and what to do about it."""
        text = self.kintsugi.content.text
        left = copies_left_alone(self.kintsugi.store)
        shown = Text()
        for outcome in left:
            if shown:
                shown.append("\n\n")
            shown.append_text(safe_text(outcome.path.name, "bold", one_line=True))
            shown.append("\n")
            shown.append_text(safe_text(left_copy_words(self.kintsugi.content, outcome)))
            shown.append("\n")
            folder = safe_str(outcome.path.parent)
            shown.append(text(f"sync.left_{outcome.left_because}", folder=folder), "italic")
        self.query_one("#left-copies", Static).update(shown)
        for part in self.query(".left-copies"):
            part.display = bool(left)

    # -- the couple's actions ---------------------------------------------------------

    def _chosen(self) -> Alternative | None:
        table = self.query_one("#alternatives", DataTable)
        if not self._alternatives or table.cursor_row >= len(self._alternatives):
            return None
        return self._alternatives[table.cursor_row]

    def _chosen_machine(self) -> Machine | None:
        highlighted = self.query_one("#waiting-machines", OptionList).highlighted
        if highlighted is None or highlighted >= len(self._waiting):
            return None
        return self._waiting[highlighted]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"restore", "keep"}:
            return self._chosen() is not None
        if action == "let_in":
            return self._chosen_machine() is not None
        if action == "seal":
            return not self._sealed
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
