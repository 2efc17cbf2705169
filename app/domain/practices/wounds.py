"""Step 1, acknowledge the wounds: a hurt named, and which shared wounds a partner has not been
shown yet (``unseen_shared``). Wounds are personal: the TUI saves them private by default (this
machine's local file) and their author shares one with a key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from pydantic import Field

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel

WEIGHT_MAX = 10


class Wound(PracticeModel):
    """A hurt named: what hurts, where it shows up, how heavy it feels today (0-10)."""

    KIND: ClassVar[str] = "wound"
    what: OneLine = Field(max_length=TITLE_MAX)
    where: str = Field(default="", max_length=TEXT_MAX)
    weight: int = Field(default=5, ge=0, le=WEIGHT_MAX)
    feeling: str = Field(default="", max_length=NAME_MAX)


def unseen_shared(wounds: Iterable[Wound], viewer: str, shown: Iterable[str]) -> list[Wound]:
    """The wounds the other partner shared that ``viewer`` has not been shown yet, oldest first.

    ``wounds`` are the shared ones (the couple's file); ``shown`` the ids
    this machine already told ``viewer`` about.
    """
    seen = set(shown)
    found = [w for w in wounds if w.author != viewer and w.id not in seen]
    return sorted(found, key=lambda w: (w.created, w.id))
