"""What the two of you do together: the daily question, staying present, shared goals, repairs.

- ``Answer``: a partner's answer to the day's question, kept hidden until both
  have answered (commit, then reveal: ``commitment_for`` and ``answer_views``).
- ``Grounding`` and ``PresentMoment``: step 8's 5-4-3-2-1 walk-through and
  one-line present-moment journal.
- ``SharedGoal``: something to do together (travel, learning, ...), planned or done.
- ``Repair``: a guided repair conversation after a hurt, one record with a
  half for each partner (maps keyed by partner id, so halves written apart merge).

Pure Python: no I/O, no Textual, no TinyDB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel

ANSWER_MAX = 4_000
SENSE_MAX = 2_000
SALT_BYTES = 16

# -- the daily question: answered apart, revealed together ----------------------------------


def new_salt() -> str:
    """A fresh random salt for one answer (hex), so a short answer cannot be guessed from its hash."""
    return secrets.token_hex(SALT_BYTES)


def commitment_for(salt: str, text: str) -> str:
    """What goes into the couple's file before an answer is revealed: sha256(salt + text), hex."""
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


class Answer(PracticeModel):
    """One partner's answer to one day's question (its id derives from both).

    Until both partners have answered, the record holds only ``commitment``;
    the words wait in the author's local file. Once both commitments are in
    the couple's file, each app writes its own ``text`` and ``salt``.
    """

    KIND: ClassVar[str] = "answer"
    partner: str
    day: dt.date
    commitment: str = Field(pattern=r"^[0-9a-f]{64}$")
    text: str = Field(default="", max_length=ANSWER_MAX)
    salt: str = Field(default="", max_length=64)

    @property
    def revealed(self) -> bool:
        return bool(self.salt)

    @property
    def matches(self) -> bool:
        """True if the revealed words are the words that were committed to."""
        return self.revealed and commitment_for(self.salt, self.text) == self.commitment


class AnswerState(StrEnum):
    MISSING = "missing"  # not answered yet
    HIDDEN = "hidden"  # answered; hidden from the viewer until the viewer answers too
    WAITING = "waiting"  # the viewer's own answer, waiting for the partner's
    OPENING = "opening"  # both answered; this one is not published yet
    SHOWN = "shown"  # revealed, and the words match what was committed to
    CHANGED = "changed"  # revealed, but the words are not the ones committed to


@dataclass(frozen=True)
class AnswerView:
    """What the viewer may see of one partner's answer to one day's question."""

    partner: str
    state: AnswerState
    text: str = ""  # only for SHOWN, CHANGED, and the viewer's own WAITING / OPENING answer


def both_answered(answers: Iterable[Answer], day: dt.date, partner_ids: Sequence[str]) -> bool:
    """True once every partner's commitment for that day is in the file."""
    given = {a.partner for a in answers if a.day == day}
    return bool(partner_ids) and all(p in given for p in partner_ids)


def answer_views(
    answers: Iterable[Answer],
    day: dt.date,
    partner_ids: Sequence[str],
    viewer: str,
    own_words: str | None = None,
) -> dict[str, AnswerView]:
    """For each partner, what ``viewer`` may see of their answer on ``day``.

    ``own_words`` is the viewer's unrevealed answer from this machine's local
    file (None if this machine does not hold it). Nothing of the partner's
    answer is shown until both have answered, whatever the file holds; once
    both have, revealed words are checked against their commitment.
    """
    answers = [a for a in answers if a.day == day]
    by_partner = {a.partner: a for a in answers}
    both = both_answered(answers, day, partner_ids)
    views = {}
    for partner in partner_ids:
        answer = by_partner.get(partner)
        own = partner == viewer
        if answer is None:
            views[partner] = AnswerView(partner, AnswerState.MISSING)
        elif not both:
            state = AnswerState.WAITING if own else AnswerState.HIDDEN
            views[partner] = AnswerView(partner, state, (own_words or "") if own else "")
        elif not answer.revealed:
            views[partner] = AnswerView(partner, AnswerState.OPENING, (own_words or "") if own else "")
        elif answer.matches:
            views[partner] = AnswerView(partner, AnswerState.SHOWN, answer.text)
        else:
            views[partner] = AnswerView(partner, AnswerState.CHANGED, answer.text)
    return views


# -- step 8: stay present -------------------------------------------------------------------

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


# -- shared goals and experiences -----------------------------------------------------------


class GoalKind(StrEnum):
    TRAVEL = "travel"
    LEARNING = "learning"
    VOLUNTEERING = "volunteering"
    RITUAL = "ritual"
    OTHER = "other"


class SharedGoal(PracticeModel):
    """Something to do together; ``done_on`` is set once it is done."""

    KIND: ClassVar[str] = "shared_goal"
    kind: GoalKind = GoalKind.OTHER
    what: OneLine = Field(max_length=TITLE_MAX)
    done_on: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


def goals_in_order(goals: Iterable[SharedGoal]) -> list[SharedGoal]:
    """Planned ones first (oldest first), then done ones (most recently done first)."""
    goals = list(goals)
    planned = sorted((g for g in goals if not g.done), key=lambda g: (g.created, g.id))
    done = sorted((g for g in goals if g.done), key=lambda g: (g.done_on, g.created), reverse=True)
    return planned + done


# -- forgiveness: a guided repair conversation ----------------------------------------------


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
