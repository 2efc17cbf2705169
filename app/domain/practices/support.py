"""Step 4, seek professional support: the people the couple can turn to, the sessions they went
to, and the questions to bring to the next one."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX, OneLine, PracticeModel


class SupportKind(StrEnum):
    THERAPIST = "therapist"
    COUNSELLOR = "counsellor"
    GROUP = "group"
    HELPLINE = "helpline"
    OTHER = "other"


class SupportContact(PracticeModel):
    """Someone the couple can turn to: a therapist, a group, a helpline ..."""

    KIND: ClassVar[str] = "support_contact"
    name: OneLine = Field(max_length=TITLE_MAX)
    kind: SupportKind = SupportKind.COUNSELLOR
    reach: str = Field(default="", max_length=TITLE_MAX)  # how to reach them, in the couple's words
    notes: str = Field(default="", max_length=TEXT_MAX)


BOTH = "both"
"""``SupportSession.who`` when both partners went."""


class SupportSession(PracticeModel):
    """One session with a counsellor or group: who went, what we took away, homework."""

    KIND: ClassVar[str] = "support_session"
    day: dt.date
    who: str = Field(default=BOTH, max_length=NAME_MAX)  # BOTH or a partner id
    takeaways: str = Field(default="", max_length=TEXT_MAX)
    homework: str = Field(default="", max_length=TEXT_MAX)


class SessionQuestion(PracticeModel):
    """A question to bring to the next session; marked asked afterwards."""

    KIND: ClassVar[str] = "session_question"
    text: OneLine = Field(max_length=TITLE_MAX)
    asked: bool = False
    asked_on: dt.date | None = None
