"""Step 5, rebuild trust gradually: commitments, and the days each was kept.

A commitment is kept day by day: one ``CommitmentKept`` record per commitment
and day, its id derived from both (``store.derived_id``), so two machines
marking the same day make one record when their files merge. Marking a day
again un-marks it: the record gets a tombstone, and a later mark brings it back.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.practices.trust import Commitment, CommitmentKept, Consistency, consistency, kept_id_parts
from app.domain.records import is_alive
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class Commitments:
    """Commitments kept day by day (mixed into ``CoupleStore``)."""

    def kept_id(self: CoupleStore, commitment_id: str, day: dt.date) -> str:
        """The id of the record saying that commitment was kept that day (the same on every machine)."""
        return self.derived_id(*kept_id_parts(commitment_id, day))

    def is_kept(self: CoupleStore, commitment_id: str, day: dt.date) -> bool:
        raw = self.raw_table(CommitmentKept.KIND).get(self.kept_id(commitment_id, day))
        return raw is not None and is_alive(raw)

    def toggle_kept(self: CoupleStore, commitment_id: str, day: dt.date, editor: str) -> bool:
        """Mark the commitment kept on ``day``, or un-mark it if it was; True if it is kept now."""
        if self.get(Commitment, commitment_id) is None:
            raise StoreError("unknown_record", case="commitment")
        record_id = self.kept_id(commitment_id, day)
        if self.is_kept(commitment_id, day):
            self.delete(CommitmentKept, record_id, editor)
            return False
        self.create(CommitmentKept, editor, record_id, commitment_id=commitment_id, day=day)
        return True

    def kept_days(self: CoupleStore) -> dict[str, set[dt.date]]:
        """Every commitment's kept days, by commitment id."""
        found: dict[str, set[dt.date]] = {}
        for kept in self.records(CommitmentKept):
            found.setdefault(kept.commitment_id, set()).add(kept.day)
        return found

    def commitments(self: CoupleStore) -> list[Commitment]:
        """The couple's commitments, oldest first."""
        return sorted(self.records(Commitment), key=lambda c: (c.created, c.id))

    def commitments_with_consistency(
        self: CoupleStore, today: dt.date
    ) -> list[tuple[Commitment, Consistency]]:
        """Each commitment with how it has been kept up to ``today``, oldest first."""
        days = self.kept_days()
        return [(c, consistency(c, days.get(c.id, set()), today)) for c in self.commitments()]
