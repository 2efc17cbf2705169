"""Repair conversations: each partner writes their own half, on their own machine."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.domain.repair import Repair, half_changes
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class Repairs:
    """Repair conversations (mixed into ``CoupleStore``)."""

    def save_half(
        self: CoupleStore,
        partner_id: str,
        half: dict[str, str],
        *,
        repair_id: str | None = None,
        about: str | None = None,
        day: dt.date | None = None,
    ) -> Repair:
        """Write ``partner_id``'s whole half of a repair (the other half is left as it is).

        Without ``repair_id`` a new repair conversation starts, about ``about``.
        Each part is one entry of a map keyed by partner id, so halves written
        on two machines merge; an empty part is taken out of the map.
        """
        self.partner(partner_id)
        if repair_id is None:
            changes = half_changes(None, partner_id, half)
            return self.create(Repair, partner_id, about=about or "", day=day or dt.date.today(), **changes)
        repair = self.get(Repair, repair_id)
        if repair is None:
            raise StoreError("unknown_record", case="repair")
        fields: dict[str, Any] = half_changes(repair, partner_id, half)
        if about is not None:
            fields["about"] = about
        if day is not None:
            fields["day"] = day
        return self.update(Repair, repair_id, partner_id, **fields)
