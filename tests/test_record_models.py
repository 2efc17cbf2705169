"""The typed views built from stored records: what they share, and what holding them costs."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tracemalloc
from pathlib import Path

from app.domain.models import KINDS, CheckIn
from app.store.couple import CoupleStore


def _checkins(store: CoupleStore, days: int) -> list[CheckIn]:
    alex, sam = store.partners
    start = dt.date(2026, 11, 1)
    for offset in range(days):
        store.check_in(alex.id, 1 + offset % 5, mood="calm", day=start + dt.timedelta(days=offset))
    store.check_in(sam.id, 4, day=start)  # no mood, no note: the defaults
    return store.checkins()


def test_records_of_a_kind_share_one_set_of_the_fields_they_set(store: CoupleStore) -> None:
    checkins = _checkins(store, 6)
    assert len({id(checkin.model_fields_set) for checkin in checkins}) == 1
    assert checkins[0].model_fields_set == set(CheckIn.model_fields)


def test_a_changed_copy_gets_its_own_set_and_leaves_the_others_alone(store: CoupleStore) -> None:
    first, second, *_ = _checkins(store, 3)
    before = set(second.model_fields_set)
    changed = first.model_copy(update={"note": "We laughed at dinner."})
    assert changed.model_fields_set is not first.model_fields_set
    assert changed.note == "We laughed at dinner."
    assert second.model_fields_set == before
    assert first.model_fields_set is second.model_fields_set


def test_a_check_in_held_in_memory_costs_under_600_bytes(store: CoupleStore) -> None:
    """pydantic's own set of fields made each check-in ~1.1 KB; shared, one takes ~0.4 KB.

    Allocations are counted (tracemalloc), not timed: the same every run.
    """
    _checkins(store, 1)
    record_id, raw = next(iter(store.raw_table(CheckIn.KIND).items()))
    CheckIn.from_raw(record_id, raw)  # the shared set made once, as for the first record of a file
    tracemalloc.start()
    try:
        held = [CheckIn.from_raw(record_id, raw) for _ in range(200)]
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(held) == 200
    assert size / len(held) < 600, f"{size / len(held):.0f} bytes a check-in"


def test_the_practices_kinds_are_imported_when_the_registry_is_read_not_with_the_app() -> None:
    code = (
        "import sys, app.store.couple, app.tui.app\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.domain.practices.')))\n"
        "from app.domain.models import KINDS\n"
        "print('wound' in KINDS, 'present_moment' in KINDS, len(KINDS))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    imported, registry = result.stdout.splitlines()
    assert imported == "['app.domain.practices.celebrate', 'app.domain.practices.trust']"  # the store's
    assert registry == f"True True {len(KINDS)}"  # every kind, once the registry is read
