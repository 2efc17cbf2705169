"""Records as the domain's pure rules take them, made by hand: two partners by id, on the fixed
day of ``tests.support.today`` (a Sunday), each stamped at noon."""

from __future__ import annotations

import datetime as dt

from app.domain.clock import format_stamp
from app.domain.models import Agreement, Celebration, CheckIn, Connection, Progress, StepStatus, wording_key
from tests.support.today import TODAY

ALEX, SAM = "alex-id", "sam-id"

PARTNERS = (ALEX, SAM)


def stamp(day: dt.date, counter: int = 0) -> str:
    """A clock stamp made at noon on ``day`` (local time)."""
    moment = dt.datetime.combine(day, dt.time(12, 0))
    return format_stamp(int(moment.timestamp() * 1000), counter, "r1")


def progress(partner: str, step: int, status: StepStatus, day: dt.date = TODAY) -> Progress:
    return Progress(
        id=f"p-{partner}-{step}",
        author=partner,
        created=stamp(day),
        updated=stamp(day),
        partner=partner,
        step=step,
        status=status,
    )


def agreement(text: str, signers: tuple[str, ...], day: dt.date = TODAY, **extra: object) -> Agreement:
    return Agreement(
        id=f"a-{text}",
        author=ALEX,
        created=stamp(day),
        updated=stamp(day),
        list_id="list",
        text=text,
        signatures={p: wording_key(text) for p in signers},
        **extra,
    )


def celebration(title: str, from_suggestion: str = "") -> Celebration:
    return Celebration(
        id=f"c-{title}",
        author=ALEX,
        created=stamp(TODAY),
        title=title,
        day=TODAY,
        from_suggestion=from_suggestion,
    )


def checkin(partner: str, days_ago: int, connection: int) -> CheckIn:
    day = TODAY - dt.timedelta(days=days_ago)
    return CheckIn(
        id=f"k-{partner}-{days_ago}",
        author=partner,
        created=stamp(day),
        partner=partner,
        day=day,
        connection=Connection(connection),
    )
