"""Step 2, understand the origins: experiences on a timeline (``Origin``, in ``timeline_order``)
and triggers with the story behind them. Both are personal: the TUI saves them private by default
and their author shares one with a key."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, field_validator

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel, not_blank

YEAR_MIN, YEAR_MAX = 1900, 2200


class OriginKind(StrEnum):
    CHILDHOOD = "childhood"
    PAST_RELATIONSHIP = "past_relationship"
    LIFE_EVENT = "life_event"


class Origin(PracticeModel):
    """An experience on the timeline: when, what happened, the mark it left, how it shows up today.

    ``when`` is free text ("age 9", "2015", "my first year at university");
    ``year`` is optional and places it exactly on the timeline.
    """

    KIND: ClassVar[str] = "origin"
    kind: OriginKind = OriginKind.CHILDHOOD
    when: str = Field(default="", max_length=NAME_MAX)
    year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    happened: str = Field(max_length=TEXT_MAX)
    mark: str = Field(default="", max_length=TEXT_MAX)
    today: str = Field(default="", max_length=TEXT_MAX)

    @field_validator("happened")
    @classmethod
    def _happened_not_blank(cls, value: str) -> str:
        return not_blank(value)


_YEAR_IN_TEXT = re.compile(r"\b(19\d\d|2[01]\d\d)\b")
_AGE_IN_TEXT = re.compile(r"\b(?:age|aged)\s*(\d{1,3})\b|\b(\d{1,3})\s*(?:years?\s+old|yo)\b", re.IGNORECASE)


def sortable_year(origin: Origin) -> int | None:
    """The year that places an experience: its own, else a year written in ``when``."""
    if origin.year is not None:
        return origin.year
    found = _YEAR_IN_TEXT.search(origin.when)
    return int(found.group(1)) if found else None


def _age(origin: Origin) -> int | None:
    found = _AGE_IN_TEXT.search(origin.when)
    if not found:
        return None
    return int(found.group(1) or found.group(2))


def timeline_order(origins: Iterable[Origin]) -> list[Origin]:
    """Experiences in time order.

    Those with a year (given, or written in ``when``) are in year order.
    Childhood experiences without one ("age 9") come before them, by age
    where one is written; anything else without a year comes last. Ties
    keep the order they were written in.
    """

    def key(origin: Origin) -> tuple[int, int, str, str]:
        year = sortable_year(origin)
        if year is not None:
            return (1, year, origin.created, origin.id)
        if origin.kind == OriginKind.CHILDHOOD:
            age = _age(origin)
            return (0, age if age is not None else 999, origin.created, origin.id)
        return (2, 0, origin.created, origin.id)

    return sorted(origins, key=key)


class Trigger(PracticeModel):
    """Something that sets off a strong reaction, the story behind it, and what helps."""

    KIND: ClassVar[str] = "trigger"
    trigger: OneLine = Field(max_length=TITLE_MAX)
    story: str = Field(default="", max_length=TEXT_MAX)
    helps: str = Field(default="", max_length=TEXT_MAX)
