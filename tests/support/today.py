"""The day the tests of the sections are set on (the dashboard, the log, check-ins, the weekly
talk, suggestions, news, the dialogs): ``TODAY``, a Sunday, and ``days_ago``. The practices' tests
have their own, in ``tests.support.practices``."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 5, 17)  # a Sunday


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)
