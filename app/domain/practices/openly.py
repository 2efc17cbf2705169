"""Step 3, communicate openly: I-statements, speaker-listener turns and calm moments.

Next to the records are the pure rules the practice relies on: which I-statement phrasings
deserve a gentle word (``statement_warnings``), how an I-statement reads as one sentence
(``assemble_statement``), which calm moments come first (``calm_moments_in_order``), and the
speaker-listener turn as a small state machine (``ListeningTurnFlow``).

I-statements are personal (private by default, shared with a key); listening turns and calm
moments are made together and go straight into the couple's file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, field_validator, model_validator

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel, not_blank

PARAPHRASES_MAX = 50

Text = Annotated[str, Field(max_length=TEXT_MAX)]


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
        return not_blank(value)


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
