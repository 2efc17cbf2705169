"""The daily question in the store (app/store/question.py): committed first, revealed once both
answered."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from app.domain.question import Answer, AnswerState, answer_views, commitment_for
from app.store.couple import CoupleStore
from app.store.storage import StoreError

DAY = dt.date(2026, 11, 21)

ALEX_WORDS = "The way you laughed at breakfast"

SAM_WORDS = "Our walk by the river"


def answer_fields(db_path: Path) -> list[dict]:
    data = json.loads(db_path.read_text(encoding="utf-8"))
    return [raw["fields"] for raw in data.get("answer", {}).values()]


def test_an_answer_waits_in_the_local_file_and_only_its_commitment_is_shared(
    store: CoupleStore, db_path: Path
) -> None:
    alex, _ = store.partners
    given = store.give_answer(alex.id, ALEX_WORDS, DAY)
    assert ALEX_WORDS not in db_path.read_text(encoding="utf-8")
    assert ALEX_WORDS in Path(os.environ["KINTSUGI_LOCAL"]).read_text(encoding="utf-8")
    [fields] = answer_fields(db_path)
    assert fields["partner"] == alex.id
    assert fields["day"] == DAY.isoformat()
    assert fields["text"] == "" and fields["salt"] == ""
    assert len(fields["commitment"]) == 64
    assert given.id == store.answer_id(alex.id, DAY)
    assert store.waiting_words(alex.id, DAY) == ALEX_WORDS


def test_the_partner_sees_that_an_answer_was_given_but_not_its_words(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, DAY)
    sams = other_machine(db_path)
    views = sams.day_answers(DAY, sam.id)
    assert views[alex.id].state == AnswerState.HIDDEN and views[alex.id].text == ""
    assert views[sam.id].state == AnswerState.MISSING
    assert sams.publish_answers() == []  # nothing of Sam's waits there
    assert store.publish_answers() == []  # Alex's waits for Sam's
    assert ALEX_WORDS not in db_path.read_text(encoding="utf-8")


def test_both_answers_are_revealed_once_both_are_given_on_two_machines(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, DAY)
    sams = other_machine(db_path)
    sams.give_answer(sam.id, SAM_WORDS, DAY)
    [revealed] = sams.publish_answers()  # Sam's machine sees both commitments: Sam's words go in
    assert revealed.text == SAM_WORDS and revealed.matches
    text = db_path.read_text(encoding="utf-8")
    assert SAM_WORDS in text and ALEX_WORDS not in text
    # Alex's words are not out yet: Sam sees that they are on their way, not the words.
    assert sams.day_answers(DAY, sam.id)[alex.id].state == AnswerState.OPENING
    assert sams.day_answers(DAY, sam.id)[alex.id].text == ""
    [revealed] = store.publish_answers()  # Alex's machine reads the file: Alex's words go in
    assert revealed.text == ALEX_WORDS
    assert ALEX_WORDS in db_path.read_text(encoding="utf-8")
    assert store.waiting_words(alex.id, DAY) is None  # no longer kept apart
    for machine, viewer in ((store, alex.id), (sams, sam.id)):
        views = machine.day_answers(DAY, viewer)
        assert {p: (v.state, v.text) for p, v in views.items()} == {
            alex.id: (AnswerState.SHOWN, ALEX_WORDS),
            sam.id: (AnswerState.SHOWN, SAM_WORDS),
        }
    assert store.publish_answers() == [] and sams.publish_answers() == []
    assert store.answered_days() == [DAY]


def test_at_one_keyboard_both_answers_are_revealed_together(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, DAY)
    assert store.day_answers(DAY, sam.id)[alex.id].text == ""  # Sam at the keyboard does not see it
    assert store.waiting_words(sam.id, DAY) is None
    store.give_answer(sam.id, SAM_WORDS, DAY)
    assert {a.partner for a in store.publish_answers()} == {alex.id, sam.id}
    fields = {f["partner"]: f["text"] for f in answer_fields(db_path)}
    assert fields == {alex.id: ALEX_WORDS, sam.id: SAM_WORDS}


def test_an_answer_can_change_until_both_have_answered(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    first = store.give_answer(alex.id, "first thought", DAY)
    second = store.give_answer(alex.id, "  second thought ", DAY)
    assert first.id == second.id and first.commitment != second.commitment
    assert store.waiting_words(alex.id, DAY) == "second thought"
    assert "thought" not in db_path.read_text(encoding="utf-8")
    store.give_answer(sam.id, SAM_WORDS, DAY)
    with pytest.raises(StoreError, match="both answered"):
        store.give_answer(alex.id, "a third, after seeing Sam's", DAY)
    store.publish_answers()
    assert {f["partner"]: f["text"] for f in answer_fields(db_path)}[alex.id] == "second thought"


def test_an_empty_answer_is_refused(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError, match="few words"):
        store.give_answer(alex.id, "   ", DAY)
    assert answer_fields(db_path) == []


def test_words_changed_after_they_were_given_are_flagged(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, DAY)
    store.give_answer(sam.id, SAM_WORDS, DAY)
    store.publish_answers()
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["answer"][store.answer_id(alex.id, DAY)]["fields"]["text"] = "something Alex never said"
    db_path.write_text(json.dumps(data), encoding="utf-8")
    sams = other_machine(db_path)
    views = sams.day_answers(DAY, sam.id)
    assert views[alex.id].state == AnswerState.CHANGED
    assert views[sam.id].state == AnswerState.SHOWN


def test_words_in_the_file_before_both_answered_stay_hidden(store: CoupleStore) -> None:
    alex, sam = store.partners
    early = Answer(
        id="a",
        author=alex.id,
        created="",
        partner=alex.id,
        day=DAY,
        commitment=commitment_for("salt", "early words"),
        text="early words",
        salt="salt",
    )
    views = answer_views([early], DAY, [alex.id, sam.id], sam.id)
    assert views[alex.id].state == AnswerState.HIDDEN and views[alex.id].text == ""
