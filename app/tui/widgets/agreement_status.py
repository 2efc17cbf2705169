"""How an agreement's derived status is written: a mark and words, never colour alone."""

from __future__ import annotations

from app.content import Content
from app.domain.models import AgreementStatus

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
