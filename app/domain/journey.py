"""The journey over time: weekly meetings, moments worth celebrating, check-in plots, what is new.

Pure functions over the models (no I/O, no Textual, no TinyDB), so the rules
can be tested on their own and the TUI, the CLI and the export share them.

Celebrations suggest themselves, never add themselves: ``suggestions`` looks
at what the couple's file says happened and offers moments worth logging.
Each rule is a function ``(JourneyFacts) -> Iterable[Suggestion]`` in
``SUGGESTION_RULES``; a feature with its own moments (step 5's commitments kept
for a month) appends its rule there, and if it needs facts the others do not,
it adds a field to ``JourneyFacts`` with an empty default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

from pydantic import Field

from app.domain.clock import stamp_day
from app.domain.models import (
    TEXT_MAX,
    Agreement,
    AgreementStatus,
    Celebration,
    CelebrationSize,
    CheckIn,
    PracticeModel,
    Progress,
    RecordModel,
    StepStatus,
)
from app.domain.support import Commitment, month_kept_on

SUGGESTION_DAYS = 45
"""A moment older than this is no longer offered (it is history, not news)."""


# -- the weekly "state of us" meeting -----------------------------------------------------


class Meeting(PracticeModel):
    """One weekly talk, saved as one record when the couple finish it.

    Appreciations and needs are one text a partner (``appreciation.<partner id>``),
    so two machines filling in their own part never overwrite each other.
    """

    KIND: ClassVar[str] = "meeting"
    MAPS: ClassVar[dict[str, str]] = {"appreciations": "appreciation", "needs": "need"}
    day: dt.date
    appreciations: dict[str, str] = {}
    went_well: str = Field(default="", max_length=TEXT_MAX)
    issue: str = Field(default="", max_length=TEXT_MAX)
    issue_notes: str = Field(default="", max_length=TEXT_MAX)
    needs: dict[str, str] = {}
    agreement_id: str = ""  # the agreement proposed at this meeting, if any

    @property
    def is_empty(self) -> bool:
        texts = [
            self.went_well,
            self.issue,
            self.issue_notes,
            *self.appreciations.values(),
            *self.needs.values(),
        ]
        return not any(text.strip() for text in texts) and not self.agreement_id


# -- suggestions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A moment the app offers to log as a celebration.

    ``key`` is the same for the same moment on both machines; a celebration
    logged from the suggestion keeps it (``Celebration.from_suggestion``) so
    neither partner is offered it again. ``reason`` names the rule
    (the TUI words it from content: ``[suggest]``).
    """

    key: str
    reason: str
    day: dt.date
    partner: str = ""
    step: int | None = None
    size: CelebrationSize = CelebrationSize.MILESTONE
    subject: str = ""  # the words the moment is about (an agreement's text)


@dataclass(frozen=True)
class JourneyFacts:
    """What the rules look at."""

    progress: Sequence[Progress]
    agreements: Sequence[Agreement]
    partner_ids: Sequence[str]
    today: dt.date
    commitments: Sequence[tuple[Commitment, frozenset[dt.date]]] = ()
    """Step 5's small commitments, each with the days it was kept."""


SuggestionRule = Callable[[JourneyFacts], Iterable[Suggestion]]


def step_integrated(facts: JourneyFacts) -> Iterable[Suggestion]:
    """A partner marked a step integrated: part of how they live now."""
    for item in facts.progress:
        if item.status == StepStatus.INTEGRATED and item.partner in facts.partner_ids:
            day = stamp_day(item.updated) or facts.today
            yield Suggestion(
                key=f"step-integrated/{item.partner}/{item.step}",
                reason="step_integrated",
                day=day,
                partner=item.partner,
                step=item.step,
            )


def agreement_agreed(facts: JourneyFacts) -> Iterable[Suggestion]:
    """Both partners signed an agreement's current wording."""
    for agreement in facts.agreements:
        if agreement.status(facts.partner_ids) == AgreementStatus.AGREED:
            yield Suggestion(
                key=f"agreement-agreed/{agreement.id}",
                reason="agreement_agreed",
                day=stamp_day(agreement.updated) or facts.today,
                subject=agreement.text,
            )


@lru_cache(maxsize=1024)
def _month_kept_on(commitment: Commitment, kept: frozenset[dt.date], today: dt.date) -> dt.date | None:
    """``month_kept_on``, remembered: the dashboard asks again after every save, and a commitment
    kept for years is searched over every day it was kept."""
    return month_kept_on(commitment, kept, today)


def commitment_kept_for_a_month(facts: JourneyFacts) -> Iterable[Suggestion]:
    """A partner has kept a small commitment for a month (see ``app.domain.support``)."""
    for commitment, kept in facts.commitments:
        day = _month_kept_on(commitment, frozenset(kept), facts.today)
        if day is not None and commitment.partner in facts.partner_ids:
            yield Suggestion(
                key=f"commitment-month/{commitment.id}",
                reason="commitment_month",
                day=day,
                partner=commitment.partner,
                step=5,
                subject=commitment.what,
            )


SUGGESTION_RULES: list[SuggestionRule] = [step_integrated, agreement_agreed, commitment_kept_for_a_month]
"""Every rule that finds moments worth celebrating (append to add one)."""


def suggestions(
    progress: Sequence[Progress],
    agreements: Sequence[Agreement],
    celebrations: Sequence[Celebration],
    partner_ids: Sequence[str],
    today: dt.date,
    *,
    commitments: Sequence[tuple[Commitment, frozenset[dt.date]]] = (),
    dismissed: Iterable[str] = (),
    rules: Sequence[SuggestionRule] | None = None,
    within_days: int = SUGGESTION_DAYS,
) -> list[Suggestion]:
    """Moments worth offering to celebrate, newest first.

    A moment is left out once it was logged (a celebration holds its key), let
    pass on this machine (``dismissed``), or is more than ``within_days`` old.
    """
    facts = JourneyFacts(
        progress=progress,
        agreements=agreements,
        partner_ids=partner_ids,
        today=today,
        commitments=commitments,
    )
    done = set(dismissed) | {c.from_suggestion for c in celebrations if c.from_suggestion}
    found: dict[str, Suggestion] = {}
    for rule in SUGGESTION_RULES if rules is None else rules:
        for suggestion in rule(facts):
            age = (today - suggestion.day).days
            if suggestion.key in done or age > within_days:
                continue
            found.setdefault(suggestion.key, suggestion)
    return sorted(found.values(), key=_newest_first)


def _newest_first(suggestion: Suggestion) -> tuple[int, str, int, str, str]:
    """Newest day first; on one day, in an order that does not depend on random ids."""
    step = suggestion.step or 0
    return (-suggestion.day.toordinal(), suggestion.reason, step, suggestion.subject, suggestion.key)


# -- check-ins --------------------------------------------------------------------------------


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


# -- what is new -----------------------------------------------------------------------------


@dataclass(frozen=True)
class News:
    """A record the partner added (``added``), changed, or deleted (``deleted``) since a clock stamp."""

    record: RecordModel
    added: bool
    deleted: bool = False

    @property
    def kind(self) -> str:
        return type(self.record).KIND


def news_since(
    records: Iterable[RecordModel], since: str, partner_id: str, deleted: Iterable[RecordModel] = ()
) -> list[News]:
    """What ``partner_id`` added or last changed after the stamp ``since``, newest first; and of
    ``deleted`` (records as they stood when deleted), those ``partner_id`` deleted after it."""
    found = []
    for record in records:
        if record.author == partner_id and record.created > since:
            found.append(News(record, added=True))
        elif record.edited_by == partner_id and record.updated > since:
            found.append(News(record, added=False))
    found += [
        News(record, added=False, deleted=True)
        for record in deleted
        if record.edited_by == partner_id and record.updated > since
    ]
    return sorted(found, key=lambda news: news.record.updated, reverse=True)
