"""The couple's agreements: lists on the left, the chosen list's agreements on the right, the one
chosen in full below them.

An agreement's status is derived from the record (``Agreement.status``), never stored. Signing is
done by the partner writing now (``app.acting``); the bar at the top says who that is. A signature
given together at the other's keyboard can be confirmed with ``s`` from the signer's own machine.

The screen reads the store, keeps what is chosen (the list, the agreement, the filter, the page)
and sets each pane's ``shown``: the lists (``ListsPane``), the ledger (``LedgerPane``) and the
agreement in full (``AgreementDetail``), in app/tui/widgets/agreement_*.py. What can be done here is
declared once (``ACTIONS``, and the lists' ``LIST_ACTIONS``): its key, footer entry and palette
entry; ``check_action`` says when, and ``AgreementActions`` (agreement_actions.py) does it.
Every change is one store call, then a ``Saved`` message so every screen re-reads.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from app.domain.machines import Standing
from app.domain.models import Agreement, AgreementList, Partner
from app.tui.base import FollowsTheStore
from app.tui.screens import STYLES
from app.tui.screens.agreement_actions import AgreementActions
from app.tui.textual_patches import KeepsItsStyles, QuietFocus, SizedAtOnce
from app.tui.widgets.agreement_detail import AgreementDetail, DetailShown
from app.tui.widgets.agreement_ledger import (
    EARLIER,
    FILTERS,
    MORE,
    Filter,
    LedgerPane,
    LedgerShown,
    awaits,
    first_page,
    turn_page,
    window_around,
)
from app.tui.widgets.agreement_lists import LIST_ACTIONS, ListsPane, ListsShown
from app.tui.widgets.agreement_status import AgreementWords
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import Action, Command, bindings, commands, describe_keys
from app.tui.widgets.safe import safe_markup, safe_str

C = "agreements.commands."
ACTIONS = (
    Action("propose", "n", "agreements.new", C + "propose_help", words="propose"),
    Action("edit", "e", C + "edit", C + "edit_help", words="edit_agreement"),
    Action("sign", "s", C + "sign", C + "sign_help", words="sign_agreement"),
    Action("confirm", "s", C + "confirm", C + "confirm_help", words="sign_agreement"),
    Action("unsign", "u", C + "unsign", C + "unsign_help", words="unsign_agreement"),
    Action("revisit", "r", C + "revisit", C + "revisit_help", words="revisit"),
    Action("retire", "t", C + "retire", C + "retire_help", words="retire"),
    Action("unretire", "t", C + "unretire", C + "retire_help", words="unretire"),
    Action("delete", "x", C + "delete", C + "delete_help", words="delete_agreement", more_keys=("delete",)),
    Action("search", "slash", C + "search", C + "search_help"),
)
"""What can be done on this screen whatever has the focus (the lists' own: ``LIST_ACTIONS``)."""
CONFIRMABLE = {Standing.TOGETHER, Standing.BEFORE_CHECKS, Standing.NOT_VERIFIED}
"""Signatures the signer can give again at their own machine, so they become its own."""


class AgreementsScreen(
    QuietFocus, SizedAtOnce, KeepsItsStyles, FollowsTheStore, AgreementActions, Screen[None]
):
    CSS_PATH = STYLES / "agreements.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#agreement-list"
    BINDINGS = bindings(ACTIONS)

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.list_id: str | None = None
        self.agreement_id: str | None = None
        self.filter = Filter()
        self.window = first_page()
        """Which of the chosen list's matching agreements are shown: from, up to (not included)."""
        self.show_archived = False
        self.lists: list[AgreementList] = []
        self.every: list[Agreement] = []
        self.partners: list[Partner] = []
        self.writer: Partner | None = None
        self.other: Partner | None = None
        self.matching: list[Agreement] = []
        """The chosen list's agreements that pass the filter, in the order shown."""
        self.detail: DetailShown | None = None
        """The chosen agreement as last read, with how its signatures stand from here."""

    def text(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(key, **fmt)

    def compose(self) -> ComposeResult:
        self._read()  # first, so the keys the footer is composed with are the ones that apply
        content = self.kintsugi.content
        yield Header()
        yield Static(id="signing-as")
        with Horizontal(id="agreements-body"):
            yield ListsPane(content, id="lists-pane")
            yield LedgerPane(content, id="agreements-pane")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self.reread)
        self.watch(self.app, "acting", self.reread, init=False)
        self._show()

    # -- reading -------------------------------------------------------------------------

    def reread(self) -> None:
        """Show what the store holds now."""
        if self._read():
            self._show()

    def _read(self) -> bool:
        """Read what the store holds now, and choose the list and the agreement shown; False if
        there is nothing to show yet (no writer), or the store could not be read (told)."""
        app = self.kintsugi
        if not app.ready:
            return False
        with self.reporting() as attempt:
            self.writer, self.other = app.writer_and_other()
            self.partners = app.store.partners
            self.lists = app.store.agreement_lists()
            self.every = app.store.agreements()
        if attempt.failed:
            return False
        self._choose()
        return True

    def _choose(self) -> None:
        """Choose the list (the first in sight if the one chosen is not), the agreements that
        match on it, the page of them shown with the chosen one in it, and read that one's detail."""
        visible = self.visible_lists
        if self.list_id not in {lst.id for lst in visible}:
            self.list_id = visible[0].id if visible else None
        on_list = [a for a in self.every if a.list_id == self.list_id]
        on_list.sort(key=lambda a: a.retired)  # in the order proposed, retired ones last
        partner_ids, writer_id = [p.id for p in self.partners], self.writer.id if self.writer else ""
        self.matching = [a for a in on_list if self.filter.passes(a, partner_ids, writer_id)]
        if self.matching:
            ids = [a.id for a in self.matching]
            self.window, self.agreement_id = window_around(ids, self.window, self.agreement_id)
        else:
            self.agreement_id = None
        self.detail = self._detail()

    def _detail(self) -> DetailShown | None:
        """The chosen agreement with how each signature of it stands from this machine and its
        earlier wordings; None if there is none, or the store could not be read (told)."""
        agreement, writer = self.current, self.writer
        if agreement is None or writer is None:
            return None
        with self.reporting() as attempt:
            store = self.kintsugi.store
            views = {p.id: store.signature_view(agreement, p.id) for p in self.partners}
            owners = store.trusted()
            here = owners.get(store.keyring.machine_id)  # whose machine this is
        if attempt.failed:
            return None
        with self.reporting() as attempt:
            history = self.kintsugi.store.agreement_history(agreement.id)
        writers = views.get(writer.id)
        confirmable = not agreement.retired and writers is not None and writers.standing in CONFIRMABLE
        return DetailShown(
            agreement,
            writer,
            self.words,
            views,
            here,
            owners,
            [] if attempt.failed else history,
            confirmable and here == writer.id,
        )

    @property
    def words(self) -> AgreementWords:
        return AgreementWords(self.kintsugi.content, tuple(self.partners), self.kintsugi.today())

    @property
    def visible_lists(self) -> list[AgreementList]:
        return [lst for lst in self.lists if self.show_archived or not lst.archived]

    @property
    def current_list(self) -> AgreementList | None:
        return next((lst for lst in self.lists if lst.id == self.list_id), None)

    @property
    def current(self) -> Agreement | None:
        """The highlighted agreement, as last read from the store."""
        return next((a for a in self.every if a.id == self.agreement_id), None)

    @property
    def confirmable(self) -> bool:
        """The shown agreement's signature by the writer can be confirmed from this machine (``s``)."""
        return self.detail is not None and self.detail.confirmable

    # -- showing -------------------------------------------------------------------------

    def show_again(self) -> None:
        """Show what was read again, chosen anew (the archived lists shown or hidden)."""
        self._choose()
        self._show()

    def _show(self) -> None:
        writer, other = self.writer, self.other
        if writer is None or other is None:
            return
        who = Text(self.text("agreements.signing_as", name=safe_str(writer.name)), "bold")
        who.append("  ·  ", "dim")
        who.append(self.text("agreements.hand_over", name=safe_str(other.name)), "italic")
        self.query_one("#signing-as", Static).update(who)
        open_lists = {lst.id for lst in self.lists if not lst.archived}
        in_force = [a for a in self.every if not a.retired and a.list_id in open_lists]
        waiting: dict[str, int] = {}
        for agreement in self.every:
            if awaits(agreement, writer.id):
                waiting[agreement.list_id] = waiting.get(agreement.list_id, 0) + 1
        today = self.kintsugi.today()
        self.query_one(ListsPane).shown = ListsShown(
            self.visible_lists,
            self.list_id,
            waiting,
            sum(1 for a in in_force if awaits(a, writer.id)),
            sum(1 for a in in_force if a.due_for_review(today)),
        )
        self._show_ledger()

    def _show_ledger(self) -> None:
        on_list = any(a.list_id == self.list_id for a in self.every)
        empty = "nothing_matches" if on_list else "empty_list"
        shown = LedgerShown(self.matching, self.window, self.agreement_id, empty, self.words)
        self.query_one(LedgerPane).shown = shown
        self._show_detail()

    def _show_detail(self) -> None:
        self.query_one(AgreementDetail).shown = self.detail
        self.refresh_bindings()

    # -- choosing ------------------------------------------------------------------------

    @on(ListsPane.Chosen)
    def _list_chosen(self, event: ListsPane.Chosen) -> None:
        if event.list_id == self.list_id:
            return
        self.list_id, self.agreement_id, self.window = event.list_id, None, first_page()
        self._choose()
        self._show_ledger()

    @on(ListsPane.Entered)
    def _into_list(self) -> None:
        self.query_one("#agreement-list").focus()

    @on(LedgerPane.Chosen)
    def _agreement_chosen(self, event: LedgerPane.Chosen) -> None:
        if event.row_id in {MORE, EARLIER}:
            ids = [a.id for a in self.matching]
            self.window, self.agreement_id = turn_page(ids, self.window, event.row_id)
            self._choose()
            self._show_ledger()
        elif event.row_id != self.agreement_id:
            self.agreement_id = event.row_id
            self.detail = self._detail()
            self._show_detail()

    @on(LedgerPane.Filtered)
    def _filtered(self, event: LedgerPane.Filtered) -> None:
        if event.filter != self.filter:
            self.filter, self.window = event.filter, first_page()
            self._choose()
            self._show_ledger()

    @on(Button.Pressed, "#sign-button")
    def _sign_pressed(self) -> None:
        if self.check_action("sign", ()) or self.check_action("confirm", ()):
            self.sign()
        elif self.check_action("unsign", ()):
            self.action_unsign()

    def show_filter(self, name: str) -> None:
        """Show only agreements passing this filter (the command palette uses this)."""
        self.query_one(LedgerPane).show_filter(name)

    def action_search(self) -> None:
        self.query_one(LedgerPane).search()

    # -- what can be done now ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        agreement, writer = self.current, self.writer
        chosen_list = self.current_list
        if not self.kintsugi.ready or writer is None:
            return False
        match action:
            case "edit" | "revisit" | "delete":
                return agreement is not None
            case "sign":  # unless it is signed together, and confirmed here from the signer's machine
                unsigned = agreement is not None and not agreement.signed_by(writer.id)
                return not self.confirmable and unsigned and not agreement.retired
            case "confirm":
                return self.confirmable
            case "unsign":
                return agreement is not None and writer.id in agreement.signatures
            case "retire":
                return agreement is not None and not agreement.retired
            case "unretire":
                return agreement is not None and agreement.retired
            case "rename_list" | "move_list":
                return chosen_list is not None
            case "archive_list":
                return chosen_list is not None and not chosen_list.archived
            case "unarchive_list":
                return chosen_list is not None and chosen_list.archived
            case "show_archived":
                return not self.show_archived
            case "hide_archived":
                return self.show_archived
        return True

    def commands(self) -> list[Command]:
        """What the command palette offers here: the actions that can be done now, and the filters."""
        if self.writer is None:
            return []
        text = self.text
        found = commands(self, (*ACTIONS, *LIST_ACTIONS), text, name=safe_markup(self.writer.name))
        found += [
            (
                text("agreements.commands.filter", filter=text(f"agreements.filters.{choice}")),
                lambda choice=choice: self.show_filter(choice),
                text("agreements.commands.filter_help"),
            )
            for choice in FILTERS
            if choice != self.filter.status
        ]
        return found
