"""Step 3's rules (app/domain/practices/openly.py): I-statements and their kind warnings, the
speaker-listener turn, calm moments."""

from __future__ import annotations

import datetime as dt

import pytest

from app.content import load_content
from app.domain.practices.openly import (
    STATEMENT_WARNINGS,
    CalmMoment,
    ListeningTurnFlow,
    TurnPhase,
    assemble_statement,
    calm_moments_in_order,
    statement_warnings,
)

TODAY = dt.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When I see the dishes, I feel tired", []),
        ("I feel like you don't care", ["feel_like_you"]),
        ("i FEEL   like\nyou're not listening", ["feel_like_you"]),
        ("I feel as if you left me out", ["feel_like_you"]),
        ("I feel that you ignore me", ["feel_that_you"]),
        ("I feel that your work comes first", ["feel_that_you"]),
        ("You always forget", ["you_always"]),
        ("you’re always late", ["you_always"]),
        ("you are never home", ["you_never"]),
        (
            "I feel like you never listen and you always interrupt",
            ["feel_like_you", "you_always", "you_never"],
        ),
    ],
)
def test_statement_warnings_find_the_phrasings_that_blame(text: str, expected: list[str]) -> None:
    assert statement_warnings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I feel like a walk",  # a wish, not a thought about the partner
        "I feel lonely when you are away",
        "I never said that",  # "never", but not "you never"
        "Youth always wins",  # not "you"
        "I feel like yourselves",  # not the partner
        "We always have dinner together",
        "",
    ],
)
def test_statement_warnings_leave_plain_i_statements_alone(text: str) -> None:
    assert statement_warnings(text) == []


def test_every_warning_has_kind_words_in_the_content() -> None:
    content = load_content()
    for key in STATEMENT_WARNINGS:
        assert content.text(f"statement_warnings.{key}").strip()


def test_assemble_statement_reads_as_one_sentence() -> None:
    templates = load_content().value("practice_openly.sentence")
    parts = {
        "when": "the dishes left in the sink. ",
        "feeling": "tired",
        "need": "some help in the evenings",
        "request": "do them on weekdays?",
    }
    assert assemble_statement(parts, templates) == (
        "When I see the dishes left in the sink, I feel tired, because I need some help in the "
        "evenings. Would you be willing to do them on weekdays?"
    )
    assert assemble_statement({"feeling": "hopeful"}, templates) == "I feel hopeful."
    assert assemble_statement({"request": "hug me"}, templates) == "Would you be willing to hug me?"
    assert assemble_statement({"when": "  "}, templates) == ""


def test_a_listening_turn_goes_round_until_the_speaker_feels_heard() -> None:
    turn = ListeningTurnFlow(speaker="alex", listener="sam")
    assert turn.say("   ").phase == TurnPhase.SPEAKING  # nothing said yet
    turn = turn.say("I miss our evenings")
    assert turn.phase == TurnPhase.LISTENING
    turn = turn.paraphrase("You're angry about evenings")
    turn = turn.confirm(False)
    assert (turn.phase, turn.confirmed) == (TurnPhase.LISTENING, False)
    turn = turn.paraphrase("You miss the time we had together at night")
    turn = turn.confirm(True)
    assert turn.phase == TurnPhase.DONE and turn.confirmed
    assert turn.record_fields(TODAY) == {
        "speaker": "alex",
        "listener": "sam",
        "said": "I miss our evenings",
        "paraphrases": ["You're angry about evenings", "You miss the time we had together at night"],
        "confirmed": True,
        "day": TODAY,
    }
    nxt = turn.swapped()
    assert (nxt.speaker, nxt.listener, nxt.phase, nxt.paraphrases) == ("sam", "alex", TurnPhase.SPEAKING, ())
    assert turn.confirm(False) is turn  # a finished turn stays finished


def test_calm_moments_upcoming_first() -> None:
    def moment(created: str, day: dt.date | None, at: str = "") -> CalmMoment:
        return CalmMoment(id=created, author="a", created=created, day=day, at=at, topic=created)

    moments = [
        moment("past-old", dt.date(2026, 10, 1)),
        moment("words", None, "Sunday after breakfast"),
        moment("later", dt.date(2026, 12, 1)),
        moment("today", TODAY, "19:30"),
        moment("past-recent", dt.date(2026, 11, 17)),
        moment("soon", dt.date(2026, 11, 20)),
    ]
    order = [m.topic for m in calm_moments_in_order(moments, TODAY)]
    assert order == ["today", "soon", "later", "words", "past-recent", "past-old"]
