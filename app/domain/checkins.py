"""Check-ins over time: a partner's connection day by day (gaps where they did not check in),
and each month's counts and averages. (A check-in itself is a core kind:
``app.domain.models.CheckIn``.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.models import CheckIn


def connection_series(
    checkins: Iterable[CheckIn], partner_id: str, today: dt.date, days: int
) -> list[int | None]:
    """That partner's connection for each of the last ``days`` days, oldest first; None where
    they did not check in (a gap, not a zero)."""
    by_day = {c.day: int(c.connection) for c in checkins if c.partner == partner_id}
    start = today - dt.timedelta(days=days - 1)
    return [by_day.get(start + dt.timedelta(days=offset)) for offset in range(days)]


@dataclass(frozen=True)
class MonthOfCheckIns:
    """One month's check-ins: per partner, how many and their average connection."""

    month: dt.date  # the first day of the month
    counts: dict[str, int] = field(default_factory=dict)
    averages: dict[str, float] = field(default_factory=dict)


def checkins_by_month(checkins: Iterable[CheckIn], partner_ids: Sequence[str]) -> list[MonthOfCheckIns]:
    """Per month, newest first: counts and averages for each partner, in ``partner_ids`` order."""
    scores: dict[dt.date, dict[str, list[int]]] = {}
    for checkin in checkins:
        if checkin.partner in partner_ids:
            month = checkin.day.replace(day=1)
            scores.setdefault(month, {}).setdefault(checkin.partner, []).append(int(checkin.connection))
    months = []
    for month in sorted(scores, reverse=True):
        held = scores[month]
        months.append(
            MonthOfCheckIns(
                month=month,
                counts={p: len(held.get(p, [])) for p in partner_ids},
                averages={p: sum(held[p]) / len(held[p]) for p in partner_ids if held.get(p)},
            )
        )
    return months
