"""The calm-down screen (``!``): the couple's own repair phrases, words either of them can say to
step back from a fight, made together and kept in the couple's file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel


class RepairPhrase(PracticeModel):
    """One of the couple's own words for stepping back from a fight ("Can we start over?")."""

    KIND: ClassVar[str] = "repair_phrase"
    text: OneLine = Field(max_length=TITLE_MAX)


def repair_phrases_or_defaults(
    phrases: Sequence[RepairPhrase], defaults: Sequence[str]
) -> tuple[list[RepairPhrase], list[str]]:
    """The couple's own phrases (oldest first) and, only while they have none, the defaults to start from."""
    own = sorted(phrases, key=lambda p: (p.created, p.id))
    return own, ([] if own else list(defaults))
