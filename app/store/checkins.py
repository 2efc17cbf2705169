"""Check-ins: one a partner and day, its id derived from both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.domain.models import CheckIn, Connection
from app.store.writing import _derived

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

CLOCK_AHEAD_DAYS = 2  # check-ins dated after today that ``checkins_lately`` still looks for


class CheckIns:
    """A partner's check-ins (mixed into ``CoupleStore``)."""

    def check_in(
        self, partner_id: str, connection: int, *, mood: str = "", note: str = "", day: dt.date | None = None
    ) -> CheckIn:
        """A partner's check-in for a day (checking in again that day changes it)."""
        self.partner(partner_id)
        day = day or dt.date.today()
        return self.create(
            CheckIn,
            partner_id,
            self.derived_id("checkin", partner_id, day.isoformat()),
            partner=partner_id,
            day=day,
            connection=Connection(connection),
            mood=mood,
            note=note,
        )

    def checkins_lately(self: CoupleStore, partner_id: str, today: dt.date, days: int) -> list[CheckIn]:
        """That partner's check-ins of the last ``days`` days (a day or two ahead too, for a clock
        ahead), oldest first, read by their ids alone; if there are none, their latest, however old."""
        wanted = (today - dt.timedelta(days=n) for n in range(-CLOCK_AHEAD_DAYS, days))
        file_id = self.file_id  # one look at the file for them all
        ids = (_derived(file_id, "checkin", partner_id, day.isoformat()) for day in wanted)
        found = [self._held(CheckIn, record_id) for record_id in ids]
        lately = sorted((c for c in found if c is not None and c.partner == partner_id), key=lambda c: c.day)
        if lately:
            return lately
        return self.checkins(partner_id)[-1:]  # reads them all: only when there is nothing lately

    def checkins(self: CoupleStore, partner_id: str | None = None) -> list[CheckIn]:
        found: Iterable[CheckIn] = self.records(CheckIn)
        if partner_id:
            found = (c for c in found if c.partner == partner_id)
        return sorted(found, key=lambda c: c.day)
