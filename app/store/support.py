"""Reads and writes for steps 4 to 7 that are more than adding, editing or deleting an entry.

A commitment is kept day by day: one ``CommitmentKept`` record per commitment
and day, its id derived from both (``store.derived_id``), so two machines
marking the same day make one record when their files merge. Marking a day
again un-marks it: the record gets a tombstone, and a later mark brings it back.
"""

from __future__ import annotations

import datetime as dt

from app.domain.practices.trust import Commitment, CommitmentKept, Consistency, consistency, kept_id_parts
from app.domain.records import is_alive
from app.store.couple import CoupleStore
from app.store.storage import StoreError


def kept_id(store: CoupleStore, commitment_id: str, day: dt.date) -> str:
    """The id of the record saying that commitment was kept that day (the same on every machine)."""
    return store.derived_id(*kept_id_parts(commitment_id, day))


def is_kept(store: CoupleStore, commitment_id: str, day: dt.date) -> bool:
    raw = store.raw_table(CommitmentKept.KIND).get(kept_id(store, commitment_id, day))
    return raw is not None and is_alive(raw)


def toggle_kept(store: CoupleStore, commitment_id: str, day: dt.date, editor: str) -> bool:
    """Mark the commitment kept on ``day``, or un-mark it if it was; True if it is kept now."""
    if store.get(Commitment, commitment_id) is None:
        raise StoreError("unknown_record", case="commitment")
    record_id = kept_id(store, commitment_id, day)
    if is_kept(store, commitment_id, day):
        store.delete(CommitmentKept, record_id, editor)
        return False
    store.create(CommitmentKept, editor, record_id, commitment_id=commitment_id, day=day)
    return True


def kept_days(store: CoupleStore) -> dict[str, set[dt.date]]:
    """Every commitment's kept days, by commitment id."""
    found: dict[str, set[dt.date]] = {}
    for kept in store.records(CommitmentKept):
        found.setdefault(kept.commitment_id, set()).add(kept.day)
    return found


def commitments(store: CoupleStore) -> list[Commitment]:
    """The couple's commitments, oldest first."""
    return sorted(store.records(Commitment), key=lambda c: (c.created, c.id))


def commitments_with_consistency(store: CoupleStore, today: dt.date) -> list[tuple[Commitment, Consistency]]:
    """Each commitment with how it has been kept up to ``today``, oldest first."""
    days = kept_days(store)
    return [(c, consistency(c, days.get(c.id, set()), today)) for c in commitments(store)]
