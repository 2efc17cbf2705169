"""The hybrid logical clock (app/domain/clock.py): stamps that never go back, sort as strings in time
order, and read as days."""

from __future__ import annotations

from app.domain.clock import HybridClock, parse_stamp, stamp_day
from tests.support.records import TODAY, stamp


def test_stamp_day_reads_the_wall_clock_part() -> None:
    assert stamp_day(stamp(TODAY)) == TODAY
    assert stamp_day("not a stamp") is None


def test_clock_never_goes_backwards_when_wall_clock_does() -> None:
    now = [1_800_000_000_000]
    clock = HybridClock("abc", now_ms=lambda: now[0])
    first = clock.tick()
    now[0] -= 3_600_000  # the machine's clock is set back an hour
    second = clock.tick()
    third = clock.tick()
    assert first < second < third
    assert parse_stamp(second)[0] == parse_stamp(first)[0]


def test_stamps_sort_as_strings_in_time_order() -> None:
    clock = HybridClock("r1", now_ms=lambda: 999)
    stamps = [clock.tick() for _ in range(3)]
    later = HybridClock("r0", now_ms=lambda: 1_000).tick()
    assert sorted([*stamps, later]) == [*stamps, later]
