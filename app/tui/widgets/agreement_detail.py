"""The agreements screen's detail: the chosen agreement in full, each signature as it stands seen
from this machine (``app.domain.machines.Standing``), the button that signs it (or confirms, or
takes a signature back) and its earlier wordings. The screen reads them and sets ``shown``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content as Words
from textual.reactive import var
from textual.widgets import Button, Static

from app.content import Content
from app.domain.machines import SignatureView, Standing
from app.domain.models import Agreement, AgreementStatus, Partner
from app.tui.widgets.agreement_status import MARKS, AgreementWords, agreement_status_class
from app.tui.widgets.safe import safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea


@dataclass(frozen=True)
class DetailShown:
    """The agreement chosen, as the partner writing now sees it: how each partner's signature of it
    stands (``views``), whose machine this is (``here``) and whose each trusted machine is
    (``owners``), its earlier wordings, and whether the writer's signature can be confirmed here."""

    agreement: Agreement
    writer: Partner
    words: AgreementWords
    views: dict[str, SignatureView]
    here: str | None
    owners: dict[str, str]
    history: list[tuple[dt.date, str]]
    confirmable: bool


class AgreementDetail(ScrollArea):
    """One agreement in full, below the ledger; out of sight when none is chosen."""

    shown: var[DetailShown | None] = var(None, always_update=True)

    def __init__(self, content: Content, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.content = content

    def compose(self) -> ComposeResult:
        yield Static(id="detail-status")
        yield Static(id="detail-text")
        yield Static(id="detail-facts")
        yield Button("", id="sign-button", variant="primary", compact=True)
        yield Static(Text(self.content.text("agreements.history_heading")), classes="pane-title")
        yield Static(id="detail-history")

    def watch_shown(self, shown: DetailShown | None) -> None:
        self.display = shown is not None
        if shown is None:
            return
        agreement, words = shown.agreement, shown.words
        status = agreement.status(words.partner_ids)
        shown_status = self.query_one("#detail-status", Static)
        shown_status.update(Text(words.status(agreement, status)))
        shown_status.set_classes(agreement_status_class(status))
        self.query_one("#detail-text", Static).update(safe_text(agreement.text, "bold"))
        self.query_one("#detail-facts", Static).update(self._facts(shown))
        self._show_button(shown)
        self.query_one("#detail-history", Static).update(self._history(shown))

    def _facts(self, shown: DetailShown) -> Text:
        agreement, words = shown.agreement, shown.words
        lines = Text()

        def line(mark: str, said: Text) -> None:
            if lines:
                lines.append("\n")
            lines.append(f"{mark} ", "bold")
            lines.append_text(said)

        if agreement.why.strip():
            line(" ", Text(words.text("why"), "italic") + safe_text(agreement.why))
        if agreement.revisit.strip():
            note = Text(words.text("revisit_note"), "bold")
            line(MARKS[AgreementStatus.TO_REVISIT], note + safe_text(agreement.revisit))
        for partner in words.partners:
            name = safe_str(partner.name)
            if agreement.signed_by(partner.id):
                mark, said, hint = self._signature(shown, partner)
                line(mark, said)
                if hint is not None:
                    line(" ", hint)
            elif agreement.changed_since_signed_by(partner.id):
                line("≠", Text(words.text("signed_earlier", name=name)))
            else:
                line("○", Text(words.text("not_signed", name=name), "italic"))
        if agreement.review_on is not None:
            review = Text(words.text("review_line", date=words.day(agreement.review_on)))
            if agreement.due_for_review(words.today):
                review.append("  ·  ", "dim")
                review.append(words.text("due"), "bold")
            line("◷", review)
        author = next((p.name for p in words.partners if p.id == agreement.author), "")
        if author:
            when = words.day(agreement.made_on)
            line(" ", Text(words.text("proposed_by", name=safe_str(author), date=when), "dim"))
        return lines

    def _signature(self, shown: DetailShown, signer: Partner) -> tuple[str, Text, Text | None]:
        """How a signature stands, and, when it is not the signer's own machine's, how to confirm it."""
        words, view = shown.words, shown.views[signer.id]
        names = {p.id: safe_str(p.name) for p in words.partners}
        name = names[signer.id]
        if view.standing is Standing.OWN_MACHINE:
            return "✓", Text(words.text("signed_this", name=name)), None
        if view.standing is Standing.NOT_VERIFIED:
            said = Text(words.text("signed_not_verified", name=name))
        elif view.standing is Standing.TOGETHER:
            owner = names.get(shown.owners.get(view.machine, ""), "?")
            said = Text(words.text("signed_together", name=name, owner=owner))
        else:
            said = Text(words.text("signed_before_checks", name=name))
        hint = "confirm_later"
        if shown.here == signer.id:  # this is the signer's own machine
            hint = "confirm_here" if shown.writer.id == signer.id else "confirm_hand_over"
        mark = "?" if view.standing is Standing.NOT_VERIFIED else "✓"
        return mark, said, Text(words.text(hint, name=name), "italic")

    def _show_button(self, shown: DetailShown) -> None:
        button = self.query_one("#sign-button", Button)
        agreement, writer = shown.agreement, shown.writer
        name = safe_str(writer.name)
        if not agreement.retired and not agreement.signed_by(writer.id):
            label, variant = "sign_button", "primary"
        elif shown.confirmable:
            label, variant = "confirm_button", "primary"
        elif writer.id in agreement.signatures:
            label, variant = "unsign_button", "default"
        else:
            button.display = False
            return
        button.label = Words(shown.words.text(label, name=name))
        button.variant = variant
        button.display = True

    def _history(self, shown: DetailShown) -> Text:
        words = shown.words
        if not shown.history:
            return Text(words.text("history_none"), "italic dim")
        lines = Text()
        for day, wording in reversed(shown.history):  # newest first
            if lines:
                lines.append("\n")
            lines.append(f"{words.text('history_since', date=words.day(day))}  ", "dim")
            lines.append_text(safe_text(wording))
        return lines
