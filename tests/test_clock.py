"""The clock's stamps (app/domain/clock.py) read as days."""

from __future__ import annotations

from app.domain.clock import stamp_day
from tests.support.records import TODAY, stamp


def test_stamp_day_reads_the_wall_clock_part() -> None:
    assert stamp_day(stamp(TODAY)) == TODAY
    assert stamp_day("not a stamp") is None
