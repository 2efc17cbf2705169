"""The daily question, answered apart and revealed together: ``Answer``, a partner's answer to
the day's question, kept hidden until both have answered (commit, then reveal:
``commitment_for`` and ``answer_views``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import PracticeModel

ANSWER_MAX = 4_000
SALT_BYTES = 16


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
