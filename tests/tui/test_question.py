"""The daily question in the TUI: answered apart, revealed together, on one machine or two."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.widgets import Input, Static

from app.store.couple import CoupleStore
from app.tui.screens.question import QuestionScreen
from app.tui.screens.step import StepScreen
from tests.support.app import notified
from tests.support.files import records
from tests.support.tui import WIDE, screen_text

TODAY = dt.date(2026, 11, 21)
ALEX_WORDS = "Your soup"
SAM_WORDS = "Pancakes"


async def open_question(app, pilot) -> None:
    await pilot.pause()
    app.action_question()
    await pilot.pause()
    assert isinstance(app.screen, QuestionScreen)


async def answer(pilot, words: str) -> None:
    await pilot.click("#answer-input")
    await pilot.press(*words, "enter")
    await pilot.pause()


def words_in(app, where: str) -> str:
    """The plain text a Static shows (whole, however it wraps on screen)."""
    return str(app.screen.query_one(where, Static).content)


def file_text(db_path: Path) -> str:
    return db_path.read_text(encoding="utf-8")


async def test_at_one_keyboard_the_other_answer_stays_covered_until_both_answered(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_question(app, pilot)
        assert app.content.question_for(TODAY) in screen_text(app)
        await answer(pilot, ALEX_WORDS)
        shown = screen_text(app)
        assert ALEX_WORDS in shown and "Waiting for Sam" in shown
        assert ALEX_WORDS not in file_text(db_path)
        [fields] = records(db_path, "answer")
        assert fields["partner"] == alex.id and fields["text"] == "" and len(fields["commitment"]) == 64

        await pilot.press("w")  # Sam takes the keyboard
        await pilot.pause()
        shown = screen_text(app)
        assert ALEX_WORDS not in shown
        assert "Alex has answered and is waiting for you" in shown
        assert app.screen.query_one("#answer-input", Input).value == ""

        await answer(pilot, SAM_WORDS)
        shown = screen_text(app)
        assert ALEX_WORDS in shown and SAM_WORDS in shown
        assert "You have both answered" in shown
    texts = {f["partner"]: f["text"] for f in records(db_path, "answer")}
    assert texts == {alex.id: ALEX_WORDS, sam.id: SAM_WORDS}


async def test_on_two_machines_each_app_publishes_its_own_answer_once_both_answered(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partners
    alex_app = make_app(store, today=TODAY)
    async with alex_app.run_test(size=WIDE) as pilot:
        await open_question(alex_app, pilot)
        await answer(pilot, ALEX_WORDS)

    sams = other_machine(db_path)
    sam_app = make_app(sams, sam.id, today=TODAY)
    async with sam_app.run_test(size=WIDE) as pilot:
        await open_question(sam_app, pilot)
        shown = screen_text(sam_app)
        assert "waiting for you" in shown and ALEX_WORDS not in shown
        assert ALEX_WORDS not in file_text(db_path)  # Sam's view of the file
        await answer(pilot, SAM_WORDS)
        assert SAM_WORDS in file_text(db_path) and ALEX_WORDS not in file_text(db_path)
        assert "as soon as Alex's copy of Kintsugi next opens" in words_in(sam_app, "#theirs-words")
        assert ALEX_WORDS not in screen_text(sam_app)

    alex_app = make_app(store, today=TODAY)
    async with alex_app.run_test(size=WIDE) as pilot:  # opening the file publishes Alex's answer
        await open_question(alex_app, pilot)
        shown = screen_text(alex_app)
        assert ALEX_WORDS in shown and SAM_WORDS in shown
    texts = {f["partner"]: f["text"] for f in records(db_path, "answer")}
    assert texts == {alex.id: ALEX_WORDS, sam.id: SAM_WORDS}

    sam_app = make_app(sams, sam.id, today=TODAY)
    async with sam_app.run_test(size=WIDE) as pilot:
        await open_question(sam_app, pilot)
        shown = screen_text(sam_app)
        assert ALEX_WORDS in shown and SAM_WORDS in shown


async def test_a_reload_publishes_when_the_partners_answer_arrives(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    _, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_question(app, pilot)
        await answer(pilot, ALEX_WORDS)
        sams = other_machine(db_path)  # meanwhile, on Sam's machine
        sams.give_answer(sam.id, SAM_WORDS, TODAY)
        sams.publish_answers()
        assert ALEX_WORDS not in file_text(db_path)
        assert app.reload()
        await pilot.pause()
        shown = screen_text(app)
        assert ALEX_WORDS in shown and SAM_WORDS in shown
        assert ALEX_WORDS in file_text(db_path)


async def test_an_answer_changed_in_the_file_is_flagged(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, TODAY)
    store.give_answer(sam.id, SAM_WORDS, TODAY)
    store.publish_answers()
    data = json.loads(file_text(db_path))
    data["answer"][store.answer_id(sam.id, TODAY)]["fields"]["text"] = "Something Sam never wrote"
    db_path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app(CoupleStore(db_path), today=TODAY)  # the app opens the file as it is now
    async with app.run_test(size=WIDE) as pilot:
        await open_question(app, pilot)
        theirs = words_in(app, "#theirs-words")
        assert "This answer changed after it was given" in theirs
        assert "Something Sam never wrote" in theirs
        assert ALEX_WORDS in words_in(app, "#mine-words")
        assert "changed after" not in words_in(app, "#mine-words")


async def test_an_answer_can_be_changed_while_waiting(store: CoupleStore, db_path: Path, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_question(app, pilot)
        await answer(pilot, "first")
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#answer-input", Input)
        assert field.value == "first"
        field.value = ""
        await answer(pilot, "second")
        assert "second" in screen_text(app)
    assert "second" not in file_text(db_path)
    held = json.loads(Path(store.local.path).read_text(encoding="utf-8"))
    assert "second" in json.dumps(held) and "first" not in json.dumps(held)


async def test_the_palette_opens_todays_question(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Today's question")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionScreen)


async def test_a_digit_on_the_question_closes_it_and_opens_that_step(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        app.action_question()
        await pilot.pause()
        await pilot.press("escape")  # back where we were
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.step == 8
        app.action_question()
        await pilot.pause()
        await answer(pilot, ALEX_WORDS)  # while the answer is being typed, a digit is part of it
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.step == 3


async def test_the_second_to_answer_sees_the_first_answer_as_soon_as_it_is_published(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    """Alex answered on Alex's machine; Sam answers on Sam's. Alex's app publishes Alex's words
    as Sam's answer reaches it, and Sam's open screen shows them, with a word of what came in.

    Sam's screen used to keep saying the words would come "as soon as Alex's copy next opens your
    file": a read in between (the footer asking whether Sam may change the answer) took the file
    in unannounced, so when the file watcher called, nothing seemed new. The watcher is stopped
    here and called by hand, so that read certainly comes first.
    """
    alex, sam = store.partners
    store.give_answer(alex.id, ALEX_WORDS, TODAY)  # Alex's machine, earlier
    sams = other_machine(db_path)
    sam_app = make_app(sams, sam.id, today=TODAY)
    async with sam_app.run_test(size=WIDE, notifications=True) as pilot:
        await open_question(sam_app, pilot)
        sam_app.workers.cancel_group(sam_app, "watch")
        await answer(pilot, SAM_WORDS)
        assert "as soon as Alex's copy of Kintsugi next opens" in words_in(sam_app, "#theirs-words")
        assert store.publish_answers()  # Alex's app, as Sam's answer reaches it
        await pilot.press("tab")  # the focus moves: the keys shown are checked, reading the file
        await pilot.pause()
        sam_app.take_in_changes()  # what the file watcher calls
        await pilot.pause()
        assert ALEX_WORDS in words_in(sam_app, "#theirs-words")
        assert "You have both answered" in screen_text(sam_app)
        told = [str(n.message) for n in notified(sam_app)]
        assert "Your answer is saved. You have both answered now." in told  # not "covered until Alex answers"
        assert "1 changed answer came in from Alex." in told
