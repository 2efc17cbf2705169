"""The rules of steps 1-3 (app/domain/practices/: wounds, origins, openly) and of the calm-down
screen (app/domain/calm.py), and their records in the store."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from app.content import load_content
from app.domain.calm import RepairPhrase, repair_phrases_or_defaults
from app.domain.practices.openly import (
    STATEMENT_WARNINGS,
    CalmMoment,
    IStatement,
    ListeningTurn,
    ListeningTurnFlow,
    TurnPhase,
    assemble_statement,
    calm_moments_in_order,
    statement_warnings,
)
from app.domain.practices.origins import Origin, OriginKind, sortable_year, timeline_order
from app.domain.practices.wounds import Wound, unseen_shared
from app.store.couple import CoupleStore
from app.store.storage import StoreError

TODAY = dt.date(2026, 11, 18)

# -- I-statement warnings ------------------------------------------------------------------


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


# -- step 1 and 2 ---------------------------------------------------------------------------


def _origin(when: str, kind: OriginKind, created: str, year: int | None = None) -> Origin:
    return Origin(id=created, author="a", created=created, kind=kind, when=when, year=year, happened=when)


def test_timeline_is_in_time_order() -> None:
    origins = [
        _origin("last spring", OriginKind.LIFE_EVENT, "1"),
        _origin("2015, when we moved", OriginKind.LIFE_EVENT, "2"),
        _origin("age 14", OriginKind.CHILDHOOD, "3"),
        _origin("university", OriginKind.PAST_RELATIONSHIP, "4", year=2009),
        _origin("age 9", OriginKind.CHILDHOOD, "5"),
        _origin("when I was small", OriginKind.CHILDHOOD, "6"),
    ]
    order = [o.when for o in timeline_order(origins)]
    assert order == [
        "age 9",
        "age 14",
        "when I was small",
        "university",
        "2015, when we moved",
        "last spring",
    ]
    assert sortable_year(origins[1]) == 2015
    assert sortable_year(origins[0]) is None


def test_unseen_shared_wounds_are_the_partners_not_yet_shown() -> None:
    wounds = [
        Wound(id="w1", author="sam", created="2", what="feeling left out"),
        Wound(id="w2", author="alex", created="1", what="mine"),
        Wound(id="w3", author="sam", created="1", what="old words"),
    ]
    assert [w.id for w in unseen_shared(wounds, "alex", shown=[])] == ["w3", "w1"]
    assert [w.id for w in unseen_shared(wounds, "alex", shown=["w3"])] == ["w1"]
    assert unseen_shared(wounds, "sam", shown=[]) == [wounds[1]]


# -- step 3 --------------------------------------------------------------------------------


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


def test_repair_phrase_defaults_only_while_the_couple_has_none() -> None:
    defaults = ["Can we start over?"]
    assert repair_phrases_or_defaults([], defaults) == ([], defaults)
    own = RepairPhrase(id="p", author="a", created="1", text="Time out, I love you")
    assert repair_phrases_or_defaults([own], defaults) == ([own], [])


# -- the records in the store ---------------------------------------------------------------


def test_a_wound_is_private_until_shared(store: CoupleStore, db_path: Path, other_machine) -> None:
    alex, sam = store.partners
    wound = store.add_entry(
        Wound, alex.id, private=True, what="the missed birthday", weight=7, feeling="hurt"
    )
    assert "missed birthday" not in db_path.read_text()
    assert "missed birthday" in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    store.share_entry(Wound, wound.id, alex.id)
    fields = json.loads(db_path.read_text())["wound"][wound.id]["fields"]
    assert (fields["what"], fields["weight"], fields["feeling"]) == ("the missed birthday", 7, "hurt")
    assert [w.what for w in other_machine(db_path).entries(Wound, sam.id)] == ["the missed birthday"]


@pytest.mark.parametrize(
    ("model", "fields", "where"),
    [
        (Wound, {"what": "x", "weight": 11}, "weight"),
        (Origin, {"happened": "  "}, "happened"),
        (Origin, {"happened": "x", "year": 1066}, "year"),
        (IStatement, {"when": " ", "feeling": ""}, "content"),
        (CalmMoment, {"topic": "money"}, "content"),
        (ListeningTurn, {"speaker": "a", "listener": "b", "said": "", "day": TODAY}, "said"),
    ],
)
def test_bad_practice_records_are_refused_in_one_sentence(
    store: CoupleStore, model, fields: dict, where: str
) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError) as raised:
        store.add_entry(model, alex.id, **fields)
    assert raised.value.details.get("field") == where
    assert "\n" not in str(raised.value)


def test_a_listening_turn_keeps_its_paraphrases_in_order(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    flow = ListeningTurnFlow(alex.id, sam.id).say("I need rest").paraphrase("you're lazy").confirm(False)
    flow = flow.paraphrase("you need rest").confirm(True)
    turn = store.add_entry(ListeningTurn, alex.id, **flow.record_fields(TODAY))
    stored = json.loads(db_path.read_text())["listening_turn"][turn.id]["fields"]
    assert stored["paraphrases"] == ["you're lazy", "you need rest"]
    assert stored["confirmed"] is True and stored["day"] == "2026-11-18"
    assert store.get(ListeningTurn, turn.id).paraphrases == ["you're lazy", "you need rest"]
