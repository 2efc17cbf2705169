"""The moments worth offering to celebrate now, and those let pass on this machine (kept in its
local file, never in the couple's: see ``app.store.news``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.models import Progress
from app.domain.suggestions import Suggestion, suggestions

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class Suggestions:
    """Suggestions offered and let pass (mixed into ``CoupleStore``)."""

    def dismissed_suggestions(self: CoupleStore) -> frozenset[str]:
        keys = self._journey_state().get("dismissed", [])
        return frozenset(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else frozenset()

    def dismiss_suggestion(self: CoupleStore, key: str) -> None:
        """Never offer that moment again on this machine."""
        entry = self._journey_state()
        keys = sorted(self.dismissed_suggestions() | {key})
        entry["dismissed"] = keys
        self._save_journey_state(entry)

    def open_suggestions(self: CoupleStore, today: dt.date) -> list[Suggestion]:
        """The moments worth offering now, newest first (see ``app.domain.suggestions.suggestions``)."""
        partner_ids = [p.id for p in self.partners]
        days = self.kept_days()
        return suggestions(
            self.records(Progress),
            self.agreements(),
            self.from_suggestions(),  # the only celebrations the rules look at
            partner_ids,
            today,
            commitments=[(c, frozenset(days.get(c.id, ()))) for c in self.commitments()],
            dismissed=self.dismissed_suggestions(),
        )
