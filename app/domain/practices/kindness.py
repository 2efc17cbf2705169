"""Step 6, practise self-compassion: kind replies to the inner critic (private by default) and
self-compassion breaks taken (always private)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field, field_validator

from app.domain.models import TEXT_MAX, PracticeModel, not_blank

NOTE_MAX = 2_000


class KindReply(PracticeModel):
    """The inner critic's harsh thought, and how I would say it to someone I love.

    Private by default (kept in the author's local file until shared)."""

    KIND: ClassVar[str] = "kind_reply"
    harsh: str = Field(max_length=TEXT_MAX)
    kind: str = Field(default="", max_length=TEXT_MAX)

    @field_validator("harsh")
    @classmethod
    def _harsh_not_blank(cls, value: str) -> str:
        return not_blank(value)


class CompassionBreak(PracticeModel):
    """A self-compassion break taken, with an optional one-line note (always private)."""

    KIND: ClassVar[str] = "compassion_break"
    day: dt.date
    note: str = Field(default="", max_length=NOTE_MAX)
