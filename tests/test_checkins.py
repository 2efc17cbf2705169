"""Check-ins over time (app/domain/checkins.py): each partner's series with its gaps, and months."""

from __future__ import annotations

import datetime as dt

from app.domain.checkins import checkins_by_month, connection_series
from tests.support.records import ALEX, PARTNERS, SAM, TODAY, checkin


def test_the_series_has_a_gap_where_nobody_checked_in() -> None:
    held = [checkin(ALEX, 0, 4), checkin(ALEX, 2, 2), checkin(SAM, 1, 5), checkin(ALEX, 40, 1)]
    assert connection_series(held, ALEX, TODAY, 5) == [None, None, 2, None, 4]
    assert connection_series(held, SAM, TODAY, 3) == [None, 5, None]
    assert len(connection_series(held, ALEX, TODAY, 90)) == 90
    assert connection_series([], ALEX, TODAY, 2) == [None, None]


def test_the_monthly_summary_counts_and_averages_each_partner_newest_month_first() -> None:
    held = [
        checkin(ALEX, 0, 4),  # 17 May
        checkin(ALEX, 1, 3),
        checkin(SAM, 2, 5),
        checkin(SAM, 20, 2),  # 27 April
        checkin("stranger", 0, 1),
    ]
    may, april = checkins_by_month(held, PARTNERS)
    assert may.month == dt.date(2026, 5, 1)
    assert may.counts == {ALEX: 2, SAM: 1} and may.averages == {ALEX: 3.5, SAM: 5.0}
    assert april.month == dt.date(2026, 4, 1)
    assert april.counts == {ALEX: 0, SAM: 1} and april.averages == {SAM: 2.0}
    assert checkins_by_month([], PARTNERS) == []
