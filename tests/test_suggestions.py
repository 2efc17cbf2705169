"""What is worth celebrating (app/domain/suggestions.py): a step integrated, an agreement signed by
both, never one logged or let pass, newest first, and a new rule plugged in."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.models import StepStatus
from app.domain.suggestions import SUGGESTION_RULES, Suggestion, SuggestionFacts, suggestions
from tests.support.records import ALEX, PARTNERS, SAM, TODAY, agreement, celebration, progress


def test_a_step_integrated_is_offered_for_that_partner() -> None:
    found = suggestions(
        [progress(SAM, 2, StepStatus.INTEGRATED, TODAY - dt.timedelta(days=1))], [], [], PARTNERS, TODAY
    )
    assert found == [
        Suggestion(
            key=f"step-integrated/{SAM}/2",
            reason="step_integrated",
            day=TODAY - dt.timedelta(days=1),
            partner=SAM,
            step=2,
        )
    ]


@pytest.mark.parametrize("status", [StepStatus.NOT_STARTED, StepStatus.EXPLORING, StepStatus.PRACTISING])
def test_a_step_not_yet_integrated_is_not_offered(status: StepStatus) -> None:
    assert suggestions([progress(SAM, 2, status)], [], [], PARTNERS, TODAY) == []


def test_a_step_of_someone_not_in_the_couple_is_not_offered() -> None:
    assert suggestions([progress("stranger", 2, StepStatus.INTEGRATED)], [], [], PARTNERS, TODAY) == []


def test_an_agreement_signed_by_both_is_offered_once_both_signed() -> None:
    half = agreement("Phones stay in the hall", (ALEX,))
    assert suggestions([], [half], [], PARTNERS, TODAY) == []
    both = agreement("Phones stay in the hall", (ALEX, SAM))
    [found] = suggestions([], [both], [], PARTNERS, TODAY)
    assert found.key == f"agreement-agreed/{both.id}"
    assert found.reason == "agreement_agreed" and found.subject == "Phones stay in the hall"


def test_a_reworded_retired_or_revisited_agreement_is_not_offered() -> None:
    reworded = agreement("Old words", (ALEX, SAM)).model_copy(update={"text": "New words"})
    retired = agreement("Retired", (ALEX, SAM), retired=True)
    revisit = agreement("Talk again", (ALEX, SAM), revisit="not working for me")
    assert suggestions([], [reworded, retired, revisit], [], PARTNERS, TODAY) == []


def test_a_logged_moment_is_not_offered_again_on_either_machine() -> None:
    integrated = progress(SAM, 2, StepStatus.INTEGRATED)
    logged = celebration("Sam integrated step 2", from_suggestion=f"step-integrated/{SAM}/2")
    assert suggestions([integrated], [], [logged], PARTNERS, TODAY) == []
    # An unrelated celebration of the same step does not count as logging the moment.
    other = celebration("Something else about step 2")
    assert len(suggestions([integrated], [], [other], PARTNERS, TODAY)) == 1


def test_a_dismissed_moment_is_not_offered_again() -> None:
    integrated = progress(SAM, 2, StepStatus.INTEGRATED)
    both = agreement("Rest on Sundays", (ALEX, SAM))
    found = suggestions([integrated], [both], [], PARTNERS, TODAY, dismissed={f"step-integrated/{SAM}/2"})
    assert [s.reason for s in found] == ["agreement_agreed"]


def test_old_moments_are_history_not_suggestions() -> None:
    long_ago = TODAY - dt.timedelta(days=46)
    recent = TODAY - dt.timedelta(days=45)
    found = suggestions(
        [progress(ALEX, 1, StepStatus.INTEGRATED, long_ago), progress(SAM, 1, StepStatus.INTEGRATED, recent)],
        [],
        [],
        PARTNERS,
        TODAY,
    )
    assert [s.partner for s in found] == [SAM]


def test_suggestions_come_newest_first() -> None:
    found = suggestions(
        [
            progress(ALEX, 1, StepStatus.INTEGRATED, TODAY - dt.timedelta(days=9)),
            progress(SAM, 3, StepStatus.INTEGRATED, TODAY - dt.timedelta(days=2)),
        ],
        [agreement("Walk on Sundays", (ALEX, SAM), TODAY - dt.timedelta(days=5))],
        [],
        PARTNERS,
        TODAY,
    )
    assert [s.reason for s in found] == ["step_integrated", "agreement_agreed", "step_integrated"]
    assert [s.partner for s in found] == [SAM, "", ALEX]


def test_a_new_rule_plugs_in_without_changing_the_others() -> None:
    """How a feature with its own moments (trust commitments kept for a month) adds them."""

    def every_sunday(facts: SuggestionFacts) -> list[Suggestion]:
        if facts.today.weekday() == 6:
            return [Suggestion(key="sunday", reason="sunday", day=facts.today)]
        return []

    rules = [*SUGGESTION_RULES, every_sunday]
    found = suggestions([progress(SAM, 2, StepStatus.INTEGRATED)], [], [], PARTNERS, TODAY, rules=rules)
    assert TODAY.weekday() == 6
    assert {s.key for s in found} == {"sunday", f"step-integrated/{SAM}/2"}
    assert suggestions([], [], [], PARTNERS, TODAY, rules=rules, dismissed={"sunday"}) == []
