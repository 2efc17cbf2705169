"""Moments worth celebrating: celebrations suggest themselves, never add themselves.

``suggestions`` looks at what the couple's file says happened and offers moments worth logging.
Each rule is a function ``(SuggestionFacts) -> Iterable[Suggestion]`` in ``SUGGESTION_RULES``; a
feature with its own moments (step 5's commitments kept for a month) appends its rule there, and
if it needs facts the others do not, it adds a field to ``SuggestionFacts`` with an empty default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.domain.clock import stamp_day
from app.domain.models import (
    Agreement,
    AgreementStatus,
    Celebration,
    CelebrationSize,
    Progress,
    StepStatus,
)
from app.domain.practices.trust import Commitment, month_kept_on

SUGGESTION_DAYS = 45
"""A moment older than this is no longer offered (it is history, not news)."""


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
class SuggestionFacts:
    """What the rules look at."""

    progress: Sequence[Progress]
    agreements: Sequence[Agreement]
    partner_ids: Sequence[str]
    today: dt.date
    commitments: Sequence[tuple[Commitment, frozenset[dt.date]]] = ()
    """Step 5's small commitments, each with the days it was kept."""


SuggestionRule = Callable[[SuggestionFacts], Iterable[Suggestion]]


def step_integrated(facts: SuggestionFacts) -> Iterable[Suggestion]:
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


def agreement_agreed(facts: SuggestionFacts) -> Iterable[Suggestion]:
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


def commitment_kept_for_a_month(facts: SuggestionFacts) -> Iterable[Suggestion]:
    """A partner has kept a small commitment for a month (see ``app.domain.practices.trust``)."""
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
    facts = SuggestionFacts(
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
