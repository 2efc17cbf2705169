"""The couple's agreements: lists on the left, the chosen list's agreements on the right.

An agreement's status is derived from the record (``Agreement.status``), never
stored. Signing is done by the partner writing now (``app.acting``); the bar
at the top says who that is. Each signature says how it stands, seen from this
machine (``app.domain.machines.Standing``): only one made at the signer's own
machine reads "Sam signed this wording"; one given together at the other's
keyboard can be confirmed with ``s`` from the signer's own machine. Every change
is one store call made here, then a ``Saved`` message so every screen re-reads.

A long list shows a page of its agreements at a time (``PAGE``), the one chosen always among
them: a last row shows the next page once the highlight reaches it (a key or a click), and a
first row the page before, when the page shown is not the list's first. Laying out every row of
a list of a thousand was most of the screen's first opening (bench/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content as Words
from textual.screen import Screen
from textual.widgets import Button, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from app.domain.machines import SignatureView, Standing
from app.domain.models import Agreement, AgreementList, AgreementStatus, Partner
from app.store.agreements import DEFAULT_LIST
from app.store.storage import StoreError
from app.tui.base import FollowsTheStore
from app.tui.messages import Saved
from app.tui.screens import STYLES
from app.tui.screens.agreement_dialogs import (
    AgreementDraft,
    AgreementForm,
    ConfirmAgreement,
    ListNameForm,
    RevisitForm,
)
from app.tui.textual_patches import KeepsItsStyles, QuietFocus, SizedAtOnce
from app.tui.widgets.agreement_status import MARKS, agreement_status_class, agreement_status_words
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_markup, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words

FILTERS = ("all", "awaiting", "agreed", "to_revisit", "retired")
FILTERED_STATUS = {
    "agreed": AgreementStatus.AGREED,
    "to_revisit": AgreementStatus.TO_REVISIT,
    "retired": AgreementStatus.RETIRED,
}
"""The filters that show agreements of one status, and that status."""
PAGE = 50
"""Agreements a list shows at first, and how many more each "show more" row brings."""
MORE, EARLIER = "show-more", "show-earlier"
"""The ids of the rows that show the next page and the page before (an agreement's is a UUID)."""
CONFIRMABLE = {Standing.TOGETHER, Standing.BEFORE_CHECKS, Standing.NOT_VERIFIED}
"""Signatures the signer can give again at their own machine, so they become its own."""
Command = tuple[str, Callable[[], object], str]


class ListPicker(OptionList):
    """The agreement lists; its keys act on the highlighted list (the screen does the work)."""

    BINDINGS = [
        Binding("n", "screen.new_list", id="new_list"),
        Binding("r", "screen.rename_list", id="rename_list"),
        Binding("left_square_bracket", "screen.move_list(-1)", id="list_up", key_display="["),
        Binding("right_square_bracket", "screen.move_list(1)", id="list_down", key_display="]"),
        Binding("shift+up", "screen.move_list(-1)", show=False),
        Binding("shift+down", "screen.move_list(1)", show=False),
        Binding("x", "screen.archive_list", id="archive_list"),
        Binding("x", "screen.unarchive_list", id="unarchive_list"),
        Binding("h", "screen.show_archived", id="show_archived"),
        Binding("h", "screen.hide_archived", id="hide_archived"),
    ]


class AgreementPicker(OptionList):
    """The chosen list's agreements, two lines each: the wording, then its status and signatures."""

    COMPONENT_CLASSES = {
        "agreement-picker--fact",
        *(f"agreement-picker--{agreement_status_class(status)}" for status in AgreementStatus),
    }

    def status_style(self, status: AgreementStatus) -> Style:
        name = f"agreement-picker--{agreement_status_class(status)}"
        return self.get_component_rich_style(name, partial=True)

    def fact_style(self) -> Style:
        return self.get_component_rich_style("agreement-picker--fact", partial=True)


class AgreementsScreen(QuietFocus, SizedAtOnce, KeepsItsStyles, FollowsTheStore, Screen[None]):
    CSS_PATH = STYLES / "agreements.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#agreement-list"
    BINDINGS = [
        Binding("n", "propose", id="propose"),
        Binding("e", "edit", id="edit_agreement"),
        Binding("s", "sign", id="sign_agreement"),
        Binding("u", "unsign", id="unsign_agreement"),
        Binding("r", "revisit", id="revisit"),
        Binding("t", "retire", id="retire"),
        Binding("t", "unretire", id="unretire"),
        Binding("x", "delete", id="delete_agreement"),
        Binding("delete", "delete", show=False),
        Binding("slash", "search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.list_id: str | None = None
        self.agreement_id: str | None = None
        self.filter = "all"
        self.search = ""
        self.window = (0, PAGE)
        """Which of the chosen list's matching agreements are shown: from, up to (not included)."""
        self.show_archived = False
        self.lists: list[AgreementList] = []
        self.every: list[Agreement] = []
        self.partners: list[Partner] = []
        self.writer: Partner | None = None
        self.other: Partner | None = None
        self.confirmable = False
        """The shown agreement's signature by the writer can be confirmed from this machine (``s``)."""

    def text(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(key, **fmt)

    def compose(self) -> ComposeResult:
        self._read()  # first, so the keys the footer is composed with are the ones that apply
        yield Header()
        yield Static(id="signing-as")
        with Horizontal(id="agreements-body"):
            with Vertical(id="lists-pane"):
                yield Static(Text(self.text("agreements.lists")), classes="pane-title")
                lists = ListPicker(id="lists")
                describe_keys(lists, self.kintsugi.content)
                yield lists
                yield Static(Text(self.text("agreements.no_lists")), id="lists-empty", classes="empty")
                yield Static(id="awaiting-summary")
            with Vertical(id="agreements-pane"):
                with Horizontal(id="filters"):
                    yield Select(
                        [(self.text(f"agreements.filters.{name}"), name) for name in FILTERS],
                        value="all",
                        allow_blank=False,
                        compact=True,
                        id="filter",
                    )
                    yield Input(
                        placeholder=self.text("agreements.search_placeholder"), compact=True, id="search"
                    )
                yield AgreementPicker(id="agreement-list")
                yield Static(id="agreements-empty", classes="empty")
                with ScrollArea(id="agreement-detail"):
                    yield Static(id="detail-status")
                    yield Static(id="detail-text")
                    yield Static(id="detail-facts")
                    yield Button("", id="sign-button", variant="primary", compact=True)
                    yield Static(Text(self.text("agreements.history_heading")), classes="pane-title")
                    yield Static(id="detail-history")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self.reread)
        self.watch(self.app, "acting", self.reread, init=False)
        self._show_read()

    # -- reading -------------------------------------------------------------------------

    def reread(self) -> None:
        """Show what the store holds now."""
        if self._read():
            self._show_read()

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
        visible = self.visible_lists
        if self.list_id not in {lst.id for lst in visible}:
            self.list_id = visible[0].id if visible else None
        shown = [a.id for a in self.shown_agreements()]
        if shown:
            self._window_around(shown)
            chosen = self.current
            if chosen is not None:
                self._standings(chosen)  # whether s confirms the writer's signature from here
        return True

    def _show_read(self) -> None:
        if self.writer is not None:
            self._show_bar()
            self._show_lists()
            self._show_agreements()

    @property
    def partner_ids(self) -> list[str]:
        return [partner.id for partner in self.partners]

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

    def awaits_me(self, agreement: Agreement) -> bool:
        return self.writer is not None and not agreement.retired and not agreement.signed_by(self.writer.id)

    def _in_force(self) -> list[Agreement]:
        """Agreements not retired, on lists not archived."""
        open_lists = {lst.id for lst in self.lists if not lst.archived}
        return [a for a in self.every if not a.retired and a.list_id in open_lists]

    def matches(self, agreement: Agreement, partner_ids: list[str] | None = None) -> bool:
        """True if the agreement passes the status filter and the search (its status is worked
        out only for a filter that asks for it: a list of a thousand is filtered on every read)."""
        if self.filter == "awaiting":
            wanted = self.awaits_me(agreement)
        elif self.filter != "all":
            status = agreement.status(self.partner_ids if partner_ids is None else partner_ids)
            wanted = status is FILTERED_STATUS[self.filter]
        else:
            wanted = True
        words = self.search.strip().casefold()
        return wanted and (not words or words in f"{agreement.text}\n{agreement.why}".casefold())

    def shown_agreements(self) -> list[Agreement]:
        on_list = [a for a in self.every if a.list_id == self.list_id]
        on_list.sort(key=lambda a: a.retired)  # in the order proposed, retired ones last
        partner_ids = self.partner_ids
        return [a for a in on_list if self.matches(a, partner_ids)]

    # -- showing -------------------------------------------------------------------------

    def _show_bar(self) -> None:
        if self.writer is None or self.other is None:
            return
        who = Text(self.text("agreements.signing_as", name=safe_str(self.writer.name)), "bold")
        who.append("  ·  ", "dim")
        who.append(self.text("agreements.hand_over", name=safe_str(self.other.name)), "italic")
        self.query_one("#signing-as", Static).update(who)
        in_force = self._in_force()
        awaiting = sum(1 for a in in_force if self.awaits_me(a))
        due = sum(1 for a in in_force if a.due_for_review(self.kintsugi.today()))
        summary = Text(
            f"✎ {self.text('agreements.awaiting_me', count=awaiting)}"
            if awaiting
            else self.text("agreements.nothing_awaits")
        )
        if due:
            summary.append(f"\n◷ {self.text('agreements.due_count', count=due)}", "bold")
        self.query_one("#awaiting-summary", Static).update(summary)

    def _show_lists(self) -> None:
        visible = self.visible_lists
        if self.list_id not in {lst.id for lst in visible}:
            self.list_id = visible[0].id if visible else None
        picker = self.query_one("#lists", ListPicker)
        picker.display = bool(visible)
        self.query_one("#lists-empty").display = not visible
        picker.set_options(Option(self._list_prompt(lst), id=lst.id) for lst in visible)
        picker.highlighted = picker.get_option_index(self.list_id) if self.list_id else None

    def _list_prompt(self, agreement_list: AgreementList) -> Text:
        prompt = safe_text(agreement_list.name, one_line=True)
        waiting = sum(1 for a in self.every if a.list_id == agreement_list.id and self.awaits_me(a))
        if waiting:
            prompt.append(f"  {self.text('agreements.awaiting_tag', count=waiting)}", "dim")
        if agreement_list.archived:
            prompt.append(f"  ({self.text('agreements.archived_tag')})", "dim italic")
        return prompt

    def _show_agreements(self) -> None:
        shown = self.shown_agreements()
        picker = self.query_one("#agreement-list", AgreementPicker)
        empty = self.query_one("#agreements-empty", Static)
        picker.display, empty.display = bool(shown), not shown
        if not shown:
            self.agreement_id = None
            on_list = any(a.list_id == self.list_id for a in self.every)
            empty.update(
                Text(self.text("agreements.nothing_matches" if on_list else "agreements.empty_list"))
            )
            picker.clear_options()
        else:
            if self.focused is None:
                picker.focus()
            start, end = self._window_around([a.id for a in shown])
            rows: list[Option | None] = []
            if start:
                rows += [Option(self._more_prompt("earlier", start), id=EARLIER), None]
            for agreement in shown[start:end]:
                rows += [Option(self._row(agreement, picker), id=agreement.id), None]
            if end < len(shown):
                rows.append(Option(self._more_prompt("more", len(shown) - end), id=MORE))
            picker.set_options(rows[:-1] if rows[-1] is None else rows)
            picker.highlighted = picker.get_option_index(self.agreement_id) if self.agreement_id else None
        self._show_detail()

    def _window_around(self, ids: list[str]) -> tuple[int, int]:
        """The agreements to show of those matching (``ids``): the window as it was, with the
        chosen one in it (the first shown is chosen if it is not among them)."""
        start, end = self.window
        start, end = min(start, max(len(ids) - PAGE, 0)), min(end, len(ids))
        end = max(end, min(start + PAGE, len(ids)))
        if self.agreement_id not in ids:
            self.agreement_id = ids[start]
        chosen = ids.index(self.agreement_id)
        if chosen < start:  # the window reaches up to it, or, far above, moves to the page it opens
            start, end = chosen, (end if start - chosen <= PAGE else min(chosen + PAGE, len(ids)))
        elif chosen >= end:  # down to it (a new proposal is the list's last), or to the page it closes
            start, end = (start if chosen - end < PAGE else max(chosen + 1 - PAGE, 0)), chosen + 1
        self.window = (start, end)
        return start, end

    def _more_prompt(self, which: str, left: int) -> Text:
        count = min(PAGE, left)
        return Text(self.text(f"agreements.show_{which}", count=count, left=left), "italic")

    def _show_more(self, which: str) -> None:
        """Show the next page (``MORE``) or the page before (``EARLIER``), the first agreement
        it brings chosen: moving on from the last agreement shown moves on to the next."""
        ids = [a.id for a in self.shown_agreements()]
        if not ids:
            return
        start, end = self.window
        if which == MORE:
            chosen, self.window = min(end, len(ids) - 1), (start, end + PAGE)
        else:
            chosen, self.window = max(start - 1, 0), (max(start - PAGE, 0), end)
        self.agreement_id = ids[chosen]
        self._show_agreements()

    def _names(self, partner_ids: list[str]) -> str:
        names = [safe_str(p.name) for p in self.partners if p.id in partner_ids]
        return f" {self.text('agreements.and')} ".join(names)

    def _status_words(self, agreement: Agreement, status: AgreementStatus) -> str:
        if status is AgreementStatus.CHANGED:
            stale = [p for p in self.partner_ids if agreement.changed_since_signed_by(p)]
            return f"{MARKS[status]} {self.text('agreements.changed_since', names=self._names(stale))}"
        return agreement_status_words(self.kintsugi.content, status)

    def _facts(self, agreement: Agreement, status: AgreementStatus) -> list[str]:
        """What a row says after the status: signatures, wording changes, the review date."""
        facts = []
        signed = [p for p in self.partner_ids if agreement.signed_by(p)]
        stale = [p for p in self.partner_ids if agreement.changed_since_signed_by(p)]
        if status is not AgreementStatus.AGREED:
            if len(signed) == len(self.partner_ids) and signed:
                facts.append(self.text("agreements.signed_by_both"))
            elif signed:
                facts.append(self.text("agreements.signed_by_one", name=self._names(signed)))
            elif not stale:
                facts.append(self.text("agreements.no_signatures"))
        if stale and status is not AgreementStatus.CHANGED:
            facts.append(self.text("agreements.changed_since", names=self._names(stale)))
        if agreement.review_on is not None:
            facts.append(self.text("agreements.review_on", date=self._day(agreement.review_on)))
            if agreement.due_for_review(self.kintsugi.today()):
                facts.append(self.text("agreements.due"))
        return facts

    def _row(self, agreement: Agreement, picker: AgreementPicker) -> Text:
        status = agreement.status(self.partner_ids)
        row = Text()
        row.append_text(safe_text(agreement.text[:300], "bold", one_line=True))
        row.append("\n  ")
        row.append(self._status_words(agreement, status), picker.status_style(status))
        for fact in self._facts(agreement, status):
            row.append("  ·  ", "dim")
            row.append(fact, picker.fact_style())
        return row

    def _show_detail(self) -> None:
        agreement = self.current
        detail = self.query_one("#agreement-detail", ScrollArea)
        detail.display = agreement is not None
        self.confirmable = False
        self.refresh_bindings()
        if agreement is None or self.writer is None:
            return
        status = agreement.status(self.partner_ids)
        standings = self._standings(agreement)
        if standings is None:
            return
        views, here = standings
        self.refresh_bindings()
        shown_status = self.query_one("#detail-status", Static)
        shown_status.update(Text(self._status_words(agreement, status)))
        shown_status.set_classes(agreement_status_class(status))
        self.query_one("#detail-text", Static).update(safe_text(agreement.text, "bold"))
        self.query_one("#detail-facts", Static).update(self._detail_facts(agreement, views, here))
        self._show_sign_button(agreement)
        self.query_one("#detail-history", Static).update(self._history(agreement))

    def _standings(self, agreement: Agreement) -> tuple[dict[str, SignatureView], str | None] | None:
        """How each partner's signature of it stands from this machine, and whose machine this is;
        whether the writer's can be confirmed here is kept in ``confirmable``. None if the store
        could not be read (told)."""
        assert self.writer is not None
        with self.reporting() as attempt:
            store = self.kintsugi.store
            views = {p.id: store.signature_view(agreement, p.id) for p in self.partners}
            here = store.trusted().get(store.keyring.machine_id)  # whose machine this is
        if attempt.failed:
            return None
        writers = views.get(self.writer.id)
        self.confirmable = (
            not agreement.retired
            and writers is not None
            and writers.standing in CONFIRMABLE
            and here == self.writer.id
        )
        return views, here

    def _detail_facts(self, agreement: Agreement, views: dict[str, SignatureView], here: str | None) -> Text:
        lines = Text()

        def line(mark: str, words: Text) -> None:
            if lines:
                lines.append("\n")
            lines.append(f"{mark} ", "bold")
            lines.append_text(words)

        if agreement.why.strip():
            why = Text(self.text("agreements.why"), "italic")
            line(" ", why + safe_text(agreement.why))
        if agreement.revisit.strip():
            note = Text(self.text("agreements.revisit_note"), "bold")
            line(MARKS[AgreementStatus.TO_REVISIT], note + safe_text(agreement.revisit))
        for partner in self.partners:
            name = safe_str(partner.name)
            if agreement.signed_by(partner.id):
                mark, words, hint = self._signature_words(partner, views[partner.id], here)
                line(mark, words)
                if hint is not None:
                    line(" ", hint)
            elif agreement.changed_since_signed_by(partner.id):
                line("≠", Text(self.text("agreements.signed_earlier", name=name)))
            else:
                line("○", Text(self.text("agreements.not_signed", name=name), "italic"))
        if agreement.review_on is not None:
            review = Text(self.text("agreements.review_line", date=self._day(agreement.review_on)))
            if agreement.due_for_review(self.kintsugi.today()):
                review.append("  ·  ", "dim")
                review.append(self.text("agreements.due"), "bold")
            line("◷", review)
        author = next((p.name for p in self.partners if p.id == agreement.author), "")
        if author:
            when = self._day(agreement.made_on)
            line(" ", Text(self.text("agreements.proposed_by", name=safe_str(author), date=when), "dim"))
        return lines

    def _signature_words(
        self, signer: Partner, view: SignatureView, here: str | None
    ) -> tuple[str, Text, Text | None]:
        """How a signature stands, and, when it is not the signer's own machine's, how to confirm it."""
        names = {p.id: safe_str(p.name) for p in self.partners}
        name = names[signer.id]
        if view.standing is Standing.OWN_MACHINE:
            return "✓", Text(self.text("agreements.signed_this", name=name)), None
        if view.standing is Standing.NOT_VERIFIED:
            words = Text(self.text("agreements.signed_not_verified", name=name))
        elif view.standing is Standing.TOGETHER:
            at = self.kintsugi.store.trusted().get(view.machine, "")
            words = Text(self.text("agreements.signed_together", name=name, owner=names.get(at, "?")))
        else:
            words = Text(self.text("agreements.signed_before_checks", name=name))
        hint = "confirm_later"
        if here == signer.id:  # this is the signer's own machine
            writing = self.writer is not None and self.writer.id == signer.id
            hint = "confirm_here" if writing else "confirm_hand_over"
        mark = "?" if view.standing is Standing.NOT_VERIFIED else "✓"
        return mark, words, Text(self.text(f"agreements.{hint}", name=name), "italic")

    def _day(self, day: dt.date | None) -> str:
        """ "3 May", or "3 May 2027" when it is not this year (the app's today)."""
        return "?" if day is None else day_words(self.kintsugi.content, day, "day", self.kintsugi.today())

    def _show_sign_button(self, agreement: Agreement) -> None:
        button = self.query_one("#sign-button", Button)
        assert self.writer is not None
        name = safe_str(self.writer.name)
        if not agreement.retired and not agreement.signed_by(self.writer.id):
            button.label = Words(self.text("agreements.sign_button", name=name))
            button.variant = "primary"
            button.display = True
        elif self.confirmable:
            button.label = Words(self.text("agreements.confirm_button", name=name))
            button.variant = "primary"
            button.display = True
        elif self.writer.id in agreement.signatures:
            button.label = Words(self.text("agreements.unsign_button", name=name))
            button.variant = "default"
            button.display = True
        else:
            button.display = False

    def _history(self, agreement: Agreement) -> Text:
        with self.reporting() as attempt:
            earlier = self.kintsugi.store.agreement_history(agreement.id)
        if attempt.failed:
            earlier = []
        if not earlier:
            return Text(self.text("agreements.history_none"), "italic dim")
        lines = Text()
        for day, wording in reversed(earlier):  # newest first
            if lines:
                lines.append("\n")
            lines.append(f"{self.text('agreements.history_since', date=self._day(day))}  ", "dim")
            lines.append_text(safe_text(wording))
        return lines

    # -- choosing ------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#lists")
    def _list_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id != self.list_id:
            self.list_id = event.option_id
            self.agreement_id = None
            self.window = (0, PAGE)
            self._show_agreements()

    @on(OptionList.OptionSelected, "#lists")
    def _into_list(self) -> None:
        self.query_one("#agreement-list").focus()

    @on(OptionList.OptionHighlighted, "#agreement-list")
    def _agreement_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id in {MORE, EARLIER}:
            self._show_more(event.option_id)
        elif event.option_id and event.option_id != self.agreement_id:
            self.agreement_id = event.option_id
            self._show_detail()

    @on(Select.Changed, "#filter")
    def _filter_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.filter:
            self.filter = event.value
            self.window = (0, PAGE)
            self._show_agreements()

    @on(Input.Changed, "#search")
    def _searching(self, event: Input.Changed) -> None:
        self.search = event.value
        self.window = (0, PAGE)
        self._show_agreements()

    @on(Input.Submitted, "#search")
    def _searched(self) -> None:
        self.query_one("#agreement-list").focus()

    @on(Button.Pressed, "#sign-button")
    def _sign_pressed(self) -> None:
        if self.check_action("sign", ()):
            self.action_sign()
        elif self.check_action("unsign", ()):
            self.action_unsign()

    def show_filter(self, name: str) -> None:
        """Show only agreements passing this filter (the command palette uses this)."""
        self.query_one("#filter", Select).value = name

    # -- what can be done now ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        agreement, writer = self.current, self.writer
        chosen_list = self.current_list
        if not self.kintsugi.ready or writer is None:
            return False
        match action:
            case "edit" | "revisit" | "delete":
                return agreement is not None
            case "sign":
                if self.confirmable:  # signed together: confirmed from the signer's own machine
                    return True
                return agreement is not None and not agreement.retired and not agreement.signed_by(writer.id)
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
        """What the command palette offers here: the actions that can be done now."""
        if self.writer is None:
            return []
        text = self.text
        name = safe_markup(self.writer.name)
        c = "agreements.commands."
        sign = "confirm" if self.confirmable else "sign"
        offered: list[tuple[str, str, Callable[[], object], str]] = [
            ("propose", "agreements.new", self.action_propose, c + "propose_help"),
            ("edit", c + "edit", self.action_edit, c + "edit_help"),
            ("sign", c + sign, self.action_sign, c + sign + "_help"),
            ("unsign", c + "unsign", self.action_unsign, c + "unsign_help"),
            ("revisit", c + "revisit", self.action_revisit, c + "revisit_help"),
            ("retire", c + "retire", self.action_retire, c + "retire_help"),
            ("unretire", c + "unretire", self.action_unretire, c + "retire_help"),
            ("delete", c + "delete", self.action_delete, c + "delete_help"),
            ("search", c + "search", self.action_search, c + "search_help"),
            ("new_list", c + "new_list", self.action_new_list, c + "list_help"),
            ("rename_list", c + "rename_list", self.action_rename_list, c + "list_help"),
            ("move_list", c + "list_up", partial(self.action_move_list, -1), c + "list_help"),
            ("move_list", c + "list_down", partial(self.action_move_list, 1), c + "list_help"),
            ("archive_list", c + "archive_list", self.action_archive_list, c + "list_help"),
            ("unarchive_list", c + "unarchive_list", self.action_unarchive_list, c + "list_help"),
            ("show_archived", c + "show_archived", self.action_show_archived, c + "list_help"),
            ("hide_archived", c + "hide_archived", self.action_hide_archived, c + "list_help"),
        ]
        found = [
            (text(title, name=name), callback, text(help_key, name=name))
            for action, title, callback, help_key in offered
            if self.check_action(action, ())
        ]
        found += [
            (
                text("agreements.commands.filter", filter=text(f"agreements.filters.{choice}")),
                partial(self.show_filter, choice),
                text("agreements.commands.filter_help"),
            )
            for choice in FILTERS
            if choice != self.filter
        ]
        return found

    # -- acting on agreements ------------------------------------------------------------

    def _saved(self, message_key: str, **names: str) -> None:
        self.notify(self.text(message_key, **{k: safe_str(v) for k, v in names.items()}), markup=False)
        self.post_message(Saved())

    def action_propose(self, draft: AgreementDraft | None = None) -> None:
        if self.writer is None:
            return
        chosen = self.current_list
        intro = self.text(
            "agreements.proposing_as",
            name=safe_str(self.writer.name),
            list=safe_str(chosen.name if chosen else DEFAULT_LIST),
        )
        form = AgreementForm(self.text("agreements.new"), Text(intro), self.text("agreements.propose"), draft)
        self.app.push_screen(form, partial(self._proposed, self.writer.id, chosen.id if chosen else None))

    def _proposed(self, author: str, list_id: str | None, draft: AgreementDraft | None) -> None:
        if draft is None:
            return
        with self.reporting() as attempt:
            added = self.kintsugi.store.add_agreement(
                author, draft.text, why=draft.why, review_on=draft.review_on, list_id=list_id
            )
        if attempt.failed:
            self.action_propose(draft)
            return
        self.list_id, self.agreement_id = added.list_id, added.id
        if not self.matches(added):
            self.query_one("#search", Input).value = ""
            self.show_filter("all")
            self.filter, self.search = "all", ""
        self._saved("agreements.proposed")

    def action_edit(self, draft: AgreementDraft | None = None) -> None:
        agreement = self.current
        if agreement is None or self.writer is None:
            return
        if draft is None:
            review = agreement.review_on.isoformat() if agreement.review_on else ""
            draft = AgreementDraft(agreement.text, agreement.why, review)
        intro = Text(self.text("agreements.editing_as", name=safe_str(self.writer.name)))
        form = AgreementForm(self.text("agreements.edit_heading"), intro, self.text("common.save"), draft)
        self.app.push_screen(form, partial(self._edited, agreement.id, self.writer.id))

    def _edited(self, agreement_id: str, editor: str, draft: AgreementDraft | None) -> None:
        if draft is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.edit_agreement(
                agreement_id, editor, text=draft.text, why=draft.why, review_on=draft.review_on
            )
        if attempt.failed:
            self.action_edit(draft)
            return
        self._saved("agreements.edited")

    def action_sign(self) -> None:
        agreement, writer, other = self.current, self.writer, self.other
        if agreement is None or writer is None or other is None:
            return
        confirming = agreement.signed_by(writer.id)
        if confirming and not self.confirmable:
            self.notify(self.text("agreements.already_signed", name=safe_str(writer.name)), markup=False)
            return
        with self.reporting() as attempt:
            try:
                signed = self.kintsugi.store.sign(agreement.id, writer.id, wording=agreement.text)
            except StoreError as error:
                if error.reason != "wording_changed":
                    raise
                # The partner's change arrived since this was shown: show the new words, sign nothing.
                self.notify(self.text("agreements.wording_changed"), severity="warning", markup=False)
                self.kintsugi.revision += 1
                return
        if attempt.failed:
            return
        if confirming:
            done = "agreements.confirmed"
        else:
            done = "agreements.both_signed" if signed.signed_by(other.id) else "agreements.signed"
        self._saved(done, name=writer.name, other=other.name)

    def action_unsign(self) -> None:
        agreement, writer = self.current, self.writer
        if agreement is None or writer is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.unsign(agreement.id, writer.id)
        if attempt.failed:
            return
        self._saved("agreements.unsigned", name=writer.name)

    def action_revisit(self) -> None:
        agreement = self.current
        if agreement is None or self.writer is None:
            return
        intro = Text(self.text("agreements.revisit_intro"))
        intro.append("\n\n")
        intro.append_text(safe_text(agreement.text, "bold"))
        self.app.push_screen(
            RevisitForm(intro, agreement.revisit), partial(self._revisited, agreement.id, self.writer.id)
        )

    def _revisited(self, agreement_id: str, editor: str, note: str | None) -> None:
        if note is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.set_revisit(agreement_id, note, editor)
        if attempt.failed:
            return
        self._saved("agreements.revisit_set" if note.strip() else "agreements.revisit_cleared")

    def signed_by_both(self, agreement: Agreement) -> bool:
        """True if both partners signed its wording as it stands: it is not one partner's to undo alone."""
        partners = self.partner_ids
        return len(partners) == 2 and all(agreement.signed_by(p) for p in partners)

    def _set_retired(self, agreement_id: str, editor: str, retired: bool) -> None:
        with self.reporting() as attempt:
            self.kintsugi.store.retire(agreement_id, editor, retired)
        if attempt.failed:
            return
        self._saved("agreements.retired_done" if retired else "agreements.unretired")

    def action_retire(self) -> None:
        """Retire it; one you both signed asks first, and tells the partner who retired it."""
        agreement, writer, other = self.current, self.writer, self.other
        if agreement is None or writer is None or other is None:
            return
        if not self.signed_by_both(agreement):
            self._set_retired(agreement.id, writer.id, True)
            return
        ask = ConfirmAgreement(
            self.text("agreements.retire_heading"),
            agreement.text,
            self.text("agreements.retire_signed_intro", name=other.name),
            self.text("agreements.retire_confirm"),
            variant="warning",
        )
        self.app.push_screen(ask, partial(self._retire_answered, agreement.id, writer.id))

    def _retire_answered(self, agreement_id: str, editor: str, confirmed: bool | None) -> None:
        if confirmed:
            self._set_retired(agreement_id, editor, True)

    def action_unretire(self) -> None:
        agreement, writer = self.current, self.writer
        if agreement is not None and writer is not None:
            self._set_retired(agreement.id, writer.id, False)

    def action_delete(self) -> None:
        agreement, other = self.current, self.other
        if agreement is None or self.writer is None or other is None:
            return
        intro = "delete_signed_intro" if self.signed_by_both(agreement) else "delete_intro"
        ask = ConfirmAgreement(
            self.text("agreements.delete_heading"),
            agreement.text,
            self.text(f"agreements.{intro}", name=other.name),
            self.text("agreements.delete_confirm"),
        )
        self.app.push_screen(ask, partial(self._deleted, agreement.id, self.writer.id))

    def _deleted(self, agreement_id: str, editor: str, confirmed: bool | None) -> None:
        if not confirmed:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.delete_agreement(agreement_id, editor)
        if attempt.failed:
            return
        self.agreement_id = None
        self._saved("agreements.deleted")

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    # -- acting on lists -----------------------------------------------------------------

    def action_new_list(self, name: str = "") -> None:
        if self.writer is None:
            return
        form = ListNameForm(self.text("agreements.new_list_heading"), name)
        self.app.push_screen(form, partial(self._list_created, self.writer.id))

    def _list_created(self, author: str, name: str | None) -> None:
        if name is None:
            return
        existing = next((lst for lst in self.lists if lst.name.casefold() == name.casefold()), None)
        if existing is not None:
            self.notify(self.text("agreements.list_exists", name=safe_str(existing.name)), markup=False)
            self.show_archived = self.show_archived or existing.archived
            self.list_id = existing.id
            self.reread()
            return
        with self.reporting() as attempt:
            created = self.kintsugi.store.agreement_list_named(name, author)
        if attempt.failed:
            self.action_new_list(name)
            return
        self.list_id, self.agreement_id = created.id, None
        self.post_message(Saved())

    def action_rename_list(self, name: str | None = None) -> None:
        chosen = self.current_list
        if chosen is None or self.writer is None:
            return
        heading = self.text("agreements.rename_list_heading")
        form = ListNameForm(heading, chosen.name if name is None else name)
        self.app.push_screen(form, partial(self._list_renamed, chosen.id, self.writer.id))

    def _list_renamed(self, list_id: str, editor: str, name: str | None) -> None:
        if name is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.rename_list(list_id, name, editor)
        if attempt.failed:
            self.action_rename_list(name)
            return
        self.post_message(Saved())

    def action_move_list(self, offset: int) -> None:
        """Move the chosen list past its visible neighbour (archived lists out of sight are skipped)."""
        chosen, writer = self.current_list, self.writer
        visible = self.visible_lists
        if chosen is None or writer is None or chosen not in visible:
            return
        neighbour = visible.index(chosen) + offset
        if not 0 <= neighbour < len(visible):
            return
        every = [lst.id for lst in self.lists]
        steps = every.index(visible[neighbour].id) - every.index(chosen.id)
        with self.reporting() as attempt:
            self.kintsugi.store.move_list(chosen.id, steps, writer.id)
        if attempt.failed:
            return
        self.post_message(Saved())

    def _set_archived(self, archived: bool) -> None:
        chosen, writer = self.current_list, self.writer
        if chosen is None or writer is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.archive_list(chosen.id, writer.id, archived)
        if attempt.failed:
            return
        if archived and not self.show_archived:  # it goes out of sight: choose its neighbour
            visible = self.visible_lists
            index = visible.index(chosen)
            rest = visible[:index] + visible[index + 1 :]
            self.list_id = rest[min(index, len(rest) - 1)].id if rest else None
        done = "agreements.list_archived" if archived else "agreements.list_unarchived"
        self._saved(done, name=chosen.name)

    def action_archive_list(self) -> None:
        self._set_archived(True)

    def action_unarchive_list(self) -> None:
        self._set_archived(False)

    def _toggle_archived(self, shown: bool) -> None:
        self.show_archived = shown
        self._show_lists()
        self._show_agreements()

    def action_show_archived(self) -> None:
        self._toggle_archived(True)

    def action_hide_archived(self) -> None:
        self._toggle_archived(False)
