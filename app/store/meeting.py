"""The weekly talk: saved as one ``Meeting`` record; a new agreement is proposed on the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.meeting import Meeting
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class Meetings:
    """Weekly meetings (mixed into ``CoupleStore``)."""

    def hold_meeting(
        self: CoupleStore,
        author: str,
        *,
        day: dt.date,
        appreciations: Mapping[str, str],
        went_well: str = "",
        issue: str = "",
        issue_notes: str = "",
        needs: Mapping[str, str],
        agreement: str = "",
    ) -> Meeting:
        """Save a weekly meeting as one record; a new agreement is proposed on the agreements list."""
        self.partner(author)
        fields: dict[str, Any] = {
            "day": day,
            "appreciations": {p: t.strip() for p, t in appreciations.items() if t.strip()},
            "went_well": went_well.strip(),
            "issue": issue.strip(),
            "issue_notes": issue_notes.strip(),
            "needs": {p: t.strip() for p, t in needs.items() if t.strip()},
        }
        try:
            checked = Meeting.model_validate({**fields, "id": "-", "author": author, "created": ""})
        except ValidationError:
            raise StoreError("invalid", case="meeting") from None
        if checked.is_empty and not agreement.strip():
            raise StoreError("empty_meeting")
        if agreement.strip():
            fields["agreement_id"] = self.add_agreement(author, agreement).id
        return self.create(Meeting, author, **fields)

    def meetings(self: CoupleStore) -> list[Meeting]:
        """Newest first."""
        return sorted(self.records(Meeting), key=lambda m: (m.day, m.created), reverse=True)

    def latest_meeting(self: CoupleStore) -> Meeting | None:
        """The first of ``meetings()``, only it read as a model (``newest``)."""
        return next(iter(self.newest(Meeting, 1)), None)
