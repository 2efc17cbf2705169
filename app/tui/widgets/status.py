"""How a step status is written: a mark and a word, never colour alone."""

from __future__ import annotations

from app.content import Content
from app.domain.models import StepStatus

STATUSES = tuple(StepStatus)
MARKS = {
    StepStatus.NOT_STARTED: "○",
    StepStatus.EXPLORING: "◔",
    StepStatus.PRACTISING: "◑",
    StepStatus.INTEGRATED: "●",
}


def status_label(content: Content, status: StepStatus) -> str:
    """The status's word from content ([status]), e.g. "Exploring"."""
    return content.text(f"status.{StepStatus(status).value}")


def status_words(content: Content, status: StepStatus) -> str:
    """Mark and word, e.g. "◔ Exploring"."""
    return f"{MARKS[StepStatus(status)]} {status_label(content, status)}"


def status_class(status: StepStatus) -> str:
    """The CSS class that colours a status, e.g. "status-exploring"."""
    return f"status-{StepStatus(status).value.replace('_', '-')}"
