"""ctrl+s saves (or finishes) every form that has a Save button, and is offered only while it is in sight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Input

from app.domain.practices.kindness import CompassionBreak
from app.domain.practices.present import Grounding
from app.store.couple import CoupleStore
from app.tui.app import KintsugiApp
from tests.support.files import records
from tests.support.today import TODAY
from tests.support.tui import SMALL, open_practice, screen_text

Steps = Callable[[KintsugiApp, object, Path], Awaitable[None]]


@dataclass(frozen=True)
class Form:
    """How to open a form and fill it in, and what is in the store once ctrl+s saved it."""

    name: str
    fill: Steps
    saved: Callable[[CoupleStore, Path, Path], bool]


async def keys(pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


async def check_in(app, pilot, _: Path) -> None:
    await keys(pilot, "k", "down", "down", "enter")


async def celebrate(app, pilot, _: Path) -> None:
    await keys(pilot, "c")
    await pilot.press(*"Walked the long way home")


async def react(app, pilot, _: Path) -> None:
    app.action_switch_writer()  # Sam reacts to Alex's celebration
    await keys(pilot, "l", "enter")
    await pilot.press(*"So glad")


async def export(app, pilot, tmp_path: Path) -> None:
    app.action_export()
    await pilot.pause()
    app.screen.query_one("#export-path", Input).value = str(tmp_path / "ours.md")


async def answer(app, pilot, _: Path) -> None:
    app.action_question()
    await pilot.pause()
    await pilot.click("#answer-input")
    await pilot.press(*"Your soup")


async def meeting(app, pilot, _: Path) -> None:
    await keys(pilot, "m")
    await pilot.press(*"Your patience")
    await keys(pilot, "ctrl+s")  # not on the first part: the talk is saved from its last
    assert app.content.text("meeting.progress", number=1, count=5) in screen_text(app)
    await keys(pilot, *["ctrl+n"] * 4)


async def compassion_break(app, pilot, _: Path) -> None:
    await open_practice(pilot, 6)
    await keys(pilot, "b", "ctrl+s")  # the pause is not hurried along: still its first part
    assert app.content.text("practice_break.progress", number=1) in screen_text(app)
    await keys(pilot, "enter", "enter")
    await pilot.press(*"gentle")


async def grounding(app, pilot, _: Path) -> None:
    await open_practice(pilot, 8)
    await keys(pilot, "g")
    await pilot.press(*"lamplight")
    await keys(pilot, *["enter"] * 5)


async def revisit(app, pilot, _: Path) -> None:
    await keys(pilot, "a", "r")
    await pilot.press(*"weekends too")


async def new_list(app, pilot, _: Path) -> None:
    await keys(pilot, "a")
    app.screen.query_one("#lists").focus()
    await keys(pilot, "n")
    await pilot.press(*"How we argue")


def alexs(store: CoupleStore, model) -> list:
    return store.entries(model, viewer=store.partner_named("Alex").id)


FORMS = [
    Form("check-in", check_in, lambda store, db, tmp: records(db, "checkin")[0]["connection"] == 3),
    Form("celebrate", celebrate, lambda s, db, t: "Walked the long way home" in db.read_text()),
    Form("reaction", react, lambda s, db, t: "So glad" in db.read_text()),
    Form("export", export, lambda s, db, tmp: (tmp / "ours.md").exists()),
    Form("answer", answer, lambda s, db, t: bool(records(db, "answer"))),
    Form("weekly talk", meeting, lambda store, db, t: len(store.meetings()) == 1),
    Form(
        "compassion pause", compassion_break, lambda s, db, t: alexs(s, CompassionBreak)[0].note == "gentle"
    ),
    Form("grounding", grounding, lambda s, db, t: alexs(s, Grounding)[0].see == "lamplight"),
    Form("revisit", revisit, lambda s, db, t: records(db, "agreement")[0]["revisit"] == "weekends too"),
    Form("new list", new_list, lambda s, db, t: "How we argue" in db.read_text()),
]


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
async def test_ctrl_s_saves_every_form_with_a_save(
    store: CoupleStore, db_path: Path, make_app, tmp_path: Path, form: Form
) -> None:
    alex = store.partner_named("Alex")
    store.add_celebration(alex.id, "A walk")
    store.add_agreement(alex.id, "We talk on Sundays")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await form.fill(app, pilot, tmp_path)
        assert "^s Save" in screen_text(app)
        await keys(pilot, "ctrl+s")
    assert form.saved(CoupleStore(db_path, store.local), db_path, tmp_path)


async def test_ctrl_s_begins_on_the_first_run(db_path: Path, make_app) -> None:
    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press(*"Alex", "tab", *"Sam", "ctrl+s")
        await pilot.pause()
    assert sorted(p.name for p in CoupleStore(db_path).partners) == [
        "Alex",
        "Sam",
    ]  # sealed: read by the store
