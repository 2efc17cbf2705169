"""The journey's pure rules: what is worth celebrating, check-in series and summaries, what is new."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.checkins import checkins_by_month, connection_series
from app.domain.clock import format_stamp, stamp_day
from app.domain.meeting import Meeting
from app.domain.models import (
    Agreement,
    Celebration,
    CheckIn,
    Connection,
    Progress,
    StepStatus,
    wording_key,
)
from app.domain.news import news_since
from app.domain.suggestions import SUGGESTION_RULES, Suggestion, SuggestionFacts, suggestions

TODAY = dt.date(2026, 5, 17)
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


def test_stamp_day_reads_the_wall_clock_part() -> None:
    assert stamp_day(stamp(TODAY)) == TODAY
    assert stamp_day("not a stamp") is None


# -- suggestions -------------------------------------------------------------------------------


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


# -- check-ins ---------------------------------------------------------------------------------


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


# -- what is new --------------------------------------------------------------------------------


def test_news_is_what_the_partner_added_or_changed_after_the_stamp() -> None:
    since = stamp(TODAY, 5)
    before = celebration("Before").model_copy(update={"author": SAM, "created": stamp(TODAY, 1)})
    added = celebration("Added").model_copy(
        update={"author": SAM, "created": stamp(TODAY, 6), "updated": stamp(TODAY, 6)}
    )
    mine = celebration("Mine").model_copy(update={"created": stamp(TODAY, 7), "updated": stamp(TODAY, 7)})
    signed = agreement("Rest", (ALEX, SAM)).model_copy(
        update={"created": stamp(TODAY, 2), "updated": stamp(TODAY, 8), "edited_by": SAM}
    )
    found = news_since([before, added, mine, signed], since, SAM)
    assert [(n.record.id, n.added, n.kind) for n in found] == [
        (signed.id, False, "agreement"),
        (added.id, True, "celebration"),
    ]
    assert news_since([before, added, mine, signed], stamp(TODAY, 9), SAM) == []


def test_a_meeting_with_nothing_written_is_empty() -> None:
    empty = Meeting(id="m", author=ALEX, created="", day=TODAY, appreciations={ALEX: "  "})
    assert empty.is_empty
    assert not empty.model_copy(update={"went_well": "We laughed"}).is_empty
    assert not empty.model_copy(update={"agreement_id": "a1"}).is_empty
