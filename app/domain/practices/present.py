"""Step 8, stay present: the 5-4-3-2-1 grounding walk-through and the one-line present-moment
journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel

SENSE_MAX = 2_000


SENSES = ("see", "touch", "hear", "smell", "taste")
"""The 5-4-3-2-1 walk-through, in order: five things you see, four you can touch, ..."""
SENSE_COUNTS = dict(zip(SENSES, (5, 4, 3, 2, 1), strict=True))


class Grounding(PracticeModel):
    """One 5-4-3-2-1 grounding walk-through (private by default); the words are optional."""

    KIND: ClassVar[str] = "grounding"
    day: dt.date
    see: str = Field(default="", max_length=SENSE_MAX)
    touch: str = Field(default="", max_length=SENSE_MAX)
    hear: str = Field(default="", max_length=SENSE_MAX)
    smell: str = Field(default="", max_length=SENSE_MAX)
    taste: str = Field(default="", max_length=SENSE_MAX)

    def noticed(self) -> list[tuple[str, str]]:
        """(sense, words) for the senses that have words, in walk-through order."""
        return [(sense, getattr(self, sense)) for sense in SENSES if getattr(self, sense).strip()]


class PresentMoment(PracticeModel):
    """One line in the present-moment journal."""

    KIND: ClassVar[str] = "present_moment"
    day: dt.date
    line: OneLine = Field(max_length=TITLE_MAX)


def newest_first(moments: Iterable[PresentMoment]) -> list[PresentMoment]:
    return sorted(moments, key=lambda m: (m.day, m.created, m.id), reverse=True)
