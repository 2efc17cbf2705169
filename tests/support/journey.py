"""Shared bits for the journey's TUI tests: a fixed today and a quick way to fill a file."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

from app.domain.models import Celebration, CelebrationSize, fields_of
from app.domain.records import new_record
from app.store.couple import CoupleStore
from app.store.files import canonical_json

TODAY = dt.date(2026, 5, 17)


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def write_many_celebrations(store: CoupleStore, count: int, seed: int = 7) -> None:
    """Put ``count`` celebrations straight into the file (one write, not ``count``)."""
    rng = random.Random(seed)
    partners = [p.id for p in store.partners]
    data = json.loads(store.path.read_text(encoding="utf-8"))
    table = data.setdefault(Celebration.KIND, {})
    for number in range(count):
        author = partners[number % 2]
        celebration = Celebration(
            id="-",
            author=author,
            created="",
            title=f"Step forward {number}",
            day=TODAY - dt.timedelta(days=rng.randint(0, 1500)),
            step=rng.choice([None, *range(1, 10)]),
            size=rng.choice(list(CelebrationSize)),
        )
        record_id = str(uuid.UUID(int=rng.getrandbits(128)))
        table[record_id] = new_record(author, store.clock.tick(), fields_of(celebration))
    store.path.write_text(canonical_json(data), encoding="utf-8")
    store.refresh()
