"""Celebrations: logging one (from a suggestion or not), the log, and each partner's reaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.models import Celebration, CelebrationSize
from app.store.errors import StoreError
from app.store.lazy import LazyTable

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

REACTION_MAX = 280


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
        five of thousands: ``newest``)."""
        return self.newest(Celebration, count)

    def from_suggestions(self: CoupleStore) -> list[Celebration]:
        """The celebrations logged from a suggestion (each holds its key: ``from_suggestion``),
        only those read as models: a table as read from the file is looked through in its bytes
        (``LazyTable.field_texts``), no record parsed but those."""
        table = self.raw_table(Celebration.KIND)
        texts = table.field_texts("from_suggestion") if isinstance(table, LazyTable) else None
        if texts is None:
            return [c for c in self.records(Celebration) if c.from_suggestion]
        found = (self._held(Celebration, record_id) for record_id, text in texts.items() if text)
        return [c for c in found if c is not None and c.from_suggestion]

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
