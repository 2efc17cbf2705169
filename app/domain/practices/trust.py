"""Step 5, rebuild trust gradually: small commitments kept day by day, and how consistently.

The one piece of logic here: how consistently a commitment has been kept (``consistency``) and
whether it has been kept for a month (``kept_for_a_month``, ``month_kept_on``, which the
celebration suggestions call).

Consistency is counted kindly. A missed day is a gap, never a reset: what was kept stays counted,
there is no streak to lose, and the day (or week) still under way only counts once it has been
kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.models import TITLE_MAX, OneLine, PracticeModel

WINDOW_WEEKS = 4
"""Consistency looks at the last four weeks (28 days)."""
ROW_WEEKS = 8
"""The row of marks shows the last eight weeks."""
MONTH_DAYS = 28
MONTH_SHARE = (3, 4)
"""Kept for a month: a commitment at least 28 days old, kept at least 3 times in 4 over the
last four weeks. A month of mostly-kept promises is worth celebrating; perfection is not asked."""


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"  # Monday to Friday
    WEEKLY = "weekly"  # once a week, on ``weekday``
    TIMES_A_WEEK = "times_a_week"  # ``times`` days a week, any days


class Commitment(PracticeModel):
    """A small promise one partner makes, kept day by day (``CommitmentKept``)."""

    KIND: ClassVar[str] = "commitment"
    partner: str  # who keeps it
    what: OneLine = Field(max_length=TITLE_MAX)
    frequency: Frequency = Frequency.DAILY
    weekday: int = Field(default=0, ge=0, le=6)  # for WEEKLY: Monday 0 .. Sunday 6
    times: int = Field(default=3, ge=1, le=7)  # for TIMES_A_WEEK
    since: dt.date  # the first day it asks for

    def due_on(self, day: dt.date) -> bool:
        """True if the commitment asks for that very day (any day of the week counts for
        TIMES_A_WEEK, and a weekly one kept on another day of its week still counts)."""
        if day < self.since:
            return False
        if self.frequency == Frequency.WEEKDAYS:
            return day.weekday() < 5
        if self.frequency == Frequency.WEEKLY:
            return day.weekday() == self.weekday
        return True


class CommitmentKept(PracticeModel):
    """A commitment kept on a day. Its id derives from both, so one record a day whichever
    machine marked it; marking the day again deletes it (a tombstone)."""

    KIND: ClassVar[str] = "commitment_kept"
    commitment_id: str
    day: dt.date


def kept_id_parts(commitment_id: str, day: dt.date) -> tuple[str, str, str]:
    """What a ``CommitmentKept`` id is derived from (``store.derived_id(*parts)``)."""
    return (CommitmentKept.KIND, commitment_id, day.isoformat())


class DayMark(StrEnum):
    """One day in the row of marks. Nothing here is a failure: an unmarked day is a gap."""

    KEPT = "kept"
    OPEN = "open"  # asked for, not marked (yet)
    REST = "rest"  # the commitment did not ask for this day
    NONE = "none"  # before it began, or still to come


@dataclass(frozen=True)
class Consistency:
    """How a commitment has gone lately, counted kindly.

    ``kept`` of ``expected`` occasions over the last ``WINDOW_WEEKS`` weeks:
    days for DAILY and WEEKDAYS, weeks for WEEKLY, times for TIMES_A_WEEK.
    Today (or this week) counts only for what was kept in it; time before the
    commitment began does not count at all. ``marks`` is one mark a day for
    the last ``ROW_WEEKS`` weeks, Monday first, oldest first.
    """

    frequency: Frequency
    kept: int
    expected: int
    marks: tuple[DayMark, ...]
    first_day: dt.date  # the Monday the marks start on
    last_kept: dt.date | None
    kept_today: bool
    since_last: int  # occasions asked for since the last kept one (0 if none, or none kept yet)

    @property
    def share(self) -> float:
        return self.kept / self.expected if self.expected else 0.0

    @property
    def weeks(self) -> list[tuple[DayMark, ...]]:
        """The marks a week at a time."""
        return [self.marks[i : i + 7] for i in range(0, len(self.marks), 7)]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    """Every day from start to end, both included."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def _by_day(commitment: Commitment, kept: set[dt.date], today: dt.date) -> tuple[int, int]:
    start = max(commitment.since, today - dt.timedelta(days=WINDOW_WEEKS * 7 - 1))
    expected = got = 0
    for day in _days(start, today):
        if not commitment.due_on(day):
            continue
        if day in kept:
            expected, got = expected + 1, got + 1
        elif day < today:
            expected += 1
    return got, expected


def _by_week(commitment: Commitment, kept: set[dt.date], today: dt.date) -> tuple[int, int]:
    target = 1 if commitment.frequency == Frequency.WEEKLY else commitment.times
    this_week = _monday(today)
    expected = got = 0
    for back in range(WINDOW_WEEKS - 1, -1, -1):
        monday = this_week - dt.timedelta(weeks=back)
        sunday = monday + dt.timedelta(days=6)
        if sunday < commitment.since:
            continue
        done = min(target, sum(1 for day in _days(monday, min(sunday, today)) if day in kept))
        got += done
        # The week under way, and a first week that began after the day it asked for,
        # count only what was kept in them: never a shortfall.
        if commitment.frequency == Frequency.WEEKLY:
            began = monday + dt.timedelta(days=commitment.weekday) >= commitment.since
        else:
            began = monday >= commitment.since
        expected += target if monday < this_week and began else done
    return got, expected


def _week_kept(kept: set[dt.date], day: dt.date) -> bool:
    monday = _monday(day)
    return any(monday + dt.timedelta(days=offset) in kept for offset in range(7))


def consistency(commitment: Commitment, kept_days: Iterable[dt.date], today: dt.date) -> Consistency:
    """How ``commitment`` has been kept up to ``today`` (see ``Consistency``).

    ``kept_days`` are the days it was marked kept; days after ``today`` are ignored.
    """
    kept = {day for day in kept_days if day <= today}
    got, expected = _kept_and_expected(commitment, kept, today)
    first_day = _monday(today) - dt.timedelta(weeks=ROW_WEEKS - 1)
    marks = []
    for day in _days(first_day, first_day + dt.timedelta(days=ROW_WEEKS * 7 - 1)):
        if day > today or day < commitment.since:
            marks.append(DayMark.KEPT if day in kept else DayMark.NONE)
        elif day in kept:
            marks.append(DayMark.KEPT)
        elif commitment.due_on(day) and not (
            commitment.frequency == Frequency.WEEKLY and _week_kept(kept, day)
        ):
            marks.append(DayMark.OPEN)
        else:
            marks.append(DayMark.REST)
    last_kept = max(kept, default=None)
    return Consistency(
        frequency=commitment.frequency,
        kept=got,
        expected=expected,
        marks=tuple(marks),
        first_day=first_day,
        last_kept=last_kept,
        kept_today=today in kept,
        since_last=_since_last(commitment, last_kept, today),
    )


def _kept_and_expected(commitment: Commitment, kept: set[dt.date], today: dt.date) -> tuple[int, int]:
    if commitment.frequency in (Frequency.DAILY, Frequency.WEEKDAYS):
        return _by_day(commitment, kept, today)
    return _by_week(commitment, kept, today)


def _since_last(commitment: Commitment, last_kept: dt.date | None, today: dt.date) -> int:
    """Days asked for after the last kept one and before today (weeks for weekly ones)."""
    if last_kept is None:
        return 0
    if commitment.frequency in (Frequency.WEEKLY, Frequency.TIMES_A_WEEK):
        return max(0, (_monday(today) - _monday(last_kept)).days // 7 - 1)
    return sum(
        1
        for day in _days(last_kept + dt.timedelta(days=1), today - dt.timedelta(days=1))
        if commitment.due_on(day)
    )


def kept_for_a_month(commitment: Commitment, kept_days: Iterable[dt.date], today: dt.date) -> bool:
    """True if, on ``today``, the commitment has been kept for a month (see ``MONTH_SHARE``).

    The celebration suggestions call this; ``month_kept_on`` says since when.
    """
    if (today - commitment.since).days + 1 < MONTH_DAYS:
        return False
    return _month_share_met(commitment, {day for day in kept_days if day <= today}, today)


def _month_share_met(commitment: Commitment, kept: set[dt.date], today: dt.date) -> bool:
    got, expected = _kept_and_expected(commitment, kept, today)
    share, out_of = MONTH_SHARE
    return expected > 0 and got * out_of >= expected * share


def month_kept_on(commitment: Commitment, kept_days: Iterable[dt.date], today: dt.date) -> dt.date | None:
    """The first day, up to ``today``, on which the commitment had been kept for a month; None
    if it has not been yet. A stable day for a suggestion ("kept for a month since ...")."""
    first = commitment.since + dt.timedelta(days=MONTH_DAYS - 1)
    kept = {day for day in kept_days if day <= today}
    for day in sorted(day for day in kept if day >= first):
        if _month_share_met(commitment, kept, day):  # it counts only the days up to ``day``
            return day
    return None
