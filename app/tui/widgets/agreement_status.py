"""How an agreement's derived status is written: a mark and words, never colour alone; and the
words the agreements screen's panes share (``AgreementWords``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.content import Content
from app.domain.models import Agreement, AgreementStatus, Partner
from app.tui.widgets.safe import safe_str
from app.words import day_words

MARKS = {
    AgreementStatus.PROPOSED: "○",
    AgreementStatus.AGREED: "✓",
    AgreementStatus.CHANGED: "≠",
    AgreementStatus.TO_REVISIT: "↺",
    AgreementStatus.RETIRED: "–",
}


def agreement_status_words(content: Content, status: AgreementStatus) -> str:
    """Mark and words, e.g. "✓ agreed"."""
    status = AgreementStatus(status)
    return f"{MARKS[status]} {content.text(f'agreements.status.{status.value}')}"


def agreement_status_class(status: AgreementStatus) -> str:
    """The CSS class that colours a status, e.g. "agreement-to-revisit"."""
    return f"agreement-{AgreementStatus(status).value.replace('_', '-')}"


class AgreementPane:
    """A pane of the agreements screen: made with the content, it says its words from ``[agreements]``."""

    def __init__(self, content: Content, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.content = content

    def text(self, key: str, **fmt: object) -> str:
        return self.content.text(f"agreements.{key}", **fmt)


@dataclass(frozen=True)
class AgreementWords:
    """What the agreements screen's panes say of an agreement, in the couple's names: its status,
    its signatures as a row sums them up, and its days (the app's today)."""

    content: Content
    partners: tuple[Partner, ...]
    today: dt.date

    @property
    def partner_ids(self) -> list[str]:
        return [partner.id for partner in self.partners]

    def text(self, key: str, **fmt: object) -> str:
        return self.content.text(f"agreements.{key}", **fmt)

    def names(self, partner_ids: list[str]) -> str:
        names = [safe_str(p.name) for p in self.partners if p.id in partner_ids]
        return f" {self.text('and')} ".join(names)

    def day(self, day: dt.date | None) -> str:
        """ "3 May", or "3 May 2027" when it is not this year."""
        return "?" if day is None else day_words(self.content, day, "day", self.today)

    def status(self, agreement: Agreement, status: AgreementStatus) -> str:
        if status is AgreementStatus.CHANGED:
            stale = [p for p in self.partner_ids if agreement.changed_since_signed_by(p)]
            return f"{MARKS[status]} {self.text('changed_since', names=self.names(stale))}"
        return agreement_status_words(self.content, status)

    def facts(self, agreement: Agreement, status: AgreementStatus) -> list[str]:
        """What a row says after the status: signatures, wording changes, the review date."""
        facts = []
        partner_ids = self.partner_ids
        signed = [p for p in partner_ids if agreement.signed_by(p)]
        stale = [p for p in partner_ids if agreement.changed_since_signed_by(p)]
        if status is not AgreementStatus.AGREED:
            if len(signed) == len(partner_ids) and signed:
                facts.append(self.text("signed_by_both"))
            elif signed:
                facts.append(self.text("signed_by_one", name=self.names(signed)))
            elif not stale:
                facts.append(self.text("no_signatures"))
        if stale and status is not AgreementStatus.CHANGED:
            facts.append(self.text("changed_since", names=self.names(stale)))
        if agreement.review_on is not None:
            facts.append(self.text("review_on", date=self.day(agreement.review_on)))
            if agreement.due_for_review(self.today):
                facts.append(self.text("due"))
        return facts
