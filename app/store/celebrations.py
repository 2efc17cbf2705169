"""Celebrations: logging one (from a suggestion or not), the log, and each partner's reaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.domain.models import Celebration, CelebrationSize
from app.domain.records import RawRecord
from app.store.errors import StoreError
from app.store.lazy import LazyTable

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

REACTION_MAX = 280
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day as the app stores it: ordered as the dates are


class Celebrations:
    """Celebrations and reactions to them (mixed into ``CoupleStore``)."""

    def add_celebration(
        self,
        author: str,
        title: str,
        *,
        note: str = "",
        day: dt.date | None = None,
        step: int | None = None,
        size: CelebrationSize = CelebrationSize.SMALL,
        suggestion: str = "",
    ) -> Celebration:
        """Log a celebration by one of the partners; ``suggestion`` is the key of the suggestion
        it came from, if any (so neither partner is offered that moment again)."""
        self.partner(author)
        return self.create(
            Celebration,
            author,
            title=title,
            note=note,
            day=day or dt.date.today(),
            step=step,
            size=CelebrationSize(size),
            from_suggestion=suggestion,
        )

    def celebrations(self: CoupleStore) -> list[Celebration]:
        """Newest first."""
        return sorted(self.records(Celebration), key=lambda c: (c.day, c.created), reverse=True)

    def latest_celebrations(self: CoupleStore, count: int) -> list[Celebration]:
        """The first ``count`` of ``celebrations()``, only those read as models (the dashboard's
        five of thousands): the records are put in order by the day and stamp they store, which
        order as the models' do, and read from the newest until ``count`` are alive and valid. A
        table as read from the file is ordered from its bytes, no record parsed
        (``LazyTable.dated``). Should any record store its day otherwise, ``celebrations()``
        orders them all."""
        table = self.raw_table(Celebration.KIND)
        order = table.dated("day") if isinstance(table, LazyTable) else None
        if order is None:
            order = _dated(table)
        if order is None:
            return self.celebrations()[:count]
        latest: list[Celebration] = []
        for record_id in sorted(order, key=order.__getitem__, reverse=True):  # as stable as theirs
            if len(latest) == count:
                break
            celebration = self._held(Celebration, record_id)
            if celebration is not None:
                latest.append(celebration)
        return latest

    def react(self: CoupleStore, celebration_id: str, partner_id: str, text: str) -> Celebration:
        """Set that partner's reaction to a celebration (empty text takes it away)."""
        celebration = self.get(Celebration, celebration_id)
        if celebration is None:
            raise StoreError("unknown_record", case="id", kind="celebration", id=celebration_id[:12])
        self.partner(partner_id)
        text = " ".join(text.split())
        if len(text) > REACTION_MAX:
            raise StoreError("too_long", limit=REACTION_MAX)
        reactions = {p: words for p, words in celebration.reactions.items() if p != partner_id}
        if text:
            reactions[partner_id] = text
        return self.update(Celebration, celebration_id, partner_id, reactions=reactions)


def _dated(table: Mapping[str, RawRecord]) -> dict[str, tuple[str, str]] | None:
    """Each record's stored day and creation stamp, in the table's order; None if one stores
    either otherwise."""
    order: dict[str, tuple[str, str]] = {}
    try:
        for record_id, raw in table.items():
            day, created = raw["fields"]["day"], raw["created"]
            if not (isinstance(day, str) and _ISO_DAY.fullmatch(day) and isinstance(created, str)):
                return None
            order[record_id] = (day, created)
    except (KeyError, TypeError):
        return None
    return order
