"""The weekly "state of us" talk, saved as one ``Meeting`` record."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from app.domain.models import TEXT_MAX, PracticeModel


class Meeting(PracticeModel):
    """One weekly talk, saved as one record when the couple finish it.

    Appreciations and needs are one text a partner (``appreciation.<partner id>``),
    so two machines filling in their own part never overwrite each other.
    """

    KIND: ClassVar[str] = "meeting"
    MAPS: ClassVar[dict[str, str]] = {"appreciations": "appreciation", "needs": "need"}
    day: dt.date
    appreciations: dict[str, str] = {}
    went_well: str = Field(default="", max_length=TEXT_MAX)
    issue: str = Field(default="", max_length=TEXT_MAX)
    issue_notes: str = Field(default="", max_length=TEXT_MAX)
    needs: dict[str, str] = {}
    agreement_id: str = ""  # the agreement proposed at this meeting, if any

    @property
    def is_empty(self) -> bool:
        texts = [
            self.went_well,
            self.issue,
            self.issue_notes,
            *self.appreciations.values(),
            *self.needs.values(),
        ]
        return not any(text.strip() for text in texts) and not self.agreement_id
