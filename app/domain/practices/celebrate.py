"""Step 9, celebrate every step forward: shared goals, things to do together (travel, learning,
...), planned or done. (A celebration itself is a core kind: ``app.domain.models.Celebration``.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel


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
