"""Step 7, break unhealthy patterns: the loops the couple falls into and the new responses they
choose, each partner's boundaries, and time for oneself."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel


class Pattern(PracticeModel):
    """A loop the couple keeps falling into, and the new response they choose."""

    KIND: ClassVar[str] = "pattern"
    trigger: OneLine = Field(max_length=TITLE_MAX)
    old_reaction: str = Field(default="", max_length=TEXT_MAX)
    cost: str = Field(default="", max_length=TEXT_MAX)
    new_response: str = Field(default="", max_length=TEXT_MAX)


class Boundary(PracticeModel):
    """One of a partner's boundaries (theirs is the author's), visible to the other."""

    KIND: ClassVar[str] = "boundary"
    text: OneLine = Field(max_length=TITLE_MAX)
    why: str = Field(default="", max_length=TEXT_MAX)


class SpaceWish(PracticeModel):
    """Time for myself: what a partner would like to do on their own, and how often."""

    KIND: ClassVar[str] = "space_wish"
    what: OneLine = Field(max_length=TITLE_MAX)
    how_often: str = Field(default="", max_length=NAME_MAX)
