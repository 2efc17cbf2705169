"""Celebrations: logging one (from a suggestion or not), the log, and each partner's reaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.models import Celebration, CelebrationSize
from app.store.errors import StoreError

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
