"""The agreements screen's ledger: the chosen list's agreements that pass the filter and the
search, two lines each, a page at a time.

A long list shows a page of its agreements at a time (``PAGE``), the one chosen always among them:
a last row shows the next page once the highlight reaches it (a key or a click), and a first row
the page before, when the page shown is not the list's first. Laying out every row of a list of a
thousand would be most of the screen's first opening. The screen works out the page
(``window_around``, ``turn_page``) and sets ``shown``; the pane draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from app.domain.models import Agreement, AgreementStatus
from app.tui.widgets.agreement_detail import AgreementDetail
from app.tui.widgets.agreement_status import AgreementPane, AgreementWords, agreement_status_class
from app.tui.widgets.safe import safe_text

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

Window = tuple[int, int]
"""Which of the matching agreements are shown: from, up to (not included)."""


def awaits(agreement: Agreement, partner_id: str) -> bool:
    """True if it is in force and that partner has not signed its wording."""
    return not agreement.retired and not agreement.signed_by(partner_id)


@dataclass(frozen=True)
class Filter:
    """The status filter chosen and the words searched for."""

    status: str = "all"
    search: str = ""

    def passes(self, agreement: Agreement, partner_ids: list[str], writer_id: str) -> bool:
        """True if the agreement passes both (its status is worked out only for a filter that
        asks for it: a list of a thousand is filtered on every read)."""
        if self.status == "awaiting":
            wanted = awaits(agreement, writer_id)
        elif self.status != "all":
            wanted = agreement.status(partner_ids) is FILTERED_STATUS[self.status]
        else:
            wanted = True
        words = self.search.strip().casefold()
        return wanted and (not words or words in f"{agreement.text}\n{agreement.why}".casefold())


def first_page() -> Window:
    return 0, PAGE


def window_around(ids: list[str], window: Window, chosen: str | None) -> tuple[Window, str]:
    """The agreements to show of those matching (``ids``, not empty): the window as it was, with
    the chosen one in it (the first shown is chosen if it is not among them); and the one chosen."""
    start, end = window
    start, end = min(start, max(len(ids) - PAGE, 0)), min(end, len(ids))
    end = max(end, min(start + PAGE, len(ids)))
    if chosen not in ids:
        chosen = ids[start]
    at = ids.index(chosen)
    if at < start:  # the window reaches up to it, or, far above, moves to the page it opens
        start, end = at, (end if start - at <= PAGE else min(at + PAGE, len(ids)))
    elif at >= end:  # down to it (a new proposal is the list's last), or to the page it closes
        start, end = (start if at - end < PAGE else max(at + 1 - PAGE, 0)), at + 1
    return (start, end), chosen


def turn_page(ids: list[str], window: Window, which: str) -> tuple[Window, str]:
    """The next page (``MORE``) or the page before (``EARLIER``) added to the window, and the first
    agreement it brings, chosen: moving on from the last agreement shown moves on to the next."""
    start, end = window
    if which == MORE:
        return (start, end + PAGE), ids[min(end, len(ids) - 1)]
    return (max(start - PAGE, 0), end), ids[max(start - 1, 0)]


@dataclass(frozen=True)
class LedgerShown:
    """What the ledger shows: the agreements matching, the window of them in sight, the one chosen,
    and what to say when none match (``empty``, a key of ``[agreements]``)."""

    agreements: list[Agreement]
    window: Window
    chosen: str | None
    empty: str
    words: AgreementWords


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


class LedgerPane(AgreementPane, Vertical):
    """The filter and the search above the agreements that pass them, and the one chosen in full
    below (``AgreementDetail``, which the screen sets apart)."""

    shown: var[LedgerShown | None] = var(None, always_update=True)

    class Chosen(Message):
        """An agreement was highlighted (the one chosen already, too, when the pane is drawn), or
        a row that shows another page (``MORE``, ``EARLIER``)."""

        def __init__(self, row_id: str) -> None:
            super().__init__()
            self.row_id = row_id

    class Filtered(Message):
        """The filter or the search changed."""

        def __init__(self, chosen: Filter) -> None:
            super().__init__()
            self.filter = chosen

    def compose(self) -> ComposeResult:
        text = self.text
        with Horizontal(id="filters"):
            yield Select(
                [(text(f"filters.{name}"), name) for name in FILTERS],
                value="all",
                allow_blank=False,
                compact=True,
                id="filter",
            )
            yield Input(placeholder=text("search_placeholder"), compact=True, id="search")
        yield AgreementPicker(id="agreement-list")
        yield Static(id="agreements-empty", classes="empty")
        yield AgreementDetail(self.content, id="agreement-detail")

    def watch_shown(self, shown: LedgerShown | None) -> None:
        if shown is None:
            return
        picker = self.query_one(AgreementPicker)
        empty = self.query_one("#agreements-empty", Static)
        picker.display, empty.display = bool(shown.agreements), not shown.agreements
        if not shown.agreements:
            empty.update(Text(shown.words.text(shown.empty)))
            picker.clear_options()
            return
        if self.screen.focused is None:
            picker.focus()
        start, end = shown.window
        rows: list[Option | None] = []
        if start:
            rows += [Option(self._more("earlier", start), id=EARLIER), None]
        for agreement in shown.agreements[start:end]:
            rows += [Option(self._row(agreement, picker, shown.words), id=agreement.id), None]
        if end < len(shown.agreements):
            rows.append(Option(self._more("more", len(shown.agreements) - end), id=MORE))
        picker.set_options(rows[:-1] if rows[-1] is None else rows)
        picker.highlighted = picker.get_option_index(shown.chosen) if shown.chosen else None

    def _more(self, which: str, left: int) -> Text:
        return Text(self.text(f"show_{which}", count=min(PAGE, left), left=left), "italic")

    def _row(self, agreement: Agreement, picker: AgreementPicker, words: AgreementWords) -> Text:
        status = agreement.status(words.partner_ids)
        row = Text()
        row.append_text(safe_text(agreement.text[:300], "bold", one_line=True))
        row.append("\n  ")
        row.append(words.status(agreement, status), picker.status_style(status))
        for fact in words.facts(agreement, status):
            row.append("  ·  ", "dim")
            row.append(fact, picker.fact_style())
        return row

    @property
    def filter(self) -> Filter:
        status = self.query_one("#filter", Select).value
        return Filter(status if isinstance(status, str) else "all", self.query_one("#search", Input).value)

    def show_filter(self, name: str, search: str | None = None) -> None:
        """Choose this filter (and these words searched for): ``Filtered`` follows."""
        self.query_one("#filter", Select).value = name
        if search is not None:
            self.query_one("#search", Input).value = search

    def search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id:
            self.post_message(self.Chosen(event.option_id))

    @on(Select.Changed)
    @on(Input.Changed)
    def _filtered(self, event: Select.Changed | Input.Changed) -> None:
        event.stop()
        self.post_message(self.Filtered(self.filter))

    @on(Input.Submitted)
    def _searched(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(AgreementPicker).focus()
