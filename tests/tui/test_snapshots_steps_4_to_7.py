"""Steps 4 to 7 on their Practice tab at 100x40, with a couple a few weeks in, on a fixed day.

Look at the SVGs (``pytest --snapshot-update`` writes them under __snapshots__/)
before accepting a change.
"""

from __future__ import annotations

import pytest

from app.store.couple import CoupleStore
from tests.support.support import TODAY, fill_couple


@pytest.mark.parametrize("step", [4, 5, 6, 7])
def test_practice_tab(step: int, store: CoupleStore, make_app, snap_compare) -> None:
    fill_couple(store)
    assert snap_compare(make_app(store, today=TODAY), press=[str(step), "p"], terminal_size=(100, 40))
