"""How a small commitment's keeping is counted: kindly, with a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from app.domain.practices.trust import (
    Commitment,
    DayMark,
    Frequency,
    consistency,
    kept_for_a_month,
    month_kept_on,
)

TODAY = dt.date(2026, 11, 18)  # a Wednesday
MONDAY = dt.date(2026, 11, 16)


def days_ago(*offsets: int) -> set[dt.date]:
    return {TODAY - dt.timedelta(days=offset) for offset in offsets}


def commitment(frequency: Frequency = Frequency.DAILY, since_days: int = 100, **more) -> Commitment:
    return Commitment(
        id="c1",
        author="alex",
        created="",
        partner="alex",
        what="Text when I'm running late",
        frequency=frequency,
        since=TODAY - dt.timedelta(days=since_days),
        **more,
    )


def test_daily_counts_the_last_28_days_and_today_only_once_kept() -> None:
    every_other = days_ago(*range(1, 28, 2))  # 14 days in the window, not today
    held = consistency(commitment(), every_other, TODAY)
    assert (held.kept, held.expected) == (14, 27)  # today is still open: not a shortfall
    held = consistency(commitment(), every_other | {TODAY}, TODAY)
    assert (held.kept, held.expected) == (15, 28)
    assert held.kept_today


def test_a_missed_day_is_a_gap_and_never_resets_what_was_kept() -> None:
    all_but_one = days_ago(*range(0, 28)) - days_ago(3)
    held = consistency(commitment(), all_but_one, TODAY)
    assert (held.kept, held.expected) == (27, 28)
    # A long gap after many kept days: the kept days still count, nothing starts from zero.
    early = days_ago(*range(14, 28))
    held = consistency(commitment(), early, TODAY)
    assert held.kept == 14
    assert held.since_last == 13  # thirteen days asked for since: "resume, don't restart"
    resumed = consistency(commitment(), early | {TODAY}, TODAY)
    assert resumed.kept == 15 and resumed.since_last == 0 and resumed.kept_today  # picked up again


def test_days_before_the_commitment_began_do_not_count() -> None:
    young = commitment(since_days=2)
    held = consistency(young, days_ago(2, 1), TODAY)
    assert (held.kept, held.expected) == (2, 2)
    assert consistency(young, set(), TODAY).expected == 2
    assert consistency(commitment(since_days=0), set(), TODAY).expected == 0


def test_days_after_today_are_ignored() -> None:
    held = consistency(commitment(), {TODAY + dt.timedelta(days=1)}, TODAY)
    assert (held.kept, held.expected) == (0, 27)
    assert held.last_kept is None


def test_weekdays_leave_weekends_out() -> None:
    weekdays_kept = {day for day in days_ago(*range(1, 28)) if day.weekday() < 5}
    held = consistency(commitment(Frequency.WEEKDAYS), weekdays_kept, TODAY)
    assert held.kept == held.expected == 19  # 4 weeks of weekdays less today (open)
    weekend = {day for day in days_ago(*range(1, 28)) if day.weekday() >= 5}
    assert consistency(commitment(Frequency.WEEKDAYS), weekend, TODAY).kept == 0


def test_weekly_counts_a_week_kept_on_any_of_its_days() -> None:
    sundays = commitment(Frequency.WEEKLY, weekday=6)
    # Kept on the Saturday of last week and the Sunday two weeks ago; nothing three weeks ago.
    kept = {MONDAY - dt.timedelta(days=2), MONDAY - dt.timedelta(days=8)}
    held = consistency(sundays, kept, TODAY)
    assert (held.kept, held.expected) == (2, 3)  # this week is still under way
    week_marks = held.weeks[-2]  # last week, Monday first
    assert week_marks[5] == DayMark.KEPT and week_marks[6] == DayMark.REST  # no gap shown: it was kept


def test_times_a_week_is_capped_at_the_target_and_this_week_stays_open() -> None:
    thrice = commitment(Frequency.TIMES_A_WEEK, times=3)
    last_week = {MONDAY - dt.timedelta(days=d) for d in (1, 2, 3, 4, 5)}  # five times: counts as three
    this_week = {MONDAY, MONDAY + dt.timedelta(days=1)}
    held = consistency(thrice, last_week | this_week, TODAY)
    assert held.kept == 3 + 2
    assert held.expected == 3 * 3 + 2  # three whole weeks before, and this week's two


def test_marks_cover_eight_weeks_from_a_monday() -> None:
    held = consistency(commitment(Frequency.WEEKDAYS, since_days=10), days_ago(0, 1), TODAY)
    assert len(held.marks) == 56 and held.first_day.weekday() == 0
    assert held.first_day == MONDAY - dt.timedelta(weeks=7)
    this_week = held.weeks[-1]
    assert this_week[:3] == (DayMark.OPEN, DayMark.KEPT, DayMark.KEPT)  # Mon open, Tue and Wed kept
    assert this_week[3:] == (DayMark.NONE,) * 4  # still to come
    assert held.weeks[0] == (DayMark.NONE,) * 7  # before it began
    last_week = held.weeks[-2]
    assert last_week[5:] == (DayMark.REST, DayMark.REST)  # the weekend was never asked for


def test_kept_for_a_month_needs_28_days_and_three_times_in_four() -> None:
    assert not kept_for_a_month(commitment(since_days=20), days_ago(*range(0, 21)), TODAY)
    month = commitment(since_days=27)
    assert kept_for_a_month(month, days_ago(*range(1, 22)), TODAY)  # 21 of 27 (today open)
    assert not kept_for_a_month(month, days_ago(*range(1, 21)), TODAY)  # 20 of 27
    assert not kept_for_a_month(month, set(), TODAY)


def test_month_kept_on_is_the_first_day_it_came_true() -> None:
    month = commitment(since_days=40)
    every_day = days_ago(*range(0, 41))
    assert month_kept_on(month, every_day, TODAY) == month.since + dt.timedelta(days=27)
    assert month_kept_on(month, set(), TODAY) is None


def test_a_commitment_is_kept_at_most_seven_times_a_week() -> None:
    with pytest.raises(ValidationError):
        commitment(times=9)
