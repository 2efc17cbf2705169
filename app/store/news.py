"""What is new since this machine last looked ("new from Sam since you last looked").

Two things live in this machine's local file, never in the couple's file: the suggestions let
pass here (``app.store.suggestions``), and the newest clock stamp the dashboard has shown. Both
are kept per couple's file (by its ``file_id``) under the ``journey`` preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.meeting import Meeting
from app.domain.models import Agreement, Celebration, CheckIn, Progress, RecordModel
from app.domain.news import News, news_since

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

NEWS_KINDS: tuple[type[RecordModel], ...] = (Celebration, Agreement, CheckIn, Progress, Meeting)
"""The kinds of record "new since you last looked" tells about."""
_PREFERENCE = "journey"


class WhatIsNew:
    """What this machine has shown, and what came after (mixed into ``CoupleStore``)."""

    def _journey_state(self: CoupleStore) -> dict[str, Any]:
        """This couple's file's entry in the local ``journey`` preference (a copy)."""
        held = self.local.preference(_PREFERENCE, {})
        entry = held.get(self.file_id) if isinstance(held, dict) else None
        return dict(entry) if isinstance(entry, dict) else {}

    def _save_journey_state(self: CoupleStore, entry: dict[str, Any]) -> None:
        held = self.local.preference(_PREFERENCE, {})
        held = dict(held) if isinstance(held, dict) else {}
        held[self.file_id] = entry
        self.local.set_preference(_PREFERENCE, held)

    def last_seen(self: CoupleStore) -> str | None:
        """The newest stamp this machine's dashboard has shown, or None if it never has."""
        stamp = self._journey_state().get("last_seen")
        return stamp if isinstance(stamp, str) else None

    def mark_seen(self: CoupleStore, stamp: str) -> None:
        """Remember that this machine has shown everything up to ``stamp`` (never goes back)."""
        entry = self._journey_state()
        held = entry.get("last_seen")
        if isinstance(held, str) and held >= stamp:
            return
        entry["last_seen"] = stamp
        self._save_journey_state(entry)

    def news_from(self: CoupleStore, partner_id: str, since: str) -> list[News]:
        """What ``partner_id`` added, changed or deleted in the file after ``since``, newest first
        (of what was deleted, the agreements: what the two of you agreed to is not undone unseen)."""
        found: list[RecordModel] = [
            record for model in NEWS_KINDS for record in self.changed_since(model, since)
        ]
        return news_since(found, since, partner_id, deleted=self.deleted_since(Agreement, since))
