"""Steps 1 to 3 on their Practice tab, and the calm-down screen, at 100x40 with a couple a few weeks in.

Look at the SVGs (``pytest --snapshot-update`` writes them under __snapshots__/)
before accepting a change.
"""

from __future__ import annotations

import pytest

from app.store.couple import CoupleStore
from tests.support.awareness import TODAY, fill_couple

pytestmark = pytest.mark.usefixtures("still_clocks")


@pytest.mark.parametrize("step", [1, 2, 3])
def test_practice_tab(step: int, store: CoupleStore, make_app, snap_compare) -> None:
    fill_couple(store)
    assert snap_compare(make_app(store, today=TODAY), press=[str(step), "p"], terminal_size=(100, 40))


def test_calm_down_screen(store: CoupleStore, make_app, snap_compare) -> None:
    fill_couple(store)
    assert snap_compare(
        make_app(store, today=TODAY), press=["1", "exclamation_mark"], terminal_size=(100, 40)
    )


def test_calm_down_screen_before_any_phrase_of_their_own(store: CoupleStore, make_app, snap_compare) -> None:
    assert snap_compare(make_app(store, today=TODAY), press=["exclamation_mark"], terminal_size=(80, 24))
