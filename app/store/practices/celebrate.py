"""Step 9, celebrate every step forward: a done shared goal logged as a celebration."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.models import Celebration, CelebrationSize
from app.domain.practices.celebrate import SharedGoal
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

GOAL_CELEBRATION_STEP = 9
"""Celebrations of shared goals belong to step 9, "Celebrate every step forward"."""


class SharedGoals:
    """Shared goals celebrated (mixed into ``CoupleStore``)."""

    def celebrate_goal(self: CoupleStore, author: str, goal_id: str) -> Celebration:
        """Log a done shared goal as a celebration (only when a partner accepted the offer)."""
        goal = self.get(SharedGoal, goal_id)
        if goal is None:
            raise StoreError("unknown_record", case="goal")
        return self.add_celebration(
            author,
            goal.what,
            day=goal.done_on or dt.date.today(),
            step=GOAL_CELEBRATION_STEP,
            size=CelebrationSize.SMALL,
        )
