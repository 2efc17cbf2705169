"""The dashboard as it looks, at 80x24 and 120x40, on a fixed day with fixed data.

Update on purpose, after looking at snapshot_report.html:
``.venv/bin/pytest tests/tui/test_dashboard.py --snapshot-update``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from app.domain.models import CelebrationSize, StepStatus
from app.store.couple import CoupleStore
from tests.support.today import TODAY, days_ago

# A gentle, fixed pattern of check-ins over the last five weeks; 0 is a day without one.
ALEX_DAYS = [
    3,
    3,
    0,
    4,
    3,
    4,
    4,
    0,
    0,
    3,
    4,
    4,
    5,
    4,
    0,
    3,
    4,
    4,
    4,
    5,
    0,
    4,
    4,
    5,
    4,
    4,
    0,
    5,
    4,
    4,
    5,
    4,
    0,
    4,
    5,
]
SAM_DAYS = [
    2,
    3,
    3,
    3,
    0,
    2,
    3,
    3,
    4,
    0,
    3,
    4,
    3,
    0,
    0,
    4,
    4,
    3,
    4,
    4,
    4,
    0,
    3,
    4,
    4,
    0,
    4,
    4,
    5,
    4,
    0,
    4,
    4,
    4,
    0,
]


def couple(db_path: Path) -> CoupleStore:
    store = CoupleStore(db_path)
    alex, sam = store.init("Alex", "Sam")
    for partner, statuses in (
        (alex, [StepStatus.PRACTISING, StepStatus.PRACTISING, StepStatus.EXPLORING]),
        (sam, [StepStatus.INTEGRATED, StepStatus.PRACTISING, StepStatus.EXPLORING, StepStatus.EXPLORING]),
    ):
        for step, status in enumerate(statuses, start=1):
            store.set_progress(partner.id, step, status)
    store.add_celebration(
        sam.id, "We said the hard thing out loud", day=days_ago(40), step=1, size="milestone"
    )
    store.add_celebration(alex.id, "First Sunday walk in months", day=days_ago(26))
    store.add_celebration(
        sam.id, "Ten years since our first date", day=days_ago(12), size=CelebrationSize.ANNIVERSARY
    )
    store.add_celebration(alex.id, "Paused an argument and came back to it kindly", day=days_ago(3), step=3)
    both = store.add_agreement(sam.id, "No big decisions after ten at night.")
    store.sign(both.id, sam.id)
    store.sign(both.id, alex.id)
    waiting = store.add_agreement(sam.id, "Phones stay in the hall during dinner.")
    store.sign(waiting.id, sam.id)
    for partner, pattern in ((alex, ALEX_DAYS), (sam, SAM_DAYS)):
        for days, score in zip(itertools.count(len(pattern) - 1, -1), pattern, strict=False):
            if score:
                store.check_in(
                    partner.id, score, mood="hopeful" if score > 3 else "tired", day=days_ago(days)
                )
    return store


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()  # the plots, suggestions and news come just after the first paint


def test_dashboard_80x24(snap_compare, db_path: Path, make_app) -> None:
    assert snap_compare(make_app(couple(db_path), today=TODAY), terminal_size=(80, 24), run_before=settle)


def test_dashboard_120x40(snap_compare, db_path: Path, make_app) -> None:
    assert snap_compare(make_app(couple(db_path), today=TODAY), terminal_size=(120, 40), run_before=settle)


def test_dashboard_80x24_scrolled_down(snap_compare, db_path: Path, make_app) -> None:
    """What is below the steps at 80x24: offers, celebrations, agreements, check-ins."""

    async def scroll(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#dashboard").scroll_to(y=20, animate=False)
        await pilot.pause()

    assert snap_compare(make_app(couple(db_path), today=TODAY), terminal_size=(80, 24), run_before=scroll)
