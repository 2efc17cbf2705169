"""Forgiveness, a guided repair conversation after a hurt: one ``Repair`` record with a half for
each partner (maps keyed by partner id, so halves written apart merge)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel


class ApologyResponse(StrEnum):
    ACCEPTED = "accepted"
    NOT_YET = "not_yet"


REPAIR_PARTS = ("feelings", "view", "set_me_up", "regret", "apology", "response", "still_needed", "next_time")
"""A partner's half of a repair, in the order the conversation asks for it."""


class Repair(PracticeModel):
    """One repair conversation after a hurt or a fight, both halves in one record.

    Every part is a map keyed by partner id (``view.<partner id>``), so each
    partner can fill in their own half on their own machine and the halves merge.
    ``response`` is a partner's answer to the *other's* apology; ``still_needed``
    says what would help if it is not accepted yet.
    """

    KIND: ClassVar[str] = "repair"
    MAPS: ClassVar[dict[str, str]] = {part: part for part in REPAIR_PARTS}
    about: OneLine = Field(max_length=TITLE_MAX)
    day: dt.date
    feelings: dict[str, str] = {}  # feeling words, comma separated
    view: dict[str, str] = {}  # what happened, as I saw it
    set_me_up: dict[str, str] = {}  # what set me up for it
    regret: dict[str, str] = {}
    apology: dict[str, str] = {}  # the apology I offer
    response: dict[str, ApologyResponse] = {}  # to the other's apology
    still_needed: dict[str, str] = {}
    next_time: dict[str, str] = {}  # one thing I will do next time

    def half(self, partner_id: str) -> dict[str, str]:
        """That partner's half, part by part ("" where they have written nothing)."""
        return {part: str(getattr(self, part).get(partner_id, "")) for part in REPAIR_PARTS}

    def filled_by(self, partner_id: str) -> bool:
        return any(value.strip() for value in self.half(partner_id).values())


def half_changes(
    repair: Repair | None, partner_id: str, half: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """The map fields to store so that ``partner_id``'s half reads ``half`` (other halves kept).

    An empty part is left out of the map (stored as unset); an unknown part is ignored.
    """
    changes: dict[str, dict[str, str]] = {}
    for part in REPAIR_PARTS:
        current = dict(getattr(repair, part)) if repair is not None else {}
        value = str(half.get(part, "")).strip()
        if value:
            current[partner_id] = value
        else:
            current.pop(partner_id, None)
        changes[part] = current
    return changes


def repairs_newest_first(repairs: Iterable[Repair]) -> list[Repair]:
    return sorted(repairs, key=lambda r: (r.day, r.created, r.id), reverse=True)
