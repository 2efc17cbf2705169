"""Messages screens post up to the App."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.message import Message

from app.domain.models import RecordModel


class OpenStep(Message):
    """Show this step (1-9) in the steps mode."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step = step


class Saved(Message):
    """A screen wrote to the couple's store: every screen should re-read what it shows."""


class SaveEntry(Message):
    """Save a practice entry as the partner writing now (new if ``record_id`` is None)."""

    def __init__(
        self,
        model: type[RecordModel],
        fields: dict[str, Any],
        record_id: str | None = None,
        private: bool = False,
    ) -> None:
        super().__init__()
        self.model, self.fields, self.record_id, self.private = model, fields, record_id, private


class DeleteEntry(Message):
    """Delete a practice entry (a private one is gone; a shared one leaves a tombstone)."""

    def __init__(self, model: type[RecordModel], record_id: str) -> None:
        super().__init__()
        self.model, self.record_id = model, record_id


class ShareEntry(Message):
    """Move a private entry into the couple's file, where the partner can read it."""

    def __init__(self, model: type[RecordModel], record_id: str) -> None:
        super().__init__()
        self.model, self.record_id = model, record_id


class UnshareEntry(Message):
    """Take a shared entry back: its author's alone again, in this machine's local file."""

    def __init__(self, model: type[RecordModel], record_id: str) -> None:
        super().__init__()
        self.model, self.record_id = model, record_id


class ToggleKept(Message):
    """Mark a commitment kept on a day, or un-mark it if it was (step 5)."""

    def __init__(self, commitment_id: str, day: dt.date) -> None:
        super().__init__()
        self.commitment_id, self.day = commitment_id, day


class CelebrateGoal(Message):
    """Log a done shared goal as a celebration (step 9), once the partner said yes to the offer."""

    def __init__(self, goal_id: str) -> None:
        super().__init__()
        self.goal_id = goal_id
