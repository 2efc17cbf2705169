"""Steps 1 to 3 of the journey: naming wounds, understanding their origins, speaking openly.

The models here are the practice records of those steps, and the calm-down
screen's repair phrases. Next to them are the pure rules the screens rely on:
which I-statement phrasings deserve a gentle word (``statement_warnings``),
how an I-statement reads as one sentence (``assemble_statement``), the order of
an origins timeline (``timeline_order``), which calm moments come first
(``calm_moments_in_order``), which shared wounds a partner has not been shown
yet (``unseen_shared``), and the speaker-listener turn as a small state
machine (``ListeningTurnFlow``). No I/O, no Textual, no TinyDB.

Who may see what: wounds, origins, triggers and I-statements are personal, so
the TUI saves them private by default (this machine's local file) and its
author shares one with a key; listening turns, calm moments and repair phrases
are made together and go straight into the couple's file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, field_validator, model_validator

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel

WEIGHT_MAX = 10
PARAPHRASES_MAX = 50
YEAR_MIN, YEAR_MAX = 1900, 2200

Text = Annotated[str, Field(max_length=TEXT_MAX)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# -- step 1: acknowledge the wounds -----------------------------------------------------


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


# -- step 2: understand the origins -----------------------------------------------------


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
        return _not_blank(value)


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


# -- step 3: communicate openly ---------------------------------------------------------


class IStatement(PracticeModel):
    """When I see… / I feel… / because I need… / would you be willing to…"""

    KIND: ClassVar[str] = "i_statement"
    when: str = Field(default="", max_length=TEXT_MAX)
    feeling: str = Field(default="", max_length=NAME_MAX)
    need: str = Field(default="", max_length=TEXT_MAX)
    request: str = Field(default="", max_length=TEXT_MAX)

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not any(part.strip() for part in (self.when, self.feeling, self.need, self.request)):
            raise ValueError("needs a few words in at least one part")
        return self


STATEMENT_PARTS = ("when", "feeling", "need", "request")


def _clause(value: str) -> str:
    """One part as it sits inside the sentence: one line, no closing full stop or comma."""
    return " ".join(value.split()).rstrip(" .,;!?…")


def assemble_statement(parts: Mapping[str, str], templates: Mapping[str, str]) -> str:
    """The I-statement as it would be said, from whichever parts are filled in.

    ``templates`` holds, for each of ``STATEMENT_PARTS``, a format string with
    ``{text}`` ("when I see {text}", "I feel {text}"...), plus ``joiner``
    (", "), ``end`` (".") and ``question_end`` ("?"). What I see, feel and
    need make one sentence; the request is asked in a sentence of its own.
    """
    clauses = {name: _clause(parts.get(name, "")) for name in STATEMENT_PARTS}
    told = [templates[name].format(text=clauses[name]) for name in STATEMENT_PARTS[:3] if clauses[name]]
    sentences = []
    if told:
        sentences.append(_capitalised(templates["joiner"].join(told)) + templates["end"])
    if clauses["request"]:
        asked = templates["request"].format(text=clauses["request"])
        sentences.append(_capitalised(asked) + templates["question_end"])
    return " ".join(sentences)


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


_YOU = r"you(?:['’]re|re|r|rself)?\b"
_WARNINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("feel_like_you", re.compile(rf"\bi\s+feel\s+(?:like|as\s+if|as\s+though)\s+{_YOU}", re.IGNORECASE)),
    ("feel_that_you", re.compile(rf"\bi\s+feel\s+that\s+{_YOU}", re.IGNORECASE)),
    ("you_always", re.compile(r"\byou(?:['’]re|\s+are)?\s+always\b", re.IGNORECASE)),
    ("you_never", re.compile(r"\byou(?:['’]re|\s+are)?\s+never\b", re.IGNORECASE)),
)
STATEMENT_WARNINGS = tuple(key for key, _ in _WARNINGS)
"""Every key ``statement_warnings`` can return, in the order it returns them."""


def statement_warnings(text: str) -> list[str]:
    """Keys of the gentle notes an I-statement deserves (none means it reads as an I-statement).

    - ``feel_like_you``: "I feel like you…" (also "as if you", "as though you")
      names a thought about the partner, not a feeling;
    - ``feel_that_you``: "I feel that you…", the same;
    - ``you_always`` / ``you_never``: "you always", "you never" (also "you're
      always", "you are never") turn one moment into a verdict.

    The words shown for each key live in content/ui.toml ([statement_warnings]).
    """
    flat = " ".join(text.replace("’", "'").split())
    return [key for key, pattern in _WARNINGS if pattern.search(flat)]


class TurnPhase(StrEnum):
    SPEAKING = "speaking"  # the speaker holds the floor
    LISTENING = "listening"  # the listener says back what they heard
    CONFIRMING = "confirming"  # the speaker says whether that is it
    DONE = "done"


class ListeningTurn(PracticeModel):
    """One finished speaker-listener turn, saved as one record both can read."""

    KIND: ClassVar[str] = "listening_turn"
    speaker: str
    listener: str
    said: str = Field(max_length=TEXT_MAX)
    paraphrases: list[Text] = Field(default_factory=list, max_length=PARAPHRASES_MAX)
    confirmed: bool = False
    day: dt.date

    @field_validator("said")
    @classmethod
    def _said_not_blank(cls, value: str) -> str:
        return _not_blank(value)


@dataclass(frozen=True)
class ListeningTurnFlow:
    """Where a speaker-listener turn is: who speaks, what was said, each paraphrase so far.

    The speaker says something (``say``), the listener says it back in their
    own words (``paraphrase``), the speaker confirms (``confirm(True)``, the
    turn is done) or says "not quite" (``confirm(False)``, the listener tries
    again). ``swapped`` starts the next turn with the roles the other way round.
    """

    speaker: str
    listener: str
    phase: TurnPhase = TurnPhase.SPEAKING
    said: str = ""
    paraphrases: tuple[str, ...] = field(default_factory=tuple)
    confirmed: bool = False

    def say(self, text: str) -> ListeningTurnFlow:
        if self.phase != TurnPhase.SPEAKING or not text.strip():
            return self
        return replace(self, said=text.strip(), phase=TurnPhase.LISTENING)

    def paraphrase(self, text: str) -> ListeningTurnFlow:
        if self.phase != TurnPhase.LISTENING or not text.strip():
            return self
        return replace(self, paraphrases=(*self.paraphrases, text.strip()), phase=TurnPhase.CONFIRMING)

    def confirm(self, heard: bool) -> ListeningTurnFlow:
        if self.phase != TurnPhase.CONFIRMING:
            return self
        if heard:
            return replace(self, confirmed=True, phase=TurnPhase.DONE)
        return replace(self, phase=TurnPhase.LISTENING)

    def swapped(self) -> ListeningTurnFlow:
        return ListeningTurnFlow(speaker=self.listener, listener=self.speaker)

    @property
    def worth_keeping(self) -> bool:
        """True once there is something to save (a turn ended early keeps what was said)."""
        return bool(self.said)

    def record_fields(self, day: dt.date) -> dict[str, object]:
        """The fields of the ``ListeningTurn`` this turn is saved as."""
        return {
            "speaker": self.speaker,
            "listener": self.listener,
            "said": self.said,
            "paraphrases": list(self.paraphrases),
            "confirmed": self.confirmed,
            "day": day,
        }


class CalmMoment(PracticeModel):
    """A time set aside to talk about something calmly: a day and/or a time in words, and the topic."""

    KIND: ClassVar[str] = "calm_moment"
    day: dt.date | None = None
    at: str = Field(default="", max_length=TITLE_MAX)  # "19:30" or "Sunday after breakfast"
    topic: OneLine = Field(max_length=TITLE_MAX)

    @model_validator(mode="after")
    def _has_a_when(self) -> Self:
        if self.day is None and not self.at.strip():
            raise ValueError("needs a day or a time")
        return self


def calm_moments_in_order(moments: Iterable[CalmMoment], today: dt.date) -> list[CalmMoment]:
    """Upcoming first (soonest first), then those with only a time in words, then past ones (latest first)."""
    moments = list(moments)
    upcoming = sorted(
        (m for m in moments if m.day is not None and m.day >= today),
        key=lambda m: (m.day, m.at.casefold(), m.created),
    )
    undated = sorted((m for m in moments if m.day is None), key=lambda m: (m.created, m.id))
    past = sorted(
        (m for m in moments if m.day is not None and m.day < today),
        key=lambda m: (m.day, m.created),
        reverse=True,
    )
    return [*upcoming, *undated, *past]


def is_past(moment: CalmMoment, today: dt.date) -> bool:
    return moment.day is not None and moment.day < today


# -- the calm-down screen -----------------------------------------------------------------


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
